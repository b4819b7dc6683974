// Generated Windows Dockerfiles of a given length for the editor bench (section 3): a Server Core base and
// blocks modelled on the corpus (docker-library, dotnet-docker, StefanScherer): ENV versions and hashes,
// multi-line PowerShell RUNs with Invoke-WebRequest, Get-FileHash, Expand-Archive, Start-Process, setx.
// Each block is numbered, so no two RUN scripts are the same (identical scripts would hit the tokenizer
// cache and flatter the engine).

export interface GeneratedDockerfile {
  text: string;
  /** A one-line RUN near the middle of the file, to type into: its line and the character after its text. */
  typingLine: number;
  typingCharacter: number;
  /** The FROM line (0-based) and a position inside its image reference, and one after `servercore:`. */
  fromLine: number;
  hoverCharacter: number;
  completionCharacter: number;
}

const FROM = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022';
const TYPING_RUN_PREFIX = "RUN $ProgressPreference = 'SilentlyContinue'; ";

function hex(seed: number): string {
  let x = (seed * 2654435761) >>> 0;
  let out = '';
  while (out.length < 64) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** One block of about 40 lines; `i` makes its names, versions and URLs unique. */
function block(i: number): string[] {
  const tool = ['git', 'node', 'python', 'go', 'cmake', 'nuget', 'jdk', 'ruby'][i % 8]!;
  const version = `${1 + (i % 9)}.${i % 23}.${i % 7}`;
  const upper = `${tool.toUpperCase()}${i}`;
  return [
    `# ${tool} ${version} (block ${i})`,
    `ENV ${upper}_VERSION=${version} \``,
    `    ${upper}_SHA256=${hex(i)}`,
    '',
    `RUN $url = ('https://github.com/example/${tool}/releases/download/v{0}/${tool}-{0}-win-x64.zip' -f $env:${upper}_VERSION); \``,
    "    Write-Host ('Downloading {0} ...' -f $url); `",
    '    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; `',
    `    Invoke-WebRequest -Uri $url -OutFile '${tool}${i}.zip' -UseBasicParsing; \``,
    '    `',
    `    Write-Host ('Verifying sha256 ({0}) ...' -f $env:${upper}_SHA256); \``,
    `    if ((Get-FileHash ${tool}${i}.zip -Algorithm sha256).Hash -ne $env:${upper}_SHA256) { \``,
    "        Write-Host 'FAILED!'; `",
    '        exit 1; `',
    '    }; `',
    '    `',
    `    Write-Host 'Expanding ...'; \``,
    `    Expand-Archive -Path ${tool}${i}.zip -DestinationPath C:\\tools\\${tool}${i}; \``,
    `    Remove-Item ${tool}${i}.zip -Force; \``,
    '    `',
    `    $env:PATH = 'C:\\tools\\${tool}${i}\\bin;' + $env:PATH; \``,
    `    [Environment]::SetEnvironmentVariable('PATH', $env:PATH, [EnvironmentVariableTarget]::Machine); \``,
    '    `',
    "    Write-Host 'Verifying install ...'; `",
    `    & C:\\tools\\${tool}${i}\\bin\\${tool}.exe --version; \``,
    "    Write-Host 'Complete.'",
    '',
    `RUN $exitCode = (Start-Process msiexec.exe -Wait -NoNewWindow -PassThru \``,
    '        -ArgumentList @( `',
    `            '/i', 'C:\\installers\\${tool}${i}.msi', \``,
    "            '/quiet', `",
    "            '/norestart' `",
    '        ) `',
    '    ).ExitCode; `',
    `    if ($exitCode -ne 0) { Write-Host ('Installer ${i} failed: {0}' -f $exitCode); exit $exitCode }`,
    '',
    `${TYPING_RUN_PREFIX}setx /M ${upper}_HOME C:\\tools\\${tool}${i}`,
    `COPY ["config/${tool}${i}.json", "C:/tools/${tool}${i}/config.json"]`,
    `WORKDIR C:\\app\\${i}`,
    `RUN cmd /S /C "mklink /D C:\\${tool}${i} C:\\tools\\${tool}${i}"`,
    '',
  ];
}

/** A Windows Dockerfile of exactly `lineCount` lines (the last one ends with a newline). */
export function windowsDockerfile(lineCount: number): GeneratedDockerfile {
  const lines = [
    '# escape=`',
    '',
    FROM,
    '',
    'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]',
    '',
    'USER ContainerAdministrator',
    '',
  ];
  const typingCandidates: number[] = [];
  for (let i = 0; ; i++) {
    const next = block(i);
    if (lines.length + next.length + 4 > lineCount) break;
    next.forEach((line, offset) => { if (line.startsWith(TYPING_RUN_PREFIX)) typingCandidates.push(lines.length + offset); });
    lines.push(...next);
  }
  const tail = ['USER ContainerUser', 'WORKDIR C:\\app', 'CMD ["powershell", "-File", "C:\\\\app\\\\start.ps1"]'];
  while (lines.length + tail.length < lineCount) lines.push(`# padding ${lines.length}`);
  lines.push(...tail);
  const typingLine = typingCandidates[Math.floor(typingCandidates.length / 2)]!;
  const fromLine = lines.indexOf(FROM);
  return {
    text: `${lines.join('\n')}\n`,
    typingLine,
    typingCharacter: lines[typingLine]!.length,
    fromLine,
    hoverCharacter: 'FROM mcr.microsoft.com/win'.length,
    completionCharacter: 'FROM mcr.microsoft.com/windows/servercore:'.length,
  };
}

/** 200 characters to type: the rest of a realistic PowerShell command, cut to length. */
export const TYPED_TEXT = ("; Invoke-WebRequest -Uri 'https://github.com/git-for-windows/git/releases/download/v2.45.1.windows.1/MinGit-2.45.1-64-bit.zip' "
  + "-OutFile 'C:\\mingit.zip' -UseBasicParsing; Expand-Archive C:\\mingit.zip -DestinationPath C:\\git; Remove-Item C:\\mingit.zip -Force").slice(0, 200);

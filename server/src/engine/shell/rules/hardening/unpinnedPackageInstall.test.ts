import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../text';
import { textAt } from '../../../testing';
import { CMD, findings, POWERSHELL, SH, underlined } from './testSupport';

const id = 'unpinned-package-install';

test('chocolatey: each unpinned package, checksum bypass options (CWE-494), and the global feature', () => {
  const text = `${POWERSHELL}RUN choco install -y git nodejs --no-progress; \`
    choco install dotnet4.6-targetpack --allow-empty-checksums -y; \`
    choco install -y microsoft-build-tools --ignore-checksums -version 14.0.23107.10; \`
    choco feature enable -n allowEmptyChecksums
`;
  assert.deepEqual(underlined(id, text), ['git', 'nodejs', 'dotnet4.6-targetpack', '--allow-empty-checksums', '--ignore-checksums', 'allowEmptyChecksums']);
  const all = findings(id, text);
  // One sentence, problem then remedy; the CWE ids are the rule's metadata (hover, SARIF), not message text.
  assert.match(all[0]!.message, /^`choco install git` installs whatever version is newest at build time; pin it: /);
  assert.match(all[3]!.message, /^`--allow-empty-checksums` lets chocolatey run package downloads whose checksum is missing or wrong; remove it/);
  assert.ok(all.every((finding) => !/CWE-/.test(finding.message)), all.map((f) => f.message).join('\n'));
  assert.equal(all[0]!.severity, 'warning');
});

test('chocolatey in cmd, in a cmd powershell wrapper, and `-v` (which is --verbose, not a version)', () => {
  const text = `${CMD}RUN choco install -v python && cinst 7zip.install
RUN powershell -Command "choco install -y hugo; choco install -y golang --version=1.22.5"
`;
  assert.deepEqual(underlined(id, text), ['python', '7zip.install', 'hugo']);
});

test('PowerShell Gallery and PackageManagement: Install-Module/Install-Package without -RequiredVersion, -SkipPublisherCheck', () => {
  const text = `${POWERSHELL}RUN Install-Module DockerMsftProvider -Force; \`
    Install-Module -Name PSReadLine -RequiredVersion 2.3.5 -SkipPublisherCheck; \`
    Install-Package -Scope CurrentUser -Force 7Zip4Powershell; \`
    Install-PSResource -Name Az -Version '[1.0,2.0)'
`;
  assert.deepEqual(underlined(id, text), ['DockerMsftProvider', '-SkipPublisherCheck', '7Zip4Powershell', 'Az']);
});

test('NuGet: nuget install without -Version; restore without locked mode is info, on the command', () => {
  const text = `${CMD}RUN nuget install Microsoft.Net.Compilers -OutputDirectory C:\\tools && nuget restore App.sln
RUN dotnet restore "./WebApi.csproj" && msbuild App.sln /t:Restore;Build /p:Configuration=Release
`;
  assert.deepEqual(underlined(id, text), ['Microsoft.Net.Compilers', 'nuget restore', 'dotnet restore', '/t:Restore;Build']);
  assert.deepEqual(findings(id, text).map((f) => f.severity), ['warning', 'info', 'info', 'info']);
});

test('pip (sh and PowerShell): unpinned names and ranges, -r without --require-hashes as info, python -m pip', () => {
  const text = `${SH}RUN pip install --no-cache-dir requests 'django>=4.2' flask==3.0.3 \\
 && python3 -m pip install --upgrade pip \\
 && pip install -r requirements.txt
`;
  assert.deepEqual(underlined(id, text), ['requests', "'django>=4.2'", 'pip', 'requirements.txt']);
  assert.deepEqual(findings(id, text).map((f) => f.severity), ['warning', 'warning', 'warning', 'info']);
  const ps = `${POWERSHELL}RUN python -m pip install virtualenv; pip install tox==2.1.1\n`;
  assert.deepEqual(underlined(id, ps), ['virtualenv']);
});

test('npm install without packages: warning on `npm install` with an `npm ci` quick fix that fix-all never applies', () => {
  const text = `${SH}RUN npm install --production\n`;
  const [finding, ...rest] = findings(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'npm install');
  const fix = finding!.fixes.find((f) => f.title.includes('npm ci'))!;
  assert.equal(fix.safeForFixAll, false);
  assert.equal(applyEdits(text, fix.edits), `${SH}RUN npm ci --production\n`);
  // A global install of the current folder has no `npm ci` equivalent: no fix.
  const global = findings(id, `${SH}RUN npm install -g\n`)[0]!;
  assert.equal(global.fixes.filter((f) => f.title.includes('npm ci')).length, 0);
});

test('npm and winget: packages without an exact version', () => {
  const text = `${SH}RUN npm i -g yarn @angular/cli lodash@latest left-pad@^1.3.0 typescript@5.4.5 @scope/pkg@1.0.0\n`;
  assert.deepEqual(underlined(id, text), ['yarn', '@angular/cli', 'lodash@latest', 'left-pad@^1.3.0']);
  const winget = `${CMD}RUN winget install --id Git.Git -e --accept-source-agreements && winget install Microsoft.PowerShell --version 7.4.2 && winget install --id X.Y -v 1.0 --ignore-security-hash\n`;
  assert.deepEqual(underlined(id, winget), ['Git.Git', '--ignore-security-hash']);
});

test('not flagged: pinned installs in every spelling, variables, local files, locked restores', () => {
  for (const text of [
    `${POWERSHELL}RUN choco install -y ruby --version 2.6.5.1 --params "'/InstallDir:C:\\ruby26'"; \`
    choco install -y nodejs -version 7.3.0; choco install -y --version="$env:DOCKER_VERSION" docker; choco install packages.config -y; \`
    choco install -y $env:PACKAGES; Install-PackageProvider -Name NuGet -MinimumVersion 2.8.5.201 -Force; \`
    Install-Module AzureRM -RequiredVersion 4.1.0 -Force; Install-Module -Name poshspec -Force -AllowClobber -RequiredVersion $env:POSHSPEC_VERSION; \`
    Install-Package nuget.commandline -RequiredVersion 3.5.0 -Force; Install-PSResource Az -Version 11.0.0; \`
    $ErrorActionPreference = 'Stop'; Write-Host 'choco install git'
`,
    `${CMD}RUN nuget install MSBuild.Microsoft.VisualStudio.Web.targets -Version 14.0.0.3 && nuget install packages.config && nuget restore packages.config -PackagesDirectory ..
RUN nuget restore App.sln -LockedMode && dotnet restore --locked-mode && dotnet restore -p:RestoreLockedMode=true && msbuild /restore /p:RestoreLockedMode=true
RUN dotnet publish -c Release -o out --no-restore && dotnet tool list
`,
    `${SH}RUN pip install tox==2.1.1 virtualenv===20.26.3 "tensorflow\${TF_POSTFIX}" ./local-pkg /wheels/x.whl dist/* \\
 && pip install --require-hashes -r requirements.txt && pip install -c constraints.txt requests && pip install --no-index --find-links /wheels requests \\
 && npm ci && npm install --global markdownlint@0.29.0 markdownlint-cli@0.35.0 ./local.tgz && npm install "$PKG"
`,
  ]) {
    assert.deepEqual(underlined(id, text), [], text);
  }
});

test('nuget restore of packages.config projects: not flagged when it names the file, or when the stage copied a packages.config first', () => {
  for (const text of [
    `${CMD}RUN nuget restore packages.config -PackagesDirectory ..\\packages && nuget install .\\src\\App\\packages.config -OutputDirectory packages\n`,
    `${CMD}RUN nuget restore C:\\src\\App\\packages.config -SolutionDirectory C:\\src\n`,
    `${POWERSHELL}WORKDIR C:\\src\nCOPY src\\App.sln .\nCOPY src\\App\\App.csproj .\\App\\\nCOPY src\\App\\packages.config .\\App\\\nRUN nuget restore App.sln\n`,
    // The dotnet-framework-docker sample: `*.config` beside the project file before the restore.
    `${CMD}WORKDIR /app\nCOPY *.sln NuGet.config ./\nCOPY aspnetapp/*.csproj ./aspnetapp/\nCOPY aspnetapp/*.config ./aspnetapp/\nRUN nuget restore\n`,
    // In a stage built FROM the one that copied it.
    `${CMD}FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1 AS base\nCOPY ["src/App/packages.config", "C:/src/App/"]\nFROM base AS build\nRUN nuget restore C:\\src\\App.sln\n`,
  ]) {
    assert.deepEqual(underlined(id, text), [], text);
  }
});

test('nuget restore still flagged without a packages.config hint: copied after the restore, another stage, project files only, -PackagesDirectory alone', () => {
  for (const text of [
    `${CMD}COPY . ./\nRUN nuget restore App.sln\n`,
    `${CMD}RUN nuget restore App.sln\nCOPY App/packages.config App/\n`,
    `${CMD}FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1 AS other\nCOPY App/packages.config App/\nFROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1\nRUN nuget restore App.sln\n`,
    `${CMD}COPY App/*.csproj App/web.config App/\nRUN nuget restore App.sln -PackagesDirectory packages\n`,
  ]) {
    assert.deepEqual(underlined(id, text), ['nuget restore'], text);
  }
});

test('.NET tools: dotnet tool install/update without --version; pinned, restored from a manifest, local packages not flagged', () => {
  // JanDeDobbeleer/oh-my-posh msi.yml: `dotnet tool install --global wix` in a release job.
  const text = `${POWERSHELL}RUN dotnet tool install --global wix; dotnet tool update -g dotnet-ef --add-source https://api.nuget.org/v3/index.json
RUN dotnet tool install --global wix --version 4.0.5; dotnet tool install --tool-path C:\\tools dotnet-format --version=5.1.250801
RUN dotnet tool restore; dotnet tool install --global --add-source ./nupkgs MyTool.1.0.0.nupkg; dotnet tool list -g
`;
  assert.deepEqual(underlined(id, text), ['wix', 'dotnet-ef']);
  assert.match(findings(id, text)[0]!.message, /^`dotnet tool install wix` installs whatever version is newest at build time; pin it: `--version <x\.y\.z>`\.$/);
});

test('pip from a VCS URL: a branch, a tag or no ref is flagged, a full commit is not; pypy3 -m pip; pipx install', () => {
  const commit = 'a'.repeat(40);
  const text = `${POWERSHELL}RUN python -m pip install git+https://github.com/jaraco/jaraco.windows@feature/dockerfile-compiler
RUN pip install "git+ssh://git@github.com/org/tool.git@v1.2#egg=tool" git+https://github.com/org/other git+https://github.com/org/pinned@${commit}#egg=pinned
RUN pypy3 -m pip install -U pip
RUN pipx install tox; pipx install --python python3.12 httpie==3.2.2; pipx install black
`;
  assert.deepEqual(underlined(id, text), [
    'git+https://github.com/jaraco/jaraco.windows@feature/dockerfile-compiler',
    '"git+ssh://git@github.com/org/tool.git@v1.2#egg=tool"', 'git+https://github.com/org/other',
    'pip', 'tox', 'black',
  ]);
  const all = findings(id, text);
  // Long URLs are cut in the message (excerpt); the range covers the whole requirement.
  assert.equal(all[0]!.message, '`pip install git+https://github.com/jaraco/jaraco.wi…` installs whatever commit `feature/dockerfile-compiler` points to at build time; pin it to a full commit: `@<40-hex SHA>`.');
  assert.match(all[1]!.message, /installs whatever commit `v1\.2` points to at build time/);
  assert.match(all[2]!.message, /installs whatever the default branch holds at build time/);
  assert.equal(all[3]!.message, '`pip install pip` installs whatever version is newest at build time; pin it: `pip==<x.y.z>`.');
  assert.equal(all[4]!.message, '`pipx install tox` installs whatever version is newest at build time; pin it: `tox==<x.y.z>`.');
});

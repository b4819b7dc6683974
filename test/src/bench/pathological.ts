// Pathological Dockerfiles for section 5: generated, deterministic, each far outside what people write,
// to show whether any step grows faster than the input.

export interface PathologicalCase {
  name: string;
  description: string;
  make: () => string;
}

function runOf50kBashLines(): string {
  const lines = ['FROM debian:bookworm-slim', 'RUN set -eux; \\'];
  for (let i = 0; i < 50_000; i++) {
    switch (i % 3) {
      case 0: lines.push(`    echo "step ${i}" >> /var/log/build.log; \\`); break;
      case 1: lines.push(`    mkdir -p /opt/app/part${i} && chmod 0755 /opt/app/part${i}; \\`); break;
      default: lines.push(`    test -d /opt/app/part${i - 1} || exit ${i % 250}; \\`); break;
    }
  }
  lines.push('    true', '');
  return lines.join('\n');
}

function runOf50kPowerShellLines(): string {
  const lines = [
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]',
    'RUN $log = \'C:\\build.log\'; `',
  ];
  for (let i = 0; i < 50_000; i++) {
    switch (i % 3) {
      case 0: lines.push(`    Add-Content -Path $log -Value ('step {0}' -f ${i}); \``); break;
      case 1: lines.push(`    New-Item -ItemType Directory -Force -Path C:\\app\\part${i} | Out-Null; \``); break;
      default: lines.push(`    if (-not (Test-Path C:\\app\\part${i - 1})) { exit ${i % 250} }; \``); break;
    }
  }
  lines.push("    Write-Host 'done'", '');
  return lines.join('\n');
}

function tenThousandStages(): string {
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    if (i % 2 === 0) {
      lines.push(`FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS s${i}`);
      if (i > 0) lines.push(`COPY --from=s${i - 1} C:/app C:/app`);
    } else {
      lines.push(`FROM s${i - 1} AS s${i}`);
    }
    lines.push(`RUN powershell -Command "New-Item -ItemType Directory -Force -Path C:/app/s${i}"`);
  }
  lines.push('');
  return lines.join('\n');
}

function oneMegabyteLine(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 1024 * 1024; i++) {
    const part = `echo ${i} >> /tmp/out`;
    parts.push(part);
    size += part.length + 4;
  }
  return `FROM debian:bookworm-slim\nRUN ${parts.join(' && ')}\n`;
}

export const PATHOLOGICAL_CASES: PathologicalCase[] = [
  { name: 'run-50k-bash', description: 'RUN of 50,000 continuation lines (bash)', make: runOf50kBashLines },
  { name: 'run-50k-powershell', description: 'RUN of 50,000 continuation lines (PowerShell, escape=`)', make: runOf50kPowerShellLines },
  { name: 'stages-10k', description: '10,000 stages (FROM … AS, COPY --from, FROM <stage>)', make: tenThousandStages },
  { name: 'line-1mb', description: '1 MB single line (RUN a && b && …)', make: oneMegabyteLine },
];

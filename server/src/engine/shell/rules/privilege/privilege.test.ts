import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../../testing';

const WINDOWS = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\n';
const POWERSHELL = `${WINDOWS}SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]\n`;

test('local-user-with-password: net user and New-LocalUser with literal passwords (cmd, PowerShell, multi-line)', () => {
  const cmd = `${WINDOWS}RUN net user app P@ssw0rd! /add && net user svc %SVC_PASSWORD% /add\n`;
  assert.deepEqual(findingsOf('local-user-with-password', cmd).map((f) => textAt(cmd, f.range)), ['P@ssw0rd!']);
  const ps = POWERSHELL + "RUN New-LocalUser -Name app `\n      -Password (ConvertTo-SecureString 'S3cret!' -AsPlainText -Force) `\n      -PasswordNeverExpires\n";
  const [finding] = findingsOf('local-user-with-password', ps);
  assert.equal(textAt(ps, finding!.range), "'S3cret!'");
  assert.match(finding!.message, /account `app`/);
  const wrapped = `${WINDOWS}RUN powershell -Command "net user app 'Hunter2' /add"\n`;
  assert.equal(findingsOf('local-user-with-password', wrapped).length, 1);
});

test('local-user-with-password: references and prompts are not literals', () => {
  for (const text of [
    `${WINDOWS}RUN net user app * /add\n`,
    `${WINDOWS}RUN net user app %PASSWORD% /add\n`,
    `${POWERSHELL}RUN New-LocalUser -Name app -Password (ConvertTo-SecureString $env:APP_PASSWORD -AsPlainText -Force)\n`,
    `${POWERSHELL}RUN New-LocalUser -Name app -NoPassword\n`,
    `${WINDOWS}RUN net user app /delete\n`,
  ]) assert.deepEqual(findingsOf('local-user-with-password', text), [], text);
});

test('user-added-to-administrators: net localgroup, Add-LocalGroupMember, usermod -aG sudo', () => {
  const cmd = `${WINDOWS}RUN net localgroup Administrators app /add\n`;
  assert.equal(textAt(cmd, findingsOf('user-added-to-administrators', cmd)[0]!.range), 'Administrators');
  const ps = `${POWERSHELL}RUN Add-LocalGroupMember -Group 'Administrators' -Member app\n`;
  assert.equal(findingsOf('user-added-to-administrators', ps).length, 1);
  const linux = 'FROM debian:12\nRUN useradd app && usermod -aG sudo app\n';
  assert.equal(textAt(linux, findingsOf('user-added-to-administrators', linux)[0]!.range), 'sudo');
  for (const text of [
    `${WINDOWS}RUN net localgroup Users app /add\n`,
    `${POWERSHELL}RUN Add-LocalGroupMember -Group 'Remote Desktop Users' -Member app\n`,
    'FROM debian:12\nRUN usermod -aG docker app\n',
  ]) assert.deepEqual(findingsOf('user-added-to-administrators', text), [], text);
});

test('secret-in-run: credential-shaped values and literal values of credential parameters', () => {
  const text = `${WINDOWS}RUN nuget push pkg.nupkg -ApiKey oy2abcdefghijklmnopqrstuvwxyz0123456789abcdefg -Source https://api.nuget.org/v3/index.json\n`;
  const [finding] = findingsOf('secret-in-run', text);
  assert.match(finding!.message, /NuGet API key/);
  assert.match(finding!.message, /RUN --mount=type=secret/);
  const ps = `${POWERSHELL}RUN docker login -u bot --password Winter2026! registry.example.com; msbuild /p:Password=Hunter2\n`;
  assert.deepEqual(findingsOf('secret-in-run', ps).map((f) => textAt(ps, f.range)), ['Winter2026!', '/p:Password=Hunter2']);
  for (const safe of [
    `${POWERSHELL}RUN nuget push pkg.nupkg -ApiKey $env:NUGET_API_KEY\n`,
    `${WINDOWS}RUN nuget push pkg.nupkg -ApiKey %NUGET_API_KEY%\n`,
    'FROM alpine\nRUN echo "$TOKEN" | docker login --password-stdin\n',
    `${POWERSHELL}RUN $ErrorActionPreference = 'Stop'; Write-Host token\n`,
  ]) assert.deepEqual(findingsOf('secret-in-run', safe), [], safe);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../text';
import { findingsOf, textAt } from '../../testing';

const id = 'privileged-user';

test('Server Core without USER runs as ContainerAdministrator; fix inserts USER before CMD', () => {
  const text = [
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025',
    'RUN powershell -Command Install-WindowsFeature Web-Server',
    '# start the app',
    'CMD ["app.exe"]',
    '',
  ].join('\n');
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'mcr.microsoft.com/windows/servercore:ltsc2025');
  assert.match(finding!.message, /ContainerAdministrator/);
  const fix = finding!.fixes[0]!;
  assert.equal(fix.safeForFixAll, true);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('# start the app', 'USER ContainerUser\n# start the app'));
  assert.deepEqual(findingsOf(id, fixed), []);
});

test('explicit USER ContainerAdministrator and root are flagged on the user name', () => {
  const windows = 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025\nUSER ContainerAdministrator\n';
  const [w] = findingsOf(id, windows);
  assert.equal(textAt(windows, w!.range), 'ContainerAdministrator');
  const fixed = applyEdits(windows, w!.fixes[0]!.edits);
  assert.equal(fixed, windows.replace('ContainerAdministrator\n', 'ContainerAdministrator\nUSER ContainerUser\n'));
  for (const user of ['root', '0', 'root:root', '0:0', 'ROOT']) {
    const linux = `FROM debian:12\nUSER ${user}\n`;
    const [l] = findingsOf(id, linux);
    assert.equal(textAt(linux, l!.range), user, user);
    assert.equal(l!.fixes.filter((f) => f.safeForFixAll).length, 0, 'no automatic fix without a known non-root user');
  }
});

test('USER is inherited from a parent stage and through .NET Framework images', () => {
  const text = 'FROM mcr.microsoft.com/dotnet/framework/runtime:4.8.1 AS base\nUSER ContainerAdministrator\nFROM base AS final\nCMD app.exe\n';
  const [finding] = findingsOf(id, text);
  assert.match(finding!.message, /inherits `USER ContainerAdministrator` from stage `base`/);
});

test('only the final stage counts, and a later non-admin USER wins', () => {
  for (const text of [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS build\nRUN build.cmd\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025\nCOPY --from=build C:/app C:/app\n',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nUSER ContainerAdministrator\nRUN setup.exe\nUSER ContainerUser\n',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025\n',
    'FROM debian:12\n',
    'FROM myregistry.example.com/base:1\n',
    'FROM \n',
  ]) {
    assert.deepEqual(findingsOf(id, text), [], text);
  }
});

test('IIS ServiceMonitor images are flagged without an automatic fix', () => {
  const text = 'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2025\nCOPY site C:/inetpub/wwwroot\n';
  const [finding] = findingsOf(id, text);
  assert.match(finding!.message, /ServiceMonitor/);
  assert.equal(finding!.fixes.filter((f) => f.safeForFixAll).length, 0);
});

test('fix appends at the end of the stage when there is no CMD/ENTRYPOINT, keeping CRLF', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\r\nRUN echo hi\r\n';
  const [finding] = findingsOf(id, text);
  assert.equal(applyEdits(text, finding!.fixes[0]!.edits), 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\r\nRUN echo hi\r\nUSER ContainerUser\r\n');
});

test('an account the Dockerfile creates is offered as a second, non-automatic fix; administrators are not', () => {
  const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN net user app /add && net user ops /add && net localgroup Administrators ops /add\nCMD ["app.exe"]\n';
  const [finding] = findingsOf(id, text);
  const titles = finding!.fixes.map((f) => `${f.title}${f.safeForFixAll ? ' (fix-all)' : ''}`);
  assert.deepEqual(titles.slice(0, 2), ['Run the final stage as ContainerUser (fix-all)', 'Run the final stage as app']);
  assert.equal(applyEdits(text, finding!.fixes[1]!.edits), text.replace('CMD', 'USER app\nCMD'));
});

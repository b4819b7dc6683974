import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../text';
import { findingsOf, textAt } from '../../testing';

const id = 'privileged-user';

test('Server Core without USER runs as ContainerAdministrator; the quick fix inserts USER above the comment of CMD', () => {
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
  // Switching the user changes what the container may do: a quick fix a person chooses, never fix-all.
  assert.equal(fix.safeForFixAll, false);
  assert.equal(fix.preferred, true);
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

test('a service that needs an administrator is named, at info, with the least-privileged alternative that exists', () => {
  const cases: Array<[string, RegExp, boolean]> = [
    // IIS: the ASP.NET image's own ENTRYPOINT is ServiceMonitor; a CMD only passes arguments to it.
    ['FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2025\nCOPY site C:/inetpub/wwwroot\n', /IIS ServiceMonitor needs it; keep the application pools/, false],
    ['FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\nCMD ["cmd"]\n', /IIS ServiceMonitor/, false],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dism /online /enable-feature /all /featurename:IIS-WebServer\nENTRYPOINT ["C:\\\\LogMonitor\\\\LogMonitor.exe", "C:\\\\ServiceMonitor.exe", "w3svc"]\n', /IIS ServiceMonitor/, false],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD Start-Process -NoNewWindow -FilePath C:\\ServiceMonitor.exe -ArgumentList w3svc\n', /IIS ServiceMonitor/, false],
    // SQL Server images start through start.ps1 with -sa_password.
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2019\nCMD .\\start -sa_password $env:sa_password -ACCEPT_EULA $env:ACCEPT_EULA\n', /SQL Server's start script needs it/, false],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT ["C:\\\\Program Files\\\\Microsoft SQL Server\\\\MSSQL\\\\Binn\\\\sqlservr.exe"]\n', /SQL Server/, false],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["powershell", "-Command", "Start-Service", "sshd"]\n', /sshd needs it/, false],
    ['FROM jenkins/ssh-agent:jdk17-windowsservercore-ltsc2019\nRUN echo hi\n', /sshd/, false],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT [ "cmd", "/C", "C:\\\\jenkins-agent.cmd" ]\n', /the Jenkins agent needs it only if its jobs install software/, true],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT ["/portainer.exe"]\n', /Docker engine's named pipe/, false],
  ];
  for (const [text, message, offersContainerUser] of cases) {
    const findings = findingsOf(id, text);
    assert.equal(findings.length, 1, text);
    assert.match(findings[0]!.message, message, text);
    assert.equal(findings[0]!.severity, 'info', text);
    assert.equal(findings[0]!.fixes.some((f) => f.title === 'Run the final stage as ContainerUser'), offersContainerUser, text);
    assert.ok(findings[0]!.message.length <= 200, findings[0]!.message);
  }
});

test('an ordinary process is no service: a warning with the ContainerUser quick fix', () => {
  for (const text of [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT java -jar C:\\jenkins\\jenkins.war\n',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["mongod", "--bind_ip_all"]\n',
    // The CMD of the final stage replaces the parent's; the parent's ServiceMonitor CMD does not run.
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base\nCMD C:\\ServiceMonitor.exe w3svc\nFROM base\nCMD ["app.exe"]\n',
  ]) {
    const [finding, ...rest] = findingsOf(id, text);
    assert.equal(rest.length, 0, text);
    assert.equal(finding!.severity, 'warning', text);
    assert.match(finding!.message, /end it with `USER ContainerUser`/, text);
    assert.ok(finding!.fixes.some((f) => f.title === 'Run the final stage as ContainerUser'), text);
  }
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
  assert.deepEqual(titles.slice(0, 2), ['Run the final stage as ContainerUser', 'Run the final stage as app']);
  assert.equal(applyEdits(text, finding!.fixes[1]!.edits), text.replace('CMD', 'USER app\nCMD'));
});

test('an image outside the catalog, Windows by its tag: its default user is an assumption and the message says so', () => {
  const golang = findingsOf('privileged-user', 'FROM golang:1.22-windowsservercore-ltsc2022\nRUN go version\n');
  assert.equal(golang[0]!.message, 'The final stage sets no USER, so it runs as `ContainerAdministrator` unless `golang` sets another; end it with `USER ContainerUser` after the setup steps.');
  // Through a stage built FROM it, the repository named is still the image's.
  const staged = findingsOf('privileged-user', 'FROM jenkins/inbound-agent:jdk17-nanoserver-ltsc2022 AS base\nUSER ContainerAdministrator\nFROM base\n');
  assert.equal(staged.length, 1);
  assert.doesNotMatch(staged[0]!.message, /unless/);
  // A catalog image's default user is a fact: no hedge.
  const catalog = findingsOf('privileged-user', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo hi\n');
  assert.equal(catalog[0]!.message, 'The final stage sets no USER, so it runs as `ContainerAdministrator`; end it with `USER ContainerUser` after the setup steps.');
});

test('a stage that installs the SQL Server engine runs SQL Server: info, whatever its start script is called', () => {
  const text = [
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'SHELL ["powershell", "-Command"]',
    "RUN .\\setup\\setup.exe /q /ACTION=Install /INSTANCENAME=MSSQLSERVER /FEATURES=SQLEngine /SQLSVCACCOUNT='NT AUTHORITY\\NETWORK SERVICE' /IACCEPTSQLSERVERLICENSETERMS",
    'CMD .\\start -Verbose',
    '',
  ].join('\n');
  const findings = findingsOf('privileged-user', text);
  assert.equal(findings[0]!.severity, 'info');
  assert.match(findings[0]!.message, /SQL Server's start script needs it/);
  // Other features alone (the client tools) are no running service.
  assert.equal(findingsOf('privileged-user', text.replace('SQLEngine', 'Tools'))[0]!.severity, 'warning');
});

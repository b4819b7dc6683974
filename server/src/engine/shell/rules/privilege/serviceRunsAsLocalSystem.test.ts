import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../../testing';
import { github, pipelineFindings, underlinedIn } from '../pipelineFixtures';

const id = 'service-runs-as-localsystem';
const WINDOWS = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n';
const POWERSHELL = `${WINDOWS}SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]\n`;

function underlined(text: string): string[] {
  return findingsOf(id, text).map((finding) => textAt(text, finding.range));
}

test('SQL Server setup with a LocalSystem service account, in PowerShell and cmd, every spelling', () => {
  const ps = `${POWERSHELL}RUN .\\setup\\setup.exe /q /ACTION=Install /INSTANCENAME=SQLEXPRESS /FEATURES=SQLEngine /SQLSVCACCOUNT='NT AUTHORITY\\System' \`
        /SQLSYSADMINACCOUNTS='BUILTIN\\ADMINISTRATORS' /TCPENABLED=1 /IACCEPTSQLSERVERLICENSETERMS
`;
  const [finding, ...rest] = findingsOf(id, ps);
  assert.equal(rest.length, 0);
  assert.equal(textAt(ps, finding!.range), "/SQLSVCACCOUNT='NT AUTHORITY\\System'");
  assert.equal(finding!.severity, 'warning');
  assert.match(finding!.message, /^SQL Server setup runs its service as LocalSystem \(`\/SQLSVCACCOUNT`\); use `NT AUTHORITY\\NETWORK SERVICE`/);
  assert.ok(finding!.message.length <= 160, finding!.message);
  const cmd = `${WINDOWS}RUN setup.exe /q /ACTION=Install /SQLSVCACCOUNT="NT AUTHORITY\\SYSTEM" /AGTSVCACCOUNT=LocalSystem /RSSVCACCOUNT=.\\LocalSystem\n`;
  assert.deepEqual(underlined(cmd), ['/SQLSVCACCOUNT="NT AUTHORITY\\SYSTEM"', '/AGTSVCACCOUNT=LocalSystem', '/RSSVCACCOUNT=.\\LocalSystem']);
  const started = `${POWERSHELL}RUN Start-Process C:\\setup\\setup.exe -Wait -ArgumentList '/q', '/SQLSVCACCOUNT=NT AUTHORITY\\System'\n`;
  assert.deepEqual(underlined(started), ["'/SQLSVCACCOUNT=NT AUTHORITY\\System'"]);
});

test('IIS application pools as LocalSystem: appcmd, Set-ItemProperty (name and 0), Set-WebConfigurationProperty', () => {
  const ps = `${POWERSHELL}RUN Import-Module WebAdministration; \`
    Set-ItemProperty IIS:\\AppPools\\DefaultAppPool -Name processModel.identityType -Value LocalSystem; \`
    Set-ItemProperty -Path 'IIS:\\AppPools\\Api' -Name processModel.identityType -Value 0; \`
    Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.applicationHost/applicationPools/add[@name='Web']/processModel" -Name identityType -Value LocalSystem; \`
    Set-WebConfigurationProperty -Filter system.applicationHost/applicationPools/applicationPoolDefaults -Name processModel.identityType -Value 'LocalSystem'
`;
  const findings = findingsOf(id, ps);
  assert.deepEqual(findings.map((f) => textAt(ps, f.range)), ['LocalSystem', '0', 'LocalSystem', "'LocalSystem'"]);
  assert.match(findings[0]!.message, /^The IIS application pool runs as LocalSystem \(`identityType`\); keep `ApplicationPoolIdentity`/);
  const cmd = `${WINDOWS}RUN %windir%\\system32\\inetsrv\\appcmd.exe set apppool DefaultAppPool /processModel.identityType:LocalSystem && ` +
    `C:\\Windows\\System32\\inetsrv\\appcmd set config /section:applicationPools /[name='Api'].processModel.identityType:0\n`;
  assert.deepEqual(underlined(cmd), ['/processModel.identityType:LocalSystem', "/[name='Api'].processModel.identityType:0"]);
});

test('sc.exe config/create obj= LocalSystem (cmd and PowerShell), and the default account of sc create and New-Service as info', () => {
  const cmd = `${WINDOWS}RUN sc config MyService obj= LocalSystem && sc create Agent binPath= C:\\agent\\agent.exe obj= ".\\LocalSystem" start= auto\n`;
  const findings = findingsOf(id, cmd);
  assert.deepEqual(findings.map((f) => textAt(cmd, f.range)), ['obj= LocalSystem', 'obj= ".\\LocalSystem"']);
  assert.match(findings[0]!.message, /^`sc config` runs the service as LocalSystem; use `obj= "NT AUTHORITY\\NetworkService"`/);
  const ps = `${POWERSHELL}RUN sc.exe config MyService obj= 'NT AUTHORITY\\System'\n`;
  assert.deepEqual(underlined(ps), ["obj= 'NT AUTHORITY\\System'"]);
  const defaults = `${POWERSHELL}RUN New-Service -Name Worker -BinaryPathName C:\\app\\worker.exe -StartupType Automatic; sc.exe create Agent binPath= C:\\agent.exe\n`;
  const info = findingsOf(id, defaults);
  assert.deepEqual(info.map((f) => [textAt(defaults, f.range), f.severity]), [['New-Service', 'info'], ['create', 'info']]);
  assert.match(info[0]!.message, /^`New-Service` without `-Credential` runs the service as LocalSystem; pass `-Credential`/);
});

test('not flagged: NetworkService, ApplicationPoolIdentity, virtual accounts, New-Service -Credential, PowerShell sc (Set-Content)', () => {
  for (const text of [
    `${POWERSHELL}RUN .\\setup\\setup.exe /q /ACTION=Install /SQLSVCACCOUNT='NT AUTHORITY\\NETWORK SERVICE' /AGTSVCACCOUNT='NT Service\\SQLAgent$SQLEXPRESS' /SQLSYSADMINACCOUNTS='BUILTIN\\ADMINISTRATORS'\n`,
    `${POWERSHELL}RUN Set-ItemProperty IIS:\\AppPools\\DefaultAppPool -Name processModel.identityType -Value ApplicationPoolIdentity; \`
    Set-ItemProperty IIS:\\AppPools\\Api -Name processModel.identityType -Value NetworkService; \`
    Set-ItemProperty IIS:\\AppPools\\Other -Name processModel.identityType -Value 4; \`
    Set-ItemProperty HKLM:\\SOFTWARE\\X -Name identityType -Value 0; \`
    Set-WebConfigurationProperty -Filter "system.applicationHost/applicationPools/add[@name='Web']/processModel" -Name identityType -Value NetworkService
`,
    `${WINDOWS}RUN appcmd set apppool DefaultAppPool /processModel.identityType:NetworkService && sc config MyService obj= "NT SERVICE\\MyService" && sc config w3svc start= demand\n`,
    `${WINDOWS}RUN sc create Agent binPath= C:\\agent.exe obj= "NT AUTHORITY\\NetworkService"\n`,
    `${POWERSHELL}RUN New-Service -Name Worker -BinaryPathName C:\\app\\worker.exe -Credential $credential; sc config.txt 'obj= LocalSystem'\n`,
  ]) {
    assert.deepEqual(underlined(text), [], text);
  }
});

test('pipeline steps: the same checks on a Windows runner', () => {
  const pipeline = github('windows-latest', [['sc.exe config MyService obj= LocalSystem']]);
  assert.deepEqual(underlinedIn(id, pipeline), ['obj= LocalSystem']);
  assert.equal(pipelineFindings(id, github('windows-latest', [['sc.exe config MyService obj= NetworkService']])).length, 0);
});

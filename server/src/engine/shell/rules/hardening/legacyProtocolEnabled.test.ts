import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CMD, findings, POWERSHELL, underlined } from './testSupport';

const id = 'legacy-protocol-enabled';

test('SMB1 in PowerShell: optional feature (arrays too), server feature, SMB server configuration', () => {
  const text = `${POWERSHELL}RUN Enable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol, SMB1Protocol-Client -All -NoRestart; \`
    Install-WindowsFeature FS-SMB1; \`
    Set-SmbServerConfiguration -EnableSMB1Protocol $true -Force
`;
  assert.deepEqual(underlined(id, text), ['SMB1Protocol', 'SMB1Protocol-Client', 'FS-SMB1', '-EnableSMB1Protocol $true']);
  assert.equal(findings(id, text)[0]!.severity, 'warning');
});

test('SMB1 in cmd: dism /enable-feature and the LanmanServer registry value', () => {
  const text = `${CMD}RUN dism /online /enable-feature /featurename:SMB1Protocol /all /norestart
RUN reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters /v SMB1 /t REG_DWORD /d 1 /f
`;
  assert.deepEqual(underlined(id, text), ['/featurename:SMB1Protocol', 'SMB1 /t REG_DWORD /d 1']);
});

test('forcing SSL 3.0 / TLS 1.0 / TLS 1.1: enum members, strings, numbers, combinations without TLS 1.2', () => {
  const text = `${POWERSHELL}RUN [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls; \`
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.SecurityProtocolType]::Ssl3 -bor [System.Net.SecurityProtocolType]::Tls11; \`
    [Net.ServicePointManager]::SecurityProtocol = 'Tls11'; \`
    [Net.ServicePointManager]::SecurityProtocol = 192
`;
  assert.deepEqual(underlined(id, text), ['[Net.SecurityProtocolType]::Tls', '[System.Net.SecurityProtocolType]::Ssl3', "'Tls11'", '192']);
  assert.match(findings(id, text)[1]!.message, /SSL 3\.0 \/ TLS 1\.1/);
});

test('cmd: a powershell -Command wrapper forcing TLS 1.0', () => {
  const text = `${CMD}RUN powershell -Command "[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls; iwr https://example.com/a -OutFile a"\n`;
  assert.deepEqual(underlined(id, text), ['[Net.SecurityProtocolType]::Tls']);
});

test('SCHANNEL: enabling SSL 3.0 / TLS 1.0 by registry (Enabled non-zero, DisabledByDefault 0)', () => {
  const text = `${POWERSHELL}RUN New-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server' -Name Enabled -Value 1 -PropertyType DWord; \`
    New-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Client' -Name DisabledByDefault -Value 0 -PropertyType DWord
RUN reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 3.0\\Server" /v Enabled /t REG_DWORD /d 0xffffffff /f
`;
  assert.deepEqual(underlined(id, text), ['Enabled -Value 1', 'DisabledByDefault -Value 0', 'Enabled /t REG_DWORD /d 0xffffffff']);
});

test('not flagged: TLS 1.2 forcing (every spelling in the corpus), combinations with TLS 1.2/1.3, keeping the current value, SMB1 off', () => {
  for (const text of [
    `${POWERSHELL}RUN [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; \`
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12; \`
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; \`
    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls11 -bor [Net.SecurityProtocolType]::Tls12; \`
    [Net.ServicePointManager]::SecurityProtocol = 'Tls, Tls11, Tls12'; \`
    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12, [Net.SecurityProtocolType]::Tls13; \`
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls11; \`
    [Net.ServicePointManager]::SecurityProtocol = $protocols; \`
    $ErrorActionPreference = 'Stop'; Write-Host 'Tls'
`,
    `${POWERSHELL}RUN Disable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol; Uninstall-WindowsFeature FS-SMB1; \`
    Enable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol-Deprecation; Set-SmbServerConfiguration -EnableSMB1Protocol $false -Force; \`
    New-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server' -Name Enabled -Value 1; \`
    New-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server' -Name Enabled -Value 0
`,
    `${CMD}RUN dism /online /disable-feature /featurename:SMB1Protocol && dism /online /enable-feature /featurename:IIS-WebServer\n`,
  ]) {
    assert.deepEqual(underlined(id, text), [], text);
  }
});

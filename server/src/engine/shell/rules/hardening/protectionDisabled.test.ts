import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CMD, findings, POWERSHELL, underlined } from './testSupport';

const id = 'protection-disabled';

test('Defender: Set-MpPreference -Disable* with $true/1/-Name:$true and aliases; whole-drive exclusions', () => {
  const text = `${POWERSHELL}RUN Set-MpPreference -DisableRealtimeMonitoring $true -DisableIOAVProtection:$true; \`
    Set-MpPreference -drtm 1 -DisableBehaviorMonitoring $false; \`
    Add-MpPreference -ExclusionPath 'C:\\', D:, 'C:\\app'; \`
    Set-MpPreference -ExclusionPath @('C:\\*')
`;
  assert.deepEqual(underlined(id, text), [
    '-DisableRealtimeMonitoring $true', '-DisableIOAVProtection:$true', '-drtm 1', "'C:\\'", 'D:', "'C:\\*'",
  ]);
  assert.equal(findings(id, text)[0]!.severity, 'warning');
});

test('firewall: Set-NetFirewallProfile -Enabled False/$false/0, netsh advfirewall in cmd and PowerShell', () => {
  const text = `${POWERSHELL}RUN Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled False; \`
    Set-NetFirewallProfile -All -Enabled:$false; \`
    netsh advfirewall set allprofiles state off
FROM mcr.microsoft.com/windows/servercore:ltsc2025
RUN netsh advfirewall set publicprofile state off && netsh firewall set opmode disable
`;
  assert.deepEqual(underlined(id, text), ['-Enabled False', '-Enabled:$false', 'allprofiles state off', 'publicprofile state off', 'opmode disable']);
});

test('UAC and Defender policy through reg add (cmd) and Set-/New-ItemProperty (PowerShell)', () => {
  const text = `${CMD}RUN reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System" /v EnableLUA /t REG_DWORD /d 0 /f
RUN reg.exe add "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender" /v DisableAntiSpyware /t REG_DWORD /d 1 /f
SHELL ["powershell", "-Command"]
RUN Set-ItemProperty -Path HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System -Name EnableLUA -Value 0
RUN New-ItemProperty 'Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection' -Name DisableRealtimeMonitoring -Value 1 -PropertyType DWord -Force
`;
  assert.deepEqual(underlined(id, text), [
    'EnableLUA /t REG_DWORD /d 0', 'DisableAntiSpyware /t REG_DWORD /d 1', 'EnableLUA -Value 0', 'DisableRealtimeMonitoring -Value 1',
  ]);
  assert.match(findings(id, text)[0]!.message, /User Account Control/);
});

test('execution policy: machine-wide Bypass/Unrestricted, positional or named, in a cmd powershell wrapper too', () => {
  const text = `${POWERSHELL}RUN Set-ExecutionPolicy Unrestricted -Force; \`
    Set-ExecutionPolicy -ExecutionPolicy Bypass -Scope LocalMachine
FROM mcr.microsoft.com/windows/servercore:ltsc2025
RUN powershell -Command "Set-ExecutionPolicy Bypass -Force; choco --version"
RUN reg add HKLM\\SOFTWARE\\Microsoft\\PowerShell\\1\\ShellIds\\Microsoft.PowerShell /v ExecutionPolicy /t REG_SZ /d Unrestricted /f
RUN ["powershell", "-Command", "Set-ExecutionPolicy -ExecutionPolicy:Unrestricted"]
`;
  assert.deepEqual(underlined(id, text), ['Unrestricted', 'Bypass', 'Bypass', 'ExecutionPolicy /t REG_SZ /d Unrestricted', 'Unrestricted']);
  assert.match(findings(id, text)[0]!.message, /-Scope Process/);
});

test('Defender removal: Uninstall-WindowsFeature and dism /disable-feature', () => {
  const text = `${POWERSHELL}RUN Uninstall-WindowsFeature -Name Windows-Defender
FROM mcr.microsoft.com/windows/servercore:ltsc2025
RUN dism /online /disable-feature /featurename:Windows-Defender /norestart
`;
  assert.deepEqual(underlined(id, text), ['Windows-Defender', '/featurename:Windows-Defender']);
});

test('not flagged: process-scoped execution policy, protections switched on, harmless Defender settings, folder exclusions', () => {
  for (const text of [
    // The pattern of the chocolatey install docs (11 corpus files): scoped to this PowerShell process.
    `${POWERSHELL}RUN Set-ExecutionPolicy Bypass -Scope Process -Force; \`
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; \`
    $ErrorActionPreference = 'Stop'; Set-ExecutionPolicy RemoteSigned; Set-ExecutionPolicy -ExecutionPolicy Bypass -Scope $scope
`,
    // `powershell -ExecutionPolicy Bypass` affects only that process.
    `${CMD}RUN powershell -NoProfile -ExecutionPolicy Bypass -File C:\\setup.ps1 && powershell -ep Unrestricted -Command "Write-Host hi"\n`,
    `${POWERSHELL}RUN Set-MpPreference -DisableRealtimeMonitoring $false -DisableAutoExclusions $true -DisableCatchupFullScan $true -DisablePrivacyMode 1; \`
    Add-MpPreference -ExclusionPath 'C:\\BuildAgent\\_work', $env:TEMP; \`
    Set-NetFirewallProfile -Enabled True; netsh advfirewall set allprofiles state on; netsh advfirewall show allprofiles
`,
    `${CMD}RUN reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System" /v EnableLUA /t REG_DWORD /d 1 /f && reg add HKLM\\SOFTWARE\\Other /v EnableLUA /d 0\n`,
    `${POWERSHELL}RUN Set-ItemProperty -Path $key -Name EnableLUA -Value 0; Install-WindowsFeature Web-Server; Write-Output 'Set-MpPreference -DisableRealtimeMonitoring $true'\n`,
  ]) {
    assert.deepEqual(underlined(id, text), [], text);
  }
});

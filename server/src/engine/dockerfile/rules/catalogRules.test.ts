// The base-image catalog rules, on the pinned review date and with the clock moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../text';
import { findingsOf, textAt } from '../../testing';

const at = (date: string) => new Date(`${date}T12:00:00Z`);

test('deprecated-image-name: every retired name maps to its MCR name; a kept tag is a safe fix', () => {
  const cases: Array<[string, string, boolean]> = [
    ['microsoft/windowsservercore:ltsc2016', 'mcr.microsoft.com/windows/servercore:ltsc2016', true],
    ['microsoft/windowsservercore', 'mcr.microsoft.com/windows/servercore:ltsc2025', false],
    ['microsoft/nanoserver:1809', 'mcr.microsoft.com/windows/nanoserver:1809', true],
    ['microsoft/nanoserver:sac2016', 'mcr.microsoft.com/windows/nanoserver:sac2016', true],
    ['microsoft/dotnet-framework:4.8-runtime-windowsservercore-ltsc2019', 'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2019', true],
    // The rename keeps the Windows release the file asked for (a Server 2019 host cannot run ltsc2025 process-isolated).
    ['microsoft/dotnet-framework:4.7.2-sdk-windowsservercore-ltsc2019', 'mcr.microsoft.com/dotnet/framework/sdk:4.7.2-windowsservercore-ltsc2019', true],
    ['microsoft/aspnet:4.7.2-windowsservercore-ltsc2016', 'mcr.microsoft.com/dotnet/framework/aspnet:4.7.2-windowsservercore-ltsc2016', true],
    ['microsoft/dotnet-framework:4.7.2-sdk-windowsservercore-1803', 'mcr.microsoft.com/dotnet/framework/sdk:4.7.2-windowsservercore-1803', true],
    ['microsoft/aspnet:4.7.1-windowsservercore-1709', 'mcr.microsoft.com/dotnet/framework/aspnet:4.7.1-windowsservercore-1709', true],
    ['microsoft/aspnet:4.7.1', 'mcr.microsoft.com/dotnet/framework/aspnet:4.7.1', true],
    ['microsoft/aspnet:windowsservercore-10.0.14393.1066', 'mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2016', false],
    ['microsoft/wcf:4.8-windowsservercore-ltsc2019', 'mcr.microsoft.com/dotnet/framework/wcf:4.8-windowsservercore-ltsc2019', true],
    ['microsoft/dotnet:2.1-sdk-nanoserver-1809', 'mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2025', false],
    ['microsoft/dotnet:2.1-aspnetcore-runtime-nanoserver-1809', 'mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2025', false],
    ['mcr.microsoft.com/dotnet/core/aspnet:3.1-nanoserver-1809', 'mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2025', false],
    ['docker.io/microsoft/windowsservercore:1809', 'mcr.microsoft.com/windows/servercore:1809', true],
  ];
  for (const [written, expected, safe] of cases) {
    const text = `FROM ${written} AS app\n`;
    const [finding, ...rest] = findingsOf('deprecated-image-name', text);
    assert.equal(rest.length, 0, written);
    assert.equal(textAt(text, finding!.range), written);
    assert.equal(finding!.severity, 'error');
    const fix = finding!.fixes[0]!;
    assert.equal(applyEdits(text, fix.edits), `FROM ${expected} AS app\n`, written);
    assert.equal(fix.safeForFixAll, safe, written);
  }
  assert.deepEqual(findingsOf('deprecated-image-name', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nFROM microsoftx/nanoserver:1\n'), []);
});

test('nonexistent-image-tag: the names that never existed, with the real one', () => {
  const cases: Array<[string, string]> = [
    ['mcr.microsoft.com/windows:ltsc2022', 'mcr.microsoft.com/windows/server:ltsc2022'],
    ['mcr.microsoft.com/windows:ltsc2025', 'mcr.microsoft.com/windows/server:ltsc2025'],
    ['microsoft/dotnet:4.8-windowsservercore-ltsc2022', 'mcr.microsoft.com/dotnet/framework/runtime:4.8.1-windowsservercore-ltsc2022'],
    ['mcr.microsoft.com/windows/servercore', 'mcr.microsoft.com/windows/servercore:ltsc2025'],
    ['mcr.microsoft.com/windows/servercore:latest', 'mcr.microsoft.com/windows/servercore:ltsc2025'],
    ['mcr.microsoft.com/windows/nanoserver', 'mcr.microsoft.com/windows/nanoserver:ltsc2025'],
    ['mcr.microsoft.com/windows/server:latest', 'mcr.microsoft.com/windows/server:ltsc2025'],
    ['mcr.microsoft.com/windows', 'mcr.microsoft.com/windows/server:ltsc2025'],
  ];
  for (const [written, expected] of cases) {
    const text = `FROM ${written}\n`;
    const findings = findingsOf('nonexistent-image-tag', text);
    assert.equal(findings.length, 1, written);
    assert.equal(applyEdits(text, findings[0]!.fixes[0]!.edits), `FROM ${expected}\n`, written);
    assert.equal(findingsOf('deprecated-image-name', text).length, 0, `${written}: one finding per token`);
  }
});

test('nonexistent-image-tag: multi-platform .NET tags in a Windows Dockerfile only', () => {
  const windows = '# escape=`\nFROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2025\n';
  const [finding, ...rest] = findingsOf('nonexistent-image-tag', windows);
  assert.equal(rest.length, 0);
  assert.equal(textAt(windows, finding!.range), '10.0');
  assert.deepEqual(finding!.fixes.filter((f) => f.edits.length > 0 && !f.title.startsWith('Ignore')).map((f) => f.title), [
    'Use mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2025', 'Use mcr.microsoft.com/dotnet/sdk:10.0-windowsservercore-ltsc2025',
  ]);
  assert.deepEqual(findingsOf('nonexistent-image-tag', 'FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet build\n'), [], 'Linux');
});

test('eol-base-image: SAC tags, EOL .NET, removed .NET Framework tags; fixes to the recommended and host LTSC', () => {
  for (const written of [
    'mcr.microsoft.com/windows/servercore:1909', 'mcr.microsoft.com/windows/servercore:20H2', 'mcr.microsoft.com/windows/nanoserver:1803',
    'mcr.microsoft.com/windows/nanoserver:sac2016', 'mcr.microsoft.com/windows:2004', 'mcr.microsoft.com/windows/servercore:1903-KB4505903',
    'mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022', 'mcr.microsoft.com/dotnet/runtime:9.0.11-windowsservercore-ltsc2025',
    'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022', 'mcr.microsoft.com/dotnet/framework/sdk:4.7.2-windowsservercore-ltsc2019',
    'mcr.microsoft.com/dotnet/framework/aspnet:3.5-20250513-windowsservercore-ltsc2022',
  ]) {
    const findings = findingsOf('eol-base-image', `FROM ${written}\n`);
    assert.equal(findings.length, 1, written);
    assert.equal(findings[0]!.severity, 'error');
  }
  const text = 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-1809@sha256:' + 'a'.repeat(64) + '\n';
  const [finding] = findingsOf('eol-base-image', text, { settings: { windowsHost: 'ltsc2022' } });
  const titles = finding!.fixes.map((f) => f.title);
  assert.deepEqual(titles.slice(0, 2), [
    'Use mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2025 (recommended LTSC), then pin its digest again',
    'Use mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022 (your container host), then pin its digest again',
  ]);
  assert.equal(applyEdits(text, finding!.fixes[0]!.edits), 'FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2025\n');
  assert.equal(finding!.fixes.some((f) => f.safeForFixAll), false, 'changing the OS is a decision');
  assert.deepEqual(findingsOf('eol-base-image', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\n', { now: at('2026-11-09') }), [], 'before its end date');
});

test('extended-support-base-image: information with the end date, a warning in the last 90 days', () => {
  const [ltsc2022] = findingsOf('extended-support-base-image', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n');
  assert.equal(ltsc2022!.severity, 'info');
  assert.match(ltsc2022!.message, /extended support \(security fixes only\) until 2031-10-14/);
  assert.match(ltsc2022!.fixes[0]!.title, /servercore:ltsc2025 \(recommended LTSC\)/);
  const [ltsc2016] = findingsOf('extended-support-base-image', 'FROM mcr.microsoft.com/windows/servercore:ltsc2016\n');
  assert.equal(ltsc2016!.severity, 'warning');
  assert.match(ltsc2016!.message, /44 days left/);
  for (const tag of ['ltsc2019', '1809', '10.0.17763.6054']) {
    assert.equal(findingsOf('extended-support-base-image', `FROM mcr.microsoft.com/windows/servercore:${tag}\n`).length, 1, tag);
  }
  assert.deepEqual(findingsOf('extended-support-base-image', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n'), []);
  assert.deepEqual(findingsOf('extended-support-base-image', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n', { now: at('2026-10-12') }), [], 'still mainstream then');
  const configured = findingsOf('extended-support-base-image', 'FROM mcr.microsoft.com/windows/servercore:ltsc2016\n', { settings: { rules: { 'extended-support-base-image': 'hint' } } });
  assert.equal(configured[0]!.severity, 'hint', 'a configured severity wins');
});

test('windows-version-mismatch: mixed builds across stages, and the configured host', () => {
  const mixed = 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022 AS build\nFROM mcr.microsoft.com/windows/nanoserver:1809\n';
  const [finding, ...rest] = findingsOf('windows-version-mismatch', mixed);
  assert.equal(rest.length, 0);
  assert.equal(textAt(mixed, finding!.range), '4.8.1-windowsservercore-ltsc2022');
  assert.match(finding!.message, /build 20348 \(ltsc2022\) but the final stage is 17763 \(1809\); use one Windows release in every stage/);

  const host = (isolation: 'process' | 'hyperv', windowsHost: 'ltsc2019' | 'ltsc2022' | 'ltsc2025', image: string) =>
    findingsOf('windows-version-mismatch', `FROM mcr.microsoft.com/windows/servercore:${image}\n`, { settings: { windowsHost, isolation } });
  assert.match(host('process', 'ltsc2022', 'ltsc2019')[0]!.message, /0xc0370101/);
  assert.equal(host('process', 'ltsc2022', 'ltsc2019')[0]!.severity, 'error');
  assert.deepEqual(host('hyperv', 'ltsc2022', 'ltsc2019'), [], 'Hyper-V runs older images');
  assert.match(host('hyperv', 'ltsc2019', 'ltsc2022')[0]!.message, /cannot run a newer Windows image/);
  assert.deepEqual(host('process', 'ltsc2025', 'ltsc2022'), [], 'documented exception');
  assert.deepEqual(host('process', 'ltsc2022', 'ltsc2022'), []);
  assert.deepEqual(findingsOf('windows-version-mismatch', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS a\nFROM a\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025\n'), []);
});

test('untrusted-registry: strict or configured; wildcards; MCR always trusted', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nFROM node:22\nFROM myreg.azurecr.io/base:1\nFROM ghcr.io/x/y:1\n';
  assert.deepEqual(findingsOf('untrusted-registry', text).map((f) => textAt(text, f.range)), ['node:22', 'myreg.azurecr.io/base:1', 'ghcr.io/x/y:1']);
  const configured = findingsOf('untrusted-registry', text, { settings: { ruleSet: 'recommended', trustedRegistries: ['*.azurecr.io', 'docker.io'] } });
  assert.deepEqual(configured.map((f) => textAt(text, f.range)), ['ghcr.io/x/y:1']);
  assert.deepEqual(findingsOf('untrusted-registry', text, { settings: { ruleSet: 'recommended' } }), [], 'off until the team lists registries');
});

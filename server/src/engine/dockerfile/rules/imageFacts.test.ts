// Issue 12: complete image facts (SAC on every family, short tags, every .NET version), ARG defaults,
// images named by COPY --from / RUN --mount, and rename fixes that keep the Windows release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../text';
import { findingsOf, textAt } from '../../testing';

const fixesOf = (finding: { fixes: Array<{ title: string; safeForFixAll: boolean; edits: unknown[] }> }) =>
  finding.fixes.filter((f) => f.edits.length > 0 && !f.title.startsWith('Ignore'));

test('eol-base-image: semi-annual releases on every Microsoft family that published them', () => {
  for (const written of [
    'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-1903', 'mcr.microsoft.com/dotnet/framework/sdk:4.7.2-windowsservercore-1803',
    'mcr.microsoft.com/dotnet/framework/aspnet:4.7.1-windowsservercore-1709', 'mcr.microsoft.com/dotnet/framework/wcf:4.8-windowsservercore-20H2',
    'mcr.microsoft.com/dotnet/framework/sdk:4.8-20200512-windowsservercore-2004', 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-1909',
    'mcr.microsoft.com/powershell:lts-nanoserver-1903', 'mcr.microsoft.com/powershell:7.0.3-windowsservercore-2004',
    'mcr.microsoft.com/dotnet/runtime:5.0-nanoserver-20h2', 'mcr.microsoft.com/dotnet/aspnet:3.1.5-nanoserver-1909', 'mcr.microsoft.com/windows/servercore:1803-amd64',
    'microsoft/dotnet-framework:4.7.2-sdk-windowsservercore-1803', 'microsoft/aspnet:4.7.1-windowsservercore-1709', 'microsoft/windowsservercore:1709',
  ]) {
    const text = `FROM ${written}\n`;
    const findings = findingsOf('eol-base-image', text);
    assert.equal(findings.length, 1, written);
    assert.match(findings[0]!.message, /Semi-Annual\) reached end of support on 20\d\d-\d\d-\d\d/, written);
  }
  // Supported releases of the same families are not end of life.
  for (const written of ['mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2025', 'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2025', 'mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2025']) {
    assert.deepEqual(findingsOf('eol-base-image', `FROM ${written}\n`), [], written);
  }
});

test('eol-base-image: an image outside the catalog whose tag names an end-of-life Windows release, also in COPY --from', () => {
  const text = 'FROM mcr.microsoft.com/windows/nanoserver:1809\nCOPY --from=traefik:v1.7.8-nanoserver-sac2016 /traefik.exe /traefik.exe\n';
  const [finding, ...rest] = findingsOf('eol-base-image', text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'v1.7.8-nanoserver-sac2016');
  assert.match(finding!.message, /Nano Server, version 1607.*2018-10-09/);
  // A number that is no Windows word's release, and LTSC releases of vendor images, are not reported.
  assert.deepEqual(findingsOf('eol-base-image', 'FROM vendor/app:2004\nFROM golang:1.22-windowsservercore-ltsc2022\n'), []);
});

test('short and floating .NET Framework tags: judged by the host-dependent releases, unpublished versions removed', () => {
  const [removed] = findingsOf('eol-base-image', 'FROM mcr.microsoft.com/dotnet/framework/runtime:4.7.1\n');
  assert.match(removed!.message, /host-dependent tag \(/);
  assert.match(removed!.message, /2025-10-14/);
  for (const tag of ['3.5', '4.6.2', '4.7', '4.7.2']) assert.equal(findingsOf('eol-base-image', `FROM mcr.microsoft.com/dotnet/framework/sdk:${tag}\n`).length, 1, tag);
  const [floating] = findingsOf('extended-support-base-image', 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8\n');
  assert.match(floating!.message, /host-dependent tag \(ltsc2019, ltsc2016\)/);
  assert.deepEqual(findingsOf('eol-base-image', 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1\n'), []);
});

test('.NET versions 1.0 to 11 with their end dates; a bare EOL version is end of life, not "no Windows entry"', () => {
  const cases: Array<[string, string]> = [
    ['1.1.2-sdk-nanoserver', ''], ['2.0', '2018-10-01'], ['2.1', '2021-08-21'], ['2.2-nanoserver-1809', '2019-12-23'], ['3.0', '2020-03-03'],
    ['3.1', '2022-12-13'], ['5.0', '2022-05-10'], ['6.0', '2024-11-12'], ['7.0-nanoserver-ltsc2022', '2024-05-14'], ['8.0', '2026-11-10'],
  ];
  for (const [tag, date] of cases) {
    const text = `# escape=\`\nFROM mcr.microsoft.com/dotnet/sdk:${tag}\n`;
    const findings = findingsOf('eol-base-image', text);
    assert.equal(findings.length, 1, tag);
    if (date) assert.match(findings[0]!.message, new RegExp(date), tag);
    assert.deepEqual(findingsOf('nonexistent-image-tag', text), [], `${tag}: one finding per token`);
  }
  const [linux] = findingsOf('eol-base-image', 'FROM mcr.microsoft.com/dotnet/aspnet:6.0\n');
  assert.deepEqual(fixesOf(linux!).map((f) => f.title), ['Use mcr.microsoft.com/dotnet/aspnet:10.0'], 'a multi-platform tag moves to a multi-platform tag');
  for (const tag of ['10.0-nanoserver-ltsc2025', '11.0.0-preview.7-nanoserver-ltsc2025', '10.0-alpine']) {
    assert.deepEqual(findingsOf('eol-base-image', `FROM mcr.microsoft.com/dotnet/runtime:${tag}\n`), [], tag);
  }
  assert.equal(findingsOf('eol-base-image', 'FROM mcr.microsoft.com/dotnet/runtime:10.0-nanoserver-ltsc2025\n', { now: new Date('2028-11-14T12:00:00Z') }).length, 1);
});

test('ARG defaults: chains, quotes, every image rule says it judged the default; unresolvable names no registry', () => {
  const text = 'ARG REGISTRY=mcr.microsoft.com\nARG TAG="1803"\nARG BASE_IMAGE=${REGISTRY}/windows/servercore:${TAG}\nFROM ${BASE_IMAGE}\n';
  const [eol] = findingsOf('eol-base-image', text);
  assert.equal(textAt(text, eol!.range), '${BASE_IMAGE}');
  assert.match(eol!.message, /judged by the ARG default of `\$\{BASE_IMAGE\}`/);
  assert.match(eol!.message, /version 1803/);
  const retired = "ARG BASE='microsoft/windowsservercore:ltsc2016'\nFROM $BASE\n";
  assert.match(findingsOf('deprecated-image-name', retired)[0]!.message, /judged by the ARG default/);
  assert.match(findingsOf('untrusted-registry', retired)[0]!.message, /`docker\.io` \(judged by the ARG default of `\$BASE`\)/);
  assert.match(findingsOf('extended-support-base-image', retired)[0]!.message, /judged by the ARG default/);
  assert.match(findingsOf('base-image-unpinned-digest', retired)[0]!.message, /judged by the ARG default/);
  assert.match(findingsOf('nonexistent-image-tag', 'ARG B=mcr.microsoft.com/windows/servercore\nFROM ${B}\n')[0]!.message, /judged by the ARG default/);
  assert.match(findingsOf('base-image-latest', 'ARG B=node\nFROM ${B}\n')[0]!.message, /judged by that default/);
  for (const unresolvable of [
    'ARG REGISTRY\nFROM ${REGISTRY}/windows/servercore:ltsc2022\n', 'ARG R\nARG BASE=$R/app:1\nFROM $BASE\n',
    'ARG TAG=1\nFROM ${REGISTRY}/app:${TAG}\n', 'ARG R=x\nFROM ${R%x}/app:1\n',
  ]) {
    for (const rule of ['untrusted-registry', 'base-image-latest', 'eol-base-image', 'base-image-unpinned-digest']) {
      assert.deepEqual(findingsOf(rule, unresolvable), [], `${rule}: ${unresolvable}`);
    }
  }
});

test('COPY --from and RUN --mount=from images get the image rules; stages (by name or index) do not', () => {
  const text = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS build',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025',
    'COPY --from=build C:/a C:/a',
    'COPY --from=0 C:/b C:/b',
    'COPY --from=microsoft/nanoserver:1803 C:/c C:/c',
    'COPY --from=ghcr.io/acme/tools:latest C:/d C:/d',
    'RUN --mount=type=bind,from=mcr.microsoft.com/windows/servercore:1909,target=C:/m cmd /c dir',
    'RUN --mount=type=cache,target=C:/cache cmd /c dir',
    '',
  ].join('\n');
  assert.deepEqual(findingsOf('deprecated-image-name', text).map((f) => textAt(text, f.range)), ['microsoft/nanoserver:1803']);
  assert.deepEqual(findingsOf('eol-base-image', text).map((f) => textAt(text, f.range)), ['1803', '1909']);
  assert.deepEqual(findingsOf('base-image-latest', text).map((f) => textAt(text, f.range)), ['latest']);
  assert.match(findingsOf('base-image-latest', text)[0]!.message, /`COPY --from` image/);
  assert.deepEqual(findingsOf('untrusted-registry', text).map((f) => textAt(text, f.range)), ['microsoft/nanoserver:1803', 'ghcr.io/acme/tools:latest']);
  // The rename fix edits the flag's value.
  const [retired] = findingsOf('deprecated-image-name', text);
  assert.match(applyEdits(text, fixesOf(retired!)[0]!.edits as never), /COPY --from=mcr\.microsoft\.com\/windows\/nanoserver:1803 C:\/c/);
  const typo = 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025 AS installer\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025\nCOPY --from=downloader C:/k C:/k\n';
  assert.match(findingsOf('base-image-latest', typo)[0]!.message, /No stage is named `downloader`/);
  assert.match(findingsOf('eol-base-image', 'FROM microsoft/dotnet:2.2-sdk-nanoserver-1809\n')[0]!.message, /judged as `mcr\.microsoft\.com\/dotnet\/sdk:2\.2-nanoserver-1809`\): \.NET Core 2\.2/);
  // A stage named later in the file is still a stage (BuildKit resolves names over the whole file).
  assert.deepEqual(findingsOf('untrusted-registry', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025 AS a\nCOPY --from=tools x y\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025 AS tools\n'), []);
});

test('rename fixes keep the Windows release; the newer LTSC is a separate, reviewed choice; the new name is judged today', () => {
  const text = 'FROM microsoft/dotnet-framework:4.7.2-sdk-windowsservercore-ltsc2019 AS build\n';
  const [finding] = findingsOf('deprecated-image-name', text);
  const fixes = fixesOf(finding!);
  assert.equal(applyEdits(text, fixes[0]!.edits as never), 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.7.2-windowsservercore-ltsc2019 AS build\n');
  assert.equal(fixes[0]!.safeForFixAll, true);
  assert.equal(applyEdits(text, fixes[1]!.edits as never), 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2025 AS build\n');
  assert.equal(fixes[1]!.safeForFixAll, false);
  assert.ok(!fixes.some((f) => f.safeForFixAll && /ltsc2025/.test(f.title)), 'never ltsc2025 unattended');
  // The image under its new name is no longer published: reported now, with the same release first.
  const [eol] = findingsOf('eol-base-image', text);
  // Judged as its MCR image today; the new name itself is deprecated-image-name's message.
  assert.match(eol!.message, /^`microsoft\/dotnet-framework:4\.7\.2-sdk-windowsservercore-ltsc2019`: no longer published since 2025-10-14/);
  assert.deepEqual(fixesOf(eol!).map((f) => [f.title, f.safeForFixAll]), [
    ['Use mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019 (same Windows release)', false],
    ['Use mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2025 (recommended LTSC)', false],
  ]);
  // A retired name on an end-of-life release reports end of life today.
  assert.equal(findingsOf('eol-base-image', 'FROM microsoft/nanoserver:sac2016\n').length, 1);
  assert.equal(findingsOf('extended-support-base-image', 'FROM microsoft/windowsservercore:ltsc2019\n').length, 1);
  // A tag with no counterpart goes to the same release when it is supported, never unattended.
  const [other] = findingsOf('deprecated-image-name', 'FROM microsoft/aspnet:windowsservercore-10.0.14393.1066\n');
  assert.deepEqual(fixesOf(other!).map((f) => [f.title.replace(/ \(.*/, ''), f.safeForFixAll]), [
    ['Use mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2016', false],
    ['Use mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2025', false],
  ]);
});

test('FROM reads its image as BuildKit does, as a shell word: quotes are removed before any lookup', () => {
  // jenkinsci/docker writes `servercore:"ltsc2019"`; quoted ARG references are common too.
  const literal = 'FROM mcr.microsoft.com/windows/servercore:"1803"\nCMD ["cmd"]\n';
  const eol = findingsOf('eol-base-image', literal);
  assert.equal(eol.length, 1);
  assert.match(eol[0]!.message, /^`mcr\.microsoft\.com\/windows\/servercore:1803`: Windows Server, version 1803/);
  assert.equal(textAt(literal, eol[0]!.range), 'mcr.microsoft.com/windows/servercore:"1803"');
  const viaArg = 'ARG WINDOWS_VERSION=ltsc2019\nFROM mcr.microsoft.com/windows/servercore:"${WINDOWS_VERSION}"\nCMD ["cmd"]\n';
  assert.match(findingsOf('extended-support-base-image', viaArg)[0]!.message, /^`mcr\.microsoft\.com\/windows\/servercore:ltsc2019` \(judged by the ARG default/);
  // And a quoted full-build tag with its architecture: `10.0.17134.1304-amd64` is a 1803 build.
  assert.equal(findingsOf('eol-base-image', 'FROM mcr.microsoft.com/windows/servercore:10.0.17134.1304-amd64\n').length, 1);
});

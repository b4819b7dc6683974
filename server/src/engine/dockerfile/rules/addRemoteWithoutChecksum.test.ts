import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../text';
import { findingsOf, textAt } from '../../testing';

const id = 'add-remote-without-checksum';

test('flags ADD of an https URL on the URL, with a placeholder quick fix that is itself flagged', () => {
  const text = 'FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/\n';
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'https://example.com/tool.tar.gz');
  const fix = finding!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, 'FROM alpine:3.20\nADD --checksum=sha256:<sha256-of-the-download> https://example.com/tool.tar.gz /opt/\n');
  const [placeholder] = findingsOf(id, fixed);
  assert.equal(textAt(fixed, placeholder!.range), 'sha256:<sha256-of-the-download>');
});

test('Windows stages get the Get-FileHash advice; backtick continuation is understood', () => {
  const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nADD `\n  http://example.com/setup.msi `\n  C:/setup.msi\n';
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'http://example.com/setup.msi');
  assert.match(finding!.message, /Get-FileHash/);
});

test('does not flag verified downloads, local files, COPY or git sources', () => {
  for (const text of [
    `FROM alpine:3.20\nADD --checksum=sha256:${'e'.repeat(64)} https://example.com/a.tgz /a\n`,
    'FROM alpine:3.20\nADD app.tar.gz /opt/\n',
    'FROM alpine:3.20\nCOPY https://example.com/a /a\n',
    'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.14.0 /src\n',
    'FROM alpine:3.20\nADD\n',
  ]) {
    assert.deepEqual(findingsOf(id, text), [], text);
  }
});

test('a later RUN that checks the added file (the classic Windows builder has no --checksum) covers it, as for RUN downloads', () => {
  const windows = [
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'SHELL ["powershell", "-Command"]',
    'ADD https://example.com/tool.zip C:/tool.zip',
    "RUN if ((Get-FileHash C:\\tool.zip -Algorithm SHA256).Hash -ne 'ABC123') { throw 'bad hash' }",
    '',
  ].join('\n');
  assert.deepEqual(findingsOf(id, windows), []);
  // The same check before the ADD, or of another file, covers nothing.
  assert.equal(findingsOf(id, windows.replace('Get-FileHash C:\\tool.zip', 'Get-FileHash C:\\other.zip')).length, 1);
  const checkFirst = ['FROM alpine:3.20', 'RUN sha256sum -c SHA256SUMS', 'ADD https://example.com/SHA256SUMS /w/SHA256SUMS', ''].join('\n');
  assert.equal(findingsOf(id, checkFirst).length, 1);
  // Signed sums and their signature, verified by gpg in a later RUN (terraform's pattern); a folder destination names the file by the URL.
  const gpg = [
    'FROM alpine:3.20 AS fetch',
    'ADD https://releases.example.com/tf/1.0/tf_1.0_SHA256SUMS /w/',
    'ADD https://releases.example.com/tf/1.0/tf_1.0_SHA256SUMS.sig /w/',
    'FROM fetch',
    'RUN gpg --verify /w/tf_1.0_SHA256SUMS.sig /w/tf_1.0_SHA256SUMS',
    '',
  ].join('\n');
  assert.deepEqual(findingsOf(id, gpg), []);
});

test("a project's own checking script given the file and a pinned expected hash counts as a check; one given no hash does not", () => {
  // gitlab-runner's Windows images: helpers\checksum.ps1 runs Get-FileHash and exits 1 on a mismatch.
  const header = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nSHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\n'
    + 'ARG GIT_AMD64_CHECKSUM=0000000000000000000000000000000000000000000000000000000000000000\n'
    + 'ADD https://github.com/git-for-windows/git/releases/download/v2.47.1.windows.1/MinGit-2.47.1-64-bit.zip C:\\git.zip\n'
    + 'COPY helpers\\checksum.ps1 .\\\n';
  assert.equal(findingsOf(id, `${header}RUN powershell -File .\\checksum.ps1 -TargetFile git.zip -ExpectedHash \${Env:GIT_AMD64_CHECKSUM}\n`).length, 0);
  assert.equal(findingsOf(id, `${header}RUN .\\checksum.ps1 -TargetFile C:\\git.zip -Hash ${'ab'.repeat(32)}\n`).length, 0);
  // No expected hash (a variable not named for one, or none at all), or another file: still unchecked.
  assert.equal(findingsOf(id, `${header}RUN .\\checksum.ps1 -TargetFile git.zip -ExpectedHash $env:GIT_VERSION\n`).length, 1);
  assert.equal(findingsOf(id, `${header}RUN .\\checksum.ps1 -TargetFile git.zip\n`).length, 1);
  assert.equal(findingsOf(id, `${header}RUN .\\checksum.ps1 -TargetFile other.zip -ExpectedHash \${Env:GIT_AMD64_CHECKSUM}\n`).length, 1);
});

test('ADD from a variable: judged by the value its ARG or ENV has there, and said so; an unknown value is not judged', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nARG CHANNEL_URL=https://aka.ms/vs/16/release/channel\nADD ${CHANNEL_URL} C:/TEMP/VisualStudio.chman\nADD $TOOL_URL C:/tool.zip\n';
  const findings = findingsOf(id, text);
  assert.equal(findings.length, 1);
  assert.equal(textAt(text, findings[0]!.range), '${CHANNEL_URL}');
  assert.match(findings[0]!.message, /^`ADD \$\{CHANNEL_URL\}` \(`https:\/\/aka\.ms\/vs\/16\/release\/channel` here\) trusts whatever the server returns/);
  // ENV counts too, also from a parent stage.
  const env = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS base\nENV BASE=https://example.com/dl\nFROM base\nADD $BASE/tool.zip C:/tool.zip\n';
  assert.equal(findingsOf(id, env).length, 1);
  // BuildKit's default form, as FROM reads it: `${NAME:-default}` with no value set.
  assert.equal(findingsOf(id, 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nARG URL\nADD ${URL:-https://example.com/x.zip} C:/x.zip\n').length, 1);
  // And plain HTTP through an ARG is a cleartext download.
  const http = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nARG MSI_URL=http://download.microsoft.com/download/rewrite_amd64_en-US.msi\nADD ${MSI_URL} C:/rewrite.msi\n';
  assert.equal(findingsOf('cleartext-download', http).length, 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';

const id = 'pipeline-nuget-http-source';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };

test('Azure DotNetCoreCLI@2 restoreArguments in a block scalar: exact URL range; fix https for a known host, never fix-all', () => {
  const text = 'steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: restore\n    restoreArguments: >-\n      --locked-mode\n      --source http://pkgs.dev.azure.com/org/_packaging/feed/nuget/v3/index.json\n';
  const findings = findingsOf(id, text, AZURE);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['http://pkgs.dev.azure.com/org/_packaging/feed/nuget/v3/index.json']);
  assert.equal(findings[0]!.range.start.line, 6);
  assert.equal(findings[0]!.severity, 'warning');
  const fix = findings[0]!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('http://pkgs', 'https://pkgs'));
  assert.deepEqual(findingsOf(id, fixed, AZURE), []);
});

test('unknown host: finding without a fix, asks to check; NuGetCommand@2 custom push -Source (PowerShell-style option)', () => {
  const text = 'steps:\n- task: NuGetCommand@2\n  inputs:\n    command: custom\n    arguments: \'push out\\*.nupkg -Source http://feed.contoso.local/nuget -ApiKey $(key)\'\n';
  const findings = findingsOf(id, text, AZURE);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['http://feed.contoso.local/nuget']);
  assert.deepEqual(findings[0]!.fixes.filter((f) => /https/.test(f.title)), []);
  assert.match(findings[0]!.message, /check that feed\.contoso\.local serves it over https/);
});

test('GitHub actions/setup-dotnet source-url; nuget.org gets its https address in the message', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: windows-2022\n    steps:\n      - uses: actions/setup-dotnet@v4\n        with:\n          source-url: "http://api.nuget.org/v3/index.json"\n';
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['http://api.nuget.org/v3/index.json']);
  assert.match(findings[0]!.message, /nuget\.org serves the same feed at https/);
  assert.equal(applyEdits(text, findings[0]!.fixes[0]!.edits), text.replace('"http://', '"https://'));
});

test('negative: https, loopback, variable hosts; scripts are cleartext-download\'s (no double finding)', () => {
  const cases: Array<[string, typeof GITHUB]> = [
    ['steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: restore\n    restoreArguments: --source https://pkgs.dev.azure.com/o/_packaging/f/nuget/v3/index.json\n', AZURE],
    ['steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: custom\n    custom: nuget\n    arguments: push x.nupkg --source http://localhost:5555/v3/index.json\n', AZURE],
    ['steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: restore\n    restoreArguments: --source http://$(feedHost)/v3/index.json\n', AZURE],
    ['on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: |\n          dotnet restore -s http://feed.example.com/v3/index.json\n', GITHUB],
  ];
  for (const [text, options] of cases) assert.deepEqual(findingsOf(id, text, options), [], text);
  const script = cases[3]![0];
  assert.equal(findingsOf('cleartext-download', script, GITHUB).length, 1);
});

test('custom `nuget add source http://…` in DotNetCoreCLI@2 arguments', () => {
  const text = 'steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: custom\n    custom: nuget\n    arguments: add source http://nuget.example.org/v3/index.json -n example\n';
  assert.deepEqual(findingsOf(id, text, AZURE).map((f) => textAt(text, f.range)), ['http://nuget.example.org/v3/index.json']);
});

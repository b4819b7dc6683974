import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';

const id = 'pipeline-floating-windows-runner';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };

test('GitHub runs-on: windows-latest in a job that builds a container: warning on the label, fix pins windows-2025', () => {
  const text = 'on: push\njobs:\n  image:\n    runs-on: windows-latest # host\n    steps:\n      - run: docker build -t app .\n';
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['windows-latest']);
  assert.equal(findings[0]!.severity, 'warning');
  assert.equal(findings[0]!.message, '`windows-latest` moves to a new Windows Server build without notice, breaking process-isolated containers of a pinned LTSC image; pin `windows-2025` (what it runs on now).');
  const fix = findings[0]!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('windows-latest # host', 'windows-2025 # host'));
  assert.deepEqual(findingsOf(id, fixed, GITHUB), []);
  // Before the September 2025 migration it named Server 2022.
  assert.match(findingsOf(id, text, { ...GITHUB, now: new Date('2025-06-01T00:00:00Z') })[0]!.message, /pin `windows-2022`/);
});

test('info without containers; matrix values and runs-on lists; quoted values underline inside the quotes', () => {
  const text = 'on: push\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, "windows-latest"]\n    steps:\n      - run: dotnet test\n  other:\n    runs-on: [windows-latest]\n    steps:\n      - run: echo\n';
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => [textAt(text, f.range), f.severity]), [['windows-latest', 'info'], ['windows-latest', 'info']]);
  assert.equal(findings[0]!.range.start.line, 6);
});

test('Azure vmImage (direct and through a variable), Docker@2 makes it a warning; a Windows fix for Azure asks to check', () => {
  const text = 'variables:\n  imageName: windows-latest\npool:\n  vmImage: $(imageName)\nsteps:\n- task: Docker@2\n  inputs:\n    command: build\n';
  const findings = findingsOf(id, text, AZURE);
  assert.deepEqual(findings.map((f) => [textAt(text, f.range), f.severity]), [['windows-latest', 'warning']]);
  assert.match(findings[0]!.fixes[0]!.title, /check that it is what your jobs ran on/);
});

test('negative: explicit images, other -latest labels, self-hosted labels, expressions', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: windows-2022\n    steps: [{ run: docker build . }]\n  b:\n    runs-on: ubuntu-latest\n    steps: [{ run: make }]\n  c:\n    runs-on: [self-hosted, windows-latest]\n    steps: [{ run: make }]\n  d:\n    runs-on: ${{ inputs.runner }}\n    steps: [{ run: make }]\n';
  assert.deepEqual(findingsOf(id, text, GITHUB), []);
  assert.deepEqual(findingsOf(id, 'pool:\n  vmImage: windows-2025\nsteps:\n- script: echo\n', AZURE), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-retired-runner-image';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };

test('GitHub: retired labels in runs-on and matrix values, with the date; error', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: windows-2019\n    steps: [{ run: make }]\n  b:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-20.04, ubuntu-24.04]\n        include:\n          - os: macos-12\n    steps: [{ run: make }]\n';
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['windows-2019', 'ubuntu-20.04', 'macos-12']);
  assert.ok(findings.every((f) => f.severity === 'error'));
  assert.equal(findings[0]!.message, 'The GitHub-hosted image `windows-2019` was retired on 2025-06-30; jobs on it no longer start. Move to windows-2022 or windows-2025.');
  assert.match(findings[2]!.message, /was retired on 2024-12-03/);
});

test('Azure: vmImage names, Azure dates where they differ, variables; unconfirmed dates say so', () => {
  const text = "jobs:\n- job: a\n  pool:\n    vmImage: 'vs2017-win2016'\n  steps: [{ script: echo }]\n- job: b\n  pool:\n    vmImage: macOS-12\n  steps: [{ script: echo }]\n- job: c\n  strategy:\n    matrix:\n      old:\n        imageName: ubuntu-16.04\n  pool:\n    vmImage: $(imageName)\n  steps: [{ script: echo }]\n";
  const findings = findingsOf(id, text, AZURE);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['vs2017-win2016', 'macOS-12', 'ubuntu-16.04']);
  assert.match(findings[0]!.message, /^The Microsoft-hosted image `vs2017-win2016` was retired on 2022-07-31;/);
  assert.match(findings[1]!.message, /2025-01-13/);
  assert.match(findings[2]!.message, /2021-09-20 \(date unconfirmed\)/);
});

test('Azure: the spelling with a space and the legacy hosted pools by name (pool:, pool.name, queue:); own pools are not judged', () => {
  const text = [
    'jobs:',
    '- job: a',
    '  pool:',
    "    vmImage: 'Ubuntu 16.04'",
    '  steps: [{ script: echo }]',
    '- job: b',
    "  pool: 'Hosted VS2017'",
    '  steps: [{ script: echo }]',
    '- job: c',
    '  pool:',
    '    name: Hosted Ubuntu 1604',
    '  steps: [{ script: echo }]',
    '- job: d',
    '  queue: Hosted Windows 2019 with VS2019',
    '  steps: [{ script: echo }]',
    '- job: e',
    '  pool: BuildPool',
    '  steps: [{ script: echo }]',
    '- job: f',
    '  pool:',
    "    vmImage: 'Ubuntu 24.04'",
    '  steps: [{ script: echo }]',
    '',
  ].join('\n');
  const findings = findingsOf(id, text, AZURE);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['Ubuntu 16.04', 'Hosted VS2017', 'Hosted Ubuntu 1604', 'Hosted Windows 2019 with VS2019']);
  assert.match(findings[1]!.message, /^The Microsoft-hosted image `Hosted VS2017` was retired on 2022-07-31;/);
});

test('an announced retirement before its date is a warning', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: macos-14\n    steps: [{ run: make }]\n';
  const findings = findingsOf(id, text, { ...GITHUB, now: new Date('2026-08-01T00:00:00Z') });
  assert.equal(findings[0]!.severity, 'warning');
  assert.equal(findings[0]!.message, 'The GitHub-hosted image `macos-14` is retired on 2026-11-02; move to macos-15 before then.');
  assert.equal(findingsOf(id, text, GITHUB)[0]!.severity, 'error');
});

test('negative: current images, -latest labels, self-hosted jobs, GitLab', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: [windows-2022, ubuntu-24.04]\n    steps: [{ run: make }]\n  b:\n    runs-on: [self-hosted, windows-2019]\n    steps: [{ run: make }]\n  c:\n    runs-on: ubuntu-latest\n    steps: [{ run: make }]\n';
  assert.deepEqual(findingsOf(id, text, GITHUB), []);
  assert.deepEqual(findingsOf(id, 'build:\n  tags: [windows-2019]\n  script: [make]\n', { kind: 'pipeline', path: '/repo/.gitlab-ci.yml' }), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-unpinned-action';
const WORKFLOW = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const run = (text: string, options = WORKFLOW) => findingsOf(id, text, options);
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

const workflow = (steps: string) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

test('tags, branches and first-party actions are reported on the uses value', () => {
  const text = workflow([
    '      - uses: actions/checkout@v4',
    '      - uses: "peter-evans/dockerhub-description@main" # quoted',
    '      - uses: github/codeql-action/init@v3.27.0',
    '      - uses: some/action',
    '',
  ].join('\n'));
  const findings = run(text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['actions/checkout@v4', 'peter-evans/dockerhub-description@main', 'github/codeql-action/init@v3.27.0', 'some/action']);
  assert.equal(findings[0]!.severity, 'warning');
  assert.match(findings[0]!.message, /^`actions\/checkout@v4` is pinned to a tag or branch that can be moved; pin it to the full commit SHA/);
  assert.match(findings[3]!.message, /names no version/);
  assert.deepEqual(findings[0]!.fixes.filter((fix) => !fix.title.startsWith('Ignore ')), []);
});

test('a job-level reusable workflow and docker:// by tag are reported', () => {
  const text = [
    'on: push',
    'jobs:',
    '  call:',
    '    uses: octo-org/repo/.github/workflows/build.yml@main',
    '  run:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: docker://alpine:3.20',
    '      - uses: docker://ubuntu',
    '',
  ].join('\n');
  const findings = run(text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['octo-org/repo/.github/workflows/build.yml@main', 'docker://alpine:3.20', 'docker://ubuntu']);
  assert.match(findings[1]!.message, /pin it by digest/);
});

test('composite action steps are reported (action.yml)', () => {
  const text = 'name: x\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n    - run: echo hi\n      shell: bash\n';
  const findings = run(text, { kind: 'pipeline', path: '/repo/action.yml' });
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['actions/setup-node@v4']);
});

test('a block scalar uses value is read trimmed', () => {
  const text = workflow(`      - uses: |\n          actions/checkout@${SHA}\n      - uses: |\n          actions/checkout@v4\n`);
  const findings = run(text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.range.start.line, 7);
});

test('negative: full SHAs, local actions, self-repository paths, docker digests, expressions', () => {
  const text = [
    'on: push',
    'jobs:',
    '  call:',
    `    uses: octo-org/repo/.github/workflows/build.yml@${SHA}`,
    '  local:',
    '    uses: ./.github/workflows/reuse.yml',
    '  self:',
    '    uses: $/.github/workflows/reusable.yml@tag',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: actions/checkout@${SHA} # v4.2.2`,
    `      - uses: actions/checkout@${SHA.toUpperCase()}`,
    '      - uses: ./my-action',
    '      - uses: $/some-action',
    `      - uses: docker://alpine@sha256:${'a'.repeat(64)}`,
    '      - uses: ${{ matrix.action }}',
    '      - run: echo uses: actions/checkout@v4',
    '',
  ].join('\n');
  assert.deepEqual(run(text), []);
});

test('negative: Azure and GitLab files', () => {
  assert.deepEqual(run('steps:\n- task: UseDotNet@2\n- checkout: self\n', { kind: 'pipeline', path: '/repo/azure-pipelines.yml' }), []);
  assert.deepEqual(run('build:\n  script: echo uses\n  uses: actions/checkout@v4\n', { kind: 'pipeline', path: '/repo/.gitlab-ci.yml' }), []);
});

test('half-typed YAML never throws', () => {
  const full = workflow('      - uses: actions/checkout@v4\n        with:\n          ref: main\n      - uses: "docker://x:1\n');
  for (let cut = 0; cut <= full.length; cut += 3) run(full.slice(0, cut));
  run('on: push\njobs: {a: {uses: , steps: [{uses: [1, 2]}, {uses: {x: 1}}, {uses: ');
  run('jobs:\n  a: *nope\n  b:\n    steps: &s\n      - uses: a/b@v1\n  c:\n    steps: *s\n');
});

test('a step reached twice through an alias is one finding', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - &setup\n        uses: actions/setup-node@v4\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - *setup\n';
  assert.deepEqual(run(text).map((f) => textAt(text, f.range)), ['actions/setup-node@v4']);
});

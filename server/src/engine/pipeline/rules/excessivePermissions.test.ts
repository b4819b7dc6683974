import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-excessive-permissions';
const WORKFLOW = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const run = (text: string, options = WORKFLOW) => findingsOf(id, text, options);
const job = (name: string, extra = '') => `  ${name}:\n    runs-on: ubuntu-latest\n${extra}    steps:\n      - run: echo\n`;

test('write-all at the workflow and on a job: a warning on the value', () => {
  const text = `on: push\npermissions: write-all\njobs:\n${job('a', '    permissions: write-all\n')}`;
  const findings = run(text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['write-all', 'write-all']);
  assert.deepEqual(findings.map((f) => f.range.start.line), [1, 5]);
  assert.equal(findings[0]!.severity, 'warning');
  assert.match(findings[0]!.message, /^`permissions: write-all` gives every job's token write access to every scope;/);
  assert.match(findings[1]!.message, /this job's token/);
});

test('no permissions anywhere: one info finding on the on: key, naming the jobs', () => {
  const text = `name: CI\non:\n  push:\njobs:\n${job('a')}${job('b', '    permissions:\n      contents: read\n')}`;
  const findings = run(text);
  assert.equal(findings.length, 1);
  assert.equal(textAt(text, findings[0]!.range), 'on');
  assert.equal(findings[0]!.range.start.line, 1);
  assert.equal(findings[0]!.severity, 'info');
  assert.match(findings[0]!.message, /^No `permissions:` for the workflow or job a: the token gets the repository default/);
});

test('workflow-level write scopes reaching two or more jobs: a warning per scope', () => {
  const text = `on: push\npermissions:\n  contents: write\n  id-token: write\n  pull-requests: read\njobs:\n${job('a')}${job('b')}`;
  const findings = run(text);
  assert.deepEqual(findings.map((f) => [f.range.start.line, textAt(text, f.range)]), [[2, 'write'], [3, 'write']]);
  assert.match(findings[0]!.message, /^`contents: write` at the workflow level reaches 2 jobs that set no permissions \(and any job added later\); grant it on the jobs that need it\.$/);
});

test('negative: read scopes, empty permissions, read-all, job-level writes, one inheriting job', () => {
  const cases = [
    `on: push\npermissions:\n  contents: read\njobs:\n${job('a')}${job('b')}`,
    `on: push\npermissions: {}\njobs:\n${job('a')}${job('b', '    permissions:\n      contents: write\n')}`,
    `on: push\npermissions: read-all\njobs:\n${job('a')}`,
    // A single job: the workflow's grant is that job's own.
    `on: push\npermissions:\n  contents: write\njobs:\n${job('a')}`,
    // Only one job inherits; the other sets its own.
    `on: push\npermissions:\n  contents: write\njobs:\n${job('a')}${job('b', '    permissions: {}\n')}`,
    // Every job sets its own permissions.
    `on: push\njobs:\n${job('a', '    permissions:\n      contents: read\n')}${job('b', '    permissions: read-all\n')}`,
    // A reusable-only workflow runs with its caller's token.
    `on:\n  workflow_call:\njobs:\n${job('a')}`,
    // No jobs yet.
    'on: push\n',
  ];
  for (const text of cases) assert.deepEqual(run(text), [], text);
});

test('reusable workflow with other triggers, and a job calling a reusable workflow, are reported', () => {
  const text = 'on:\n  workflow_call:\n  workflow_dispatch:\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n';
  assert.equal(run(text).length, 1);
});

test('negative: actions, Azure and GitLab files', () => {
  assert.deepEqual(run('name: x\npermissions: write-all\nruns:\n  using: composite\n  steps: []\n', { kind: 'pipeline', path: '/repo/action.yml' }), []);
  assert.deepEqual(run('permissions: write-all\nsteps:\n- script: echo\n', { kind: 'pipeline', path: '/repo/azure-pipelines.yml' }), []);
});

test('half-typed YAML never throws', () => {
  const full = `on: push\npermissions:\n  contents: write\n  packages: write-all\njobs:\n${job('a', '    permissions: write-all\n')}${job('b')}`;
  for (let cut = 0; cut <= full.length; cut += 3) run(full.slice(0, cut));
  run('on: {push: \njobs: {a: {permissions: [write], steps: ');
  run('permissions: [write-all]\njobs: [a, b]\n');
});

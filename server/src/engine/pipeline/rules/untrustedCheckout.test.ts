import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-untrusted-checkout';
const WORKFLOW = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const run = (text: string) => findingsOf(id, text, WORKFLOW);

const workflow = (on: string, steps: string) => `on: ${on}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

test('pull_request_target checking out the head sha: an error on the ref value', () => {
  const text = workflow('pull_request_target', '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n');
  const findings = run(text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, 'error');
  assert.equal(textAt(text, findings[0]!.range), '${{ github.event.pull_request.head.sha }}');
  assert.match(findings[0]!.message, /^This `pull_request_target` workflow checks out the pull request's code;/);
});

test('workflow_run head_sha, github.head_ref, refs/pull/N/merge and the fork repository are each reported', () => {
  const text = workflow('\n  workflow_run:\n    workflows: [CI]\n    types: [completed]', [
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ github.event.workflow_run.head_sha }}',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ github.head_ref }}',
    '      - uses: actions/checkout@v4',
    '        with:',
    "          ref: refs/pull/${{ github.event.number }}/merge",
    '      - uses: actions/checkout@v4',
    '        with:',
    '          repository: ${{ github.event.pull_request.head.repo.full_name }}',
    '',
  ].join('\n'));
  assert.deepEqual(run(text).map((f) => textAt(text, f.range)), [
    '${{ github.event.workflow_run.head_sha }}',
    '${{ github.head_ref }}',
    'refs/pull/${{ github.event.number }}/merge',
    '${{ github.event.pull_request.head.repo.full_name }}',
  ]);
});

test('issue_comment with gh pr checkout and git fetch of pull/N/head in run scripts: the command', () => {
  const text = workflow('[issue_comment]', '      - uses: actions/checkout@v4\n      - run: |\n          gh pr checkout ${{ github.event.issue.number }}\n          git fetch origin pull/42/head:pr && make\n');
  assert.deepEqual(run(text).map((f) => textAt(text, f.range)), ['gh pr checkout ${{ github.event.issue.number }}', 'git fetch origin pull/42/head:pr']);
});

test('negative: the same checkout under pull_request, push or a non-privileged trigger', () => {
  for (const on of ['pull_request', '[push, pull_request]', '\n  pull_request:\n    branches: [main]']) {
    const text = workflow(on, '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: gh pr checkout 1\n');
    assert.deepEqual(run(text), [], on);
  }
});

test('negative: pull_request_target checking out the base, a tag, or another action with a ref input', () => {
  const text = workflow('pull_request_target', [
    '      - uses: actions/checkout@v4',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ github.event.pull_request.base.sha }}',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: v1.2.3',
    '      - uses: some/other-action@v1',
    '        with:',
    '          ref: ${{ github.event.pull_request.head.sha }}',
    '      - run: gh pr edit 1 --add-label x && git fetch origin main',
    '',
  ].join('\n'));
  assert.deepEqual(run(text), []);
});

test('negative: Azure and GitLab files are not GitHub workflows', () => {
  assert.deepEqual(findingsOf(id, 'trigger: none\nsteps:\n- script: gh pr checkout 1\n', { kind: 'pipeline', path: '/repo/azure-pipelines.yml' }), []);
});

test('half-typed YAML never throws', () => {
  const full = workflow('pull_request_target', '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: gh pr checkout 1\n');
  for (let cut = 0; cut <= full.length; cut += 7) run(full.slice(0, cut));
  run('on: [pull_request_target\njobs: {build: {steps: [{uses: actions/checkout@v4, with: {ref: ');
});

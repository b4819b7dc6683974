import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';

const id = 'pipeline-persisted-credentials';
const WORKFLOW = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };
const run = (text: string, options = WORKFLOW) => findingsOf(id, text, options);
const workflow = (steps: string) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
const fixed = (text: string, options = WORKFLOW) => {
  const findings = run(text, options);
  assert.equal(findings.length, 1);
  const fix = findings[0]!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  return applyEdits(text, fix.edits);
};

test('checkout without with: reported on the uses value; the fix adds with: persist-credentials: false', () => {
  const text = workflow('      - uses: actions/checkout@v4 # v4.2.2\n      - run: make\n');
  const findings = run(text);
  assert.equal(findings.length, 1);
  assert.equal(textAt(text, findings[0]!.range), 'actions/checkout@v4');
  assert.equal(findings[0]!.severity, 'warning');
  assert.match(findings[0]!.message, /^actions\/checkout leaves the job's token in the checkout for later steps; add `with: persist-credentials: false`/);
  assert.equal(findings[0]!.fixes[0]!.title, 'Set `persist-credentials: false` (later `git push` in this job stops working)');
  assert.equal(fixed(text), workflow('      - uses: actions/checkout@v4 # v4.2.2\n        with:\n          persist-credentials: false\n      - run: make\n'));
});

test('checkout with other inputs: the fix inserts under with:, keeping indentation and comments; CRLF kept', () => {
  const text = workflow('      - name: Checkout\n        uses: actions/checkout@v4\n        with:\n            # the full history\n            fetch-depth: 0\n        id: co\n');
  assert.equal(fixed(text), workflow('      - name: Checkout\n        uses: actions/checkout@v4\n        with:\n            # the full history\n            persist-credentials: false\n            fetch-depth: 0\n        id: co\n'));
  const crlf = workflow('      - uses: actions/checkout@v4\n').replace(/\n/g, '\r\n');
  assert.equal(fixed(crlf), workflow('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n').replace(/\n/g, '\r\n'));
});

test('persist-credentials: true is reported on its value as info (usually deliberate); the fix sets false', () => {
  const text = workflow('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: true\n');
  const findings = run(text);
  assert.equal(textAt(text, findings[0]!.range), 'true');
  assert.equal(findings[0]!.severity, 'info');
  assert.equal(fixed(text), workflow('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n'));
});

test('composite actions are checked; a flow-style step is reported without a fix', () => {
  const action = 'runs:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n';
  assert.equal(run(action, { kind: 'pipeline', path: '/repo/action.yml' }).length, 1);
  const text = workflow('      - { uses: actions/checkout@v4 }\n');
  const findings = run(text);
  assert.equal(textAt(text, findings[0]!.range), 'actions/checkout@v4');
  assert.deepEqual(findings[0]!.fixes.filter((fix) => !fix.title.startsWith('Ignore ')), []);
});

test('negative: persist-credentials false (any case, quoted), an expression, other actions, no checkout', () => {
  const text = workflow([
    '      - uses: actions/checkout@v4',
    '        with:',
    '          persist-credentials: false',
    '      - uses: Actions/Checkout@v4',
    '        with: { persist-credentials: "false" }',
    '      - uses: actions/checkout@v4',
    "        with:\n          persist-credentials: ${{ github.event_name == 'push' }}",
    '      - uses: actions/checkout-extra@v1',
    '      - uses: other/checkout@v1',
    '      - run: git clone https://github.com/x/y',
    '',
  ].join('\n'));
  assert.deepEqual(run(text), []);
});

test('Azure: checkout with persistCredentials: true on the value, with a fix; false, none and other steps not', () => {
  const text = 'steps:\n- checkout: self\n  persistCredentials: true\n- checkout: none\n  persistCredentials: true\n- checkout: self\n  persistCredentials: false\n- checkout: self\n';
  const findings = run(text, AZURE);
  assert.equal(findings.length, 1);
  assert.equal(textAt(text, findings[0]!.range), 'true');
  assert.equal(findings[0]!.range.start.line, 2);
  assert.match(findings[0]!.message, /^`persistCredentials: true` leaves the OAuth token in \.git\/config/);
  assert.equal(applyEdits(text, findings[0]!.fixes[0]!.edits).split('\n')[2], '  persistCredentials: false');
});

test('negative: GitLab files', () => {
  assert.deepEqual(run('build:\n  script: echo\n  checkout: self\n  persistCredentials: true\n', { kind: 'pipeline', path: '/repo/.gitlab-ci.yml' }), []);
});

test('half-typed YAML never throws', () => {
  const full = workflow('      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n      - uses: actions/checkout@v4\n');
  for (let cut = 0; cut <= full.length; cut += 3) {
    for (const finding of run(full.slice(0, cut))) for (const fix of finding.fixes) applyEdits(full.slice(0, cut), fix.edits);
  }
  run('on: push\njobs: {a: {steps: [{uses: actions/checkout@v4, with: [1]}, {uses: actions/checkout@v4, with: {persist-credentials: [x]}}, {uses: ');
  const azure = 'steps:\n- checkout: self\n  persistCredentials: true\n';
  for (let cut = 0; cut <= azure.length; cut += 2) run(azure.slice(0, cut), AZURE);
});

test('persist-credentials with another literal (yes) is a warning', () => {
  const text = workflow('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: yes\n');
  const findings = run(text);
  assert.equal(textAt(text, findings[0]!.range), 'yes');
  assert.equal(findings[0]!.severity, 'warning');
});

test('a step reached twice through an alias is one finding; a step whose with: is an alias gets no fix (zizmor anchors fixtures)', () => {
  const anchored = 'on: push\njobs:\n  _anchors:\n    runs-on: ubuntu-latest\n    steps:\n      - &checkout\n        uses: actions/checkout@v4\n  real:\n    runs-on: ubuntu-latest\n    steps:\n      - *checkout\n';
  assert.equal(run(anchored).length, 1);
  const withAlias = workflow('      - uses: actions/checkout@v4\n        with: &opts\n          fetch-depth: 0\n      - uses: actions/checkout@v5\n        with: *opts\n');
  const findings = run(withAlias);
  assert.deepEqual(findings.map((f) => textAt(withAlias, f.range)), ['actions/checkout@v4', 'actions/checkout@v5']);
  assert.equal(findings[0]!.fixes.filter((fix) => !fix.title.startsWith('Ignore ')).length, 1);
  assert.deepEqual(findings[1]!.fixes.filter((fix) => !fix.title.startsWith('Ignore ')), []);
});

test('a job that later runs `git push`: info naming the push line, the fix still offered; pushes elsewhere do not count', () => {
  const text = workflow([
    '      - uses: actions/checkout@v4',
    '      - run: |',
    '          git -c user.name=bot -c user.email=bot@example.com commit -am "bump"',
    '          git -C . push origin HEAD:main',
    '',
  ].join('\n'));
  const findings = run(text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, 'info');
  assert.equal(findings[0]!.message, "actions/checkout leaves the job's token for every later step, not only the `git push` on line 9; give that push the token itself and set `persist-credentials: false`.");
  assert.equal(findings[0]!.fixes[0]!.title, 'Set `persist-credentials: false` (later `git push` in this job stops working)');

  // `git commit` is no push; a push in another job needs nothing of this checkout.
  const other = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: git commit -m x\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git push\n';
  const otherFindings = run(other);
  assert.equal(otherFindings.length, 1);
  assert.equal(otherFindings[0]!.severity, 'warning');
});

test('Azure: persistCredentials: true in a job whose later script pushes is info, naming the push', () => {
  const text = 'steps:\n  - checkout: self\n    persistCredentials: true\n  - script: |\n      git tag v1\n      git push origin v1\n';
  const findings = run(text, AZURE);
  assert.equal(findings.length, 1);
  assert.equal(textAt(text, findings[0]!.range), 'true');
  assert.equal(findings[0]!.severity, 'info');
  assert.match(findings[0]!.message, /not only the `git push` on line 6; give that push the token itself\.$/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';

const id = 'pipeline-unsecure-commands';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };

test('ACTIONS_ALLOW_UNSECURE_COMMANDS true/yes in workflow, job and step env: error on the value; fix sets false', () => {
  const text = 'on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      ACTIONS_ALLOW_UNSECURE_COMMANDS: "yes"\n    steps:\n      - run: echo\n        env: { ACTIONS_ALLOW_UNSECURE_COMMANDS: TRUE }\n';
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['true', 'yes', 'TRUE']);
  assert.equal(findings[0]!.severity, 'error');
  assert.match(findings[0]!.message, /^`ACTIONS_ALLOW_UNSECURE_COMMANDS` lets any printed line set env variables and PATH/);
  const fix = findings[0]!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  assert.equal(applyEdits(text, fix.edits).split('\n')[2], '  ACTIONS_ALLOW_UNSECURE_COMMANDS: false');
});

test('negative: false, other variables, Azure/GitLab files; a zizmor ignore comment silences it', () => {
  assert.deepEqual(findingsOf(id, 'on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: false\n  OTHER: true\njobs: {}\n', GITHUB), []);
  assert.deepEqual(findingsOf(id, 'variables:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\nsteps:\n- script: echo\n', { kind: 'pipeline', path: '/repo/azure-pipelines.yml' }), []);
  const ignored = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      ACTIONS_ALLOW_UNSECURE_COMMANDS: yes # zizmor: ignore[insecure-commands]\n    steps: [{ run: echo }]\n';
  assert.deepEqual(findingsOf(id, ignored, GITHUB), []);
});

// action.yml (the GitHub composite action): third-party actions pinned by full commit SHA, inputs passed
// to scripts through the environment (never `${{ inputs.* }}` inside `run:`), and the repository's own
// linter has nothing to say about it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const repo = path.resolve(__dirname, '../../..');

interface Step { name: string; uses?: string; run?: string; shell?: string; env?: Record<string, string> }

test('action.yml: composite, SARIF upload pinned by SHA, no inputs pasted into scripts', () => {
  const action = parse(fs.readFileSync(path.join(repo, 'action.yml'), 'utf8')) as { runs: { using: string; steps: Step[] }; inputs: Record<string, unknown> };
  assert.equal(action.runs.using, 'composite');
  const uses = action.runs.steps.filter((s) => s.uses).map((s) => s.uses!);
  assert.ok(uses.some((u) => /^github\/codeql-action\/upload-sarif@[0-9a-f]{40}$/.test(u)), uses.join(', '));
  for (const u of uses) assert.match(u, /@[0-9a-f]{40}$/, u);
  for (const step of action.runs.steps.filter((s) => s.run)) {
    assert.equal(step.shell, 'bash', step.name);
    assert.doesNotMatch(step.run!, /\$\{\{/, `${step.name}: expression inside run`);
  }
  for (const input of ['paths', 'config', 'upload-sarif', 'category', 'fail-on-findings']) assert.ok(input in action.inputs, input);
});

test('container-guard lint finds nothing in action.yml', () => {
  const run = spawnSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'lint', '--format', 'json', 'action.yml'], { cwd: repo, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as { findings: unknown[] }).findings, []);
});

// Runs the code-server end-to-end driver (a real VS Code extension host, offline) as one test of the
// `npm test` run, twice: a trusted workspace, then an untrusted one (no registry request, nothing spawned).
// The driver prints the scenario log and its own `e2e: N passed, M failed` line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

test('VS Code (code-server 4.100.3): diagnostics, hover and completion, fix-all on save, pipeline YAML, commands, language status, rule links', { timeout: 30 * 60_000 }, () => {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'runInCodeServer.js')], { stdio: 'inherit' });
  assert.equal(result.status, 0, 'the code-server scenarios failed; see the log above');
});

test('VS Code (code-server 4.100.3), untrusted workspace: no registry request, no process spawned, lookups stay off', { timeout: 30 * 60_000 }, () => {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'runInCodeServer.js'), '--skip-install', '--untrusted'], { stdio: 'inherit' });
  assert.equal(result.status, 0, 'the untrusted code-server scenarios failed; see the log above');
});

// TextMate grammar tests (editor-testing.md §5): the fixtures in test/grammar/*.Dockerfile run through
// vscode-tmgrammar-test with this extension's grammars (from package.json contributes.grammars) on top
// of VS Code's own Dockerfile, PowerShell and batch grammars, read at test time from the built-in
// extensions of the code-server the e2e tests install (nothing vendored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const cache = process.env.CONTAINER_GUARD_CACHE ?? path.join(os.homedir(), '.cache', 'container-guard');
const builtIn = path.join(cache, 'code-server-4.100.3', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');
const grammars = ['docker/syntaxes/docker.tmLanguage.json', 'powershell/syntaxes/powershell.tmLanguage.json', 'bat/syntaxes/batchfile.tmLanguage.json'];

function ensureBuiltInGrammars(): void {
  if (grammars.every((g) => fs.existsSync(path.join(builtIn, g)))) return;
  for (const script of ['system-deps.sh', 'install-code-server.sh']) {
    const run = spawnSync('bash', [path.join(repo, 'scripts', script)], { stdio: 'inherit', timeout: 15 * 60_000 });
    assert.equal(run.status, 0, `scripts/${script} failed`);
  }
}

test('the generated shell grammar is up to date with syntaxes/generate.mjs', () => {
  const check = spawnSync(process.execPath, [path.join(repo, 'syntaxes', 'generate.mjs'), '--check'], { cwd: repo, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('the built-in grammars have the scope names the injections and embeddings use', () => {
  ensureBuiltInGrammars();
  const scopes = grammars.map((g) => JSON.parse(fs.readFileSync(path.join(builtIn, g), 'utf8')).scopeName);
  assert.deepEqual(scopes, ['source.dockerfile', 'source.powershell', 'source.batchfile']);
});

test('grammar fixtures: pragmas, PowerShell and batch in RUN', () => {
  ensureBuiltInGrammars();
  const fixtures = fs.readdirSync(path.join(repo, 'test', 'grammar')).filter((f) => f.endsWith('.Dockerfile'));
  assert.ok(fixtures.length >= 4, fixtures.join(', '));
  const cli = path.join(repo, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
  const args = [cli, '--config', path.join(repo, 'package.json'), ...grammars.flatMap((g) => ['-g', path.join(builtIn, g)]), 'test/grammar/*.Dockerfile'];
  // A fixture the tool cannot parse makes it print the error and then hang: hence the timeout.
  const run = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.error, undefined, `vscode-tmgrammar-test did not finish: ${run.stdout}${run.stderr}`);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  for (const fixture of fixtures) assert.match(run.stdout, new RegExp(`✓ test/grammar/${fixture.replace('.', '\\.')} run successfuly`), run.stdout);
});

// dist/cli.js is a launcher that compiles the engine bundle (dist/cli-engine.js) with the V8 code cache the
// build made (dist/cli-engine.cache). The cache must fit the Node.js that built it under the lint's flags
// (else it is dead weight), and a missing or foreign cache must change nothing but the start-up time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const dist = path.join(repo, 'dist');

function copyOfDist(cache: 'built' | 'none' | 'garbage'): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-launcher-'));
  for (const file of ['cli.js', 'cli-engine.js']) fs.copyFileSync(path.join(dist, file), path.join(directory, file));
  fs.cpSync(path.join(dist, 'wasm'), path.join(directory, 'wasm'), { recursive: true });
  if (cache === 'built') fs.copyFileSync(path.join(dist, 'cli-engine.cache'), path.join(directory, 'cli-engine.cache'));
  if (cache === 'garbage') fs.writeFileSync(path.join(directory, 'cli-engine.cache'), Buffer.alloc(4096, 0x5a));
  return directory;
}

function lintExamples(launcher: string, env: NodeJS.ProcessEnv = process.env): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [launcher, 'lint', '--format', 'json', 'examples/'], { cwd: repo, encoding: 'utf8', env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** What the launcher says of the cache under NODE_DEBUG=container-guard. */
function cacheVerdict(cache: 'built' | 'none' | 'garbage'): string | undefined {
  const run = lintExamples(path.join(copyOfDist(cache), 'cli.js'), { ...process.env, NODE_DEBUG: 'container-guard' });
  return /code cache (\w+)/.exec(run.stderr)?.[1];
}

test('the build made a code cache that V8 accepts under the lint flags the launcher sets', () => {
  // What the launcher does before compiling, in a fresh process: the lint's flags, then the compile.
  const probe = `
    const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
    require(${JSON.stringify(path.join(repo, 'server', 'out', 'cli', 'memory.js'))}).tuneForBatch();
    const source = fs.readFileSync(${JSON.stringify(path.join(dist, 'cli-engine.js'))}, 'utf8').replace(/^#!.*/, '');
    const script = new vm.Script(Module.wrap(source), { cachedData: fs.readFileSync(${JSON.stringify(path.join(dist, 'cli-engine.cache'))}) });
    process.stdout.write(String(script.cachedDataRejected));`;
  const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'false', 'V8 rejected dist/cli-engine.cache: were the flags in memory.ts changed after the cache was built?');
});

test('the launcher compiles the engine with the cache when it fits, and without it otherwise', () => {
  assert.equal(cacheVerdict('built'), 'accepted');
  assert.equal(cacheVerdict('garbage'), 'rejected');
  assert.equal(cacheVerdict('none'), 'absent');
});

test('with the cache, without it, or with a foreign one, the CLI reports the same findings', () => {
  const withCache = lintExamples(path.join(copyOfDist('built'), 'cli.js'));
  assert.equal(withCache.code, 1, withCache.stderr);
  const findings = JSON.parse(withCache.stdout) as { findings: unknown[] };
  assert.ok(findings.findings.length > 20, `${findings.findings.length} findings`);
  for (const cache of ['none', 'garbage'] as const) {
    const other = lintExamples(path.join(copyOfDist(cache), 'cli.js'));
    assert.equal(other.code, withCache.code, `${cache}: ${other.stderr}`);
    assert.equal(other.stdout, withCache.stdout, `${cache}: different output`);
    assert.equal(other.stderr, '', cache);
  }
});

test('commands other than lint start through the launcher too (the lint-made cache is simply not used)', () => {
  const launcher = path.join(copyOfDist('built'), 'cli.js');
  const version = spawnSync(process.execPath, [launcher, '--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^container-guard \d+\.\d+\.\d+/);
  const rules = spawnSync(process.execPath, [launcher, 'rules', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(rules.status, 0, rules.stderr);
  assert.ok((JSON.parse(rules.stdout) as unknown[]).length > 40);
});

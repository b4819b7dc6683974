// dist/server.js is a launcher that compiles the server bundle (dist/server-engine.js) with the V8 code
// cache the build made (dist/server-engine.cache). The cache must be accepted when the editor starts the
// server and when another client starts it bare (else it is dead weight and the server keeps the parser's
// memory), and under other flags (a debug session's) the server must work the same, compiled from source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../../../client/out/serverProcess';
import { REPO_ROOT, SERVER_BUNDLE } from './lspClient';

const DEBUG_ENV = { ...process.env, NODE_DEBUG: 'container-guard' };

/** What the launcher says of the cache when the server starts with `flags` (stdin closed: it exits at once). */
function cacheVerdict(flags: readonly string[]): string | undefined {
  const run = spawnSync(process.execPath, [...flags, SERVER_BUNDLE, '--stdio'], { cwd: REPO_ROOT, input: '', encoding: 'utf8', env: DEBUG_ENV, timeout: 30_000 });
  return /code cache (\w+)/.exec(run.stderr)?.[1];
}

/** Sends `initialize` over stdio and resolves with the server's answer (Content-Length framing). */
function initializeWith(flags: readonly string[]): Promise<{ result: { capabilities: Record<string, unknown> }; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, SERVER_BUNDLE, '--stdio'], { cwd: REPO_ROOT, env: DEBUG_ENV });
    let stdout = Buffer.alloc(0);
    let stderr = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no answer to initialize; stderr: ${stderr}`)); }, 30_000);
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = Buffer.concat([stdout, chunk]);
      const headerEnd = stdout.indexOf('\r\n\r\n');
      const length = Number(/Content-Length: (\d+)/i.exec(stdout.subarray(0, Math.max(headerEnd, 0)).toString('ascii'))?.[1]);
      if (headerEnd < 0 || stdout.length < headerEnd + 4 + length) return;
      clearTimeout(timer);
      const message = JSON.parse(stdout.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as { result: { capabilities: Record<string, unknown> } };
      child.kill();
      resolve({ result: message.result, stderr });
    });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

test('the build made a server code cache that V8 accepts as the editor starts the server, and started bare', () => {
  assert.equal(cacheVerdict(SERVER_NODE_FLAGS), 'accepted', 'V8 rejected dist/server-engine.cache: were SERVER_NODE_FLAGS or serverV8.ts changed after the build?');
  assert.equal(cacheVerdict([]), 'accepted', 'a bare `node dist/server.js` (Neovim, the container-guard-server bin) does not get the cache');
});

test('under other flags the cache is refused and the server, compiled from source, answers the same', async () => {
  // A debug session's flags (client/src/extension.ts adds --nolazy and --inspect).
  assert.equal(cacheVerdict(['--nolazy']), 'rejected');
  const cached = await initializeWith(SERVER_NODE_FLAGS);
  const fromSource = await initializeWith(['--nolazy']);
  assert.match(cached.stderr, /code cache accepted/);
  assert.match(fromSource.stderr, /code cache rejected/);
  assert.ok(cached.result.capabilities['textDocumentSync'], JSON.stringify(cached.result));
  assert.deepEqual(fromSource.result, cached.result);
});

test('--version answers through the launcher', () => {
  const run = spawnSync(process.execPath, [SERVER_BUNDLE, '--version'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^container-guard-server \d+\.\d+\.\d+/);
});

// Git ref resolution for "Pin to commit": the pkt-line and advertisement parsers against hostile input,
// then real repositories (made with git, lightweight and annotated tags, branches) served by `git
// http-backend` on 127.0.0.1, and servers that lie, stall or flood.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRefError, MAX_PKT_LENGTH, isSafeRefName, normalizeGitBaseUrl, parseAdvertisement, pickRef, pktLines, resolveGitRef } from './gitRefs';
import { RegistryError } from './errors';
import { Transport } from './transport';
import { makeActionRepository, startGitServer, type ActionRepository } from './gitFixture';
import { startServer, type TestServer } from './testServers';

const pkt = (text: string): string => `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const advertisement = (...refLines: string[]): Buffer => Buffer.from(`${pkt('# service=git-upload-pack\n')}0000${refLines.map(pkt).join('')}0000`);
const all = (): boolean => true;

function throwsKind(fn: () => unknown, kind: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof GitRefError, String(error));
    assert.equal(error.kind, kind, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('pkt-lines', () => {
  test('data, flush, delim and response-end packets', () => {
    const lines = [...pktLines(Buffer.from(`${pkt('hello\n')}000000010002${pkt('x')}`))];
    assert.deepEqual(lines.map((line) => (line.type === 'data' ? `data:${line.data.toString()}` : line.type)), ['data:hello\n', 'flush', 'delim', 'response-end', 'data:x']);
  });

  test('hostile lengths: truncated prefix, non-hex, reserved 3, over LARGE_PACKET_MAX, past the end', () => {
    throwsKind(() => [...pktLines(Buffer.from('00'))], 'protocol', /truncated pkt-line length/);
    throwsKind(() => [...pktLines(Buffer.from('zz12abcdefgh'))], 'protocol', /not hex/);
    throwsKind(() => [...pktLines(Buffer.from('-012abcdefgh'))], 'protocol', /not hex/);
    throwsKind(() => [...pktLines(Buffer.from('0003'))], 'protocol', /invalid pkt-line length 3/);
    throwsKind(() => [...pktLines(Buffer.from(`${(MAX_PKT_LENGTH + 1).toString(16)}${'x'.repeat(10)}`))], 'protocol', /exceeds 65520/);
    throwsKind(() => [...pktLines(Buffer.from('ffff'))], 'protocol', /exceeds/);
    throwsKind(() => [...pktLines(Buffer.from('0010abc'))], 'protocol', /truncated pkt-line at byte 0 \(16 bytes announced, 7 left\)/);
    // A packet of exactly LARGE_PACKET_MAX is valid.
    const big = Buffer.concat([Buffer.from(MAX_PKT_LENGTH.toString(16).padStart(4, '0')), Buffer.alloc(MAX_PKT_LENGTH - 4, 0x61)]);
    assert.equal([...pktLines(big)].length, 1);
  });
});

describe('ref advertisement', () => {
  test('the first ref carries capabilities; peeled lines give the commit of annotated tags; only wanted refs are kept', () => {
    const body = advertisement(`${A} HEAD\0multi_ack side-band-64k object-format=sha1\n`, `${A} refs/heads/main\n`, `${B} refs/tags/v2\n`, `${C} refs/tags/v2^{}\n`, `${A} refs/pull/1/head\n`);
    const refs = parseAdvertisement(body, (name) => name.startsWith('refs/tags/') || name === 'refs/heads/main');
    assert.deepEqual([...refs], [['refs/heads/main', { oid: A }], ['refs/tags/v2', { oid: B, peeled: C }]]);
    assert.deepEqual(pickRef(refs, 'v2'), { sha: C, kind: 'tag', refName: 'refs/tags/v2', annotated: true });
    assert.deepEqual(pickRef(refs, 'main'), { sha: A, kind: 'branch', refName: 'refs/heads/main', annotated: false });
    assert.equal(pickRef(refs, 'v3'), null);
  });

  test('a tag wins over a branch of the same name; full ref names are taken as written', () => {
    const refs = parseAdvertisement(advertisement(`${A} refs/heads/release\0caps\n`, `${B} refs/tags/release\n`), all);
    assert.equal(pickRef(refs, 'release')?.sha, B);
    assert.equal(pickRef(refs, 'refs/heads/release')?.sha, A);
  });

  test('"version 1" before the refs, an empty repository (capabilities^{}), upper-case ids lowered', () => {
    assert.deepEqual([...parseAdvertisement(advertisement('version 1\n', `${A.toUpperCase()} refs/tags/v1\0caps\n`), all)], [['refs/tags/v1', { oid: A }]]);
    assert.deepEqual([...parseAdvertisement(advertisement(`${'0'.repeat(40)} capabilities^{}\0caps\n`), all)], []);
  });

  test('hostile advertisements are refused, never half-read', () => {
    throwsKind(() => parseAdvertisement(Buffer.from(''), all), 'protocol', /empty answer/);
    throwsKind(() => parseAdvertisement(Buffer.from('<html><body>Sign in</body></html>'), all), 'protocol', /not hex/);
    throwsKind(() => parseAdvertisement(Buffer.from(`${pkt(`${A} refs/heads/main\0caps\n`)}0000`), all), 'protocol', /does not start with "# service=git-upload-pack"/);
    throwsKind(() => parseAdvertisement(Buffer.from(`${pkt('# service=git-upload-pack\n')}0000${pkt(`${A} refs/tags/v1\0caps\n`)}`), all), 'protocol', /truncated ref advertisement/);
    throwsKind(() => parseAdvertisement(Buffer.from(`${pkt('# service=git-upload-pack\n')}${pkt(`${A} refs/tags/v1\0caps\n`)}`), all), 'protocol', /no flush packet/);
    throwsKind(() => parseAdvertisement(advertisement(`${A.slice(1)} refs/tags/v1\0caps\n`), all), 'protocol', /40-hex/);
    throwsKind(() => parseAdvertisement(advertisement(`${'g'.repeat(40)} refs/tags/v1\0caps\n`), all), 'protocol', /40-hex/);
    throwsKind(() => parseAdvertisement(advertisement(`${A} refs/tags/v1\n`), all), 'protocol', /no capabilities/);
    throwsKind(() => parseAdvertisement(advertisement(`${A} refs/tags/v1\0caps\n`, `${B} refs/tags/v2\0more\n`), all), 'protocol', /NUL/);
    throwsKind(() => parseAdvertisement(advertisement(`${A} \0caps\n`), all), 'protocol', /ref name/);
    throwsKind(() => parseAdvertisement(Buffer.concat([advertisement(`${A} refs/tags/v1\0caps\n`), Buffer.from(pkt(`${B} refs/tags/v9\n`))]), all), 'protocol', /after the end/);
    throwsKind(() => parseAdvertisement(advertisement(`${'a'.repeat(64)} refs/tags/v1\0object-format=sha256\n`), all), 'unsupported', /sha256/);
    throwsKind(() => parseAdvertisement(advertisement('version 2\n'), all), 'unsupported', /version 2/);
  });

  test('base URLs and ref names', () => {
    assert.equal(normalizeGitBaseUrl('https://github.com/'), 'https://github.com');
    assert.equal(normalizeGitBaseUrl(' https://ghe.example.com/git// '), 'https://ghe.example.com/git');
    for (const bad of ['ftp://x', 'https://user:pw@github.com', 'https://github.com?x=1', 'github.com', '']) assert.equal(normalizeGitBaseUrl(bad), null, bad);
    for (const ref of ['v4', 'v4.1.0', 'releases/v2', 'main', 'v1+build']) assert.ok(isSafeRefName(ref), ref);
    for (const ref of ['', '../x', 'a..b', '-x', 'x/', 'x.lock', 'a b', 'a~1', 'a^{}', 'a:b', '/x']) assert.ok(!isSafeRefName(ref), ref);
  });
});

describe('resolveGitRef against git http-backend', () => {
  let root: string;
  let server: TestServer;
  let repo: ActionRepository;
  const transport = new Transport({ timeoutMs: 10_000 });

  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-git-refs-')));
    repo = makeActionRepository(root, 'octo', 'setup-thing');
    server = await startGitServer(root);
  });
  after(async () => {
    transport.dispose();
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('lightweight tag, annotated tags (the peeled commit, not the tag object), branch, tag before branch', async () => {
    const resolve = (ref: string) => resolveGitRef(transport, server.url, 'octo', 'setup-thing', ref);
    assert.deepEqual(await resolve('v1'), { sha: repo.commits.one, kind: 'tag', refName: 'refs/tags/v1', annotated: false });
    const v2 = await resolve('v2');
    assert.deepEqual(v2, { sha: repo.commits.two, kind: 'tag', refName: 'refs/tags/v2', annotated: true });
    assert.notEqual(v2.sha, repo.refObjects['refs/tags/v2'], 'the tag object is not what uses: runs');
    assert.equal((await resolve('v2.1.0')).sha, repo.commits.two);
    assert.deepEqual(await resolve('main'), { sha: repo.commits.three, kind: 'branch', refName: 'refs/heads/main', annotated: false });
    assert.deepEqual(await resolve('release'), { sha: repo.commits.one, kind: 'tag', refName: 'refs/tags/release', annotated: false });
    assert.equal((await resolve('refs/heads/release')).sha, repo.commits.three);
    assert.ok(server.requests.every((request) => request === 'GET /octo/setup-thing.git/info/refs?service=git-upload-pack'), server.requests.join('\n'));
  });

  test('an unknown ref and an unknown repository are not-found; an unsafe ref is never requested', async () => {
    await assert.rejects(resolveGitRef(transport, server.url, 'octo', 'setup-thing', 'v9'), (error: GitRefError) => error.kind === 'not-found' && /"v9" is neither a tag nor a branch/.test(error.message));
    await assert.rejects(resolveGitRef(transport, server.url, 'octo', 'missing', 'v1'), (error: GitRefError) => error.kind === 'not-found');
    const before = server.requests.length;
    await assert.rejects(resolveGitRef(transport, server.url, 'octo', 'setup-thing', '../../etc'), (error: GitRefError) => error.kind === 'unsupported');
    assert.equal(server.requests.length, before);
  });
});

describe('resolveGitRef against hostile servers', () => {
  const servers: TestServer[] = [];
  after(async () => { await Promise.all(servers.map((server) => server.close())); });
  const serve = async (handler: Parameters<typeof startServer>[0]): Promise<TestServer> => {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  };
  const TYPE = { 'Content-Type': 'application/x-git-upload-pack-advertisement' };

  test('a server that never answers: a timeout, within the deadline', async () => {
    const server = await serve(() => undefined);
    const transport = new Transport({ timeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(resolveGitRef(transport, server.url, 'o', 'r', 'v1'), (error: RegistryError) => error.kind === 'timeout');
    assert.ok(Date.now() - started < 5_000);
    transport.dispose();
  });

  test('an endless advertisement: stopped at the byte cap', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, TYPE);
      response.write(`${pkt('# service=git-upload-pack\n')}0000${pkt(`${A} refs/heads/main\0caps\n`)}`);
      const line = Buffer.from(pkt(`${B} refs/pull/1/head\n`).repeat(1000));
      const pump = (): void => { while (response.write(line)) { /* fill the socket buffer */ } response.once('drain', pump); };
      pump();
      response.on('close', () => response.removeAllListeners('drain'));
    });
    const transport = new Transport({ timeoutMs: 10_000 });
    await assert.rejects(resolveGitRef(transport, server.url, 'o', 'r', 'v1', { maxBytes: 256 * 1024 }), (error: RegistryError) => error.kind === 'too-large');
    transport.dispose();
  });

  test('lies: an HTML page with status 200, a wrong id length, credentials wanted, a server error', async () => {
    const answers: Array<[number, Record<string, string>, string]> = [
      [200, { 'Content-Type': 'text/html' }, '<html>Sign in</html>'],
      [200, TYPE, advertisement(`${A.slice(2)} refs/tags/v1\0caps\n`).toString()],
      [401, { 'WWW-Authenticate': 'Basic realm="GitHub"' }, ''],
      [500, {}, ''],
    ];
    let index = 0;
    const server = await serve((_request, response) => {
      const [status, headers, body] = answers[index++]!;
      response.writeHead(status, headers).end(body);
    });
    const transport = new Transport({ timeoutMs: 5_000 });
    const kinds: string[] = [];
    for (let i = 0; i < answers.length; i++) {
      await resolveGitRef(transport, server.url, 'o', 'r', 'v1').then(() => kinds.push('resolved'), (error: GitRefError) => kinds.push(`${error.kind}: ${error.message}`));
    }
    assert.equal(kinds.length, 4);
    assert.match(kinds[0]!, /^protocol: .*not a smart git HTTP answer \(Content-Type text\/html\)/);
    assert.match(kinds[1]!, /^protocol: .*40-hex/);
    assert.match(kinds[2]!, /^auth-required: o\/r at http:\/\/127\.0\.0\.1:\d+: the server asks for credentials/);
    assert.match(kinds[3]!, /^http-status: .*HTTP 500/);
    transport.dispose();
  });
});

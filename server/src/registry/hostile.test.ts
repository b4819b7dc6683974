// Hostile or broken registries on loopback: each must give one typed error, quickly, without hangs,
// loops or unhandled rejections.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryClient } from './client';
import { RegistryError, RegistryErrorKind } from './errors';
import { Transport } from './transport';
import { Handler, TestServer, startServer } from './testServers';
import { makeCertificates, sha256 } from './registryFixture';
import { StaticCredentials } from './credentials';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  assert.deepEqual(unhandled, []);
});

const PASSWORD = 'Basic-Pa55word-never-shown';
const REPO = 'lib/app';
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }));
const DIGEST = sha256(manifest);

async function serve(handler: Handler, tlsOptions?: { key: string; cert: string }): Promise<TestServer> {
  const server = await startServer(handler, tlsOptions);
  servers.push(server);
  return server;
}

/** Every client here carries a Basic password, so each error message can be checked for it. */
function clientFor(server: TestServer, extra: ConstructorParameters<typeof RegistryClient>[0] = {}): RegistryClient {
  return new RegistryClient({
    plainHttpHosts: [server.host],
    credentials: new StaticCredentials({ username: 'user', password: PASSWORD }),
    maxManifestBytes: 64 * 1024,
    ...extra,
    transport: { timeoutMs: 400, ...extra.transport },
  });
}

async function expectKind(promise: Promise<unknown>, kind: RegistryErrorKind, message?: RegExp): Promise<void> {
  const started = Date.now();
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RegistryError, `not a RegistryError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (message) assert.match(error.message, message);
    assert.ok(!error.message.includes(PASSWORD) && !error.message.includes(Buffer.from(`user:${PASSWORD}`).toString('base64')));
    return true;
  });
  assert.ok(Date.now() - started < 5000, 'took too long');
}

test('slow registry: no headers, or a stalled body → timeout', async () => {
  const silent = await serve(() => undefined);
  await expectKind(clientFor(silent).resolve(`${silent.host}/${REPO}:1`), 'timeout');
  const stalled = await serve((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
    response.write('{"schemaVersion":');
  });
  await expectKind(clientFor(stalled).getManifest({ registry: stalled.host, repository: REPO }, DIGEST), 'timeout');
});

test('huge bodies are cut off at the cap, declared or streamed', async () => {
  const declared = await serve((_request, response) => {
    response.writeHead(200, { 'Content-Length': String(1024 * 1024 * 1024) });
    response.write('x');
  });
  await expectKind(clientFor(declared).getManifest({ registry: declared.host, repository: REPO }, DIGEST), 'too-large');
  const streamed = await serve((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = (): void => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once('drain', pump);
    };
    pump();
  });
  await expectKind(clientFor(streamed).getManifest({ registry: streamed.host, repository: REPO }, DIGEST), 'too-large');
});

test('redirect loops stop after 5 hops', async () => {
  const loop = await serve((request, response) => {
    response.writeHead(302, { Location: request.url ?? '/' });
    response.end();
  });
  await expectKind(clientFor(loop).getManifest({ registry: loop.host, repository: REPO }, DIGEST), 'redirect-loop', /more than 5 redirects/);
  assert.equal(loop.requests.length, 6);
});

test('digest lies: body not matching the requested digest, or a wrong Docker-Content-Digest', async () => {
  const other = Buffer.from('{"schemaVersion":2,"tampered":true}');
  const tampered = await serve((request, response) => {
    if (request.method === 'HEAD') {
      // No digest header on HEAD → the client GETs the tag and must check the claimed digest.
      response.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
      response.end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': DIGEST });
    response.end(other);
  });
  const client = clientFor(tampered);
  await expectKind(client.getManifest({ registry: tampered.host, repository: REPO }, DIGEST), 'bad-digest');
  await expectKind(client.resolve(`${tampered.host}/${REPO}:1`), 'bad-digest');
  await expectKind(client.getBlob({ registry: tampered.host, repository: REPO }, DIGEST, 1024), 'bad-digest');
});

test('bad JSON with a correct digest → bad-json', async () => {
  const junk = Buffer.from('<html>not json</html>');
  const server = await serve((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
    response.end(junk);
  });
  await expectKind(clientFor(server).getManifest({ registry: server.host, repository: REPO }, sha256(junk)), 'bad-json');
});

test('registry error status codes are typed, with the registry error code', async () => {
  const server = await serve((_request, response) => {
    response.writeHead(429, { 'Content-Type': 'application/json' });
    response.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit"}]}');
  });
  await expectKind(clientFor(server).getManifest({ registry: server.host, repository: REPO }, DIGEST), 'http-status', /429 TOOMANYREQUESTS/);
});

test('TLS: a certificate from an untrusted CA → tls; trusted, a redirect from https to http is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-tls-'));
  try {
    const certs = makeCertificates(dir);
    const plain = await serve((_request, response) => {
      response.end('{}');
    });
    const secure = await serve((_request, response) => {
      response.writeHead(307, { Location: `${plain.url}/v2/${REPO}/manifests/${DIGEST}` });
      response.end();
    }, { key: certs.key, cert: certs.cert });
    await expectKind(clientFor(secure, { plainHttpHosts: [] }).getManifest({ registry: secure.host, repository: REPO }, DIGEST), 'tls');
    await expectKind(clientFor(secure, { plainHttpHosts: [], transport: { extraCa: certs.caPem } }).getManifest({ registry: secure.host, repository: REPO }, DIGEST), 'redirect-loop', /https to http/);
    assert.equal(plain.requests.length, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('plain http to a host that is not allowed is refused before connecting', async () => {
  const transport = new Transport({ timeoutMs: 400 });
  await expectKind(transport.request({ url: 'http://registry.invalid/v2/' }), 'network', /refused plain http/);
  assert.equal(transport.allowsPlainHttp('localhost:5000'), true);
  assert.equal(transport.allowsPlainHttp('[::1]:5000'), true);
  assert.equal(transport.allowsPlainHttp('10.0.0.1:5000'), false);
  transport.dispose();
});

test('connection refused → network', async () => {
  const server = await serve(() => undefined);
  const host = server.host;
  await server.close();
  servers.splice(servers.indexOf(server), 1);
  await expectKind(clientFor(server).getManifest({ registry: host, repository: REPO }, DIGEST), 'network', /ECONNREFUSED/);
});

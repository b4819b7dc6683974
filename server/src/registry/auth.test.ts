// WWW-Authenticate parsing, Docker credentials (config.json, helpers), and the Bearer token flow
// against a fake registry + token server on loopback.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseChallenges } from './challenge';
import { DockerConfigCredentials, decodeAuth, dockerConfigKey } from './credentials';
import { RegistryClient } from './client';
import { RegistryError } from './errors';
import { startServer } from './testServers';
import { sha256 } from './registryFixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-auth-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('challenges: quoted scopes with commas and colons, several challenges, several headers', () => {
  const parsed = parseChallenges([
    'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:host:5000/a/b:pull,push repository:c:pull",error="invalid_token"',
    'Basic realm="basic-realm", Bearer realm="http://x/\\"q\\""',
  ]);
  assert.deepEqual(parsed[0], { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:host:5000/a/b:pull,push repository:c:pull', error: 'invalid_token' } });
  assert.deepEqual(parsed[1], { scheme: 'basic', params: { realm: 'basic-realm' } });
  assert.deepEqual(parsed[2], { scheme: 'bearer', params: { realm: 'http://x/"q"' } });
  assert.deepEqual(parseChallenges(['=,,"']), []);
});

test('docker config: auths base64, Docker Hub key, URL keys reduced to hosts', async () => {
  const config = path.join(tmp, 'plain.json');
  fs.writeFileSync(config, JSON.stringify({ auths: {
    'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub:pass').toString('base64') },
    'https://private.example.com/v1/': { auth: Buffer.from('u:p').toString('base64') },
  } }));
  const provider = new DockerConfigCredentials({ configPath: config, allowHelpers: false, env: {} });
  assert.deepEqual((await provider.lookup('registry-1.docker.io')).credentials, { username: 'hubuser', password: 'hub:pass' });
  assert.deepEqual((await provider.lookup('private.example.com')).credentials, { username: 'u', password: 'p' });
  assert.deepEqual(await provider.lookup('other.example.com'), {});
  assert.equal(dockerConfigKey('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(decodeAuth(Buffer.from(':nouser').toString('base64')), undefined);
});

test('credential helpers run only when allowed and present; a missing helper is anonymous with a note', async () => {
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  // A fake helper that echoes the host it was asked about (read from stdin) as the username.
  fs.writeFileSync(path.join(bin, 'docker-credential-fake'), '#!/bin/sh\nread host\n[ "$1" = get ] || exit 1\nprintf \'{"ServerURL":"%s","Username":"from-%s","Secret":"helper-secret"}\' "$host" "$host"\n', { mode: 0o755 });
  const config = path.join(tmp, 'helpers.json');
  fs.writeFileSync(config, JSON.stringify({ credsStore: 'desktop', credHelpers: { 'reg.example.com': 'fake' }, auths: { 'other.example.com': { auth: Buffer.from('a:b').toString('base64') } } }));
  const env = { PATH: bin };
  const trusted = new DockerConfigCredentials({ configPath: config, allowHelpers: true, env });
  assert.deepEqual((await trusted.lookup('reg.example.com')).credentials, { username: 'from-reg.example.com', password: 'helper-secret' });
  const missing = await trusted.lookup('ghcr.io');
  assert.equal(missing.credentials, undefined);
  assert.match(missing.note ?? '', /docker-credential-desktop not found/);
  // credsStore missing, but plain auths still apply.
  assert.deepEqual((await trusted.lookup('other.example.com')).credentials, { username: 'a', password: 'b' });
  const untrusted = new DockerConfigCredentials({ configPath: config, allowHelpers: false, env });
  const refused = await untrusted.lookup('reg.example.com');
  assert.equal(refused.credentials, undefined);
  assert.match(refused.note ?? '', /not trusted/);
});

test('Bearer flow: anonymous token, retry once, token cached per scope', async () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }));
  const digest = sha256(manifest);
  const tokenServer = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    assert.equal(url.searchParams.get('service'), 'fake-registry');
    assert.equal(url.searchParams.get('scope'), 'repository:lib/app:pull');
    assert.equal(request.headers.authorization, undefined); // anonymous
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ token: 'good-token', expires_in: 300 }));
  });
  const registry = await startServer((request, response) => {
    if (request.headers.authorization !== 'Bearer good-token') {
      response.statusCode = 401;
      response.setHeader('WWW-Authenticate', `Bearer realm="${tokenServer.url}/token",service="fake-registry",scope="repository:lib/app:pull"`);
      response.end();
      return;
    }
    response.setHeader('Content-Type', 'application/vnd.oci.image.manifest.v1+json');
    response.setHeader('Docker-Content-Digest', digest);
    response.setHeader('Content-Length', String(manifest.length));
    response.end(request.method === 'HEAD' ? undefined : manifest);
  });
  try {
    const client = new RegistryClient({ plainHttpHosts: [registry.host] });
    assert.equal((await client.resolve(`${registry.host}/lib/app:1`)).digest, digest);
    await client.getManifest({ registry: registry.host, repository: 'lib/app' }, digest);
    assert.equal(tokenServer.requests.length, 1);
    assert.deepEqual(registry.requests, ['HEAD /v2/lib/app/manifests/1', 'HEAD /v2/lib/app/manifests/1', `GET /v2/lib/app/manifests/${digest}`]);
    client.dispose();
  } finally {
    await registry.close();
    await tokenServer.close();
  }
});

test('401 loop: a token the registry rejects ends in auth-required after one retry', async () => {
  const tokenServer = await startServer((_request, response) => {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ access_token: 'useless' }));
  });
  const registry = await startServer((_request, response) => {
    response.statusCode = 401;
    response.setHeader('WWW-Authenticate', `Bearer realm="${tokenServer.url}/token",service="s"`);
    response.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
  try {
    const password = 'Hunter2-very-secret';
    const client = new RegistryClient({
      plainHttpHosts: [registry.host],
      credentials: { lookup: async () => ({ credentials: { username: 'me', password } }) },
    });
    await assert.rejects(client.resolve(`${registry.host}/lib/app:1`), (error: RegistryError) => {
      assert.equal(error.kind, 'auth-required');
      assert.ok(!error.message.includes(password));
      return true;
    });
    assert.equal(registry.requests.length, 2);
    assert.equal(tokenServer.requests.length, 1);
    client.dispose();
  } finally {
    await registry.close();
    await tokenServer.close();
  }
});

test('DOCKER_AUTH_CONFIG wins over the file; an identity token uses the OAuth2 refresh-token POST', async () => {
  const env = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'reg.example.com': { auth: Buffer.from('env:pw').toString('base64') } } }) };
  const provider = new DockerConfigCredentials({ configPath: path.join(tmp, 'missing.json'), allowHelpers: false, env });
  assert.deepEqual((await provider.lookup('reg.example.com')).credentials, { username: 'env', password: 'pw' });

  const manifest = Buffer.from('{"schemaVersion":2}');
  const digest = sha256(manifest);
  const forms: string[] = [];
  const tokenServer = await startServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      forms.push(`${request.method} ${body}`);
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ access_token: 'from-refresh', expires_in: 60 }));
    });
  });
  const registry = await startServer((request, response) => {
    if (request.headers.authorization !== 'Bearer from-refresh') {
      response.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokenServer.url}/oauth2/token",service="svc",scope="repository:lib/app:pull"` });
      response.end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': digest });
    response.end(manifest);
  });
  try {
    const client = new RegistryClient({ plainHttpHosts: [registry.host], credentials: { lookup: async () => ({ credentials: { identityToken: 'refresh-123' } }) } });
    await client.getManifest({ registry: registry.host, repository: 'lib/app' }, digest);
    assert.equal(forms.length, 1);
    const form = new URLSearchParams(forms[0]!.slice('POST '.length));
    assert.equal(forms[0]!.startsWith('POST '), true);
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('refresh_token'), 'refresh-123');
    assert.equal(form.get('service'), 'svc');
    assert.equal(form.get('scope'), 'repository:lib/app:pull');
    client.dispose();
  } finally {
    await registry.close();
    await tokenServer.close();
  }
});

// Registry lookups in the language server, over a real stdio connection, against Debian's
// docker-registry (distribution 2.8) behind a small counting proxy: the hover's Registry section,
// "Pin to digest", the opt-in signature diagnostic, and that nothing reaches the registry when lookups
// are off or the workspace is untrusted; a registry that is down or hangs gives a clear state, no hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { pushBlob, pushManifest, pushWindowsImage, startRegistry, type RegistryFixture } from '../../../server/out/registry/registryFixture';
import { freePort } from '../../../server/out/registry/testServers';
import { EKU } from '../../../server/out/signatures/notation/certs';
import { makeCert, makeKey, signJws } from '../../../server/out/signatures/notation/testPki';
import { fileUri, hoverText, pullClientCapabilities, settledHover, withServer } from './lspClient';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface CountingProxy {
  host: string;
  requests: string[];
  close(): Promise<void>;
}

/** Forwards every request to `target` (host:port) and records it, so tests can count registry traffic. */
async function countingProxy(target: string): Promise<CountingProxy> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const upstream = http.request({ host: targetHost, port: Number(targetPort), method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => { response.writeHead(502).end(); });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** An unsigned single-platform Windows image tagged `1.0`; returns its manifest digest. */
async function pushImage(fixture: RegistryFixture, repository: string): Promise<string> {
  return (await pushWindowsImage(fixture, repository)).digest;
}


/**
 * A Notation JWS signature of `subject`, pushed as a referrer and listed under the `sha256-<hex>` tag
 * (distribution 2.8 has no referrers API); returns a notation config folder that trusts the signer.
 */
async function pushNotationSignature(fixture: RegistryFixture, repository: string, subject: { digest: string; size: number }, scope: string, configDir: string): Promise<void> {
  const root = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Root']], key: makeKey('p384'), ca: true });
  const leaf = await makeCert({ name: [['C', 'US'], ['ST', 'Washington'], ['O', 'Contoso'], ['CN', 'Contoso Signing']], key: makeKey('p256'), issuer: root, eku: [EKU.codeSigning] });
  const envelope = signJws({ alg: 'ES256', key: leaf.key, chain: [leaf.der, root.der], target: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.size }, signingTime: new Date(Date.now() - 60_000) });
  const envelopeDigest = await pushBlob(fixture, repository, envelope);
  const emptyDigest = await pushBlob(fixture, repository, '{}');
  const signature = await pushManifest(fixture, repository, 'notation-sig', OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: 'application/vnd.cncf.notary.signature',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2 },
    layers: [{ mediaType: 'application/jose+json', digest: envelopeDigest, size: envelope.length }],
    subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.size },
  });
  await pushManifest(fixture, repository, `sha256-${subject.digest.slice('sha256:'.length)}`, 'application/vnd.oci.image.index.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: OCI_MANIFEST, digest: signature.digest, size: signature.size, artifactType: 'application/vnd.cncf.notary.signature' }],
  });
  const store = path.join(configDir, 'truststore', 'x509', 'ca', 'test');
  fs.mkdirSync(store, { recursive: true });
  fs.writeFileSync(path.join(store, 'root.pem'), `-----BEGIN CERTIFICATE-----\n${root.der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`);
  fs.writeFileSync(path.join(configDir, 'trustpolicy.json'), JSON.stringify({
    version: '1.0',
    trustPolicies: [{
      name: 'test', registryScopes: [scope], signatureVerification: { level: 'strict' },
      trustStores: ['ca:test'], trustedIdentities: ['x509.subject: O=Contoso, ST=Washington, C=US'],
    }],
  }));
}

function workspace(t: { after: (fn: () => void) => void }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-registry-lsp-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}


test('registry lookups over LSP against docker-registry', async (t) => {
  const fixture = await startRegistry();
  t.after(() => fixture.close());
  const proxy = await countingProxy(fixture.host);
  t.after(() => proxy.close());
  const digest = await pushImage(fixture, 'app');
  const dockerfile = (host: string): string => `FROM ${host}/app:1.0\nCMD ["app.exe"]\n`;

  await t.test('lookups on: the hover shows digest and unsigned, then Pin to digest and the opt-in diagnostic', async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    await withServer(async (client) => {
      client.setSettings({ registry: { lookups: true, plainHttpHosts: [proxy.host], signatureDiagnostics: true } });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true } });
      await client.didOpen(uri, dockerfile(proxy.host));
      const refreshes = client.refreshCount;
      // As VS Code does on open: the pull starts the lookup (no waiting) and finds nothing yet.
      assert.ok(!(await client.pullDiagnostics(uri)).some((d) => d.code === 'image-signature'));
      const text = await settledHover(client, uri);
      assert.ok(text.includes('Windows') || text.includes(`${proxy.host}/app`), 'catalog facts stay');
      assert.ok(text.includes('**Registry**'), text);
      assert.ok(text.includes(`\`${digest}\``), `digest ${digest} in\n${text}`);
      assert.ok(/unsigned/i.test(text), text);
      assert.ok(text.includes('No signatures found (tried:'), text);
      assert.ok(text.includes(`\`${proxy.host}/app:1.0\``), 'canonical reference');
      assert.ok(proxy.requests.length > 0);

      const actions = await client.codeActions(uri, { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, []) as CodeAction[];
      const pin = actions.find((a) => a.title.startsWith('Pin to digest'));
      assert.ok(pin, JSON.stringify(actions.map((a) => a.title)));
      assert.equal(pin.kind, 'quickfix');
      const edit = (pin.edit?.documentChanges?.[0] as TextDocumentEdit).edits[0]!;
      assert.equal(edit.newText, `${proxy.host}/app:1.0@${digest}`);
      assert.deepEqual(edit.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 5 + `${proxy.host}/app:1.0`.length } });
      const fixAll = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, [], ['source.fixAll']) as CodeAction[];
      assert.ok(!fixAll.some((a) => a.title.startsWith('Pin to digest')), 'not part of fix-all');

      await client.waitForRefresh(refreshes);
      const diagnostics = await client.pullDiagnostics(uri);
      const signature = diagnostics.find((d) => d.code === 'image-signature');
      assert.ok(signature, JSON.stringify(diagnostics));
      assert.match(signature.message, /no Notation or cosign signature/);
      assert.equal(signature.range.start.line, 0);

      // Cached: another hover makes no new request.
      const before = proxy.requests.length;
      assert.ok((await hoverText(client, uri)).includes(digest));
      assert.equal(proxy.requests.length, before);

      // Offline: the client's caches answer; an image never looked up says "offline", and nothing is fetched.
      client.setSettings({ registry: { lookups: true, offline: true, plainHttpHosts: [proxy.host] } });
      await client.didChangeConfiguration();
      const offline = await settledHover(client, uri);
      assert.ok(offline.includes(digest), offline);
      await client.replaceText(uri, `FROM ${proxy.host}/other:2.0\n`);
      const uncached = await settledHover(client, uri);
      assert.ok(uncached.includes('**offline**'), uncached);
      assert.equal(proxy.requests.length, before, proxy.requests.slice(before).join('\n'));
    });
  });

  await t.test('a Notation-signed image with a trust policy from the settings: verified, with signer and root', async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    const configDir = path.join(folder, 'notation');
    const subject = await pushWindowsImage(fixture, 'signed');
    await pushNotationSignature(fixture, 'signed', subject, `${proxy.host}/signed`, configDir);
    await withServer(async (client) => {
      client.setSettings({ registry: { lookups: true, plainHttpHosts: [proxy.host] }, trust: { notationConfigDir: configDir } });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true } });
      await client.didOpen(uri, `FROM ${proxy.host}/signed:1.0\n`);
      const text = await settledHover(client, uri);
      assert.ok(text.includes('**Verified**'), text);
      assert.ok(text.includes(subject.digest), text);
      assert.ok(/notation \(jws\) · \*\*verified\*\*/.test(text), text);
      assert.ok(text.includes('Contoso') && text.includes('Test Root') && text.includes('found via tag-schema'), text);
    });
  });

  await t.test('lookups off (default): the hover says so and nothing reaches the registry', async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    const before = proxy.requests.length;
    await withServer(async (client) => {
      client.setSettings({ registry: { plainHttpHosts: [proxy.host], signatureDiagnostics: true } });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true } });
      await client.didOpen(uri, dockerfile(proxy.host));
      const text = await hoverText(client, uri);
      assert.ok(text.includes('Registry lookups are disabled'), text);
      assert.ok(!(await client.pullDiagnostics(uri)).some((d) => d.code === 'image-signature'));
      const actions = await client.codeActions(uri, { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, []) as CodeAction[];
      assert.ok(!actions.some((a) => a.title.startsWith('Pin to digest')));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    assert.equal(proxy.requests.length, before, proxy.requests.slice(before).join('\n'));
  });

  await t.test('untrusted workspace: no request until the client grants trust', async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    const before = proxy.requests.length;
    await withServer(async (client) => {
      client.setSettings({ registry: { lookups: true, plainHttpHosts: [proxy.host], signatureDiagnostics: true } });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: false } });
      await client.didOpen(uri, dockerfile(proxy.host));
      const text = await hoverText(client, uri);
      assert.ok(text.includes('untrusted workspace'), text);
      assert.ok(!(await client.pullDiagnostics(uri)).some((d) => d.code === 'image-signature'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(proxy.requests.length, before, proxy.requests.slice(before).join('\n'));

      await client.connection.sendNotification('containerGuard/workspaceTrust', { trusted: true });
      const trusted = await settledHover(client, uri);
      assert.ok(trusted.includes(digest), trusted);
      assert.ok(proxy.requests.length > before);
    });
  });

  await t.test('a registry that is down: a clear network error, quickly', async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    const down = `127.0.0.1:${await freePort()}`;
    await withServer(async (client) => {
      client.setSettings({ registry: { lookups: true, plainHttpHosts: [down] } });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true } });
      await client.didOpen(uri, dockerfile(down));
      const started = Date.now();
      const text = await settledHover(client, uri);
      assert.ok(Date.now() - started < 5_000);
      assert.ok(text.includes('**network**') && text.includes('could not be reached'), text);
    });
  });

  await t.test('a registry that never answers: "checking…" within the budget, then a timeout', async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => { sockets.add(socket); socket.on('error', () => undefined); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => { for (const s of sockets) s.destroy(); silent.close(); });
    const host = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    await withServer(async (client) => {
      client.setSettings({ registry: { lookups: true, plainHttpHosts: [host], timeoutMs: 1_500 } });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true, hoverBudgetMs: 300 } });
      await client.didOpen(uri, dockerfile(host));
      const started = Date.now();
      const first = await hoverText(client, uri);
      assert.ok(Date.now() - started < 1_500, `hover took ${Date.now() - started} ms`);
      assert.ok(first.includes('Checking the registry'), first);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const second = await hoverText(client, uri);
      assert.ok(second.includes('**timeout**'), second);
    });
  });
});

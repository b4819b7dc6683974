// imageStatus() against a node:http registry that implements the OCI referrers API: a real Notation
// JWS (test PKI) found via `GET /v2/<name>/referrers/<digest>`, verified with a trust configuration.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RegistryClient } from '../registry/index';
import { NOTATION_SIGNATURE, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST } from '../registry/mediaTypes';
import { startServer, type TestServer } from '../registry/testServers';
import { EKU } from '../signatures/notation/certs';
import { emptyTrustStores, type TrustConfiguration } from '../signatures/notation/index';
import { makeCert, makeKey, signJws } from '../signatures/notation/testPki';
import type { Descriptor } from '../signatures/types';
import { imageStatus, type VerificationSettings } from './imageStatus';

const sha = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Content { manifests: Map<string, { type: string; bytes: Buffer }>; blobs: Map<string, Buffer>; referrers: Map<string, Buffer> }

function registryServer(content: Content, failReferrers = false): Promise<TestServer> {
  return startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const send = (status: number, body: Buffer = Buffer.alloc(0), headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'Content-Length': String(body.length), ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (url.pathname === '/v2/') return send(200, Buffer.from('{}'));
    let m = /^\/v2\/app\/manifests\/(.+)$/.exec(url.pathname);
    if (m) {
      const found = content.manifests.get(decodeURIComponent(m[1]!));
      return found ? send(200, found.bytes, { 'Content-Type': found.type, 'Docker-Content-Digest': sha(found.bytes) }) : send(404);
    }
    m = /^\/v2\/app\/blobs\/(.+)$/.exec(url.pathname);
    if (m) {
      const blob = content.blobs.get(m[1]!);
      return blob ? send(200, blob) : send(404);
    }
    m = /^\/v2\/app\/referrers\/(.+)$/.exec(url.pathname);
    if (m) {
      if (failReferrers) return send(500);
      const index = content.referrers.get(m[1]!) ?? Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
      return send(200, index, { 'Content-Type': OCI_INDEX });
    }
    return send(404);
  });
}

describe('imageStatus with the referrers API', () => {
  let server: TestServer;
  let broken: TestServer;
  let trust: TrustConfiguration;
  let subject: Descriptor;

  before(async () => {
    const root = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Root']], key: makeKey('p256'), ca: true });
    const leaf = await makeCert({ name: [['C', 'US'], ['ST', 'WA'], ['O', 'Contoso'], ['CN', 'Signer']], key: makeKey('p256'), issuer: root, eku: [EKU.codeSigning] });
    const content: Content = { manifests: new Map(), blobs: new Map(), referrers: new Map() };
    const config = Buffer.from('{"os":"windows","architecture":"amd64"}');
    content.blobs.set(sha(config), config);
    const image = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers: [] }));
    subject = { mediaType: OCI_MANIFEST, digest: sha(image), size: image.length };
    content.manifests.set('v1', { type: OCI_MANIFEST, bytes: image });
    content.manifests.set(subject.digest, { type: OCI_MANIFEST, bytes: image });
    const envelope = signJws({ alg: 'ES256', key: leaf.key, chain: [leaf.der, root.der], target: subject, signingTime: new Date('2025-06-01Z') });
    content.blobs.set(sha(envelope), envelope);
    const empty = Buffer.from('{}');
    content.blobs.set(sha(empty), empty);
    const signature = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: NOTATION_SIGNATURE,
      config: { mediaType: OCI_EMPTY, digest: sha(empty), size: 2 },
      layers: [{ mediaType: 'application/jose+json', digest: sha(envelope), size: envelope.length }],
      subject,
    }));
    content.manifests.set(sha(signature), { type: OCI_MANIFEST, bytes: signature });
    content.referrers.set(subject.digest, Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: sha(signature), size: signature.length, artifactType: NOTATION_SIGNATURE }],
    })));
    server = await registryServer(content);
    broken = await registryServer(content, true);
    const stores = emptyTrustStores();
    stores.ca.test = [root.der];
    trust = {
      policy: { version: '1.0', trustPolicies: [{ name: 'all', registryScopes: ['*'], signatureVerification: { level: 'strict' }, trustStores: ['ca:test'], trustedIdentities: ['*'] }] },
      stores,
    };
  });

  after(async () => {
    await server?.close();
    await broken?.close();
  });

  const settings = (): VerificationSettings => ({ trust, cosignKeys: { keys: [], errors: [] }, now: new Date('2025-07-01Z') });

  it('finds the Notation signature through the referrers API and verifies it', async () => {
    const client = new RegistryClient({ plainHttpHosts: [server.host] });
    try {
      const status = await imageStatus(client, `${server.host}/app:v1`, settings());
      assert.equal(status.verdict, 'verified', status.summary);
      assert.equal(status.digest, subject.digest);
      const [found] = status.subjects.flatMap((s) => s.signatures);
      assert.equal(found?.foundVia, 'referrers-api');
      assert.equal(found?.envelope, 'jws');
      assert.match(found?.signer ?? '', /CN=Signer/);
      assert.ok(status.subjects[0]?.searched.includes('referrers API'));
      assert.ok(server.requests.some((r) => r.startsWith(`GET /v2/app/referrers/${subject.digest}`)));
    } finally {
      client.dispose();
    }
  });

  it('without a trust policy the signature is unverifiable, not verified', async () => {
    const client = new RegistryClient({ plainHttpHosts: [server.host] });
    try {
      const status = await imageStatus(client, `${server.host}/app:v1`, { ...settings(), trust: null });
      assert.equal(status.verdict, 'unverifiable');
    } finally {
      client.dispose();
    }
  });

  it('a failed referrers lookup with nothing else found → error, not unsigned', async () => {
    const client = new RegistryClient({ plainHttpHosts: [broken.host] });
    try {
      const status = await imageStatus(client, `${broken.host}/app:v1`, settings());
      assert.equal(status.verdict, 'error', status.summary);
      assert.match(status.summary, /referrers lookup failed: http-status/);
    } finally {
      client.dispose();
    }
  });
});

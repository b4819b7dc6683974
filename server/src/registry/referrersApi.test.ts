// A registry that has the OCI 1.1 referrers API (node:http), and the caches' request counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from './client';
import { RegistryError } from './errors';
import { TestServer, startServer } from './testServers';
import { sha256 } from './registryFixture';
import { NOTATION_SIGNATURE, OCI_INDEX, OCI_MANIFEST } from './mediaTypes';

const image = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:' + '1'.repeat(64), size: 2 }, layers: [] }));
const IMAGE = sha256(image);
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const referrers = [
  { mediaType: OCI_MANIFEST, digest: 'sha256:' + 'a'.repeat(64), size: 500, artifactType: NOTATION_SIGNATURE, annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '[]' } },
  { mediaType: OCI_MANIFEST, digest: 'sha256:' + 'b'.repeat(64), size: 600, artifactType: BUNDLE },
  { mediaType: OCI_MANIFEST, digest: 'sha256:' + 'c'.repeat(64), size: 700, artifactType: 'application/spdx+json' },
];

let server: TestServer;
let filterOnServer = true;
before(async () => {
  server = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === `/v2/lib/app/referrers/${IMAGE}`) {
      const type = url.searchParams.get('artifactType');
      const list = type && filterOnServer ? referrers.filter((entry) => entry.artifactType === type) : referrers;
      const headers: Record<string, string> = { 'Content-Type': OCI_INDEX };
      if (type && filterOnServer) headers['OCI-Filters-Applied'] = 'artifactType';
      response.writeHead(200, headers);
      response.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: list }));
      return;
    }
    if (url.pathname === `/v2/lib/paged/referrers/${IMAGE}`) {
      // Two pages, linked with `Link: <…>; rel="next"` (relative URL, as distribution-spec allows).
      const second = url.searchParams.get('page') === '2';
      const headers: Record<string, string> = { 'Content-Type': OCI_INDEX };
      if (!second) headers.Link = `</v2/lib/paged/referrers/${IMAGE}?page=2>; rel="next"`;
      response.writeHead(200, headers);
      response.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: second ? referrers.slice(1) : referrers.slice(0, 1) }));
      return;
    }
    if (url.pathname === '/v2/lib/app/manifests/1') {
      // Slow enough that concurrent lookups overlap.
      setTimeout(() => {
        response.writeHead(200, { 'Content-Type': OCI_MANIFEST, 'Docker-Content-Digest': IMAGE, 'Content-Length': String(image.length) });
        response.end(request.method === 'HEAD' ? undefined : image);
      }, 50);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'application/json' });
    response.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
  });
});
after(async () => {
  await server?.close();
});

test('referrers API: every referrer found via referrers-api and classified; the cosign tag is also probed', async () => {
  const client = new RegistryClient({ plainHttpHosts: [server.host] });
  const found = await client.signatures({ registry: server.host, repository: 'lib/app' }, IMAGE);
  assert.equal(found.referrersApi, true);
  assert.deepEqual(found.referrers.map((entry) => [entry.foundVia, entry.kind]), [['referrers-api', 'notation'], ['referrers-api', 'sigstore-bundle'], ['referrers-api', 'other']]);
  assert.equal(found.referrers[0]?.descriptor.annotations?.['io.cncf.notary.x509chain.thumbprint#S256'], '[]');
  const hex = IMAGE.slice(7);
  assert.ok(server.requests.includes(`GET /v2/lib/app/manifests/sha256-${hex}.sig`));
  assert.ok(!server.requests.includes(`GET /v2/lib/app/manifests/sha256-${hex}`), 'no tag-schema fallback when the API exists');
  client.dispose();
});

test('referrers API with ?artifactType=: server-side filter honoured, and client-side when not applied', async () => {
  const client = new RegistryClient({ plainHttpHosts: [server.host], referrersTtlMs: 0 });
  const repo = { registry: server.host, repository: 'lib/app' };
  filterOnServer = true;
  const serverFiltered = await client.signatures(repo, IMAGE, { artifactType: BUNDLE });
  assert.deepEqual(serverFiltered.referrers.map((entry) => entry.descriptor.digest), [referrers[1]!.digest]);
  assert.ok(server.requests.some((line) => line.includes(`?artifactType=${encodeURIComponent(BUNDLE)}`)));
  filterOnServer = false;
  const clientFiltered = await client.signatures(repo, IMAGE, { artifactType: NOTATION_SIGNATURE });
  assert.deepEqual(clientFiltered.referrers.map((entry) => entry.descriptor.digest), [referrers[0]!.digest]);
  filterOnServer = true;
  client.dispose();
});

test('cache: concurrent resolves share one request; later ones hit the cache; offline serves it', async () => {
  const client = new RegistryClient({ plainHttpHosts: [server.host] });
  const before = server.requests.length;
  const results = await Promise.all([1, 2, 3, 4].map(() => client.resolve(`${server.host}/lib/app:1`)));
  assert.ok(results.every((result) => result.digest === IMAGE));
  assert.deepEqual(server.requests.slice(before), ['HEAD /v2/lib/app/manifests/1']);
  await client.resolve(`${server.host}/lib/app:1`);
  assert.equal(server.requests.length, before + 1);
  client.setOffline(true);
  assert.equal((await client.resolve(`${server.host}/lib/app:1`)).digest, IMAGE);
  await assert.rejects(client.resolve(`${server.host}/lib/app:2`), (error: RegistryError) => error.kind === 'offline');
  assert.equal(server.requests.length, before + 1);
  client.dispose();
});

test('tag TTL: an expired tag is looked up again; offline serves it marked stale', async () => {
  const client = new RegistryClient({ plainHttpHosts: [server.host], tagTtlMs: 0 });
  const before = server.requests.length;
  await client.resolve(`${server.host}/lib/app:1`);
  await client.resolve(`${server.host}/lib/app:1`);
  assert.equal(server.requests.length, before + 2);
  client.setOffline(true);
  const stale = await client.resolve(`${server.host}/lib/app:1`);
  assert.equal(stale.stale, true);
  client.dispose();
});

test('referrers API paging follows Link rel="next"', async () => {
  const client = new RegistryClient({ plainHttpHosts: [server.host] });
  const found = await client.signatures({ registry: server.host, repository: 'lib/paged' }, IMAGE);
  assert.deepEqual(found.referrers.map((entry) => entry.descriptor.digest), referrers.map((entry) => entry.digest));
  client.dispose();
});

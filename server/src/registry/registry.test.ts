// Against Debian's docker-registry 2.8 (plain http on loopback): real pushes, then the client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from './client';
import { RegistryError } from './errors';
import { RegistryFixture, startRegistry } from './registryFixture';
import { SampleImage, pushSampleImage } from './sampleContent';
import { normalizeReference } from './reference';

let fixture: RegistryFixture;
let sample: SampleImage;

before(async () => {
  fixture = await startRegistry();
  sample = await pushSampleImage(fixture, 'team/app');
});
after(async () => {
  await fixture?.close();
});

const client = (options: ConstructorParameters<typeof RegistryClient>[0] = {}) =>
  new RegistryClient({ plainHttpHosts: [fixture.host], transport: { timeoutMs: 5000 }, ...options });

test('resolve by tag returns the sha256 of the pushed index bytes and its media type', async () => {
  const registry = client();
  const resolved = await registry.resolve(`${fixture.host}/team/app:multi`);
  assert.equal(resolved.digest, sample.index.digest);
  assert.equal(resolved.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.equal(resolved.size, sample.index.size);
  const byDigest = await registry.resolve(`${fixture.host}/team/app@${sample.windows.digest}`);
  assert.equal(byDigest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  registry.dispose();
});

test('getManifest verifies the bytes; getBlob fetches and verifies a layer', async () => {
  const registry = client();
  const ref = normalizeReference(`${fixture.host}/team/app:multi`)!;
  const manifest = await registry.getManifest(ref, sample.index.digest);
  assert.deepEqual(manifest.bytes, sample.index.bytes);
  assert.equal(manifest.json.manifests?.length, 2);
  const blob = await registry.getBlob(ref, sample.layerDigest, 1024);
  assert.deepEqual(blob, sample.layerBytes);
  await assert.rejects(registry.getBlob(ref, sample.layerDigest, 10), (error: RegistryError) => error.kind === 'too-large');
  await assert.rejects(registry.getManifest(ref, 'sha256:' + '0'.repeat(64)), (error: RegistryError) => error.kind === 'not-found');
  await assert.rejects(registry.resolve(`${fixture.host}/team/app:nope`), (error: RegistryError) => error.kind === 'not-found');
  registry.dispose();
});

test('index platform choice: host 26100 picks the windows entry, host 20348 lists every entry', async () => {
  const ref = normalizeReference(`${fixture.host}/team/app:multi`)!;
  const on2025 = client({ hostOsVersion: '10.0.26100' });
  const manifest = await on2025.getManifest(ref, sample.index.digest);
  const chosen = on2025.choosePlatform(manifest);
  assert.equal(chosen.chosen?.digest, sample.windows.digest);
  assert.equal(chosen.entries.length, 2);
  const on2022 = client({ hostOsVersion: '20348' });
  const none = on2022.choosePlatform(await on2022.getManifest(ref, sample.index.digest));
  assert.equal(none.chosen, undefined);
  assert.deepEqual(none.entries.map((entry) => entry.platform?.os).sort(), ['linux', 'windows']);
  on2025.dispose();
  on2022.dispose();
});

test('signatures on a registry without the referrers API: 404 → tag schema, plus the cosign .sig tag', async () => {
  const registry = client();
  const ref = normalizeReference(`${fixture.host}/team/app:multi`)!;
  const found = await registry.signatures(ref, { mediaType: 'application/vnd.oci.image.index.v1+json', digest: sample.index.digest, size: sample.index.size });
  assert.equal(found.referrersApi, false);
  const notation = found.referrers.find((entry) => entry.foundVia === 'tag-schema');
  assert.equal(notation?.descriptor.digest, sample.notation.digest);
  assert.equal(notation?.kind, 'notation');
  assert.equal(notation?.manifest?.subject?.digest, sample.index.digest);
  const cosign = found.referrers.find((entry) => entry.foundVia === 'cosign-tag');
  assert.equal(cosign?.descriptor.digest, sample.cosign.digest);
  assert.equal(cosign?.manifest?.layers?.[0]?.mediaType, 'application/vnd.dev.cosign.simplesigning.v1+json');
  assert.deepEqual(found.notes, []);
  // Unsigned platform manifest: nothing found, no error.
  const none = await registry.signatures(ref, sample.linux.digest);
  assert.deepEqual(none.referrers, []);
  // Filter by artifactType client-side.
  const filtered = await registry.signatures(ref, sample.index.digest, { artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' });
  assert.deepEqual(filtered.referrers.map((entry) => entry.foundVia), ['cosign-tag']);
  registry.dispose();
});

test('offline mode serves what is cached and answers offline for the rest', async () => {
  const registry = client();
  const text = `${fixture.host}/team/app:multi`;
  const online = await registry.resolve(text);
  await registry.getManifest(online.reference, online.digest);
  await registry.signatures(online.reference, online.digest);
  registry.setOffline(true);
  assert.equal((await registry.resolve(text)).digest, sample.index.digest);
  assert.equal((await registry.getManifest(online.reference, online.digest)).digest, sample.index.digest);
  assert.equal((await registry.signatures(online.reference, online.digest)).referrers.length, 2);
  await assert.rejects(registry.resolve(`${fixture.host}/team/app:windows-only`), (error: RegistryError) => error.kind === 'offline');
  await assert.rejects(registry.getManifest(online.reference, sample.linux.digest), (error: RegistryError) => error.kind === 'offline');
  await assert.rejects(registry.getBlob(online.reference, sample.layerDigest, 1024), (error: RegistryError) => error.kind === 'offline');
  registry.dispose();
});

// imageStatus() end to end for keyless cosign: Debian's docker-registry (no referrers API → tag schema) with a
// cosign v3 DSSE bundle referrer and a legacy keyless `.sig` signature pushed through the registry API, both made
// with the test Sigstore PKI, verified with a trusted_root.json file and identities loaded from settings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryClient } from '../registry/index';
import { COSIGN_SIMPLE_SIGNING, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST } from '../registry/mediaTypes';
import { pushBlob, pushManifest, pushWindowsImage, startRegistry, type RegistryFixture } from '../registry/registryFixture';
import { SIGSTORE_BUNDLE_MEDIA_TYPE } from '../signatures/cosign/bundle';
import { EMAIL, EMAIL_ISSUER, SigstorePki, cosignStatement } from '../signatures/cosign/sigstoreTestPki';
import { payload as simpleSigningPayload } from '../signatures/cosign/testing';
import { imageStatus } from './imageStatus';
import { loadVerificationSettings } from './settings';

const sha = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let registry: RegistryFixture;
let client: RegistryClient;
let temp: string;
let rootFile: string;

/** Settings as the language server and CLI build them; the trusted root is read from disk by the loader. */
function settings(sigstore: unknown) {
  const loaded = loadVerificationSettings({ notationConfigDir: path.join(temp, 'no-notation'), sigstore, baseDir: temp, readFiles: true }, new Date());
  // (Notation's own "no trust policy" warning is not this test's business.)
  return { ...loaded, warnings: loaded.warnings.filter((w) => w.startsWith('Sigstore')) };
}

before(async () => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-keyless-'));
  registry = await startRegistry();
  client = new RegistryClient({ plainHttpHosts: [registry.host] });
  const pki = await SigstorePki.create('registry');
  const leaf = await pki.issueLeaf();
  rootFile = path.join(temp, 'trusted_root.json');
  fs.writeFileSync(rootFile, JSON.stringify(pki.trustedRoot(), null, 2));

  // cosign v3: a bundle referrer, reachable through the `sha256-<hex>` tag schema on distribution 2.8.
  const image = await pushWindowsImage(registry, 'bundle', 'v1');
  const subject = { mediaType: OCI_MANIFEST, digest: image.digest, size: image.size };
  const emptyDigest = await pushBlob(registry, 'bundle', '{}');
  /** A cosign v3 bundle referrer of `image` announcing `predicateType`, pushed by digest. */
  const pushBundleReferrer = async (predicateType: string): Promise<{ digest: string; size: number }> => {
    const bundle = pki.dsseBundle(leaf, cosignStatement(image.digest, predicateType));
    const bundleDigest = await pushBlob(registry, 'bundle', bundle);
    const referrer = JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      config: { mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 },
      layers: [{ mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, digest: bundleDigest, size: bundle.length }],
      subject,
      annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': predicateType },
    });
    return pushManifest(registry, 'bundle', sha(referrer), OCI_MANIFEST, referrer);
  };
  const pushed = await pushBundleReferrer('https://sigstore.dev/cosign/sign/v1');
  // Beside it, a valid SLSA provenance attestation by the same signer: an attestation, not a signature.
  const attested = await pushBundleReferrer('https://slsa.dev/provenance/v1');
  await pushManifest(registry, 'bundle', `sha256-${image.digest.slice(7)}`, OCI_INDEX, {
    schemaVersion: 2, mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: pushed.digest, size: pushed.size, artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE },
      { mediaType: OCI_MANIFEST, digest: attested.digest, size: attested.size, artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE },
    ],
  });

  // cosign ≤ v2: keyless simple signing under the `sha256-<hex>.sig` tag.
  const legacy = await pushWindowsImage(registry, 'legacy', 'v1');
  const body = simpleSigningPayload(legacy.digest, `${registry.host}/legacy`);
  const bodyDigest = await pushBlob(registry, 'legacy', body);
  const configDigest = await pushBlob(registry, 'legacy', '{}');
  await pushManifest(registry, 'legacy', `sha256-${legacy.digest.slice(7)}.sig`, OCI_MANIFEST, {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 2 },
    layers: [{ mediaType: COSIGN_SIMPLE_SIGNING, digest: bodyDigest, size: body.length, annotations: pki.legacyAnnotations(leaf, body) }],
  });
});

after(async () => {
  client?.dispose();
  await registry?.close();
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

describe('imageStatus: keyless cosign signatures in a registry', () => {
  const trusted = () => ({ trustedRoot: 'trusted_root.json', identities: [{ scope: `${registry.host}/*`, identity: EMAIL, issuer: EMAIL_ISSUER }] });

  it('cosign v3 DSSE bundle referrer (tag schema) → verified; the provenance attestation beside it is not a signature', async () => {
    const loaded = settings(trusted());
    assert.deepEqual(loaded.warnings, []);
    const status = await imageStatus(client, `${registry.host}/bundle:v1`, loaded.settings);
    assert.equal(status.verdict, 'verified', status.summary);
    const signatures = status.subjects.flatMap((s) => s.signatures);
    assert.equal(signatures.length, 1, 'the attestation announced as SLSA provenance is skipped');
    const [signature] = signatures;
    assert.deepEqual([signature?.format, signature?.envelope, signature?.status, signature?.foundVia], ['cosign', 'sigstore-bundle', 'verified', 'tag-schema']);
    assert.equal(signature?.signer, `${EMAIL} (OIDC issuer ${EMAIL_ISSUER})`);
    assert.match(signature?.root ?? '', /sigstore registry root/);
  });

  it('legacy keyless .sig → verified', async () => {
    const status = await imageStatus(client, `${registry.host}/legacy:v1`, settings(trusted()).settings);
    assert.equal(status.verdict, 'verified', status.summary);
    const [signature] = status.subjects.flatMap((s) => s.signatures);
    assert.deepEqual([signature?.envelope, signature?.status, signature?.foundVia], ['simple-signing', 'verified', 'cosign-tag']);
  });

  it('identity configured for other repositories only → untrusted; no trusted root → unverifiable', async () => {
    const elsewhere = settings({ trustedRoot: rootFile, identities: [{ scope: 'ghcr.io/*', identity: EMAIL, issuer: EMAIL_ISSUER }] });
    const untrusted = await imageStatus(client, `${registry.host}/bundle:v1`, elsewhere.settings);
    assert.equal(untrusted.verdict, 'untrusted', untrusted.summary);
    assert.match(untrusted.summary, /no Sigstore identity is configured for/);
    const none = await imageStatus(client, `${registry.host}/legacy:v1`, settings({}).settings);
    assert.equal(none.verdict, 'unverifiable', none.summary);
  });

  it('an unreadable trusted root is a configuration warning, and keyless signatures stay unverifiable', async () => {
    fs.writeFileSync(path.join(temp, 'garbage.json'), '{"mediaType": "text/plain"}');
    const loaded = settings({ trustedRoot: 'garbage.json', identities: [] });
    assert.equal(loaded.warnings.length, 1);
    assert.match(loaded.warnings[0]!, /^Sigstore: trusted root garbage\.json is not a Sigstore trusted root/);
    const status = await imageStatus(client, `${registry.host}/bundle:v1`, loaded.settings);
    assert.equal(status.verdict, 'unverifiable', status.summary);
  });
});

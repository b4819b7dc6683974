// The FROM hover over LSP for a keyless-signed image in Debian's docker-registry (distribution 2.8, so the cosign v3
// bundle referrer is found through the `sha256-<hex>` tag schema): a real Sigstore bundle made with the test PKI
// (Fulcio-style leaf with embedded SCT, Rekor SET + inclusion proof, RFC 3161 timestamp), verified against a
// trusted_root.json file named in `containerGuard.trust.sigstoreTrustedRoot` with the identities of
// `containerGuard.trust.sigstoreIdentities`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pushBlob, pushManifest, pushWindowsImage, startRegistry } from '../../../server/out/registry/registryFixture';
import { EMAIL, EMAIL_ISSUER, SIGNING_TIME, SigstorePki, cosignStatement } from '../../../server/out/signatures/cosign/sigstoreTestPki';
import { fileUri, pullClientCapabilities, settledHover, withServer } from './lspClient';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
const SIGSTORE_BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

test('keyless cosign signature in the FROM hover over LSP against docker-registry', async (t) => {
  const fixture = await startRegistry();
  t.after(() => fixture.close());
  const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-keyless-lsp-')));
  t.after(() => fs.rmSync(temp, { recursive: true, force: true }));

  const pki = await SigstorePki.create('lsp');
  const rootFile = path.join(temp, 'trusted_root.json');
  fs.writeFileSync(rootFile, JSON.stringify(pki.trustedRoot(), null, 2));

  // cosign v3: a DSSE bundle (with an RFC 3161 timestamp) as a referrer of the image, listed under the tag schema.
  const image = await pushWindowsImage(fixture, 'keyless');
  const bundle = await pki.timestamp(pki.dsseBundle(await pki.issueLeaf(), cosignStatement(image.digest)));
  const referrer = JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: SIGSTORE_BUNDLE,
    config: { mediaType: OCI_EMPTY, digest: await pushBlob(fixture, 'keyless', '{}'), size: 2 },
    layers: [{ mediaType: SIGSTORE_BUNDLE, digest: await pushBlob(fixture, 'keyless', bundle), size: bundle.length }],
    subject: { mediaType: OCI_MANIFEST, digest: image.digest, size: image.size },
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
  });
  const pushed = await pushManifest(fixture, 'keyless', `sha256:${createHash('sha256').update(referrer).digest('hex')}`, OCI_MANIFEST, referrer);
  await pushManifest(fixture, 'keyless', `sha256-${image.digest.slice('sha256:'.length)}`, OCI_INDEX, {
    schemaVersion: 2, mediaType: OCI_INDEX,
    manifests: [{ mediaType: OCI_MANIFEST, digest: pushed.digest, size: pushed.size, artifactType: SIGSTORE_BUNDLE }],
  });

  const signer = `${EMAIL} (OIDC issuer ${EMAIL_ISSUER})`;
  const rekorTime = new Date(SIGNING_TIME.getTime() + 60_000).toISOString();
  const tsaTime = new Date(SIGNING_TIME.getTime() + 30_000).toISOString();

  /** The settled hover of `FROM <registry>/keyless:1.0` with these `trust` settings, in a fresh server. */
  async function hover(trust: Record<string, unknown>): Promise<string> {
    const folder = fs.mkdtempSync(path.join(temp, 'ws-'));
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    return withServer(async (client) => {
      client.setSettings({ registry: { lookups: true, plainHttpHosts: [fixture.host] }, trust });
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true } });
      await client.didOpen(uri, `FROM ${fixture.host}/keyless:1.0\nCMD ["app.exe"]\n`);
      return settledHover(client, uri);
    });
  }

  await t.test('trusted root + matching identity: verified, with signer SAN and OIDC issuer, Fulcio root and times', async () => {
    const text = await hover({ sigstoreTrustedRoot: rootFile, sigstoreIdentities: [{ scope: `${fixture.host}/*`, identity: EMAIL, issuer: EMAIL_ISSUER }] });
    assert.ok(text.includes('✅ **Verified**'), text);
    assert.ok(text.includes(`\`${image.digest}\``), text);
    const line = text.split('\n').find((l) => l.startsWith('- cosign (sigstore-bundle)')) ?? '';
    assert.ok(line.includes('**verified**'), text);
    assert.ok(line.includes(`signer ${signer}`), line);
    assert.match(line, /root O=sigstore\.test \+ CN=sigstore lsp root/);
    assert.ok(line.includes(`signed ${rekorTime}`), line);
    assert.ok(line.includes(`timestamped ${tsaTime}`), line);
    assert.ok(line.includes('found via tag-schema'), line);
    assert.match(line, /RFC 3161 timestamp .* by O=sigstore\.test, CN=sigstore lsp TSA/);
    assert.match(line, new RegExp(`matches ${EMAIL.replace(/\./g, '\\.')} from ${EMAIL_ISSUER.replace(/\./g, '\\.')}`));
  });

  await t.test('another identity configured: untrusted, naming the actual signer', async () => {
    const text = await hover({ sigstoreTrustedRoot: rootFile, sigstoreIdentities: [{ scope: `${fixture.host}/*`, identity: 'release@example.com', issuer: EMAIL_ISSUER }] });
    assert.ok(text.includes('⚠️ **Signed, but not by a trusted signer**'), text);
    const line = text.split('\n').find((l) => l.startsWith('- cosign (sigstore-bundle)')) ?? '';
    assert.ok(line.includes('**untrusted**'), text);
    assert.ok(line.includes(`signer ${signer}`), line);
    assert.ok(line.includes(`by ${signer} passed Sigstore verification, but matches none of the identity configured for ${fixture.host}/keyless`), line);
    assert.ok(!line.includes('release@example.com'), 'the reason names the signer, not the configured identity');
  });

  await t.test('no trusted root: could not be verified, with the reason', async () => {
    const text = await hover({ sigstoreIdentities: [{ scope: `${fixture.host}/*`, identity: EMAIL, issuer: EMAIL_ISSUER }] });
    assert.ok(text.includes('❔ **Signed, could not be verified**'), text);
    const line = text.split('\n').find((l) => l.startsWith('- cosign (sigstore-bundle)')) ?? '';
    assert.ok(line.includes('**unverifiable**'), text);
    assert.ok(line.includes(signer), line);
    assert.match(line, /need a Sigstore trusted root, and none is configured/);
    assert.ok(!line.includes('timestamped'), line);
  });
});

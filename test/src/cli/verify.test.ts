// `container-guard verify` and `lint --resolve` end to end: Debian's docker-registry (distribution 2.8,
// no referrers API → tag schema) on 127.0.0.1, images pushed through the registry API, real Notation
// JWS/COSE envelopes from a test PKI and a real cosign simple-signing signature, a trust policy and
// trust store on disk, and the bundled CLI (dist/cli.js) run as a user would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, pushBlob, pushManifest, type RegistryFixture } from '../../../server/out/registry/registryFixture';
import { freePort } from '../../../server/out/registry/testServers';
import { COSIGN_SIMPLE_SIGNING, NOTATION_SIGNATURE, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST } from '../../../server/out/registry/mediaTypes';
import { makeCert, makeKey, signCose, signJws, type Issued, type SignOptions } from '../../../server/out/signatures/notation/testPki';
import { EKU } from '../../../server/out/signatures/notation/certs';
import { p256, payload as cosignPayload, sign as cosignSign } from '../../../server/out/signatures/cosign/testing';
import { EMAIL, EMAIL_ISSUER, SigstorePki, cosignStatement } from '../../../server/out/signatures/cosign/sigstoreTestPki';
import type { Descriptor } from '../../../server/out/signatures/types';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist', 'cli.js');
const ORG: [string, string][] = [['C', 'US'], ['ST', 'Washington'], ['L', 'Redmond'], ['O', 'Contoso']];
const JWS = 'application/jose+json';
const COSE = 'application/cose';

let registry: RegistryFixture;
let temp: string;
let home: string;
let policyFile: string;
let storeDir: string;
let cosignKeyFile: string;
let root: Issued, inter: Issued, leaf: Issued, expiredLeaf: Issued, otherRoot: Issued;
const images = new Map<string, Descriptor>();

interface Run { code: number | null; stdout: string; stderr: string }

function run(args: string[], env: Record<string, string> = {}, cwd = temp): Run {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd, encoding: 'utf8', timeout: 30_000,
    // No user configuration leaks in: an empty HOME, Docker config and XDG folder.
    env: { PATH: process.env.PATH ?? '', HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), XDG_CONFIG_HOME: path.join(home, '.config'), ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ImageJson {
  reference: string; digest: string | null; verdict: string; summary: string;
  platform: { digest: string; os: string } | null;
  signatures: Array<{ format: string; envelope: string; status: string; signer: string | null; signedAt: string | null; reason: string; foundVia: string | null; subjectRole: string }>;
  error: { kind: string } | null;
}

function verifyJson(reference: string, extra: string[] = [], env: Record<string, string> = {}): { run: Run; image: ImageJson } {
  const result = run(['verify', reference, '--plain-http', registry.host, '--trust-policy', policyFile, '--trust-store', storeDir, '--cosign-key', cosignKeyFile, '--format', 'json', ...extra], env);
  let report: { images: ImageJson[]; total: number; verified: number };
  try {
    report = JSON.parse(result.stdout) as typeof report;
  } catch {
    assert.fail(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
  assert.equal(report.images.length, 1);
  return { run: result, image: report.images[0]! };
}

const pem = (der: Buffer): string => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** A windows/amd64 image manifest tagged `v1`; with `index`, an OCI index over it tagged `v1` instead. */
async function pushImage(repository: string, index = false): Promise<Descriptor> {
  const layer = Buffer.from(`layer of ${repository}`);
  const layerDigest = await pushBlob(registry, repository, layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'windows', 'os.version': '10.0.26100.2894', rootfs: { type: 'layers', diff_ids: [] } }));
  const configDigest = await pushBlob(registry, repository, config);
  const manifest = {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
  };
  const image = await pushManifest(registry, repository, index ? 'windows' : 'v1', OCI_MANIFEST, manifest);
  if (!index) return { mediaType: OCI_MANIFEST, digest: image.digest, size: image.size };
  const list = await pushManifest(registry, repository, 'v1', OCI_INDEX, {
    schemaVersion: 2, mediaType: OCI_INDEX,
    manifests: [{ mediaType: OCI_MANIFEST, digest: image.digest, size: image.size, platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.26100.2894' } }],
  });
  return { mediaType: OCI_INDEX, digest: list.digest, size: list.size };
}

/** Pushes a Notation signature the way notation does on a registry without the referrers API. */
async function pushNotation(repository: string, subject: Descriptor, envelope: Buffer, mediaType: string): Promise<void> {
  const envelopeDigest = await pushBlob(registry, repository, envelope);
  const emptyDigest = await pushBlob(registry, repository, '{}');
  const manifest = {
    schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: NOTATION_SIGNATURE,
    config: { mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 },
    layers: [{ mediaType, digest: envelopeDigest, size: envelope.length }],
    subject,
    annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '[]' },
  };
  const bytes = JSON.stringify(manifest);
  const pushed = await pushManifest(registry, repository, `sha256:${createHash('sha256').update(bytes).digest('hex')}`, OCI_MANIFEST, bytes);
  await pushManifest(registry, repository, `sha256-${subject.digest.slice('sha256:'.length)}`, OCI_INDEX, {
    schemaVersion: 2, mediaType: OCI_INDEX,
    manifests: [{ mediaType: OCI_MANIFEST, digest: pushed.digest, size: pushed.size, artifactType: NOTATION_SIGNATURE }],
  });
}

function notationOptions(over: Partial<SignOptions> = {}): SignOptions {
  return { alg: 'ES256', key: leaf.key, chain: [leaf.der, inter.der, root.der], signingTime: new Date(Date.now() - 60_000), ...over };
}

before(async () => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-verify-'));
  home = path.join(temp, 'home');
  fs.mkdirSync(home);
  registry = await startRegistry();
  root = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Root']], key: makeKey('p384'), ca: true });
  inter = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Intermediate']], key: makeKey('p384'), issuer: root, ca: true, pathLen: 0 });
  leaf = await makeCert({ name: [...ORG, ['CN', 'Contoso Signing']], key: makeKey('p256'), issuer: inter, eku: [EKU.codeSigning] });
  expiredLeaf = await makeCert({ name: [...ORG, ['CN', 'Old']], key: makeKey('p256'), issuer: inter, notBefore: new Date('2024-01-01Z'), notAfter: new Date('2025-01-01Z') });
  otherRoot = await makeCert({ name: [['C', 'US'], ['O', 'Other'], ['CN', 'Other Root']], key: makeKey('p256'), ca: true });

  // Trust store (notation layout) and a policy with one statement per repository.
  storeDir = path.join(temp, 'truststore');
  fs.mkdirSync(path.join(storeDir, 'x509', 'ca', 'test'), { recursive: true });
  fs.mkdirSync(path.join(storeDir, 'x509', 'ca', 'other'), { recursive: true });
  fs.writeFileSync(path.join(storeDir, 'x509', 'ca', 'test', 'root.crt'), pem(root.der));
  fs.writeFileSync(path.join(storeDir, 'x509', 'ca', 'other', 'other.crt'), pem(otherRoot.der));
  const r = (name: string) => `${registry.host}/${name}`;
  const statement = (name: string, scopes: string[], over: object = {}) => ({
    name, registryScopes: scopes, signatureVerification: { level: 'strict' }, trustStores: ['ca:test'],
    trustedIdentities: ['x509.subject: O=Contoso, ST=Washington, C=US'], ...over,
  });
  policyFile = path.join(temp, 'trustpolicy.json');
  fs.writeFileSync(policyFile, JSON.stringify({
    version: '1.0',
    trustPolicies: [
      statement('test', ['jws', 'cose', 'tampered', 'expired', 'unsigned', 'cosign'].map(r)),
      statement('wrong-root', [r('wrongroot')], { trustStores: ['ca:other'] }),
      statement('identity', [r('identity')], { trustedIdentities: ['x509.subject: O=Fabrikam, ST=Washington, C=US'] }),
    ],
  }, null, 2));

  // Notation JWS on an index (the Windows entry is chosen), COSE on a plain manifest.
  const jws = await pushImage('jws', true);
  await pushNotation('jws', jws, signJws(notationOptions({ target: jws })), JWS);
  const cose = await pushImage('cose');
  await pushNotation('cose', cose, signCose(notationOptions({ target: cose })), COSE);
  // Tampered: a valid JWS whose payload is swapped afterwards for one naming a larger size.
  const tampered = await pushImage('tampered');
  const envelope = JSON.parse(signJws(notationOptions({ target: tampered })).toString()) as { payload: string };
  envelope.payload = Buffer.from(JSON.stringify({ targetArtifact: { ...tampered, size: tampered.size + 1 } })).toString('base64url');
  await pushNotation('tampered', tampered, Buffer.from(JSON.stringify(envelope)), JWS);
  const expired = await pushImage('expired');
  await pushNotation('expired', expired, signJws(notationOptions({ key: expiredLeaf.key, chain: [expiredLeaf.der, inter.der, root.der], target: expired, signingTime: new Date('2025-06-01Z') })), JWS);
  const wrongRoot = await pushImage('wrongroot');
  await pushNotation('wrongroot', wrongRoot, signJws(notationOptions({ target: wrongRoot })), JWS);
  const identity = await pushImage('identity');
  await pushNotation('identity', identity, signCose(notationOptions({ target: identity })), COSE);
  images.set('unsigned', await pushImage('unsigned'));

  // cosign simple signing under the legacy `sha256-<hex>.sig` tag.
  const key = p256();
  cosignKeyFile = path.join(temp, 'cosign.pub');
  fs.writeFileSync(cosignKeyFile, key.publicPem);
  const signed = await pushImage('cosign');
  const body = cosignPayload(signed.digest, r('cosign'));
  const bodyDigest = await pushBlob(registry, 'cosign', body);
  const emptyDigest = await pushBlob(registry, 'cosign', '{}');
  await pushManifest(registry, 'cosign', `sha256-${signed.digest.slice(7)}.sig`, OCI_MANIFEST, {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: emptyDigest, size: 2 },
    layers: [{ mediaType: COSIGN_SIMPLE_SIGNING, digest: bodyDigest, size: body.length, annotations: { 'dev.cosignproject.cosign/signature': cosignSign(key.privateKey, body).toString('base64') } }],
  });
  images.set('jws', jws).set('cose', cose).set('cosign', signed);
});

after(async () => {
  await registry?.close();
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

describe('container-guard verify', () => {
  it('Notation JWS on an index (tag schema) → verified, exit 0', () => {
    const { run: result, image } = verifyJson(`${registry.host}/jws:v1`, ['--host-os-version', '10.0.26100']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(image.verdict, 'verified');
    assert.equal(image.digest, images.get('jws')!.digest);
    assert.equal(image.platform?.os, 'windows');
    const signature = image.signatures.find((s) => s.status === 'verified')!;
    assert.deepEqual([signature.format, signature.envelope, signature.foundVia, signature.subjectRole], ['notation', 'jws', 'tag-schema', 'index']);
    assert.match(signature.signer ?? '', /CN=Contoso Signing/);
    assert.ok(signature.signedAt);
  });

  it('Notation COSE → verified', () => {
    const { run: result, image } = verifyJson(`${registry.host}/cose:v1`);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(image.verdict, 'verified');
    assert.deepEqual(image.signatures.map((s) => [s.format, s.envelope, s.status]), [['notation', 'cose', 'verified']]);
  });

  it('cosign simple signing (.sig tag) with a P-256 key → verified', () => {
    const { run: result, image } = verifyJson(`${registry.host}/cosign:v1`);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(image.verdict, 'verified');
    assert.deepEqual(image.signatures.map((s) => [s.format, s.envelope, s.status, s.foundVia]), [['cosign', 'simple-signing', 'verified', 'cosign-tag']]);
  });

  it('tampered payload → invalid, exit 1', () => {
    const { run: result, image } = verifyJson(`${registry.host}/tampered:v1`);
    assert.equal(result.code, 1);
    assert.equal(image.verdict, 'invalid');
    assert.equal(image.signatures[0]?.status, 'invalid');
  });

  it('chain to a root the policy does not trust → untrusted', () => {
    const { run: result, image } = verifyJson(`${registry.host}/wrongroot:v1`);
    assert.equal(result.code, 1);
    assert.equal(image.verdict, 'untrusted');
    assert.equal(image.signatures[0]?.status, 'untrusted');
  });

  it('leaf certificate expired at signing time → invalid', () => {
    const { run: result, image } = verifyJson(`${registry.host}/expired:v1`);
    assert.equal(result.code, 1);
    assert.equal(image.verdict, 'invalid');
    assert.match(image.signatures[0]?.reason ?? '', /CN=Old.*expired/);
  });

  it('signer identity not in trustedIdentities → untrusted', () => {
    const { run: result, image } = verifyJson(`${registry.host}/identity:v1`);
    assert.equal(result.code, 1);
    assert.equal(image.verdict, 'untrusted');
    assert.match(image.signatures[0]?.reason ?? '', /not in trustedIdentities/);
  });

  it('unsigned image → unsigned, exit 1', () => {
    const { run: result, image } = verifyJson(`${registry.host}/unsigned:v1`);
    assert.equal(result.code, 1);
    assert.equal(image.verdict, 'unsigned');
    assert.equal(image.digest, images.get('unsigned')!.digest);
    assert.deepEqual(image.signatures, []);
  });

  it('unreachable registry → error, exit 1', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const result = run(['verify', `${host}/app:v1`, '--plain-http', host, '--trust-policy', policyFile, '--trust-store', storeDir, '--format', 'json']);
    assert.equal(result.code, 1);
    const image = (JSON.parse(result.stdout) as { images: ImageJson[] }).images[0]!;
    assert.equal(image.verdict, 'error');
    assert.ok(image.error);
  });

  it('several images: exit 1 unless all are verified; text output names each verdict', () => {
    const result = run(['verify', `${registry.host}/cose:v1`, `${registry.host}/unsigned:v1`, '--plain-http', registry.host, '--trust-policy', policyFile, '--trust-store', storeDir]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /cose:v1: VERIFIED/);
    assert.match(result.stdout, /unsigned:v1: UNSIGNED/);
    assert.match(result.stdout, /^1 of 2 images verified$/m);
  });

  it('finds notation\'s own configuration under $XDG_CONFIG_HOME/notation without flags', () => {
    const xdg = path.join(temp, 'xdg');
    fs.mkdirSync(path.join(xdg, 'notation'), { recursive: true });
    fs.copyFileSync(policyFile, path.join(xdg, 'notation', 'trustpolicy.json'));
    fs.cpSync(storeDir, path.join(xdg, 'notation', 'truststore'), { recursive: true });
    const result = run(['verify', `${registry.host}/cose:v1`, '--plain-http', registry.host, '--format', 'json'], { XDG_CONFIG_HOME: xdg });
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('usage errors exit 2', () => {
    assert.equal(run(['verify']).code, 2);
    assert.equal(run(['verify', 'x:1', '--bogus']).code, 2);
    assert.equal(run(['verify', 'x:1', '--format', 'sarif']).code, 2);
    assert.equal(run(['verify', 'x:1', '--trust-policy', path.join(temp, 'missing.json')]).code, 2);
    const invalid = path.join(temp, 'invalid-policy.json');
    fs.writeFileSync(invalid, JSON.stringify({ version: '1.0', trustPolicies: [] }));
    const result = run(['verify', 'x:1', '--trust-policy', invalid]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid-policy\.json: trust policy has no trustPolicies/);
  });
});

describe('container-guard verify: keyless cosign with a Sigstore trusted root', () => {
  let rootFile: string;
  const SIGSTORE_BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

  before(async () => {
    const pki = await SigstorePki.create('cli');
    rootFile = path.join(temp, 'trusted_root.json');
    fs.writeFileSync(rootFile, JSON.stringify(pki.trustedRoot()));
    // A cosign v3 DSSE bundle referrer under the tag schema (distribution 2.8 has no referrers API).
    const image = await pushImage('keyless');
    const bundle = pki.dsseBundle(await pki.issueLeaf(), cosignStatement(image.digest));
    const referrer = JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: SIGSTORE_BUNDLE,
      config: { mediaType: OCI_EMPTY, digest: await pushBlob(registry, 'keyless', '{}'), size: 2 },
      layers: [{ mediaType: SIGSTORE_BUNDLE, digest: await pushBlob(registry, 'keyless', bundle), size: bundle.length }],
      subject: image,
    });
    const pushed = await pushManifest(registry, 'keyless', `sha256:${createHash('sha256').update(referrer).digest('hex')}`, OCI_MANIFEST, referrer);
    await pushManifest(registry, 'keyless', `sha256-${image.digest.slice(7)}`, OCI_INDEX, {
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: pushed.digest, size: pushed.size, artifactType: SIGSTORE_BUNDLE }],
    });
  });

  const keyless = (flags: string[]) => run(['verify', `${registry.host}/keyless:v1`, '--plain-http', registry.host, '--format', 'json', '--sigstore-trusted-root', rootFile, ...flags]);
  const image = (result: Run) => (JSON.parse(result.stdout) as { images: ImageJson[] }).images[0]!;

  it('--sigstore-trusted-root with --certificate-identity and --certificate-oidc-issuer → verified, exit 0', () => {
    const result = keyless(['--certificate-identity', EMAIL, '--certificate-oidc-issuer', EMAIL_ISSUER]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = image(result);
    assert.equal(report.verdict, 'verified');
    assert.deepEqual(report.signatures.map((s) => [s.format, s.envelope, s.status, s.foundVia]), [['cosign', 'sigstore-bundle', 'verified', 'tag-schema']]);
    assert.equal(report.signatures[0]?.signer, `${EMAIL} (OIDC issuer ${EMAIL_ISSUER})`);
  });

  it('--format text names the signer, the signing time and the Fulcio root of a keyless signature', () => {
    const result = run(['verify', `${registry.host}/keyless:v1`, '--plain-http', registry.host, '--format', 'text', '--sigstore-trusted-root', rootFile, '--certificate-identity', EMAIL, '--certificate-oidc-issuer', EMAIL_ISSUER]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /keyless:v1: VERIFIED/);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('verified cosign (sigstore-bundle)'));
    assert.ok(at >= 0, result.stdout);
    assert.ok(lines[at]!.includes(`signer ${EMAIL} (OIDC issuer ${EMAIL_ISSUER})`), lines[at]);
    assert.match(lines[at]!, /, signed 2026-03-01T12:01:00\.000Z$/);
    assert.match(lines[at + 1] ?? '', /^ {8}root O=sigstore\.test \+ CN=sigstore cli root$/);
    assert.match(lines[at + 2] ?? '', /^ {8}keyless cosign signature \(DSSE\) by dev@example\.com .* verified \(Fulcio chain to/);
    assert.match(result.stdout, /^1 of 1 image verified$/m);
  });

  it('regexp flags; another identity → untrusted, exit 1', () => {
    assert.equal(keyless(['--certificate-identity-regexp', '@example\\.com$', '--certificate-oidc-issuer-regexp', '^https://accounts\\.']).code, 0);
    const other = keyless(['--certificate-identity', 'someone@example.com', '--certificate-oidc-issuer', EMAIL_ISSUER]);
    assert.equal(other.code, 1);
    assert.equal(image(other).verdict, 'untrusted');
    assert.match(image(other).signatures[0]?.reason ?? '', /by dev@example\.com .*matches none of the identity configured/);
  });

  it('flag mistakes and an unusable trusted root exit 2', () => {
    assert.equal(run(['verify', 'x:1', '--certificate-identity', EMAIL, '--certificate-oidc-issuer', EMAIL_ISSUER]).code, 2);
    assert.equal(run(['verify', 'x:1', '--sigstore-trusted-root', rootFile, '--certificate-identity', EMAIL]).code, 2);
    assert.equal(run(['verify', 'x:1', '--sigstore-trusted-root', rootFile, '--certificate-identity', EMAIL, '--certificate-identity-regexp', '.', '--certificate-oidc-issuer', EMAIL_ISSUER]).code, 2);
    const garbage = path.join(temp, 'garbage-root.json');
    fs.writeFileSync(garbage, 'not json');
    const result = run(['verify', 'x:1', '--sigstore-trusted-root', garbage]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Sigstore: trusted root .*garbage-root\.json is not JSON/);
  });
});

describe('registry TLS with --ca-cert', () => {
  it('trusts the registry\'s CA only when --ca-cert names it', async () => {
    const tls = await startRegistry({ tls: true });
    try {
      await pushManifest(tls, 'app', 'v1', OCI_MANIFEST, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_EMPTY, digest: await pushBlob(tls, 'app', '{}'), size: 2 }, layers: [] });
      const ca = path.join(temp, 'registry-ca.crt');
      fs.writeFileSync(ca, tls.caPem!);
      const without = run(['verify', `${tls.host}/app:v1`, '--format', 'json']);
      assert.equal(without.code, 1);
      assert.equal((JSON.parse(without.stdout) as { images: ImageJson[] }).images[0]!.verdict, 'error');
      const withCa = run(['verify', `${tls.host}/app:v1`, '--ca-cert', ca, '--format', 'json']);
      assert.equal(withCa.code, 1);
      assert.equal((JSON.parse(withCa.stdout) as { images: ImageJson[] }).images[0]!.verdict, 'unsigned', withCa.stdout);
      assert.equal(run(['verify', `${tls.host}/app:v1`, '--ca-cert', path.join(temp, 'nope.crt')]).code, 2);
    } finally {
      await tls.close();
    }
  });
});

describe('container-guard lint --resolve', () => {
  it('pins FROM images to their digest in place (untagged ones as :latest), leaves unresolvable ones and stages, and is idempotent', async () => {
    // An image whose `latest` tag points at the same manifest as its `v1`.
    const plain = await pushImage('plain');
    const manifest = await fetch(`http://${registry.host}/v2/plain/manifests/v1`, { headers: { Accept: OCI_MANIFEST } }).then((r) => r.arrayBuffer());
    const put = await fetch(`http://${registry.host}/v2/plain/manifests/latest`, { method: 'PUT', headers: { 'Content-Type': OCI_MANIFEST }, body: Buffer.from(manifest) });
    assert.equal(put.status, 201);
    const dockerfile = path.join(temp, 'resolve', 'Dockerfile');
    fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
    const original = `FROM ${registry.host}/cose:v1 AS build\nRUN echo hi\nFROM ${registry.host}/nothere:v9\nCOPY --from=build /a /a\nFROM ${registry.host}/plain AS final\nFROM build\nFROM scratch\n`;
    fs.writeFileSync(dockerfile, original);
    const first = run(['lint', '--resolve', '--plain-http', registry.host, '--no-fail', 'resolve/Dockerfile']);
    assert.equal(first.code, 0, first.stderr);
    const pinned = fs.readFileSync(dockerfile, 'utf8');
    assert.equal(pinned, original
      .replace(`cose:v1 AS`, `cose:v1@${images.get('cose')!.digest} AS`)
      .replace(`/plain AS final`, `/plain:latest@${plain.digest} AS final`));
    assert.match(first.stderr, /resolve\/Dockerfile:1: pinned .*cose:v1 to .*cose:v1@sha256:/);
    assert.match(first.stderr, /resolve\/Dockerfile:3: left .*nothere:v9 as it is: cannot resolve it/);
    assert.doesNotMatch(first.stderr, /:(6|7): /, 'a stage name and scratch are not looked up');
    const second = run(['lint', '--resolve', '--plain-http', registry.host, '--no-fail', '--format', 'json', 'resolve/Dockerfile']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(fs.readFileSync(dockerfile, 'utf8'), pinned);
    const report = JSON.parse(second.stdout) as { pinned: unknown[]; unresolved: unknown[] };
    assert.deepEqual(report.pinned, []);
    assert.equal(report.unresolved.length, 1);
  });

  it('without --resolve nothing is looked up or changed', () => {
    const dockerfile = path.join(temp, 'resolve2', 'Dockerfile');
    fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
    const original = `FROM ${registry.host}/cose:v1\n`;
    fs.writeFileSync(dockerfile, original);
    run(['lint', '--no-fail', 'resolve2/Dockerfile']);
    assert.equal(fs.readFileSync(dockerfile, 'utf8'), original);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { parseCosignKeyConfig } from './keys';
import { CERTIFICATE_ANNOTATION, SIGNATURE_ANNOTATION, verifySimpleSigning, verifySimpleSigningLayer, verifySimpleSigningManifest } from './simpleSigning';
import { IMAGE_DIGEST, KEYLESS_CERT, KEYLESS_KEY, OTHER_DIGEST, REPO, config, layerFor, p256, payload, sign } from './testing';

const key = p256();
const keys = config({ scope: REPO, publicKey: key.publicPem, name: 'release' });
const blob = payload();
const sig = sign(key.privateKey, blob).toString('base64');

test('simple signing: valid P-256 signature is verified and names the key fingerprint', () => {
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: layerFor(blob, sig), blob });
  assert.equal(v.status, 'verified', v.reason);
  assert.equal(v.format, 'cosign');
  assert.equal(v.envelope, 'simple-signing');
  assert.equal(v.signer, keys.keys[0]?.fingerprint);
  assert.match(v.reason, /release \(sha256:[0-9a-f]{64}\)/);
  assert.match(v.reason, /signed reference ghcr\.io\/org\/app/);
  assert.match(v.reason, /Rekor transparency-log proof not checked/);
});

test('simple signing: tampered payload is invalid (blob no longer matches its descriptor)', () => {
  const tampered = Buffer.from(blob.toString().replace('"optional":{}', '"optional":{"x":"y"}'));
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: layerFor(blob, sig), blob: tampered });
  assert.equal(v.status, 'invalid', v.reason);
  assert.match(v.reason, /does not match its descriptor digest/);
});

test('simple signing: tampered payload with a rewritten descriptor is not verified (untrusted)', () => {
  const tampered = payload(IMAGE_DIGEST, REPO, { x: 'y' });
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: layerFor(tampered, sig), blob: tampered });
  assert.equal(v.status, 'untrusted', v.reason);
  assert.match(v.reason, /does not verify with the cosign key configured for ghcr\.io\/org\/app/);
});

test('simple signing: validly signed payload for another image digest is invalid', () => {
  const other = payload(OTHER_DIGEST);
  const s = sign(key.privateKey, other).toString('base64');
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: layerFor(other, s), blob: other });
  assert.equal(v.status, 'invalid');
  assert.match(v.reason, new RegExp(`signature is for ${OTHER_DIGEST}, not for ${IMAGE_DIGEST}`));
});

test('simple signing: signature by another key is untrusted', () => {
  const other = p256();
  const s = sign(other.privateKey, blob).toString('base64');
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: layerFor(blob, s), blob });
  assert.equal(v.status, 'untrusted');
});

test('simple signing: no key configured for the repository is unverifiable', () => {
  const elsewhere = config({ scope: 'ghcr.io/other/*', publicKey: key.publicPem });
  for (const k of [elsewhere, parseCosignKeyConfig(undefined)]) {
    const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: k, layer: layerFor(blob, sig), blob });
    assert.equal(v.status, 'unverifiable');
    assert.equal(v.reason, 'no cosign public key configured for ghcr.io/org/app');
  }
  const broken = parseCosignKeyConfig({ cosign: { keys: [{ scope: REPO, publicKey: 'garbage' }] } });
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: broken, layer: layerFor(blob, sig), blob });
  assert.equal(v.reason, 'no cosign public key configured for ghcr.io/org/app (1 cosign key entry could not be loaded)');
});

test('simple signing: scopes select the key (prefix wildcard and global)', () => {
  for (const scope of ['ghcr.io/org/*', '*', 'ghcr.io/org/app']) {
    const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: config({ scope, publicKey: key.publicPem }), layer: layerFor(blob, sig), blob });
    assert.equal(v.status, 'verified', scope);
  }
  // A more specific scope with another key shadows the global key.
  const shadow = config({ scope: '*', publicKey: key.publicPem }, { scope: 'ghcr.io/org/*', publicKey: p256().publicPem });
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: shadow, layer: layerFor(blob, sig), blob }).status, 'untrusted');
});

test('simple signing: blob digest or size not matching the descriptor is invalid', () => {
  const layer = { ...layerFor(blob, sig), digest: 'sha256:' + '0'.repeat(64) };
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer, blob }).status, 'invalid');
  const sized = { ...layerFor(blob, sig), size: blob.length + 1 };
  assert.match(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: sized, blob }).reason, /bytes but its descriptor says/);
  const bad = { ...layerFor(blob, sig), digest: 'md5:abc' };
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: bad, blob }).status, 'invalid');
});

test('simple signing: malformed JSON, base64, payload type and annotations are invalid without throwing', () => {
  const run = (b: Buffer, s: string | undefined, extra: Record<string, string> = {}) => {
    const layer = layerFor(b, s ?? '', extra);
    if (s === undefined) delete layer.annotations?.[SIGNATURE_ANNOTATION];
    return verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer, blob: b });
  };
  const notJson = Buffer.from('{"critical": ');
  assert.equal(run(notJson, sign(key.privateKey, notJson).toString('base64')).status, 'invalid');
  assert.equal(run(blob, '!!!not base64!!!').status, 'invalid');
  assert.equal(run(blob, '').status, 'invalid');
  assert.equal(run(blob, undefined).status, 'invalid');
  const wrongType = Buffer.from(JSON.stringify({ critical: { type: 'atomic container signature', image: { 'docker-manifest-digest': IMAGE_DIGEST } } }));
  assert.match(run(wrongType, sign(key.privateKey, wrongType).toString('base64')).reason, /payload type/);
  const noDigest = Buffer.from(JSON.stringify({ critical: { type: 'cosign container image signature', image: {} } }));
  assert.equal(run(noDigest, sign(key.privateKey, noDigest).toString('base64')).status, 'invalid');
  const arr = Buffer.from('[1,2]');
  assert.equal(run(arr, sign(key.privateKey, arr).toString('base64')).status, 'invalid');
  assert.equal(run(blob, sig, { [CERTIFICATE_ANNOTATION]: 'not a cert' }).status, 'invalid');
  // Garbage inputs of the wrong shape do not throw either.
  const weird = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: null as never, blob });
  assert.equal(weird.status, 'unverifiable');
  assert.equal(verifySimpleSigningLayer({ imageDigest: 'latest', repository: REPO, keys, layer: layerFor(blob, sig), blob }).status, 'unverifiable');
});

test('simple signing: digest key matched case-insensitively (spec example spelling)', () => {
  const b = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': REPO }, image: { 'Docker-manifest-digest': IMAGE_DIGEST }, type: 'cosign container image signature' }, optional: null }));
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer: layerFor(b, sign(key.privateKey, b).toString('base64')), blob: b });
  assert.equal(v.status, 'verified', v.reason);
});

test('simple signing: docker-reference compared with the repository only when asked', () => {
  const b = payload(IMAGE_DIGEST, 'docker.io/someone/else');
  const layer = layerFor(b, sign(key.privateKey, b).toString('base64'));
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer, blob: b }).status, 'verified');
  const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer, blob: b, checkDockerReference: true });
  assert.equal(v.status, 'untrusted');
  assert.match(v.reason, /was made for docker\.io\/someone\/else/);
  const hub = payload(IMAGE_DIGEST, 'index.docker.io/library/nginx');
  const hubLayer = layerFor(hub, sign(key.privateKey, hub).toString('base64'));
  const hubKeys = config({ scope: 'docker.io/library/*', publicKey: key.publicPem });
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: 'nginx', keys: hubKeys, layer: hubLayer, blob: hub, checkDockerReference: true }).status, 'verified');
});

test('simple signing: keyless certificate — unverifiable without keys, untrusted with other keys, invalid when the cert key did not sign', () => {
  const s = sign(KEYLESS_KEY, blob).toString('base64');
  const layer = layerFor(blob, s, { [CERTIFICATE_ANNOTATION]: KEYLESS_CERT, 'dev.sigstore.cosign/bundle': '{}' });
  const none = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: parseCosignKeyConfig({}), layer, blob });
  assert.equal(none.status, 'unverifiable');
  assert.equal(none.signer, 'dev@example.com (OIDC issuer https://accounts.example.com)');
  assert.match(none.reason, /Fulcio certificate chain and Rekor proof need a Sigstore trusted root/);
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, layer, blob }).status, 'untrusted');
  const forged = layerFor(blob, sig, { [CERTIFICATE_ANNOTATION]: KEYLESS_CERT });
  assert.equal(verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: parseCosignKeyConfig({}), layer: forged, blob }).status, 'invalid');
});

test('simple signing: P-384, RSA and Ed25519 keys', () => {
  const pairs = [
    crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    crypto.generateKeyPairSync('ed25519'),
  ];
  for (const p of pairs) {
    const s = sign(p.privateKey, blob, 'sha384').toString('base64');
    const k = config({ scope: '*', publicKey: p.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const v = verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: k, layer: layerFor(blob, s), blob });
    assert.equal(v.status, 'verified', `${p.publicKey.asymmetricKeyType}: ${v.reason}`);
  }
});

test('simple signing manifest: one verdict per layer, best one wins, missing blobs unverifiable', () => {
  const other = p256();
  const b2 = payload(IMAGE_DIGEST, REPO, { by: 'other' });
  const l1 = layerFor(b2, sign(other.privateKey, b2).toString('base64'));
  const l2 = layerFor(blob, sig);
  const missing = { ...layerFor(Buffer.from('x'), sig) };
  const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [l1, l2, missing] };
  const blobs = new Map([[l1.digest, b2], [l2.digest, blob]]);
  const all = verifySimpleSigningManifest({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, manifest, blobs });
  assert.deepEqual(all.map((v) => v.status), ['untrusted', 'verified', 'unverifiable']);
  assert.equal(verifySimpleSigning({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, manifest, blobs: (d) => blobs.get(d) }).status, 'verified');
  assert.equal(verifySimpleSigning({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, manifest: { layers: [] }, blobs }).status, 'invalid');
  assert.equal(verifySimpleSigning({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, manifest: 'nonsense', blobs }).status, 'invalid');
});

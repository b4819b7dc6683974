import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE, SIGSTORE_BUNDLE_MEDIA_TYPE, dssePae, verifySigstoreBundle } from './bundle';
import { parseCosignKeyConfig } from './keys';
import { IMAGE_DIGEST, KEYLESS_CERT, KEYLESS_KEY, OTHER_DIGEST, REPO, config, p256, sign } from './testing';

const key = p256();
const keys = config({ scope: 'ghcr.io/org/*', publicKey: key.publicPem });
const hex = (d: string) => d.slice('sha256:'.length);

function statement(digest = IMAGE_DIGEST, predicateType = COSIGN_SIGN_PREDICATE): Buffer {
  return Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: REPO, digest: { sha256: hex(digest) } }], predicateType, predicate: {} }));
}

function dsseBundle(stmt: Buffer, signer: crypto.KeyObject, material: Record<string, unknown> = { publicKey: { hint: 'test' } }, sigOverride?: string): Buffer {
  const sig = sigOverride ?? sign(signer, dssePae(IN_TOTO_PAYLOAD_TYPE, stmt)).toString('base64');
  return Buffer.from(
    JSON.stringify({
      mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      verificationMaterial: { ...material, tlogEntries: [{ logIndex: '1' }] },
      dsseEnvelope: { payload: stmt.toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig, keyid: '' }] },
    }),
  );
}

const descriptorFor = (b: Buffer) => ({ mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, digest: 'sha256:' + crypto.createHash('sha256').update(b).digest('hex'), size: b.length });

test('DSSE PAE encoding', () => {
  assert.equal(dssePae('application/vnd.in-toto+json', Buffer.from('hello')).toString(), 'DSSEv1 28 application/vnd.in-toto+json 5 hello');
});

test('bundle: DSSE envelope signed with the configured key is verified', () => {
  const bundle = dsseBundle(statement(), key.privateKey);
  const v = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle, descriptor: descriptorFor(bundle) });
  assert.equal(v.status, 'verified', v.reason);
  assert.equal(v.envelope, 'sigstore-bundle');
  assert.equal(v.signer, keys.keys[0]?.fingerprint);
  assert.match(v.reason, /cosign signature \(DSSE\).*1 transparency-log entry not checked/);
});

test('bundle: a valid attestation is named but does not count as the image signature', () => {
  const bundle = dsseBundle(statement(IMAGE_DIGEST, 'https://slsa.dev/provenance/v1'), key.privateKey);
  const v = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle });
  assert.equal(v.status, 'unverifiable');
  assert.match(v.reason, /attestation https:\/\/slsa\.dev\/provenance\/v1 \(DSSE\) valid for configured/);
  assert.match(v.reason, /is not a signature of the image/);
});

test('bundle: tampered DSSE payload is not verified; other subject is invalid', () => {
  const good = dsseBundle(statement(), key.privateKey);
  const json = JSON.parse(good.toString());
  const forged = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ digest: { sha256: hex(IMAGE_DIGEST) } }], predicateType: 'https://evil.example/v1', predicate: {} }));
  json.dsseEnvelope.payload = forged.toString('base64');
  const v = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: Buffer.from(JSON.stringify(json)) });
  assert.equal(v.status, 'untrusted', v.reason);
  const other = dsseBundle(statement(OTHER_DIGEST), key.privateKey);
  const w = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: other });
  assert.equal(w.status, 'invalid');
  assert.match(w.reason, /subjects do not include/);
  // Bundle bytes changed after the descriptor was written.
  const x = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: other, descriptor: descriptorFor(good) });
  assert.equal(x.status, 'invalid');
});

test('bundle: wrong key untrusted, no key unverifiable', () => {
  const bundle = dsseBundle(statement(), p256().privateKey);
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle }).status, 'untrusted');
  const v = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: 'docker.io/x/y', keys, bundle });
  assert.equal(v.status, 'unverifiable');
  assert.equal(v.reason, 'no cosign public key configured for docker.io/x/y');
});

test('bundle: keyless certificate is unverifiable offline, invalid when the certificate key did not sign', () => {
  const der = new crypto.X509Certificate(KEYLESS_CERT).raw.toString('base64');
  const material = { certificate: { rawBytes: der } };
  const bundle = dsseBundle(statement(), KEYLESS_KEY, material);
  const v = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: parseCosignKeyConfig({}), bundle });
  assert.equal(v.status, 'unverifiable');
  assert.equal(v.signer, 'dev@example.com (OIDC issuer https://accounts.example.com)');
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle }).status, 'untrusted');
  const chain = dsseBundle(statement(), key.privateKey, { x509CertificateChain: { certificates: [{ rawBytes: der }] } });
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: parseCosignKeyConfig({}), bundle: chain }).status, 'invalid');
  // Configured key signed, but the bundle carries a certificate for another key.
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: chain }).status, 'invalid');
});

test('bundle: message signature needs the manifest bytes and checks them', () => {
  const manifest = Buffer.from('test image manifest'); // IMAGE_DIGEST is its sha256
  const make = (digestHex: string, sig: Buffer) =>
    Buffer.from(
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
        verificationMaterial: { publicKey: { hint: 'k' } },
        messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(digestHex, 'hex').toString('base64') }, signature: sig.toString('base64') },
      }),
    );
  const bundle = make(hex(IMAGE_DIGEST), sign(key.privateKey, manifest));
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle, artifact: manifest }).status, 'verified');
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle }).status, 'unverifiable');
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle, artifact: Buffer.from('other') }).status, 'unverifiable');
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: make(hex(OTHER_DIGEST), sign(key.privateKey, manifest)), artifact: manifest }).status, 'invalid');
});

test('bundle: malformed input is rejected without throwing', () => {
  const run = (b: string) => verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: Buffer.from(b) });
  assert.equal(run('{').status, 'invalid');
  assert.equal(run('null').status, 'invalid');
  assert.equal(run('{"mediaType":"application/json"}').status, 'unverifiable');
  assert.equal(run(JSON.stringify({ mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE })).status, 'invalid');
  assert.equal(run(JSON.stringify({ mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, verificationMaterial: {} })).status, 'invalid');
  const env = (e: unknown) => run(JSON.stringify({ mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, verificationMaterial: {}, dsseEnvelope: e }));
  assert.equal(env({ payloadType: 'text/plain', payload: 'aGk=', signatures: [] }).status, 'unverifiable');
  assert.equal(env({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: '%%%', signatures: [] }).status, 'invalid');
  assert.equal(env({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from('not json').toString('base64'), signatures: [] }).status, 'invalid');
  assert.equal(env({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: statement().toString('base64'), signatures: [] }).status, 'invalid');
  assert.equal(env({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: statement().toString('base64'), signatures: [{ sig: '***' }] }).status, 'invalid');
  assert.equal(verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys, bundle: dsseBundle(statement(), key.privateKey, { certificate: { rawBytes: 'AAAA' } }) }).status, 'invalid');
});

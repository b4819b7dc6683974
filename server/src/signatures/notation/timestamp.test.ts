import { before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyNotationSignature, NotationVerifyInput } from './verify';
import { TrustConfiguration, TrustPolicyDocument } from './trust';
import { EKU } from './certs';
import { TimestampError, verifyTimestampToken } from './timestamp';
import {
  Issued, SUBJECT, TimestampOptions, envelopeSignature, makeCert, makeKey, makeTimestampToken, signCose, signJws, withTimestamp,
  TEST_REPOSITORY, testPolicy, testTrust,
} from './testPki';

const REPO = TEST_REPOSITORY;
const ORG: [string, string][] = [['C', 'US'], ['ST', 'Washington'], ['L', 'Redmond'], ['O', 'Contoso']];
/** After the short-lived signing leaf expired (2025-12-31). */
const NOW = new Date('2026-03-01T00:00:00Z');
const SIGNED = new Date('2025-06-01T12:00:00Z');
const GEN_TIME = new Date('2025-06-01T12:00:05Z');
const JWS = 'application/jose+json';
const COSE = 'application/cose';

let root: Issued, inter: Issued, shortLeaf: Issued, longLeaf: Issued;
let tsaRoot: Issued, tsaLeaf: Issued, tsaRsaLeaf: Issued, evilTsaRoot: Issued, evilTsaLeaf: Issued;
let tsaNoEku: Issued, tsaNonCriticalEku: Issued, tsaExpired: Issued;

function policy(over: Partial<TrustPolicyDocument['trustPolicies'][number]> = {}): TrustPolicyDocument {
  return testPolicy(['ca:test', 'tsa:tsa'], over);
}

function trust(p: unknown = policy()): TrustConfiguration {
  return testTrust(p, root, tsaRoot);
}

function input(envelope: Buffer, mediaType: string, over: Partial<NotationVerifyInput> = {}): NotationVerifyInput {
  return { envelope, envelopeMediaType: mediaType, subject: SUBJECT, repository: REPO, trust: trust(), now: NOW, ...over };
}

before(async () => {
  root = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Root']], key: makeKey('p256'), ca: true });
  inter = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Intermediate']], key: makeKey('p256'), issuer: root, ca: true, pathLen: 0 });
  shortLeaf = await makeCert({ name: [...ORG, ['CN', 'Short']], key: makeKey('p256'), issuer: inter, notBefore: new Date('2025-01-01Z'), notAfter: new Date('2025-12-31Z'), eku: [EKU.codeSigning] });
  longLeaf = await makeCert({ name: [...ORG, ['CN', 'Long']], key: makeKey('p256'), issuer: inter, eku: [EKU.codeSigning] });
  tsaRoot = await makeCert({ name: [['C', 'US'], ['O', 'TSA'], ['CN', 'TSA Root']], key: makeKey('p256'), ca: true });
  const tsaLeafOpts = { key: makeKey('p256'), issuer: tsaRoot, eku: [EKU.timeStamping], ekuCritical: true };
  tsaLeaf = await makeCert({ name: [['C', 'US'], ['O', 'TSA'], ['CN', 'TSA Signer']], ...tsaLeafOpts });
  tsaRsaLeaf = await makeCert({ name: [['C', 'US'], ['O', 'TSA'], ['CN', 'TSA RSA Signer']], ...tsaLeafOpts, key: makeKey('rsa2048') });
  tsaNoEku = await makeCert({ name: [['C', 'US'], ['O', 'TSA'], ['CN', 'TSA No EKU']], key: makeKey('p256'), issuer: tsaRoot });
  tsaNonCriticalEku = await makeCert({ name: [['C', 'US'], ['O', 'TSA'], ['CN', 'TSA NonCritical']], key: makeKey('p256'), issuer: tsaRoot, eku: [EKU.timeStamping] });
  tsaExpired = await makeCert({ name: [['C', 'US'], ['O', 'TSA'], ['CN', 'TSA Expired']], ...tsaLeafOpts, notBefore: new Date('2024-01-01Z'), notAfter: new Date('2025-01-01Z') });
  evilTsaRoot = await makeCert({ name: [['C', 'US'], ['O', 'Evil'], ['CN', 'Evil TSA Root']], key: makeKey('p256'), ca: true });
  evilTsaLeaf = await makeCert({ name: [['C', 'US'], ['O', 'Evil'], ['CN', 'Evil TSA']], key: makeKey('p256'), issuer: evilTsaRoot, eku: [EKU.timeStamping], ekuCritical: true });
});

type Kind = 'jws' | 'cose';
const MT: Record<Kind, string> = { jws: JWS, cose: COSE };

/** A real envelope by `leaf`, timestamped with a real token over its signature bytes. */
async function timestamped(kind: Kind, ts: Partial<TimestampOptions> & { tsa?: Issued; tsaRoot?: Issued } = {}, leaf: Issued = shortLeaf): Promise<Buffer> {
  const env = (kind === 'jws' ? signJws : signCose)({ alg: 'ES256', key: leaf.key, chain: [leaf.der, inter.der, root.der], signingTime: SIGNED });
  const tsa = ts.tsa ?? tsaLeaf;
  const token = await makeTimestampToken({
    signature: envelopeSignature(env, kind),
    tsa,
    certs: [tsa.der, (ts.tsaRoot ?? tsaRoot).der],
    genTime: GEN_TIME,
    ...ts,
  });
  return withTimestamp(env, kind, token);
}

describe('RFC 3161 timestamp countersignature', () => {
  for (const kind of ['jws', 'cose'] as const) {
    const K = kind.toUpperCase();
    it(`${K}: valid timestamp + signing leaf expired since → verified, timestampedAt set`, async () => {
      const v = verifyNotationSignature(input(await timestamped(kind), MT[kind]));
      assert.equal(v.status, 'verified', v.reason);
      assert.equal(v.timestampedAt, GEN_TIME.toISOString());
      assert.equal(v.signedAt, SIGNED.toISOString());
      assert.match(v.reason, /timestamped 2025-06-01T12:00:05\.000Z by CN=TSA Signer, O=TSA, C=US \(TSA chain to trusted CN=TSA Root, O=TSA, C=US\)/);
      assert.match(v.reason, /CN=Short.* has since expired 2025-12-31/);
    });
    it(`${K}: tampered messageImprint → invalid`, async () => {
      const v = verifyNotationSignature(input(await timestamped(kind, { imprint: Buffer.alloc(32, 7) }), MT[kind]));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /^RFC 3161 timestamp rejected: timestamp messageImprint does not match the SHA256 hash of the signature/);
      assert.equal(v.timestampedAt, undefined);
    });
    it(`${K}: TSA chain to an untrusted root → untrusted`, async () => {
      const v = verifyNotationSignature(input(await timestamped(kind, { tsa: evilTsaLeaf, tsaRoot: evilTsaRoot }), MT[kind]));
      assert.equal(v.status, 'untrusted');
      assert.equal(v.reason, 'RFC 3161 timestamp rejected: TSA certificate chain ends at CN=Evil TSA Root, O=Evil, C=US, which is not in the TSA trust store (tsa:tsa)');
    });
    it(`${K}: TSA certificate without the timeStamping EKU → invalid`, async () => {
      const v = verifyNotationSignature(input(await timestamped(kind, { tsa: tsaNoEku }), MT[kind]));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /TSA certificate CN=TSA No EKU.* must have timeStamping as its only extended key usage \(has none\)/);
    });
    it(`${K}: no tsa store in the policy → timestamp not authentic, so the expired leaf is invalid (as notation)`, async () => {
      const p = policy({ trustStores: ['ca:test'] });
      const v = verifyNotationSignature(input(await timestamped(kind), MT[kind], { trust: trust(p) }));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /names no tsa: trust store to verify it/);
      assert.equal(v.timestampedAt, undefined);
    });
  }

  it('timestamp over other bytes (signature swapped after timestamping) → invalid', async () => {
    const a = await timestamped('jws');
    const b = JSON.parse(signJws({ alg: 'ES256', key: shortLeaf.key, chain: [shortLeaf.der, inter.der, root.der], signingTime: SIGNED }).toString());
    b.header = JSON.parse(a.toString()).header; // same token, new (valid) signature
    const v = verifyNotationSignature(input(Buffer.from(JSON.stringify(b)), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /messageImprint does not match/);
  });
  it('TSTInfo altered after signing (genTime) → invalid (messageDigest)', async () => {
    const env = JSON.parse((await timestamped('jws')).toString());
    const tok = Buffer.from(env.header['io.cncf.notary.timestampSignature'], 'base64');
    const i = tok.indexOf(Buffer.from('20250601120005Z'));
    assert.ok(i > 0);
    tok.write('20250601110005Z', i);
    env.header['io.cncf.notary.timestampSignature'] = tok.toString('base64');
    const v = verifyNotationSignature(input(Buffer.from(JSON.stringify(env)), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /messageDigest does not match the TSTInfo/);
  });
  it('TSA signature bytes flipped → invalid', async () => {
    const env = JSON.parse((await timestamped('jws')).toString());
    const tok = Buffer.from(env.header['io.cncf.notary.timestampSignature'], 'base64');
    tok[tok.length - 3] ^= 0x01; // inside the SignerInfo signature (last field)
    env.header['io.cncf.notary.timestampSignature'] = tok.toString('base64');
    const v = verifyNotationSignature(input(Buffer.from(JSON.stringify(env)), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /timestamp/);
  });
  it('RSA TSA (PKCS#1 v1.5, SHA-384 messageImprint) → verified', async () => {
    const v = verifyNotationSignature(input(await timestamped('cose', { tsa: tsaRsaLeaf, hash: 'sha384' }), COSE));
    assert.equal(v.status, 'verified', v.reason);
  });
  it('TSA EKU not critical → invalid', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { tsa: tsaNonCriticalEku }), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /extended key usage extension must be critical/);
  });
  it('TSA certificate expired at genTime → invalid', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { tsa: tsaExpired }), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /TSA certificate CN=TSA Expired.* expired 2025-01-01.*not valid at the timestamp time/);
  });
  it('genTime after the signing leaf expired → invalid', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { genTime: new Date('2026-01-15Z') }), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /CN=Short.* expired 2025-12-31.*not valid at the timestamp time 2026-01-15/);
  });
  it('accuracy window reaching past the leaf expiry → invalid', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { genTime: new Date('2025-12-30T23:00:00Z'), accuracySeconds: 7200 }), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /CN=Short.*not valid at the timestamp time/);
  });
  it('no signing-certificate(-v2) attribute → invalid', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { signingCertV2: false }), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /no signing-certificate/);
  });
  it('TSA certificate not embedded → invalid', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { certs: [tsaRoot.der] }), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /TSA certificate is not embedded/);
  });
  it('TSA root not embedded: chain completed from the tsa store → verified', async () => {
    const v = verifyNotationSignature(input(await timestamped('jws', { certs: [tsaLeaf.der] }), JWS));
    assert.equal(v.status, 'verified', v.reason);
  });
  it('verifyTimestamp afterCertExpiry with certificates valid now → timestamp not required (not checked)', async () => {
    const p = policy({ signatureVerification: { level: 'strict', verifyTimestamp: 'afterCertExpiry' } });
    const env = await timestamped('jws', { imprint: Buffer.alloc(32) }, longLeaf); // bad token, never looked at
    const v = verifyNotationSignature(input(env, JWS, { trust: trust(p) }));
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.timestampedAt, undefined);
    assert.match(v.reason, /timestamp present but not verified/);
  });
  it('verifyTimestamp always with certificates valid now → timestamp verified', async () => {
    const v = verifyNotationSignature(input(await timestamped('cose', {}, longLeaf), COSE));
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.timestampedAt, GEN_TIME.toISOString());
  });
  it('tsa store configured but no timestamp → invalid (unchanged)', () => {
    const env = signJws({ alg: 'ES256', key: shortLeaf.key, chain: [shortLeaf.der, inter.der, root.der], signingTime: SIGNED });
    const v = verifyNotationSignature(input(env, JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /requires an RFC 3161 timestamp .* but the signature has none/);
  });
  it('garbage token → invalid, no throw', () => {
    for (const t of [Buffer.alloc(0), Buffer.from([0x30, 0x00]), Buffer.from('not a token')]) {
      assert.throws(() => verifyTimestampToken(t, Buffer.alloc(64), [tsaRoot.der]), (e: unknown) => e instanceof TimestampError && e.status === 'invalid');
    }
  });
});

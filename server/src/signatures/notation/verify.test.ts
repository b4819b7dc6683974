import { before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyNotationSignature, NotationVerifyInput } from './verify';
import { TrustConfiguration, TrustPolicyDocument, emptyTrustStores } from './trust';
import { EKU } from './certs';
import { Issued, SUBJECT, SignOptions, makeCert, makeKey, signCose, signJws, TEST_REPOSITORY, testPolicy, testTrust } from './testPki';

const REPO = TEST_REPOSITORY;
const NOW = new Date('2025-07-01T00:00:00Z');
const ORG: [string, string][] = [['C', 'US'], ['ST', 'Washington'], ['L', 'Redmond'], ['O', 'Contoso']];

let root: Issued, inter: Issued, leafRsa: Issued, leafEc: Issued, evilRoot: Issued, evilLeaf: Issued;
let expiredLeaf: Issued, shortLeaf: Issued, rsa2048Leaf: Issued, serverAuthLeaf: Issued;

function policy(over: Partial<TrustPolicyDocument['trustPolicies'][number]> = {}): TrustPolicyDocument {
  return testPolicy(['ca:test'], over);
}

function trust(p: unknown = policy()): TrustConfiguration {
  return testTrust(p, root, root);
}

function input(envelope: Buffer, mediaType: string, over: Partial<NotationVerifyInput> = {}): NotationVerifyInput {
  return { envelope, envelopeMediaType: mediaType, subject: SUBJECT, repository: REPO, trust: trust(), now: NOW, ...over };
}

const JWS = 'application/jose+json';
const COSE = 'application/cose';

const chainOf = (leaf: Issued) => [leaf.der, inter.der, root.der];

before(async () => {
  const rootKey = makeKey('p384');
  root = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Root']], key: rootKey, ca: true });
  inter = await makeCert({ name: [['C', 'US'], ['O', 'Test'], ['CN', 'Test Intermediate']], key: makeKey('p384'), issuer: root, ca: true, pathLen: 0 });
  leafRsa = await makeCert({ name: [...ORG, ['CN', 'Contoso RSA Signing']], key: makeKey('rsa3072'), issuer: inter, eku: [EKU.codeSigning] });
  leafEc = await makeCert({ name: [...ORG, ['CN', 'Contoso EC Signing']], key: makeKey('p256'), issuer: inter, eku: [EKU.codeSigning] });
  rsa2048Leaf = await makeCert({ name: [...ORG, ['CN', 'Contoso RSA2048']], key: makeKey('rsa2048'), issuer: inter });
  evilRoot = await makeCert({ name: [['C', 'US'], ['O', 'Evil'], ['CN', 'Evil Root']], key: makeKey('p256'), ca: true });
  evilLeaf = await makeCert({ name: [...ORG, ['CN', 'Contoso EC Signing']], key: makeKey('p256'), issuer: evilRoot });
  expiredLeaf = await makeCert({ name: [...ORG, ['CN', 'Old']], key: makeKey('p256'), issuer: inter, notBefore: new Date('2024-01-01Z'), notAfter: new Date('2025-01-01Z') });
  shortLeaf = await makeCert({ name: [...ORG, ['CN', 'Short']], key: makeKey('p256'), issuer: inter, notBefore: new Date('2025-01-01Z'), notAfter: new Date('2025-12-31Z') });
  serverAuthLeaf = await makeCert({ name: [...ORG, ['CN', 'TLS']], key: makeKey('p256'), issuer: inter, eku: [EKU.serverAuth] });
});

const rsa = (o: Partial<SignOptions> = {}): SignOptions => ({ alg: 'PS384', key: leafRsa.key, chain: chainOf(leafRsa), ...o });
const ec = (o: Partial<SignOptions> = {}): SignOptions => ({ alg: 'ES256', key: leafEc.key, chain: chainOf(leafEc), ...o });

describe('verifyNotationSignature: verified', () => {
  for (const [name, mk, mt] of [['JWS', signJws, JWS], ['COSE', signCose, COSE]] as const) {
    it(`${name} RSA-PSS PS384 (RSA-3072 leaf) is verified`, () => {
      const v = verifyNotationSignature(input(mk(rsa()), mt));
      assert.equal(v.status, 'verified', v.reason);
      assert.equal(v.format, 'notation');
      assert.equal(v.envelope, name.toLowerCase());
      assert.equal(v.signer, 'CN=Contoso RSA Signing, O=Contoso, L=Redmond, ST=Washington, C=US');
      assert.equal(v.root, 'CN=Test Root, O=Test, C=US');
      assert.equal(v.policy, 'test');
      assert.equal(v.signedAt, '2025-06-01T12:00:00.000Z');
      assert.match(v.reason, /revocation not checked/);
    });
    it(`${name} ECDSA ES256 (P-256 leaf) is verified`, () => {
      const v = verifyNotationSignature(input(mk(ec()), mt));
      assert.equal(v.status, 'verified', v.reason);
    });
    it(`${name} PS256 with an RSA-2048 leaf is verified, with a future expiry reported`, () => {
      const v = verifyNotationSignature(input(mk({ alg: 'PS256', key: rsa2048Leaf.key, chain: chainOf(rsa2048Leaf), expiry: new Date('2026-01-01Z') }), mt));
      assert.equal(v.status, 'verified', v.reason);
      assert.equal(v.expiresAt, '2026-01-01T00:00:00.000Z');
    });
  }
  it('global "*" policy applies when no exact scope matches', () => {
    const v = verifyNotationSignature(input(signJws(ec()), JWS, { repository: 'other.test/x', trust: trust(policy({ registryScopes: ['*'] })) }));
    assert.equal(v.status, 'verified', v.reason);
  });
  it('trustedIdentities "*" accepts any signer', () => {
    const v = verifyNotationSignature(input(signJws(ec()), JWS, { trust: trust(policy({ trustedIdentities: ['*'] })) }));
    assert.equal(v.status, 'verified', v.reason);
  });
});

describe('verifyNotationSignature: invalid', () => {
  it('tampered JWS payload → invalid', () => {
    const env = JSON.parse(signJws(ec()).toString());
    env.payload = Buffer.from(JSON.stringify({ targetArtifact: { ...SUBJECT, size: 99 } })).toString('base64url');
    const v = verifyNotationSignature(input(Buffer.from(JSON.stringify(env)), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /does not verify/);
  });
  it('tampered COSE payload → invalid', () => {
    const env = signCose(rsa());
    const i = env.indexOf(Buffer.from('"size":1234'));
    env.write('"size":1235', i);
    const v = verifyNotationSignature(input(env, COSE));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /does not verify/);
  });
  for (const [name, mk, mt] of [['JWS', signJws, JWS], ['COSE', signCose, COSE]] as const) {
    it(`${name}: payload for another digest → invalid with both digests`, () => {
      const other = { ...SUBJECT, digest: 'sha256:' + 'cd'.repeat(32) };
      const v = verifyNotationSignature(input(mk(ec({ target: other })), mt));
      assert.equal(v.status, 'invalid');
      assert.equal(v.reason, `payload digest ${other.digest} does not match the image ${SUBJECT.digest}`);
    });
    it(`${name}: payload mediaType / size mismatch → invalid`, () => {
      let v = verifyNotationSignature(input(mk(ec({ target: { ...SUBJECT, size: 1 } })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /payload size 1 does not match/);
      v = verifyNotationSignature(input(mk(ec({ target: { ...SUBJECT, mediaType: 'application/vnd.oci.image.index.v1+json' } })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /payload media type/);
    });
    it(`${name}: expired leaf at signing time → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ key: expiredLeaf.key, chain: chainOf(expiredLeaf) })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /CN=Old.*expired 2025-01-01.*not valid at the signing time/);
    });
    it(`${name}: expiry passed → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ expiry: new Date('2025-06-15T00:00:00Z') })), mt));
      assert.equal(v.status, 'invalid');
      assert.equal(v.reason, 'signature expired 2025-06-15T00:00:00.000Z');
    });
    it(`${name}: certificate expired now, no timestamp → invalid; with a timestamp but no tsa store → still invalid`, () => {
      const now = new Date('2026-03-01Z');
      let v = verifyNotationSignature(input(mk(ec({ key: shortLeaf.key, chain: chainOf(shortLeaf) })), mt, { now }));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /CN=Short.*expired 2025-12-31.* and no verified timestamp/);
      v = verifyNotationSignature(input(mk(ec({ key: shortLeaf.key, chain: chainOf(shortLeaf), timestamp: Buffer.from([0x30, 0x00]) })), mt, { now }));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /names no tsa: trust store to verify it/);
    });
    it(`${name}: algorithm not matching the key → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ alg: 'ES384' })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /ES384 does not match the signing key EC P-256, which requires ES256/);
    });
    it(`${name}: leaf with serverAuth EKU → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ key: serverAuthLeaf.key, chain: chainOf(serverAuthLeaf) })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /serverAuth/);
    });
    it(`${name}: chain without the root → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ chain: [leafEc.der, inter.der] })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /does not end at a self-signed root/);
    });
    it(`${name}: chain in the wrong order → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ chain: [leafEc.der, evilRoot.der, root.der] })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /not issued by the next certificate/);
    });
    it(`${name}: wrong content type → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ cty: 'application/json' })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /content type/);
    });
    it(`${name}: unknown critical header → invalid`, () => {
      const v = verifyNotationSignature(input(mk(ec({ extraCrit: ['io.example.unknown'] })), mt));
      assert.equal(v.status, 'invalid');
      assert.match(v.reason, /unknown critical header/);
    });
  }
  it('JWS signature bytes flipped → invalid', () => {
    const env = JSON.parse(signJws(rsa()).toString());
    const sig = Buffer.from(env.signature, 'base64url');
    sig[10] ^= 0xff;
    env.signature = sig.toString('base64url');
    const v = verifyNotationSignature(input(Buffer.from(JSON.stringify(env)), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /does not verify/);
  });
  it('COSE signature bytes flipped → invalid', () => {
    const env = signCose(ec());
    env[env.length - 5] ^= 0xff; // inside the trailing signature bstr
    const v = verifyNotationSignature(input(env, COSE));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /does not verify/);
  });
  it('malformed JSON / CBOR → invalid without throwing', () => {
    for (const [bytes, mt] of [
      [Buffer.from('{not json'), JWS], [Buffer.from('[]'), JWS], [Buffer.from('{"payload":"a"}'), JWS],
      [Buffer.from('{"payload":"!!","protected":"e30","header":{},"signature":""}'), JWS],
      [Buffer.from([0xff, 0x00, 0x13]), COSE], [Buffer.from([0xd2, 0x80]), COSE], [Buffer.from([0x84, 0x40, 0xa0, 0x40, 0x40]), COSE], [Buffer.alloc(0), COSE],
    ] as const) {
      const v = verifyNotationSignature(input(bytes, mt));
      assert.ok(v.status === 'invalid' || v.status === 'unverifiable', `${bytes.toString('hex')}: ${v.status} ${v.reason}`);
      assert.notEqual(v.reason, '');
    }
  });
  it('corrupt certificate in x5c → invalid', () => {
    const v = verifyNotationSignature(input(signJws(ec({ chain: [Buffer.from('nope'), root.der] })), JWS));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /not valid DER/);
  });
});

describe('verifyNotationSignature: untrusted / unverifiable', () => {
  for (const [name, mk, mt] of [['JWS', signJws, JWS], ['COSE', signCose, COSE]] as const) {
    it(`${name}: chain to another root → untrusted`, () => {
      const v = verifyNotationSignature(input(mk(ec({ key: evilLeaf.key, chain: [evilLeaf.der, evilRoot.der] })), mt));
      assert.equal(v.status, 'untrusted');
      assert.equal(v.reason, 'chain ends at CN=Evil Root, O=Evil, C=US, not in trust store ca:test');
    });
    it(`${name}: identity mismatch → untrusted`, () => {
      const v = verifyNotationSignature(input(mk(ec()), mt, { trust: trust(policy({ trustedIdentities: ['x509.subject: C=US, ST=Washington, O=Fabrikam'] })) }));
      assert.equal(v.status, 'untrusted');
      assert.match(v.reason, /^identity CN=Contoso EC Signing, O=Contoso, L=Redmond, ST=Washington, C=US not in trustedIdentities/);
    });
    it(`${name}: unsupported algorithm → unverifiable`, () => {
      const v = verifyNotationSignature(input(mk(rsa({ alg: 'RS256' })), mt));
      assert.equal(v.status, 'unverifiable');
      assert.match(v.reason, /unsupported algorithm/);
    });
  }
  it('no policy scope for the repository → untrusted (notation fails: no applicable trust policy)', () => {
    const v = verifyNotationSignature(input(signJws(ec()), JWS, { repository: 'registry.test/other' }));
    assert.equal(v.status, 'untrusted');
    assert.match(v.reason, /no trust policy statement applies to registry\.test\/other/);
  });
  it('level skip → unverifiable, never verified', () => {
    const p = policy({ signatureVerification: { level: 'skip' }, trustStores: undefined, trustedIdentities: undefined });
    const v = verifyNotationSignature(input(signJws(ec()), JWS, { trust: trust(p) }));
    assert.equal(v.status, 'unverifiable');
    assert.match(v.reason, /level "skip"/);
    assert.equal(v.policy, 'test');
  });
  it('level audit: integrity still enforced, authenticity failure reported (not verified)', () => {
    const p = policy({ signatureVerification: { level: 'audit' } });
    const v = verifyNotationSignature(input(signJws(ec({ key: evilLeaf.key, chain: [evilLeaf.der, evilRoot.der] })), JWS, { trust: trust(p) }));
    assert.equal(v.status, 'untrusted');
    assert.match(v.reason, /level audit/);
  });
  it('policy with a tsa store: no timestamp → invalid; malformed timestamp → invalid', () => {
    const p = policy({ trustStores: ['ca:test', 'tsa:tsa'] });
    let v = verifyNotationSignature(input(signCose(ec()), COSE, { trust: trust(p) }));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /requires an RFC 3161 timestamp/);
    v = verifyNotationSignature(input(signCose(ec({ timestamp: Buffer.from([0x30, 0x00]) })), COSE, { trust: trust(p) }));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /not a valid RFC 3161 TimeStampToken/);
  });
  it('missing trust configuration / invalid policy / missing store → unverifiable', () => {
    let v = verifyNotationSignature(input(signJws(ec()), JWS, { trust: { policy: undefined, stores: emptyTrustStores() } }));
    assert.equal(v.status, 'unverifiable');
    v = verifyNotationSignature(input(signJws(ec()), JWS, { trust: trust({ version: '2.0', trustPolicies: [] }) }));
    assert.equal(v.status, 'unverifiable');
    assert.match(v.reason, /trust policy is invalid/);
    v = verifyNotationSignature(input(signJws(ec()), JWS, { trust: trust(policy({ trustStores: ['ca:absent'] })) }));
    assert.equal(v.status, 'unverifiable');
    assert.match(v.reason, /ca:absent .* missing or empty/);
  });
  it('unsupported envelope media type and signing scheme → unverifiable', () => {
    let v = verifyNotationSignature(input(signJws(ec()), 'application/octet-stream'));
    assert.equal(v.status, 'unverifiable');
    v = verifyNotationSignature(input(signJws(ec({ scheme: 'notary.other' })), JWS));
    assert.equal(v.status, 'unverifiable');
    assert.match(v.reason, /unsupported signing scheme/);
  });
});

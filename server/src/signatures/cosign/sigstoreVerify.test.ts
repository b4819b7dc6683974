// Keyless Sigstore verification with @sigstore/verify against a test PKI (sigstoreTestPki.ts): real Fulcio-style
// certificates with embedded SCTs, Rekor SETs and checkpoints, signed with real keys in each test run.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { verifySigstoreBundle } from './bundle';
import { parseCosignKeyConfig } from './keys';
import { verifySimpleSigningLayer } from './simpleSigning';
import { parseSigstoreTrustConfig, type SigstoreIdentitySetting, type SigstoreTrustConfig } from './sigstoreTrust';
import { EMAIL, EMAIL_ISSUER, GITHUB_ISSUER, SIGNING_TIME, SigstorePki, WORKFLOW, cosignStatement, makeLog, makeTimestampAuthority, type Leaf, type TimestampAuthority } from './sigstoreTestPki';
import { IMAGE_DIGEST, REPO, payload as simplePayload } from './testing';
import type { Descriptor } from '../types';

const noKeys = parseCosignKeyConfig({});
const trustEmail: SigstoreIdentitySetting = { scope: 'ghcr.io/org/*', identity: EMAIL, issuer: EMAIL_ISSUER };

let pki: SigstorePki;
let other: SigstorePki;
let leaf: Leaf;

function sigstore(identities: SigstoreIdentitySetting[] = [trustEmail], root: unknown = pki.trustedRoot()): SigstoreTrustConfig {
  const c = parseSigstoreTrustConfig({ trustedRoot: root, identities });
  assert.deepEqual(c.errors, []);
  return c;
}

function dsse(bundle: Buffer, config = sigstore()) {
  return verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: noKeys, sigstore: config, bundle });
}

function legacy(annotations: Record<string, string>, blob = simplePayload(), config = sigstore()) {
  const layer: Descriptor = {
    mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    digest: 'sha256:' + crypto.createHash('sha256').update(blob).digest('hex'),
    size: blob.length,
    annotations,
  };
  return verifySimpleSigningLayer({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: noKeys, sigstore: config, layer, blob });
}

before(async () => {
  pki = await SigstorePki.create('test');
  other = await SigstorePki.create('other');
  leaf = await pki.issueLeaf();
});

describe('keyless Sigstore bundles (v0.3)', () => {
  it('DSSE bundle: chain, SCT, Rekor SET + inclusion proof and identity check out → verified', () => {
    const v = dsse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST)));
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.signer, `${EMAIL} (OIDC issuer ${EMAIL_ISSUER})`);
    assert.match(v.root ?? '', /CN=sigstore test root/);
    assert.equal(v.signedAt, new Date(SIGNING_TIME.getTime() + 60_000).toISOString());
    assert.equal(v.timestampedAt, v.signedAt);
    assert.match(v.reason, /Fulcio chain to .*sigstore test root.*embedded SCT.*Rekor entry dsse 0\.0\.1 \(SET and inclusion proof \+ checkpoint\)/);
    assert.match(v.reason, /matches dev@example\.com from https:\/\/accounts\.example\.com \(scope ghcr\.io\/org\/\*\)/);
  });

  it('message-signature bundle over the image manifest, URI SAN and regexp identity → verified', async () => {
    const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
    const digest = 'sha256:' + crypto.createHash('sha256').update(manifest).digest('hex');
    const ci = await pki.issueLeaf({ uri: WORKFLOW, issuer: GITHUB_ISSUER });
    const config = sigstore([{ scope: '*', identityRegExp: '^https://github\\.com/org/', issuerRegExp: 'githubusercontent\\.com$' }]);
    const v = verifySigstoreBundle({ imageDigest: digest, repository: REPO, keys: noKeys, sigstore: config, bundle: pki.messageBundle(ci, manifest), artifact: manifest });
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.signer, `${WORKFLOW} (OIDC issuer ${GITHUB_ISSUER})`);
    assert.match(v.reason, /hashedrekord 0\.0\.1/);
  });

  it('no trusted root configured → unverifiable, as before', () => {
    const v = dsse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST)), parseSigstoreTrustConfig({ identities: [trustEmail] }));
    assert.equal(v.status, 'unverifiable');
    assert.match(v.reason, /need a Sigstore trusted root, and none is configured/);
  });

  it('no identity configured for the repository → untrusted, naming the actual identity', () => {
    const bundle = pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST));
    for (const identities of [[], [{ ...trustEmail, scope: 'docker.io/other/*' }]]) {
      const v = dsse(bundle, sigstore(identities));
      assert.equal(v.status, 'untrusted', v.reason);
      assert.match(v.reason, /by dev@example\.com \(OIDC issuer https:\/\/accounts\.example\.com\) passed Sigstore verification, but no Sigstore identity is configured for ghcr\.io\/org\/app/);
    }
  });

  it('wrong identity or wrong issuer → untrusted', () => {
    const bundle = pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST));
    for (const identity of [{ ...trustEmail, identity: 'someone@example.com' }, { ...trustEmail, issuer: 'https://accounts.google.com' }]) {
      const v = dsse(bundle, sigstore([identity]));
      assert.equal(v.status, 'untrusted', v.reason);
      assert.match(v.reason, /matches none of the identity configured for ghcr\.io\/org\/app/);
    }
    // An exact identity is compared as a string, not used as a regular expression.
    const dotted = dsse(bundle, sigstore([{ ...trustEmail, identity: 'dev@example.co.' }]));
    assert.equal(dotted.status, 'untrusted');
  });

  it('tampered DSSE payload → invalid (the Rekor entry and signature no longer match)', () => {
    const json = JSON.parse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST)).toString());
    json.dsseEnvelope.payload = cosignStatement(IMAGE_DIGEST, 'https://evil.example/v1').toString('base64');
    const v = dsse(Buffer.from(JSON.stringify(json)));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /failed Sigstore verification: DSSE payload hash mismatch/);
  });

  it('certificate from a CA the trusted root does not list → invalid', async () => {
    const foreign = await pki.issueLeaf({ issuedBy: other });
    const v = dsse(pki.dsseBundle(foreign, cosignStatement(IMAGE_DIGEST)));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /Failed to verify certificate chain/);
  });

  it('bad SCT, or an SCT from a log the trusted root does not list → invalid', async () => {
    for (const options of [{ tamperSct: true }, { ctlog: makeLog('https://ctfe.unknown.invalid') }]) {
      const bad = await pki.issueLeaf(options);
      const v = dsse(pki.dsseBundle(bad, cosignStatement(IMAGE_DIGEST)));
      assert.equal(v.status, 'invalid', v.reason);
      assert.match(v.reason, /SCT verification failed/);
    }
  });

  it('Rekor entry recording another signature → invalid', () => {
    const v = dsse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST), { bodySignature: crypto.randomBytes(70) }));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /tlog entry signature mismatch/);
  });

  it('bad SET, or a SET from an unknown Rekor → invalid', () => {
    for (const options of [{ tamperSet: true }, { rekor: other.rekor }]) {
      const v = dsse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST), options));
      assert.equal(v.status, 'invalid', v.reason);
      assert.match(v.reason, /inclusion promise could not be verified/);
    }
  });

  it('certificate expired at the Rekor integration time → invalid', () => {
    const late = Math.floor(SIGNING_TIME.getTime() / 1000) + 3600;
    const v = dsse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST), { integratedTime: late }));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /not valid or expired at the specified date/);
  });

  it('the in-toto subject must still be this image, and the predicate type the annotated one', () => {
    const other = 'sha256:' + 'cd'.repeat(32);
    const v = dsse(pki.dsseBundle(leaf, cosignStatement(other)));
    assert.equal(v.status, 'invalid');
    assert.match(v.reason, /subjects do not include/);
    const bundle = pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST, 'https://slsa.dev/provenance/v1'));
    const w = verifySigstoreBundle({ imageDigest: IMAGE_DIGEST, repository: REPO, keys: noKeys, sigstore: sigstore(), bundle, predicateType: 'https://sigstore.dev/cosign/sign/v1' });
    assert.equal(w.status, 'invalid');
    assert.match(w.reason, /predicateType https:\/\/slsa\.dev\/provenance\/v1 differs from the referrer's annotation/);
  });
});

describe('RFC 3161 timestamps in keyless bundles', () => {
  /** The TSA's time: 30 s after the leaf's notBefore, 30 s before Rekor integrates the entry. */
  const TSA_TIME = new Date(SIGNING_TIME.getTime() + 30_000);
  const REKOR_TIME = new Date(SIGNING_TIME.getTime() + 60_000);
  const statement = () => cosignStatement(IMAGE_DIGEST);
  let noEku: TimestampAuthority;

  before(async () => {
    noEku = await makeTimestampAuthority('no-eku', { eku: false });
  });

  it('DSSE bundle with a TSA timestamp over its signature → verified, timestampedAt from the token, the TSA named', async () => {
    const v = dsse(await pki.timestamp(pki.dsseBundle(leaf, statement())));
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.timestampedAt, TSA_TIME.toISOString());
    assert.equal(v.signedAt, REKOR_TIME.toISOString());
    assert.match(v.reason, /RFC 3161 timestamp 2026-03-01T12:00:30\.000Z by O=sigstore\.test, CN=sigstore test TSA\)/);
  });

  it('message-signature bundle with a TSA timestamp → verified', async () => {
    const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}');
    const digest = 'sha256:' + crypto.createHash('sha256').update(manifest).digest('hex');
    const bundle = await pki.timestamp(pki.messageBundle(leaf, manifest));
    const v = verifySigstoreBundle({ imageDigest: digest, repository: REPO, keys: noKeys, sigstore: sigstore(), bundle, artifact: manifest });
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.timestampedAt, TSA_TIME.toISOString());
  });

  it('Rekor entry without a SET (inclusion proof only, as Rekor v2): the TSA time is the signing time', async () => {
    const bundle = pki.dsseBundle(leaf, statement(), { noPromise: true });
    const without = dsse(bundle);
    assert.equal(without.status, 'invalid', without.reason);
    assert.match(without.reason, /expected 1 timestamps, got 0/);
    const v = dsse(await pki.timestamp(bundle));
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.signedAt, TSA_TIME.toISOString());
    assert.equal(v.timestampedAt, TSA_TIME.toISOString());
    assert.match(v.reason, /Rekor entry dsse 0\.0\.1 \(inclusion proof \+ checkpoint\), RFC 3161 timestamp/);
  });

  it('certificate expired before the TSA time → invalid, even though Rekor integrated it in time', async () => {
    const v = dsse(await pki.timestamp(pki.dsseBundle(leaf, statement()), { genTime: new Date(SIGNING_TIME.getTime() + 3_600_000) }));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /not valid or expired at the specified date/);
    assert.equal(v.timestampedAt, undefined);
  });

  it('token from a TSA the trusted root does not list → invalid', async () => {
    for (const tsa of [other.tsa, noEku]) {
      const v = dsse(await pki.timestamp(pki.dsseBundle(leaf, statement()), { tsa }));
      assert.equal(v.status, 'invalid', v.reason);
      assert.match(v.reason, /RFC 3161 timestamp could not be verified/);
    }
    // … nor does a trusted root without any TSA accept it.
    const v = dsse(await pki.timestamp(pki.dsseBundle(leaf, statement())), sigstore([trustEmail], pki.trustedRoot({ timestampAuthorities: [] })));
    assert.equal(v.status, 'invalid', v.reason);
  });

  it('token over another signature → invalid', async () => {
    const v = dsse(await pki.timestamp(pki.dsseBundle(leaf, statement()), { signature: crypto.randomBytes(71) }));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /RFC 3161 timestamp could not be verified/);
    // The token of one bundle moved into another bundle of the same image (another signature).
    const a = JSON.parse((await pki.timestamp(pki.dsseBundle(leaf, statement()))).toString());
    const b = JSON.parse(pki.dsseBundle(leaf, statement()).toString());
    b.verificationMaterial.timestampVerificationData = a.verificationMaterial.timestampVerificationData;
    const moved = dsse(Buffer.from(JSON.stringify(b)));
    assert.equal(moved.status, 'invalid', moved.reason);
  });

  it('TSA certificate without the timeStamping EKU, even when the trusted root lists it → invalid', async () => {
    const v = dsse(await pki.timestamp(pki.dsseBundle(leaf, statement()), { tsa: noEku }), sigstore([trustEmail], pki.trustedRoot({ timestampAuthorities: [pki.tsa, noEku] })));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /RFC 3161 timestamp 2026-03-01T12:00:30\.000Z is signed by O=sigstore\.test, CN=sigstore no-eku TSA, whose certificate has no timeStamping extended key usage/);
  });

  it('a signedTimestamp that is not a TimeStampResp → invalid with the reason, not an exception', async () => {
    const json = JSON.parse(pki.dsseBundle(leaf, statement()).toString());
    json.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: Buffer.from('not DER').toString('base64') }] };
    const v = dsse(Buffer.from(JSON.stringify(json)));
    assert.equal(v.status, 'invalid', v.reason);
    assert.match(v.reason, /the Sigstore bundle is malformed/);
    // A bare TimeStampToken (the response's second field) instead of the TimeStampResp: valid DER, wrong shape.
    const stamped = JSON.parse((await pki.timestamp(pki.dsseBundle(leaf, statement()))).toString());
    const response = Buffer.from(stamped.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp, 'base64');
    const header = response[1]! & 0x80 ? 2 + (response[1]! & 0x7f) : 2;
    assert.deepEqual([...response.subarray(header, header + 5)], [0x30, 0x03, 0x02, 0x01, 0x00]);
    stamped.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp = response.subarray(header + 5).toString('base64');
    const bare = dsse(Buffer.from(JSON.stringify(stamped)));
    assert.equal(bare.status, 'invalid', bare.reason);
    assert.match(bare.reason, /RFC 3161 timestamp 1 is not a readable DER TimeStampResp/);
  });
});

describe('what a keyless signature is not', () => {
  it('a valid attestation (SLSA provenance) is named but does not count as the image signature', () => {
    const v = dsse(pki.dsseBundle(leaf, cosignStatement(IMAGE_DIGEST, 'https://slsa.dev/provenance/v1')));
    assert.equal(v.status, 'unverifiable', v.reason);
    assert.match(v.reason, /keyless attestation https:\/\/slsa\.dev\/provenance\/v1 \(DSSE\) by dev@example\.com .* verified/);
    assert.match(v.reason, /is not a signature of the image/);
  });

  it('a certificate without any SCT (early Fulcio) is not checkable here, not tampered: unverifiable', async () => {
    const bare = await pki.issueLeaf({ noSct: true });
    const v = dsse(pki.dsseBundle(bare, cosignStatement(IMAGE_DIGEST)));
    assert.equal(v.status, 'unverifiable', v.reason);
    assert.match(v.reason, /expected 1 SCTs, got 0/);
  });

  it('legacy .sig with checkDockerReference: a keyless signature made for another repository is untrusted', () => {
    const body = simplePayload(IMAGE_DIGEST, 'ghcr.io/org/other');
    const annotations = pki.legacyAnnotations(leaf, body);
    const layer: Descriptor = {
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      digest: 'sha256:' + crypto.createHash('sha256').update(body).digest('hex'),
      size: body.length,
      annotations,
    };
    const input = { imageDigest: IMAGE_DIGEST, repository: REPO, keys: noKeys, sigstore: sigstore(), layer, blob: body };
    assert.equal(verifySimpleSigningLayer(input).status, 'verified', 'cosign ignores docker-reference by default');
    const checked = verifySimpleSigningLayer({ ...input, checkDockerReference: true });
    assert.equal(checked.status, 'untrusted', checked.reason);
    assert.match(checked.reason, /was made for ghcr\.io\/org\/other, not/);
  });
});

describe('legacy keyless .sig layers as v0.1 bundles', () => {
  it('certificate + chain + Rekor bundle annotations → verified', () => {
    const body = simplePayload();
    const v = legacy(pki.legacyAnnotations(leaf, body), body);
    assert.equal(v.status, 'verified', v.reason);
    assert.equal(v.envelope, 'simple-signing');
    assert.equal(v.signer, `${EMAIL} (OIDC issuer ${EMAIL_ISSUER})`);
    assert.match(v.reason, /Rekor entry hashedrekord 0\.0\.1 \(SET\)/);
    assert.equal(v.signedAt, new Date(SIGNING_TIME.getTime() + 60_000).toISOString());
  });

  it('wrong identity → untrusted; tampered payload → invalid; Rekor entry for another signature → invalid', () => {
    const body = simplePayload();
    const annotations = pki.legacyAnnotations(leaf, body);
    assert.equal(legacy(annotations, body, sigstore([{ ...trustEmail, identity: 'x@example.com' }])).status, 'untrusted');
    const other = legacy(pki.legacyAnnotations(leaf, body, { bodySignature: crypto.randomBytes(71) }), body);
    assert.equal(other.status, 'invalid', other.reason);
    assert.match(other.reason, /signature mismatch/);
    const expired = legacy(pki.legacyAnnotations(leaf, body, { integratedTime: Math.floor(SIGNING_TIME.getTime() / 1000) - 3600 }), body);
    assert.equal(expired.status, 'invalid', expired.reason);
    // The payload bytes changed (and the descriptor with them): the certificate key no longer verifies.
    const forged = simplePayload(IMAGE_DIGEST, 'ghcr.io/org/evil');
    assert.equal(legacy(annotations, forged).status, 'invalid');
  });

  it('without a Rekor bundle annotation → unverifiable; without a trusted root → unverifiable', () => {
    const body = simplePayload();
    const annotations = pki.legacyAnnotations(leaf, body);
    const { ['dev.sigstore.cosign/bundle']: _dropped, ...noRekor } = annotations;
    const v = legacy(noRekor, body);
    assert.equal(v.status, 'unverifiable');
    assert.match(v.reason, /has no dev\.sigstore\.cosign\/bundle annotation/);
    assert.equal(legacy(annotations, body, parseSigstoreTrustConfig({})).status, 'unverifiable');
  });
});

describe('Sigstore trust configuration', () => {
  it('garbage trusted roots are configuration errors, never exceptions', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ mediaType: 'application/json' }, /is not a Sigstore trusted root/],
      [{ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [] }, /lists no certificate authority/],
      [{ ...pki.trustedRoot(), tlogs: [] }, /lists no transparency log/],
      [{ ...pki.trustedRoot(), tlogs: [{ baseUrl: 'x' }] }, /tlogs\[0\] needs publicKey\.rawBytes and logId/],
      [{ ...pki.trustedRoot(), certificateAuthorities: [{ certChain: { certificates: [{ rawBytes: 'bm90IGEgY2VydA==' }] } }] }, /could not be loaded/],
      [42, /must be the path of a trusted_root\.json file/],
    ];
    for (const [root, message] of cases) {
      const c = parseSigstoreTrustConfig({ trustedRoot: root });
      assert.equal(c.trustMaterial, undefined);
      assert.equal(c.errors.length, 1, String(c.errors));
      assert.match(c.errors[0]!, message);
    }
    const fromFile = parseSigstoreTrustConfig({ trustedRoot: 'trusted_root.json' }, () => Buffer.from('{ not json'));
    assert.match(fromFile.errors[0] ?? '', /trusted root trusted_root\.json is not JSON/);
    const noReader = parseSigstoreTrustConfig({ trustedRoot: 'trusted_root.json' });
    assert.match(noReader.errors[0] ?? '', /was not read/);
  });

  it('identity entries need one identity and one issuer matcher and a valid scope', () => {
    const c = parseSigstoreTrustConfig({
      identities: [
        { scope: '*', identity: EMAIL },
        { scope: '*', issuer: EMAIL_ISSUER },
        { scope: '*', identity: EMAIL, identityRegExp: '.*', issuer: EMAIL_ISSUER },
        { scope: '*', identityRegExp: '(', issuer: EMAIL_ISSUER },
        { scope: 'a/*/b', identity: EMAIL, issuer: EMAIL_ISSUER },
        { scope: 'ghcr.io/org/*', identity: EMAIL, issuerRegExp: '^https://accounts\\.' },
      ],
    });
    assert.equal(c.identities.length, 1);
    assert.deepEqual(c.errors.map((e) => e.replace(/ \(.*/, '')), [
      'identities[0] needs "issuer" or "issuerRegExp"',
      'identities[1] needs "identity" or "identityRegExp"',
      'identities[2] has both "identity" and "identityRegExp"',
      'identities[3] identityRegExp is not a valid regular expression',
      'identities[4] scope "a/*/b" is invalid',
    ]);
  });
});

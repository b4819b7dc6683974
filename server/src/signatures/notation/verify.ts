// verifyNotationSignature: integrity, authenticity (trust store + identity), expiry and certificate
// validity of one Notary Project signature envelope against a trust policy. Pure and synchronous.
//
// RFC 3161 timestamp countersignatures are verified (timestamp.ts) when the policy names a tsa: store.
// Not implemented (and therefore never reported as passed): OCSP/CRL revocation checking.

import { constants, verify as cryptoVerify } from 'node:crypto';
import type { Descriptor, SignatureStatus, SignatureVerdict } from '../types';
import { CertError, ParsedCertificate, invalidAt, keyAlgorithm, parseCertificate, validateCodeSigningChain } from './certs';
import { identityMatchesSubject } from './dn';
import { EnvelopeError, ParsedEnvelope, parseEnvelope } from './envelope';
import {
  TrustConfiguration, TrustPolicyDocument, TrustPolicyError, TrustPolicyStatement,
  parseTrustStoreRef, parseTrustedIdentity, selectTrustPolicy, validateTrustPolicy,
} from './trust';
import { TimestampError, VerifiedTimestamp, verifyTimestampToken } from './timestamp';

export interface NotationVerifyInput {
  envelope: Uint8Array;
  envelopeMediaType: string;
  /** The descriptor of the manifest being verified (the signature manifest's `subject`). */
  subject: Descriptor;
  /** Fully qualified repository, e.g. `mcr.microsoft.com/windows/servercore`. */
  repository: string;
  trust: TrustConfiguration;
  now: Date;
}

const HASH: Record<string, string> = { PS256: 'sha256', PS384: 'sha384', PS512: 'sha512', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };
const EC_SIZE: Record<string, number> = { ES256: 32, ES384: 48, ES512: 66 };

class Fail extends Error {
  constructor(readonly status: Exclude<SignatureStatus, 'verified'>, message: string) {
    super(message);
  }
}

function verifySignatureBytes(env: ParsedEnvelope, leaf: ParsedCertificate): void {
  const key = keyAlgorithm(leaf.publicKey);
  if (!key.alg) throw new Fail('invalid', `signing certificate key ${key.description} is not allowed by Notation (RSA 2048/3072/4096 or EC P-256/P-384/P-521)`);
  if (key.alg !== env.alg) throw new Fail('invalid', `algorithm ${env.alg} does not match the signing key ${key.description}, which requires ${key.alg}`);
  const hash = HASH[env.alg];
  let ok = false;
  try {
    if (env.alg.startsWith('PS')) {
      ok = cryptoVerify(hash, env.signingInput, { key: leaf.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, env.signature);
    } else {
      if (env.signature.length !== 2 * EC_SIZE[env.alg]) throw new Fail('invalid', `${env.alg} signature has ${env.signature.length} bytes, expected ${2 * EC_SIZE[env.alg]}`);
      ok = cryptoVerify(hash, env.signingInput, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, env.signature);
    }
  } catch (e) {
    if (e instanceof Fail) throw e;
    ok = false;
  }
  if (!ok) throw new Fail('invalid', `the ${env.type.toUpperCase()} signature (${env.alg}) does not verify with the signing certificate's key`);
}

function checkPayload(env: ParsedEnvelope, subject: Descriptor): void {
  let p: unknown;
  try {
    p = JSON.parse(env.payload.toString('utf8'));
  } catch {
    throw new Fail('invalid', 'signed payload is not JSON');
  }
  const t = (p as { targetArtifact?: unknown } | null)?.targetArtifact as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object') throw new Fail('invalid', 'signed payload has no targetArtifact');
  if (typeof t.digest !== 'string' || typeof t.mediaType !== 'string' || typeof t.size !== 'number') {
    throw new Fail('invalid', 'signed payload targetArtifact lacks digest, mediaType or size');
  }
  if (t.digest !== subject.digest) throw new Fail('invalid', `payload digest ${t.digest} does not match the image ${subject.digest}`);
  if (t.size !== subject.size) throw new Fail('invalid', `payload size ${t.size} does not match the image size ${subject.size}`);
  if (t.mediaType !== subject.mediaType) throw new Fail('invalid', `payload media type ${t.mediaType} does not match the image ${subject.mediaType}`);
}

function certEq(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export function verifyNotationSignature(input: NotationVerifyInput): SignatureVerdict {
  const envelopeType = input.envelopeMediaType === 'application/cose' ? 'cose' : 'jws';
  const verdict: SignatureVerdict = { format: 'notation', envelope: envelopeType, status: 'unverifiable', reason: '' };
  try {
    const reason = run(input, verdict);
    verdict.status = 'verified';
    verdict.reason = reason;
  } catch (e) {
    if (e instanceof Fail) {
      verdict.status = e.status;
      verdict.reason = e.message;
    } else {
      verdict.status = 'unverifiable';
      verdict.reason = `internal error while verifying: ${(e as Error)?.message ?? String(e)}`;
    }
  }
  return verdict;
}

function run(input: NotationVerifyInput, verdict: SignatureVerdict): string {
  const { now } = input;
  // 1. Trust policy.
  if (!input.trust || input.trust.policy === undefined || input.trust.policy === null) throw new Fail('unverifiable', 'no Notation trust policy is configured');
  let doc: TrustPolicyDocument;
  try {
    doc = validateTrustPolicy(input.trust.policy);
  } catch (e) {
    if (e instanceof TrustPolicyError) throw new Fail('unverifiable', `trust policy is invalid: ${e.message}`);
    throw e;
  }
  const policy: TrustPolicyStatement | undefined = selectTrustPolicy(doc, input.repository);
  if (!policy) throw new Fail('untrusted', `no trust policy statement applies to ${input.repository} (no exact registry scope and no global "*" policy)`);
  verdict.policy = policy.name;
  const level = policy.signatureVerification.level;
  if (level === 'skip') throw new Fail('unverifiable', `trust policy "${policy.name}" has verification level "skip"; the signature was not verified`);
  const auditNote = level === 'audit' ? ` (policy "${policy.name}" is level audit, which only logs this)` : '';
  const logNote = level === 'permissive' || level === 'audit' ? ` (policy "${policy.name}" is level ${level}, which only logs this)` : '';

  // 2. Envelope.
  let env: ParsedEnvelope;
  try {
    env = parseEnvelope(input.envelope, input.envelopeMediaType);
  } catch (e) {
    if (e instanceof EnvelopeError) throw new Fail(e.status, e.message);
    throw e;
  }
  if (env.signingTime) verdict.signedAt = env.signingTime.toISOString();
  if (env.authenticSigningTime) verdict.signedAt = env.authenticSigningTime.toISOString();
  if (env.expiry) verdict.expiresAt = env.expiry.toISOString();

  // 3. Integrity: certificates, key/algorithm, signature, chain, payload.
  let chain: ParsedCertificate[];
  try {
    chain = env.certificates.map(parseCertificate);
  } catch (e) {
    throw new Fail('invalid', (e as Error).message);
  }
  const leaf = chain[0];
  const root = chain[chain.length - 1];
  verdict.signer = leaf.subjectDn;
  verifySignatureBytes(env, leaf);
  const signingTime = env.authenticSigningTime ?? env.signingTime!;
  if (env.expiry && env.expiry <= signingTime) throw new Fail('invalid', `signature expiry ${env.expiry.toISOString()} is not after its signing time ${signingTime.toISOString()}`);
  try {
    validateCodeSigningChain(chain);
  } catch (e) {
    if (e instanceof CertError) throw new Fail('invalid', e.message);
    throw e;
  }
  verdict.root = root.subjectDn;
  const atSigning = invalidAt(chain, signingTime);
  if (atSigning) throw new Fail('invalid', `certificate ${atSigning.cert.subjectDn} ${atSigning.problem}, so it was not valid at the signing time ${signingTime.toISOString()}`);
  checkPayload(env, input.subject);

  // 4. Authenticity: some envelope certificate is one of the policy's trusted certificates, identity matches.
  const storeType = env.signingScheme === 'notary.x509.signingAuthority' ? 'signingAuthority' : 'ca';
  const refs = (policy.trustStores ?? []).map(parseTrustStoreRef);
  const stores = refs.filter((r) => r.type === storeType);
  if (stores.length === 0) throw new Fail('unverifiable', `trust policy "${policy.name}" has no ${storeType}: trust store for signing scheme ${env.signingScheme}`);
  const storeNames = stores.map((s) => `${s.type}:${s.name}`).join(', ');
  const trusted: Uint8Array[] = [];
  const missing: string[] = [];
  for (const s of stores) {
    const certs = input.trust.stores?.[s.type]?.[s.name];
    if (!certs || certs.length === 0) missing.push(`${s.type}:${s.name}`);
    else trusted.push(...certs);
  }
  if (trusted.length === 0) throw new Fail('unverifiable', `trust store ${missing.join(', ')} named by policy "${policy.name}" is missing or empty`);
  const anchor = chain.find((c) => trusted.some((t) => certEq(t, c.der)));
  if (!anchor) throw new Fail('untrusted', `chain ends at ${root.subjectDn}, not in trust store ${storeNames}${auditNote}`);
  verdict.root = anchor.subjectDn;
  const identities = (policy.trustedIdentities ?? []).map(parseTrustedIdentity);
  if (!identities.some((i) => i.wildcard || identityMatchesSubject(i.dn!, leaf.subject))) {
    throw new Fail('untrusted', `identity ${leaf.subjectDn} not in trustedIdentities of policy "${policy.name}"${auditNote}`);
  }

  // 5. Expiry.
  if (env.expiry && now >= env.expiry) throw new Fail('invalid', `signature expired ${env.expiry.toISOString()}${logNote}`);

  // 6. Certificate validity now / authentic timestamp.
  const notes: string[] = [];
  if (env.signingScheme === 'notary.x509') {
    const tsaStores = refs.filter((r) => r.type === 'tsa');
    const verifyTimestamp = policy.signatureVerification.verifyTimestamp ?? 'always';
    const expiredNow = invalidAt(chain, now);
    const timestampRequired = tsaStores.length > 0 && (verifyTimestamp === 'always' || expiredNow !== undefined);
    if (timestampRequired) {
      if (!env.timestampToken) {
        throw new Fail('invalid', `trust policy "${policy.name}" requires an RFC 3161 timestamp (trust store ${tsaStores.map((s) => `tsa:${s.name}`).join(', ')}) but the signature has none${logNote}`);
      }
      const tsaNames = tsaStores.map((s) => `tsa:${s.name}`).join(', ');
      const tsaRoots: Uint8Array[] = [];
      for (const s of tsaStores) tsaRoots.push(...(input.trust.stores?.tsa?.[s.name] ?? []));
      if (tsaRoots.length === 0) throw new Fail('unverifiable', `trust store ${tsaNames} named by policy "${policy.name}" is missing or empty`);
      let ts: VerifiedTimestamp;
      try {
        ts = verifyTimestampToken(env.timestampToken, env.signature, tsaRoots);
      } catch (e) {
        if (e instanceof TimestampError) throw new Fail(e.status, `RFC 3161 timestamp rejected: ${e.message}${e.status === 'untrusted' ? ` (${tsaNames})` : ''}${logNote}`);
        throw e;
      }
      verdict.timestampedAt = ts.genTime.toISOString();
      // The authentic time replaces "now": the signing chain must be valid over [genTime ± accuracy].
      const outside = invalidAt(chain, ts.earliest) ?? invalidAt(chain, ts.latest);
      if (outside) {
        throw new Fail('invalid', `certificate ${outside.cert.subjectDn} ${outside.problem}, so it was not valid at the timestamp time ${ts.genTime.toISOString()}${logNote}`);
      }
      notes.push(`timestamped ${ts.genTime.toISOString()} by ${ts.chain[0].subjectDn} (TSA chain to trusted ${ts.anchor.subjectDn}); certificates checked at that time${expiredNow ? `, ${expiredNow.cert.subjectDn} has since ${expiredNow.problem}` : ''}`);
    } else if (expiredNow) {
      if (env.timestampToken) {
        // As notation: without a tsa: store no timestamp is authentic, so an expired chain is invalid.
        throw new Fail('invalid', `certificate ${expiredNow.cert.subjectDn} ${expiredNow.problem}; the signature carries an RFC 3161 timestamp, but policy "${policy.name}" names no tsa: trust store to verify it (add the TSA root as a tsa: store)`);
      }
      throw new Fail('invalid', `certificate ${expiredNow.cert.subjectDn} ${expiredNow.problem} and no verified timestamp`);
    } else if (env.timestampToken) notes.push('timestamp present but not verified; certificates are valid now');
  }
  notes.push('revocation not checked');
  return `signed by ${leaf.subjectDn}, chain to trusted ${anchor.subjectDn} (policy "${policy.name}", level ${level}), payload matches ${input.subject.digest}; ${notes.join('; ')}`;
}

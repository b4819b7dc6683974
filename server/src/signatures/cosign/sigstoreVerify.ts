// Keyless (Fulcio certificate) Sigstore verification, offline, with @sigstore/verify: the certificate chain to a
// Fulcio CA of the user's trusted root valid at the signing time, the embedded SCT, the Rekor entry (SET and/or
// inclusion proof + signed checkpoint) and that it records this very signature, RFC 3161 timestamps, and the
// signature itself. None of that is reimplemented here. What is ours: which identities are trusted for which
// repository (cosign-style exact or regexp SAN + OIDC issuer), and turning the outcome into a verdict.
//
// The identity is matched here rather than through the library's VerificationPolicy because that policy treats
// the SAN as an unanchored regular expression (an exact `a.b@c.d` would also match `axb@c.d.evil`), and so that a
// failed check (`invalid`) is told apart from a valid signature by someone not trusted (`untrusted`).
//
// RFC 3161 timestamps (`timestampVerificationData.rfc3161Timestamps`, each a DER TimeStampResp) are checked by the
// library: a timestamp authority of the trusted root valid at genTime whose leaf has the token's signer serial and
// issuer, its chain valid at genTime, the messageImprint over the bundle's signature, the signed messageDigest and
// the TSA signature; the Fulcio certificate must then be valid at that time too. Added here: the token's structure
// is read first (a malformed one is `invalid` with a reason, not a TypeError), the TSA leaf that signed it must
// carry the timeStamping EKU (RFC 3161 §2.3; @sigstore/verify 3.1.1 does not check it, and only its presence is
// checked here, not that it is critical and alone), and the reason names the TSA and its time.

import * as crypto from 'node:crypto';
import { bundleFromJSON, ValidationError, type Bundle } from '@sigstore/bundle';
import { toSignedEntity, VerificationError, Verifier, type SignedEntity, type Signer, type TrustMaterial } from '@sigstore/verify';
import type { SignatureStatus, SignatureVerdict } from '../types';
import { describeIdentity, identitiesForRepository, matchIdentity, type SigstoreTrustConfig } from './sigstoreTrust';

export interface KeylessInput {
  /** The bundle JSON, parsed (a referrer's layer, or one built from a legacy `.sig` layer). */
  bundle: unknown;
  /** The signed bytes of a message-signature bundle (image manifest, or simple-signing payload). */
  artifact?: Uint8Array;
  repository: string;
  sigstore: SigstoreTrustConfig & { trustMaterial: NonNullable<SigstoreTrustConfig['trustMaterial']> };
  /** What was signed, for reasons: `cosign signature (DSSE)`, `message signature`, … */
  what: string;
}

export type KeylessOutcome = Pick<SignatureVerdict, 'reason' | 'signer' | 'root' | 'signedAt' | 'timestampedAt'> & { status: SignatureStatus };

/** Whether keyless signatures can be checked with this configuration. */
export function hasTrustedRoot(config: SigstoreTrustConfig | undefined): config is KeylessInput['sigstore'] {
  return !!config?.trustMaterial;
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const fields = e instanceof ValidationError && e.fields.length ? ` (${e.fields.join(', ')})` : '';
  return `${e.message}${fields}${cause instanceof Error ? ` (${cause.message})` : ''}`;
}

/** Verifies a keyless bundle with @sigstore/verify and matches its identity. Never throws. */
export function verifyKeyless(input: KeylessInput): KeylessOutcome {
  let bundle: Bundle;
  let entity: SignedEntity;
  try {
    bundle = bundleFromJSON(input.bundle);
    entity = toSignedEntity(bundle, input.artifact ? Buffer.from(input.artifact) : undefined);
  } catch (e) {
    return { status: 'invalid', reason: `the Sigstore bundle is malformed: ${errorText(e)}` };
  }
  const malformed = malformedTimestamp(entity);
  if (malformed) return { status: 'invalid', reason: `keyless ${input.what}: ${malformed}` };
  let signer: Signer;
  try {
    signer = new Verifier(input.sigstore.trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(entity);
  } catch (e) {
    // VerificationError: a check failed (chain, validity at signing time, SCT, tlog body/SET/proof, timestamp, signature).
    if (e instanceof VerificationError) {
      // Formats the library does not check are not evidence of tampering: older Rekor entry kinds (`rekord`)
      // and early Fulcio certificates without an embedded SCT.
      if (isUnsupported(e)) return { status: 'unverifiable', reason: `keyless ${input.what} could not be checked: ${errorText(e)}` };
      return { status: 'invalid', reason: `keyless ${input.what} failed Sigstore verification: ${verificationErrorText(e)}` };
    }
    return { status: 'unverifiable', reason: `keyless ${input.what} could not be checked: ${errorText(e)}` };
  }
  const tsas = timestampAuthorities(entity, input.sigstore.trustMaterial);
  const tokens = entity.timestamps.filter((t) => t.$case === 'timestamp-authority').length;
  if (tsas.length < tokens) {
    // The library accepted a token whose authority we cannot name, so the EKU check below cannot run: fail closed.
    return { status: 'unverifiable', reason: `keyless ${input.what}: ${tokens - tsas.length} RFC 3161 timestamp(s) could not be attributed to a timestamp authority of the trusted root for the timeStamping check` };
  }
  const noEku = tsas.find((t) => !t.timeStamping);
  if (noEku) {
    return {
      status: 'invalid',
      reason: `keyless ${input.what} failed Sigstore verification: its RFC 3161 timestamp ${noEku.at.toISOString()} is signed by ${noEku.subject}, whose certificate has no timeStamping extended key usage`,
    };
  }
  const san = signer.identity?.subjectAlternativeName;
  const issuer = signer.identity?.extensions?.issuer;
  const who = `${san ?? 'a certificate without an email or URI SAN'}${issuer ? ` (OIDC issuer ${issuer})` : ' (no OIDC issuer)'}`;
  const times = timestamps(entity);
  const root = fulcioRoot(bundle, input.sigstore.caCertificates);
  const detail = {
    signer: who,
    ...(root ? { root } : {}),
    ...(times.rekor ?? times.tsa ? { signedAt: (times.rekor ?? times.tsa)!.toISOString() } : {}),
    ...(times.tsa ?? times.rekor ? { timestampedAt: (times.tsa ?? times.rekor)!.toISOString() } : {}),
  };
  const identities = identitiesForRepository(input.sigstore, input.repository);
  if (!identities.length) {
    return { status: 'untrusted', reason: `keyless ${input.what} by ${who} passed Sigstore verification, but no Sigstore identity is configured for ${input.repository}`, ...detail };
  }
  const match = matchIdentity(identities, san, issuer);
  if (!match) {
    const n = identities.length;
    return { status: 'untrusted', reason: `keyless ${input.what} by ${who} passed Sigstore verification, but matches none of the ${n === 1 ? 'identity' : `${n} identities`} configured for ${input.repository}`, ...detail };
  }
  const checked = [`Fulcio chain to ${root ?? 'a trusted CA'}`, 'embedded SCT', tlogSummary(entity), ...tsas.map((t) => `RFC 3161 timestamp ${t.at.toISOString()} by ${t.subject}`)];
  return { status: 'verified', reason: `keyless ${input.what} by ${who} verified (${checked.join(', ')}) and matches ${describeIdentity(match)}`, ...detail };
}

function isUnsupported(e: VerificationError): boolean {
  return /^unsupported kind: /.test(e.message) || (e.code === 'CERTIFICATE_ERROR' && /^expected \d+ SCTs, got 0$/.test(e.message));
}

function verificationErrorText(e: VerificationError): string {
  // The library says only "timestamp could not be verified" when no TSA of the trusted root verifies a token.
  if (e.code === 'TIMESTAMP_ERROR' && e.message === 'timestamp could not be verified') {
    return 'an RFC 3161 timestamp could not be verified: no timestamp authority of the trusted root, valid at its time, issued it with a valid chain, or it is not over this signature';
  }
  return errorText(e);
}

/**
 * Why an RFC 3161 timestamp of the bundle cannot be read, or undefined. @sigstore/core parses the DER lazily and
 * reads a TimeStampResp { status, timeStampToken } without checking its shape, so a bare token or another structure
 * would fail inside the verifier with a TypeError.
 */
function malformedTimestamp(entity: SignedEntity): string | undefined {
  let i = 0;
  for (const t of entity.timestamps) {
    if (t.$case !== 'timestamp-authority') continue;
    i++;
    const ts = t.timestamp;
    try {
      const status = ts.status;
      if (status !== 0n && status !== 1n) return `RFC 3161 timestamp ${i} has status ${status} (not granted)`;
      if (Number.isNaN(ts.signingTime.getTime())) throw new Error('no genTime');
      if (!ts.tstInfo.messageImprintHashAlgorithm) throw new Error('unsupported messageImprint hash algorithm');
      if (!ts.signerSerialNumber.length || !ts.signerIssuer.length || !ts.signatureValue.length) throw new Error('no signer');
    } catch (e) {
      return `RFC 3161 timestamp ${i} is not a readable DER TimeStampResp (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  return undefined;
}

interface VerifiedTsa {
  at: Date;
  /** Subject of the TSA leaf (of the trusted root) that signed the token. */
  subject: string;
  timeStamping: boolean;
}

const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/**
 * For each RFC 3161 timestamp (already verified by the library), the trusted root's TSA leaf that signed it: the
 * authorities the library considers (valid at genTime, leaf serial and issuer as in the token's SignerInfo) whose
 * leaf key verifies the token; one with the timeStamping EKU is preferred.
 */
function timestampAuthorities(entity: SignedEntity, trust: TrustMaterial): VerifiedTsa[] {
  const out: VerifiedTsa[] = [];
  for (const t of entity.timestamps) {
    if (t.$case !== 'timestamp-authority') continue;
    const ts = t.timestamp;
    const at = ts.signingTime;
    const found: VerifiedTsa[] = [];
    for (const ca of trust.timestampAuthorities) {
      const leaf = ca.certChain[0];
      if (!leaf || at < ca.validFor.start || at > ca.validFor.end) continue;
      if (!leaf.serialNumber.equals(ts.signerSerialNumber) || !leaf.issuer.equals(ts.signerIssuer)) continue;
      try {
        ts.verify(entity.signature.signature, crypto.createPublicKey({ key: leaf.publicKey, format: 'der', type: 'spki' }));
        const cert = new crypto.X509Certificate(leaf.root.toDER());
        found.push({ at, subject: cert.subject.replace(/\n/g, ', '), timeStamping: (cert.keyUsage ?? []).includes(EKU_TIME_STAMPING) });
      } catch {
        // not this authority
      }
    }
    const best = found.find((f) => f.timeStamping) ?? found[0];
    if (best) out.push(best);
  }
  return out;
}

/** `Rekor hashedrekord 0.0.1 entry (SET, inclusion proof)` for the reason. */
function tlogSummary(entity: SignedEntity): string {
  const parts = entity.tlogEntries.map((e) => {
    const proofs = [e.inclusionPromise ? 'SET' : '', e.inclusionProof ? 'inclusion proof + checkpoint' : ''].filter(Boolean).join(' and ');
    return `${e.kindVersion?.kind ?? '?'} ${e.kindVersion?.version ?? '?'} (${proofs})`;
  });
  return `Rekor ${parts.length === 1 ? 'entry' : 'entries'} ${parts.join(', ')}`;
}

/**
 * The verified times: Rekor's integratedTime counts only with an inclusion promise (the SET signs it; an inclusion
 * proof alone does not), as in @sigstore/verify's own timestamp check; RFC 3161 times were verified by the TSA chain.
 */
function timestamps(entity: SignedEntity): { rekor?: Date; tsa?: Date } {
  let rekor: Date | undefined;
  let tsa: Date | undefined;
  for (const t of entity.timestamps) {
    const at = t.$case === 'transparency-log' ? (t.tlogEntry.inclusionPromise ? new Date(Number(t.tlogEntry.integratedTime) * 1000) : undefined) : t.timestamp.signingTime;
    if (!at || Number.isNaN(at.getTime())) continue;
    if (t.$case === 'transparency-log') rekor = !rekor || at < rekor ? at : rekor;
    else tsa = !tsa || at < tsa ? at : tsa;
  }
  return { ...(rekor ? { rekor } : {}), ...(tsa ? { tsa } : {}) };
}

/**
 * Subject of the self-signed CA the leaf's chain ends at, for display only (the chain was verified by
 * @sigstore/verify): each step is an issuer-name match whose key verifies the certificate.
 */
function fulcioRoot(bundle: Bundle, cas: readonly crypto.X509Certificate[]): string | undefined {
  const content = bundle.verificationMaterial.content;
  const raw = content.$case === 'certificate' ? content.certificate.rawBytes : content.$case === 'x509CertificateChain' ? content.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (!raw) return undefined;
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(Buffer.from(raw));
  } catch {
    return undefined;
  }
  for (let depth = 0; depth < 8; depth++) {
    const current = cert;
    const parent = cas.find((c) => c.subject === current.issuer && safeVerify(current, c));
    if (!parent) return undefined;
    if (parent.subject === parent.issuer) return parent.subject.replace(/\n/g, ', ');
    cert = parent;
  }
  return undefined;
}

function safeVerify(cert: crypto.X509Certificate, issuer: crypto.X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

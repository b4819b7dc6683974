// Sigstore bundle referrers (cosign v3 default; also GitHub artifact attestations). Key-based verification of a
// DSSE envelope (in-toto Statement) or a message signature, fully offline. Keyless bundles are verified with
// @sigstore/verify (sigstoreVerify.ts) when the user configured a Sigstore trusted root; without one they are
// described but `unverifiable`: the Fulcio chain, the Rekor entry and RFC 3161 timestamps need that root.

import * as crypto from 'node:crypto';
import type { Descriptor, SignatureVerdict } from '../types';
import { checkBlob, configProblems, isRecord, parseDigest, parseJson, verdict } from './common';
import { decodeBase64, findVerifyingKey, keyLabel, keysForRepository, type CosignKeyConfig, type CosignPublicKey } from './keys';
import { describeKeyless, parseCertificate, verifyWithCertificate, type KeylessSigner } from './keyless';
import type { SigstoreTrustConfig } from './sigstoreTrust';
import { hasTrustedRoot, verifyKeyless } from './sigstoreVerify';

export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

export interface SigstoreBundleInput {
  /** Digest of the image being verified (the referrer's subject). */
  imageDigest: string;
  repository: string;
  keys: CosignKeyConfig;
  /** The bundle JSON bytes (the referrer manifest's layer blob). */
  bundle: Uint8Array;
  /** The layer descriptor; when given, the bundle bytes are checked against its digest and size. */
  descriptor?: Descriptor;
  /**
   * The image manifest bytes. Needed only for a `messageSignature` bundle, whose signature is over the artifact
   * itself; they are checked against `imageDigest`.
   */
  artifact?: Uint8Array;
  /** Trusted root and identities for keyless bundles; without a trusted root they are `unverifiable`. */
  sigstore?: SigstoreTrustConfig;
  /**
   * The referrer manifest's `dev.sigstore.bundle.predicateType` annotation, when it has one: a DSSE statement
   * must carry that predicate type (an attestation must not pass for the signature it is listed as).
   */
  predicateType?: string;
}

const ENV = 'sigstore-bundle' as const;

/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>` (lengths in bytes). */
export function dssePae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), Buffer.from(payload)]);
}

function isBundleMediaType(mt: unknown): boolean {
  return (
    typeof mt === 'string' &&
    (/^application\/vnd\.dev\.sigstore\.bundle\.v0\.[0-9]+\+json$/.test(mt) || /^application\/vnd\.dev\.sigstore\.bundle\+json;\s*version=0\.[12]$/.test(mt))
  );
}

/** Verifies a Sigstore bundle against the image digest. Never throws. */
export function verifySigstoreBundle(input: SigstoreBundleInput): SignatureVerdict {
  try {
    return verifyBundle(input);
  } catch (e) {
    return verdict(ENV, 'unverifiable', `Sigstore bundle could not be checked: ${(e as Error).message}`);
  }
}

function rawBytes(v: unknown): Buffer | undefined {
  return isRecord(v) ? decodeBase64(v.rawBytes) : undefined;
}

function verifyBundle(input: SigstoreBundleInput): SignatureVerdict {
  const image = parseDigest(input.imageDigest);
  if (!image) return verdict(ENV, 'unverifiable', `the image digest "${input.imageDigest}" to verify is not a valid digest`);
  if (input.descriptor) {
    const problem = checkBlob(input.descriptor, input.bundle);
    if (problem) return verdict(ENV, 'invalid', problem);
  }
  const bundle = parseJson(input.bundle);
  if (!isRecord(bundle)) return verdict(ENV, 'invalid', 'the Sigstore bundle is not a JSON object');
  if (!isBundleMediaType(bundle.mediaType)) {
    return verdict(ENV, 'unverifiable', `unsupported Sigstore bundle media type ${JSON.stringify(bundle.mediaType)}`);
  }
  const material = isRecord(bundle.verificationMaterial) ? bundle.verificationMaterial : undefined;
  if (!material) return verdict(ENV, 'invalid', 'the Sigstore bundle has no verificationMaterial');

  // Signer material: a certificate (keyless / BYO PKI) or a public-key hint.
  let certDer: Buffer | undefined;
  if (material.certificate !== undefined) certDer = rawBytes(material.certificate);
  else if (isRecord(material.x509CertificateChain) && Array.isArray(material.x509CertificateChain.certificates)) {
    certDer = rawBytes(material.x509CertificateChain.certificates[0]);
  }
  const hasCert = material.certificate !== undefined || material.x509CertificateChain !== undefined;
  const keyless = certDer ? parseCertificate(certDer) : undefined;
  if (hasCert && !keyless) return verdict(ENV, 'invalid', 'the bundle certificate is unreadable');

  const keys = keysForRepository(input.keys, input.repository);
  const tlogCount = Array.isArray(material.tlogEntries) ? material.tlogEntries.length : 0;

  // Signed content: what bytes were signed, and which signatures to check.
  let signed: Buffer;
  let signatures: Buffer[];
  let what: string;
  /** The predicate of a DSSE statement that is an attestation (provenance, SBOM…) rather than cosign's signature. */
  let attestation: string | undefined;
  if (isRecord(bundle.dsseEnvelope)) {
    const env = bundle.dsseEnvelope;
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      return verdict(ENV, 'unverifiable', `unsupported DSSE payload type ${JSON.stringify(env.payloadType)} (expected ${IN_TOTO_PAYLOAD_TYPE})`);
    }
    const payload = decodeBase64(env.payload);
    if (!payload) return verdict(ENV, 'invalid', 'the DSSE payload is not valid base64');
    const statement = parseJson(payload);
    if (!isRecord(statement) || !Array.isArray(statement.subject)) return verdict(ENV, 'invalid', 'the DSSE payload is not an in-toto Statement with a subject');
    if (typeof statement._type !== 'string' || !statement._type.startsWith('https://in-toto.io/Statement/')) {
      return verdict(ENV, 'invalid', `the DSSE payload _type ${JSON.stringify(statement._type)} is not an in-toto Statement`);
    }
    const covers = statement.subject.some(
      (s: unknown) => isRecord(s) && isRecord(s.digest) && typeof s.digest[image.algorithm] === 'string' && (s.digest[image.algorithm] as string).toLowerCase() === image.hex,
    );
    if (!covers) return verdict(ENV, 'invalid', `the in-toto statement's subjects do not include ${input.imageDigest}`);
    if (typeof statement.predicateType !== 'string' || !statement.predicateType) return verdict(ENV, 'invalid', 'the in-toto statement has no predicateType');
    const predicateType = statement.predicateType;
    if (input.predicateType !== undefined && input.predicateType !== predicateType) {
      return verdict(ENV, 'invalid', `the in-toto statement's predicateType ${predicateType} differs from the referrer's annotation ${input.predicateType}`);
    }
    what = predicateType === COSIGN_SIGN_PREDICATE ? 'cosign signature (DSSE)' : `attestation ${predicateType} (DSSE)`;
    if (predicateType !== COSIGN_SIGN_PREDICATE) attestation = predicateType;
    const sigs = Array.isArray(env.signatures) ? env.signatures : [];
    signatures = [];
    for (const s of sigs) {
      const b = isRecord(s) ? decodeBase64(s.sig) : undefined;
      if (!b) return verdict(ENV, 'invalid', 'a DSSE signature is not valid base64');
      signatures.push(b);
    }
    if (!signatures.length) return verdict(ENV, 'invalid', 'the DSSE envelope has no signatures');
    signed = dssePae(IN_TOTO_PAYLOAD_TYPE, payload);
  } else if (isRecord(bundle.messageSignature)) {
    const ms = bundle.messageSignature;
    const md = isRecord(ms.messageDigest) ? ms.messageDigest : undefined;
    const alg = md?.algorithm;
    const expectedAlg = image.algorithm === 'sha256' ? 'SHA2_256' : 'SHA2_512';
    const digest = md ? decodeBase64(md.digest) : undefined;
    if (alg !== expectedAlg || !digest) return verdict(ENV, 'invalid', `the message signature has no ${expectedAlg} message digest`);
    if (digest.toString('hex') !== image.hex) return verdict(ENV, 'invalid', `the message signature is for ${image.algorithm}:${digest.toString('hex')}, not for ${input.imageDigest}`);
    const sig = decodeBase64(ms.signature);
    if (!sig) return verdict(ENV, 'invalid', 'the message signature is not valid base64');
    if (!input.artifact) {
      return verdict(ENV, 'unverifiable', 'the message signature is over the image manifest, whose bytes were not supplied');
    }
    if (crypto.createHash(image.algorithm).update(input.artifact).digest('hex') !== image.hex) {
      return verdict(ENV, 'unverifiable', `the supplied image manifest bytes do not hash to ${input.imageDigest}`);
    }
    signed = Buffer.from(input.artifact);
    signatures = [sig];
    what = 'message signature';
  } else {
    return verdict(ENV, 'invalid', 'the Sigstore bundle has neither a dsseEnvelope nor a messageSignature');
  }

  let key: CosignPublicKey | undefined;
  for (const s of signatures) if ((key = findVerifyingKey(keys, signed, s))) break;
  if (key) {
    if (keyless) {
      // A configured key vouches for the signature; the certificate must at least hold that same key.
      if (!keyless.cert.publicKey.equals(key.key)) {
        return verdict(ENV, 'invalid', `the ${what} verifies with key ${keyLabel(key)} but the bundle's certificate holds another key`);
      }
    }
    const tlog = tlogCount ? `; ${tlogCount} transparency-log entr${tlogCount === 1 ? 'y' : 'ies'} not checked` : '';
    return asImageSignature(verdict(ENV, 'verified', `${what} valid for configured ${key.algorithm} key ${keyLabel(key)}${tlog}`, { signer: key.fingerprint }), attestation);
  }
  return asImageSignature(keylessOrUntrusted(input, bundle, keys.length, keyless, signed, signatures, what), attestation);
}

/**
 * A valid attestation says something about the image (how it was built, what is in it) but is not the
 * publisher's signature of it — `cosign verify` accepts only the cosign/sign predicate. It is reported, with
 * what was checked, as not counting for the image's signature status.
 */
function asImageSignature(result: SignatureVerdict, attestation: string | undefined): SignatureVerdict {
  if (!attestation || result.status !== 'verified') return result;
  return { ...result, status: 'unverifiable', reason: `${result.reason}; an attestation (${attestation}) is not a signature of the image, so it does not count as one` };
}

function keylessOrUntrusted(
  input: SigstoreBundleInput,
  bundle: Record<string, unknown>,
  keyCount: number,
  keyless: KeylessSigner | undefined,
  signed: Buffer,
  signatures: Buffer[],
  what: string,
): SignatureVerdict {
  if (keyless && hasTrustedRoot(input.sigstore)) {
    // The subject digest (DSSE) or message digest was matched to the image above; the rest is @sigstore/verify's.
    const outcome = verifyKeyless({ bundle, repository: input.repository, sigstore: input.sigstore, what, ...(input.artifact ? { artifact: input.artifact } : {}) });
    const { status, reason, ...extra } = outcome;
    return verdict(ENV, status, reason, { signer: describeKeyless(keyless), ...extra });
  }
  if (keyless) {
    const who = describeKeyless(keyless);
    if (!signatures.some((s) => verifyWithCertificate(keyless, signed, s))) {
      return verdict(ENV, 'invalid', `the ${what} does not verify with the bundle's certificate (${who})`, { signer: who });
    }
    if (keyCount) return verdict(ENV, 'untrusted', `keyless ${what} by ${who} is not from a cosign key configured for ${input.repository}`, { signer: who });
    return verdict(
      ENV,
      'unverifiable',
      `keyless ${what} by ${who}: the Fulcio chain and Rekor/timestamp proofs need a Sigstore trusted root, and none is configured`,
      { signer: who },
    );
  }
  if (!keyCount) return verdict(ENV, 'unverifiable', `no cosign public key configured for ${input.repository}${configProblems(input.keys)}`);
  return verdict(ENV, 'untrusted', `the ${what} does not verify with ${keyCount === 1 ? 'the cosign key' : `any of the ${keyCount} cosign keys`} configured for ${input.repository} (signed by another key, or altered)`);
}

// Shared vocabulary of signature verification (Notary Project and cosign). Verifiers are pure: they get
// the bytes the registry client fetched and the user's trust configuration, and return a verdict with
// the reason. Nothing here performs I/O.

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export type SignatureFormat = 'notation' | 'cosign';
export type EnvelopeType = 'jws' | 'cose' | 'simple-signing' | 'sigstore-bundle';

/**
 * - verified: the signature is valid, covers this digest, and chains to / matches a trusted anchor under the policy.
 * - invalid: the signature or its payload does not check out (tampered, wrong digest, expired, bad chain).
 * - untrusted: cryptographically valid, but the signer is not trusted by the policy (wrong root, identity mismatch, no policy scope).
 * - unverifiable: it could not be checked (unsupported algorithm or envelope, missing trust configuration, fetch failure).
 */
export type SignatureStatus = 'verified' | 'invalid' | 'untrusted' | 'unverifiable';

/** Where the signature was found. */
export type DiscoveryMethod = 'referrers-api' | 'tag-schema' | 'cosign-tag';

export interface SignatureVerdict {
  format: SignatureFormat;
  envelope: EnvelopeType;
  status: SignatureStatus;
  /** One sentence saying why (for every status, also `verified`). */
  reason: string;
  /** Subject DN of the signing certificate, or the key id / fingerprint for key-based signatures. */
  signer?: string;
  /** Subject DN of the trust anchor the chain ends at. */
  root?: string;
  /** Signing time claimed by the signer (ISO 8601), and the authentic timestamp when one was verified. */
  signedAt?: string;
  timestampedAt?: string;
  /** Signature expiry (Notation `io.cncf.notary.expiry`), when set. */
  expiresAt?: string;
  /** Name of the trust policy statement that applied (Notation). */
  policy?: string;
  /** The signature manifest (referrer) digest, and how it was found; filled in by the caller. */
  signatureDigest?: string;
  foundVia?: DiscoveryMethod;
}

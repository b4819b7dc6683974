// Cosign legacy `.sig` tag signatures (cosign ≤ v2): one "simple signing" payload per layer, the signature in
// the layer annotation `dev.cosignproject.cosign/signature`. Pure: bytes + configured keys in, verdict out.
// Keyless layers (Fulcio certificate + Rekor bundle annotations) are turned into a v0.1 Sigstore bundle
// (legacyBundle.ts) and verified with @sigstore/verify when a Sigstore trusted root is configured.

import type { Descriptor, SignatureVerdict } from '../types';
import { bestVerdict, checkBlob, configProblems, getCi, isRecord, parseDigest, parseJson, sameDigest, verdict } from './common';
import { decodeBase64, findVerifyingKey, keyLabel, keysForRepository, normalizeRepository, type CosignKeyConfig } from './keys';
import { describeKeyless, parseCertificate, verifyWithCertificate } from './keyless';
import { legacyKeylessBundle } from './legacyBundle';
import type { SigstoreTrustConfig } from './sigstoreTrust';
import { hasTrustedRoot, verifyKeyless } from './sigstoreVerify';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

export interface SimpleSigningOptions {
  /** Digest of the image being verified (`sha256:<hex>`), the one the `.sig` tag was derived from. */
  imageDigest: string;
  /** Repository of the image (`ghcr.io/org/app`, `nginx`, …); selects the configured keys. */
  repository: string;
  /** Parsed key configuration (`parseCosignKeyConfig`). */
  keys: CosignKeyConfig;
  /**
   * Also require the payload's `critical.identity.docker-reference` to name `repository` (cosign ignores it by
   * default, and it differs for images copied between registries). A mismatch is `untrusted`.
   */
  checkDockerReference?: boolean;
  /** Trusted root and identities for keyless signatures; without a trusted root they are `unverifiable`. */
  sigstore?: SigstoreTrustConfig;
}

export interface SimpleSigningLayerInput extends SimpleSigningOptions {
  /** The layer descriptor from the `.sig` manifest (media type, digest, size, annotations). */
  layer: Descriptor;
  /** The layer blob bytes as fetched (the payload). */
  blob: Uint8Array;
}

const ENV = 'simple-signing' as const;

/** Verifies one simple-signing layer. Never throws. */
export function verifySimpleSigningLayer(input: SimpleSigningLayerInput): SignatureVerdict {
  try {
    return verifyLayer(input);
  } catch (e) {
    return verdict(ENV, 'unverifiable', `cosign signature could not be checked: ${(e as Error).message}`);
  }
}

function verifyLayer(input: SimpleSigningLayerInput): SignatureVerdict {
  const { layer, blob, repository } = input;
  if (!parseDigest(input.imageDigest)) {
    return verdict(ENV, 'unverifiable', `the image digest "${input.imageDigest}" to verify is not a valid digest`);
  }
  if (!isRecord(layer) || layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) {
    return verdict(ENV, 'unverifiable', `layer media type ${isRecord(layer) ? String(layer.mediaType) : '?'} is not a cosign simple-signing payload`);
  }
  const blobProblem = checkBlob(layer, blob);
  if (blobProblem) return verdict(ENV, 'invalid', blobProblem);

  const annotations = isRecord(layer.annotations) ? layer.annotations : {};
  const sigText = annotations[SIGNATURE_ANNOTATION];
  if (sigText === undefined) return verdict(ENV, 'invalid', `the signature layer has no ${SIGNATURE_ANNOTATION} annotation`);
  const signature = decodeBase64(sigText);
  if (!signature) return verdict(ENV, 'invalid', `the ${SIGNATURE_ANNOTATION} annotation is not valid base64`);

  // Payload: containers/image simple signing.
  const payload = parseJson(blob);
  if (!isRecord(payload) || !isRecord(payload.critical)) return verdict(ENV, 'invalid', 'the simple-signing payload is not JSON with a "critical" object');
  const critical = payload.critical;
  const type = getCi(critical, 'type');
  if (type !== SIMPLE_SIGNING_TYPE) return verdict(ENV, 'invalid', `the payload type is ${JSON.stringify(type)}, not "${SIMPLE_SIGNING_TYPE}"`);
  const image = getCi(critical, 'image');
  const signedDigest = isRecord(image) ? getCi(image, 'docker-manifest-digest') : undefined;
  if (typeof signedDigest !== 'string') return verdict(ENV, 'invalid', 'the payload has no critical.image.docker-manifest-digest');
  if (!sameDigest(signedDigest, input.imageDigest)) {
    return verdict(ENV, 'invalid', `the signature is for ${signedDigest}, not for ${input.imageDigest}`);
  }
  const identity = getCi(critical, 'identity');
  const dockerRef = isRecord(identity) ? getCi(identity, 'docker-reference') : undefined;
  const refText = typeof dockerRef === 'string' && dockerRef ? dockerRef : undefined;
  const refNote = refText ? ` (signed reference ${refText})` : '';

  const keys = keysForRepository(input.keys, repository);
  const certPem = annotations[CERTIFICATE_ANNOTATION];
  const keyless = typeof certPem === 'string' && certPem.trim() ? parseCertificate(certPem) : undefined;
  if (typeof certPem === 'string' && certPem.trim() && !keyless) return verdict(ENV, 'invalid', `the ${CERTIFICATE_ANNOTATION} annotation is not a readable certificate`);

  /** With `checkDockerReference`, why a valid signature by `who` does not count for this repository. */
  const referenceProblem = (who: string): string | undefined => {
    if (!input.checkDockerReference) return undefined;
    if (!refText) return `the signature is valid for ${who} but names no docker-reference`;
    if (normalizeRepository(refText) !== normalizeRepository(repository)) return `the signature is valid for ${who} but was made for ${refText}, not ${repository}`;
    return undefined;
  };

  const key = findVerifyingKey(keys, blob, signature);
  if (key) {
    const problem = referenceProblem(`key ${keyLabel(key)}`);
    if (problem) return verdict(ENV, 'untrusted', problem, { signer: key.fingerprint });
    return verdict(ENV, 'verified', `cosign signature valid for configured ${key.algorithm} key ${keyLabel(key)}${refNote}; Rekor transparency-log proof not checked`, { signer: key.fingerprint });
  }

  if (keyless) {
    const who = describeKeyless(keyless);
    if (!verifyWithCertificate(keyless, blob, signature)) {
      return verdict(ENV, 'invalid', `the signature does not verify with its own signing certificate (${who})`, { signer: who });
    }
    if (hasTrustedRoot(input.sigstore)) {
      const rekorBundle = annotations[REKOR_BUNDLE_ANNOTATION];
      if (typeof rekorBundle !== 'string' || !rekorBundle.trim()) {
        // Without Rekor's SET there is no trusted signing time to check the short-lived certificate against.
        return verdict(ENV, 'unverifiable', `keyless signature by ${who} has no ${REKOR_BUNDLE_ANNOTATION} annotation (Rekor entry), so its certificate cannot be checked at signing time`, { signer: who });
      }
      const chainPem = annotations[CHAIN_ANNOTATION];
      const built = legacyKeylessBundle({ payload: blob, signature, certificatePem: certPem as string, rekorBundle, ...(typeof chainPem === 'string' ? { chainPem } : {}) });
      if ('problem' in built) return verdict(ENV, 'invalid', `keyless signature by ${who}: ${built.problem}`, { signer: who });
      const { status, reason, ...extra } = verifyKeyless({ bundle: built.bundle, artifact: blob, repository, sigstore: input.sigstore, what: `cosign signature${refNote}` });
      const problem = status === 'verified' ? referenceProblem(extra.signer ?? who) : undefined;
      if (problem) return verdict(ENV, 'untrusted', problem, { signer: who, ...extra });
      return verdict(ENV, status, reason, { signer: who, ...extra });
    }
    if (keys.length) {
      return verdict(ENV, 'untrusted', `keyless signature by ${who} is not from a cosign key configured for ${repository}`, { signer: who });
    }
    return verdict(
      ENV,
      'unverifiable',
      `keyless signature by ${who}: the Fulcio certificate chain and Rekor proof need a Sigstore trusted root, and none is configured; no cosign public key configured for ${repository}`,
      { signer: who },
    );
  }
  if (!keys.length) return verdict(ENV, 'unverifiable', `no cosign public key configured for ${repository}${configProblems(input.keys)}`);
  return verdict(
    ENV,
    'untrusted',
    `the signature${refNote} does not verify with ${keys.length === 1 ? 'the cosign key' : `any of the ${keys.length} cosign keys`} configured for ${repository} (signed by another key, or altered)`,
  );
}

/** The `.sig` manifest (only the fields used). */
export interface CosignSignatureManifest {
  layers?: Descriptor[];
}

export interface SimpleSigningManifestInput extends SimpleSigningOptions {
  /** The parsed `.sig` manifest JSON. */
  manifest: unknown;
  /** Layer blobs fetched so far, by digest. A missing blob makes that layer `unverifiable`. */
  blobs: ReadonlyMap<string, Uint8Array> | ((digest: string) => Uint8Array | undefined);
}

/** Verifies every layer (each is one signature) of a `.sig` manifest; returns one verdict per layer. Never throws. */
export function verifySimpleSigningManifest(input: SimpleSigningManifestInput): SignatureVerdict[] {
  const layers = isRecord(input.manifest) && Array.isArray(input.manifest.layers) ? (input.manifest.layers as unknown[]) : undefined;
  if (!layers || !layers.length) return [verdict(ENV, 'invalid', 'the cosign signature manifest has no layers')];
  const get = typeof input.blobs === 'function' ? input.blobs : (d: string) => (input.blobs as ReadonlyMap<string, Uint8Array>).get(d);
  return layers.map((layer) => {
    if (!isRecord(layer) || typeof layer.digest !== 'string') return verdict(ENV, 'invalid', 'a signature layer descriptor has no digest');
    const blob = get(layer.digest);
    if (!blob) return verdict(ENV, 'unverifiable', `the signature payload ${layer.digest} was not fetched`);
    return verifySimpleSigningLayer({ ...input, layer: layer as unknown as Descriptor, blob });
  });
}

/** Verifies a `.sig` manifest and returns the one verdict to show (see `bestVerdict`). */
export function verifySimpleSigning(input: SimpleSigningManifestInput): SignatureVerdict {
  return bestVerdict(verifySimpleSigningManifest(input)) ?? verdict(ENV, 'invalid', 'the cosign signature manifest has no layers');
}

// A legacy keyless `.sig` layer (cosign ≤ v2) as a Sigstore bundle, so that it is verified by the same
// @sigstore/verify path as cosign v3 bundles.
//
// INFERENCE (registry-and-signatures.md §7.3 marks it "untested inference"; the tests here check it with
// signatures made to the same layout, not with one made by cosign): the layer's signature is a message
// signature over the simple-signing payload (SHA-256 digest of the payload), the certificate annotation is the
// leaf, and the `dev.sigstore.cosign/bundle` annotation — `{ SignedEntryTimestamp, Payload: { body,
// integratedTime, logIndex, logID } }`, cosign's RekorBundle — is one v0.1 tlog entry: `canonicalizedBody` =
// Payload.body (already base64), `kindVersion` from the body's `kind` / `apiVersion`, `logId.keyId` = the hex
// logID as bytes, `inclusionPromise.signedEntryTimestamp` = the SET. A v0.1 bundle needs no inclusion proof,
// which cosign ≤ v2 did not store.

import * as crypto from 'node:crypto';
import { isRecord, parseJson } from './common';
import { decodeBase64 } from './keys';

export const BUNDLE_V01_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

export interface LegacyKeylessLayer {
  /** The simple-signing payload (the layer blob): what was signed. */
  payload: Uint8Array;
  /** The decoded `dev.cosignproject.cosign/signature`. */
  signature: Uint8Array;
  /** `dev.sigstore.cosign/certificate` (PEM leaf). */
  certificatePem: string;
  /** `dev.sigstore.cosign/chain` (PEM intermediates and root), when present. */
  chainPem?: string;
  /** `dev.sigstore.cosign/bundle` (the Rekor bundle JSON text). */
  rekorBundle: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** DER of each PEM certificate block (base64 decoded leniently: OpenSSL rejects blank lines inside a block). */
function pemCertificates(text: string): Buffer[] | undefined {
  try {
    return [...text.matchAll(PEM_BLOCK)].map((m) => new crypto.X509Certificate(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')).raw);
  } catch {
    return undefined;
  }
}

/** The v0.1 bundle JSON for a legacy keyless layer, or the reason it cannot be built (the annotations are malformed). */
export function legacyKeylessBundle(layer: LegacyKeylessLayer): { bundle: unknown } | { problem: string } {
  const leaf = pemCertificates(layer.certificatePem);
  if (!leaf || leaf.length !== 1) return { problem: 'the certificate annotation does not hold exactly one readable PEM certificate' };
  const chain = layer.chainPem ? pemCertificates(layer.chainPem) : [];
  if (!chain) return { problem: 'the chain annotation holds an unreadable certificate' };

  const rekor = parseJson(Buffer.from(layer.rekorBundle, 'utf8'));
  const payload = isRecord(rekor) && isRecord(rekor.Payload) ? rekor.Payload : undefined;
  const set = isRecord(rekor) ? decodeBase64(rekor.SignedEntryTimestamp) : undefined;
  if (!payload || !set) return { problem: 'the Rekor bundle annotation has no SignedEntryTimestamp and Payload' };
  const { body, integratedTime, logIndex, logID } = payload;
  const bodyBytes = decodeBase64(body);
  if (!bodyBytes || !Number.isSafeInteger(integratedTime) || !Number.isSafeInteger(logIndex) || typeof logID !== 'string' || !/^[0-9a-f]{64}$/i.test(logID)) {
    return { problem: 'the Rekor bundle payload needs body (base64), integratedTime, logIndex and a hex logID' };
  }
  const entry = parseJson(bodyBytes);
  if (!isRecord(entry) || typeof entry.kind !== 'string' || typeof entry.apiVersion !== 'string') {
    return { problem: 'the Rekor entry body has no kind and apiVersion' };
  }
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return {
    bundle: {
      mediaType: BUNDLE_V01_MEDIA_TYPE,
      verificationMaterial: {
        x509CertificateChain: { certificates: [...leaf, ...chain].map((der) => ({ rawBytes: b64(der) })) },
        tlogEntries: [{
          logIndex: String(logIndex),
          logId: { keyId: b64(Buffer.from(logID, 'hex')) },
          kindVersion: { kind: entry.kind, version: entry.apiVersion },
          integratedTime: String(integratedTime),
          inclusionPromise: { signedEntryTimestamp: b64(set) },
          canonicalizedBody: b64(bodyBytes),
        }],
      },
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: b64(crypto.createHash('sha256').update(layer.payload).digest()) },
        signature: b64(layer.signature),
      },
    },
  };
}

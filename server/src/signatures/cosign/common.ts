// Helpers shared by the simple-signing and bundle verifiers.

import * as crypto from 'node:crypto';
import type { Descriptor, EnvelopeType, SignatureStatus, SignatureVerdict } from '../types';

export function verdict(envelope: EnvelopeType, status: SignatureStatus, reason: string, extra: Partial<SignatureVerdict> = {}): SignatureVerdict {
  return { format: 'cosign', envelope, status, reason, ...extra };
}

const DIGEST_RE = /^(sha256|sha512):([a-f0-9]+)$/;
const HEX_LEN: Record<string, number> = { sha256: 64, sha512: 128 };

/** Parses `sha256:<hex>` / `sha512:<hex>` (lower-case hex, right length). */
export function parseDigest(digest: unknown): { algorithm: 'sha256' | 'sha512'; hex: string } | undefined {
  if (typeof digest !== 'string') return undefined;
  const m = DIGEST_RE.exec(digest.trim().toLowerCase());
  if (!m || !m[1] || !m[2] || m[2].length !== HEX_LEN[m[1]]) return undefined;
  return { algorithm: m[1] as 'sha256' | 'sha512', hex: m[2] };
}

/** Checks blob bytes against their descriptor (digest and size). Returns a failure reason, or undefined when they match. */
export function checkBlob(descriptor: Descriptor, blob: Uint8Array): string | undefined {
  const d = parseDigest(descriptor.digest);
  if (!d) return `the signature layer digest "${String(descriptor.digest)}" is not a valid sha256/sha512 digest`;
  const actual = crypto.createHash(d.algorithm).update(blob).digest('hex');
  if (actual !== d.hex) return `the signature blob's ${d.algorithm} (${d.algorithm}:${actual}) does not match its descriptor digest ${descriptor.digest}`;
  if (typeof descriptor.size === 'number' && descriptor.size !== blob.length) {
    return `the signature blob is ${blob.length} bytes but its descriptor says ${descriptor.size}`;
  }
  return undefined;
}

export function sameDigest(a: string, b: string): boolean {
  const pa = parseDigest(a);
  const pb = parseDigest(b);
  return !!pa && !!pb && pa.algorithm === pb.algorithm && pa.hex === pb.hex;
}

export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Case-insensitive property lookup (the simple-signing spec example writes `Docker-manifest-digest`). */
export function getCi(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const ORDER: Record<SignatureStatus, number> = { verified: 0, invalid: 1, untrusted: 2, unverifiable: 3 };

/**
 * Picks the verdict to show for an image with several cosign signatures: any `verified` one wins (cosign
 * accepts an image when one signature verifies); otherwise `invalid` (possible tampering) before `untrusted`
 * before `unverifiable`. Undefined for an empty list.
 */
export function bestVerdict(verdicts: readonly SignatureVerdict[]): SignatureVerdict | undefined {
  let best: SignatureVerdict | undefined;
  for (const v of verdicts) if (!best || ORDER[v.status] < ORDER[best.status]) best = v;
  return best;
}

/** ` (N cosign key entries could not be loaded)` when the configuration had unusable entries, else ''. */
export function configProblems(config: { errors: readonly string[] }): string {
  const n = config.errors.length;
  return n ? ` (${n} cosign key ${n === 1 ? 'entry' : 'entries'} could not be loaded)` : '';
}

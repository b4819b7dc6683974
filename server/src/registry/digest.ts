// Content digests: registries are content-addressed, so every body we read by digest (or whose digest
// a registry claims in `Docker-Content-Digest`) is hashed and compared before use. A mismatch means a
// broken or hostile registry or a tampering proxy, and must not reach the signature verifiers.

import { createHash } from 'node:crypto';
import { RegistryError } from './errors';

const ALGORITHMS: Record<string, { node: string; hexLength: number }> = {
  sha256: { node: 'sha256', hexLength: 64 },
  sha512: { node: 'sha512', hexLength: 128 },
};

/** Returns the algorithm and lower-case hex of a supported digest, or null. */
export function parseDigest(digest: string): { algorithm: string; hex: string } | null {
  const colon = digest.indexOf(':');
  if (colon <= 0) return null;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const spec = ALGORITHMS[algorithm];
  if (!spec || hex.length !== spec.hexLength || !/^[0-9a-f]+$/.test(hex)) return null;
  return { algorithm, hex };
}

export function isValidDigest(digest: string): boolean {
  return parseDigest(digest) !== null;
}

export function computeDigest(bytes: Uint8Array, algorithm = 'sha256'): string {
  const spec = ALGORITHMS[algorithm];
  if (!spec) throw new RegistryError('bad-digest', `unsupported digest algorithm ${algorithm}`);
  return `${algorithm}:${createHash(spec.node).update(bytes).digest('hex')}`;
}

/** Throws 'bad-digest' unless `bytes` hash to `expected`. `what` names the object for the message. */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const parsed = parseDigest(expected);
  if (!parsed) throw new RegistryError('bad-digest', `${what}: unsupported or malformed digest ${expected}`);
  const actual = computeDigest(bytes, parsed.algorithm);
  if (actual !== expected) {
    throw new RegistryError('bad-digest', `${what}: content digest ${actual} does not match the expected ${expected}`);
  }
}

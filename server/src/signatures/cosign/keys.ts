// Cosign public-key configuration: settings → parsed keys, repository → the keys that apply, and signature
// checks against a key set. Pure: key files are read through a callback supplied by the caller
// (see loadKeys.ts for the node:fs one).

import * as crypto from 'node:crypto';

/** One `cosign.keys[]` entry as written in settings. */
export interface CosignKeySetting {
  /** `*` (every repository), `host/path/*` (prefix), or an exact repository `host/path`. */
  scope: string;
  /** PEM SPKI public key (a PEM certificate is accepted too; its public key is used). */
  publicKey?: string;
  /** Path of a PEM file; read through the `readFile` callback given to `parseCosignKeyConfig`. */
  path?: string;
  /** Optional display name. */
  name?: string;
}

export interface CosignPublicKey {
  scope: string;
  key: crypto.KeyObject;
  /** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
  /** e.g. `ECDSA P-256`, `RSA 3072`, `Ed25519`. */
  algorithm: string;
  name?: string;
}

export interface CosignKeyConfig {
  keys: CosignPublicKey[];
  /** Entries that could not be used, one sentence each (show them in diagnostics). */
  errors: string[];
}

export type ReadKeyFile = (path: string) => string;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `sha256:<hex>` of the key's DER SPKI encoding. */
export function keyFingerprint(key: crypto.KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return 'sha256:' + crypto.createHash('sha256').update(der).digest('hex');
}

/** Human description of a key, or undefined when cosign cannot use it. */
export function describeKey(key: crypto.KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = details.namedCurve;
      const name = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
      return name ? `ECDSA ${name}` : undefined;
    }
    case 'rsa':
      return details.modulusLength && details.modulusLength >= 2048 ? `RSA ${details.modulusLength}` : undefined;
    case 'rsa-pss':
      return details.modulusLength && details.modulusLength >= 2048 ? `RSA-PSS ${details.modulusLength}` : undefined;
    case 'ed25519':
      return 'Ed25519';
    default:
      return undefined;
  }
}

/** Parses one PEM public key (or certificate). Throws with a one-line message when unusable. */
export function parsePublicKeyPem(pem: string): { key: crypto.KeyObject; fingerprint: string; algorithm: string } {
  if (!/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(pem)) {
    throw new Error('not a PEM public key (expected "-----BEGIN PUBLIC KEY-----")');
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new Error(`unreadable PEM public key (${(e as Error).message})`);
  }
  const algorithm = describeKey(key);
  if (!algorithm) throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (cosign uses ECDSA P-256/P-384/P-521, RSA ≥ 2048 or Ed25519)`);
  return { key, fingerprint: keyFingerprint(key), algorithm };
}

/**
 * Reads `settings.cosign.keys`. `settings` may be the whole settings object (`{ cosign: { keys } }`) or the
 * `cosign` object itself. Entries with `path` need `readFile`; without it they are reported in `errors`.
 * Never throws.
 */
export function parseCosignKeyConfig(settings: unknown, readFile?: ReadKeyFile): CosignKeyConfig {
  const out: CosignKeyConfig = { keys: [], errors: [] };
  const cosign = isRecord(settings) && isRecord(settings.cosign) ? settings.cosign : settings;
  if (!isRecord(cosign) || cosign.keys === undefined) return out;
  if (!Array.isArray(cosign.keys)) {
    out.errors.push('cosign.keys must be an array');
    return out;
  }
  cosign.keys.forEach((entry: unknown, i: number) => {
    const where = `cosign.keys[${i}]`;
    if (!isRecord(entry)) {
      out.errors.push(`${where} must be an object`);
      return;
    }
    const scope = typeof entry.scope === 'string' ? entry.scope.trim() : '';
    if (!scope) {
      out.errors.push(`${where} has no scope (use "*", "registry/org/*" or an exact repository)`);
      return;
    }
    if (!isValidScope(scope)) {
      out.errors.push(`${where} scope "${scope}" is invalid ("*" is allowed only alone or as a trailing "/*")`);
      return;
    }
    let pem: string | undefined;
    if (typeof entry.publicKey === 'string') {
      pem = entry.publicKey;
    } else if (typeof entry.path === 'string') {
      if (!readFile) {
        out.errors.push(`${where} key file ${entry.path} was not read (no file access here)`);
        return;
      }
      try {
        pem = readFile(entry.path);
      } catch (e) {
        out.errors.push(`${where} key file ${entry.path} could not be read (${(e as Error).message})`);
        return;
      }
    } else {
      out.errors.push(`${where} needs "publicKey" (PEM) or "path"`);
      return;
    }
    try {
      const parsed = parsePublicKeyPem(pem);
      const name = typeof entry.name === 'string' && entry.name ? entry.name : undefined;
      out.keys.push({ scope, ...parsed, ...(name ? { name } : {}) });
    } catch (e) {
      out.errors.push(`${where}: ${(e as Error).message}`);
    }
  });
  return out;
}

export function isValidScope(scope: string): boolean {
  if (scope === '*') return true;
  const star = scope.indexOf('*');
  if (star === -1) return true;
  return star === scope.length - 1 && scope.endsWith('/*') && scope.length > 2;
}

/**
 * Normalises a repository name for comparison: drops a tag/digest, lower-cases it, maps Docker Hub aliases to
 * `docker.io` and adds `library/` for official images (`nginx` → `docker.io/library/nginx`).
 */
export function normalizeRepository(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf('@');
  if (at !== -1) r = r.slice(0, at);
  const lastSlash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > lastSlash) r = r.slice(0, colon);
  r = r.toLowerCase();
  const parts = r.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let host = hasHost ? first : 'docker.io';
  let path = hasHost ? parts.slice(1) : parts;
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com') host = 'docker.io';
  if (host === 'docker.io' && path.length === 1) path = ['library', ...path];
  return `${host}/${path.join('/')}`;
}

/** How well a scope matches a repository: -1 no match, 0 global, 1 + prefix length for `x/*`, MAX for exact. */
export function scopeMatch(scope: string, repository: string): number {
  if (scope === '*') return 0;
  const repo = normalizeRepository(repository);
  if (scope.endsWith('/*')) {
    const prefix = normalizeRepository(scope.slice(0, -2) + '/x/y').slice(0, -3);
    return repo.startsWith(prefix) && repo.length > prefix.length ? 1 + prefix.length : -1;
  }
  return normalizeRepository(scope) === repo ? Number.MAX_SAFE_INTEGER : -1;
}

/**
 * The entries that apply to a repository. The most specific matching scope wins (exact > longest `prefix/*` >
 * `*`), as in a Notation trust policy: a global entry does not also vouch for a repository that has its own
 * entries. All entries of the winning scope level apply. Shared by cosign keys and Sigstore identities.
 */
export function mostSpecificScope<T extends { scope: string }>(entries: readonly T[], repository: string): T[] {
  let best = -1;
  let out: T[] = [];
  for (const e of entries) {
    const m = scopeMatch(e.scope, repository);
    if (m < 0) continue;
    if (m > best) {
      best = m;
      out = [e];
    } else if (m === best) {
      out.push(e);
    }
  }
  return out;
}

/** The keys that apply to a repository (see `mostSpecificScope`). */
export function keysForRepository(config: CosignKeyConfig, repository: string): CosignPublicKey[] {
  return mostSpecificScope(config.keys, repository);
}

function hashesFor(key: crypto.KeyObject): string[] {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  // cosign ≤ 2.4 always hashed with SHA-256; newer versions pick the hash by curve.
  if (curve === 'secp384r1') return ['sha384', 'sha256'];
  if (curve === 'secp521r1') return ['sha512', 'sha256'];
  return ['sha256'];
}

/** Checks a cosign-style signature (DER ECDSA, RSA PKCS#1 v1.5 or PSS, pure Ed25519) over `data`. Never throws. */
export function verifyWithKey(key: crypto.KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ec':
        return hashesFor(key).some((h) => crypto.verify(h, data, key, signature));
      case 'ed25519':
        return crypto.verify(null, data, key, signature);
      case 'rsa':
        return (
          crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature) ||
          crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, signature)
        );
      case 'rsa-pss':
        return crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** The first key that verifies the signature, if any. */
export function findVerifyingKey(keys: readonly CosignPublicKey[], data: Uint8Array, signature: Uint8Array): CosignPublicKey | undefined {
  return keys.find((k) => verifyWithKey(k.key, data, signature));
}

/** Strict standard base64 (padding optional, whitespace ignored); undefined when malformed or empty. */
export function decodeBase64(text: unknown): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.replace(/\s+/g, '');
  if (!s || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return undefined;
  const buf = Buffer.from(s, 'base64');
  return buf.length ? buf : undefined;
}

/** A key's label for reasons: `name (sha256:…)` or the fingerprint. */
export function keyLabel(k: CosignPublicKey): string {
  return k.name ? `${k.name} (${k.fingerprint})` : k.fingerprint;
}

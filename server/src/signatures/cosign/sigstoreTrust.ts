// Keyless (Fulcio/Rekor) trust configuration: the user's Sigstore `trusted_root.json` (Fulcio CAs, Rekor and
// CT log keys, TSAs, with validity windows) and the identities trusted per repository scope, like cosign's
// `--certificate-identity(-regexp)` and `--certificate-oidc-issuer(-regexp)`. Pure: the trusted root file is
// read through a callback supplied by the caller (see loadSigstoreTrust.ts for the node:fs one).

import * as crypto from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { isValidScope, mostSpecificScope } from './keys';

/** One `sigstore.identities[]` entry as written in settings. */
export interface SigstoreIdentitySetting {
  /** `*` (every repository), `host/path/*` (prefix), or an exact repository `host/path` (as for cosign keys). */
  scope: string;
  /** Exact certificate SAN (email or URI), like `cosign --certificate-identity`. */
  identity?: string;
  /** JavaScript regular expression searched in the SAN (unanchored, as cosign's Go regexp), like `--certificate-identity-regexp`. */
  identityRegExp?: string;
  /** Exact OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8), like `--certificate-oidc-issuer`. */
  issuer?: string;
  /** Regular expression searched in the OIDC issuer, like `--certificate-oidc-issuer-regexp`. */
  issuerRegExp?: string;
}

/** A usable identity entry: exactly one identity matcher and one issuer matcher. */
export interface SigstoreIdentity {
  scope: string;
  identity: string | RegExp;
  issuer: string | RegExp;
}

export interface SigstoreTrustConfig {
  /** The trust material @sigstore/verify needs; undefined when no usable trusted root is configured. */
  trustMaterial?: TrustMaterial;
  /** Where the trusted root came from (file path, or "settings"), for reasons. */
  source?: string;
  /** sha256 hex of the trusted root as given, so caches keyed by the trust configuration notice a new root. */
  rootSha256?: string;
  /** Every CA certificate of the trusted root, to name the Fulcio root a verified chain ends at. */
  caCertificates: crypto.X509Certificate[];
  identities: SigstoreIdentity[];
  /** Entries that could not be used, one sentence each (show them as configuration warnings). */
  errors: string[];
}

export type ReadTrustedRootFile = (path: string) => Uint8Array;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The empty configuration: keyless signatures stay `unverifiable`. */
export function emptySigstoreTrust(): SigstoreTrustConfig {
  return { caCertificates: [], identities: [], errors: [] };
}

/**
 * Reads `{ trustedRoot, identities }` (or `{ sigstore: { … } }`). `trustedRoot` is a file path (read through
 * `readFile`) or the TrustedRoot JSON object itself. Never throws: problems end up in `errors`.
 */
export function parseSigstoreTrustConfig(settings: unknown, readFile?: ReadTrustedRootFile): SigstoreTrustConfig {
  const out = emptySigstoreTrust();
  const s = isRecord(settings) && isRecord(settings.sigstore) ? settings.sigstore : settings;
  if (!isRecord(s)) return out;
  loadRoot(s.trustedRoot, readFile, out);
  parseIdentities(s.identities, out);
  return out;
}

function loadRoot(value: unknown, readFile: ReadTrustedRootFile | undefined, out: SigstoreTrustConfig): void {
  if (value === undefined || value === null || value === '') return;
  let json: unknown;
  let bytes: Buffer;
  if (typeof value === 'string') {
    out.source = value;
    if (!readFile) {
      out.errors.push(`trusted root ${value} was not read (no file access here)`);
      return;
    }
    try {
      bytes = Buffer.from(readFile(value));
    } catch (e) {
      out.errors.push(`trusted root ${value} could not be read (${(e as Error).message})`);
      return;
    }
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      out.errors.push(`trusted root ${value} is not JSON (${(e as Error).message})`);
      return;
    }
  } else if (isRecord(value)) {
    out.source = 'settings';
    json = value;
    bytes = Buffer.from(JSON.stringify(value));
  } else {
    out.errors.push('trustedRoot must be the path of a trusted_root.json file');
    return;
  }
  const where = `trusted root ${out.source}`;
  const problem = checkShape(json);
  if (problem) {
    out.errors.push(`${where} ${problem}`);
    return;
  }
  try {
    // TrustedRoot.fromJSON is lenient (missing fields become empty), so the shape was checked above;
    // toTrustMaterial throws on unreadable keys and certificates.
    const root = TrustedRoot.fromJSON(json);
    const material = toTrustMaterial(root);
    const certs: crypto.X509Certificate[] = [];
    for (const ca of root.certificateAuthorities) for (const c of ca.certChain?.certificates ?? []) certs.push(new crypto.X509Certificate(Buffer.from(c.rawBytes)));
    out.trustMaterial = material;
    out.caCertificates = certs;
    out.rootSha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  } catch (e) {
    out.errors.push(`${where} could not be loaded (${(e as Error).message})`);
  }
}

/** What is wrong with a parsed trusted root, or undefined when it has what keyless verification needs. */
function checkShape(json: unknown): string | undefined {
  if (!isRecord(json)) return 'is not a JSON object';
  if (typeof json.mediaType !== 'string' || !json.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
    return `is not a Sigstore trusted root (mediaType ${JSON.stringify(json.mediaType)})`;
  }
  const list = (key: string): unknown[] | undefined => (Array.isArray(json[key]) ? (json[key] as unknown[]) : undefined);
  const cas = list('certificateAuthorities');
  if (!cas?.length) return 'lists no certificate authority (Fulcio)';
  if (!list('tlogs')?.length) return 'lists no transparency log (Rekor)';
  for (const [key, entries] of [['certificateAuthorities', cas], ['timestampAuthorities', list('timestampAuthorities') ?? []]] as const) {
    for (const [i, ca] of entries.entries()) {
      const chain = isRecord(ca) && isRecord(ca.certChain) ? ca.certChain.certificates : undefined;
      if (!Array.isArray(chain) || !chain.length) return `${key}[${i}] has no certChain.certificates`;
    }
  }
  for (const key of ['tlogs', 'ctlogs']) {
    for (const [i, log] of (list(key) ?? []).entries()) {
      if (!isRecord(log) || !isRecord(log.publicKey) || typeof log.publicKey.rawBytes !== 'string' || !isRecord(log.logId)) {
        return `${key}[${i}] needs publicKey.rawBytes and logId`;
      }
    }
  }
  return undefined;
}

function matcher(entry: Record<string, unknown>, exactKey: string, regexpKey: string, where: string, out: SigstoreTrustConfig): string | RegExp | undefined {
  const exact = entry[exactKey];
  const pattern = entry[regexpKey];
  const has = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (has(exact) && has(pattern)) {
    out.errors.push(`${where} has both "${exactKey}" and "${regexpKey}" (give one)`);
    return undefined;
  }
  if (has(exact)) return (exact as string).trim();
  if (!has(pattern)) {
    out.errors.push(`${where} needs "${exactKey}" or "${regexpKey}"`);
    return undefined;
  }
  try {
    return new RegExp(pattern as string);
  } catch (e) {
    out.errors.push(`${where} ${regexpKey} is not a valid regular expression (${(e as Error).message})`);
    return undefined;
  }
}

function parseIdentities(value: unknown, out: SigstoreTrustConfig): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    out.errors.push('identities must be an array');
    return;
  }
  value.forEach((entry: unknown, i: number) => {
    const where = `identities[${i}]`;
    if (!isRecord(entry)) {
      out.errors.push(`${where} must be an object`);
      return;
    }
    const scope = typeof entry.scope === 'string' ? entry.scope.trim() : '';
    if (!scope || !isValidScope(scope)) {
      out.errors.push(`${where} scope ${JSON.stringify(entry.scope)} is invalid (use "*", "registry/org/*" or an exact repository)`);
      return;
    }
    // cosign requires both an identity and an issuer for keyless verification: an email alone could be
    // vouched for by any OIDC provider that Fulcio accepts.
    const identity = matcher(entry, 'identity', 'identityRegExp', where, out);
    const issuer = matcher(entry, 'issuer', 'issuerRegExp', where, out);
    if (identity !== undefined && issuer !== undefined) out.identities.push({ scope, identity, issuer });
  });
}

/** The identities that apply to a repository: the most specific scope wins, as for cosign keys. */
export function identitiesForRepository(config: SigstoreTrustConfig, repository: string): SigstoreIdentity[] {
  return mostSpecificScope(config.identities, repository);
}

function matches(m: string | RegExp, value: string | undefined): boolean {
  if (value === undefined) return false;
  return typeof m === 'string' ? m === value : m.test(value);
}

/** The first identity entry the certificate's SAN and OIDC issuer satisfy. */
export function matchIdentity(identities: readonly SigstoreIdentity[], san: string | undefined, issuer: string | undefined): SigstoreIdentity | undefined {
  return identities.find((i) => matches(i.identity, san) && matches(i.issuer, issuer));
}

/** `identity ~ /re/ issued by accounts.example.com` for reasons. */
export function describeIdentity(i: SigstoreIdentity): string {
  const show = (m: string | RegExp) => (typeof m === 'string' ? m : `/${m.source}/`);
  return `${show(i.identity)} from ${show(i.issuer)} (scope ${i.scope})`;
}

/** Plain data for a configuration hash: the root's digest and the identity entries. */
export function sigstoreTrustFingerprint(config: SigstoreTrustConfig): unknown {
  return {
    root: config.rootSha256 ?? null,
    identities: config.identities.map((i) => [i.scope, String(i.identity), typeof i.identity, String(i.issuer), typeof i.issuer]),
  };
}

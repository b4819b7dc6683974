// Notation trust policy (trustpolicy.oci.json / legacy trustpolicy.json, version 1.0) and trust stores:
// validation, policy selection by registry scope, trusted identity parsing. Pure (no I/O).

import { DnAttribute, DnError, isSubset, parseDn } from './dn';

export type VerificationLevel = 'strict' | 'permissive' | 'audit' | 'skip';
export type TrustStoreType = 'ca' | 'tsa' | 'signingAuthority';

export interface TrustPolicyStatement {
  name: string;
  registryScopes: string[];
  signatureVerification: {
    level: VerificationLevel;
    override?: Partial<Record<'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation', 'enforce' | 'log' | 'skip'>>;
    verifyTimestamp?: 'always' | 'afterCertExpiry';
  };
  trustStores?: string[];
  trustedIdentities?: string[];
}

export interface TrustPolicyDocument {
  version: string;
  trustPolicies: TrustPolicyStatement[];
}

/** Named trust stores by type; each store is a list of DER certificates (roots). */
export type TrustStores = Record<TrustStoreType, Record<string, Uint8Array[]>>;

/** Everything the verifier needs from the user: the policy document and the certificates of the stores. */
export interface TrustConfiguration {
  policy: TrustPolicyDocument | unknown;
  stores: TrustStores;
  /** Where it came from, for messages (e.g. `~/.config/notation`, `built-in MCR policy`). */
  source?: string;
}

export class TrustPolicyError extends Error {}

export function emptyTrustStores(): TrustStores {
  return { ca: {}, tsa: {}, signingAuthority: {} };
}

export interface TrustedIdentity {
  raw: string;
  wildcard: boolean;
  dn?: DnAttribute[];
}

export function parseTrustedIdentity(raw: string): TrustedIdentity {
  if (raw === '*') return { raw, wildcard: true };
  const m = /^\s*x509\.subject\s*:\s*(.*)$/.exec(raw);
  if (!m) throw new TrustPolicyError(`trusted identity "${raw}" must be "*" or start with "x509.subject:"`);
  let dn: DnAttribute[];
  try {
    dn = parseDn(m[1]);
  } catch (e) {
    throw new TrustPolicyError(`trusted identity "${raw}" is not a valid distinguished name: ${(e as DnError).message}`);
  }
  for (const required of ['C', 'ST', 'O']) {
    if (!dn.some((a) => a.type === required)) {
      throw new TrustPolicyError(`trusted identity "${raw}" lacks the mandatory attribute ${required === 'ST' ? 'ST (or S)' : required}`);
    }
  }
  return { raw, wildcard: false, dn };
}

export function parseTrustStoreRef(ref: string): { type: TrustStoreType; name: string } {
  const m = /^(ca|tsa|signingAuthority):(.+)$/.exec(ref);
  if (!m || !/^[A-Za-z0-9_.-]+$/.test(m[2])) throw new TrustPolicyError(`trust store "${ref}" must be "ca:<name>", "tsa:<name>" or "signingAuthority:<name>"`);
  return { type: m[1] as TrustStoreType, name: m[2] };
}

const LEVELS: VerificationLevel[] = ['strict', 'permissive', 'audit', 'skip'];

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Validates a trust policy document as notation-go's `trustpolicy.Document.Validate` does. */
export function validateTrustPolicy(doc: unknown): TrustPolicyDocument {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new TrustPolicyError('trust policy is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.version !== '1.0') throw new TrustPolicyError(`trust policy version "${String(d.version)}" is not supported (expected "1.0")`);
  if (!Array.isArray(d.trustPolicies) || d.trustPolicies.length === 0) throw new TrustPolicyError('trust policy has no trustPolicies');
  const names = new Set<string>();
  const scopes = new Set<string>();
  let global = false;
  for (const p of d.trustPolicies as unknown[]) {
    if (!p || typeof p !== 'object') throw new TrustPolicyError('a trust policy statement is not an object');
    const s = p as Record<string, unknown>;
    if (typeof s.name !== 'string' || s.name.trim() === '') throw new TrustPolicyError('a trust policy statement has no name');
    const name = s.name;
    if (names.has(name)) throw new TrustPolicyError(`trust policy statement name "${name}" is used more than once`);
    names.add(name);
    if (!isStringArray(s.registryScopes) || s.registryScopes.length === 0) throw new TrustPolicyError(`trust policy "${name}" has no registryScopes`);
    for (const scope of s.registryScopes) {
      if (scope === '*') {
        if (s.registryScopes.length > 1) throw new TrustPolicyError(`trust policy "${name}": the global scope "*" must be the only scope`);
        if (global) throw new TrustPolicyError('more than one trust policy uses the global scope "*"');
        global = true;
      } else {
        if (scope.includes('*') || !/^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._\/-]+$/.test(scope)) {
          throw new TrustPolicyError(`trust policy "${name}": registry scope "${scope}" must be a full repository name like "registry.example.com/repo" (no wildcards)`);
        }
        if (scopes.has(scope)) throw new TrustPolicyError(`registry scope "${scope}" appears in more than one trust policy`);
        scopes.add(scope);
      }
    }
    const sv = s.signatureVerification as Record<string, unknown> | undefined;
    if (!sv || typeof sv !== 'object' || !LEVELS.includes(sv.level as VerificationLevel)) {
      throw new TrustPolicyError(`trust policy "${name}": signatureVerification.level must be one of ${LEVELS.join(', ')}`);
    }
    const level = sv.level as VerificationLevel;
    if (sv.verifyTimestamp !== undefined && sv.verifyTimestamp !== 'always' && sv.verifyTimestamp !== 'afterCertExpiry') {
      throw new TrustPolicyError(`trust policy "${name}": verifyTimestamp must be "always" or "afterCertExpiry"`);
    }
    if (sv.override !== undefined) {
      if (level === 'skip') throw new TrustPolicyError(`trust policy "${name}": level "skip" cannot be overridden`);
      if (!sv.override || typeof sv.override !== 'object') throw new TrustPolicyError(`trust policy "${name}": override must be an object`);
      for (const [k, v] of Object.entries(sv.override as Record<string, unknown>)) {
        if (!['authenticity', 'authenticTimestamp', 'expiry', 'revocation'].includes(k)) throw new TrustPolicyError(`trust policy "${name}": "${k}" cannot be overridden`);
        const allowed = k === 'revocation' ? ['enforce', 'log', 'skip'] : ['enforce', 'log'];
        if (!allowed.includes(v as string)) throw new TrustPolicyError(`trust policy "${name}": override ${k} must be ${allowed.join(' or ')}`);
      }
    }
    const stores = s.trustStores;
    const ids = s.trustedIdentities;
    if (stores !== undefined && !isStringArray(stores)) throw new TrustPolicyError(`trust policy "${name}": trustStores must be a list of strings`);
    if (ids !== undefined && !isStringArray(ids)) throw new TrustPolicyError(`trust policy "${name}": trustedIdentities must be a list of strings`);
    if (level === 'skip') {
      if (global) {
        // notation rejects a global skip policy only when it is the "*" one
        if (s.registryScopes.includes('*')) throw new TrustPolicyError(`trust policy "${name}": the global policy cannot use level "skip"`);
      }
      if ((stores?.length ?? 0) > 0 || (ids?.length ?? 0) > 0) {
        throw new TrustPolicyError(`trust policy "${name}": level "skip" must not set trustStores or trustedIdentities`);
      }
      continue;
    }
    if (!stores || stores.length === 0) throw new TrustPolicyError(`trust policy "${name}": trustStores is empty`);
    stores.forEach(parseTrustStoreRef);
    if (!ids || ids.length === 0) throw new TrustPolicyError(`trust policy "${name}": trustedIdentities is empty`);
    const parsed = ids.map(parseTrustedIdentity);
    if (parsed.some((i) => i.wildcard) && parsed.length > 1) throw new TrustPolicyError(`trust policy "${name}": "*" must be the only trusted identity`);
    for (let i = 0; i < parsed.length; i++) {
      for (let j = 0; j < parsed.length; j++) {
        if (i !== j && parsed[i].dn && parsed[j].dn && isSubset(parsed[i].dn!, parsed[j].dn!)) {
          throw new TrustPolicyError(`trust policy "${name}": trusted identities "${parsed[i].raw}" and "${parsed[j].raw}" overlap`);
        }
      }
    }
  }
  return d as unknown as TrustPolicyDocument;
}

/** Exact repository match first, then the global "*" policy (trust-store-trust-policy.md). */
export function selectTrustPolicy(doc: TrustPolicyDocument, repository: string): TrustPolicyStatement | undefined {
  return doc.trustPolicies.find((p) => p.registryScopes.includes(repository)) ?? doc.trustPolicies.find((p) => p.registryScopes.includes('*'));
}

// Verification results kept across restarts, in a small JSON file in the extension's storage folder
// (VS Code's globalStorageUri; other clients may give no folder, and then nothing is kept on disk).
// A result is keyed by image digest, repository and a hash of the trust configuration it was verified
// with, so a changed policy, trust store or key never reuses an old verdict. Tag → digest mappings are
// kept with their time only, for offline mode, which marks them stale. What is written is rebuilt field
// by field from the ImageStatus (digests, verdicts, signer subjects, reasons) and scrubbed of URL
// user-info, query strings and authorization values: no credential or token ever reaches the file.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImageStatus, ImageVerdict, SubjectSignatures } from '../supplyChain/imageStatus';
import type { SignatureVerdict } from '../signatures/types';

export const STORE_FILE_NAME = 'verification-results.json';
const FORMAT_VERSION = 1;
export const DEFAULT_MAX_ENTRIES = 500;
/** A larger file is not ours (or is damaged): ignored and replaced. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface StoredResult {
  status: ImageStatus;
  /** When the result was verified (ms since epoch). */
  checkedAt: number;
}

export interface StoredTag {
  digest: string;
  /** When the tag pointed at the digest; only ever used offline, and then shown as stale. */
  seenAt: number;
}

interface ResultEntry {
  digest: string;
  repository: string;
  trust: string;
  checkedAt: number;
  status: ImageStatus;
}

interface TagEntry {
  reference: string;
  digest: string;
  seenAt: number;
}

const VERDICTS: ReadonlySet<string> = new Set<ImageVerdict>(['verified', 'unsigned', 'invalid', 'untrusted', 'unverifiable']);
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/**
 * Removes anything secret-looking from a message: URL user-info and query strings, `Basic`/`Bearer`
 * values, `token=`/`password=` pairs.
 */
export function scrub(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)[?#][^\s]*/gi, '$1')
    .replace(/\b(basic|bearer|negotiate)(\s+)([A-Za-z0-9._~+/=-]+)/gi, (all, scheme: string, space: string, value: string) => (secretLike(value) ? `${scheme}${space}[redacted]` : all))
    .replace(/\b((?:access_|refresh_|id_|identity|registry)?token|password|passwd|secret|auth)("?\s*[=:]\s*"?)([^\s",&}]+)/gi, (all, name: string, sep: string, value: string) => (name.toLowerCase() === 'token' || name.toLowerCase() === 'auth' ? (secretLike(value) ? `${name}${sep}[redacted]` : all) : `${name}${sep}[redacted]`))
    .slice(0, 2_000);
}

/** base64, JWTs, hex: anything with digits or base64 punctuation, or capitals after the first letter. */
function secretLike(value: string): boolean {
  return value.length >= 8 && (/[0-9+/=]/.test(value) || /[A-Z]/.test(value.slice(1)));
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? scrub(value) : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const digestOf = (value: unknown): string | undefined => (typeof value === 'string' && DIGEST.test(value) ? value : undefined);
const rec = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Copies only known fields, each checked and scrubbed; used for writing and for reading back. */
function descriptorOf(value: unknown): { mediaType: string; digest: string; size: number } | undefined {
  const v = rec(value);
  const digest = digestOf(v['digest']);
  const mediaType = str(v['mediaType']);
  const size = num(v['size']);
  return digest && mediaType !== undefined && size !== undefined ? { mediaType, digest, size } : undefined;
}

function indexEntryOf(value: unknown): NonNullable<ImageStatus['platform']>['entries'][number] | undefined {
  const descriptor = descriptorOf(value);
  if (!descriptor) return undefined;
  const p = rec(rec(value)['platform']);
  const platform: Record<string, string> = {};
  for (const key of ['os', 'architecture', 'os.version', 'variant']) {
    const field = str(p[key]);
    if (field !== undefined) platform[key] = field;
  }
  return { ...descriptor, ...(Object.keys(platform).length > 0 ? { platform } : {}) } as NonNullable<ImageStatus['platform']>['entries'][number];
}

function signatureOf(value: unknown): SignatureVerdict | undefined {
  const v = rec(value);
  const format = str(v['format']);
  const envelope = str(v['envelope']);
  const status = str(v['status']);
  const reason = str(v['reason']);
  if (format === undefined || envelope === undefined || status === undefined || reason === undefined) return undefined;
  const out: Record<string, unknown> = { format, envelope, status, reason };
  for (const key of ['signer', 'root', 'signedAt', 'timestampedAt', 'expiresAt', 'policy', 'foundVia']) {
    const field = str(v[key]);
    if (field !== undefined) out[key] = field;
  }
  const signatureDigest = digestOf(v['signatureDigest']);
  if (signatureDigest) out['signatureDigest'] = signatureDigest;
  return out as unknown as SignatureVerdict;
}

function subjectOf(value: unknown): SubjectSignatures | undefined {
  const v = rec(value);
  const descriptor = descriptorOf(v['descriptor']);
  const role = v['role'];
  if (!descriptor || (role !== 'index' && role !== 'platform' && role !== 'image')) return undefined;
  return {
    descriptor,
    role,
    signatures: arr(v['signatures']).map(signatureOf).filter((s): s is SignatureVerdict => s !== undefined),
    searched: arr(v['searched']).map(str).filter((s): s is string => s !== undefined),
    notes: arr(v['notes']).map(str).filter((s): s is string => s !== undefined),
    ...(v['incomplete'] === true ? { incomplete: true } : {}),
  };
}

/** The storable copy of a status, or undefined when it is not a storable answer (errors, no digest). */
export function storableStatus(value: unknown): ImageStatus | undefined {
  const v = rec(value);
  const digest = digestOf(v['digest']);
  const verdict = v['verdict'];
  if (!digest || typeof verdict !== 'string' || !VERDICTS.has(verdict) || v['error'] !== undefined) return undefined;
  const out: ImageStatus = {
    reference: str(v['reference']) ?? '',
    digest,
    subjects: arr(v['subjects']).map(subjectOf).filter((s): s is SubjectSignatures => s !== undefined),
    verdict: verdict as ImageVerdict,
    summary: str(v['summary']) ?? verdict,
  };
  const canonical = str(v['canonical']);
  if (canonical !== undefined) out.canonical = canonical;
  const mediaType = str(v['mediaType']);
  if (mediaType !== undefined) out.mediaType = mediaType;
  if (v['platform'] !== undefined) {
    const p = rec(v['platform']);
    const chosen = indexEntryOf(p['chosen']);
    out.platform = {
      ...(chosen ? { chosen } : {}),
      entries: arr(p['entries']).map(indexEntryOf).filter((e): e is NonNullable<typeof e> => e !== undefined),
      reason: str(p['reason']) ?? '',
    };
  }
  return out;
}

/**
 * A stable hash of everything a verdict depends on besides the image: the loaded trust policy and
 * stores, cosign keys, the host version. Certificates and keys are hashed by their DER bytes.
 */
export function configurationHash(value: unknown): string {
  const hash = crypto.createHash('sha256');
  const seen = new WeakSet<object>();
  const feed = (v: unknown): void => {
    if (v === null || v === undefined) { hash.update(v === null ? 'n;' : 'u;'); return; }
    switch (typeof v) {
      case 'string': hash.update(`s${Buffer.byteLength(v)}:`); hash.update(v); return;
      case 'number': case 'boolean': case 'bigint': hash.update(`${typeof v}${String(v)};`); return;
      case 'function': case 'symbol': return;
      default: break;
    }
    const o = v as object;
    if (seen.has(o)) { hash.update('cycle;'); return; }
    seen.add(o);
    try {
      if (o instanceof Uint8Array) { hash.update(`b${o.length}:`); hash.update(o); return; }
      if (o instanceof crypto.X509Certificate) { hash.update('x509:'); hash.update(o.raw); return; }
      if (o instanceof crypto.KeyObject) {
        hash.update(`key-${o.type}:`);
        if (o.type === 'public') hash.update(o.export({ type: 'spki', format: 'der' }));
        else if (o.type === 'private') hash.update(o.export({ type: 'pkcs8', format: 'der' }));
        else hash.update(o.export());
        return;
      }
      if (o instanceof Date) { hash.update(`d${o.getTime()};`); return; }
      if (o instanceof RegExp) { hash.update(`r${String(o)};`); return; }
      if (o instanceof Map) { hash.update(`m${o.size}[`); for (const [k, item] of [...o.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])))) { feed(k); feed(item); } hash.update(']'); return; }
      if (o instanceof Set) { hash.update(`set${o.size}[`); for (const item of o) feed(item); hash.update(']'); return; }
      if (Array.isArray(o)) { hash.update(`a${o.length}[`); for (const item of o) feed(item); hash.update(']'); return; }
      const keys = Object.keys(o).sort();
      hash.update(`o${keys.length}{`);
      for (const key of keys) { feed(key); feed((o as Record<string, unknown>)[key]); }
      hash.update('}');
    } finally {
      seen.delete(o);
    }
  };
  feed(value);
  return hash.digest('hex').slice(0, 32);
}

/** Image references in the file name registries and repositories only; anything else is not kept. */
function storableReference(reference: string): boolean {
  return reference.length <= 512 && !/[\s@?#]|:\/\//.test(reference);
}

export interface VerificationStoreOptions {
  maxEntries?: number;
  log?: (message: string) => void;
}

export class VerificationStore {
  readonly file: string;
  private readonly maxEntries: number;
  private readonly log: (message: string) => void;
  private results: Map<string, ResultEntry> | undefined;
  private tags = new Map<string, TagEntry>();

  constructor(readonly dir: string, options: VerificationStoreOptions = {}) {
    this.file = path.join(dir, STORE_FILE_NAME);
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.log = options.log ?? (() => undefined);
  }

  private static key(digest: string, repository: string, trust: string): string {
    return `${digest} ${repository} ${trust}`;
  }

  /** The stored result for a digest verified in `repository` with trust configuration `trust`. */
  get(digest: string, repository: string, trust: string): StoredResult | undefined {
    const entry = this.load().get(VerificationStore.key(digest, repository, trust));
    return entry ? { status: { ...entry.status }, checkedAt: entry.checkedAt } : undefined;
  }

  /** The last digest seen for a tag reference; for offline mode only. */
  tag(reference: string): StoredTag | undefined {
    this.load();
    const entry = this.tags.get(reference);
    return entry ? { digest: entry.digest, seenAt: entry.seenAt } : undefined;
  }

  /**
   * Keeps a result (only answers: verified/unsigned/invalid/untrusted/unverifiable with a digest) and,
   * for a tag reference, the digest it pointed at. Writes the file; failures are logged, never thrown.
   */
  put(repository: string, trust: string, status: ImageStatus, checkedAt: number, tagReference?: string): boolean {
    const storable = storableStatus(status);
    if (!storable || !storable.digest || !storableReference(repository)) return false;
    const results = this.load();
    const key = VerificationStore.key(storable.digest, repository, trust);
    results.delete(key);
    results.set(key, { digest: storable.digest, repository, trust, checkedAt, status: storable });
    if (tagReference && storableReference(tagReference)) {
      this.tags.delete(tagReference);
      this.tags.set(tagReference, { reference: tagReference, digest: storable.digest, seenAt: checkedAt });
    }
    this.save();
    return true;
  }

  /** Reads the file once (lazily); a missing, unreadable or malformed file gives an empty store. */
  private load(): Map<string, ResultEntry> {
    if (this.results) return this.results;
    const read = this.readFile();
    this.results = read.results;
    this.tags = read.tags;
    return this.results;
  }

  private readFile(): { results: Map<string, ResultEntry>; tags: Map<string, TagEntry> } {
    const results = new Map<string, ResultEntry>();
    const tags = new Map<string, TagEntry>();
    let text: string;
    try {
      const stat = fs.statSync(this.file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) {
        this.log(`Verification cache ${this.file} is not a usable file; it is ignored and will be replaced.`);
        return { results, tags };
      }
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`Verification cache ${this.file} could not be read: ${String(error)}`);
      return { results, tags };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.log(`Verification cache ${this.file} is corrupt; it is ignored and will be replaced.`);
      return { results, tags };
    }
    const root = rec(json);
    if (root['version'] !== FORMAT_VERSION) {
      this.log(`Verification cache ${this.file} has an unknown format; it is ignored and will be replaced.`);
      return { results, tags };
    }
    for (const item of arr(root['results'])) {
      const v = rec(item);
      const status = storableStatus(v['status']);
      const repository = v['repository'];
      const trust = v['trust'];
      const checkedAt = num(v['checkedAt']);
      if (!status?.digest || typeof repository !== 'string' || !storableReference(repository) || typeof trust !== 'string' || checkedAt === undefined) continue;
      results.set(VerificationStore.key(status.digest, repository, trust), { digest: status.digest, repository, trust, checkedAt, status });
    }
    for (const item of arr(root['tags'])) {
      const v = rec(item);
      const reference = v['reference'];
      const digest = digestOf(v['digest']);
      const seenAt = num(v['seenAt']);
      if (typeof reference !== 'string' || !storableReference(reference) || !digest || seenAt === undefined) continue;
      tags.set(reference, { reference, digest, seenAt });
    }
    return { results, tags };
  }

  /**
   * Merges with what another window may have written meanwhile (newest wins), keeps the newest
   * `maxEntries`, and replaces the file atomically (temp file in the same folder, then rename).
   */
  private save(): void {
    const results = this.results ?? new Map<string, ResultEntry>();
    const disk = this.readFile();
    for (const [key, entry] of disk.results) {
      const mine = results.get(key);
      if (!mine || mine.checkedAt < entry.checkedAt) results.set(key, entry);
    }
    for (const [key, entry] of disk.tags) {
      const mine = this.tags.get(key);
      if (!mine || mine.seenAt < entry.seenAt) this.tags.set(key, entry);
    }
    const keptResults = [...results.values()].sort((a, b) => a.checkedAt - b.checkedAt).slice(-this.maxEntries);
    const keptTags = [...this.tags.values()].sort((a, b) => a.seenAt - b.seenAt).slice(-this.maxEntries);
    this.results = new Map(keptResults.map((e) => [VerificationStore.key(e.digest, e.repository, e.trust), e]));
    this.tags = new Map(keptTags.map((e) => [e.reference, e]));
    const text = JSON.stringify({ version: FORMAT_VERSION, results: keptResults, tags: keptTags });
    const temp = path.join(this.dir, `.${STORE_FILE_NAME}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(temp, text, { encoding: 'utf8', mode: 0o600 });
      fs.renameSync(temp, this.file);
    } catch (error) {
      this.log(`Verification cache ${this.file} could not be written: ${String(error)}`);
      try { fs.rmSync(temp, { force: true }); } catch { /* nothing left to clean */ }
    }
  }
}

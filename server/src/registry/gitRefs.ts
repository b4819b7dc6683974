// Resolving a GitHub action's tag or branch (`actions/checkout@v4`) to the commit it names now, for the
// "pin to commit" fix of pipeline-unpinned-action. It speaks git's smart HTTP protocol, as `git
// ls-remote` does: one GET of `{base}/{owner}/{repo}.git/info/refs?service=git-upload-pack`, whose body is
// the ref advertisement in pkt-lines. No API token and no REST rate limit (the same request a clone of a
// public repository makes), and GitHub Enterprise Server or a test server only differ by `base`.
//
// The server is not trusted: every pkt-line length is checked (hex, within the body, at most git's
// 65520-byte LARGE_PACKET_MAX), object ids must be 40 hex digits (a SHA-256 repository cannot be pinned
// to the 40-hex SHA GitHub expects, so it is refused instead of guessed), and the HTTP layer is the
// registry Transport (deadline, byte cap, redirect rules, plain http only for loopback and allowed
// hosts). Only the refs asked for are kept, so a huge advertisement costs its bytes, not a map of them.
import { RegistryError, displayUrl } from './errors';
import type { Transport } from './transport';

export type GitRefErrorKind =
  /** The body is not a valid smart-HTTP ref advertisement (truncated, bad lengths, bad ids). */
  | 'protocol'
  /** The repository does not exist, or the ref names neither a tag nor a branch of it. */
  | 'not-found'
  /** The server wants credentials (a private or internal repository): not supported. */
  | 'auth-required'
  | 'http-status'
  /** Something that cannot give a 40-hex commit (a SHA-256 repository, an invalid name). */
  | 'unsupported';

export class GitRefError extends Error {
  constructor(readonly kind: GitRefErrorKind, message: string) {
    super(message);
    this.name = 'GitRefError';
  }
}

/** git's LARGE_PACKET_MAX: no pkt-line is longer, length prefix included. */
export const MAX_PKT_LENGTH = 65520;
/** Default cap of the advertisement (GitHub lists pull-request refs too; a busy repository's list is MBs). */
export const DEFAULT_MAX_ADVERTISEMENT_BYTES = 16 * 1024 * 1024;

export type PktLine = { type: 'data'; data: Buffer } | { type: 'flush' } | { type: 'delim' } | { type: 'response-end' };

/**
 * The pkt-lines of `body`, in order. Throws GitRefError('protocol') for a length that is not 4 hex
 * digits, one of the reserved lengths 3 and below 4 other than the special packets, one longer than
 * LARGE_PACKET_MAX, or one that runs past the end of the body (a truncated answer).
 */
export function* pktLines(body: Buffer): Generator<PktLine> {
  let offset = 0;
  while (offset < body.length) {
    if (offset + 4 > body.length) throw new GitRefError('protocol', `truncated pkt-line length at byte ${offset}`);
    const prefix = body.toString('latin1', offset, offset + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(prefix)) throw new GitRefError('protocol', `pkt-line length is not hex at byte ${offset}`);
    const length = parseInt(prefix, 16);
    if (length === 0) yield { type: 'flush' };
    else if (length === 1) yield { type: 'delim' };
    else if (length === 2) yield { type: 'response-end' };
    else if (length < 4) throw new GitRefError('protocol', `invalid pkt-line length ${length} at byte ${offset}`);
    else if (length > MAX_PKT_LENGTH) throw new GitRefError('protocol', `pkt-line length ${length} exceeds ${MAX_PKT_LENGTH} at byte ${offset}`);
    else if (offset + length > body.length) throw new GitRefError('protocol', `truncated pkt-line at byte ${offset} (${length} bytes announced, ${body.length - offset} left)`);
    else yield { type: 'data', data: body.subarray(offset + 4, offset + length) };
    offset += length < 4 ? 4 : length;
  }
}

export interface AdvertisedRef {
  /** The object the ref points at (a commit, or an annotated tag object). */
  oid: string;
  /** For an annotated tag: the object it peels to (`refs/tags/x^{}`), the commit. */
  peeled?: string;
}

const OID = /^[0-9a-f]{40}$/;
const ZERO_OID = '0'.repeat(40);

/**
 * Reads a v0/v1 smart-HTTP ref advertisement (`# service=git-upload-pack`, flush, optional `version 1`,
 * the refs, flush) and returns the refs `wanted` accepts, with their peeled objects. Refuses anything
 * else: a dumb-HTTP listing, an HTML login page, a SHA-256 repository, a ref line without a 40-hex id.
 */
export function parseAdvertisement(body: Buffer, wanted: (refName: string) => boolean): Map<string, AdvertisedRef> {
  const refs = new Map<string, AdvertisedRef>();
  let state: 'service' | 'flush' | 'refs' | 'done' = 'service';
  let first = true;
  for (const line of pktLines(body)) {
    if (state === 'done') {
      if (line.type === 'data') throw new GitRefError('protocol', 'data after the end of the ref advertisement');
      continue;
    }
    if (line.type !== 'data') {
      if (state === 'service') throw new GitRefError('protocol', 'the answer does not start with "# service=git-upload-pack"');
      if (line.type !== 'flush') throw new GitRefError('protocol', `unexpected ${line.type} packet in a v0 ref advertisement`);
      state = state === 'flush' ? 'refs' : 'done';
      continue;
    }
    const text = line.data.toString('utf8').replace(/\n$/, '');
    if (state === 'service') {
      if (text !== '# service=git-upload-pack') throw new GitRefError('protocol', 'the answer does not start with "# service=git-upload-pack"');
      state = 'flush';
      continue;
    }
    if (state === 'flush') throw new GitRefError('protocol', 'no flush packet after the service line');
    if (first && text === 'version 1') continue;
    if (first && text.startsWith('version ')) throw new GitRefError('unsupported', `git protocol ${text} was not asked for`);
    // The first ref carries the capabilities after a NUL; later ones must not contain one.
    const nul = text.indexOf('\0');
    if (nul >= 0 && !first) throw new GitRefError('protocol', 'a NUL byte in a ref line after the first');
    const refPart = nul >= 0 ? text.slice(0, nul) : text;
    if (first) {
      if (nul < 0) throw new GitRefError('protocol', 'the first ref line carries no capabilities');
      const format = /(?:^| )object-format=(\S+)/.exec(text.slice(nul + 1))?.[1];
      if (format !== undefined && format !== 'sha1') throw new GitRefError('unsupported', `the repository uses ${format} object ids; GitHub pins need a 40-hex SHA-1 commit`);
    }
    first = false;
    const space = refPart.indexOf(' ');
    const oid = space >= 0 ? refPart.slice(0, space).toLowerCase() : '';
    const name = space >= 0 ? refPart.slice(space + 1) : '';
    if (!OID.test(oid)) throw new GitRefError('protocol', 'a ref line without a 40-hex object id');
    if (name === '' || /[\s\0]/.test(name)) throw new GitRefError('protocol', 'a ref line without a valid ref name');
    // An empty repository advertises `capabilities^{}` with the zero id: no refs.
    if (name === 'capabilities^{}' && oid === ZERO_OID) continue;
    if (name.endsWith('^{}')) {
      const base = name.slice(0, -3);
      const ref = refs.get(base);
      if (ref) ref.peeled = oid;
      continue;
    }
    if (wanted(name)) refs.set(name, { oid });
  }
  if (state === 'service') throw new GitRefError('protocol', 'empty answer: no ref advertisement');
  if (state === 'flush' || state === 'refs') throw new GitRefError('protocol', 'truncated ref advertisement (no closing flush packet)');
  return refs;
}

export interface ResolvedGitRef {
  /** The commit, 40 lowercase hex digits. */
  sha: string;
  /** Which kind of ref `ref` named: tags are preferred when a tag and a branch share the name. */
  kind: 'tag' | 'branch';
  refName: string;
  /** An annotated tag (the commit comes from its peeled `^{}` line). */
  annotated: boolean;
}

/** Git's precedence (`git rev-parse`): `refs/tags/<ref>` before `refs/heads/<ref>`; full names as written. */
function candidates(ref: string): string[] {
  if (ref.startsWith('refs/tags/') || ref.startsWith('refs/heads/')) return [ref];
  return [`refs/tags/${ref}`, `refs/heads/${ref}`];
}

/** The commit `ref` names among `refs`, or null. */
export function pickRef(refs: Map<string, AdvertisedRef>, ref: string): ResolvedGitRef | null {
  for (const name of candidates(ref)) {
    const found = refs.get(name);
    if (!found) continue;
    const sha = found.peeled ?? found.oid;
    if (!OID.test(sha)) return null;
    return { sha, kind: name.startsWith('refs/tags/') ? 'tag' : 'branch', refName: name, annotated: found.peeled !== undefined };
  }
  return null;
}

/** A ref name git would accept (check-ref-format's rules, restricted to printable ASCII). */
export function isSafeRefName(ref: string): boolean {
  return /^[A-Za-z0-9._\/+-]+$/.test(ref) && !ref.startsWith('/') && !ref.startsWith('-') && !ref.endsWith('/') && !ref.endsWith('.')
    && !ref.includes('..') && !ref.includes('//') && !ref.endsWith('.lock');
}

/** `https://github.com` with no trailing slash; null for a URL that is not a plain http(s) base. */
export function normalizeGitBaseUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface ResolveGitRefOptions {
  /** Cap of the advertisement body (default 16 MiB). */
  maxBytes?: number;
}

/**
 * The commit `ref` (a tag, else a branch) names in `{base}/{owner}/{repo}`, asked over smart HTTP.
 * Throws GitRefError, or the Transport's RegistryError (timeout, too-large, network, tls…).
 */
export async function resolveGitRef(transport: Transport, base: string, owner: string, repo: string, ref: string, options: ResolveGitRefOptions = {}): Promise<ResolvedGitRef> {
  if (!isSafeRefName(ref)) throw new GitRefError('unsupported', `"${ref}" is not a ref name that can be looked up`);
  const url = `${base}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git/info/refs?service=git-upload-pack`;
  const response = await transport.request({
    url,
    headers: { 'User-Agent': 'container-guard (git smart HTTP ref lookup)', Accept: 'application/x-git-upload-pack-advertisement, */*;q=0.1' },
    maxBytes: options.maxBytes ?? DEFAULT_MAX_ADVERTISEMENT_BYTES,
  });
  const where = `${owner}/${repo} at ${displayUrl(base).replace(/\/$/, '')}`;
  if (response.status === 401 || response.status === 403) throw new GitRefError('auth-required', `${where}: the server asks for credentials (a private or internal repository); looking up its refs with credentials is not supported`);
  if (response.status === 404) throw new GitRefError('not-found', `${where}: no such repository`);
  if (response.status !== 200) throw new GitRefError('http-status', `${where}: HTTP ${response.status}`);
  // A dumb-HTTP server or a login page answers 200 with another type: its body is no advertisement.
  const type = (response.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-git-upload-pack-advertisement') throw new GitRefError('protocol', `${where}: not a smart git HTTP answer (Content-Type ${type || 'missing'})`);
  const wanted = new Set(candidates(ref));
  const refs = parseAdvertisement(response.body, (name) => wanted.has(name));
  const resolved = pickRef(refs, ref);
  if (!resolved) throw new GitRefError('not-found', `${where}: "${ref}" is neither a tag nor a branch`);
  return resolved;
}

export function isGitRefError(value: unknown): value is GitRefError {
  return value instanceof GitRefError;
}

/** `kind: message` of a lookup failure, for logs and "not pinned" reasons. */
export function gitRefFailure(error: unknown): string {
  if (error instanceof GitRefError || error instanceof RegistryError) return `${error.kind}: ${error.message}`;
  return String(error);
}

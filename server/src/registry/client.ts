// RegistryClient: resolve image references to digests, fetch manifests and blobs (digest-verified),
// choose the Windows platform entry, and discover signatures (referrers API → tag schema, plus the
// legacy cosign `.sig` tag). Everything goes through Transport (limits, TLS, proxy) and Authenticator
// (401 handling). Caches follow the data's nature: tag → digest is mutable (short TTL), digest →
// manifest is immutable (kept), referrers change (short TTL). Identical concurrent lookups share one
// promise, so a hover storm costs one request. Offline mode answers from the caches only.

import { Descriptor, DiscoveryMethod } from '../signatures/types';
import { Authenticator } from './auth';
import { CredentialsProvider } from './credentials';
import { computeDigest, parseDigest, verifyDigest } from './digest';
import { RegistryError } from './errors';
import {
  COSIGN_OCI11_SIGNATURE, MANIFEST_ACCEPT, NOTATION_SIGNATURE, OCI_INDEX, SIGSTORE_BUNDLE_PREFIX, bareMediaType, isIndexType,
} from './mediaTypes';
import { IndexEntry, PlatformChoice, PlatformTarget, choosePlatform } from './platform';
import { NormalizedReference, hostName, isLoopbackHost, isValidHost, isValidRepository, normalizeReference } from './reference';
import { HttpResponse, Transport, TransportOptions } from './transport';

export interface RegistryClientOptions {
  transport?: TransportOptions;
  credentials?: CredentialsProvider;
  /** Hosts contacted over plain http (also allowed by the transport). Everything else uses https. */
  plainHttpHosts?: string[];
  /** Windows host version for platform choice (`10.0.26100` or `26100`). */
  hostOsVersion?: string;
  /** Tag → digest cache lifetime (default 5 min). */
  tagTtlMs?: number;
  /** Referrer list cache lifetime (default 5 min). */
  referrersTtlMs?: number;
  /** Manifest size cap (default 4 MiB). */
  maxManifestBytes?: number;
  /** Serve caches only; anything else fails with 'offline'. */
  offline?: boolean;
}

export interface RepositoryRef {
  /** Host as contacted (`registry-1.docker.io`, `127.0.0.1:5000`). */
  registry: string;
  repository: string;
}

export interface ResolvedImage {
  reference: NormalizedReference;
  digest: string;
  mediaType: string;
  size: number;
  /** Served from an expired cache entry in offline mode. */
  stale?: boolean;
}

export interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  blobs?: Descriptor[];
  manifests?: IndexEntry[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Buffer;
  json: ManifestJson;
}

export type ReferrerKind = 'notation' | 'sigstore-bundle' | 'cosign-oci11' | 'cosign-legacy' | 'other';

export interface DiscoveredReferrer {
  /** Descriptor of the referrer manifest (for the cosign tag: of the `.sig` manifest). */
  descriptor: Descriptor;
  foundVia: DiscoveryMethod;
  kind: ReferrerKind;
  /** The referrer manifest when it was fetched (tag schema and cosign tag always; API: not fetched). */
  manifest?: ManifestJson;
}

export interface SignatureDiscovery {
  subject: string;
  referrers: DiscoveredReferrer[];
  /** true: the registry has the referrers API; false: it answered 404 (tag schema used); undefined: unknown. */
  referrersApi?: boolean;
  /** Partial failures and caveats, for the hover. */
  notes: string[];
}

const DEFAULT_TAG_TTL_MS = 5 * 60_000;
const DEFAULT_REFERRERS_TTL_MS = 5 * 60_000;
const DEFAULT_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CACHE_ENTRIES = 2000;
const MAX_REFERRER_PAGES = 10;

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export class RegistryClient {
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private offline: boolean;
  private readonly tags = new Map<string, Expiring<ResolvedImage>>();
  private readonly manifests = new Map<string, Manifest>();
  private readonly referrerCache = new Map<string, Expiring<SignatureDiscovery>>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** Scheme that answered for a loopback host not listed as plain http (Docker: https, then http). */
  private readonly loopbackSchemes = new Map<string, 'https' | 'http'>();

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.transport = new Transport({
      ...options.transport,
      plainHttpHosts: [...(options.transport?.plainHttpHosts ?? []), ...(options.plainHttpHosts ?? [])],
    });
    this.auth = new Authenticator(this.transport, options.credentials);
    this.offline = options.offline ?? false;
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  /** Credential note for a host (helper missing, workspace not trusted), if any. */
  credentialNote(host: string): string | undefined {
    return this.auth.noteFor(host);
  }

  dispose(): void {
    this.transport.dispose();
  }

  /** Tag or digest reference → digest, media type and size of what the tag points at. */
  async resolve(reference: string | NormalizedReference): Promise<ResolvedImage> {
    const ref = typeof reference === 'string' ? normalizeReference(reference) : reference;
    if (!ref) throw new RegistryError('not-found', `not a valid image reference: ${String(reference).slice(0, 200)}`);
    if (ref.digest) {
      const manifest = await this.getManifest(ref, ref.digest);
      return { reference: ref, digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size };
    }
    const tag = ref.tag ?? 'latest';
    const key = `${ref.registry}/${ref.repository}:${tag}`;
    const cached = this.tags.get(key);
    if (cached && cached.expiresAt > Date.now()) return { ...cached.value, reference: ref };
    if (this.offline) {
      if (cached) return { ...cached.value, reference: ref, stale: true };
      throw offlineError(ref.canonical);
    }
    const resolved = await this.merge(`tag ${key}`, () => this.resolveTag(ref, tag));
    remember(this.tags, key, { value: resolved, expiresAt: Date.now() + (this.options.tagTtlMs ?? DEFAULT_TAG_TTL_MS) });
    return { ...resolved, reference: ref };
  }

  /** GET a manifest by digest; the bytes are checked against the digest. Cached forever (immutable). */
  async getManifest(repo: RepositoryRef, digest: string): Promise<Manifest> {
    if (!parseDigest(digest)) throw new RegistryError('bad-digest', `unsupported or malformed digest ${digest}`);
    const key = `${repo.registry}/${repo.repository}@${digest}`;
    const cached = this.manifests.get(key);
    if (cached) return cached;
    if (this.offline) throw offlineError(key);
    return this.merge(`manifest ${key}`, async () => {
      const response = await this.call(repo, 'GET', `manifests/${digest}`, MANIFEST_ACCEPT, this.maxManifestBytes());
      expectOk(response, `manifest ${digest} in ${repo.repository}`);
      const header = response.header('docker-content-digest');
      if (header && header !== digest) {
        throw new RegistryError('bad-digest', `manifest ${digest}: the registry claims digest ${header}`);
      }
      verifyDigest(response.body, digest, `manifest in ${repo.repository}`);
      const manifest = toManifest(response, digest);
      remember(this.manifests, key, manifest);
      return manifest;
    });
  }

  /** GET a blob, capped at `maxBytes`, verified against its digest. Not cached (blobs can be large). */
  async getBlob(repo: RepositoryRef, digest: string, maxBytes: number): Promise<Buffer> {
    if (!parseDigest(digest)) throw new RegistryError('bad-digest', `unsupported or malformed digest ${digest}`);
    if (this.offline) throw offlineError(`${repo.registry}/${repo.repository}@${digest}`);
    const response = await this.call(repo, 'GET', `blobs/${digest}`, undefined, maxBytes);
    expectOk(response, `blob ${digest} in ${repo.repository}`);
    verifyDigest(response.body, digest, `blob in ${repo.repository}`);
    return response.body;
  }

  /** Platform choice for an index/list (defaults to the configured Windows host version). */
  choosePlatform(manifest: Manifest, target: PlatformTarget = {}): PlatformChoice {
    if (!isIndexType(manifest.mediaType) || !Array.isArray(manifest.json.manifests)) {
      return { entries: [], reason: 'single-platform image' };
    }
    const osVersion = target.osVersion ?? this.options.hostOsVersion;
    return choosePlatform(manifest.json.manifests, { ...target, ...(osVersion !== undefined ? { osVersion } : {}) });
  }

  /**
   * Referrers of `subject` (signatures and other artifacts): the referrers API, on 404 the
   * `sha256-<hex>` tag schema, and in parallel cosign's legacy `sha256-<hex>.sig` tag.
   * `artifactType` filters API and tag-schema results (client-side when the server did not).
   */
  async signatures(repo: RepositoryRef, subject: Descriptor | string, filter: { artifactType?: string } = {}): Promise<SignatureDiscovery> {
    const digest = typeof subject === 'string' ? subject : subject.digest;
    const parsed = parseDigest(digest);
    if (!parsed) throw new RegistryError('bad-digest', `unsupported or malformed digest ${digest}`);
    const key = `${repo.registry}/${repo.repository}@${digest}?${filter.artifactType ?? ''}`;
    const cached = this.referrerCache.get(key);
    if (cached && (cached.expiresAt > Date.now() || this.offline)) return cached.value;
    if (this.offline) throw offlineError(`referrers of ${digest}`);
    return this.merge(`referrers ${key}`, async () => {
      const notes: string[] = [];
      const [listed, cosign] = await Promise.allSettled([
        this.listReferrers(repo, digest, filter.artifactType, notes),
        this.cosignTag(repo, `${parsed.algorithm}-${parsed.hex}.sig`),
      ]);
      if (listed.status === 'rejected' && cosign.status === 'rejected') throw listed.reason;
      const discovery: SignatureDiscovery = { subject: digest, referrers: [], notes };
      if (listed.status === 'fulfilled') {
        discovery.referrers.push(...listed.value.referrers);
        if (listed.value.api !== undefined) discovery.referrersApi = listed.value.api;
      } else {
        notes.push(`referrers lookup failed: ${errorMessage(listed.reason)}`);
      }
      if (cosign.status === 'fulfilled') {
        if (cosign.value) discovery.referrers.push(cosign.value);
      } else {
        notes.push(`cosign signature tag lookup failed: ${errorMessage(cosign.reason)}`);
      }
      remember(this.referrerCache, key, { value: discovery, expiresAt: Date.now() + (this.options.referrersTtlMs ?? DEFAULT_REFERRERS_TTL_MS) });
      return discovery;
    });
  }

  // --- internals -------------------------------------------------------------------------------

  private maxManifestBytes(): number {
    return this.options.maxManifestBytes ?? DEFAULT_MANIFEST_BYTES;
  }

  private listedPlainHttp(host: string): boolean {
    const plain = (this.options.plainHttpHosts ?? []).map((entry) => entry.toLowerCase());
    const lower = host.toLowerCase();
    return plain.includes(lower) || plain.includes(hostName(lower));
  }

  private baseUrl(host: string, scheme: 'https' | 'http'): string {
    return `${scheme}://${host}`;
  }

  private call(repo: RepositoryRef, method: 'GET' | 'HEAD', path: string, accept: string | undefined, maxBytes: number): Promise<HttpResponse> {
    if (this.offline) return Promise.reject(offlineError(repo.registry));
    // Callers may pass their own RepositoryRef; never let it reshape the URL (`..`, `?`, `@`).
    if (!isValidHost(repo.registry) || !isValidRepository(repo.repository)) {
      return Promise.reject(new RegistryError('not-found', `not a valid registry repository: ${repo.registry.slice(0, 100)}/${repo.repository.slice(0, 200)}`));
    }
    const headers: Record<string, string> = {};
    if (accept) headers.Accept = accept;
    const send = (scheme: 'https' | 'http'): Promise<HttpResponse> => this.auth.send(repo.registry, `repository:${repo.repository}:pull`, {
      method, url: `${this.baseUrl(repo.registry, scheme)}/v2/${repo.repository}/${path}`, headers, maxBytes,
    });
    if (this.listedPlainHttp(repo.registry)) return send('http');
    if (!isLoopbackHost(repo.registry)) return send('https');
    return this.callLoopback(repo.registry.toLowerCase(), send);
  }

  /**
   * Loopback registries as Docker treats them (127.0.0.0/8 and localhost are insecure registries by
   * default): https first, then plain http when the https answer was plain http or the connection
   * failed; the scheme that answered is kept for the host. A certificate failure is reported as such
   * (a TLS-only registry would answer plain http with a confusing 400), and when both fail the https
   * error is the one reported.
   */
  private async callLoopback(host: string, send: (scheme: 'https' | 'http') => Promise<HttpResponse>): Promise<HttpResponse> {
    const known = this.loopbackSchemes.get(host);
    if (known) return send(known);
    try {
      const response = await send('https');
      this.loopbackSchemes.set(host, 'https');
      return response;
    } catch (error) {
      if (!(error instanceof RegistryError) || (error.kind !== 'plain-http' && error.kind !== 'network')) throw error;
      let response: HttpResponse;
      try {
        response = await send('http');
      } catch {
        throw error;
      }
      this.loopbackSchemes.set(host, 'http');
      return response;
    }
  }

  /** Shares one in-flight promise between identical concurrent lookups. */
  private merge<T>(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inflight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private async resolveTag(ref: NormalizedReference, tag: string): Promise<ResolvedImage> {
    // HEAD is free on Docker Hub's rate limit; GET only when the registry omits the digest header.
    const head = await this.call(ref, 'HEAD', `manifests/${tag}`, MANIFEST_ACCEPT, 0);
    if (head.status === 404) throw new RegistryError('not-found', `${ref.canonical}: tag not found`, 404);
    const digest = head.header('docker-content-digest');
    if (head.status === 200 && digest && parseDigest(digest)) {
      return {
        reference: ref,
        digest,
        mediaType: bareMediaType(head.header('content-type')),
        size: Number(head.header('content-length') ?? 0),
      };
    }
    const manifest = await this.manifestByTag(ref, tag);
    if (!manifest) throw new RegistryError('not-found', `${ref.canonical}: tag not found`, 404);
    return { reference: ref, digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size };
  }

  /** GET a manifest by tag; its digest is computed from the bytes (and checked against the header). */
  private async manifestByTag(repo: RepositoryRef, tag: string): Promise<Manifest | undefined> {
    const response = await this.call(repo, 'GET', `manifests/${tag}`, MANIFEST_ACCEPT, this.maxManifestBytes());
    if (response.status === 404) return undefined;
    expectOk(response, `manifest ${repo.repository}:${tag}`);
    const header = response.header('docker-content-digest');
    const algorithm = header ? parseDigest(header)?.algorithm ?? 'sha256' : 'sha256';
    const digest = computeDigest(response.body, algorithm);
    if (header && header !== digest) {
      throw new RegistryError('bad-digest', `manifest ${repo.repository}:${tag}: body digest ${digest} does not match the registry's ${header}`);
    }
    const manifest = toManifest(response, digest);
    remember(this.manifests, `${repo.registry}/${repo.repository}@${digest}`, manifest);
    return manifest;
  }

  private async listReferrers(repo: RepositoryRef, digest: string, artifactType: string | undefined, notes: string[]): Promise<{ referrers: DiscoveredReferrer[]; api?: boolean }> {
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    let response = await this.call(repo, 'GET', `referrers/${digest}${query}`, OCI_INDEX, this.maxManifestBytes());
    const index = response.status === 200 ? parseIndex(response.body) : undefined;
    if (response.status === 200 && index) {
      const entries: IndexEntry[] = [...index.manifests];
      let filtered = (response.header('oci-filters-applied') ?? '').split(',').map((s) => s.trim()).includes('artifactType');
      // Follow `Link: <…>; rel="next"` pages, bounded.
      for (let page = 1; page < MAX_REFERRER_PAGES; page++) {
        const next = nextLink(response.header('link'));
        if (!next) break;
        const url = new URL(next, response.url);
        response = await this.auth.send(repo.registry, `repository:${repo.repository}:pull`, {
          method: 'GET', url: url.toString(), headers: { Accept: OCI_INDEX }, maxBytes: this.maxManifestBytes(),
        });
        expectOk(response, `referrers page of ${digest}`);
        const more = parseIndex(response.body);
        if (!more) throw new RegistryError('bad-json', `referrers page of ${digest} is not an OCI index`);
        entries.push(...more.manifests);
        filtered &&= (response.header('oci-filters-applied') ?? '').includes('artifactType');
      }
      const kept = entries.filter((entry) => entry.digest !== digest && (!artifactType || filtered || entry.artifactType === artifactType));
      return { api: true, referrers: kept.map((entry) => referrer(entry, entry.artifactType, 'referrers-api')) };
    }
    if (response.status !== 404 && response.status !== 200) expectOk(response, `referrers of ${digest}`);
    // 404 (or a 200 that is not an index): no API. Use the tag schema (docs §5.2), defensively.
    const parsed = parseDigest(digest)!;
    const tagged = await this.manifestByTag(repo, `${parsed.algorithm}-${parsed.hex}`);
    if (!tagged) return { api: false, referrers: [] };
    if (tagged.digest === digest) {
      // GitLab resolves `sha256-<hex>` to the subject itself.
      notes.push('the registry resolved the referrers tag to the image itself; ignored');
      return { api: false, referrers: [] };
    }
    if (tagged.mediaType !== OCI_INDEX || !Array.isArray(tagged.json.manifests)) {
      notes.push('the referrers tag does not hold an OCI index; ignored');
      return { api: false, referrers: [] };
    }
    const candidates = tagged.json.manifests.filter((entry) => entry.digest !== digest && (!artifactType || entry.artifactType === artifactType));
    // Every referrer must really point at the subject; fetching also warms the cache for verification.
    const checked = await Promise.allSettled(candidates.map((entry) => this.getManifest(repo, entry.digest)));
    const referrers: DiscoveredReferrer[] = [];
    checked.forEach((result, i) => {
      const entry = candidates[i]!;
      if (result.status === 'rejected') {
        notes.push(`referrer ${entry.digest} could not be read: ${errorMessage(result.reason)}`);
      } else if (result.value.json.subject?.digest !== digest) {
        notes.push(`referrer ${entry.digest} does not name this image as its subject; ignored`);
      } else {
        const type = entry.artifactType ?? result.value.json.artifactType ?? result.value.json.config?.mediaType;
        referrers.push({ ...referrer(entry, type, 'tag-schema'), manifest: result.value.json });
      }
    });
    return { api: false, referrers };
  }

  private async cosignTag(repo: RepositoryRef, tag: string): Promise<DiscoveredReferrer | undefined> {
    const manifest = await this.manifestByTag(repo, tag);
    if (!manifest) return undefined;
    const descriptor: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size };
    if (manifest.json.annotations) descriptor.annotations = manifest.json.annotations;
    return { descriptor, foundVia: 'cosign-tag', kind: 'cosign-legacy', manifest: manifest.json };
  }
}

function referrer(entry: IndexEntry, artifactType: string | undefined, foundVia: DiscoveryMethod): DiscoveredReferrer {
  const descriptor: Descriptor = { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
  if (artifactType) descriptor.artifactType = artifactType;
  if (entry.annotations) descriptor.annotations = entry.annotations;
  return { descriptor, foundVia, kind: kindOf(artifactType) };
}

export function kindOf(artifactType: string | undefined): ReferrerKind {
  if (!artifactType) return 'other';
  if (artifactType === NOTATION_SIGNATURE) return 'notation';
  if (artifactType.startsWith(SIGSTORE_BUNDLE_PREFIX)) return 'sigstore-bundle';
  if (artifactType === COSIGN_OCI11_SIGNATURE) return 'cosign-oci11';
  return 'other';
}

function parseIndex(body: Buffer): { manifests: IndexEntry[] } | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as { manifests?: unknown };
    if (!json || !Array.isArray(json.manifests)) return undefined;
    const manifests = json.manifests.filter((entry): entry is IndexEntry => isDescriptor(entry));
    return { manifests };
  } catch {
    return undefined;
  }
}

function isDescriptor(value: unknown): boolean {
  const record = value as Record<string, unknown> | null;
  return !!record && typeof record.mediaType === 'string' && typeof record.digest === 'string' && parseDigest(record.digest) !== null && typeof record.size === 'number';
}

function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(header);
  return match?.[1];
}

function toManifest(response: HttpResponse, digest: string): Manifest {
  let json: ManifestJson;
  try {
    json = JSON.parse(response.body.toString('utf8')) as ManifestJson;
  } catch {
    throw new RegistryError('bad-json', `manifest ${digest} is not valid JSON`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new RegistryError('bad-json', `manifest ${digest} is not a JSON object`);
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : bareMediaType(response.header('content-type'));
  return { digest, mediaType, size: response.body.length, bytes: response.body, json };
}

function expectOk(response: HttpResponse, what: string): void {
  if (response.status >= 200 && response.status < 300) return;
  if (response.status === 404) throw new RegistryError('not-found', `${what}: not found`, 404);
  if (response.status === 401 || response.status === 403) throw new RegistryError('auth-required', `${what}: access denied (${response.status})`, response.status);
  // Registry errors carry `{"errors":[{"code":"…"}]}`; the code is safe and useful to show.
  let code = '';
  try {
    const body = JSON.parse(response.body.toString('utf8')) as { errors?: Array<{ code?: unknown }> };
    if (typeof body.errors?.[0]?.code === 'string') code = ` ${body.errors[0].code}`;
  } catch {
    // not JSON
  }
  throw new RegistryError('http-status', `${what}: HTTP ${response.status}${code}`, response.status);
}

function offlineError(what: string): RegistryError {
  return new RegistryError('offline', `offline mode: ${what} is not in the cache`);
}

function errorMessage(error: unknown): string {
  return error instanceof RegistryError ? `${error.kind}: ${error.message}` : 'unexpected error';
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  // Maps iterate in insertion order: drop the oldest entries past the bound.
  while (map.size > MAX_CACHE_ENTRIES) map.delete(map.keys().next().value as K);
}

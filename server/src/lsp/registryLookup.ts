// Registry lookups for the language server: which settings allow them, one RegistryClient per
// effective configuration, a result cache per reference with merged concurrent lookups, and a time
// budget so a hover never waits for the network longer than it should. Workspace trust is enforced
// here: an untrusted workspace gets no network calls, no credential helpers and no file reads.
// Answers are also kept on disk (verificationStore.ts) when the client gives a storage folder, by digest
// and trust-configuration hash: after a restart the hover and offline mode use them, marked "cached".
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RegistryClient } from '../registry/index';
import { normalizeReference } from '../registry/reference';
import type { ImageStatus, VerificationSettings } from '../supplyChain/imageStatus';
import { registryModules } from './lazyRegistryModules';
import { configurationHash, VerificationStore } from './verificationStore';

/** How long a hover waits for a lookup before answering "checking…". */
export const DEFAULT_HOVER_BUDGET_MS = 3_000;
/** Results are kept this long; the RegistryClient's own caches (tag TTL, immutable manifests) sit below. */
const RESULT_TTL_MS = 5 * 60_000;
const MAX_RESULTS = 500;
/**
 * A stored answer is reused online (instead of verifying the digest again) for this long; offline, at
 * any age. Signatures can be added to a digest later, so "unsigned" is not kept forever.
 */
const STORED_REUSE_MS = 24 * 60 * 60_000;

export interface RegistrySettings {
  lookups: boolean;
  offline: boolean;
  plainHttpHosts: string[];
  caCertificates: string[];
  timeoutMs: number | undefined;
  signatureDiagnostics: boolean;
  notationConfigDir: string | undefined;
  trustPolicy: string | undefined;
  trustStore: string | undefined;
  microsoftRoot: string | undefined;
  cosignKeys: unknown[];
  /** Path of the Sigstore `trusted_root.json` for keyless cosign signatures. */
  sigstoreTrustedRoot: string | undefined;
  /** `[{ scope, identity | identityRegExp, issuer | issuerRegExp }]` trusted for keyless signatures. */
  sigstoreIdentities: unknown[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** Reads a dotted key both as nested (`registry: { lookups }`, VS Code) and flat (`'registry.lookups'`). */
function pick(settings: Record<string, unknown>, group: string, key: string): unknown {
  const nested = record(settings[group])[key];
  return nested !== undefined ? nested : settings[`${group}.${key}`];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : []);

/** The `containerGuard` settings object → registry/trust settings (unknown or ill-typed values fall back to defaults). */
export function registrySettingsFrom(value: unknown): RegistrySettings {
  const settings = record(value);
  const timeout = pick(settings, 'registry', 'timeoutMs');
  const keys = pick(settings, 'trust', 'cosignKeys');
  const identities = pick(settings, 'trust', 'sigstoreIdentities');
  return {
    lookups: pick(settings, 'registry', 'lookups') === true,
    offline: pick(settings, 'registry', 'offline') === true,
    plainHttpHosts: strings(pick(settings, 'registry', 'plainHttpHosts')),
    caCertificates: strings(pick(settings, 'registry', 'caCertificates')),
    timeoutMs: typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 120_000) : undefined,
    signatureDiagnostics: pick(settings, 'registry', 'signatureDiagnostics') === true,
    notationConfigDir: str(pick(settings, 'trust', 'notationConfigDir')),
    trustPolicy: str(pick(settings, 'trust', 'trustPolicy')),
    trustStore: str(pick(settings, 'trust', 'trustStore')),
    microsoftRoot: str(pick(settings, 'trust', 'microsoftRoot')),
    cosignKeys: Array.isArray(keys) ? keys : [],
    sigstoreTrustedRoot: str(pick(settings, 'trust', 'sigstoreTrustedRoot')),
    sigstoreIdentities: Array.isArray(identities) ? identities : [],
  };
}

export type LookupState =
  | { state: 'disabled' }
  | { state: 'untrusted-workspace' }
  | { state: 'checking' }
  | { state: 'done'; status: ImageStatus; warnings: string[]; checkedAt: number; cached?: CachedFrom };

/** Where a result from the storage folder came from (its summary says "cached <time>" too). */
export interface CachedFrom {
  /** When the stored result was verified. */
  checkedAt: number;
  /** Offline, a tag resolved through a stored tag → digest mapping seen at this time (may be outdated). */
  staleTagSeenAt?: number;
}

interface Entry {
  promise: Promise<void>;
  result?: { status: ImageStatus; warnings: string[]; checkedAt: number; cached?: CachedFrom };
  expiresAt: number;
}

export interface LookupContext {
  settings: RegistrySettings;
  /** Folder relative paths (CA files, cosign key paths) are resolved against. */
  baseDir: string | undefined;
  /** `10.0.<build>` of the configured Windows host, for the platform choice. */
  hostOsVersion: string | undefined;
}

export class RegistryLookups {
  private trusted: boolean;
  private readonly clients = new Map<string, RegistryClient>();
  private readonly results = new Map<string, Entry>();
  /** Trust-setting warnings already logged (each once per session). */
  private readonly logged = new Set<string>();
  /** Lookups started (network or cache); tests and logs use it. */
  started = 0;
  /** Results kept in the client's storage folder (none when the client gave no folder). */
  private store: VerificationStore | undefined;

  constructor(trusted: boolean, private readonly onResult: (reference: string) => void, private readonly log: (message: string) => void) {
    this.trusted = trusted;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /**
   * The folder (initializationOptions.storageDir, VS Code's globalStorageUri) where answers are kept
   * across restarts; undefined keeps them in memory only. Read lazily, never in an untrusted workspace.
   */
  setStorageDir(dir: string | undefined): void {
    const usable = typeof dir === 'string' && dir.trim() !== '' && path.isAbsolute(dir) ? path.normalize(dir) : undefined;
    if (usable === this.store?.dir) return;
    this.store = usable ? new VerificationStore(usable, { log: this.log }) : undefined;
  }

  /** The on-disk store, only for a trusted workspace. */
  private storeFor(): VerificationStore | undefined {
    return this.trusted ? this.store : undefined;
  }

  /** Trust granted (or, defensively, revoked): clients are rebuilt so credential helpers follow trust. */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    this.reset();
  }

  /** Drops clients (and their caches) and results. */
  reset(): void {
    for (const client of this.clients.values()) client.dispose();
    this.clients.clear();
    this.results.clear();
  }

  dispose(): void {
    this.reset();
  }

  /** Everything a result depends on. */
  private configKey(context: LookupContext): string {
    const s = context.settings;
    return JSON.stringify([s.offline, s.plainHttpHosts, s.caCertificates, s.timeoutMs, s.notationConfigDir, s.trustPolicy, s.trustStore, s.microsoftRoot, s.cosignKeys, s.sigstoreTrustedRoot ?? null, s.sigstoreIdentities, context.baseDir, context.hostOsVersion]);
  }

  /**
   * One client per connection settings, offline or not: switching `registry.offline` on keeps the
   * client's caches, which is what offline mode serves.
   */
  private clientFor(context: LookupContext): RegistryClient {
    const s = context.settings;
    const key = JSON.stringify([s.plainHttpHosts, s.caCertificates, s.timeoutMs, context.baseDir, context.hostOsVersion]);
    let client = this.clients.get(key);
    if (!client) {
      const s = context.settings;
      const { DockerConfigCredentials, EDITOR_REMEDIES, RegistryClient } = registryModules();
      const extraCa = readCaCertificates(s.caCertificates, context.baseDir, this.log);
      client = new RegistryClient({
        plainHttpHosts: s.plainHttpHosts,
        offline: s.offline,
        transport: { ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}), ...(extraCa.length > 0 ? { extraCa } : {}), remedies: EDITOR_REMEDIES },
        credentials: new DockerConfigCredentials({ allowHelpers: this.trusted }),
        ...(context.hostOsVersion ? { hostOsVersion: context.hostOsVersion } : {}),
      });
      this.clients.set(key, client);
    }
    client.setOffline(s.offline);
    return client;
  }

  /** The cached state for `reference` without starting anything. */
  peek(reference: string, context: LookupContext): LookupState {
    if (!context.settings.lookups) return { state: 'disabled' };
    if (!this.trusted) return { state: 'untrusted-workspace' };
    const entry = this.results.get(`${this.configKey(context)}\n${reference}`);
    if (!entry) return { state: 'checking' };
    return entry.result ? { state: 'done', ...entry.result } : { state: 'checking' };
  }

  /**
   * The state for `reference`, starting a lookup when none is cached or running. Waits up to
   * `budgetMs` (or until `cancelled` resolves) for a running lookup; never longer.
   */
  async lookup(reference: string, context: LookupContext, budgetMs: number, cancelled?: Promise<void>): Promise<LookupState> {
    // Enforced here, whatever the client did: no settings → nothing fetched; untrusted → nothing at all.
    if (!context.settings.lookups) return { state: 'disabled' };
    if (!this.trusted) return { state: 'untrusted-workspace' };
    const key = `${this.configKey(context)}\n${reference}`;
    let entry = this.results.get(key);
    if (entry?.result && entry.expiresAt <= Date.now()) entry = undefined;
    if (!entry) entry = this.start(key, reference, context);
    if (!entry.result && budgetMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<void>((resolve) => { timer = setTimeout(resolve, budgetMs); });
      await Promise.race([entry.promise, budget, ...(cancelled ? [cancelled] : [])]);
      clearTimeout(timer);
    }
    return entry.result ? { state: 'done', ...entry.result } : { state: 'checking' };
  }

  private start(key: string, reference: string, context: LookupContext): Entry {
    this.started++;
    const client = this.clientFor(context);
    const entry: Entry = { promise: Promise.resolve(), expiresAt: Number.POSITIVE_INFINITY };
    entry.promise = (async () => {
      const s = context.settings;
      const { imageStatus, isRegistryError, loadVerificationSettings } = registryModules();
      const loaded = loadVerificationSettings({
        ...(s.notationConfigDir ? { notationConfigDir: s.notationConfigDir } : {}),
        ...(s.trustPolicy ? { trustPolicyPath: s.trustPolicy } : {}),
        ...(s.trustStore ? { trustStoreDir: s.trustStore } : {}),
        ...(s.microsoftRoot ? { microsoftRootPath: s.microsoftRoot } : {}),
        cosign: { keys: s.cosignKeys },
        sigstore: { ...(s.sigstoreTrustedRoot ? { trustedRoot: s.sigstoreTrustedRoot } : {}), identities: s.sigstoreIdentities },
        ...(context.baseDir ? { baseDir: context.baseDir } : {}),
        readFiles: this.trusted,
      }, new Date(), context.hostOsVersion);
      for (const warning of loaded.warnings) {
        if (this.logged.has(warning)) continue;
        this.logged.add(warning);
        this.log(`Trust settings: ${warning}`);
      }
      const stored = await this.fromStore(client, reference, context, loaded.settings);
      if (stored && 'resolveError' in stored) {
        // The tag could not be resolved online: report it as imageStatus would, without a second attempt.
        const error = stored.resolveError;
        const kind = isRegistryError(error) ? error.kind : 'network';
        const message = isRegistryError(error) ? error.message : String(error);
        entry.result = { status: { reference, subjects: [], verdict: 'error', summary: `${kind}: ${message}`, error: { kind, message } }, warnings: loaded.warnings, checkedAt: Date.now() };
        entry.expiresAt = Date.now() + 30_000;
        this.onResult(reference);
        return;
      }
      if (stored) {
        entry.result = { ...stored, warnings: loaded.warnings };
        entry.expiresAt = Date.now() + RESULT_TTL_MS;
        this.onResult(reference);
        return;
      }
      let status: ImageStatus;
      try {
        status = await imageStatus(client, reference, loaded.settings);
      } catch (error) {
        status = { reference, subjects: [], verdict: 'error', summary: `error: ${String(error)}`, error: { kind: 'error', message: String(error) } };
      }
      entry.result = { status, warnings: loaded.warnings, checkedAt: Date.now() };
      this.keep(reference, loaded.settings, status, entry.result.checkedAt);
      // Failures are retried sooner than answers.
      entry.expiresAt = Date.now() + (status.verdict === 'error' ? 30_000 : RESULT_TTL_MS);
      this.onResult(reference);
    })().catch((error: unknown) => this.log(`Registry lookup of ${reference} failed: ${String(error)}`));
    this.results.set(key, entry);
    if (this.results.size > MAX_RESULTS) this.results.delete(this.results.keys().next().value as string);
    return entry;
  }

  /**
   * A stored answer for the digest `reference` names (pinned, or its tag resolved now — or, offline,
   * through the stored tag → digest mapping), verified with the same trust configuration.
   */
  private async fromStore(client: RegistryClient, reference: string, context: LookupContext, settings: VerificationSettings): Promise<{ status: ImageStatus; checkedAt: number; cached: CachedFrom } | { resolveError: unknown } | undefined> {
    const store = this.storeFor();
    const normalized = store ? normalizeReference(reference) : null;
    if (!store || !normalized) return undefined;
    const offline = context.settings.offline;
    let digest = normalized.digest;
    let staleTagSeenAt: number | undefined;
    if (!digest) {
      try {
        const resolved = await client.resolve(normalized);
        digest = resolved.digest;
        // Offline, the client may answer from its own expired tag cache: then the mapping is stale too.
        if (resolved.stale) staleTagSeenAt = store.tag(normalized.canonical)?.seenAt ?? Date.now();
      } catch (error) {
        if (!offline) return { resolveError: error };
        const tag = store.tag(normalized.canonical);
        if (!tag) return undefined;
        digest = tag.digest;
        staleTagSeenAt = tag.seenAt;
      }
    }
    const hit = store.get(digest, `${normalized.domain}/${normalized.repository}`, trustConfigurationHash(settings));
    if (!hit || (!offline && Date.now() - hit.checkedAt > STORED_REUSE_MS)) return undefined;
    const when = new Date(hit.checkedAt).toISOString();
    const tagNote = staleTagSeenAt !== undefined ? `; offline: the tag was last seen pointing at this digest ${new Date(staleTagSeenAt).toISOString()} and may have moved` : '';
    const status: ImageStatus = { ...hit.status, reference, canonical: normalized.canonical, summary: `${hit.status.summary} (cached ${when}${tagNote})` };
    return { status, checkedAt: hit.checkedAt, cached: { checkedAt: hit.checkedAt, ...(staleTagSeenAt !== undefined ? { staleTagSeenAt } : {}) } };
  }

  /** Writes an answer (never an error) to the storage folder, with the tag → digest it came from. */
  private keep(reference: string, settings: VerificationSettings, status: ImageStatus, checkedAt: number): void {
    const store = this.storeFor();
    const normalized = store ? normalizeReference(reference) : null;
    if (!store || !normalized || status.verdict === 'error' || !status.digest) return;
    store.put(`${normalized.domain}/${normalized.repository}`, trustConfigurationHash(settings), status, checkedAt, normalized.digest ? undefined : normalized.canonical);
  }
}

/**
 * What a verdict depends on besides the image: trust policy and stores, cosign keys, the Sigstore trusted root
 * (by digest) and identities, host version (not the clock). Without Sigstore settings the hash is what it was
 * before they existed, so stored results stay usable.
 */
export function trustConfigurationHash(settings: VerificationSettings): string {
  const sigstore = settings.sigstore && (settings.sigstore.rootSha256 || settings.sigstore.identities.length) ? { sigstore: registryModules().sigstoreTrustFingerprint(settings.sigstore) } : {};
  return configurationHash({ trust: settings.trust, cosignKeys: settings.cosignKeys, hostOsVersion: settings.hostOsVersion ?? null, ...sigstore });
}

/** `ltsc2022` → `10.0.20348` via the catalog's build numbers. */
export function hostOsVersionFor(build: number | undefined): string | undefined {
  return build ? `10.0.${build}` : undefined;
}

/**
 * The PEM text of `containerGuard.registry.caCertificates` (paths relative to the workspace folder); a
 * file that cannot be read is logged and left out, so one bad path does not stop every lookup.
 */
export function readCaCertificates(files: readonly string[], baseDir: string | undefined | null, log: (message: string) => void): string[] {
  const pems: string[] = [];
  for (const file of files) {
    const resolved = baseDir ? path.resolve(baseDir, file) : file;
    try {
      pems.push(fs.readFileSync(resolved, 'utf8'));
    } catch (error) {
      log(`containerGuard.registry.caCertificates: cannot read ${resolved}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return pems;
}

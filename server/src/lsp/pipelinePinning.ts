// The registry-backed quick fixes of pipeline YAML (issue 11, "Pinning"): "Pin to digest" for job,
// service and `docker://` images without a digest (pipeline-image-without-digest and the image case of
// pipeline-unpinned-action), resolved through the same RegistryLookups as the Dockerfile fix; and "Pin
// to commit" for `uses: owner/repo@v4`, resolved over git's smart HTTP (registry/gitRefs.ts) against
// `containerGuard.registry.gitHubUrl` (https://github.com unless GitHub Enterprise is set).
//
// Gates, in this order, before anything is parsed or fetched: registry lookups on, not offline (a pin
// written from a stale cache would name what the tag pointed at some time ago: offline there is no fix),
// and a trusted workspace (untrusted: no network and no credential helpers, as in RegistryLookups).
// Each answer is cached (5 minutes; failures 30 s) and shared by concurrent requests, so a code-action
// request waits at most the hover budget once; a slower answer shows on the next request.
import { CodeAction, CodeActionKind, type Diagnostic } from 'vscode-languageserver/node';
import type { PipelineDocument } from '../engine/pipeline/document';
import { actionPinEdits, imagePinEdits, pinTargets, type ActionPinTarget, type ImagePinTarget, type PinTarget } from '../engine/pipeline/rules/pinTargets';
import type { Finding, Range } from '../engine/types';
import { gitRefFailure, normalizeGitBaseUrl, resolveGitRef, type ResolvedGitRef } from '../registry/gitRefs';
import type { Transport } from '../registry/transport';
import { registryModules } from './lazyRegistryModules';
import { PIN_DIGEST_TITLE, SOURCE, workspaceEdit } from './protocol';
import { readCaCertificates, type LookupContext, type RegistryLookups } from './registryLookup';

export const PIN_COMMIT_TITLE = 'Pin to commit';
export const DEFAULT_GITHUB_URL = 'https://github.com';

const RESULT_TTL_MS = 5 * 60_000;
const FAILURE_TTL_MS = 30_000;
const MAX_RESULTS = 500;

/** `containerGuard.registry.gitHubUrl` (nested or flat), normalised; the default for anything unusable. */
export function gitHubUrlFrom(rawSettings: unknown, log?: (message: string) => void): string {
  const settings = typeof rawSettings === 'object' && rawSettings !== null ? rawSettings as Record<string, unknown> : {};
  const registry = typeof settings.registry === 'object' && settings.registry !== null ? settings.registry as Record<string, unknown> : {};
  const value = registry.gitHubUrl ?? settings['registry.gitHubUrl'];
  if (typeof value !== 'string' || value.trim() === '') return DEFAULT_GITHUB_URL;
  const normalized = normalizeGitBaseUrl(value);
  if (!normalized) log?.(`containerGuard.registry.gitHubUrl: "${value}" is not an http(s) URL without credentials, query or fragment; using ${DEFAULT_GITHUB_URL}`);
  return normalized ?? DEFAULT_GITHUB_URL;
}

/** Why pipeline pins are not offered, or null when they may look up. */
export function pinRefusal(lookup: LookupContext, trusted: boolean): string | null {
  if (!trusted) return 'The workspace is not trusted: no registry is contacted.';
  if (!lookup.settings.lookups) return 'Registry lookups are off (containerGuard.registry.lookups).';
  if (lookup.settings.offline) return 'Registry lookups are offline (containerGuard.registry.offline): pipeline pins are written from live answers only.';
  return null;
}

interface RefEntry {
  promise: Promise<void>;
  result?: { resolved: ResolvedGitRef } | { error: string };
  expiresAt: number;
}

export class PipelinePinning {
  private readonly transports = new Map<string, Transport>();
  private readonly refs = new Map<string, RefEntry>();
  /** Git ref lookups started (tests count them: none when lookups are off). */
  refLookupsStarted = 0;

  constructor(private readonly registry: RegistryLookups, private readonly log: (message: string) => void) {}

  dispose(): void {
    for (const transport of this.transports.values()) transport.dispose();
    this.transports.clear();
    this.refs.clear();
  }

  /** One Transport per connection settings, like RegistryLookups' clients (CA files read only here, trusted). */
  private transportFor(lookup: LookupContext): Transport {
    const s = lookup.settings;
    const key = JSON.stringify([s.plainHttpHosts, s.caCertificates, s.timeoutMs, lookup.baseDir]);
    let transport = this.transports.get(key);
    if (!transport) {
      const extraCa = readCaCertificates(s.caCertificates, lookup.baseDir, this.log);
      const { EDITOR_REMEDIES, Transport } = registryModules();
      transport = new Transport({
        plainHttpHosts: s.plainHttpHosts,
        ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
        ...(extraCa.length > 0 ? { extraCa } : {}),
        remedies: EDITOR_REMEDIES,
      });
      this.transports.set(key, transport);
    }
    return transport;
  }

  /**
   * The commit `owner/repo@ref` names, waiting up to `budgetMs` for a lookup (started once, cached).
   * Callers have checked pinRefusal; it is checked again here so no path reaches the network without it.
   */
  async resolveRef(target: Pick<ActionPinTarget, 'owner' | 'repo' | 'ref'>, base: string, lookup: LookupContext, budgetMs: number): Promise<RefEntry['result'] | undefined> {
    if (pinRefusal(lookup, this.registry.isTrusted)) return undefined;
    const transport = this.transportFor(lookup);
    const key = JSON.stringify([lookup.settings.plainHttpHosts, lookup.settings.caCertificates, lookup.settings.timeoutMs, lookup.baseDir, base, target.owner.toLowerCase(), target.repo.toLowerCase(), target.ref]);
    let entry = this.refs.get(key);
    if (entry?.result && entry.expiresAt <= Date.now()) entry = undefined;
    if (!entry) {
      this.refLookupsStarted++;
      const created: RefEntry = { promise: Promise.resolve(), expiresAt: Number.POSITIVE_INFINITY };
      created.promise = resolveGitRef(transport, base, target.owner, target.repo, target.ref).then(
        (resolved) => { created.result = { resolved }; created.expiresAt = Date.now() + RESULT_TTL_MS; },
        (error: unknown) => {
          created.result = { error: gitRefFailure(error) };
          created.expiresAt = Date.now() + FAILURE_TTL_MS;
          this.log(`Looking up ${target.owner}/${target.repo}@${target.ref} at ${base} failed: ${created.result.error}`);
        },
      );
      this.refs.set(key, created);
      if (this.refs.size > MAX_RESULTS) this.refs.delete(this.refs.keys().next().value as string);
      entry = created;
    }
    if (!entry.result && budgetMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([entry.promise, new Promise<void>((resolve) => { timer = setTimeout(resolve, budgetMs); })]);
      clearTimeout(timer);
    }
    return entry.result;
  }

  /**
   * Quick fixes for the pinning findings of `findings` whose lines meet `range`: only findings the lint
   * reported (rule on, not suppressed), only when pinRefusal allows lookups.
   */
  async codeActions(options: {
    uri: string; version: number; model: PipelineDocument; findings: readonly Finding[]; range: Range; diagnostics: readonly Diagnostic[];
    lookup: LookupContext; gitHubUrl: string; budgetMs: number; documentChanges: boolean;
  }): Promise<CodeAction[]> {
    const { model, range, lookup } = options;
    if (pinRefusal(lookup, this.registry.isTrusted)) return [];
    const reported = options.findings.filter((finding) => (finding.ruleId === 'pipeline-image-without-digest' || finding.ruleId === 'pipeline-unpinned-action')
      && finding.range.start.line <= range.end.line && finding.range.end.line >= range.start.line);
    if (reported.length === 0) return [];
    const targets = pinTargets(model).filter((target) => reported.some((finding) => finding.ruleId === target.ruleId && sameRange(finding.range, target.findingRange)));
    const actions = await Promise.all(targets.map((target) => target.kind === 'image' ? this.imageAction(target, options) : this.actionAction(target, options)));
    return actions.filter((action): action is CodeAction => action !== null);
  }

  private async imageAction(target: ImagePinTarget, options: Parameters<PipelinePinning['codeActions']>[0]): Promise<CodeAction | null> {
    const state = await this.registry.lookup(target.reference, options.lookup, options.budgetMs);
    const digest = state.state === 'done' ? state.status.digest : undefined;
    if (!digest) return null;
    const edits = imagePinEdits(options.model, target, digest);
    if (!edits) return null;
    return action(`${PIN_DIGEST_TITLE} ${digest.slice(0, 19)}…`, target, edits, options);
  }

  private async actionAction(target: ActionPinTarget, options: Parameters<PipelinePinning['codeActions']>[0]): Promise<CodeAction | null> {
    const result = await this.resolveRef(target, options.gitHubUrl, options.lookup, options.budgetMs);
    if (!result || !('resolved' in result)) return null;
    const pin = actionPinEdits(options.model, target, result.resolved.sha);
    if (!pin) return null;
    return action(pinCommitTitle(target, result.resolved, pin.comment), target, pin.edits, options);
  }
}

/** `Pin to commit 0123456789ab (tag v4)`; a branch says that it pins the branch's current head. */
export function pinCommitTitle(target: Pick<ActionPinTarget, 'ref'>, resolved: ResolvedGitRef, comment: boolean): string {
  const what = resolved.kind === 'tag' ? `tag ${target.ref}` : `branch ${target.ref}: its current head, the branch will move on`;
  return `${PIN_COMMIT_TITLE} ${resolved.sha.slice(0, 12)} (${what}${comment ? '' : `; no room for a "# ${target.ref}" comment on this line`})`;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function action(title: string, target: PinTarget, edits: Parameters<typeof workspaceEdit>[2], options: { uri: string; version: number; diagnostics: readonly Diagnostic[]; documentChanges: boolean }): CodeAction {
  const result = CodeAction.create(title, workspaceEdit(options.uri, options.version, edits, options.documentChanges), CodeActionKind.QuickFix);
  const diagnostics = options.diagnostics.filter((d) => d.source === SOURCE && d.code === target.ruleId && sameRange(d.range, target.findingRange));
  if (diagnostics.length > 0) result.diagnostics = diagnostics;
  return result;
}

/**
 * The images of a pipeline for the workspace commands (pin every image, verify signatures), in the
 * shape of the Dockerfile's FROM images: `range` covers the reference as written (inside quotes), so
 * `written@digest` replaces it. Only literal one-line references the lint reported in `findings` (rule
 * on, not suppressed: as for the quick fix and `lint --resolve`).
 */
export function pipelineImages(model: PipelineDocument, findings: readonly Finding[]): Array<{ reference: string; range: Range; written: string; tag: string | null; digest: string | null; literal: boolean }> {
  return pinTargets(model).filter((target): target is ImagePinTarget => target.kind === 'image' && findings.some((finding) => finding.ruleId === target.ruleId && sameRange(finding.range, target.findingRange))).map((target) => ({
    reference: target.reference,
    range: { start: model.document.positionAt(target.end - target.reference.length), end: model.document.positionAt(target.end) },
    written: target.reference,
    tag: target.hasTag ? target.reference.slice(target.reference.lastIndexOf(':') + 1) : null,
    digest: null,
    literal: true,
  }));
}

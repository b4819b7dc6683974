import type { PipelineRule } from '../../rules/rule';
import { isMap, itemsOf, pairsOf, stringOf, valueOf, type Document, type Node } from '../yamlDocument';
import { githubJobs, hasRunTimeValue, onNode, reportOnce, rootMaps, usesOf, valueRangeOf, workflowTriggers } from './pipelineNodes';

// GitHub's cache is shared across a repository's workflows: an entry written by any run on the default
// branch (one whose code a contributor could influence, e.g. a compromised dependency or a PR merged to
// main) is restored by the release workflow, which then builds what it publishes from poisoned inputs
// (zizmor cache-poisoning; Adnan Khan, "The Monsters in Your Build Cache", 2024). Release builds should
// start from a clean state.

/** Actions that cache when an input enables it; `always` for actions that cache unless told not to. */
const CACHE_INPUTS = new Map<string, { input: string; byDefault: boolean }>([
  ['actions/setup-node', { input: 'cache', byDefault: false }],
  ['actions/setup-python', { input: 'cache', byDefault: false }],
  ['actions/setup-java', { input: 'cache', byDefault: false }],
  ['actions/setup-dotnet', { input: 'cache', byDefault: false }],
  ['actions/setup-go', { input: 'cache', byDefault: true }],
  ['ruby/setup-ruby', { input: 'bundler-cache', byDefault: false }],
  ['astral-sh/setup-uv', { input: 'enable-cache', byDefault: false }],
  ['pyo3/maturin-action', { input: 'sccache', byDefault: false }],
  ['swatinem/rust-cache', { input: '', byDefault: true }],
  ['actions/cache', { input: '', byDefault: true }],
  ['actions/cache/restore', { input: '', byDefault: true }],
  ['mozilla-actions/sccache-action', { input: '', byDefault: true }],
  // Build layers from the GitHub cache (`cache-from: type=gha`).
  ['docker/build-push-action', { input: '', byDefault: true }],
]);

/**
 * Whether the action caches when its input is not written. actions/setup-go turned caching on by
 * default in v4; v1–v3 cache only with `cache: true`. A ref that names no version (a commit, a
 * branch) is taken as the current behaviour.
 */
function cachesByDefault(action: string, written: string, byDefault: boolean): boolean {
  if (action !== 'actions/setup-go') return byDefault;
  const major = /@v?(\d+)(?:\.|$)/.exec(written.trim())?.[1];
  return major === undefined ? byDefault : Number(major) >= 4;
}

/** Steps that publish what the job built. */
const PUBLISHERS = new Set(['softprops/action-gh-release', 'pypa/gh-action-pypi-publish', 'ncipollo/release-action', 'goreleaser/goreleaser-action', 'docker/build-push-action', 'actions/create-release', 'svenstaro/upload-release-action', 'rubygems/release-gem', 'katyo/publish-crates']);

/**
 * Why the whole workflow publishes, from its triggers: it runs only on releases, pushed tags, release
 * branches (and manual runs). A workflow that also runs for pull requests or other branches is a CI
 * workflow: there only its publishing jobs count.
 */
function releaseTrigger(yaml: Document, root: Node): string | null {
  const events = workflowTriggers(yaml, root);
  const push = valueOf(yaml, onNode(yaml, root), 'push');
  const tags = isMap(push) && (itemsOf(yaml, valueOf(yaml, push, 'tags')).length > 0 || stringOf(valueOf(yaml, push, 'tags')) !== null);
  const branches = isMap(push) ? itemsOf(yaml, valueOf(yaml, push, 'branches')).map((item) => stringOf(item) ?? '') : [];
  const releaseBranches = branches.length > 0 && branches.every((branch) => /release/i.test(branch));
  const others = [...events].filter((event) => !['release', 'push', 'workflow_dispatch'].includes(event));
  if (others.length > 0 || (events.has('push') && !(tags && branches.length === 0) && !releaseBranches)) return null;
  if (events.has('release')) return 'runs on `release` events';
  if (tags) return 'runs on pushed tags';
  if (releaseBranches) return 'runs on release branches';
  return null;
}

/** A job that publishes: a publishing action, or a condition on a tag ref. */
function jobPublishes(yaml: Document, job: Node, steps: Node[]): boolean {
  if (/refs\/tags|ref_type\s*==\s*'tag'/.test(stringOf(valueOf(yaml, job, 'if')) ?? '')) return true;
  return steps.some((step) => {
    const uses = usesOf(yaml, step) ?? '';
    if (!PUBLISHERS.has(uses)) return false;
    return uses !== 'docker/build-push-action' || stringOf(valueOf(yaml, valueOf(yaml, step, 'with'), 'push'))?.trim() === 'true';
  });
}

export const cachePoisoning: PipelineRule = {
  meta: {
    id: 'pipeline-cache-poisoning',
    title: 'A workflow that publishes restores the shared GitHub Actions cache',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.2', 'zizmor cache-poisoning'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['cache-poisoning'],
    securitySeverity: 6.0,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    if (model.kind !== 'github-workflow') return;
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      const trigger = releaseTrigger(yaml, root);
      for (const { job } of githubJobs(yaml, root)) {
        const steps = itemsOf(yaml, valueOf(yaml, job, 'steps')).filter((step): step is Node => isMap(step));
        const why = trigger ?? (jobPublishes(yaml, job, steps) ? 'publishes a release' : null);
        if (!why) continue;
        for (const step of steps) {
          const uses = usesOf(yaml, step);
          const cache = uses ? CACHE_INPUTS.get(uses) : undefined;
          if (!uses || !cache) continue;
          const inputs = pairsOf(yaml, valueOf(yaml, step, 'with'));
          const input = (name: string) => stringOf(inputs.find((entry) => entry.key.toLowerCase() === name)?.value ?? null)?.trim().toLowerCase();
          // `lookup-only: true` checks for an entry without restoring it.
          if (input('lookup-only') === 'true') continue;
          const enabled = (name: string, byDefault: boolean) => {
            const value = input(name);
            return value === undefined ? byDefault : value !== '' && value !== 'false' && !hasRunTimeValue(value);
          };
          if (cache.input && !enabled(cache.input, cachesByDefault(uses, stringOf(valueOf(yaml, step, 'uses')) ?? '', cache.byDefault)) && !(uses === 'actions/setup-node' && input('package-manager-cache') === 'true')) continue;
          if (uses === 'docker/build-push-action' && !/type=gha/.test(input('cache-from') ?? '')) continue;
          const range = valueRangeOf(model.document, valueOf(yaml, step, 'uses'));
          if (range) report({ range, message: `This workflow ${why} and \`${uses}\` restores the shared cache, which other runs can poison; disable caching in release jobs.` });
        }
      }
    }
  },
};

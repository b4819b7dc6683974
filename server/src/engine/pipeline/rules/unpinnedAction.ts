import type { PipelineRule } from '../../rules/rule';
import type { PipelineDocument } from '../document';
import { isScalar, stringOf, valueOf, type Node } from '../yamlDocument';
import { githubJobs, githubStepMaps, hasRunTimeValue, rootMaps, valueRangeOf, reportOnce } from './pipelineNodes';

// A tag or branch (`@v4`, `@main`) is moved by whoever controls the action's repository; only a full
// commit SHA names immutable code (GitHub's own security hardening guide). Local actions live in the
// same commit; a `docker://` image by digest is immutable too.
const FULL_SHA = /^[0-9a-f]{40}$/i;
const DOCKER_DIGEST = /@sha256:[0-9a-f]{64}$/i;

/** Why a `uses:` value is not pinned, or null when it is (or is out of scope). */
export function unpinnedReason(uses: string): UnpinnedReason | null {
  const value = uses.trim();
  // `$/path` is the self-repository syntax (zizmor's self-repository audit): this repository, same commit.
  if (value === '' || value.startsWith('./') || value.startsWith('$/') || hasRunTimeValue(value)) return null;
  if (/^docker:\/\//i.test(value)) return DOCKER_DIGEST.test(value) ? null : 'image';
  const at = value.lastIndexOf('@');
  if (at < 0) return 'no-ref';
  return FULL_SHA.test(value.slice(at + 1)) ? null : 'ref';
}

export type UnpinnedReason = 'image' | 'no-ref' | 'ref';

/**
 * The `uses:` scalars (jobs' reusable workflows and steps) this rule reports, with why. The "pin to
 * commit" and "pin to digest" fixes (pinTargets.ts) start from the same list.
 */
export function unpinnedUses(model: PipelineDocument): Array<{ node: Node; text: string; reason: UnpinnedReason }> {
  const found: Array<{ node: Node; text: string; reason: UnpinnedReason }> = [];
  if (model.kind !== 'github-workflow' && model.kind !== 'github-action') return found;
  for (const { yaml, root } of rootMaps(model.parsed.documents)) {
    const usesNodes: Node[] = [];
    for (const { job } of githubJobs(yaml, root)) {
      const uses = valueOf(yaml, job, 'uses');
      if (uses) usesNodes.push(uses);
    }
    for (const step of githubStepMaps(yaml, root)) {
      const uses = valueOf(yaml, step, 'uses');
      if (uses) usesNodes.push(uses);
    }
    for (const node of usesNodes) {
      const text = isScalar(node) ? stringOf(node) : null;
      if (text === null) continue;
      const reason = unpinnedReason(text);
      if (reason) found.push({ node, text, reason });
    }
  }
  return found;
}

export const unpinnedAction: PipelineRule = {
  meta: {
    id: 'pipeline-unpinned-action',
    title: 'A GitHub action or reusable workflow is not pinned to a commit SHA',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.2', 'OpenSSF Scorecard Pinned-Dependencies', 'zizmor unpinned-uses'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['unpinned-uses'],
    securitySeverity: 6.5,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    for (const { node, text, reason } of unpinnedUses(model)) {
      const range = valueRangeOf(model.document, node);
      if (!range) continue;
      const name = text.trim();
      const message =
        reason === 'image'
          ? `\`${name}\` runs a container image by tag; pin it by digest (\`docker://image@sha256:…\`).`
          : reason === 'no-ref'
            ? `\`${name}\` names no version; pin it to a full commit SHA (\`@<40-hex SHA> # vX.Y.Z\`).`
            : `\`${name}\` is pinned to a tag or branch that can be moved; pin it to the full commit SHA (\`@<40-hex SHA> # ${name.slice(name.lastIndexOf('@') + 1)}\`).`;
      report({ range, message });
    }
  },
};

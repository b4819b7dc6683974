import type { PipelineRule } from '../../rules/rule';
import { isScalar, stringOf, valueOf } from '../yamlDocument';
import { githubSteps, rangeInMapped, rangeOf, rootMaps, usesOf, workflowTriggers } from './pipelineNodes';

// `pull_request_target`, `workflow_run` and `issue_comment` run with the base repository's secrets and
// a write token; checking out the pull request's head there runs the attacker's code with them.
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'];

/** A `ref:`/`repository:` value that names the untrusted head (an expression, or a `refs/pull/…` ref). */
const UNTRUSTED_REF = new RegExp(
  [
    String.raw`github\.event\.pull_request\.head\.(?:sha|ref|label|repo\.full_name)`,
    String.raw`github\.head_ref`,
    String.raw`github\.event\.workflow_run\.head_(?:sha|branch|commit\.id|repository\.full_name)`,
    String.raw`refs/pull/`,
    String.raw`^\s*pull/`,
  ].join('|'),
  'i',
);

/** `gh pr checkout …`, `git fetch <remote> pull/…` / `refs/pull/…`, `git checkout … pull/…`. */
const UNTRUSTED_COMMAND = /\bgh\s+pr\s+checkout\b[^\n;&|]*|\bgit\s+(?:fetch|pull|checkout)\b[^\n;&|]*?(?:\s|:|\+)(?:refs\/)?pull\/[^\s;&|]*[^\n;&|]*/g;

export const untrustedCheckout: PipelineRule = {
  meta: {
    id: 'pipeline-untrusted-checkout',
    title: 'A privileged workflow checks out untrusted pull request code',
    fileKind: 'pipeline',
    defaultSeverity: 'error',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.2', 'OpenSSF Scorecard Dangerous-Workflow', 'zizmor dangerous-triggers'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['dangerous-triggers'],
    securitySeverity: 9.0,
  },
  check(model, report) {
    if (model.kind !== 'github-workflow') return;
    let scriptsSeen = false;
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      const triggers = workflowTriggers(yaml, root);
      const trigger = PRIVILEGED_TRIGGERS.find((name) => triggers.has(name));
      if (!trigger) continue;
      for (const { step } of githubSteps(yaml, root)) {
        const uses = usesOf(yaml, step);
        if (uses !== 'actions/checkout') continue;
        const withNode = valueOf(yaml, step, 'with');
        for (const input of ['ref', 'repository']) {
          const value = valueOf(yaml, withNode, input);
          const text = stringOf(value);
          if (!isScalar(value) || text === null || !UNTRUSTED_REF.test(text)) continue;
          const range = rangeOf(model.document, value);
          if (range) report({ range, message: `This \`${trigger}\` workflow checks out the pull request's code; check out the base branch, or move the build to a \`pull_request\` workflow without secrets.` });
        }
      }
      // Scripts that fetch the pull request themselves (the model holds every document's scripts).
      if (scriptsSeen) continue;
      scriptsSeen = true;
      for (const script of model.model?.scripts ?? []) {
        if (script.kind !== 'github-workflow') continue;
        const text = script.script.text;
        for (const match of text.matchAll(UNTRUSTED_COMMAND)) {
          const command = match[0].trimEnd();
          const range = rangeInMapped(model.document, script.script, match.index!, match.index! + command.length);
          report({ range, message: `This \`${trigger}\` workflow fetches the pull request's code in a script; build untrusted code in a \`pull_request\` workflow without secrets instead.` });
        }
      }
    }
  },
};

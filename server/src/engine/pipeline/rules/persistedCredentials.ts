import type { PipelineRule } from '../../rules/rule';
import type { TextDocument } from '../../text';
import { lineBreakOf } from '../../text';
import type { Fix, Range } from '../../types';
import { isAlias, isMap, isScalar, pairOf, pairsOf, spanOf, stringOf, valueOf, type Document, type Node, type YAMLMap } from '../yamlDocument';
import type { PipelineDocument } from '../document';
import type { PipelineJob } from '../model';
import { stepScriptsOf } from '../scriptHosts';
import type { ShellCommand } from '../../shell/types';
import { everyMap, githubStepMaps, hasRunTimeValue, jobAt, rangeOf, rootMaps, reportOnce } from './pipelineNodes';

// actions/checkout writes the job's token into the repository's git config (from v6: a file under
// $RUNNER_TEMP that the config includes) and leaves it there for every later step; an artifact that
// uploads the checkout, or any later step's code, can read it (zizmor artipacked). Azure's
// `checkout: self` with `persistCredentials: true` does the same with the pipeline's OAuth token.
const TITLE = 'Set `persist-credentials: false` (later `git push` in this job stops working)';

function insertAt(document: TextDocument, offset: number, newText: string): Fix['edits'][number] {
  const position = document.positionAt(offset);
  return { range: { start: position, end: position }, newText };
}

/** The quick fix for a GitHub checkout step in block style, or null when its shape is not one we edit. */
function githubFix(document: TextDocument, yaml: Document, step: YAMLMap, usesKey: Node, withValue: Node | null | undefined, hasWith: boolean): Fix | null {
  if (step.flow) return null;
  const text = document.getText();
  const eol = lineBreakOf(text);
  if (hasWith) {
    if (!isMap(withValue) || withValue.flow || withValue.items.length === 0) return null;
    const firstKey = withValue.items[0]!.key;
    const keySpan = spanOf(firstKey);
    if (!keySpan) return null;
    const position = document.positionAt(keySpan[0]);
    const lineStart = keySpan[0] - position.character;
    const indent = text.slice(lineStart, keySpan[0]);
    if (!/^[ ]*$/.test(indent)) return null;
    return { title: TITLE, edits: [insertAt(document, lineStart, `${indent}persist-credentials: false${eol}`)], safeForFixAll: false };
  }
  const keySpan = spanOf(usesKey);
  const usesValue = valueOf(yaml, step, 'uses');
  const valueSpan = spanOf(usesValue);
  if (!keySpan || !valueSpan) return null;
  const column = document.positionAt(keySpan[0]).character;
  let lineEnd = text.indexOf('\n', valueSpan[1]);
  if (lineEnd < 0) lineEnd = text.length;
  else if (text[lineEnd - 1] === '\r') lineEnd -= 1;
  // The `uses:` value must end its line (a comment may follow), not continue on the next.
  if (document.positionAt(lineEnd).line !== document.positionAt(valueSpan[0]).line) return null;
  const indent = ' '.repeat(column);
  return { title: TITLE, edits: [insertAt(document, lineEnd, `${eol}${indent}with:${eol}${indent}  persist-credentials: false`)], safeForFixAll: false };
}

/** git's options before the subcommand that take the next word as their value (`git -C dir push`). */
const GIT_VALUE_OPTIONS = new Set(['-c', '-C', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix']);

/** The subcommand of a `git` command (`push` in `git -c user.name=x -C repo push origin`), or null. */
function gitSubcommand(command: ShellCommand): string | null {
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!.value;
    if (GIT_VALUE_OPTIONS.has(word)) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return word.toLowerCase();
  }
  return null;
}

/**
 * The first line (0-based) after `range` where a script step of the same job runs `git push`: the job needs
 * the persisted token for it, so setting it to false alone would break the job.
 */
function laterPushLine(pipeline: PipelineDocument, range: Range): number | null {
  if (!pipeline.model) return null;
  // No job around the checkout: a pipeline's root `steps:`, a steps template or a composite action, whose
  // steps all run in one job (the scripts outside any job).
  const job: PipelineJob | null = jobAt(pipeline.model, range);
  for (const step of stepScriptsOf(pipeline)) {
    if (step.script.job !== job) continue;
    for (const command of step.commands) {
      if (command.name !== 'git' || gitSubcommand(command.command) !== 'push') continue;
      const line = command.rangeOf().start.line;
      if (line > range.end.line) return line;
    }
  }
  return null;
}

function replaceFix(range: Range, title: string): Fix {
  return { title, edits: [{ range, newText: 'false' }], safeForFixAll: false };
}

export const persistedCredentials: PipelineRule = {
  meta: {
    id: 'pipeline-persisted-credentials',
    title: "A checkout step leaves the pipeline's token in the repository for later steps",
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [522],
    references: ['NIST SP 800-190 §4.1.4', 'zizmor artipacked'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['artipacked'],
    securitySeverity: 5.5,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    const document = model.document;
    if (model.kind === 'github-workflow' || model.kind === 'github-action') {
      for (const { yaml, root } of rootMaps(model.parsed.documents)) {
        for (const step of githubStepMaps(yaml, root)) {
          if (!isMap(step)) continue;
          const usesPair = pairOf(step, 'uses');
          const uses = stringOf(valueOf(yaml, step, 'uses'))?.trim().toLowerCase() ?? '';
          if (!usesPair || !/^actions\/checkout(@|$)/.test(uses)) continue;
          const withPair = pairOf(step, 'with');
          const withValue = valueOf(yaml, step, 'with');
          const persist = isMap(withValue) ? pairOf(withValue, 'persist-credentials') : null;
          if (persist) {
            const value = valueOf(yaml, withValue, 'persist-credentials');
            const text = isScalar(value) ? (stringOf(value)?.trim().toLowerCase() ?? '') : '';
            if (text === 'false' || hasRunTimeValue(text) || !isScalar(value)) continue;
            const range = rangeOf(document, value);
            // Written out as true, it is usually deliberate (a later step pushes): info, as zizmor keeps it for its auditor persona.
            const severity = text === 'true' ? ('info' as const) : undefined;
            if (range) report({ range, message: '`persist-credentials` keeps the job\'s token in the checkout for later steps; set it to `false` unless a later step pushes.', fixes: [replaceFix(range, TITLE)], ...(severity ? { severity } : {}) });
            continue;
          }
          const range = rangeOf(document, valueOf(yaml, step, 'uses'));
          if (!range) continue;
          // `with: *opts` names a mapping written (and fixed) elsewhere: no fix here.
          const fix = withPair && isAlias(withPair.value) ? null : githubFix(document, yaml, step, usesPair.key as Node, withValue, !!withPair);
          const push = laterPushLine(model, range);
          if (push !== null) {
            // The job pushes with the token: persisting it is deliberate, and `false` alone would break the push.
            report({
              range,
              message: `actions/checkout leaves the job's token for every later step, not only the \`git push\` on line ${push + 1}; give that push the token itself and set \`persist-credentials: false\`.`,
              severity: 'info',
              fixes: fix ? [fix] : [],
            });
            continue;
          }
          report({
            range,
            message: "actions/checkout leaves the job's token in the checkout for later steps; add `with: persist-credentials: false` unless a later step pushes.",
            fixes: fix ? [fix] : [],
          });
        }
      }
    } else if (model.kind === 'azure-pipelines') {
      for (const { yaml } of rootMaps(model.parsed.documents)) {
        for (const map of everyMap(yaml)) {
          const entries = pairsOf(yaml, map);
          const checkout = entries.find((entry) => entry.key === 'checkout');
          const persist = entries.find((entry) => entry.key === 'persistCredentials');
          if (!checkout || !persist || stringOf(checkout.value)?.trim().toLowerCase() === 'none') continue;
          if (stringOf(persist.value)?.trim().toLowerCase() !== 'true') continue;
          const range = rangeOf(document, persist.value);
          if (!range) continue;
          const fixes = [replaceFix(range, 'Set `persistCredentials: false` (later `git push` in this job stops working)')];
          const push = laterPushLine(model, range);
          if (push !== null) {
            report({
              range,
              message: `\`persistCredentials: true\` leaves the OAuth token in .git/config for every later step, not only the \`git push\` on line ${push + 1}; give that push the token itself.`,
              severity: 'info',
              fixes,
            });
            continue;
          }
          report({
            range,
            message: '`persistCredentials: true` leaves the OAuth token in .git/config for every later step; remove it unless a later step pushes.',
            fixes,
          });
        }
      }
    }
  },
};

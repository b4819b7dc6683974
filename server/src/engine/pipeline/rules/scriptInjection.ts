import type { PipelineRule, Report } from '../../rules/rule';
import type { PipelineScript } from '../model';
import type { PipelineDocument } from '../document';
import { pipelineScriptHost } from '../scriptHosts';
import type { QuoteContext } from '../../shell/scriptHost';
import type { MappedText } from '../../shell/runScript';
import type { TextDocument } from '../../text';
import type { Fix, TextEdit } from '../../types';
import { isMap, isScalar, pairOf, pairsOf, scalarText, spanOf, stringOf, valueOf, type Document, type Node } from '../yamlDocument';
import { expressionsOf, githubSteps, onNode, rangeInMapped, rangeOfSpan, rootMaps, usesOf } from './pipelineNodes';

/** Contexts an outsider writes (zizmor template-injection, GitHub's "Understanding the risk of script injections"). */
const ATTACKER_CONTROLLED = new RegExp(
  String.raw`\b(?:` +
    [
      String.raw`github\.event\.(?:issue|pull_request|discussion)\.(?:title|body)`,
      String.raw`github\.event\.pull_request\.head\.(?:ref|label|repo\.default_branch)`,
      String.raw`github\.event\.(?:comment|review|review_comment)\.body`,
      String.raw`github\.event\.pages(?:\.\*|\[[^\]]*\])\.page_name`,
      String.raw`github\.event\.commits(?:\.\*|\[[^\]]*\])\.(?:message|author\.(?:email|name))`,
      String.raw`github\.event\.head_commit\.(?:message|author\.(?:email|name))`,
      String.raw`github\.head_ref`,
      String.raw`github\.event\.workflow_run\.(?:head_branch|display_title|head_commit\.(?:message|author\.(?:email|name))|pull_requests(?:\.\*|\[[^\]]*\])\.head\.ref)`,
    ].join('|') +
    String.raw`)\b`,
  'i',
);
/** An expression whose result is a boolean (`contains(github.event.comment.body, '/ok')`) is no text. */
const BOOLEAN_EXPRESSION = /^\s*!?\s*(?:contains|startsWith|endsWith)\s*\(|==|!=/i;

/** Azure macros an outsider controls (the PR's branch, title, commit message). */
/**
 * Who writes the text an Azure macro holds, for the message: a pull request's branch, title or description
 * comes from its author; a build's branch name (`refs/pull/N/merge` for a PR build, so `merge`) and commit
 * message from whoever pushed the branch, tag or commit.
 */
function azureMacroAuthor(variable: string): string {
  if (/^System\.PullRequest\./i.test(variable)) return "text a pull request's author controls";
  if (/^Build\.SourceVersionMessage$/i.test(variable)) return 'a commit message, written by whoever pushed the commit';
  return 'a branch or tag name, chosen by whoever pushes it';
}

const AZURE_MACRO = /\$\((System\.PullRequest\.(?!PullRequestId\b|PullRequestNumber\b|IsFork\b|IsDraft\b|TargetBranch\b|TargetBranchName\b)[A-Za-z.]+|Build\.SourceBranchName|Build\.SourceBranch|Build\.SourceVersionMessage)\)/gi;

/** Actions whose input is a script they run (zizmor's and CodeQL's code sinks). */
const CODE_INPUTS = new Map([
  ['actions/github-script', 'script'],
  ['amadevus/pwsh-script', 'script'],
  ['mikefarah/yq', 'cmd'],
]);

interface Expression {
  start: number;
  end: number;
  text: string;
  inner: string;
}

function dangerousExpressions(text: string, stringInputs: ReadonlySet<string>): Expression[] {
  return expressionsOf(text)
    .filter(({ inner }) => {
      if (BOOLEAN_EXPRESSION.test(inner)) return false;
      if (ATTACKER_CONTROLLED.test(inner)) return true;
      for (const match of inner.matchAll(/\b(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)/gi)) if (stringInputs.has(match[1]!.toLowerCase())) return true;
      return false;
    })
    .map((found) => ({ ...found, text: text.slice(found.start, found.end) }));
}

/**
 * The names of `workflow_dispatch` inputs of type string (the default type). `workflow_call` inputs are
 * left out: the calling workflow of the same repository chooses them (135 corpus warnings, none of them
 * text an outsider writes); a value the caller passes on is not followed.
 */
function dispatchStringInputs(yaml: Document, root: Node): Set<string> {
  const names = new Set<string>();
  for (const event of ['workflow_dispatch']) {
    for (const { key, value } of pairsOf(yaml, valueOf(yaml, valueOf(yaml, onNode(yaml, root), event), 'inputs'))) {
      const type = (stringOf(valueOf(yaml, value, 'type')) ?? 'string').trim().toLowerCase();
      if (type === 'string') names.add(key.toLowerCase());
    }
  }
  return names;
}

/** `github.event.pull_request.title` → `PR_TITLE`; the last two path words otherwise. */
function variableNameOf(inner: string): string {
  const path = (/[A-Za-z_][\w.*-]*(?:\[[^\]]*\][\w.*-]*)*/.exec(inner.replace(/^\s*\w+\(\s*/, ''))?.[0] ?? 'VALUE').replace(/\[[^\]]*\]|\*/g, '');
  const words = path.split('.').filter((word) => word && word !== 'github' && word !== 'event');
  const short = words.slice(-2).map((word) => (word === 'pull_request' ? 'PR' : word));
  const name = short.join('_').replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `V_${name}`;
}

/**
 * The text that reads variable `name` where the expression stood, and the document span it replaces (the
 * expression, or the quotes around it too); null when no replacement keeps the script's meaning. The quote
 * open at that place (the script host's own reading of the step's shell) decides: PowerShell and POSIX shells
 * expand nothing inside single quotes, so `'${{ x }}'` becomes the bare variable (quotes dropped), and a
 * POSIX `'a ${{ x }} b'` closes and reopens them around it; a PowerShell single-quoted string with other text
 * around the expression has no such spelling (adjacent strings do not join there): no fix.
 */
function referenceOf(script: PipelineScript, name: string, quote: QuoteContext, text: string, from: number, to: number): { newText: string; span: [number, number] } | null {
  const wholeSingleQuoted = text[from - 1] === "'" && text[to] === "'";
  if (script.shell === 'cmd') return { newText: `%${name}%`, span: [from, to] };
  if (script.shell === 'powershell') {
    if (quote !== 'single') return { newText: `\${env:${name}}`, span: [from, to] };
    return wholeSingleQuoted ? { newText: `\${env:${name}}`, span: [from - 1, to + 1] } : null;
  }
  if (quote === 'double') return { newText: `\${${name}}`, span: [from, to] };
  if (quote === 'single') return wholeSingleQuoted ? { newText: `"$${name}"`, span: [from - 1, to + 1] } : { newText: `'"$${name}"'`, span: [from, to] };
  return { newText: `"$${name}"`, span: [from, to] };
}

/** Moves the expression to the step's `env:` and the script reads the variable; null when the text is not plain. */
function envFix(pipeline: PipelineDocument, yaml: Document, step: Node, script: PipelineScript, expression: Expression): Fix | null {
  const document = pipeline.document;
  const mapped = script.script;
  if (mapped.opaqueSpan) return null;
  const occurrences = expressionsOf(mapped.text).filter((found) => mapped.text.slice(found.start, found.end) === expression.text);
  // Every occurrence must be written as-is in the document (no escapes or folding inside).
  const text = document.getText();
  const stepSpan = spanOf(step);
  for (const found of occurrences) {
    const from = mapped.offsets[found.start]!;
    if (text.slice(from, from + expression.text.length) !== expression.text) return null;
    // A script written elsewhere and aliased here (`run: *cmd`): editing the anchor changes other uses.
    if (!stepSpan || from < stepSpan[0] || from >= stepSpan[1]) return null;
  }
  const env = valueOf(yaml, step, 'env');
  let name = variableNameOf(expression.inner);
  const existing = new Map(pairsOf(yaml, env).map(({ key, value }) => [key, stringOf(value)]));
  for (let i = 2; existing.has(name) && existing.get(name)?.trim() !== expression.text; i++) name = `${variableNameOf(expression.inner)}_${i}`;
  const edits: TextEdit[] = [];
  if (!existing.has(name)) {
    const entry = `${name}: ${expression.text}`;
    if (env === null || env === undefined || (isScalar(env) && env.value === null)) {
      const runKey = pairOf(step as never, 'run')?.key;
      const keySpan = spanOf(runKey);
      if (!keySpan || env !== null && env !== undefined) return null;
      const column = document.positionAt(keySpan[0]).character;
      const indent = ' '.repeat(column);
      edits.push({ range: rangeOfSpan(document, [keySpan[0], keySpan[0]]), newText: `env:\n${indent}  ${entry}\n${indent}` });
    } else if (isMap(env) && !(env as { flow?: boolean }).flow) {
      const first = pairsOf(yaml, env)[0]?.keyNode;
      const keySpan = spanOf(first);
      if (!keySpan) return null;
      const indent = ' '.repeat(document.positionAt(keySpan[0]).character);
      edits.push({ range: rangeOfSpan(document, [keySpan[0], keySpan[0]]), newText: `${entry}\n${indent}` });
    } else return null;
  }
  const host = pipelineScriptHost(pipeline);
  const hosted = host?.scripts.find((candidate) => candidate.script === script);
  if (!host || !hosted) return null;
  for (const found of occurrences) {
    const from = mapped.offsets[found.start]!;
    const to = from + expression.text.length;
    const reference = referenceOf(script, name, host.quoteContextAt(hosted, from), text, from, to);
    if (!reference) return null;
    edits.push({ range: rangeOfSpan(document, reference.span), newText: reference.newText });
  }
  return { title: `Pass the value through env: ${name}`, edits, safeForFixAll: false };
}

function reportExpressions(report: Report, document: TextDocument, mapped: MappedText, expressions: Expression[], where: string, fixOf?: (expression: Expression) => Fix | null): void {
  for (const expression of expressions) {
    const fix = fixOf?.(expression) ?? null;
    // Workflow inputs come from someone with write access or a calling workflow: a warning, not an error.
    const inputOnly = !ATTACKER_CONTROLLED.test(expression.inner);
    report({
      ...(inputOnly ? { severity: 'warning' as const } : {}),
      range: rangeInMapped(document, mapped, expression.start, expression.end),
      message: `\`${expression.text}\` is ${inputOnly ? 'text whoever runs the workflow types in' : 'attacker-controlled text'} expanded into ${where}; pass it through \`env:\` and read the variable instead.`,
      ...(fix ? { fixes: [fix] } : {}),
    });
  }
}

export const scriptInjection: PipelineRule = {
  meta: {
    id: 'pipeline-script-injection',
    title: 'Attacker-controlled text is expanded into a pipeline script',
    fileKind: 'pipeline',
    defaultSeverity: 'error',
    cwe: [94],
    references: ['NIST SP 800-190 §4.1.2', 'OpenSSF Scorecard Dangerous-Workflow', 'zizmor template-injection'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['template-injection'],
    securitySeverity: 8.8,
  },
  check(model, reportOnce) {
    // A step reached twice through a YAML alias is one finding.
    const seen = new Set<string>();
    const report: Report = (finding) => {
      const key = `${finding.range.start.line}:${finding.range.start.character}:${finding.range.end.line}:${finding.range.end.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      reportOnce(finding);
    };
    const pipeline = model.model;
    if (!pipeline) return;
    const document = model.document;
    if (model.kind === 'azure-pipelines') {
      for (const script of pipeline.scripts) {
        for (const match of script.script.text.matchAll(AZURE_MACRO)) {
          report({
            range: rangeInMapped(document, script.script, match.index!, match.index! + match[0].length),
            message: `\`${match[0]}\` is ${azureMacroAuthor(match[1]!)}, expanded into the script before it runs; map it to an environment variable (\`env:\`) and read that instead.`,
            severity: 'warning',
          });
        }
      }
      return;
    }
    if (model.kind !== 'github-workflow' && model.kind !== 'github-action') return;
    const roots = rootMaps(model.parsed.documents);
    const steps = new Map<number, { yaml: Document; step: Node }>();
    let stringInputs = new Set<string>();
    for (const { yaml, root } of roots) {
      if (model.kind === 'github-workflow') stringInputs = new Set([...stringInputs, ...dispatchStringInputs(yaml, root)]);
      for (const { step } of githubSteps(yaml, root)) {
        const span = spanOf(step);
        if (span) steps.set(span[0], { yaml, step });
        // Action inputs that are code: the expression is pasted into a script the action runs.
        const uses = usesOf(yaml, step);
        const input = uses ? CODE_INPUTS.get(uses) : undefined;
        if (!input) continue;
        const scriptNode = valueOf(yaml, valueOf(yaml, step, 'with'), input);
        const mapped = isScalar(scriptNode) ? scalarText(document, scriptNode) : null;
        if (mapped) reportExpressions(report, document, mapped, dangerousExpressions(mapped.text, stringInputs), `\`${uses}\`'s \`${input}\` input`);
      }
    }
    for (const script of [...pipeline.scripts, ...pipeline.otherScripts]) {
      const expressions = dangerousExpressions(script.script.text, stringInputs);
      if (expressions.length === 0) continue;
      const found = script.shell ? steps.get(document.offsetAt(script.stepRange.start)) : undefined;
      const shellScript = script as PipelineScript;
      reportExpressions(report, document, script.script, expressions, 'a `run:` script', found ? (expression) => envFix(model, found.yaml, found.step, shellScript, expression) : undefined);
    }
  },
};

// Helpers of the pipeline rules: document roots, ranges of YAML nodes and of spans of mapped script text,
// a workflow's triggers, GitHub jobs and steps, `${{ … }}` expressions, every mapping of a document (a
// stack, no recursion), and whether a value is only chosen at run time (expressions, variables).
import type { TextDocument } from '../../text';
import type { Range } from '../../types';
import type { MappedText } from '../../shell/runScript';
import type { Report } from '../rule';
import { forEachNode, isMap, isScalar, itemsOf, mappedSpan, pairsOf, resolveNode, spanOf, stringOf, valueOf, type Document, type Node } from '../../pipeline/yamlDocument';

export function rangeOfSpan(document: TextDocument, span: [number, number]): Range {
  return { start: document.positionAt(span[0]), end: document.positionAt(span[1]) };
}

export function rangeOf(document: TextDocument, node: unknown): Range | null {
  const span = spanOf(node);
  return span ? rangeOfSpan(document, span) : null;
}

/** The document range of characters `[start, end)` of a mapped text. */
export function rangeInMapped(document: TextDocument, mapped: MappedText, start: number, end: number): Range {
  return rangeOfSpan(document, mappedSpan(mapped, start, end));
}

/** The range of a scalar's value: inside its quotes when it is quoted (and closed), else the node's. */
export function valueRangeOf(document: TextDocument, node: unknown): Range | null {
  const span = spanOf(node);
  if (!span) return null;
  const type = isScalar(node) ? node.type : undefined;
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
    const text = document.getText();
    const quote = type === 'QUOTE_DOUBLE' ? '"' : "'";
    if (span[1] - span[0] >= 2 && text[span[0]] === quote && text[span[1] - 1] === quote) return { start: document.positionAt(span[0] + 1), end: document.positionAt(span[1] - 1) };
  }
  return { start: document.positionAt(span[0]), end: document.positionAt(span[1]) };
}

/** The root mappings of every document of a parsed file. */
export function rootMaps(documents: readonly Document[]): Array<{ yaml: Document; root: Node }> {
  const roots: Array<{ yaml: Document; root: Node }> = [];
  for (const yaml of documents) {
    const root = resolveNode(yaml, yaml.contents);
    if (isMap(root)) roots.push({ yaml, root });
  }
  return roots;
}

/** A workflow's jobs (`jobs.<id>` mappings) with their ids and key nodes. */
export function githubJobs(yaml: Document, root: unknown): Array<{ name: string; keyNode: Node | null; job: Node }> {
  const jobs: Array<{ name: string; keyNode: Node | null; job: Node }> = [];
  for (const { key, keyNode, value } of pairsOf(yaml, valueOf(yaml, root, 'jobs'))) if (value && isMap(value)) jobs.push({ name: key, keyNode, job: value });
  return jobs;
}

export interface GithubStep {
  job: Node | null;
  jobName: string;
  step: Node;
}

/** Every step mapping of a workflow's jobs, or of a composite action's `runs.steps`, with its job. */
export function githubSteps(yaml: Document, root: unknown): GithubStep[] {
  const steps: GithubStep[] = [];
  for (const { name, job } of githubJobs(yaml, root)) for (const step of itemsOf(yaml, valueOf(yaml, job, 'steps'))) if (step && isMap(step)) steps.push({ job, jobName: name, step });
  for (const step of itemsOf(yaml, valueOf(yaml, valueOf(yaml, root, 'runs'), 'steps'))) if (step && isMap(step)) steps.push({ job: null, jobName: '', step });
  return steps;
}

/** Every step mapping of a workflow's jobs and of a composite action's `runs.steps`. */
export function githubStepMaps(yaml: Document, root: unknown): Node[] {
  return githubSteps(yaml, root).map(({ step }) => step);
}

/** The events of a workflow's `on:` (a name, a list of names, or a mapping), lower-cased. */
export function workflowTriggers(yaml: Document, root: unknown): Set<string> {
  const on = onNode(yaml, root);
  const events = new Set<string>();
  const single = stringOf(on);
  if (single !== null) events.add(single.trim().toLowerCase());
  for (const item of itemsOf(yaml, on)) {
    const name = stringOf(item);
    if (name !== null) events.add(name.trim().toLowerCase());
  }
  for (const { key } of pairsOf(yaml, on)) events.add(key.trim().toLowerCase());
  return events;
}

/** The `on:` node (the YAML 1.1 `on` key may have been read as `true` by some writers). */
export function onNode(yaml: Document, root: unknown): Node | null {
  return valueOf(yaml, root, 'on') ?? valueOf(yaml, root, 'true') ?? null;
}

/** The `uses:` of a step without its version, lower-cased (`actions/checkout`), or null. */
export function usesOf(yaml: Document, step: unknown): string | null {
  const uses = stringOf(valueOf(yaml, step, 'uses'));
  if (uses === null) return null;
  return uses.trim().split('@')[0]!.toLowerCase();
}

/** The `${{ … }}` expressions of a text: offsets of `${{` and just past `}}`, and the expression inside. */
export function expressionsOf(text: string): Array<{ start: number; end: number; inner: string }> {
  const found: Array<{ start: number; end: number; inner: string }> = [];
  let from = 0;
  while (from < text.length) {
    const start = text.indexOf('${{', from);
    if (start < 0) break;
    const close = text.indexOf('}}', start + 3);
    if (close < 0) break;
    found.push({ start, end: close + 2, inner: text.slice(start + 3, close).trim() });
    from = close + 2;
  }
  return found;
}

/** Every mapping of a document, in source order (aliases not followed: each mapping once). */
export function everyMap(yaml: Document): Node[] {
  const maps: Node[] = [];
  forEachNode(yaml, (node) => {
    if (isMap(node)) maps.push(node);
  });
  return maps;
}

/**
 * True when the value holds a run-time choice: a GitHub/Azure template expression (`${{ … }}`), an
 * Azure macro (`$(name)`), Azure runtime expression (`$[ … ]`) or a shell-style variable (`$NAME`,
 * `${NAME}`) as GitLab expands them. What such a value names is not in the file.
 */
export function hasRunTimeValue(value: string): boolean {
  return /\$\{\{|\$\(|\$\[|\$\{?[A-Za-z_]/.test(value);
}

/**
 * A report that keeps one finding per range: a node reached twice through YAML aliases (`- *checkout`,
 * `with: *opts`) is written once, and is reported once.
 */
export function reportOnce(report: Report): Report {
  const seen = new Set<string>();
  return (finding) => {
    const { start, end } = finding.range;
    const key = `${start.line}:${start.character}-${end.line}:${end.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    report(finding);
  };
}

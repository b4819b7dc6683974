// Helpers of the unpinned-action, image-without-digest, excessive-permissions and persisted-credentials
// rules: document roots, ranges of YAML nodes, GitHub jobs and steps, every mapping of a document (a
// stack, no recursion), and whether a value is only chosen at run time (expressions, variables).
import type { TextDocument } from '../../text';
import type { Range } from '../../types';
import type { Report } from '../rule';
import { forEachNode, isMap, isScalar, itemsOf, pairsOf, resolveNode, spanOf, valueOf, type Document, type Node } from '../../pipeline/yamlDocument';

export function rangeOf(document: TextDocument, node: unknown): Range | null {
  const span = spanOf(node);
  return span ? { start: document.positionAt(span[0]), end: document.positionAt(span[1]) } : null;
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

/** Every step mapping of a workflow's jobs and of a composite action's `runs.steps`. */
export function githubStepMaps(yaml: Document, root: unknown): Node[] {
  const steps: Node[] = [];
  for (const { job } of githubJobs(yaml, root)) for (const step of itemsOf(yaml, valueOf(yaml, job, 'steps'))) if (step && isMap(step)) steps.push(step);
  for (const step of itemsOf(yaml, valueOf(yaml, valueOf(yaml, root, 'runs'), 'steps'))) if (step && isMap(step)) steps.push(step);
  return steps;
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

// Helpers shared by the untrusted-checkout, script-injection and secret-literal rules: a workflow's
// triggers, its steps with their job, and ranges of YAML nodes and of spans of mapped script text.
import type { TextDocument } from '../../text';
import type { Range } from '../../types';
import type { MappedText } from '../../shell/runScript';
import { isMap, itemsOf, mappedSpan, pairsOf, resolveNode, spanOf, stringOf, valueOf, type Document, type Node } from '../../pipeline/yamlDocument';

export function rangeOfSpan(document: TextDocument, span: [number, number]): Range {
  return { start: document.positionAt(span[0]), end: document.positionAt(span[1]) };
}

export function rangeOfNode(document: TextDocument, node: unknown): Range | null {
  const span = spanOf(node);
  return span ? rangeOfSpan(document, span) : null;
}

/** The document range of characters `[start, end)` of a mapped text. */
export function rangeInMapped(document: TextDocument, mapped: MappedText, start: number, end: number): Range {
  return rangeOfSpan(document, mappedSpan(mapped, start, end));
}

/** The events of a workflow's `on:` (a name, a list of names, or a mapping), lower-cased. */
export function workflowTriggers(yaml: Document, root: unknown): Set<string> {
  const on = valueOf(yaml, root, 'on') ?? valueOf(yaml, root, 'true');
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

export interface GithubStep {
  job: Node | null;
  jobName: string;
  step: Node;
}

/** Every step mapping of a workflow's jobs, or of a composite action's `runs.steps`. */
export function githubSteps(yaml: Document, root: unknown): GithubStep[] {
  const steps: GithubStep[] = [];
  for (const { key, value: job } of pairsOf(yaml, valueOf(yaml, root, 'jobs'))) {
    if (!isMap(job)) continue;
    for (const step of itemsOf(yaml, valueOf(yaml, job, 'steps'))) if (isMap(step)) steps.push({ job, jobName: key, step });
  }
  for (const step of itemsOf(yaml, valueOf(yaml, valueOf(yaml, root, 'runs'), 'steps'))) if (isMap(step)) steps.push({ job: null, jobName: '', step });
  return steps;
}

/** The `uses:` of a step without its version, lower-cased (`actions/checkout`), or null. */
export function usesOf(yaml: Document, step: unknown): string | null {
  const uses = stringOf(valueOf(yaml, step, 'uses'));
  if (uses === null) return null;
  return uses.trim().split('@')[0]!.toLowerCase();
}

/** The root mappings of every document of a parsed file. */
export function rootsOf(documents: readonly Document[]): Array<{ yaml: Document; root: Node }> {
  const roots: Array<{ yaml: Document; root: Node }> = [];
  for (const yaml of documents) {
    const root = resolveNode(yaml, yaml.contents);
    if (isMap(root)) roots.push({ yaml, root });
  }
  return roots;
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

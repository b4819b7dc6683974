// Inline suppression comments in Dockerfiles:
//   # container-guard ignore=<id>[,<id>]          the next instruction
//   # container-guard global ignore=<id>[,<id>]   the whole file
//   # hadolint ignore=DL3006 / # hadolint global ignore=…   rules that declare the hadolint id
// A comment applies to the first instruction after it (only comments and blank lines may stand between).
import type { DockerfileModel } from './dockerfile/model';
import { rulesForHadolintId } from './rules/index';
import type { Finding } from './types';

export const SUPPRESSION_PREFIX = 'container-guard';

interface LineSpan {
  startLine: number;
  endLine: number;
  ruleIds: Set<string>;
}

export interface Suppressions {
  fileLevel: Set<string>;
  instructions: LineSpan[];
}

/** `container-guard [global] ignore=a,b` (also `hadolint …`): the text of a suppression comment. */
export const PRAGMA = /^\s*(container-guard|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+?)\s*$/;

export function collectSuppressions(model: DockerfileModel, honourHadolint: boolean): Suppressions {
  const result: Suppressions = { fileLevel: new Set(), instructions: [] };
  const instructions = model.ast.getInstructions();
  // dockerfile-ast reads a first-line `# hadolint ignore=X` as a (lenient) parser directive rather than
  // a comment, so pragmas are looked for in both, by the text of their line.
  const pragmaLines = [
    ...model.ast.getComments().map((comment) => ({ text: comment.getContent(), line: comment.getRange().start.line })),
    ...model.ast.getDirectives().map((directive) => ({
      text: model.document.getText(directive.getRange()).replace(/^\s*#/, ''),
      line: directive.getRange().start.line,
    })),
  ];
  for (const comment of pragmaLines) {
    const match = PRAGMA.exec(comment.text);
    if (!match) continue;
    const [, tool, global, list] = match;
    if (tool === 'hadolint' && !honourHadolint) continue;
    const ids = new Set<string>();
    for (const raw of list!.split(',').map((id) => id.trim()).filter(Boolean)) {
      if (tool === 'hadolint') rulesForHadolintId(raw).forEach((id) => ids.add(id));
      else ids.add(raw);
    }
    if (ids.size === 0) continue;
    if (global) {
      ids.forEach((id) => result.fileLevel.add(id));
      continue;
    }
    const commentLine = comment.line;
    const next = instructions.find((instruction) => instruction.getRange().start.line > commentLine);
    if (next) result.instructions.push({ startLine: next.getRange().start.line, endLine: next.getRange().end.line, ruleIds: ids });
  }
  return result;
}

/** Per rule: its spans by start line, and the furthest end line among each span and those before it. */
interface SpanIndex { starts: number[]; reach: number[] }
const indexes = new WeakMap<Suppressions, { spans: number; byRule: Map<string, SpanIndex> }>();

function spanIndex(suppressions: Suppressions, ruleId: string): SpanIndex | undefined {
  let cached = indexes.get(suppressions);
  // Built once per Suppressions (again if spans were added since).
  if (!cached || cached.spans !== suppressions.instructions.length) {
    const spans = new Map<string, LineSpan[]>();
    for (const span of suppressions.instructions) {
      for (const id of span.ruleIds) {
        const list = spans.get(id);
        if (list) list.push(span);
        else spans.set(id, [span]);
      }
    }
    const byRule = new Map<string, SpanIndex>();
    for (const [id, list] of spans) {
      list.sort((a, b) => a.startLine - b.startLine);
      let reach = -1;
      byRule.set(id, { starts: list.map((span) => span.startLine), reach: list.map((span) => (reach = Math.max(reach, span.endLine))) });
    }
    cached = { spans: suppressions.instructions.length, byRule };
    indexes.set(suppressions, cached);
  }
  return cached.byRule.get(ruleId);
}

export function isSuppressed(finding: Pick<Finding, 'ruleId' | 'range'>, suppressions: Suppressions): boolean {
  if (suppressions.fileLevel.has(finding.ruleId)) return true;
  // A binary search in the rule's spans, not a scan of all spans per finding: a file with a suppression
  // comment above each of its 6,400 findings spent 48% of its lint (1.4 s) in that scan.
  const index = spanIndex(suppressions, finding.ruleId);
  if (!index) return false;
  const line = finding.range.start.line;
  let low = 0;
  let high = index.starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.starts[middle]! <= line) low = middle + 1;
    else high = middle;
  }
  // Among the spans starting on or before the line, one reaches it when the furthest end does.
  return low > 0 && index.reach[low - 1]! >= line;
}

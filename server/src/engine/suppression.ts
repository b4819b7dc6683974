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

export function isSuppressed(finding: Pick<Finding, 'ruleId' | 'range'>, suppressions: Suppressions): boolean {
  if (suppressions.fileLevel.has(finding.ruleId)) return true;
  const line = finding.range.start.line;
  return suppressions.instructions.some((span) => span.ruleIds.has(finding.ruleId) && span.startLine <= line && line <= span.endLine);
}

// The engine's entry point: text in, findings out. Knows nothing of LSP or the file system.
import { buildDockerfileModel, type DockerfileModel } from './dockerfile/model';
import { buildNuGetConfigModel, type NuGetConfigModel } from './nuget/model';
import { collectNuGetSuppressions, elementAtLine } from './nuget/suppression';
import { ALL_RULES } from './rules/index';
import type { DockerfileRule, NuGetConfigRule, Report, Rule, RuleContext } from './rules/rule';
import { effectiveSeverity, type EngineSettings } from './settings';
import { collectSuppressions, isSuppressed, SUPPRESSION_PREFIX, type Suppressions } from './suppression';
import { applyEdits, comparePositions, createDocument, lineBreakOf, indentationOf, rangesOverlap, type TextDocument } from './text';
import type { FileKind, Finding, Fix, Position, Range, TextEdit } from './types';

export interface LintResult {
  findings: Finding[];
  /** Rules that threw: reported, never fatal, so one faulty rule cannot hide the others' findings. */
  ruleErrors: Array<{ ruleId: string; error: string }>;
}

export interface LintOptions {
  /** The date lifecycle rules compare against; tests pin it. */
  now?: Date;
}

export function lintText(text: string, fileKind: FileKind, settings: EngineSettings, options: LintOptions = {}): LintResult {
  const document = createDocument(text);
  switch (fileKind) {
    case 'dockerfile':
      return lintDockerfile(buildDockerfileModel(document), settings, options);
    case 'nuget-config':
      return lintNuGetConfig(buildNuGetConfigModel(document), settings, options);
  }
}

export function lintDockerfile(model: DockerfileModel, settings: EngineSettings, options: LintOptions = {}): LintResult {
  const suppressions = collectSuppressions(model, settings.honourHadolintPragmas);
  return runRules('dockerfile', model.document, settings, options, suppressions, (ruleId, line) => {
    const start = instructionStartLine(model, line);
    return suppressionFix(model.document, `# ${SUPPRESSION_PREFIX} ignore=${ruleId}`, `Ignore ${ruleId} for this instruction`, start);
  }, (rule, report, context) => (rule as DockerfileRule).check(model, report, context));
}

export function lintNuGetConfig(model: NuGetConfigModel, settings: EngineSettings, options: LintOptions = {}): LintResult {
  const suppressions = collectNuGetSuppressions(model);
  return runRules('nuget-config', model.document, settings, options, suppressions, (ruleId, line) => {
    const element = elementAtLine(model, line);
    const start = element ? element.range.start.line : line;
    return suppressionFix(model.document, `<!-- ${SUPPRESSION_PREFIX} ignore=${ruleId} -->`, `Ignore ${ruleId} for this element`, start);
  }, (rule, report, context) => (rule as NuGetConfigRule).check(model, report, context));
}

/** Runs every enabled rule of the document's kind; settings decide severities, suppressions drop findings. */
function runRules(
  fileKind: FileKind,
  document: TextDocument,
  settings: EngineSettings,
  options: LintOptions,
  suppressions: Suppressions,
  suppressionFixFor: (ruleId: string, line: number) => Fix,
  /** Runs one rule of `fileKind` on the document's model. */
  check: (rule: Rule, report: Report, context: RuleContext) => void,
): LintResult {
  const context: RuleContext = { settings, now: options.now ?? new Date() };
  const findings: Finding[] = [];
  const ruleErrors: LintResult['ruleErrors'] = [];
  for (const rule of ALL_RULES) {
    if (rule.meta.fileKind !== fileKind) continue;
    const severity = effectiveSeverity(rule.meta, settings);
    if (!severity) continue;
    try {
      check(rule, (raw) => {
        const range = clampRange(document, raw.range);
        const finding: Finding = {
          ruleId: rule.meta.id,
          severity: settings.rules[rule.meta.id] ? severity : raw.severity ?? severity,
          message: raw.message,
          range,
          fixes: [...(raw.fixes ?? []), suppressionFixFor(rule.meta.id, range.start.line)],
        };
        if (!isSuppressed(finding, suppressions)) findings.push(finding);
      }, context);
    } catch (error) {
      ruleErrors.push({ ruleId: rule.meta.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  }
  findings.sort((a, b) => comparePositions(a.range.start, b.range.start) || a.ruleId.localeCompare(b.ruleId));
  return { findings, ruleErrors };
}

/** A rule bug must never produce a range outside the document: clamp both ends into it. */
function clampRange(document: TextDocument, range: Range): Range {
  const clamp = (position: Position): Position => document.positionAt(document.offsetAt(position));
  const start = clamp(range.start);
  const end = clamp(range.end);
  return comparePositions(start, end) <= 0 ? { start, end } : { start, end: start };
}

/** First line of the instruction holding `line`: a suppression comment must stand above the whole instruction. */
function instructionStartLine(model: DockerfileModel, line: number): number {
  const holder = model.ast.getInstructions().find((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
  return holder ? holder.getRange().start.line : line;
}

/** "Ignore this rule here": a comment line above the instruction or element holding the finding. */
function suppressionFix(document: TextDocument, comment: string, title: string, line: number): Fix {
  const eol = lineBreakOf(document.getText());
  return {
    title,
    edits: [{
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      newText: `${indentationOf(document, line)}${comment}${eol}`,
    }],
    safeForFixAll: false,
  };
}

/** The edits fix-all applies in one pass: the first safe fix of each finding, skipping overlaps. */
export function fixAllEdits(findings: readonly Finding[]): TextEdit[] {
  const accepted: TextEdit[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.safeForFixAll);
    if (!fix) continue;
    if (fix.edits.some((edit) => accepted.some((other) => rangesOverlap(edit.range, other.range)))) continue;
    accepted.push(...fix.edits);
  }
  return accepted;
}

export interface FixAllResult {
  text: string;
  /** Passes that changed the text; 0 when nothing was fixable. */
  passes: number;
}

/**
 * Applies fix-all repeatedly until nothing changes (a fix can enable another, and overlapping fixes
 * are deferred to the next pass). Bounded so that two fixes undoing each other cannot loop forever.
 */
export function fixAllToFixpoint(text: string, fileKind: FileKind, settings: EngineSettings, options: LintOptions = {}, maxPasses = 10): FixAllResult {
  let current = text;
  let passes = 0;
  while (passes < maxPasses) {
    const edits = fixAllEdits(lintText(current, fileKind, settings, options).findings);
    if (edits.length === 0) break;
    const next = applyEdits(current, edits);
    if (next === current) break;
    current = next;
    passes++;
  }
  return { text: current, passes };
}

/** One edit that turns `before` into `after`: the changed middle between common prefix and suffix. */
export function minimalEdit(before: string, after: string): TextEdit | null {
  if (before === after) return null;
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const document = createDocument(before);
  return {
    range: { start: document.positionAt(prefix), end: document.positionAt(before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}

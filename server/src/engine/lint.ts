// The engine's entry point: text in, findings out. Knows nothing of LSP or the file system; what each
// document kind means (model, rules, suppressions) comes from its registration in kinds/.
import type { DockerfileModel } from './dockerfile/model';
import type { DocumentKind } from './kinds/documentKind';
import { dockerfileKind } from './dockerfile/kind';
import { documentKind } from './kinds/index';
import { nugetConfigKind } from './nuget/kind';
import type { NuGetConfigModel } from './nuget/model';
import type { RelatedReader, RuleContext } from './rules/rule';
import { effectiveSeverity, type EngineSettings } from './settings';
import { isSuppressed } from './suppression';
import { applyEdits, comparePositions, createDocument, rangesOverlap, type TextDocument } from './text';
import type { FileKind, Finding, Position, Range, TextEdit } from './types';

export interface LintResult {
  findings: Finding[];
  /** Rules that threw: reported, never fatal, so one faulty rule cannot hide the others' findings. */
  ruleErrors: Array<{ ruleId: string; error: string }>;
}

export interface LintOptions {
  /** The date lifecycle rules compare against; tests pin it. */
  now?: Date;
  /** The file's path, when known: some kinds tell their sub-kinds apart by it (`.github/workflows/…`). */
  path?: string;
  /** Reads other files of the repository for cross-file rules (see RuleContext.readRelated). */
  readRelated?: RelatedReader;
  /** A sub-kind known from another file (a file a GitLab pipeline includes): see DocumentKind.includedFiles. */
  includedAs?: string;
}

export function lintText(text: string, fileKind: FileKind, settings: EngineSettings, options: LintOptions = {}): LintResult {
  const kind = documentKind(fileKind);
  return lintModel(kind, kind.buildModel(createDocument(text), options.path, options.readRelated, options.includedAs), settings, options);
}

export function lintDockerfile(model: DockerfileModel, settings: EngineSettings, options: LintOptions = {}): LintResult {
  return lintModel(dockerfileKind, model, settings, options);
}

export function lintNuGetConfig(model: NuGetConfigModel, settings: EngineSettings, options: LintOptions = {}): LintResult {
  return lintModel(nugetConfigKind, model, settings, options);
}

/** Runs every enabled rule of the kind on its model; settings decide severities, suppressions drop findings. */
export function lintModel<Model>(kind: DocumentKind<Model>, model: Model, settings: EngineSettings, options: LintOptions = {}): LintResult {
  const document: TextDocument = kind.documentOf(model);
  const suppressions = kind.suppressions(model, settings);
  const context: RuleContext = { settings, now: options.now ?? new Date(), ...(options.readRelated ? { readRelated: options.readRelated } : {}) };
  const findings: Finding[] = [];
  const ruleErrors: LintResult['ruleErrors'] = [];
  for (const rule of kind.rules) {
    const severity = effectiveSeverity(rule.meta, settings);
    if (!severity) continue;
    try {
      rule.check(model, (raw) => {
        const range = clampRange(document, raw.range);
        const finding: Finding = {
          ruleId: rule.meta.id,
          severity: settings.rules[rule.meta.id] ? severity : raw.severity ?? severity,
          message: raw.message,
          range,
          fixes: [...(raw.fixes ?? []), kind.suppressionFix(model, rule.meta.id, range.start.line)],
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

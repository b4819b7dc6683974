// Core vocabulary of the engine. Deliberately free of LSP and VS Code types so that the same engine
// serves the language server, the CLI and tests. Positions are zero-based line/character pairs with
// UTF-16 characters (the convention of both LSP and SARIF's default column kind).

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Severity of a finding; `off` only ever appears in settings, never on a reported finding. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_ORDER: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export type FileKind = 'dockerfile' | 'nuget-config' | 'pipeline';

export interface Fix {
  /** What the fix does, shown as the quick-fix title. */
  title: string;
  edits: TextEdit[];
  /**
   * True when the fix is safe to apply without a human looking at it (fix-all, fix on save, `--fix`).
   * Fixes that change run-time behaviour in ways the user may not want, or that insert placeholders
   * the user must fill in, are offered as quick fixes only.
   */
  safeForFixAll: boolean;
  /** The fix VS Code marks as preferred (applied by "auto fix"). */
  preferred?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
}

export interface RuleMeta {
  /** Stable identifier, used in settings, suppression comments, diagnostics and SARIF. */
  id: string;
  /** One-line title. */
  title: string;
  /** The kind of file the rule checks (the first one, for a rule that checks several). */
  fileKind: FileKind;
  /**
   * Every kind of file the rule checks, when there are several: the script rules read Dockerfile RUN
   * instructions and pipeline steps alike (`['dockerfile', 'pipeline']`). Absent: only `fileKind`.
   */
  fileKinds?: readonly FileKind[];
  defaultSeverity: Severity;
  /** CWE numbers from shared/docs/cwe-map.md; empty for correctness-only rules. */
  cwe: number[];
  /** Standards the rule implements, e.g. "NIST SP 800-190 §4.1.2", "CIS Docker Benchmark 4.1". */
  references: string[];
  /** Rule sets the rule belongs to (see settings: `ruleSet`). */
  ruleSets: RuleSetName[];
  /** hadolint ids whose `# hadolint ignore=` pragma also silences this rule. */
  hadolintIds?: string[];
  /** zizmor audits whose `# zizmor: ignore[<audit>]` comment also silences this rule (pipeline rules). */
  zizmorAudits?: string[];
  /** GitHub code scanning's 0.0–10.0 score, derived from the weakness (shown in SARIF). */
  securitySeverity: number;
}

/** `recommended` is the default; `strict` adds rules that are right for hardened pipelines but noisy elsewhere. */
export type RuleSetName = 'recommended' | 'strict';
export const RULE_SET_NAMES: readonly RuleSetName[] = ['recommended', 'strict'];

/** A rule's report before settings decide its severity. */
export interface RawFinding {
  range: Range;
  message: string;
  fixes?: Fix[];
  /**
   * A severity for this finding other than the rule's default (e.g. extended support that ends within
   * weeks). A severity the user configured for the rule always wins.
   */
  severity?: Severity;
}

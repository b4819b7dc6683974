// The three report formats, each written file by file: a file's findings are turned into text as soon
// as it is linted and then dropped, so memory does not grow with the number of files. Only counts, the
// (rare) rule failures and the `--resolve` pins are kept until the end.
import type { Finding, Severity } from '../engine/types';
import { StreamedJsonArray } from './jsonStream';
import { safeLine } from './safeText';
import type { Pin, Unresolved } from './resolve';
import { GithubReporter } from './githubFormat';
import { errorSummary, sarifInvocations, sarifLog, sarifResults, type FileReport, type RuleFailure } from './sarif';
import { TOOL_VERSION } from './version';

export type { RuleFailure } from './sarif';

export interface FileOutcome extends FileReport {
  ruleErrors: ReadonlyArray<{ ruleId: string; error: string }>;
}

export interface PinReport {
  pinned: Array<Pin & { file: string }>;
  unresolved: Array<Unresolved & { file: string }>;
}

/** What is only known once every file is linted. */
export interface RunSummary {
  files: number;
  fixedFiles: number;
  /** Present with `--resolve`. */
  pins?: PinReport;
  ruleFailures: readonly RuleFailure[];
}

export interface Reporter {
  /** Text before the first file (SARIF: the rules' metadata). */
  begin(): string;
  /** Text for one linted file. */
  file(outcome: FileOutcome): string;
  /** Text after the last file. */
  end(summary: RunSummary): string;
}

export function reporterFor(format: 'text' | 'json' | 'sarif' | 'github', workingDirectory: string): Reporter {
  switch (format) {
    case 'text':
      return new TextReporter();
    case 'json':
      return new JsonReporter();
    case 'sarif':
      return new SarifReporter(workingDirectory);
    case 'github':
      return new GithubReporter();
  }
}

function isFixable(finding: Finding): boolean {
  return finding.fixes.some((fix) => fix.safeForFixAll);
}

/** `path:line:column: severity [rule] message`, one line per finding, then a summary line. */
export function ruleFailureLine(relativePath: string, ruleId: string, error: string): string {
  return `${relativePath}: rule error [${ruleId}] the rule failed, so its findings for this file are missing: ${errorSummary(error)}`;
}

class TextReporter implements Reporter {
  private readonly counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  private fixable = 0;

  begin(): string {
    return '';
  }

  file(outcome: FileOutcome): string {
    let text = '';
    for (const finding of outcome.findings) {
      this.counts[finding.severity]++;
      if (isFixable(finding)) this.fixable++;
      // The path and the message hold text the repository chose: one line each, whatever they contain.
      text += `${safeLine(`${outcome.relativePath}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.severity} [${finding.ruleId}] ${finding.message}`)}\n`;
    }
    for (const { ruleId, error } of outcome.ruleErrors) text += `${safeLine(ruleFailureLine(outcome.relativePath, ruleId, error))}\n`;
    return text;
  }

  end(summary: RunSummary): string {
    const { counts, fixable } = this;
    const total = counts.error + counts.warning + counts.info + counts.hint;
    const failures = summary.ruleFailures.filter((failure) => failure.ruleId !== undefined).length;
    const warnings = summary.ruleFailures.filter((failure) => failure.level === 'warning').length;
    const unlinted = summary.ruleFailures.length - failures - warnings;
    return `\n${total} finding${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info, ${counts.hint} hint) in ${summary.files} file${summary.files === 1 ? '' : 's'}`
      + (fixable > 0 ? `; ${fixable} fixable with --fix` : '')
      + (summary.fixedFiles > 0 ? `; fixed ${summary.fixedFiles} file${summary.fixedFiles === 1 ? '' : 's'}` : '')
      + (failures > 0 ? `; ${failures} rule error${failures === 1 ? '' : 's'} (findings may be missing)` : '')
      + (unlinted > 0 ? `; ${unlinted} file${unlinted === 1 ? '' : 's'} not linted` : '')
      + (warnings > 0 ? `; ${warnings} file warning${warnings === 1 ? '' : 's'}` : '')
      + '\n';
  }
}

export function jsonFinding(file: string, finding: Finding): object {
  return {
    file,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    severity: finding.severity,
    ruleId: finding.ruleId,
    message: finding.message,
    fixable: isFixable(finding),
  };
}

/** `{ version, findings: [...], files, fixedFiles, [pinned, unresolved,] ruleErrors }`, findings streamed. */
class JsonReporter implements Reporter {
  private readonly findings = new StreamedJsonArray((hole) => ({ version: TOOL_VERSION, findings: hole }));

  begin(): string {
    return this.findings.begin();
  }

  file(outcome: FileOutcome): string {
    let text = '';
    for (const finding of outcome.findings) text += this.findings.item(jsonFinding(outcome.relativePath, finding));
    return text;
  }

  end(summary: RunSummary): string {
    const warnings = summary.ruleFailures.filter((failure) => failure.level === 'warning');
    return this.findings.end({
      files: summary.files,
      fixedFiles: summary.fixedFiles,
      ...(summary.pins ? { pinned: summary.pins.pinned, unresolved: summary.pins.unresolved } : {}),
      ruleErrors: summary.ruleFailures.filter((failure) => failure.level !== 'warning')
        .map((failure) => ({ file: failure.relativePath, ...(failure.ruleId !== undefined ? { ruleId: failure.ruleId } : {}), message: errorSummary(failure.error) })),
      // Files linted with a caveat (invalid UTF-8, a read-only file --fix left alone); only when there are any.
      ...(warnings.length > 0 ? { warnings: warnings.map((failure) => ({ file: failure.relativePath, message: errorSummary(failure.error) })) } : {}),
    });
  }
}

/** SARIF 2.1.0: the rules' metadata first, the results per file, the invocation (rule failures) last. */
class SarifReporter implements Reporter {
  private readonly results: StreamedJsonArray;

  constructor(workingDirectory: string) {
    this.results = new StreamedJsonArray((hole) => sarifLog(workingDirectory, hole));
  }

  begin(): string {
    return this.results.begin();
  }

  file(outcome: FileOutcome): string {
    let text = '';
    for (const result of sarifResults(outcome)) text += this.results.item(result);
    return text;
  }

  end(summary: RunSummary): string {
    return this.results.end({ invocations: sarifInvocations(summary.ruleFailures) });
  }
}

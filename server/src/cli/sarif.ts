// SARIF 2.1.0 output for code scanning (GitHub, Azure DevOps). Tags follow GitHub's conventions:
// `security`, `external/cwe/cwe-<n>` and a `security-severity` score per rule.
import { pathToFileURL } from 'node:url';
import { ALL_RULES } from '../engine/rules/index';
import type { Finding, Range, Severity } from '../engine/types';
import { ruleDocMarkdown } from '../node/ruleDocs';
import { TOOL_NAME, TOOL_VERSION } from './version';

export interface FileReport {
  /** Path relative to the working directory, with forward slashes. */
  relativePath: string;
  findings: Finding[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function region(range: Range): Record<string, number> {
  // SARIF lines and columns are 1-based; the end column points just past the last character.
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function uriOf(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/** First paragraph after the title of a rule's doc page: the rule's full description. */
function firstParagraph(markdown: string | null): string | null {
  if (!markdown) return null;
  const paragraph = markdown.split(/\r?\n\r?\n/).map((p) => p.trim()).find((p) => p.length > 0 && !p.startsWith('#') && !p.startsWith('|'));
  return paragraph ? paragraph.replace(/\s*\n\s*/g, ' ') : null;
}

function pascalCase(id: string): string {
  return id.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** The `tool.driver.rules` metadata of every rule, in ALL_RULES order (results refer to it by index). */
export function sarifRules(): object[] {
  return ALL_RULES.map((rule) => {
    const markdown = ruleDocMarkdown(rule.meta.id);
    const description = firstParagraph(markdown) ?? rule.meta.title;
    return {
      id: rule.meta.id,
      name: pascalCase(rule.meta.id),
      shortDescription: { text: rule.meta.title.replace(/`/g, '') },
      fullDescription: { text: description },
      ...(markdown ? { help: { text: description, markdown } } : {}),
      defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] },
      // Rules without a weakness (a tag that does not exist, mismatched Windows builds) are correctness
      // findings: code scanning should not list them as security alerts with a severity score.
      properties: {
        tags: rule.meta.cwe.length > 0 ? ['security', ...rule.meta.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)] : ['correctness'],
        ...(rule.meta.cwe.length > 0 ? { 'security-severity': rule.meta.securitySeverity.toFixed(1) } : {}),
        precision: 'high',
        references: rule.meta.references,
      },
    };
  });
}

const RULE_INDEX = new Map(ALL_RULES.map((rule, index) => [rule.meta.id, index]));

function artifactLocationOf(relativePath: string): { uri: string; uriBaseId: string } {
  return { uri: uriOf(relativePath), uriBaseId: '%SRCROOT%' };
}

/** The SARIF results of one file. */
export function sarifResults(report: FileReport): object[] {
  return report.findings.map((finding) => {
    const artifactLocation = artifactLocationOf(report.relativePath);
    const safeFix = finding.fixes.find((fix) => fix.safeForFixAll);
    return {
      ruleId: finding.ruleId,
      ruleIndex: RULE_INDEX.get(finding.ruleId) ?? -1,
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(finding.range) } }],
      ...(safeFix ? {
        fixes: [{
          description: { text: safeFix.title },
          artifactChanges: [{
            artifactLocation,
            replacements: safeFix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
          }],
        }],
      } : {}),
    };
  });
}

/**
 * A rule that threw on a file, or a file that could not be linted at all (unreadable, a broken team file
 * for its folder, a fix that could not be written; no `ruleId`): findings are missing, so the run did not
 * succeed.
 */
export interface RuleFailure {
  relativePath: string;
  ruleId?: string;
  /** The error, as the engine recorded it (message and stack). */
  error: string;
  /**
   * `warning`: the file was linted, with a caveat (invalid UTF-8 read with U+FFFD, a read-only file --fix
   * left alone); it does not fail the run.
   */
  level?: 'warning';
}

/** First line of a recorded error (its message, without the stack). */
export function errorSummary(error: string): string {
  return error.split('\n', 1)[0]!.trim() || 'unknown error';
}

/**
 * `runs[0].invocations`: whether the run succeeded and, for every rule that failed, an error-level tool
 * execution notification naming the rule (as descriptor and associated rule) and the file.
 */
export function sarifInvocations(failures: readonly RuleFailure[]): object[] {
  return [{
    executionSuccessful: !failures.some((failure) => failure.level !== 'warning'),
    ...(failures.length > 0 ? {
      toolExecutionNotifications: failures.map((failure) => {
        const index = failure.ruleId === undefined ? undefined : RULE_INDEX.get(failure.ruleId);
        return {
          level: failure.level ?? 'error',
          message: {
            text: failure.level === 'warning'
              ? `${failure.relativePath}: ${errorSummary(failure.error)}`
              : failure.ruleId === undefined
              ? `${failure.relativePath} was not linted: ${errorSummary(failure.error)}`
              : `Rule ${failure.ruleId} failed on ${failure.relativePath}, so its findings for this file are missing: ${errorSummary(failure.error)}`,
          },
          ...(failure.ruleId !== undefined ? { descriptor: { id: failure.ruleId } } : {}),
          ...(index !== undefined ? { associatedRule: { id: failure.ruleId, index } } : {}),
          locations: [{ physicalLocation: { artifactLocation: artifactLocationOf(failure.relativePath) } }],
        };
      }),
    } : {}),
  }];
}

/** The SARIF log around `results` (a value or the streamed array's hole), with the invocations when known. */
export function sarifLog(workingDirectory: string, results: unknown, invocations?: object[]): object {
  const root = pathToFileURL(workingDirectory).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules: sarifRules() } },
      originalUriBaseIds: { '%SRCROOT%': { uri: root.endsWith('/') ? root : `${root}/` } },
      columnKind: 'utf16CodeUnits',
      ...(invocations ? { invocations } : {}),
      results,
    }],
  };
}

/** The whole SARIF log at once (the CLI streams the same document; see report.ts). */
export function toSarif(reports: readonly FileReport[], workingDirectory: string, failures: readonly RuleFailure[] = []): object {
  return sarifLog(workingDirectory, reports.flatMap(sarifResults), sarifInvocations(failures));
}

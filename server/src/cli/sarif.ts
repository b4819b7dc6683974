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

export function toSarif(reports: readonly FileReport[], workingDirectory: string): object {
  const rules = ALL_RULES.map((rule) => {
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
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = reports.flatMap((report) => report.findings.map((finding) => {
    const artifactLocation = { uri: uriOf(report.relativePath), uriBaseId: '%SRCROOT%' };
    const safeFix = finding.fixes.find((fix) => fix.safeForFixAll);
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
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
  }));
  const root = pathToFileURL(workingDirectory).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: root.endsWith('/') ? root : `${root}/` } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

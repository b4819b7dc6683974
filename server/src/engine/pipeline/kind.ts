// Pipeline YAML: GitHub Actions workflows and composite actions, Azure Pipelines (and templates, known by
// their content wherever they live), GitLab CI. Suppressions are YAML comments, like the Dockerfile ones:
//   # container-guard ignore=<id>[,<id>]          on its own line: the next line; at a line's end: that line
//   # container-guard global ignore=<id>[,<id>]   the whole file
//   # zizmor: ignore[<audit>,…]                    zizmor's own comments, for rules that declare the audit
// A line that starts a multi-line scalar (`run: |`, `script: >-`, a quoted string over several lines) is
// covered with the whole scalar: a comment inside a block scalar would be script text, not YAML.
import { buildPipelineDocument, gitlabIncludedFiles, type PipelineDocument } from './document';
import { pipelineKindByContent, pipelineKindByPath } from './recognise';
import { forEachNode, isScalar, parseYaml } from './yamlDocument';
import { ALL_RULES } from '../rules/index';
import { rulesOfKind } from '../rules/rule';
import { pipelineScriptHost } from './scriptHosts';
import { PRAGMA, SUPPRESSION_PREFIX, type Suppressions } from '../suppression';
import type { DocumentKind, KindRule } from '../kinds/documentKind';
import { suppressionCommentFix } from '../kinds/suppressionFix';
import { mayBePipelineByContent } from './contentSniff';

/** Multi-line scalars of the stream: first and last line (of their last non-blank character). */
interface ScalarSpan { startLine: number; endLine: number }
const scalarSpans = new WeakMap<PipelineDocument, ScalarSpan[]>();

function multiLineScalars(model: PipelineDocument): ScalarSpan[] {
  const cached = scalarSpans.get(model);
  if (cached) return cached;
  const spans: ScalarSpan[] = [];
  const text = model.document.getText();
  // The document's node walk that the rules share (no recursion on the input); aliases are not followed,
  // their scalar is met where it is written.
  for (const document of model.parsed.documents) forEachNode(document, (node) => {
    if (isScalar(node) && node.range) {
      const start = node.range[0];
      let end = node.range[1];
      // Most scalars are one line: no line break inside (LF or a lone CR), no positions to compute. The
      // scan stops at the scalar's end, so the whole walk stays linear in the text.
      let multiLine = false;
      for (let at = start; at < end && !multiLine; at++) {
        const code = text.charCodeAt(at);
        multiLine = code === 10 || code === 13;
      }
      if (!multiLine) return;
      while (end > start && /\s/.test(text[end - 1]!)) end--;
      const startLine = model.document.positionAt(start).line;
      const endLine = model.document.positionAt(end).line;
      if (endLine > startLine) spans.push({ startLine, endLine });
    }
  });
  scalarSpans.set(model, spans);
  return spans;
}

/** The last line a suppression of `line` covers: through the end of the multi-line scalars starting there. */
function coveredThrough(model: PipelineDocument, line: number): number {
  return multiLineScalars(model).reduce((last, span) => (span.startLine === line ? Math.max(last, span.endLine) : last), line);
}

function pipelineSuppressions(model: PipelineDocument): Suppressions {
  const result: Suppressions = { fileLevel: new Set(), instructions: [] };
  const text = model.document.getText();
  for (const comment of model.parsed.comments) {
    const match = PRAGMA.exec(comment.text);
    if (!match || match[1] !== SUPPRESSION_PREFIX) continue;
    const ids = new Set(match[3]!.split(',').map((id) => id.trim()).filter(Boolean));
    if (ids.size === 0) continue;
    if (match[2]) {
      ids.forEach((id) => result.fileLevel.add(id));
      continue;
    }
    const position = model.document.positionAt(comment.offset);
    // Alone on its line it covers the next line; after code it covers its own line.
    const lineStart = model.document.offsetAt({ line: position.line, character: 0 });
    const alone = text.slice(lineStart, comment.offset).trim() === '';
    const line = alone ? position.line + 1 : position.line;
    result.instructions.push({ startLine: line, endLine: coveredThrough(model, line), ruleIds: ids });
  }
  zizmorSuppressions(model, result);
  return result;
}

/** `# zizmor: ignore[audit, …]`, as zizmor reads it (docs/usage.md): the comment's own line and the line below. */
const ZIZMOR_IGNORE = /^\s*zizmor:\s*ignore\[([^\]]*)\]/;

/** Our rules silenced by zizmor's ignore comments: those that declare the audit in `meta.zizmorAudits`. */
function zizmorSuppressions(model: PipelineDocument, result: Suppressions): void {
  for (const comment of model.parsed.comments) {
    const match = ZIZMOR_IGNORE.exec(comment.text);
    if (!match) continue;
    const audits = match[1]!.split(',').map((audit) => audit.trim()).filter(Boolean);
    const ids = new Set(ALL_RULES.filter((rule) => rule.meta.fileKind === 'pipeline' && rule.meta.zizmorAudits?.some((audit) => audits.includes(audit))).map((rule) => rule.meta.id));
    if (ids.size === 0) continue;
    const line = model.document.positionAt(comment.offset).line;
    result.instructions.push({ startLine: line, endLine: coveredThrough(model, line + 1), ruleIds: ids });
  }
}

/**
 * A GitLab template's script inherited by Windows and by Linux jobs is modelled once per shell
 * (pipeline/model.ts): a finding both readings give, on the same text with the same message, is one.
 */
function reportingOnce(rule: KindRule<PipelineDocument>): KindRule<PipelineDocument> {
  return {
    meta: rule.meta,
    check(model, report, context) {
      const seen = new Set<string>();
      rule.check(model, (finding) => {
        const { start, end } = finding.range;
        const key = `${start.line}:${start.character}-${end.line}:${end.character} ${finding.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        report(finding);
      }, context);
    },
  };
}

export const pipelineKind: DocumentKind<PipelineDocument> = {
  id: 'pipeline',
  recognisesPath: (path) => pipelineKindByPath(path) !== null,
  recognisesContent: (_path, text) => pipelineKindByContent(parseYaml(text)) !== null,
  contentExtensions: ['.yml', '.yaml'],
  mayBeContent: mayBePipelineByContent,
  recognisesModel: (model) => model.kind !== null,
  readsRelatedFiles: true,
  buildModel: (document, path, readRelated, includedAs) => buildPipelineDocument(document, path, {
    ...(readRelated ? { readRelated } : {}),
    ...(includedAs === 'gitlab-ci' ? { kind: 'gitlab-ci' as const } : {}),
  }),
  includedFiles: (path, includedAs, text) => {
    if (includedAs !== 'gitlab-ci' && pipelineKindByPath(path) !== 'gitlab-ci') return [];
    const written = text();
    return written === null ? [] : gitlabIncludedFiles(written).map((included) => ({ path: included, includedAs: 'gitlab-ci' }));
  },
  documentOf: (model) => model.document,
  rules: rulesOfKind(ALL_RULES, 'pipeline', pipelineScriptHost).map(reportingOnce),
  suppressions: pipelineSuppressions,
  suppressionFix: (model, ruleId, line) => {
    // Above the finding's line, indented like it, so it stays inside the same YAML block; for a finding
    // inside a multi-line scalar, above the line the scalar starts on (`run: |`), which covers all of it.
    const outer = multiLineScalars(model).filter((span) => span.startLine < line && line <= span.endLine)
      .reduce<ScalarSpan | null>((best, span) => (!best || span.startLine < best.startLine ? span : best), null);
    if (outer) return suppressionCommentFix(model.document, `# ${SUPPRESSION_PREFIX} ignore=${ruleId}`, `Ignore ${ruleId} for this value`, outer.startLine);
    return suppressionCommentFix(model.document, `# ${SUPPRESSION_PREFIX} ignore=${ruleId}`, `Ignore ${ruleId} for this line`, line);
  },
};

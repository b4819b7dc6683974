// Pipeline YAML: GitHub Actions workflows and composite actions, Azure Pipelines (and templates, known by
// their content wherever they live), GitLab CI. Suppressions are YAML comments, like the Dockerfile ones:
//   # container-guard ignore=<id>[,<id>]          on its own line: the next line; at a line's end: that line
//   # container-guard global ignore=<id>[,<id>]   the whole file
import { buildPipelineDocument, type PipelineDocument } from '../pipeline/document';
import { pipelineKindByContent, pipelineKindByPath } from '../pipeline/recognise';
import { parseYaml } from '../pipeline/yamlDocument';
import { ALL_RULES } from '../rules/index';
import type { PipelineRule } from '../rules/rule';
import { PRAGMA, SUPPRESSION_PREFIX, type Suppressions } from '../suppression';
import type { DocumentKind } from './documentKind';
import { suppressionCommentFix } from './suppressionFix';

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
    result.instructions.push({ startLine: line, endLine: line, ruleIds: ids });
  }
  return result;
}

export const pipelineKind: DocumentKind<PipelineDocument> = {
  id: 'pipeline',
  recognisesPath: (path) => pipelineKindByPath(path) !== null,
  recognisesContent: (_path, text) => pipelineKindByContent(parseYaml(text)) !== null,
  contentExtensions: ['.yml', '.yaml'],
  buildModel: (document, path) => buildPipelineDocument(document, path),
  documentOf: (model) => model.document,
  rules: ALL_RULES.filter((rule): rule is PipelineRule => rule.meta.fileKind === 'pipeline'),
  suppressions: pipelineSuppressions,
  suppressionFix: (model, ruleId, line) => {
    // Above the finding's line, indented like it, so it stays inside the same YAML block.
    return suppressionCommentFix(model.document, `# ${SUPPRESSION_PREFIX} ignore=${ruleId}`, `Ignore ${ruleId} for this line`, line);
  },
};

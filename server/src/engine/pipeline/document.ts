// A pipeline YAML file as the engine's third document kind sees it: the text, which pipeline it is (or
// none: YAML that is no pipeline gets no finding), the parsed YAML with its comments, and the model.
import type { TextDocument } from '../text';
import { buildPipelineModel, type PipelineModel, type PipelineModelOptions } from './model';
import { pipelineKindByContent, pipelineKindByPath, type PipelineKind } from './recognise';
import { parseYaml, type ParsedYaml } from './yamlDocument';

export interface PipelineDocument {
  document: TextDocument;
  /** Null for YAML that is not a pipeline (a Kubernetes manifest, a compose file…): no rule looks at it. */
  kind: PipelineKind | null;
  parsed: ParsedYaml;
  model: PipelineModel | null;
}

/**
 * Recognises the pipeline by its path, else by its content, and builds its model. Never throws. With a
 * related-file reader the model also reads the files a GitLab pipeline includes with `local:`.
 */
export function buildPipelineDocument(document: TextDocument, path = '', options: PipelineModelOptions = {}): PipelineDocument {
  const parsed = parseYaml(document.getText());
  const kind = pipelineKindByPath(path) ?? pipelineKindByContent(parsed);
  return { document, kind, parsed, model: kind ? buildPipelineModel(document, kind, parsed, options) : null };
}

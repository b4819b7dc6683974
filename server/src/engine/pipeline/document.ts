// A pipeline YAML file as the engine's third document kind sees it: the text, which pipeline it is (or
// none: YAML that is no pipeline gets no finding), the parsed YAML with its comments, and the model.
import type { TextDocument } from '../text';
import { buildPipelineModel, gitlabLocalIncludes, type PipelineModel, type PipelineModelOptions } from './model';
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
export function buildPipelineDocument(document: TextDocument, path = '', options: PipelineModelOptions & { kind?: PipelineKind } = {}): PipelineDocument {
  const parsed = parseYaml(document.getText());
  // A kind the host knows from another file (a file a `.gitlab-ci.yml` includes) comes first.
  const kind = options.kind ?? pipelineKindByPath(path) ?? pipelineKindByContent(parsed);
  return { document, kind, parsed, model: kind ? buildPipelineModel(document, kind, parsed, options) : null };
}

/**
 * The files a GitLab pipeline file includes with `local:` (paths from the repository root; globs and
 * variables skipped); none for any other YAML. Read from the text alone: the walk of a tree asks it of
 * every GitLab file before linting, to lint the included files as GitLab files whatever their names.
 */
export function gitlabIncludedFiles(text: string): string[] {
  const parsed = parseYaml(text);
  const paths: string[] = [];
  for (const yaml of parsed.documents) {
    const root = yaml.contents;
    if (root) paths.push(...gitlabLocalIncludes(yaml, root));
  }
  return paths;
}

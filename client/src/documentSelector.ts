// Which documents the language server sees. Kept free of the `vscode` module so it is unit-testable.

/** The team settings file, validated by the server so mistakes show where they are. */
export const TEAM_FILE_GLOB = '**/.container-guard.{yaml,yml}';

export const DOCKERFILE_PATTERNS = ['**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*', '**/Dockerfile-*', '**/Dockerfile_*', '**/Containerfile', '**/Containerfile.*', '**/*.dockerfile'];

/** NuGet reads nuget.config in any letter case; VS Code opens it as `xml`. */
export const NUGET_CONFIG_GLOB = '**/[nN][uU][gG][eE][tT].[cC][oO][nN][fF][iI][gG]';

/**
 * Language ids pipeline YAML has in VS Code: the built-in `yaml`, and those the GitHub Actions
 * (`github-actions-workflow`) and Azure Pipelines (`azure-pipelines`) extensions give their files.
 */
export const PIPELINE_LANGUAGES = ['yaml', 'github-actions-workflow', 'azure-pipelines'] as const;

/**
 * Pipeline files by their path (the server's pipelineKindByPath, server/src/engine/pipeline/recognise.ts):
 * GitHub workflows and actions, GitLab CI, Azure Pipelines by name and by the folders the Azure Pipelines
 * extension claims. Used for activation (package.json `workspaceContains`, kept equal by a test).
 */
export const PIPELINE_PATH_GLOBS = [
  '**/.github/workflows/*.yml', '**/.github/workflows/*.yaml',
  '**/action.yml', '**/action.yaml',
  '**/.gitlab-ci.yml',
  '**/azure-pipelines*.yml', '**/azure-pipelines*.yaml',
  '**/.azure-pipelines/**', '**/.pipelines/**',
];

/**
 * Pipeline YAML. An Azure Pipelines template can have any name in any folder (`eng/templates/build.yml`),
 * so no path pattern can pick pipelines out of YAML: every YAML file is sent, and the server decides by
 * path and then by parsed content (fileKindFor in server/src/engine/kinds/index.ts), once per version.
 * YAML that is no pipeline — a Kubernetes manifest, a compose file, mkdocs.yml — gets no diagnostics,
 * hover, completion or code action: the only cost is the text sync and one YAML parse per change.
 */
export const PIPELINE_SELECTOR = PIPELINE_LANGUAGES.map((language) => ({ scheme: 'file', language }));

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'dockerfile' },
  ...DOCKERFILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
  { scheme: 'file', pattern: NUGET_CONFIG_GLOB },
  { scheme: 'file', pattern: TEAM_FILE_GLOB },
  ...PIPELINE_SELECTOR,
];

/** True for documents in a pipeline language: the server offers completion (FROM images) in Dockerfiles only. */
export function isPipelineLanguage(languageId: string): boolean {
  return (PIPELINE_LANGUAGES as readonly string[]).includes(languageId);
}

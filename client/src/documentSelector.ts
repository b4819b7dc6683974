// Which documents the language server sees. Kept free of the `vscode` module so it is unit-testable.

/** The team settings file, validated by the server so mistakes show where they are. */
export const TEAM_FILE_GLOB = '**/.container-guard.{yaml,yml}';

export const DOCKERFILE_PATTERNS = ['**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*', '**/Dockerfile-*', '**/Dockerfile_*', '**/Containerfile', '**/Containerfile.*', '**/*.dockerfile'];

/** NuGet reads nuget.config in any letter case; VS Code opens it as `xml`. */
export const NUGET_CONFIG_GLOB = '**/[nN][uU][gG][eE][tT].[cC][oO][nN][fF][iI][gG]';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'dockerfile' },
  ...DOCKERFILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
  { scheme: 'file', pattern: NUGET_CONFIG_GLOB },
  { scheme: 'file', pattern: TEAM_FILE_GLOB },
];

// Which workspace files the workspace commands send to the server. Free of the `vscode` module so it is
// unit-testable. The server decides each file's kind (path, then content for YAML); the client only
// narrows the search to names that can be one and leaves out what the user excluded.
import { DOCKERFILE_PATTERNS, NUGET_CONFIG_GLOB } from './documentSelector';

/** At most this many files per command: a large monorepo is linted in part, and the user is told. */
export const MAX_WORKSPACE_FILES = 2_000;

/** One glob (for vscode.workspace.findFiles) for Dockerfiles, nuget.config and every YAML file. */
export const WORKSPACE_INCLUDE = `{${[...DOCKERFILE_PATTERNS, NUGET_CONFIG_GLOB, '**/*.yml', '**/*.yaml'].join(',')}}`;

/** Always left out, whatever the settings say. */
export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

/**
 * Globs for the patterns of a folder's root `.gitignore`, in the sense findFiles gives exclude globs
 * (relative to that folder). An approximation that errs on linting more: negations (`!keep`) are
 * dropped (the file stays excluded only when no pattern names it), nested `.gitignore` files are not read.
 */
export function gitignoreGlobs(text: string): string[] {
  const globs: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    if (line.startsWith('\\')) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    // A slash at the start or in the middle anchors the pattern at the folder; otherwise it matches at any depth.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '' || /[{}]/.test(line)) continue;
    const base = anchored || line.startsWith('**/') ? line : `**/${line}`;
    globs.push(`${base}/**`);
    if (!directoryOnly) globs.push(base);
  }
  return [...new Set(globs)];
}

/** The exclude glob for findFiles: the fixed folders, the `.gitignore` globs and the user's own. */
export function excludeGlob(gitignore: readonly string[], extra: readonly string[] = []): string {
  return `{${[...ALWAYS_EXCLUDED, ...gitignore, ...extra].join(',')}}`;
}

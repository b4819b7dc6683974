// The files some documents include and so make part of their kind whatever their names (GitLab's
// `include: local:`; DocumentKind.includedFiles), followed through nested includes. Shared by the CLI's walk
// and the language server, which start from different files (every pipeline found; the repository's root
// pipeline) and read them differently (the disk; open editors first).
import * as path from 'node:path';
import { documentKind } from '../engine/kinds/index';
import type { FileKind } from '../engine/types';

export interface IncludedFile {
  kind: FileKind;
  /** The sub-kind to build it as (`buildModel`'s includedAs). */
  includedAs: string;
}

/**
 * Every file the `starts` include, nested includes too, by absolute path; each file is looked at once, at
 * most `limit` files, and read only when its kind says it may include any. Include paths start at the including file's repository root
 * (`rootOf`); a path outside that root is not followed. `read` gives a file's text or null.
 */
export function followIncludes(
  starts: ReadonlyArray<{ file: string; kind: FileKind; includedAs?: string }>,
  rootOf: (file: string) => string,
  read: (file: string) => string | null,
  limit: number,
): Map<string, IncludedFile> {
  const included = new Map<string, IncludedFile>();
  const pending = starts.map((start) => ({ ...start, file: path.resolve(start.file) }));
  const seen = new Set<string>();
  while (pending.length > 0 && seen.size < limit) {
    const { file, kind, includedAs } = pending.shift()!;
    const includedFiles = documentKind(kind).includedFiles;
    if (seen.has(file) || !includedFiles) continue;
    seen.add(file);
    const entries = includedFiles(file, includedAs, () => read(file));
    if (entries.length === 0) continue;
    const root = rootOf(file);
    for (const entry of entries) {
      const absolute = path.resolve(root, entry.path);
      if (absolute !== root && !absolute.startsWith(root + path.sep)) continue;
      if (!included.has(absolute)) included.set(absolute, { kind, includedAs: entry.includedAs });
      pending.push({ file: absolute, kind, includedAs: entry.includedAs });
    }
  }
  return included;
}

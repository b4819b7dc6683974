// Finds the files to lint below the given paths. Dot-folders such as `.github` are walked (pipelines
// live there); `.git` and `node_modules` are not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileKindFor, fileKindForPath, mayBeRecognisedByContent } from '../engine/kinds/index';
import type { FileKind } from '../engine/types';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

export interface FoundFile {
  path: string;
  kind: FileKind;
}

export class InputError extends Error {}

/**
 * Code-unit order of two names: the same on every machine, whatever the locale (localeCompare is not)
 * and whatever order the file system lists a folder in.
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Path order, folder by folder (`a/b` before `a-b/c`), so every run reports files in the same order. */
export function comparePaths(a: string, b: string): number {
  const left = path.resolve(a).split(path.sep);
  const right = path.resolve(b).split(path.sep);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareNames(left[i]!, right[i]!);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** The files to lint below `inputs`, in path order (see comparePaths), each once. */
export function findFiles(inputs: readonly string[]): FoundFile[] {
  const found: FoundFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, kind: FileKind): void => {
    const key = path.resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      found.push({ path: file, kind });
    }
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new InputError(`${input}: no such file or folder`);
    }
    if (stat.isFile()) {
      // A file named explicitly is linted even if its name is unusual (e.g. `build/windows.df`); YAML is
      // linted when it is a pipeline.
      const kind = fileKindForPath(input) ?? (mayBeRecognisedByContent(input) ? kindByContent(input) : 'dockerfile');
      if (kind) add(input, kind);
    } else if (stat.isDirectory()) {
      walk(input, add);
    }
  }
  return found.sort((a, b) => comparePaths(a.path, b.path));
}

function walk(directory: string, add: (file: string, kind: FileKind) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`${directory}: cannot read folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
    for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(full, add);
    } else if (entry.isFile()) {
      const kind = fileKindForPath(full) ?? (mayBeRecognisedByContent(entry.name) ? kindByContent(full) : null);
      if (kind) add(full, kind);
    }
  }
}

/** Files past this size are not opened to see whether they are pipelines (no pipeline is that large). */
const CONTENT_SNIFF_LIMIT = 1024 * 1024;

/** The kind of a file its path does not settle (an Azure Pipelines template in `eng/`), from its content. */
function kindByContent(file: string): FileKind | null {
  try {
    if (fs.statSync(file).size > CONTENT_SNIFF_LIMIT) return null;
    return fileKindFor(file, fs.readFileSync(file, 'utf8'));
  } catch {
    // Unreadable here: the lint of a file the walk does not take cannot fail either.
    return null;
  }
}

// Finds the files to lint below the given paths. Dot-folders such as `.github` are walked (pipelines
// live there); `.git` and `node_modules` are not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentCandidateKind, fileKindForPath, mayBeRecognisedByContent } from '../engine/kinds/index';
import { followIncludes } from '../node/includedFiles';
import type { FileKind } from '../engine/types';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

export interface FoundFile {
  path: string;
  kind: FileKind;
  /** Why this path cannot be linted, found while walking (a folder that cannot be read): reported in its place. */
  problem?: string;
  /**
   * Only its content can make it of `kind` (a pipeline template in `eng/`): the lint builds the model,
   * keeps the file if the kind recognises the model, and otherwise skips it without a word.
   */
  byContent?: true;
  /** A sub-kind another file gave it (a file a `.gitlab-ci.yml` includes with `local:`): see withIncludedFiles. */
  includedAs?: string;
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
  const add = (file: string, kind: FileKind, problem?: string, byContent?: true): void => {
    const key = path.resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      found.push({ path: file, kind, ...(problem ? { problem } : {}), ...(byContent ? { byContent } : {}) });
    }
  };
  const addByContent = (file: string): void => {
    const kind = kindByContent(file);
    if (kind) add(file, kind, undefined, true);
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (error) {
      // A broken symlink or a symlink loop named explicitly: linting it reports which.
      if (!isSymlink(input)) throw new InputError(`${input}: no such file or folder`);
      add(input, fileKindForPath(input) ?? 'dockerfile');
      continue;
    }
    if (stat.isDirectory()) {
      walk(input, add, addByContent);
    } else {
      // A file named explicitly is linted even if its name is unusual (e.g. `build/windows.df`); YAML is
      // linted when it is a pipeline. A FIFO or a device is taken too, and reported, never read.
      const kind = fileKindForPath(input);
      if (kind) add(input, kind);
      else if (stat.isFile() && mayBeRecognisedByContent(input)) addByContent(input);
      else add(input, 'dockerfile');
    }
  }
  return found.sort((a, b) => comparePaths(a.path, b.path));
}

function walk(directory: string, add: (file: string, kind: FileKind, problem?: string) => void, addByContent: (file: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    // Reported in its place; the rest of the tree is still linted.
    add(directory, 'dockerfile', `cannot read folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return;
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(full, add, addByContent);
    } else if (entry.isFile()) {
      const kind = fileKindForPath(full);
      if (kind) add(full, kind);
      else if (mayBeRecognisedByContent(entry.name)) addByContent(full);
    } else {
      // A symlink (whatever it points at: a file, nothing, itself, /dev/zero), a FIFO, a device or a socket
      // with a linted name: linting it reads what it is first and reports what cannot be read. Symlinks to
      // folders are not followed (no loops); their name is not a linted file name either.
      const kind = fileKindForPath(full);
      if (kind && !(entry.isSymbolicLink() && isFolder(full))) add(full, kind);
    }
  }
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Files past this size are not opened to see whether they are pipelines (no pipeline is that large). */
const CONTENT_SNIFF_LIMIT = 1024 * 1024;

/**
 * The kind a file its path does not settle (an Azure Pipelines template in `eng/`) may be, from a line
 * scan of its content (most other YAML is ruled out without a parse). The lint parses it once, and
 * skips it if the model says it is not of that kind after all (FoundFile.byContent).
 */
function kindByContent(file: string): FileKind | null {
  try {
    if (fs.statSync(file).size > CONTENT_SNIFF_LIMIT) return null;
    return contentCandidateKind(file, fs.readFileSync(file, 'utf8'));
  } catch {
    // Unreadable here: the lint of a file the walk does not take cannot fail either.
    return null;
  }
}

/** How many files the walk reads to follow includes at most (GitLab allows 150 includes per pipeline). */
const MAX_INCLUDE_FILES_READ = 1_000;

/**
 * The found files with the files they include (DocumentKind.includedFiles: a GitLab pipeline's `local:`
 * includes, whatever their names), nested includes too, each once and in path order. Only files inside
 * the walked folders (or named as inputs) are added: linting `.gitlab-ci.yml` alone lints that file.
 * `rootOf` gives a file's repository root, which include paths start from.
 */
export function withIncludedFiles(found: FoundFile[], inputs: readonly string[], rootOf: (file: string) => string, read: (file: string) => string | null): FoundFile[] {
  const byPath = new Map(found.map((file) => [path.resolve(file.path), file] as const));
  const folders = inputs.map((input) => path.resolve(input));
  const within = (file: string) => folders.some((folder) => file === folder || file.startsWith(folder + path.sep));
  const starts = found.filter((file) => !file.problem).map((file) => ({ file: file.path, kind: file.kind, ...(file.includedAs ? { includedAs: file.includedAs } : {}) }));
  for (const [absolute, included] of followIncludes(starts, rootOf, read, MAX_INCLUDE_FILES_READ)) {
    // Already of that kind by its own name (`*.gitlab-ci.yml`): linted as such anyway.
    if (!within(absolute) || fileKindForPath(absolute) === included.kind || !fs.existsSync(absolute)) continue;
    const written = byPath.get(absolute)?.path ?? (path.relative(process.cwd(), absolute) || absolute);
    byPath.set(absolute, { path: written, kind: included.kind, includedAs: included.includedAs });
  }
  return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
}

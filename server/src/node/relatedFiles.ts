// Reading the other files of a repository for cross-file rules (RuleContext.readRelated): paths relative
// to the repository root (the nearest folder above the linted file holding `.git`, else the file's
// folder), never absolute, never leaving the root (`..`, symlinks pointing out), at most 256 KB a file and
// 20 files per linted document, decoded as the CLI decodes its inputs. The editor adds two things: the
// text of files open in it (unsaved edits count), and a record of every path asked for, so that a
// pipeline is linted again when a Dockerfile or template it read changes (lsp/relatedDocuments.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RelatedReader } from '../engine/rules/rule';
import { readInput } from '../cli/readInput';

export const RELATED_MAX_BYTES = 256 * 1024;
export const RELATED_MAX_FILES = 20;

/** The repository root of a file: the nearest folder above it with `.git` (a folder or a worktree file), else its own folder. */
export function repositoryRoot(file: string, stopAt?: string): string {
  const start = path.dirname(path.resolve(file));
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, '.git'))) return directory;
    if ((stopAt && path.resolve(stopAt) === directory) || path.dirname(directory) === directory) {
      if (stopAt) return path.resolve(stopAt);
      // No repository: a workflow's root is the folder above `.github/workflows`.
      const github = /^(.*)[\\/]\.github[\\/]workflows$/.exec(start);
      return github ? github[1]! : start;
    }
  }
}

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export interface RelatedReaderOptions {
  /** The linted file (absolute): the reader's `documentPath` is its path from the root (Azure template paths are relative to it). */
  document?: string;
  /** The text an editor holds for a file (unsaved edits), by absolute path; null: read it from disk. */
  overlay?: (absolutePath: string) => string | null;
  /** Told each absolute path asked for (whether or not it could be read): a file created later counts too. */
  onRead?: (absolutePath: string) => void;
}

const toSlashes = (relative: string) => relative.split(path.sep).join('/');

/** A reader for one linted document (a fresh budget of files each time). */
export function relatedReader(root: string, options: RelatedReaderOptions = {}): RelatedReader {
  let budget = RELATED_MAX_FILES;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return () => null;
  }
  const reader: RelatedReader = (relativePath) => {
    const written = relativePath.trim().replace(/\\/g, '/');
    if (written === '' || path.isAbsolute(written) || /^[a-zA-Z]:/.test(written) || written.includes('\0')) return null;
    const full = path.resolve(realRoot, written);
    if (!inside(realRoot, full) || budget <= 0) return null;
    budget--;
    options.onRead?.(full);
    let real = full;
    try {
      real = fs.realpathSync(full);
    } catch {
      // Not on disk (yet): an editor may still hold it.
    }
    if (!inside(realRoot, real)) return null;
    if (real !== full) options.onRead?.(real);
    const held = options.overlay?.(real) ?? (real !== full ? options.overlay?.(full) : null) ?? null;
    if (held !== null) return held.length > RELATED_MAX_BYTES ? null : { text: held, path: toSlashes(path.relative(realRoot, real)) };
    try {
      const input = readInput(real, RELATED_MAX_BYTES);
      return { text: input.text, path: toSlashes(path.relative(realRoot, real)) };
    } catch {
      return null;
    }
  };
  if (options.document) {
    let document = path.resolve(options.document);
    try {
      document = fs.realpathSync(document);
    } catch {
      // An unsaved document keeps the path it was given.
    }
    if (inside(realRoot, document)) reader.documentPath = toSlashes(path.relative(realRoot, document));
  }
  return reader;
}

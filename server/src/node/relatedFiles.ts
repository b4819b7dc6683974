// Reading the other files of a repository for cross-file rules (RuleContext.readRelated): paths relative
// to the repository root (the nearest folder above the linted file holding `.git`, else the file's
// folder), never absolute, never leaving the root (`..`, symlinks pointing out), at most 256 KB a file and
// 20 files per linted document, decoded as the CLI decodes its inputs.
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

/** A reader for one linted document (a fresh budget of files each time). */
export function relatedReader(root: string): RelatedReader {
  let budget = RELATED_MAX_FILES;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return () => null;
  }
  return (relativePath) => {
    const written = relativePath.trim().replace(/\\/g, '/');
    if (written === '' || path.isAbsolute(written) || /^[a-zA-Z]:/.test(written) || written.includes('\0')) return null;
    const full = path.resolve(realRoot, written);
    if (!inside(realRoot, full) || budget <= 0) return null;
    budget--;
    try {
      const real = fs.realpathSync(full);
      if (!inside(realRoot, real)) return null;
      const input = readInput(real, RELATED_MAX_BYTES);
      return { text: input.text, path: path.relative(realRoot, real).split(path.sep).join('/') };
    } catch {
      return null;
    }
  };
}

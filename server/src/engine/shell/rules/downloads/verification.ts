// Which downloads to a file a later integrity check covers: the data flow from `-OutFile x` / `-o x` to
// `Get-FileHash x`, `sha256sum -c`, `gpg --verify` in the same script or one that runs after it and sees
// its files (a later RUN of the stage or of a stage built FROM it; a later step of the job). Shared by download-without-integrity-check (unchecked downloads) and cleartext-download
// (a checked download over HTTP is a smaller risk).
import type { ScriptHost } from '../../scriptHost';
import { runsLaterInLineage, runsOnWindows } from './commandTree';
import { basenameOf, normalizePath, normalizePosixVariables, pathMatch } from './filePaths';
import { integrityChecksOf, type IntegrityCheck } from './integrityChecks';
import { downloadsOf, type Download } from './webDownloads';

/** A download saved to a file: the only kind a later check can verify. */
export interface SavedDownload extends Download {
  target: Extract<Download['target'], { kind: 'file' }>;
}

export function isSaved(download: Download): download is SavedDownload {
  return download.target.kind === 'file';
}

const cache = new WeakMap<ScriptHost, Map<Download, IntegrityCheck[]>>();

/** The downloads of the document that a later check covers, each with the checks that cover it. */
export function verifiedDownloads(host: ScriptHost): ReadonlyMap<Download, readonly IntegrityCheck[]> {
  let verified = cache.get(host);
  if (!verified) {
    verified = new Map();
    const checks = integrityChecksOf(host);
    const saved = downloadsOf(host).filter(isSaved);
    // Each download's comparable path once, and which file names more than one download uses: the
    // comparisons below then cost a lookup, not a normalisation of every other download (a RUN with a
    // thousand downloads and checks is otherwise cubic).
    const keys = new Map(saved.map((download) => [download, comparablePath(download, download.target.path)] as const));
    const keysByBasename = new Map<string, Set<string>>();
    for (const key of keys.values()) {
      const name = basenameOf(key);
      const set = keysByBasename.get(name) ?? new Set<string>();
      set.add(key);
      keysByBasename.set(name, set);
    }
    // A check can only cover a download of its own RUN (a list of files it does not name) or one whose
    // file name it names, so each download is compared with those checks only, not with every check of
    // the file (125 downloads and 125 checks in a 5,000-line Dockerfile were 15,000 comparisons per lint).
    const candidates = checkIndex(checks);
    const comparable = new Map<string, string>();
    for (const download of saved) {
      const key = keys.get(download)!;
      const covering = candidates(download, key).filter((check) => verifies(check, download, key, keysByBasename, comparable));
      if (covering.length > 0) verified.set(download, covering);
    }
    cache.set(host, verified);
  }
  return verified;
}

/** The checks that may cover a download: those of its RUN and those naming a file of the same base name, in source order. */
function checkIndex(checks: readonly IntegrityCheck[]): (download: SavedDownload, key: string) => IntegrityCheck[] {
  const byRun = new Map<number, number[]>();
  const byName = new Map<string, number[]>();
  const add = <Key>(index: Map<Key, number[]>, key: Key, position: number): void => {
    const list = index.get(key);
    if (!list) index.set(key, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  };
  checks.forEach((check, position) => {
    add(byRun, check.placed.runIndex, position);
    for (const file of check.files) add(byName, looseBasename(file), position);
  });
  return (download, key) => {
    const positions = new Set([...(byRun.get(download.placed.runIndex) ?? []), ...(byName.get(looseBasename(key)) ?? [])]);
    return [...positions].sort((a, b) => a - b).map((position) => checks[position]!);
  };
}

/**
 * A file's base name in the loosest spelling (variables as `%name%`, lower case): two paths whose
 * comparable forms share a base name in any shell's spelling share this one, so it can bucket candidates.
 */
function looseBasename(path: string): string {
  return basenameOf(normalizePath(normalizePosixVariables(path), true));
}

/** The check runs after the download, in its script or a later one that sees the file, and names the same file. */
function verifies(check: IntegrityCheck, download: SavedDownload, key: string, keysByBasename: ReadonlyMap<string, ReadonlySet<string>>, comparable: Map<string, string>): boolean {
  if (!runsLaterInLineage(download.placed, check.placed)) return false;
  // A list of files we cannot see, or a download whose name we cannot tell: any later check of the script may be the one.
  if ((check.coversUnnamedFiles || download.target.path === '') && check.placed.run === download.placed.run) return true;
  return check.files.some((file) => {
    const match = pathMatch(key, comparablePathOnce(download, file, comparable));
    // A bare file name stands for the download only when no other download has that name.
    return match === 'exact' || (match === 'basename' && (keysByBasename.get(basenameOf(key))?.size ?? 0) <= 1);
  });
}

/** comparablePath, remembered per spelling (shell and case rule) and path. */
function comparablePathOnce(download: Download, path: string, memo: Map<string, string>): string {
  const spelling = `${download.placed.located.command.shell === 'posix' ? 'p' : 'n'}${runsOnWindows(download.placed) ? 'w' : 'u'}\u0000${path}`;
  let result = memo.get(spelling);
  if (result === undefined) {
    result = comparablePath(download, path);
    memo.set(spelling, result);
  }
  return result;
}

/** A path in the spelling of the download's shell and file system, for comparison. */
function comparablePath(download: Download, path: string): string {
  const posix = download.placed.located.command.shell === 'posix';
  return normalizePath(posix ? normalizePosixVariables(path) : path, runsOnWindows(download.placed));
}

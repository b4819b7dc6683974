// Which downloads to a file a later integrity check covers: the data flow from `-OutFile x` / `-o x` to
// `Get-FileHash x`, `sha256sum -c`, `gpg --verify` in the same RUN, a later RUN of the stage, or a stage
// built FROM it. Shared by download-without-integrity-check (unchecked downloads) and cleartext-download
// (a checked download over HTTP is a smaller risk).
import type { DockerfileModel } from '../../../../dockerfile/model';
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

const cache = new WeakMap<DockerfileModel, Map<Download, IntegrityCheck[]>>();

/** The downloads of the Dockerfile that a later check covers, each with the checks that cover it. */
export function verifiedDownloads(model: DockerfileModel): ReadonlyMap<Download, readonly IntegrityCheck[]> {
  let verified = cache.get(model);
  if (!verified) {
    verified = new Map();
    const checks = integrityChecksOf(model);
    const saved = downloadsOf(model).filter(isSaved);
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
    for (const download of saved) {
      const covering = checks.filter((check) => verifies(check, download, keys.get(download)!, keysByBasename));
      if (covering.length > 0) verified.set(download, covering);
    }
    cache.set(model, verified);
  }
  return verified;
}

/** The check runs after the download, in its RUN or a later one that inherits the file, and names the same file. */
function verifies(check: IntegrityCheck, download: SavedDownload, key: string, keysByBasename: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  if (!runsLaterInLineage(download.placed, check.placed)) return false;
  // A list of files we cannot see, or a download whose name we cannot tell: any later check of the RUN may be the one.
  if ((check.coversUnnamedFiles || download.target.path === '') && check.placed.run === download.placed.run) return true;
  return check.files.some((file) => {
    const match = pathMatch(key, comparablePath(download, file));
    // A bare file name stands for the download only when no other download has that name.
    return match === 'exact' || (match === 'basename' && (keysByBasename.get(basenameOf(key))?.size ?? 0) <= 1);
  });
}

/** A path in the spelling of the download's shell and file system, for comparison. */
function comparablePath(download: Download, path: string): string {
  const posix = download.placed.located.command.shell === 'posix';
  return normalizePath(posix ? normalizePosixVariables(path) : path, runsOnWindows(download.placed));
}

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
    for (const download of saved) {
      const covering = checks.filter((check) => verifies(check, download, saved));
      if (covering.length > 0) verified.set(download, covering);
    }
    cache.set(model, verified);
  }
  return verified;
}

/** The check runs after the download, in its RUN or a later one that inherits the file, and names the same file. */
function verifies(check: IntegrityCheck, download: SavedDownload, saved: readonly SavedDownload[]): boolean {
  if (!runsLaterInLineage(download.placed, check.placed)) return false;
  // A list of files we cannot see, or a download whose name we cannot tell: any later check of the RUN may be the one.
  if ((check.coversUnnamedFiles || download.target.path === '') && check.placed.run === download.placed.run) return true;
  const key = comparablePath(download, download.target.path);
  return check.files.some((file) => {
    const match = pathMatch(key, comparablePath(download, file));
    // A bare file name stands for the download only when no other download has that name.
    return match === 'exact' || (match === 'basename' && !saved.some((other) => {
      const otherKey = comparablePath(other, other.target.path);
      return otherKey !== key && basenameOf(otherKey) === basenameOf(key);
    }));
  });
}

/** A path in the spelling of the download's shell and file system, for comparison. */
function comparablePath(download: Download, path: string): string {
  const posix = download.placed.located.command.shell === 'posix';
  return normalizePath(posix ? normalizePosixVariables(path) : path, runsOnWindows(download.placed));
}

import type { DockerfileModel } from '../../../../dockerfile/model';
import type { Fix } from '../../../../types';
import type { DockerfileRule } from '../../../rule';
import { checkTemplate, EXPECTED_HASH_PLACEHOLDER, quoteContextAt } from './checkTemplates';
import { commandTreeOf, runsLaterInLineage, runsOnWindows, type CommandTree } from './commandTree';
import { basenameOf, normalizePath, normalizePosixVariables, pathMatch } from './filePaths';
import { integrityChecksOf, type IntegrityCheck } from './integrityChecks';
import { downloadsOf, type Download } from './webDownloads';

/** A download saved to a file: the only kind a later check can verify (piped ones belong to download-and-execute). */
interface SavedDownload extends Download {
  target: Extract<Download['target'], { kind: 'file' }>;
}

export const downloadWithoutIntegrityCheck: DockerfileRule = {
  meta: {
    id: 'download-without-integrity-check',
    title: 'RUN downloads a file without checking its hash or signature',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [494],
    references: ['NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.11', 'CIS Docker Benchmark 4.12'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.0,
  },
  check(model, report) {
    const tree = commandTreeOf(model);
    const checks = integrityChecksOf(model);
    const saved = downloadsOf(model).filter((d): d is SavedDownload => d.target.kind === 'file');
    for (const download of saved) {
      if (checks.some((check) => verifies(check, download, saved))) continue;
      const { located } = download.placed;
      const file = download.target.path || 'the file';
      const advice = runsOnWindows(download.placed)
        ? `Compare \`(Get-FileHash ${file} -Algorithm SHA256).Hash\` with the SHA256 its publisher lists, and fail the build when they differ, before using the file.`
        : `Check it with \`sha256sum -c\` against the published SHA256 (or \`gpg --verify\` its signature) before using it.`;
      report({
        range: located.rangeOf(download.url ?? located.command.name),
        message: `\`${download.tool}\` saves \`${file}\` and nothing checks it afterwards: a changed or tampered download would go into the image unnoticed. ${advice}`,
        fixes: [insertCheckFix(model, tree, download)],
      });
    }
    for (const check of checks) {
      if (!check.placeholder) continue;
      report({
        range: tree.rangeAt(check.placeholder),
        message: `Fill in the expected hash: replace \`${EXPECTED_HASH_PLACEHOLDER}\` with the SHA256 of the download (64 hex digits) as its publisher lists it.`,
      });
    }
  },
};

/** The check runs after the download, in its RUN or a later one that inherits the file, and names the same file. */
function verifies(check: IntegrityCheck, download: SavedDownload, saved: readonly SavedDownload[]): boolean {
  if (!runsLaterInLineage(download.placed, check.placed)) return false;
  if (check.coversUnnamedFiles && check.placed.run === download.placed.run) return true;
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

function comparablePath(download: Download, path: string): string {
  const posix = download.placed.located.command.shell === 'posix';
  return normalizePath(posix ? normalizePosixVariables(path) : path, runsOnWindows(download.placed));
}

/** Inserts a hash check with the placeholder right after the download's pipeline, in the download's shell. */
function insertCheckFix(model: DockerfileModel, tree: CommandTree, download: SavedDownload): Fix {
  const { located } = download.placed;
  const { pipeline } = located.command;
  const last = pipeline[pipeline.length - 1] ?? located.command;
  const end = located.rangeOf(last.args[last.args.length - 1] ?? last.name).end;
  const offset = model.document.offsetAt(end);
  const token = download.target.token;
  const written = token ? tree.writtenText(located, token) : null;
  const text = checkTemplate(located.command.shell, { written, path: download.target.path }, quoteContextAt(model, located.run, offset));
  return {
    title: 'Insert a SHA256 check (fill in the expected hash)',
    edits: [{ range: { start: end, end }, newText: text }],
    // The placeholder fails the build until someone fills in the real hash: offered, never applied by fix-all.
    safeForFixAll: false,
  };
}

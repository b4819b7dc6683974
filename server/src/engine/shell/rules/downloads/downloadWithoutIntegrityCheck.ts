import type { ScriptHost } from '../../scriptHost';
import { continuationLineBreak, type RunAnalysis } from '../../runAnalysis';
import { excerpt } from '../../../excerpt';
import type { Fix } from '../../../types';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { checkTemplate, EXPECTED_HASH_PLACEHOLDER } from './checkTemplates';
import { commandTreeOf, runsOnWindows, type CommandTree } from './commandTree';
import { integrityChecksOf } from './integrityChecks';
import { isSaved, verifiedDownloads, type SavedDownload } from './verification';
import { downloadsOf, isCommitPinned, isFromLoopback, isFromOwnCiServer } from './webDownloads';

export const downloadWithoutIntegrityCheck: ScriptRule = {
  meta: {
    id: 'download-without-integrity-check',
    title: 'A script downloads a file without checking its hash or signature',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [494],
    references: ['NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.11', 'CIS Docker Benchmark 4.12'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.0,
  },
  checkScripts(host, report) {
    const tree = commandTreeOf(host);
    const verified = verifiedDownloads(host);
    // The why (a changed or tampered download goes in unnoticed) is on the rule page; the message says what to do.
    // Piped and in-memory downloads are download-and-execute's; the machine's own server, the CI server's
    // own artifacts and content named by its git commit need no check.
    for (const download of downloadsOf(host).filter(isSaved)) {
      if (verified.has(download) || isFromLoopback(download) || isFromOwnCiServer(download) || isCommitPinned(download)) continue;
      const { located } = download.placed;
      const path = download.target.path;
      report({
        range: located.rangeOf(download.url ?? located.command.name),
        message: `\`${download.tool}\` saves ${path ? `\`${excerpt(path)}\`` : 'a file'} and nothing checks it; ${adviceFor(download)}`,
        // Without a file name there is nothing to hash in a template.
        fixes: path ? insertCheckFix(host, tree, download) : [],
      });
    }
    for (const check of integrityChecksOf(host)) {
      if (!check.placeholder) continue;
      report({
        range: tree.rangeAt(check.placeholder),
        message: `Fill in the expected hash: replace \`${EXPECTED_HASH_PLACEHOLDER}\` with the publisher's SHA256 of the download.`,
      });
    }
  },
};

/** How to check the file in the shell (and on the platform) of the download. */
function adviceFor(download: SavedDownload): string {
  const path = download.target.path || '<file>';
  // A command is quoted only whole: a path cut to fit the message would not paste (the file is named before).
  const whole = excerpt(path) === path;
  switch (download.placed.located.command.shell) {
    case 'powershell':
      return whole ? `compare \`(Get-FileHash ${path}).Hash\` with the publisher's SHA256 before using it.` : 'compare its `Get-FileHash` with the publisher\'s SHA256 before using it.';
    case 'cmd':
      return whole ? `check \`certutil -hashfile ${path} SHA256\` against the publisher's SHA256 before using it.` : 'check its `certutil -hashfile … SHA256` against the publisher\'s SHA256 before using it.';
    case 'posix':
      return runsOnWindows(download.placed)
        ? 'check it with `sha256sum -c` (or `Get-FileHash`) against the publisher\'s SHA256 before using it.'
        : 'check it with `sha256sum -c` against the publisher\'s SHA256 (or `gpg --verify` it) before using it.';
  }
}

/**
 * Inserts a hash check with the placeholder right after the download's pipeline, in the download's shell;
 * none when the host cannot write it there safely.
 */
function insertCheckFix(host: ScriptHost, tree: CommandTree, download: SavedDownload): Fix[] {
  const { located } = download.placed;
  const { pipeline } = located.command;
  const last = pipeline[pipeline.length - 1] ?? located.command;
  const end = located.rangeOf(last.args[last.args.length - 1] ?? last.name).end;
  const offset = host.document.offsetAt(end);
  const token = download.target.token;
  const written = token ? tree.writtenText(located, token) : null;
  const template = checkTemplate(located.command.shell, { written, path: download.target.path }, host.quoteContextAt(located.run, offset));
  // In a Dockerfile RUN the check gets a continuation line of its own, not the end of a long line;
  // pipeline scripts keep it on the download's line (a YAML scalar's line breaks are the host's business).
  const lineBreak = host.kind === 'dockerfile' ? continuationLineBreak(located.run as RunAnalysis, offset) : null;
  const text = lineBreak ? onNewLine(template, lineBreak) : template;
  const fix = host.fix(located.run, {
    title: 'Insert a SHA256 check (fill in the expected hash)',
    edits: [{ range: { start: end, end }, newText: text }],
    // The placeholder fails the build until someone fills in the real hash: offered, never applied by fix-all.
    safeForFixAll: false,
  });
  return fix ? [fix] : [];
}

/** `; check` → `;<line break>check`: the separator stays at the end of the download's line. */
function onNewLine(template: string, lineBreak: string): string {
  const separator = /^(\s*(?:;|&&))\s*/.exec(template);
  return separator ? `${separator[1]}${lineBreak}${template.slice(separator[0].length)}` : template;
}

import type { Fix } from '../../../../types';
import { excerpt } from '../../../../excerpt';
import { SCRIPT_FILE_KINDS, type Report, type ScriptRule } from '../../../rule';
import { commandTreeOf, type CommandTree, type PlacedCommand } from './commandTree';
import { literalBehind, type Literal } from './literals';
import { packageSourcesOf } from './packageSources';
import { hostOf, HTTPS_HOSTS, isHttpUrl, isLoopbackHost } from './urls';
import type { IntegrityCheck } from './integrityChecks';
import { verifiedDownloads } from './verification';
import { downloadsOf, type Download } from './webDownloads';

export const cleartextDownload: ScriptRule = {
  meta: {
    id: 'cleartext-download',
    title: 'A script downloads over plain HTTP or uses an HTTP package source',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [319],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.2.1', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.9,
  },
  checkScripts(host, report) {
    const tree = commandTreeOf(host);
    const verified = verifiedDownloads(host);
    // One finding per written URL, however many commands use it (an ENV read by several RUNs).
    const reported = new Set<string>();
    const flag = (placed: PlacedCommand, literal: Literal | null, what: string, checked = false): void => {
      if (!literal || !isCleartext(literal.value)) return;
      const key = JSON.stringify(literal.range.start);
      if (reported.has(key)) return;
      reported.add(key);
      reportCleartext(tree, report, { placed, literal, what, checked });
    };
    const cleartext = downloadsOf(host).filter((d) => d.literal && isCleartext(d.literal.value));
    for (const download of cleartext) flag(download.placed, download.literal, `\`${download.tool}\` downloads`, isCheckedAgainstPinnedHash(download, verified.get(download), cleartext));
    for (const placed of tree.commands) {
      for (const source of packageSourcesOf(placed)) flag(placed, literalBehind(tree, placed, source.url), `\`${source.tool}\` uses the package source`);
    }
  },
};

interface Cleartext {
  placed: PlacedCommand;
  literal: Literal;
  /** What the command does with the URL, for the message: "`iwr` downloads", "`pip` uses the package source". */
  what: string;
  /** The downloaded file's hash or signature is checked later: a replaced file would fail the build. */
  checked: boolean;
}

/**
 * A later check covers the download, and the expected value did not travel in clear text too: no other HTTP
 * download in the RUNs of the download and its checks (`jenkins.war` checked against `jenkins.war.sha256` from
 * the same HTTP mirror proves nothing).
 */
function isCheckedAgainstPinnedHash(download: Download, checks: readonly IntegrityCheck[] | undefined, cleartext: readonly Download[]): boolean {
  if (!checks) return false;
  const runs = new Set([download.placed.run, ...checks.map((check) => check.placed.run)]);
  return !cleartext.some((other) => other !== download && runs.has(other.placed.run));
}

/** `http://` to anywhere but the machine itself. */
function isCleartext(url: string): boolean {
  return isHttpUrl(url) && !isLoopbackHost(hostOf(url));
}

function reportCleartext(tree: CommandTree, report: Report, { placed, literal, what, checked }: Cleartext): void {
  const host = hostOf(literal.value);
  const fix = HTTPS_HOSTS.has(host) ? httpsFix(tree, placed, literal, host) : null;
  const advice = fix ? `${host} serves HTTPS: use \`https://\`` : 'Use an `https://` URL (check the host serves it)';
  // Windows PowerShell 5.1 may need TLS 1.2 switched on for that https URL.
  const tls = placed.located.command.shell === 'powershell' ? ' (PowerShell 5.1: set `SecurityProtocol` to `Tls12` first)' : '';
  const mitigated = checked ? ' (its hash is checked afterwards)' : '';
  report({
    range: literal.range,
    message: `${what} \`${excerpt(literal.value, 80)}\` over plain HTTP${mitigated}. ${advice}${tls}.`,
    fixes: fix ? [fix] : [],
    // A checked download only leaks what is fetched; the hash check already stops tampering.
    ...(checked ? { severity: 'info' as const } : {}),
  });
}

/** Rewrites the scheme where the URL is written (in the command, an assignment or an ENV), whatever quotes surround it. */
function httpsFix(tree: CommandTree, placed: PlacedCommand, literal: Literal, host: string): Fix | null {
  const document = tree.document;
  const start = document.offsetAt(literal.range.start);
  const at = document.getText(literal.range).search(/http:\/\//i);
  if (at < 0) return null;
  return tree.host.fix(placed.run, {
    title: `Use https://${host}`,
    edits: [{ range: tree.rangeAt({ start: start + at, end: start + at + 'http'.length }), newText: 'https' }],
    // The host serves HTTPS, but a pinned path or mirror may still differ there: offered, not applied by fix-all.
    safeForFixAll: false,
  });
}

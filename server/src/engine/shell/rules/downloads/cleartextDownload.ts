import { JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import type { Fix, Range } from '../../../types';
import { excerpt } from '../../../excerpt';
import { expandedAddSource, type DockerfileScriptHost } from '../../runAnalysis';
import { SCRIPT_FILE_KINDS, type Report, type ScriptRule } from '../../../rules/rule';
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
    title: 'A script or `ADD` downloads over plain HTTP, or a script uses an HTTP package source',
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
    if (host.kind === 'dockerfile') checkAddSources(host as DockerfileScriptHost, report);
  },
};

/**
 * The one Dockerfile-only part: `ADD http://…` downloads at build time like a script does. URL logic
 * (cleartext, loopback, HTTPS hosts) and the message are the script case's; `--checksum` (whatever its
 * value: add-remote-without-checksum judges it) plays the later hash check.
 */
function checkAddSources(host: DockerfileScriptHost, report: Report): void {
  for (const stage of host.model.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'ADD' || !(instruction instanceof ModifiableInstruction)) continue;
      const checked = instruction.getFlags().some((flag) => flag.getName() === 'checksum' && !!flag.getValue());
      // JSON form (`ADD ["src", "dest"]`) or plain arguments; the last one is the destination.
      const json = instruction instanceof JSONInstruction ? instruction.getJSONStrings() : [];
      const written = json.length > 0
        ? json.map((string) => ({ url: string.getJSONValue(), range: string.getRange() }))
        : instruction.getArguments().map((arg) => ({ url: arg.getValue(), range: arg.getRange() }));
      for (const { url: writtenUrl, range } of written.slice(0, -1)) {
        // Through ARG/ENV (`ADD ${MSI_URL} …`): the value the variable has here.
        const url = expandedAddSource(host.model, stage, instruction, writtenUrl)?.url ?? writtenUrl;
        if (!isCleartext(url)) continue;
        const start = host.document.offsetAt(range.start);
        const at = host.document.getText(range).search(/http:\/\//i);
        const scheme = at < 0 ? null : { start: host.document.positionAt(start + at), end: host.document.positionAt(start + at + 'http'.length) };
        reportUrl(report, { url, range, what: '`ADD` downloads', checked, shell: null, scheme, mitigation: ' (its `--checksum` is checked)' });
      }
    }
  }
}

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
  const document = tree.document;
  const start = document.offsetAt(literal.range.start);
  const at = document.getText(literal.range).search(/http:\/\//i);
  const scheme = at < 0 ? null : tree.rangeAt({ start: start + at, end: start + at + 'http'.length });
  reportUrl(report, {
    url: literal.value,
    range: literal.range,
    what,
    checked,
    shell: placed.located.command.shell,
    scheme,
    mitigation: ' (its hash is checked afterwards)',
    // The fix is written where the URL is (in the command, an assignment or an ENV), as the host allows.
    writeFix: (fix) => tree.host.fix(placed.run, fix),
  });
}

interface CleartextUrl {
  url: string;
  /** Where the URL is written: the finding's range. */
  range: Range;
  what: string;
  checked: boolean;
  /** The shell of the command, for the TLS advice; null for `ADD`. */
  shell: string | null;
  /** The `http` letters to rewrite, whatever quotes surround them; null when they cannot be found. */
  scheme: Range | null;
  mitigation: string;
  writeFix?: (fix: Fix) => Fix | null;
}

function reportUrl(report: Report, { url, range, what, checked, shell, scheme, mitigation, writeFix = (fix) => fix }: CleartextUrl): void {
  const host = hostOf(url);
  const fix = HTTPS_HOSTS.has(host) && scheme ? writeFix({
    title: `Use https://${host}`,
    edits: [{ range: scheme, newText: 'https' }],
    // The host serves HTTPS, but a pinned path or mirror may still differ there: offered, not applied by fix-all.
    safeForFixAll: false,
  }) : null;
  const advice = fix ? `${host} serves HTTPS: use \`https://\`` : 'Use an `https://` URL (check the host serves it)';
  // Windows PowerShell 5.1 may need TLS 1.2 switched on for that https URL.
  const tls = shell === 'powershell' ? ' (PowerShell 5.1: set `SecurityProtocol` to `Tls12` first)' : '';
  report({
    range,
    message: `${what} \`${excerpt(url, 80)}\` over plain HTTP${checked ? mitigation : ''}. ${advice}${tls}.`,
    fixes: fix ? [fix] : [],
    // A checked download only leaks what is fetched; the hash check already stops tampering.
    ...(checked ? { severity: 'info' as const } : {}),
  });
}

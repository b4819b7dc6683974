import type { ShellToken } from '../../../../shell/types';
import type { Fix } from '../../../../types';
import type { DockerfileRule, Report } from '../../../rule';
import { commandTreeOf, plainValue, type CommandTree, type PlacedCommand } from './commandTree';
import { packageSourcesOf } from './packageSources';
import { hostOf, HTTPS_HOSTS, isHttpUrl, isLoopbackHost } from './urls';
import { downloadsOf } from './webDownloads';

export const cleartextDownload: DockerfileRule = {
  meta: {
    id: 'cleartext-download',
    title: 'RUN downloads over plain HTTP or uses an HTTP package source',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [319],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.2.1', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.9,
  },
  check(model, report) {
    const tree = commandTreeOf(model);
    const reported = new Set<number>();
    const flag = (placed: PlacedCommand, url: ShellToken, what: string): void => {
      const start = tree.offsetsOf(placed.located, url).start;
      if (reported.has(start)) return;
      reported.add(start);
      reportCleartext(tree, report, placed, url, what);
    };
    for (const download of downloadsOf(model)) {
      if (download.url && isCleartext(download.url)) flag(download.placed, download.url, `\`${download.tool}\` downloads`);
    }
    for (const placed of tree.commands) {
      for (const source of packageSourcesOf(placed)) {
        if (isCleartext(source.url)) flag(placed, source.url, `\`${source.tool}\` uses the package source`);
      }
    }
  },
};

/** `http://` to anywhere but the machine itself. */
function isCleartext(url: ShellToken): boolean {
  const value = plainValue(url);
  return isHttpUrl(value) && !isLoopbackHost(hostOf(value));
}

function reportCleartext(tree: CommandTree, report: Report, placed: PlacedCommand, url: ShellToken, what: string): void {
  const value = plainValue(url);
  const host = hostOf(value);
  const fix = HTTPS_HOSTS.has(host) ? httpsFix(tree, placed, url, host) : null;
  const advice = fix
    ? `${host} serves HTTPS: use \`https://\`.`
    : 'Use an `https://` URL (check that the host serves the same path over HTTPS; it may differ).';
  const tls = placed.located.command.shell === 'powershell'
    ? ' Windows PowerShell 5.1 may need `[Net.ServicePointManager]::SecurityProtocol = \'Tls12\'` first.'
    : '';
  report({
    range: placed.located.rangeOf(url),
    message: `${what} \`${value}\` over plain HTTP: anyone on the network path can read or replace what arrives. ${advice}${tls}`,
    fixes: fix ? [fix] : [],
  });
}

/** Rewrites the scheme in place, wherever the URL sits in the written token (quotes, `-s=`, JSON escapes). */
function httpsFix(tree: CommandTree, placed: PlacedCommand, url: ShellToken, host: string): Fix | null {
  const written = tree.writtenText(placed.located, url);
  const at = written.search(/http:\/\//i);
  if (at < 0) return null;
  const start = tree.offsetsOf(placed.located, url).start + at;
  return {
    title: `Use https://${host}`,
    edits: [{ range: tree.rangeAt({ start, end: start + 'http'.length }), newText: 'https' }],
    // The host serves HTTPS, but a mirror or pinned path may still differ: offered, not applied by fix-all.
    safeForFixAll: false,
  };
}

// The "Registry" section of the FROM hover (docs/registry-and-signatures.md §12): one state line, then
// reference, digest, platform and per-subject signatures. Markdown only; knows nothing of LSP.
import type { ImageStatus, SubjectSignatures } from '../supplyChain/imageStatus';
import type { LookupState } from './registryLookup';

const ERROR_LABELS: Record<string, string> = {
  'timeout': 'the registry did not answer in time',
  'too-large': 'the registry sent more data than allowed',
  'redirect-loop': 'too many redirects',
  'tls': 'TLS failed: for a private CA add its certificate to `containerGuard.registry.caCertificates`; for a plain-http registry add the host to `containerGuard.registry.plainHttpHosts`',
  'plain-http': 'the registry has no TLS (it answered in plain http): add the host to `containerGuard.registry.plainHttpHosts`',
  'network': 'the registry could not be reached',
  'http-status': 'the registry answered with an unexpected status',
  'bad-json': 'the registry sent malformed data',
  'bad-digest': 'content did not match its digest',
  'auth-required': 'authentication required (log in with `docker login`, or the credentials were refused)',
  'not-found': 'not found in the registry',
  'offline': 'offline, and nothing is cached for this image',
};

const VERDICT_LINES: Record<ImageStatus['verdict'], string> = {
  verified: '✅ **Verified**',
  unsigned: '⚪ **Unsigned**',
  invalid: '❌ **Invalid signature**',
  untrusted: '⚠️ **Signed, but not by a trusted signer**',
  unverifiable: '❔ **Signed, could not be verified**',
  error: '⚠️ **Lookup failed**',
};

const cell = (value: string): string => value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const shortDigest = (digest: string): string => (digest.length > 19 ? `${digest.slice(0, 19)}…` : digest);

/**
 * The registry check in one line, for the hover's Signing line: what was found, or why nothing was
 * checked — lookups off, an untrusted workspace, still checking, or the registry failed (never "off"
 * when lookups are on and the registry is down).
 */
export function signatureStatusLine(state: LookupState): string {
  switch (state.state) {
    case 'disabled': return 'not checked: Registry lookups are disabled (`containerGuard.registry.lookups`)';
    case 'untrusted-workspace': return 'not checked in an untrusted workspace (no network calls)';
    case 'checking': return 'Checking the registry… hover again in a moment';
    case 'done': break;
  }
  const status = state.status;
  if (status.error) return `⚠️ not checked (**${status.error.kind}**): ${ERROR_LABELS[status.error.kind] ?? status.error.kind}`;
  return `${VERDICT_LINES[status.verdict]} — ${cell(status.summary)}`;
}

/**
 * The Registry section below the catalog facts, once a lookup is done: reference, digest, platform and
 * the signatures of each subject. `verdictShown`: the verdict is already on the Signing line.
 */
export function registryHoverMarkdown(state: LookupState, options: { verdictShown?: boolean } = {}): string {
  const lines = ['---', '**Registry**', ''];
  switch (state.state) {
    case 'disabled':
      lines.push('Registry lookups are disabled: set `containerGuard.registry.lookups` to `true` to check the digest and signatures.');
      return lines.join('\n');
    case 'untrusted-workspace':
      lines.push('Registry lookups are off in an untrusted workspace (no network calls, no credential helpers). Trust the workspace to enable them.');
      return lines.join('\n');
    case 'checking':
      lines.push('Checking the registry… hover again in a moment for the digest and signatures.');
      return lines.join('\n');
    case 'done':
      break;
  }
  const status = state.status;
  if (status.error) {
    const label = ERROR_LABELS[status.error.kind] ?? status.error.kind;
    if (!options.verdictShown) lines.push(`⚠️ **${status.error.kind}**: ${label}.`, '');
    lines.push(`_${cell(status.error.message)}_`);
    if (status.canonical) lines.push('', `Reference: \`${status.canonical}\``);
    if (status.digest) lines.push('', `Digest: \`${status.digest}\``);
    return lines.join('\n');
  }
  if (!options.verdictShown) lines.push(`${VERDICT_LINES[status.verdict]} — ${cell(status.summary)}`, '');
  const rows: Array<[string, string]> = [];
  if (status.canonical) rows.push(['Reference', `\`${status.canonical}\``]);
  if (status.digest) rows.push(['Digest', `\`${status.digest}\``]);
  if (status.mediaType) rows.push(['Media type', `\`${status.mediaType}\``]);
  if (status.platform) {
    const chosen = status.platform.chosen;
    if (chosen) {
      const p = chosen.platform;
      rows.push(['Platform', `${p?.os ?? '?'}/${p?.architecture ?? '?'}${p?.['os.version'] ? ` ${p['os.version']}` : ''} \`${shortDigest(chosen.digest)}\` (${cell(status.platform.reason)})`]);
    } else {
      const all = status.platform.entries.map((e) => `${e.platform?.os ?? '?'}/${e.platform?.architecture ?? '?'}${e.platform?.['os.version'] ? ` ${e.platform['os.version']}` : ''}`);
      rows.push(['Platform', `none matched (${cell(status.platform.reason)}); entries: ${all.join(', ') || 'none'}`]);
    }
  }
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`));
  for (const subject of status.subjects) lines.push('', ...subjectLines(subject));
  const age = Math.round((Date.now() - state.checkedAt) / 1000);
  lines.push('', `_Checked ${age < 5 ? 'just now' : `${age} s ago`}._`);
  return lines.join('\n');
}

function subjectLines(subject: SubjectSignatures): string[] {
  const lines = [`**Signatures of the ${subject.role}** \`${shortDigest(subject.descriptor.digest)}\``];
  if (subject.signatures.length === 0) {
    lines.push('', `No signatures found (tried: ${subject.searched.join(', ') || 'nothing could be listed'}).`);
  }
  for (const signature of subject.signatures) {
    const facts = [
      `${signature.format} (${signature.envelope})`,
      `**${signature.status}**`,
      signature.signer ? `signer ${cell(signature.signer)}` : '',
      signature.root ? `root ${cell(signature.root)}` : '',
      signature.signedAt ? `signed ${signature.signedAt}` : '',
      // An RFC 3161 time (Notation countersignature, Sigstore TSA) when it is not already the signing time shown.
      signature.timestampedAt && signature.timestampedAt !== signature.signedAt ? `timestamped ${signature.timestampedAt}` : '',
      signature.foundVia ? `found via ${signature.foundVia}` : '',
    ].filter(Boolean);
    lines.push('', `- ${facts.join(' · ')} — ${cell(signature.reason)}`);
  }
  for (const note of subject.notes) lines.push('', `_${cell(note)}_`);
  return lines;
}

// `container-guard verify <image>…`: each image's digest, its Notation and cosign signatures (index
// and the Windows platform entry), each verified against the user's trust configuration, and one
// verdict per image. Exit 0 only when every image is verified.
//
// Image verdicts: verified | unsigned | invalid | untrusted | error. imageStatus' `unverifiable`
// (signatures exist but none could be checked, e.g. no trust policy for Notation or no cosign key) is
// reported as `untrusted`: nothing the user trusts vouches for the image. The signatures keep their
// own status (`unverifiable`) and reason, so the cause stays visible.
import * as fs from 'node:fs';
import { imageStatus, type ImageStatus, type SubjectSignatures } from '../supplyChain/imageStatus';
import { loadVerificationSettings } from '../supplyChain/settings';
import { validateTrustPolicy } from '../signatures/notation/index';
import type { SignatureVerdict } from '../signatures/types';
import type { VerifyCommand } from './args';
import { cliRegistryClient } from './registry';
import { TOOL_VERSION } from './version';
import { InputError } from './walk';

export type CliVerdict = 'verified' | 'unsigned' | 'invalid' | 'untrusted' | 'error';

export interface SignatureReport {
  /** Digest of the manifest the signature signs (the index, the platform manifest, or the image). */
  subject: string;
  subjectRole: SubjectSignatures['role'];
  format: SignatureVerdict['format'];
  envelope: SignatureVerdict['envelope'];
  status: SignatureVerdict['status'];
  signer: string | null;
  root: string | null;
  signedAt: string | null;
  timestampedAt: string | null;
  expiresAt: string | null;
  policy: string | null;
  reason: string;
  foundVia: string | null;
  signatureDigest: string | null;
}

export interface ImageReport {
  reference: string;
  canonical: string | null;
  digest: string | null;
  mediaType: string | null;
  platform: { digest: string; os: string; architecture: string; osVersion: string | null } | null;
  /** Why that platform entry was (or was not) chosen; null for a single-platform image. */
  platformReason: string | null;
  verdict: CliVerdict;
  summary: string;
  signatures: SignatureReport[];
  searched: string[];
  notes: string[];
  error: { kind: string; message: string } | null;
}

export function toCliVerdict(verdict: ImageStatus['verdict']): CliVerdict {
  return verdict === 'unverifiable' ? 'untrusted' : verdict;
}

export function imageReport(status: ImageStatus): ImageReport {
  const chosen = status.platform?.chosen;
  const unique = (values: string[]): string[] => values.filter((v, i, all) => all.indexOf(v) === i);
  return {
    reference: status.reference,
    canonical: status.canonical ?? null,
    digest: status.digest ?? null,
    mediaType: status.mediaType ?? null,
    platform: chosen
      ? { digest: chosen.digest, os: chosen.platform?.os ?? 'unknown', architecture: chosen.platform?.architecture ?? 'unknown', osVersion: chosen.platform?.['os.version'] ?? null }
      : null,
    platformReason: status.platform?.reason ?? null,
    verdict: toCliVerdict(status.verdict),
    summary: status.summary,
    signatures: status.subjects.flatMap((subject) => subject.signatures.map((s) => signatureReport(subject, s))),
    searched: unique(status.subjects.flatMap((s) => s.searched)),
    notes: unique(status.subjects.flatMap((s) => s.notes)),
    error: status.error ?? null,
  };
}

function signatureReport(subject: SubjectSignatures, s: SignatureVerdict): SignatureReport {
  return {
    subject: subject.descriptor.digest,
    subjectRole: subject.role,
    format: s.format,
    envelope: s.envelope,
    status: s.status,
    signer: s.signer ?? null,
    root: s.root ?? null,
    signedAt: s.signedAt ?? null,
    timestampedAt: s.timestampedAt ?? null,
    expiresAt: s.expiresAt ?? null,
    policy: s.policy ?? null,
    reason: s.reason,
    foundVia: s.foundVia ?? null,
    signatureDigest: s.signatureDigest ?? null,
  };
}

function requireFile(flag: string, file: string, directory = false): void {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new InputError(`${flag} ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (directory ? !stat.isDirectory() : !stat.isFile()) throw new InputError(`${flag} ${file}: not a ${directory ? 'folder' : 'file'}`);
}

/** Runs the command; throws InputError for configuration problems (exit 2). */
export async function verify(command: VerifyCommand, now = new Date()): Promise<number> {
  if (command.trustPolicy) requireFile('--trust-policy', command.trustPolicy);
  if (command.trustStore) requireFile('--trust-store', command.trustStore, true);
  for (const key of command.cosignKeys) requireFile('--cosign-key', key);
  const sigstore = command.sigstore;
  if (sigstore.trustedRoot) requireFile('--sigstore-trusted-root', sigstore.trustedRoot);
  const identity = sigstore.identity ?? sigstore.identityRegExp;
  const loaded = loadVerificationSettings({
    ...(command.trustPolicy ? { trustPolicyPath: command.trustPolicy } : {}),
    ...(command.trustStore ? { trustStoreDir: command.trustStore } : {}),
    cosign: { keys: command.cosignKeys.map((path) => ({ scope: '*', path })) },
    sigstore: {
      ...(sigstore.trustedRoot ? { trustedRoot: sigstore.trustedRoot } : {}),
      // The flags name one signer for every repository on the command line, as cosign's do.
      identities: identity === null ? [] : [{
        scope: '*',
        ...(sigstore.identity !== null ? { identity: sigstore.identity } : { identityRegExp: sigstore.identityRegExp }),
        ...(sigstore.issuer !== null ? { issuer: sigstore.issuer } : { issuerRegExp: sigstore.issuerRegExp }),
      }],
    },
    readFiles: true,
  }, now, command.hostOsVersion ?? undefined);
  // Files the user named explicitly must work; problems with notation's defaults are warnings.
  const fatal = loaded.warnings.filter((w) => w.startsWith('cosign key:') || w.startsWith('Sigstore:') || (command.trustPolicy && w.startsWith('Notation trust configuration:')));
  if (fatal.length > 0) throw new InputError(fatal.join('\n'));
  // An invalid trust policy fails the run, as it does for notation (not one "unverifiable" per signature).
  const trust = loaded.settings.trust;
  if (trust && trust.policy !== undefined) {
    try {
      validateTrustPolicy(trust.policy);
    } catch (error) {
      throw new InputError(`${trust.source ?? 'trust policy'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const warning of loaded.warnings) process.stderr.write(`container-guard: warning: ${warning}\n`);

  const client = cliRegistryClient(command.registry, command.hostOsVersion ?? undefined);
  const reports: ImageReport[] = [];
  try {
    for (const reference of command.references) {
      let status: ImageStatus;
      try {
        status = await imageStatus(client, reference, loaded.settings);
      } catch (error) {
        // imageStatus reports registry failures itself; anything else is reported, not thrown.
        status = { reference, subjects: [], verdict: 'error', summary: `internal: ${String(error)}`, error: { kind: 'internal', message: String(error) } };
      }
      reports.push(imageReport(status));
    }
  } finally {
    client.dispose();
  }
  const verified = reports.filter((r) => r.verdict === 'verified').length;
  if (command.format === 'json') {
    process.stdout.write(`${JSON.stringify({ version: TOOL_VERSION, images: reports, total: reports.length, verified }, null, 2)}\n`);
  } else {
    process.stdout.write(textReport(reports, verified));
  }
  return verified === reports.length ? 0 : 1;
}

const MARK: Record<SignatureVerdict['status'], string> = { verified: 'ok  ', invalid: 'BAD ', untrusted: 'NO  ', unverifiable: '??  ' };

export function textReport(reports: ImageReport[], verified: number): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.reference}: ${r.verdict.toUpperCase()}`);
    if (r.digest) lines.push(`  digest    ${r.digest}`);
    if (r.platform) lines.push(`  platform  ${r.platform.os}/${r.platform.architecture}${r.platform.osVersion ? ` ${r.platform.osVersion}` : ''} ${r.platform.digest}`);
    else if (r.platformReason) lines.push(`  platform  ${r.platformReason}`);
    lines.push(`  summary   ${r.summary}`);
    for (const s of r.signatures) {
      const timestamped = s.timestampedAt && s.timestampedAt !== s.signedAt ? `, timestamped ${s.timestampedAt}` : '';
      lines.push(`  ${MARK[s.status]}${s.status} ${s.format} (${s.envelope}) on the ${s.subjectRole} ${short(s.subject)}${s.signer ? `, signer ${s.signer}` : ''}${s.signedAt ? `, signed ${s.signedAt}` : ''}${timestamped}`);
      if (s.root) lines.push(`        root ${s.root}`);
      lines.push(`        ${s.reason}`);
      if (s.signatureDigest) lines.push(`        found via ${s.foundVia ?? 'unknown'}: ${s.signatureDigest}`);
    }
    if (r.searched.length > 0) lines.push(`  searched  ${r.searched.join('; ')}`);
    for (const note of r.notes) lines.push(`  note      ${note}`);
    lines.push('');
  }
  lines.push(`${verified} of ${reports.length} image${reports.length === 1 ? '' : 's'} verified`);
  return `${lines.join('\n')}\n`;
}

function short(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

// Command-line parsing with node:util's parseArgs (no hand-written option parser).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Severity } from '../engine/types';
import { normalizeGitBaseUrl } from '../registry/gitRefs';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';

export interface LintCommand {
  command: 'lint';
  paths: string[];
  format: OutputFormat;
  fix: boolean;
  config: string | null;
  threshold: Severity;
  output: string | null;
  /** Exit 0 even with findings (for demos and report-only CI steps); errors still exit 2. */
  noFail: boolean;
  /**
   * Pin tagged FROM images to their current digest (`name:tag@sha256:…`), in place. Registry lookups. In
   * pipelines also job/service images and `uses:` actions (`owner/repo@<commit> # v4`, over git's smart HTTP).
   */
  resolve: boolean;
  /** Where `uses: owner/repo@ref` is looked up with --resolve (`--github-url`; default https://github.com). */
  gitHubUrl?: string;
  registry: RegistryFlags;
  /** Files larger than this many bytes are reported and not read (`--max-file-size`; default 2 MiB). */
  maxFileSize?: number;
}

/** How registries are contacted: hosts spoken to over plain http, extra CA certificate files. */
export interface RegistryFlags {
  plainHttp: string[];
  caCerts: string[];
}

export interface VerifyCommand {
  command: 'verify';
  references: string[];
  /** Explicit trust policy file; otherwise notation's (`$XDG_CONFIG_HOME/notation/trustpolicy.oci.json` or `trustpolicy.json`). */
  trustPolicy: string | null;
  /** Explicit trust store root (holding `x509/`); otherwise notation's `truststore` folder. */
  trustStore: string | null;
  /** cosign public key files, each trusted for every repository. */
  cosignKeys: string[];
  /** Keyless cosign: the Sigstore trusted root and the one identity trusted for every repository. */
  sigstore: SigstoreFlags;
  hostOsVersion: string | null;
  format: 'text' | 'json';
  registry: RegistryFlags;
}

/**
 * `--sigstore-trusted-root` and the cosign-style identity flags. Identity and issuer are each given exactly once
 * (exact or regexp) when either is, as `cosign verify` requires; they apply to every repository named.
 */
export interface SigstoreFlags {
  trustedRoot: string | null;
  identity: string | null;
  identityRegExp: string | null;
  issuer: string | null;
  issuerRegExp: string | null;
}

export type Command = LintCommand | VerifyCommand | { command: 'help' } | { command: 'version' } | { command: 'rules'; format: 'text' | 'json' };

export class UsageError extends Error {}

export const USAGE = `Usage: container-guard <command> [options]

Commands:
  lint [paths...]     Lint Dockerfiles (files or folders; default: the current folder)
  verify <image>...   Verify the Notation and cosign signatures of images in their registries
  rules               List the rules with their ids, severities and CWEs
  help, --help        Show this help
  --version           Print the version

lint options:
  --format <text|json|sarif|github>  Output format (default: text; github: workflow annotations)
  --output <file>               Write the report to a file instead of standard output
  --fix                         Apply all safe fixes in place (atomically per file), then report what is left
  --config <file>               Team settings file (default: the nearest .container-guard.yaml from the current folder up)
  --threshold <error|warning|info|hint>
                                Lowest severity that makes the exit code 1 (default: warning)
  --max-file-size <size>        Report larger files as not linted instead of reading them (default: 2MB; e.g. 500KB, 10MB)
  --no-fail                     Exit 0 even when there are findings (errors, including rule errors, still exit 2)
  --resolve                     Pin every FROM image that has a tag but no digest to name:tag@sha256:… in place
                                (asks the image's registry; images that cannot be resolved are left alone); in
                                pipelines also job and service images, and uses: owner/repo@v4 to @<commit SHA> # v4
  --github-url <url>            Where --resolve looks up uses: refs over git's smart HTTP (default: https://github.com;
                                a GitHub Enterprise Server URL for its actions)

verify options:
  --trust-policy <file>         Notation trust policy (default: notation's, $XDG_CONFIG_HOME/notation/trustpolicy.oci.json
                                or trustpolicy.json; ~/.config when XDG_CONFIG_HOME is unset)
  --trust-store <dir>           Notation trust store root holding x509/ (default: notation's truststore folder)
  --cosign-key <file>           cosign public key (PEM) trusted for every repository; repeatable
  --sigstore-trusted-root <file>
                                Sigstore trusted_root.json (Fulcio CAs, Rekor and CT log keys, TSAs) to verify keyless
                                cosign signatures offline (e.g. from \`cosign trusted-root create\` or Sigstore's TUF repository)
  --certificate-identity <san>  Keyless signer trusted for every repository: the certificate's exact SAN (email or URI)
  --certificate-identity-regexp <re>
                                ... or a regular expression searched in the SAN (give one of the two)
  --certificate-oidc-issuer <url>
                                OIDC issuer of that signer, exact (e.g. https://token.actions.githubusercontent.com)
  --certificate-oidc-issuer-regexp <re>
                                ... or a regular expression searched in the issuer (give one of the two)
  --host-os-version <version>   Windows host version for choosing the platform of an index (e.g. 10.0.26100)
  --format <text|json>          Output format (default: text)

Registry options (verify, lint --resolve):
  --plain-http <host>           Contact this registry over plain http (e.g. localhost:5000); repeatable
  --ca-cert <file>              Also trust this CA certificate (PEM) for registry TLS; repeatable
  Credentials come from Docker's config.json and its credential helpers; they are never printed.
  Both also apply to the --github-url host; refs are looked up without credentials (public repositories).

Exit codes (lint): 0 no findings at or above the threshold, 1 findings at or above it, 2 usage, configuration or I/O error,
                   or a rule that failed on a file (its findings are missing; reported even with --no-fail).
Exit codes (verify): 0 every image verified, 1 any image not verified (unsigned, invalid, untrusted, error), 2 usage or configuration error.
`;

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];
const THRESHOLDS: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

const REGISTRY_OPTIONS = {
  'plain-http': { type: 'string', multiple: true },
  'ca-cert': { type: 'string', multiple: true },
} as const;

const LINT_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  fix: { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  threshold: { type: 'string' },
  'no-fail': { type: 'boolean' },
  'max-file-size': { type: 'string' },
  resolve: { type: 'boolean' },
  'github-url': { type: 'string' },
  ...REGISTRY_OPTIONS,
} as const;

const VERIFY_OPTIONS = {
  format: { type: 'string' },
  'trust-policy': { type: 'string' },
  'trust-store': { type: 'string' },
  'cosign-key': { type: 'string', multiple: true },
  'sigstore-trusted-root': { type: 'string' },
  'certificate-identity': { type: 'string' },
  'certificate-identity-regexp': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  'certificate-oidc-issuer-regexp': { type: 'string' },
  'host-os-version': { type: 'string' },
  ...REGISTRY_OPTIONS,
} as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true as const, strict: true as const, options });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function registryFlags(values: { 'plain-http'?: string[]; 'ca-cert'?: string[] }): RegistryFlags {
  const plainHttp = values['plain-http'] ?? [];
  for (const host of plainHttp) {
    if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/.test(host)) {
      throw new UsageError(`--plain-http expects a registry host such as localhost:5000, not "${host}"`);
    }
  }
  return { plainHttp, caCerts: values['ca-cert'] ?? [] };
}

export function parseCommandLine(argv: string[]): Command {
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv[0] === '--version' || argv[0] === 'version') return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === 'verify') return parseVerify(rest);
  const { values, positionals } = parse(rest, LINT_OPTIONS);
  if (command === 'rules') {
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`rules: --format must be text or json, not "${format}"`);
    return { command: 'rules', format };
  }
  if (command !== 'lint') throw new UsageError(`unknown command "${command}" (expected lint, verify or rules)`);
  const format = (values.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const threshold = (values.threshold ?? 'warning') as Severity;
  if (!THRESHOLDS.includes(threshold)) throw new UsageError(`--threshold must be one of ${THRESHOLDS.join(', ')}, not "${values.threshold}"`);
  return {
    command: 'lint',
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    fix: values.fix ?? false,
    config: values.config ?? null,
    threshold,
    output: values.output ?? null,
    noFail: values['no-fail'] ?? false,
    resolve: values.resolve ?? false,
    ...(values['github-url'] !== undefined ? { gitHubUrl: gitHubUrl(values['github-url']) } : {}),
    registry: registryFlags(values),
    ...(values['max-file-size'] !== undefined ? { maxFileSize: parseSize(values['max-file-size']) } : {}),
  };
}

function gitHubUrl(text: string): string {
  const url = normalizeGitBaseUrl(text);
  if (!url) throw new UsageError(`--github-url expects an http(s) URL without credentials, query or fragment (e.g. https://github.example.com), not "${text}"`);
  return url;
}

/** `2MB`, `500KB`, `1048576`: binary units (1 KB = 1024 bytes). */
function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase()[0];
  const bytes = match ? Math.floor(Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1)) : NaN;
  if (!(bytes > 0)) throw new UsageError(`--max-file-size expects a size such as 2MB or 500KB, not "${text}"`);
  return bytes;
}

function parseVerify(args: string[]): VerifyCommand {
  const { values, positionals } = parse(args, VERIFY_OPTIONS);
  if (positionals.length === 0) throw new UsageError('verify: name at least one image reference (e.g. mcr.microsoft.com/windows/servercore:ltsc2025)');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`verify: --format must be text or json, not "${format}"`);
  const hostOsVersion = values['host-os-version'] ?? null;
  if (hostOsVersion !== null && !/^(10\.0\.)?\d+(\.\d+)?$/.test(hostOsVersion)) {
    throw new UsageError(`--host-os-version expects a Windows version such as 10.0.26100, not "${hostOsVersion}"`);
  }
  return {
    command: 'verify',
    references: positionals,
    trustPolicy: values['trust-policy'] ?? null,
    trustStore: values['trust-store'] ?? null,
    cosignKeys: values['cosign-key'] ?? [],
    sigstore: sigstoreFlags(values),
    hostOsVersion,
    format,
    registry: registryFlags(values),
  };
}

function sigstoreFlags(values: {
  'sigstore-trusted-root'?: string; 'certificate-identity'?: string; 'certificate-identity-regexp'?: string;
  'certificate-oidc-issuer'?: string; 'certificate-oidc-issuer-regexp'?: string;
}): SigstoreFlags {
  const flags: SigstoreFlags = {
    trustedRoot: values['sigstore-trusted-root'] ?? null,
    identity: values['certificate-identity'] ?? null,
    identityRegExp: values['certificate-identity-regexp'] ?? null,
    issuer: values['certificate-oidc-issuer'] ?? null,
    issuerRegExp: values['certificate-oidc-issuer-regexp'] ?? null,
  };
  const identities = [flags.identity, flags.identityRegExp].filter((v) => v !== null).length;
  const issuers = [flags.issuer, flags.issuerRegExp].filter((v) => v !== null).length;
  if (identities > 1) throw new UsageError('give --certificate-identity or --certificate-identity-regexp, not both');
  if (issuers > 1) throw new UsageError('give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, not both');
  if (identities + issuers === 0) return flags;
  // An identity without an issuer could be vouched for by any OIDC provider Fulcio accepts (cosign requires both).
  if (identities === 0) throw new UsageError('--certificate-oidc-issuer(-regexp) needs --certificate-identity or --certificate-identity-regexp');
  if (issuers === 0) throw new UsageError('--certificate-identity(-regexp) needs --certificate-oidc-issuer or --certificate-oidc-issuer-regexp');
  if (flags.trustedRoot === null) throw new UsageError('keyless identities need --sigstore-trusted-root (the Fulcio and Rekor keys to verify them with)');
  return flags;
}

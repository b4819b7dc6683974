// How the user's trust configuration becomes VerificationSettings, shared by the CLI (`verify`) and
// the language server (hover). Notation's own files are found the way notation finds them; explicit
// paths override them; cosign keys and the Sigstore trusted root + identities come from settings. Reads only
// the files named or found here.
import { loadCosignKeyConfig, loadSigstoreTrustConfig, parseCosignKeyConfig, parseSigstoreTrustConfig } from '../signatures/cosign/index';
import { loadTrustConfiguration, mcrTrustConfiguration, type TrustConfiguration } from '../signatures/notation/index';
import type { VerificationSettings } from './imageStatus';

export interface TrustSources {
  /** notation's config folder (`$XDG_CONFIG_HOME/notation`, `~/.config/notation` when not given). */
  notationConfigDir?: string;
  /** An explicit `trustpolicy.json` / `trustpolicy.oci.json`. */
  trustPolicyPath?: string;
  /** An explicit trust store root (the folder holding `x509/`). */
  trustStoreDir?: string;
  /**
   * The Microsoft Supply Chain RSA Root CA 2022 certificate: enables the built-in policy for
   * mcr.microsoft.com when the user has no Notation policy of their own.
   */
  microsoftRootPath?: string;
  /** `{ keys: [{ scope, publicKey | path }] }` (see signatures/cosign). */
  cosign?: unknown;
  /** `{ trustedRoot: path of trusted_root.json, identities: [{ scope, identity | identityRegExp, issuer | issuerRegExp }] }`. */
  sigstore?: unknown;
  /** Folder relative key paths are resolved against. */
  baseDir?: string;
  /** Whether files may be read at all (false in an untrusted workspace: no key files, no notation folder). */
  readFiles: boolean;
}

export interface LoadedVerificationSettings {
  settings: VerificationSettings;
  /** Problems with the configuration, for the output channel or stderr. */
  warnings: string[];
}

export function loadVerificationSettings(sources: TrustSources, now: Date, hostOsVersion?: string): LoadedVerificationSettings {
  const warnings: string[] = [];
  let trust: TrustConfiguration | null = null;
  if (sources.readFiles) {
    try {
      const loaded = loadTrustConfiguration({
        ...(sources.notationConfigDir ? { configDir: sources.notationConfigDir } : {}),
        ...(sources.trustPolicyPath ? { trustPolicyPath: sources.trustPolicyPath } : {}),
        ...(sources.trustStoreDir ? { trustStoreDir: sources.trustStoreDir } : {}),
      });
      warnings.push(...loaded.warnings);
      if (loaded.configuration.policy !== undefined) trust = loaded.configuration;
    } catch (error) {
      warnings.push(`Notation trust configuration: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!trust && sources.microsoftRootPath) {
      try {
        trust = mcrTrustConfiguration({ caRootPath: sources.microsoftRootPath });
      } catch (error) {
        warnings.push(`Microsoft root certificate ${sources.microsoftRootPath}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const cosignKeys = sources.readFiles ? loadCosignKeyConfig(sources.cosign ?? {}, sources.baseDir) : parseCosignKeyConfig(sources.cosign ?? {});
  warnings.push(...cosignKeys.errors.map((e) => `cosign key: ${e}`));
  const sigstore = sources.readFiles ? loadSigstoreTrustConfig(sources.sigstore ?? {}, sources.baseDir) : parseSigstoreTrustConfig(sources.sigstore ?? {});
  warnings.push(...sigstore.errors.map((e) => `Sigstore: ${e}`));
  return { settings: { trust, cosignKeys, sigstore, now, ...(hostOsVersion ? { hostOsVersion } : {}) }, warnings };
}

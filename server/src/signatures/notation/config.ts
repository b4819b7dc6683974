// Loading Notation trust configuration from disk (the only module here that does I/O), and the built-in
// policy for mcr.microsoft.com whose root certificate is read at run time from a configured path.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { TrustConfiguration, TrustPolicyDocument, TrustStoreType, TrustStores, emptyTrustStores } from './trust';

/** `os.UserConfigDir()/notation` on Linux: `$XDG_CONFIG_HOME/notation`, else `~/.config/notation`. */
export function notationConfigDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'), 'notation');
}

/** Splits PEM (one or more CERTIFICATE blocks) or returns DER as is. */
export function readCertificates(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const out: Buffer[] = [];
    const re = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    return out;
  }
  return [bytes];
}

export interface LoadResult {
  configuration: TrustConfiguration;
  warnings: string[];
}

const STORE_TYPES: TrustStoreType[] = ['ca', 'tsa', 'signingAuthority'];

/** Reads `{dir}/x509/{ca,tsa,signingAuthority}/<name>/*.{crt,pem,cer}`; sub-folders and symlinks are ignored. */
export function loadTrustStores(truststoreDir: string, warnings: string[] = []): TrustStores {
  const stores = emptyTrustStores();
  for (const type of STORE_TYPES) {
    const typeDir = path.join(truststoreDir, 'x509', type);
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(typeDir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const n of names) {
      if (!n.isDirectory()) continue;
      const storeDir = path.join(typeDir, n.name);
      const certs: Uint8Array[] = [];
      for (const f of fs.readdirSync(storeDir, { withFileTypes: true })) {
        const file = path.join(storeDir, f.name);
        if (f.isSymbolicLink()) { warnings.push(`${file}: symbolic links are not allowed in trust stores; ignored`); continue; }
        if (!f.isFile()) continue;
        if (!/\.(crt|pem|cer)$/i.test(f.name)) continue;
        try {
          const found = readCertificates(fs.readFileSync(file));
          for (const der of found) {
            const c = new X509Certificate(der);
            if (!c.ca || !c.verify(c.publicKey)) warnings.push(`${file}: ${c.subject.replace(/\n/g, ', ')} is not a self-signed CA certificate (Notation trust stores hold roots)`);
            certs.push(der);
          }
          if (found.length === 0) warnings.push(`${file}: no certificate found`);
        } catch (e) {
          warnings.push(`${file}: not a certificate (${(e as Error).message})`);
        }
      }
      stores[type][n.name] = certs;
    }
  }
  return stores;
}

/** Reads `trustpolicy.oci.json`, falling back to the legacy `trustpolicy.json` (same schema). */
export function loadTrustPolicyFile(configDir: string): { policy: unknown; file: string } | undefined {
  for (const name of ['trustpolicy.oci.json', 'trustpolicy.json']) {
    const file = path.join(configDir, name);
    if (fs.existsSync(file)) return { policy: JSON.parse(fs.readFileSync(file, 'utf8')), file };
  }
  return undefined;
}

export interface LoadOptions {
  /** Defaults to notationConfigDir(). */
  configDir?: string;
  /** Explicit trust policy file; overrides the one in configDir. */
  trustPolicyPath?: string;
  /** Explicit trust store root (the folder holding `x509/`); defaults to `{configDir}/truststore`. */
  trustStoreDir?: string;
}

/** Loads the user's Notation configuration. A missing policy yields `policy: undefined` (verdicts: unverifiable). */
export function loadTrustConfiguration(options: LoadOptions = {}): LoadResult {
  const warnings: string[] = [];
  const configDir = options.configDir ?? notationConfigDir();
  let policy: unknown;
  let source = configDir;
  if (options.trustPolicyPath) {
    policy = JSON.parse(fs.readFileSync(options.trustPolicyPath, 'utf8'));
    source = options.trustPolicyPath;
  } else {
    const found = loadTrustPolicyFile(configDir);
    if (found) { policy = found.policy; source = found.file; }
    else warnings.push(`no trustpolicy.oci.json or trustpolicy.json in ${configDir}`);
  }
  const stores = loadTrustStores(options.trustStoreDir ?? path.join(configDir, 'truststore'), warnings);
  return { configuration: { policy, stores, source }, warnings };
}

export const MCR_SIGNING_IDENTITY = 'x509.subject: CN=Microsoft SCD Products RSA Signing, O=Microsoft Corporation, L=Redmond, ST=Washington, C=US';

/** Windows base image repositories (windows-base-images.md) and the signed .NET ones. */
export const MCR_DEFAULT_REPOSITORIES = [
  'mcr.microsoft.com/windows/servercore',
  'mcr.microsoft.com/windows/nanoserver',
  'mcr.microsoft.com/windows/server',
  'mcr.microsoft.com/windows',
  'mcr.microsoft.com/dotnet/aspnet',
  'mcr.microsoft.com/dotnet/runtime',
  'mcr.microsoft.com/dotnet/runtime-deps',
  'mcr.microsoft.com/dotnet/sdk',
  'mcr.microsoft.com/dotnet/monitor',
  'mcr.microsoft.com/dotnet/monitor/base',
  'mcr.microsoft.com/dotnet/aspire-dashboard',
];

export interface McrPolicyOptions {
  /** Path of the Microsoft Supply Chain RSA Root CA 2022 certificate (PEM or DER), read now. */
  caRootPath: string;
  /** Path of the TSA root (Microsoft Root Certificate Authority 2010). Adding it makes the policy require
   *  a verified RFC 3161 timestamp (certificate validity is then checked at the timestamp time). */
  tsaRootPath?: string;
  repositories?: string[];
  level?: 'strict' | 'permissive' | 'audit';
}

/** Built-in trust configuration for Microsoft's MCR signatures (windows-base-images.md §5.3). */
export function mcrTrustConfiguration(options: McrPolicyOptions): TrustConfiguration {
  const stores = emptyTrustStores();
  const storeName = 'microsoft-supply-chain';
  stores.ca[storeName] = readCertificates(fs.readFileSync(options.caRootPath));
  const trustStores = [`ca:${storeName}`];
  if (options.tsaRootPath) {
    stores.tsa[storeName] = readCertificates(fs.readFileSync(options.tsaRootPath));
    trustStores.push(`tsa:${storeName}`);
  }
  const policy: TrustPolicyDocument = {
    version: '1.0',
    trustPolicies: [{
      name: 'mcr-microsoft',
      registryScopes: options.repositories ?? MCR_DEFAULT_REPOSITORIES,
      signatureVerification: { level: options.level ?? 'strict' },
      trustStores,
      trustedIdentities: [MCR_SIGNING_IDENTITY],
    }],
  };
  return { policy, stores, source: `built-in MCR policy (${options.caRootPath})` };
}

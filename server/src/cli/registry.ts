// The registry client as the CLI uses it: the user's Docker credentials (config.json and credential
// helpers — running `verify` or `lint --resolve` is the user's own request for registry lookups),
// hosts named with --plain-http spoken to over http, extra CA certificates from --ca-cert files.
import * as fs from 'node:fs';
import { CLI_REMEDIES, DockerConfigCredentials, RegistryClient } from '../registry/index';
import { Transport } from '../registry/transport';
import type { RegistryFlags } from './args';
import { InputError } from './walk';

const MAX_CA_FILE = 1024 * 1024;

/** The --ca-cert files' PEM text (checked: readable, small, a certificate). */
function caCertificates(flags: RegistryFlags): string[] {
  const extraCa: string[] = [];
  for (const file of flags.caCerts) {
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_CA_FILE) throw new InputError(`${file}: too large for a CA certificate file`);
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`--ca-cert ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(`--ca-cert ${file}: no PEM certificate in the file`);
    extraCa.push(text);
  }
  return extraCa;
}

export function cliRegistryClient(flags: RegistryFlags, hostOsVersion?: string): RegistryClient {
  const extraCa = caCertificates(flags);
  return new RegistryClient({
    credentials: new DockerConfigCredentials({ allowHelpers: true }),
    plainHttpHosts: flags.plainHttp,
    transport: { ...(extraCa.length > 0 ? { extraCa } : {}), plainHttpHosts: flags.plainHttp, remedies: CLI_REMEDIES },
    ...(hostOsVersion ? { hostOsVersion } : {}),
  });
}

/** The HTTP transport for git ref lookups (`lint --resolve` of `uses:`): same --plain-http and --ca-cert rules, no credentials. */
export function cliGitTransport(flags: RegistryFlags): Transport {
  const extraCa = caCertificates(flags);
  return new Transport({ ...(extraCa.length > 0 ? { extraCa } : {}), plainHttpHosts: flags.plainHttp, remedies: CLI_REMEDIES });
}

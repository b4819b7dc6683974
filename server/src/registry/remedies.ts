// How each front end tells users to fix a TLS failure: the CLI names its flags, the editor its
// settings. Both mean the same two fixes: plain http for a registry without TLS, an extra CA for one
// whose certificate Node does not trust.
import type { RegistryRemedies } from './transport';

export const CLI_REMEDIES: RegistryRemedies = {
  plainHttp: (host) => `use --plain-http ${host}`,
  extraCa: 'if it uses a private CA, pass its CA certificate with --ca-cert FILE',
};

export const EDITOR_REMEDIES: RegistryRemedies = {
  plainHttp: (host) => `add "${host}" to the containerGuard.registry.plainHttpHosts setting`,
  extraCa: 'if it uses a private CA, add its certificate to the containerGuard.registry.caCertificates setting',
};

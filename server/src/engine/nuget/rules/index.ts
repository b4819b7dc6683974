// The nuget.config rules, in the order their pages are listed.
import type { NuGetConfigRule } from '../../rules/rule';
import { malformedXml } from './malformedXml';
import { httpSource } from './httpSource';
import { insecureConnectionsAllowed } from './insecureConnectionsAllowed';
import { tlsValidationDisabled } from './tlsValidationDisabled';
import { sourcesNotCleared } from './sourcesNotCleared';
import { unmappedSources } from './unmappedSources';
import { cleartextPassword } from './cleartextPassword';
import { encryptedPassword } from './encryptedPassword';
import { credentialsInUrl } from './credentialsInUrl';
import { committedApiKey } from './committedApiKey';
import { signatureValidationNotRequired } from './signatureValidationNotRequired';
import { trustedSignersIncomplete } from './trustedSignersIncomplete';
import { untrustedRootAllowed } from './untrustedRootAllowed';
import { noAuditSource } from './noAuditSource';

export const NUGET_RULES: readonly NuGetConfigRule[] = [
  malformedXml,
  httpSource,
  insecureConnectionsAllowed,
  tlsValidationDisabled,
  sourcesNotCleared,
  unmappedSources,
  cleartextPassword,
  encryptedPassword,
  credentialsInUrl,
  committedApiKey,
  signatureValidationNotRequired,
  trustedSignersIncomplete,
  untrustedRootAllowed,
  noAuditSource,
];

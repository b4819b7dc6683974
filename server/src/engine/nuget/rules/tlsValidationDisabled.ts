import { removeAttribute } from '../edits';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';

// `disableTLSCertificateValidation="true"` (NuGet 6.11+) accepts any certificate for the source: https
// without authentication of the server, so a man in the middle serves packages of its choosing.
export const tlsValidationDisabled: NuGetConfigRule = {
  meta: {
    id: 'nuget-tls-validation-disabled',
    title: 'disableTLSCertificateValidation="true" accepts any server certificate for a package source',
    fileKind: 'nuget-config',
    defaultSeverity: 'error',
    cwe: [295],
    references: ['NIST SP 800-190 §4.2.1', 'NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.4,
  },
  check(model, report) {
    for (const source of [...model.packageSources.sources, ...model.auditSources.sources]) {
      const flag = source.disableTlsValidation;
      if (!flag || source.disabled) continue;
      report({
        range: flag.range,
        message: `Certificate validation is off for "${excerpt(source.key)}": anyone who can intercept the connection can serve packages as this feed. Trust the feed's CA on the machine instead.`,
        fixes: [{
          title: 'Remove disableTLSCertificateValidation (install the feed\'s CA certificate first)',
          edits: [removeAttribute(model.document, flag)],
          // A self-signed internal feed stops restoring until its CA is trusted: not applied unattended.
          safeForFixAll: false,
        }],
      });
    }
  },
};

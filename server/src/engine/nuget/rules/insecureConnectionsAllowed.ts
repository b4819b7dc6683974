import { removeAttribute } from '../edits';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';

// `allowInsecureConnections="true"` (NuGet 6.8+) exists to silence NU1803/NU1302 for http sources. On an
// https source it does nothing and only hides the next regression; on an http one it is the opt-out.
export const insecureConnectionsAllowed: NuGetConfigRule = {
  meta: {
    id: 'nuget-insecure-connections-allowed',
    title: 'allowInsecureConnections="true" lets NuGet use plain http sources without complaint',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [319],
    references: ['NIST SP 800-190 §4.2.1', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.3,
  },
  check(model, report) {
    for (const source of [...model.packageSources.sources, ...model.auditSources.sources]) {
      const flag = source.allowInsecureConnections;
      if (!flag || source.disabled) continue;
      const https = source.location.scheme === 'https';
      report({
        range: flag.range,
        message: https
          ? `"${excerpt(source.key)}" already uses https, so allowInsecureConnections only disables the http check should the URL ever change; remove it.`
          : `allowInsecureConnections switches off NuGet's http check (NU1803/NU1302) for "${excerpt(source.key)}": packages and credentials travel unencrypted.`,
        fixes: [{
          title: 'Remove allowInsecureConnections',
          edits: [removeAttribute(model.document, flag)],
          // On an http source the removal makes restore fail (NU1302) until the URL is https: a choice for the user.
          safeForFixAll: https,
          preferred: https,
        }],
      });
    }
  },
};

import { isNuGetOrg, servesHttps } from '../sourceUrl';
import type { NuGetConfigRule } from '../../rules/rule';
import type { Fix } from '../../types';
import { httpsEdit, isLoopbackHost, valueRangeOf } from './sourceAttributes';
import { classifySource } from '../sourceUrl';
import { excerpt } from '../../excerpt';

// NuGet itself warns (NU1803, NuGet 6.3) and, since .NET 9 SDK, fails restore (NU1302) on http sources:
// anyone on the network path can replace the packages, and the feed credentials travel in clear text.
export const httpSource: NuGetConfigRule = {
  meta: {
    id: 'nuget-http-source',
    title: 'Package source, audit source or signer service index uses plain http',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [319],
    references: ['NIST SP 800-190 §4.2.1', 'NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  check(model, report) {
    const targets = [
      ...model.packageSources.sources.filter((s) => !s.disabled).map((s) => ({ value: s.valueAttribute, what: `package source "${excerpt(s.key)}"`, location: s.location, insecure: !!s.allowInsecureConnections })),
      ...model.auditSources.sources.map((s) => ({ value: s.valueAttribute, what: `audit source "${excerpt(s.key)}"`, location: s.location, insecure: !!s.allowInsecureConnections })),
      ...model.trustedSigners.signers.filter((s) => s.serviceIndex).map((s) => ({ value: s.serviceIndex, what: `service index of trusted signer "${excerpt(s.name)}"`, location: classifySource(s.serviceIndex!.value), insecure: false })),
    ];
    for (const { value, what, location, insecure } of targets) {
      if (!value || location.scheme !== 'http' || isLoopbackHost(location.host)) continue;
      const edit = httpsEdit(model.document, value);
      const knownHttps = !!location.host && servesHttps(location.host);
      const fixes: Fix[] = edit
        ? [{ title: knownHttps ? 'Use https://' : `Use https:// (check that ${excerpt(location.host ?? '')} serves this feed over https)`, edits: [edit], safeForFixAll: knownHttps, preferred: knownHttps }]
        : [];
      const code = insecure ? 'allowInsecureConnections only silences NU1803/NU1302' : 'NU1803; .NET 9+ fails with NU1302';
      // The URL the fix writes, so message and fix name the same one (a v2 URL stays v2).
      const nugetOrg = isNuGetOrg(location) && edit ? ` nuget.org serves it at ${excerpt(`https${value.value.trim().slice(4)}`, 60)}.` : '';
      report({
        range: valueRangeOf(value),
        message: `The ${what} uses http:// (${code}); use https://.${nugetOrg}`,
        fixes,
      });
    }
  },
};

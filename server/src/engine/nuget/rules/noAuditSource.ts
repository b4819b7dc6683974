import { insertChild } from '../edits';
import { activeSources } from '../model';
import { isNuGetOrg, NUGET_ORG_V3 } from '../sourceUrl';
import type { NuGetConfigRule } from '../../rules/rule';

// NuGetAudit (on by default since .NET 8) checks packages against the vulnerability data of the audit
// sources, or of the package sources when no audit source is set. nuget.org publishes that data; when a
// config clears the sources and lists only other feeds, restore has nothing to audit against unless a feed
// publishes its own (NU1905). NuGet 6.12 added `<auditSources>` for exactly this: vulnerability data from
// nuget.org without downloading packages from it.
export const noAuditSource: NuGetConfigRule = {
  meta: {
    id: 'nuget-no-audit-source',
    title: 'No source provides vulnerability data for NuGetAudit',
    fileKind: 'nuget-config',
    defaultSeverity: 'info',
    cwe: [1104],
    references: ['NIST SP 800-190 §4.1.1', 'CIS Docker Benchmark 4.4'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 3.1,
  },
  check(model, report) {
    const section = model.packageSources.sections[0];
    if (!section || !model.packageSources.clear || !model.root) return;
    const sources = activeSources(model);
    if (sources.length === 0 || sources.some((s) => isNuGetOrg(s.location))) return;
    if (model.auditSources.sources.length > 0) return;
    const auditSection = model.auditSources.sections[0];
    report({
      range: section.nameRange,
      message: 'No source is nuget.org, whose vulnerability data NuGetAudit reads, so restore may audit nothing (NU1905); add nuget.org as an audit source.',
      fixes: [{
        title: 'Add nuget.org as an audit source (vulnerability data only)',
        edits: [auditSection
          ? insertChild(model.document, model.root, auditSection, `<add key="nuget.org" value="${NUGET_ORG_V3}" />`, 'last')
          : insertChild(model.document, model.root, model.root, `<auditSources>\n\t<clear />\n\t<add key="nuget.org" value="${NUGET_ORG_V3}" />\n</auditSources>`, 'last')],
        safeForFixAll: false,
      }],
    });
  },
};

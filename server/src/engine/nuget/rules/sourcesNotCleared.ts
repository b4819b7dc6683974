import { insertChild } from '../edits';
import { activeSources } from '../model';
import { describeOwner, isNuGetOrg } from '../sourceUrl';
import type { NuGetConfigModel } from '../model';
import { effectiveSeverity } from '../../settings';
import type { Fix, Range, RawFinding, RuleMeta } from '../../types';
import type { NuGetConfigRule, RuleContext } from '../../rules/rule';
import { reportsUnmappedOwners, unmappedSources } from './unmappedSources';
import { excerpt } from '../../excerpt';

// Without `<clear />` NuGet adds this file's sources to those of every config above it: the user's
// %AppData%\NuGet\NuGet.Config (nuget.org by default) and machine-wide files. A private feed listed here then
// sits beside nuget.org, where anyone can publish a package with the same id — dependency confusion — and
// the sources a build uses differ from machine to machine.
export const sourcesNotCleared: NuGetConfigRule = {
  meta: {
    id: 'nuget-sources-not-cleared',
    title: 'Package sources are added to inherited ones: no <clear /> in <packageSources>',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [427],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.9,
  },
  check(model, report, context) {
    const finding = notClearedFinding(model);
    if (!finding) return;
    // The same root cause as nuget-unmapped-sources on the same element: that rule reports it once, with both fixes.
    if (reportsUnmappedOwners(model) && ruleActiveAt(model, context, unmappedSources.meta, finding.range)) return;
    report(finding);
  },
};

/**
 * What nuget-sources-not-cleared reports (its <clear /> fix included), or null when the sources are cleared.
 * Also read by nuget-unmapped-sources, which reports both problems in one finding on <packageSources>.
 */
export function notClearedFinding(model: NuGetConfigModel): RawFinding & { fixes: Fix[] } | null {
  const list = model.packageSources;
  const section = list.sections[0];
  if (!section || list.clear) return null;
  const sources = activeSources(model);
  if (sources.length === 0) return null;
  // Package Source Mapping on: NuGet takes each package only from sources whose patterns match it, so the
  // inherited sources, mapped nowhere, are never used — what <clear /> would achieve. (A source of this file
  // left unmapped is unused too: nuget-unmapped-sources' concern.)
  if (model.mapping.entries.some((entry) => entry.patterns.some((pattern) => pattern.pattern !== ''))) return null;
  const listsNuGetOrg = sources.some((s) => isNuGetOrg(s.location));
  const privateFeeds = sources.filter((s) => s.location.owner && !isNuGetOrg(s.location));
  // "nuget.org" is the name NuGet gives its default source; disabling it here is the documented way to
  // keep it out without clearing (NuGet compares disabled names exactly).
  const nugetOrgDisabled = model.packageSources.disabledKeys.has('nuget.org');
  const fix = {
    title: listsNuGetOrg ? 'Add <clear /> (use only the sources listed here)' : 'Add <clear /> (nuget.org and other inherited sources are then no longer used)',
    edits: [insertChild(model.document, model.root, section, '<clear />', 'first')],
    // Never unattended: a feed may come from a user or machine config on purpose (a CI step that runs
    // `dotnet nuget add source`, a corporate machine-wide config), and clearing cuts it off.
    safeForFixAll: false,
    preferred: true,
  };
  if (privateFeeds.length > 0 && !nugetOrgDisabled) {
    const feed = privateFeeds[0]!;
    return {
      range: section.nameRange,
      message: `<packageSources> has no <clear />, so "${excerpt(feed.key)}" (${describeOwner(feed.location.owner!)}) is used beside user and machine sources, usually nuget.org (dependency confusion); add <clear />.`,
      fixes: [fix],
    };
  } else {
    return {
      range: section.nameRange,
      severity: 'info',
      message: '<packageSources> has no <clear />: sources from user and machine configs are used too, so builds on different machines may restore from different feeds.',
      fixes: [fix],
    };
  }
}

/**
 * The rule is on (settings) and not suppressed where it would report: only then may another rule leave a
 * shared finding to it. Suppressing or turning off one id brings back the other's own finding.
 */
export function ruleActiveAt(model: NuGetConfigModel, context: RuleContext, meta: RuleMeta, range: Range): boolean {
  if (!effectiveSeverity(meta, context.settings)) return false;
  // Loaded on first use: suppression.ts reads the rule registry (hadolint ids), which loads this file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isSuppressed } = require('../../suppression') as typeof import('../../suppression');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { collectNuGetSuppressions } = require('../suppression') as typeof import('../suppression');
  return !isSuppressed({ ruleId: meta.id, range }, collectNuGetSuppressions(model));
}

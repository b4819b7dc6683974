import { insertChild } from '../edits';
import { activeSources, mappingFor, type NuGetSource } from '../model';
import { isNuGetOrg } from '../sourceUrl';
import { escapeXmlAttribute } from '../xml';
import type { Fix } from '../../types';
import type { NuGetConfigModel } from '../model';
import type { NuGetConfigRule } from '../../rules/rule';
import { notClearedFinding, ruleActiveAt, sourcesNotCleared } from './sourcesNotCleared';
import { PATTERN_PLACEHOLDER } from './nugetFacts';
import { excerpt } from '../../excerpt';

// Dependency confusion: with sources of different owners and no package source mapping, restore takes a
// package id from whichever source offers a matching version, so a package published to the public feed
// under a private package's id can be installed instead. Package source mapping (NuGet 6.0+) pins each id
// pattern to its sources. The attack needs a source where outsiders can publish: nuget.org beside a feed of
// another owner is a warning; feeds of several owners who all control what they publish (e.g. Azure
// Artifacts feeds of two organisations) are reported as information; one owner's feeds are not reported.
export const unmappedSources: NuGetConfigRule = {
  meta: {
    id: 'nuget-unmapped-sources',
    title: 'Sources of different owners without package source mapping (dependency confusion)',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [427],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  check(model, report, context) {
    const sources = activeSources(model);
    const section = model.packageSources.sections[0];
    if (!section) return;
    // NuGet enables mapping only when some source has patterns: an empty <packageSourceMapping /> (or entries
    // without any <package>) maps nothing.
    const hasMapping = model.mapping.entries.some((entry) => entry.patterns.length > 0);

    for (const entry of model.mapping.entries) {
      for (const pattern of entry.patterns) {
        if (pattern.pattern === PATTERN_PLACEHOLDER && pattern.attribute) {
          report({ range: pattern.attribute.valueRange, message: `Replace the placeholder with the package id prefix that "${excerpt(entry.key)}" serves (e.g. Contoso.*).` });
        }
      }
    }

    if (!hasMapping) {
      const owners = ownersOf(sources);
      if (owners.size < 2) return;
      // No <clear /> either: one finding for both (nuget-sources-not-cleared stays silent here), both fixes.
      const notCleared = notClearedFinding(model);
      const both = notCleared && ruleActiveAt(model, context, sourcesNotCleared.meta, section.nameRange) ? notCleared : null;
      // nuget.org listed, or inherited through the missing <clear /> (unless disabled): open to anyone's packages.
      const open = owners.has('nuget.org') || (both !== null && both.severity !== 'info');
      // Two owners named, nuget.org first; the others are counted (the hover lists every source).
      const listed = [...owners.entries()].sort(([a], [b]) => Number(b === 'nuget.org') - Number(a === 'nuget.org')).slice(0, 2);
      const more = owners.size > listed.length ? ` and ${owners.size - listed.length} more` : '';
      // Keys only: the hover describes each source's owner.
      const named = listed.map(([, source]) => `"${excerpt(source.key)}"`).join(', ');
      const missing = both ? 'no <packageSourceMapping> or <clear />' : 'no <packageSourceMapping>';
      const inherited = both && !owners.has('nuget.org') ? ', beside inherited nuget.org,' : '';
      report({
        range: section.nameRange,
        ...(open ? {} : { severity: 'info' as const }),
        message: open
          ? `Sources of ${owners.size} different owners — ${named}${more} —${inherited} and ${missing} (dependency confusion); map each package prefix to its source.`
          : `Sources of ${owners.size} different owners — ${named}${more} — and ${missing}; none is open to outside publishers, so ${both ? 'both are' : 'mapping is'} optional hardening here.`,
        // The mapping skeleton first: it closes the gap whatever is inherited; <clear /> alone keeps a listed nuget.org.
        fixes: [mappingSkeletonFix(model, sources), ...(both ? both.fixes.map((fix) => ({ ...fix, preferred: false })) : [])],
      });
      return;
    }

    // With mapping in force, a source no entry names is never used for downloads.
    for (const source of sources) {
      if (mappingFor(model, source.key).length > 0) continue;
      report({
        range: source.keyAttribute?.valueRange ?? source.element.nameRange,
        severity: 'info',
        message: `No <packageSource key="${excerpt(source.key)}"> entry in <packageSourceMapping>: with mapping in force restore never downloads from "${excerpt(source.key)}". Map its packages or remove the source.`,
        fixes: [{
          title: `Add a mapping entry for "${excerpt(source.key)}"`,
          edits: [insertChild(model.document, model.root, model.mapping.sections[0]!, mappingEntry(source), 'last')],
          safeForFixAll: false,
        }],
      });
    }
  },
};

function mappingEntry(source: NuGetSource, pattern = isNuGetOrg(source.location) ? '*' : PATTERN_PLACEHOLDER): string {
  return `<packageSource key="${escapeXmlAttribute(source.key)}">\n\t<package pattern="${pattern}" />\n</packageSource>`;
}

function mappingSkeletonFix(model: Parameters<NuGetConfigRule['check']>[0], sources: NuGetSource[]): Fix {
  const entries = sources.map((source) => mappingEntry(source)).join('\n');
  const body = entries.split('\n').map((line) => `\t${line}`).join('\n');
  const existing = model.mapping.sections[0];
  return {
    title: 'Add <packageSourceMapping> (nuget.org → *, other sources → a prefix to fill in)',
    edits: [existing
      ? insertChild(model.document, model.root, existing, entries, 'last')
      : insertChild(model.document, model.root, model.root!, `<packageSourceMapping>\n${body}\n</packageSourceMapping>`, 'last')],
    // Until the placeholders name real prefixes, packages of the private feeds do not restore.
    safeForFixAll: false,
  };
}

/** Sources by owner (the first source of each), in document order. */
function ownersOf(sources: readonly NuGetSource[]): Map<string, NuGetSource> {
  const owners = new Map<string, NuGetSource>();
  for (const source of sources) if (source.location.owner && !owners.has(source.location.owner)) owners.set(source.location.owner, source);
  return owners;
}

/**
 * nuget-unmapped-sources reports sources of different owners on <packageSources> (no mapping in force, two
 * owners or more): nuget-sources-not-cleared leaves that element to it.
 */
export function reportsUnmappedOwners(model: NuGetConfigModel): boolean {
  if (!model.packageSources.sections[0]) return false;
  if (model.mapping.entries.some((entry) => entry.patterns.length > 0)) return false;
  return ownersOf(activeSources(model)).size >= 2;
}

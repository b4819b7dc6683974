import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { applyFix, assertFixInEveryStyle, configOf, CONTOSO_FEED, fixAll, nugetFindings, NUGET_ORG, onlyFinding, ruleFixes } from './nugetTesting';
import { PATTERN_PLACEHOLDER } from './nugetFacts';

const id = 'nuget-unmapped-sources';
const FABRIKAM_FEED = 'https://pkgs.dev.azure.com/fabrikam/_packaging/tools/nuget/v3/index.json';

const mixed = configOf('<packageSources>', '  <clear />', `  ${NUGET_ORG}`, `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>');
const skeleton = mixed.replace('</configuration>', [
  '  <packageSourceMapping>',
  '    <packageSource key="nuget.org">',
  '      <package pattern="*" />',
  '    </packageSource>',
  '    <packageSource key="contoso">',
  `      <package pattern="${PATTERN_PLACEHOLDER}" />`,
  '    </packageSource>',
  '  </packageSourceMapping>',
  '</configuration>',
].join('\n'));

test('nuget.org beside another owner without mapping: warning on <packageSources>', () => {
  const finding = onlyFinding(id, mixed);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(mixed, finding.range), 'packageSources');
  assert.match(finding.message, /^Sources of 2 different owners — "nuget\.org", "contoso" — and no <packageSourceMapping>/);
  assert.match(finding.message, /dependency confusion/);
});

test('the mapping skeleton fix: nuget.org → *, others → a placeholder; quick fix only, in every style', () => {
  const [fix] = ruleFixes(onlyFinding(id, mixed));
  assert.equal(fix!.safeForFixAll, false);
  assert.equal(applyFix(mixed, fix!), skeleton);
  assertFixInEveryStyle(id, mixed, skeleton);
  assert.equal(fixAll(mixed, { requireSignedPackages: false }), mixed);
});

test('the placeholder is flagged until it is edited', () => {
  const found = nugetFindings(id, skeleton);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'warning');
  assert.equal(textAt(skeleton, found[0]!.range), PATTERN_PLACEHOLDER);
  assert.match(found[0]!.message, /package id prefix that "contoso" serves/);
  assert.deepEqual(nugetFindings(id, skeleton.replace(PATTERN_PLACEHOLDER, 'Contoso.*')), []);
});

test('owners other than nuget.org only: information; one owner: nothing', () => {
  const twoOrgs = configOf('<packageSources>', '  <clear />', `  <add key="contoso" value="${CONTOSO_FEED}" />`, `  <add key="fabrikam" value="${FABRIKAM_FEED}" />`, '</packageSources>');
  const finding = onlyFinding(id, twoOrgs);
  assert.equal(finding.severity, 'info');
  assert.match(finding.message, /mapping is optional hardening/);
  const oneOrg = configOf('<packageSources>', '  <clear />', `  <add key="a" value="${CONTOSO_FEED}" />`, '  <add key="b" value="https://contoso.pkgs.visualstudio.com/_packaging/b/nuget/v3/index.json" />', '</packageSources>');
  assert.deepEqual(nugetFindings(id, oneOrg), []);
});

test('local folders, disabled sources and a lone nuget.org do not make a second owner', () => {
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', `  ${NUGET_ORG}`, '  <add key="local" value="./packages" />', '  <add key="abs" value="C:\\packages" />', '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf(
    '<packageSources>', `  ${NUGET_ORG}`, `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>',
    '<disabledPackageSources>', '  <add key="contoso" value="true" />', '</disabledPackageSources>',
  )), []);
});

test('an empty <packageSourceMapping /> maps nothing: still reported, and the skeleton goes into it', () => {
  const text = mixed.replace('</configuration>', '  <packageSourceMapping />\n</configuration>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), 'packageSources');
  assert.equal(applyFix(text, ruleFixes(finding)[0]!), skeleton);
});

test('with mapping in force, a source without an entry is reported as information on its key', () => {
  const text = configOf(
    '<PackageSources>',
    '  <clear />',
    `  ${NUGET_ORG}`,
    `  <Add Key="contoso" Value="${CONTOSO_FEED}" />`,
    '</PackageSources>',
    '<PackageSourceMapping>',
    '  <PackageSource Key="NuGet.org">',
    '    <Package Pattern="*" />',
    '  </PackageSource>',
    '</PackageSourceMapping>',
  );
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'info');
  assert.equal(textAt(text, finding.range), 'contoso');
  assert.match(finding.message, /never downloads from "contoso"/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Add a mapping entry for "contoso"');
  assert.equal(fix!.safeForFixAll, false);
  const fixed = applyFix(text, fix!);
  assert.equal(fixed, text.replace('  </PackageSource>\n', `  </PackageSource>\n    <packageSource key="contoso">\n      <package pattern="${PATTERN_PLACEHOLDER}" />\n    </packageSource>\n`));
  // The new entry's placeholder is what remains to do.
  assert.deepEqual(nugetFindings(id, fixed).map((f) => textAt(fixed, f.range)), [PATTERN_PLACEHOLDER]);
});

test('source keys with XML special characters are escaped in the new entry', () => {
  const text = configOf('<packageSources>', '  <clear />', `  ${NUGET_ORG}`, `  <add key="R&amp;D &quot;feed&quot;" value="${CONTOSO_FEED}" />`, '</packageSources>');
  const fixed = applyFix(text, ruleFixes(onlyFinding(id, text))[0]!);
  assert.match(fixed, /<packageSource key="R&amp;D &quot;feed&quot;">/);
});

test('fully mapped sources are not flagged; suppression comments work', () => {
  assert.deepEqual(nugetFindings(id, skeleton.replace(PATTERN_PLACEHOLDER, 'Contoso.*')), []);
  const suppressed = mixed.replace('  <packageSources>', '  <!-- container-guard ignore=nuget-unmapped-sources -->\n  <packageSources>');
  assert.deepEqual(nugetFindings(id, suppressed), []);
});

test('no mapping and no <clear /> either: ONE finding (this rule\'s) with both fixes; nuget-sources-not-cleared stays silent there', () => {
  const uncleared = mixed.replace('  <clear />\n', '');
  assert.deepEqual(nugetFindings('nuget-sources-not-cleared', uncleared), []);
  const finding = onlyFinding(id, uncleared);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(uncleared, finding.range), 'packageSources');
  assert.match(finding.message, /and no <packageSourceMapping> or <clear \/> \(dependency confusion\); map each package prefix to its source\.$/);
  // The two quoted owners make it long (issue 13's format); the merge adds only ` or <clear />`.
  assert.equal(finding.message, onlyFinding(id, mixed).message.replace('<packageSourceMapping>', '<packageSourceMapping> or <clear />'));
  const fixes = ruleFixes(finding);
  assert.deepEqual(fixes.map((fix) => fix.title), [
    'Add <packageSourceMapping> (nuget.org → *, other sources → a prefix to fill in)',
    'Add <clear /> (use only the sources listed here)',
  ]);
  assert.match(applyFix(uncleared, fixes[1]!), /<packageSources>\n\s*<clear \/>\n\s*<add key="nuget\.org"/);
  assert.ok(fixes.every((fix) => !fix.safeForFixAll && !fix.preferred));
});

test('two private owners, no <clear />: the inherited nuget.org makes it a warning; with nuget.org disabled, information', () => {
  const text = configOf('<packageSources>', `  <add key="contoso" value="${CONTOSO_FEED}" />`, `  <add key="fabrikam" value="${FABRIKAM_FEED}" />`, '</packageSources>');
  assert.deepEqual(nugetFindings('nuget-sources-not-cleared', text), []);
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /, beside inherited nuget\.org, and no <packageSourceMapping> or <clear \/>/);
  assert.equal(ruleFixes(finding).length, 2);
  const disabled = text.replace('</configuration>', '  <disabledPackageSources>\n    <add key="nuget.org" value="true" />\n  </disabledPackageSources>\n</configuration>');
  const info = onlyFinding(id, disabled);
  assert.equal(info.severity, 'info');
  assert.match(info.message, /no <packageSourceMapping> or <clear \/>; none is open to outside publishers, so both are optional hardening here\.$/);
});

test('both ids still suppress: either one off or suppressed brings back the other rule\'s own finding', () => {
  const uncleared = mixed.replace('  <clear />\n', '');
  const ignore = (ruleId: string): string => uncleared.replace('  <packageSources>', `  <!-- container-guard ignore=${ruleId} -->\n  <packageSources>`);
  // Suppressing the kept id: nuget-sources-not-cleared reports on its own again.
  assert.deepEqual(nugetFindings(id, ignore(id)), []);
  assert.match(onlyFinding('nuget-sources-not-cleared', ignore(id)).message, /has no <clear \/>/);
  assert.match(onlyFinding('nuget-sources-not-cleared', uncleared, { rules: { [id]: 'off' } }).message, /has no <clear \/>/);
  // Suppressing nuget-sources-not-cleared: this rule's finding without the <clear /> part.
  const alone = onlyFinding(id, ignore('nuget-sources-not-cleared'));
  assert.doesNotMatch(alone.message, /<clear \/>/);
  assert.equal(ruleFixes(alone).length, 1);
  assert.equal(ruleFixes(onlyFinding(id, uncleared, { rules: { 'nuget-sources-not-cleared': 'off' } })).length, 1);
  // Both suppressed: nothing.
  const both = uncleared.replace('  <packageSources>', '  <!-- container-guard ignore=nuget-unmapped-sources,nuget-sources-not-cleared -->\n  <packageSources>');
  assert.deepEqual([...nugetFindings(id, both), ...nugetFindings('nuget-sources-not-cleared', both)], []);
});

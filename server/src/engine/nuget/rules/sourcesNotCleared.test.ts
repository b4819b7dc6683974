import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { applyFix, assertFixInEveryStyle, configOf, CONTOSO_FEED, fixAll, nugetFindings, NUGET_ORG, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-sources-not-cleared';

test('a private feed without <clear />: warning on <packageSources>, naming the feed and its owner', () => {
  const text = configOf('<packageSources>', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), 'packageSources');
  assert.match(finding.message, /"contoso" \(Azure Artifacts organisation "contoso"\)/);
  assert.match(finding.message, /dependency confusion/);
  const [fix] = ruleFixes(finding);
  // Without nuget.org listed here, clearing drops the inherited nuget.org: the user decides.
  assert.equal(fix!.title, 'Add <clear /> (nuget.org and other inherited sources are then no longer used)');
  assert.equal(fix!.safeForFixAll, false);
  assert.equal(applyFix(text, fix!), text.replace('<packageSources>\n', '<packageSources>\n    <clear />\n'));
  assert.equal(fixAll(text, { requireSignedPackages: false }), text);
});

// nuget.org beside another owner is also nuget-unmapped-sources' finding, which then reports both (see its
// tests); with that rule off, this rule reports on its own.
const UNMAPPED_OFF = { rules: { 'nuget-unmapped-sources': 'off' as const } };

test('nuget.org beside a private feed (nuget-unmapped-sources off): warning; <clear /> is the preferred quick fix, never applied by fix-all', () => {
  const input = configOf('<packageSources>', '  <!-- public -->', `  ${NUGET_ORG}`, `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>');
  const expected = input.replace('<packageSources>\n', '<packageSources>\n    <clear />\n');
  assert.deepEqual(nugetFindings(id, input), []);
  const finding = onlyFinding(id, input, UNMAPPED_OFF);
  assert.equal(finding.severity, 'warning');
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Add <clear /> (use only the sources listed here)');
  // A feed may come from a user or machine config on purpose (e.g. `dotnet nuget add source` in CI).
  assert.equal(fix!.safeForFixAll, false);
  assert.equal(fix!.preferred, true);
  assertFixInEveryStyle(id, input, expected, (text) => ruleFixes(onlyFinding(id, text, UNMAPPED_OFF))[0]!);
  assert.equal(fixAll(input, { requireSignedPackages: false }), input);
});

test('a file that disables the inherited nuget.org: information, not the dependency-confusion warning', () => {
  const text = configOf(
    '<packageSources>', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>',
    '<disabledPackageSources>', '  <add key="nuget.org" value="true" />', '</disabledPackageSources>',
  );
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'info');
  assert.match(finding.message, /builds on different machines may restore from different feeds/);
  // NuGet compares disabled names exactly: "NuGet.org" does not disable the default "nuget.org".
  assert.equal(onlyFinding(id, text.replace('<add key="nuget.org" value="true" />', '<add key="NuGet.org" value="true" />')).severity, 'warning');
});

test('only nuget.org, or only local folders: information', () => {
  const nugetOrg = configOf('<packageSources>', `  ${NUGET_ORG}`, '</packageSources>');
  const finding = onlyFinding(id, nugetOrg);
  assert.equal(finding.severity, 'info');
  assert.match(finding.message, /builds on different machines may restore from different feeds/);
  assert.equal(ruleFixes(finding)[0]!.safeForFixAll, false);
  const local = onlyFinding(id, configOf('<packageSources>', '  <add key="local" value="../packages" />', '</packageSources>'));
  assert.equal(local.severity, 'info');
  assert.equal(ruleFixes(local)[0]!.safeForFixAll, false);
});

test('a file share or any other host is a private feed', () => {
  assert.match(onlyFinding(id, configOf('<packageSources>', '  <add key="share" value="\\\\build01\\nuget" />', '</packageSources>')).message, /file share on build01/);
  assert.equal(onlyFinding(id, configOf('<packageSources>', '  <add key="corp" value="https://nuget.corp.example/v3/index.json" />', '</packageSources>')).severity, 'warning');
});

test('case-insensitive element names; the new <clear /> goes before the first child', () => {
  const text = configOf('<PackageSources>', `  <Add Key="contoso" Value="${CONTOSO_FEED}" />`, '</PackageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(textAt(text, finding.range), 'PackageSources');
  assert.equal(applyFix(text, ruleFixes(finding)[0]!), text.replace('<PackageSources>\n', '<PackageSources>\n    <clear />\n'));
  // `<Clear/>` in any letter case counts.
  assert.deepEqual(nugetFindings(id, text.replace('<PackageSources>\n', '<PackageSources>\n    <Clear/>\n')), []);
});

test('a one-line section stays well-formed', () => {
  const text = `<configuration><packageSources>${NUGET_ORG}</packageSources></configuration>`;
  const out = applyFix(text, ruleFixes(onlyFinding(id, text))[0]!);
  assert.deepEqual(nugetFindings(id, out), []);
});

test('not flagged: cleared, empty or self-closing sections, only disabled sources, no section', () => {
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', '  <clear />', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>')), []);
  // A <clear /> after the entries drops them too (NuGet reads in order): nothing is left to inherit beside.
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>', '<packageSources>', '  <clear />', '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<packageSources />')), []);
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<config>', '  <add key="globalPackagesFolder" value="packages" />', '</config>')), []);
  assert.deepEqual(nugetFindings(id, configOf(
    '<packageSources>', `  <add key="Contoso" value="${CONTOSO_FEED}" />`, '</packageSources>',
    '<disabledPackageSources>', '  <add key="Contoso" value="true" />', '</disabledPackageSources>',
  )), []);
});

test('not flagged: Package Source Mapping is on (inherited sources, mapped nowhere, are never used)', () => {
  const sources = ['<packageSources>', `  <add key="github" value="${CONTOSO_FEED}" />`, `  <add key="nuget.org" value="${NUGET_ORG}" />`, '</packageSources>'];
  const mapped = configOf(...sources, '<packageSourceMapping>', '  <packageSource key="github">', '    <package pattern="FCG.*" />', '  </packageSource>',
    '  <packageSource key="nuget.org">', '    <package pattern="*" />', '  </packageSource>', '</packageSourceMapping>');
  assert.deepEqual(nugetFindings(id, mapped), []);
  const partly = configOf(...sources, '<packageSourceMapping>', '  <packageSource key="nuget.org">', '    <package pattern="*" />', '  </packageSource>', '</packageSourceMapping>');
  // A source of the file left unmapped is unused as well: that is nuget-unmapped-sources' finding, not this rule's.
  assert.deepEqual(nugetFindings(id, partly), []);
  assert.equal(nugetFindings('nuget-unmapped-sources', partly).length, 1);
});

test('the <clear /> fix goes above the comments of the first source, so a suppression comment keeps its element', () => {
  const text = configOf(
    '<packageSources>',
    '  <!-- container-guard ignore=nuget-http-source -->',
    '  <add key="legacy" value="http://nuget.legacy.example/nuget" />',
    `  ${NUGET_ORG}`,
    '</packageSources>',
  );
  const fixed = applyFix(text, ruleFixes(onlyFinding(id, text, UNMAPPED_OFF))[0]!);
  assert.equal(fixed, text.replace('<packageSources>\n', '<packageSources>\n    <clear />\n'));
  assert.deepEqual(nugetFindings('nuget-http-source', fixed), []);
});

test('suppression comment before <packageSources>', () => {
  const text = configOf('<!-- container-guard ignore=nuget-sources-not-cleared -->', '<packageSources>', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>');
  assert.deepEqual(nugetFindings(id, text), []);
});

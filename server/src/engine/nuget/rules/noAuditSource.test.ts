import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { applyFix, assertFixInEveryStyle, configOf, CONTOSO_FEED, fixAll, nugetFindings, NUGET_ORG, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-no-audit-source';
const AUDIT_ADD = '<add key="nuget.org" value="https://api.nuget.org/v3/index.json" />';
const cleared = ['<packageSources>', '  <clear />', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>'];

test('cleared sources without nuget.org and no audit source: information; the fix adds <auditSources>', () => {
  const input = configOf(...cleared);
  const finding = onlyFinding(id, input);
  assert.equal(finding.severity, 'info');
  assert.equal(textAt(input, finding.range), 'packageSources');
  assert.match(finding.message, /NU1905/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Add nuget.org as an audit source (vulnerability data only)');
  assert.equal(fix!.safeForFixAll, false);
  const expected = configOf(...cleared, '<auditSources>', '  <clear />', `  ${AUDIT_ADD}`, '</auditSources>');
  assertFixInEveryStyle(id, input, expected);
  assert.deepEqual(nugetFindings(id, expected), []);
  assert.equal(fixAll(input, { requireSignedPackages: false }), input);
});

test('an empty or cleared <auditSources> gets the entry added to it', () => {
  const selfClosing = configOf(...cleared, '<auditSources />');
  assert.equal(applyFix(selfClosing, ruleFixes(onlyFinding(id, selfClosing))[0]!), configOf(...cleared, '<auditSources>', `  ${AUDIT_ADD}`, '</auditSources>'));
  const clearedAudit = configOf(...cleared, '<AuditSources>', '  <clear />', '</AuditSources>');
  assert.equal(applyFix(clearedAudit, ruleFixes(onlyFinding(id, clearedAudit))[0]!), configOf(...cleared, '<AuditSources>', '  <clear />', `  ${AUDIT_ADD}`, '</AuditSources>'));
});

test('not flagged: nuget.org among the sources, an audit source, sources not cleared, no sources, only disabled sources', () => {
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', '  <clear />', `  ${NUGET_ORG}`, `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf(...cleared, '<auditSources>', '  <add key="vulns" value="https://vulns.contoso.example/v3/index.json" />', '</auditSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', `  <add key="contoso" value="${CONTOSO_FEED}" />`, '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', '  <clear />', '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf(...cleared, '<disabledPackageSources>', '  <add key="contoso" value="true" />', '</disabledPackageSources>')), []);
});

test('a local folder alone counts as a source without vulnerability data', () => {
  assert.equal(nugetFindings(id, configOf('<PackageSources>', '  <Clear />', '  <Add Key="local" Value="./packages" />', '</PackageSources>')).length, 1);
});

test('suppression comment', () => {
  assert.deepEqual(nugetFindings(id, configOf(`<!-- container-guard ignore=${id} -->`, ...cleared)), []);
});

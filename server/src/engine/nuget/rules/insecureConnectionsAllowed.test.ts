import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { applyFix, assertFixInEveryStyle, configOf, fixAll, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-insecure-connections-allowed';

test('on an http source: flagged on the attribute, removal offered but not applied by fix-all', () => {
  const text = configOf('<packageSources>', '  <clear />', '  <add key="f" value="http://feed.example.com/v3/index.json" allowInsecureConnections="true" />', '</packageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), 'allowInsecureConnections="true"');
  assert.match(finding.message, /switches off NuGet's http check \(NU1803\/NU1302\) for "f"/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Remove allowInsecureConnections');
  assert.equal(fix!.safeForFixAll, false);
  assert.equal(applyFix(text, fix!), text.replace(' allowInsecureConnections="true"', ''));
  assert.equal(fixAll(text, { requireSignedPackages: false }), text);
});

test('on an https source: the flag does nothing but hide a regression, so fix-all removes it', () => {
  const input = configOf('<packageSources>', '  <clear />', '  <add key="f" allowInsecureConnections="True" value="https://feed.example.com/v3/index.json" protocolVersion="3" />', '</packageSources>');
  const expected = input.replace(' allowInsecureConnections="True"', '');
  const finding = onlyFinding(id, input);
  assert.match(finding.message, /already uses https/);
  assert.equal(ruleFixes(finding)[0]!.safeForFixAll, true);
  assert.equal(ruleFixes(finding)[0]!.preferred, true);
  assertFixInEveryStyle(id, input, expected);
  assert.equal(fixAll(input, { requireSignedPackages: false }), expected);
});

test('case-insensitive names; audit sources too', () => {
  const text = configOf('<AuditSources>', '  <Add Key="a" Value="https://api.nuget.org/v3/index.json" AllowInsecureConnections="TRUE" />', '</AuditSources>');
  assert.equal(textAt(text, onlyFinding(id, text).range), 'AllowInsecureConnections="TRUE"');
});

test('not flagged: false or missing, and disabled sources', () => {
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', '  <add key="f" value="http://f.example.com/" allowInsecureConnections="false" />', '  <add key="g" value="http://g.example.com/" />', '</packageSources>')), []);
  const disabled = configOf(
    '<packageSources>', '  <add key="F" value="http://f.example.com/" allowInsecureConnections="true" />', '</packageSources>',
    '<disabledPackageSources>', '  <add key="F" value="true" />', '</disabledPackageSources>',
  );
  assert.deepEqual(nugetFindings(id, disabled), []);
});

test('suppression comment before the source', () => {
  const text = configOf('<packageSources>', '  <!-- container-guard ignore=nuget-insecure-connections-allowed -->', '  <add key="f" value="http://f.example.com/" allowInsecureConnections="true" />', '</packageSources>');
  assert.deepEqual(nugetFindings(id, text), []);
});

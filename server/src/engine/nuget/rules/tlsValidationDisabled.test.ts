import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { applyFix, assertFixInEveryStyle, configOf, fixAll, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-tls-validation-disabled';

test('flags disableTLSCertificateValidation="true" as an error on the attribute', () => {
  const text = configOf('<packageSources>', '  <clear />', '  <add key="corp" value="https://nuget.corp.example/v3/index.json" disableTLSCertificateValidation="true" />', '</packageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'error');
  assert.equal(textAt(text, finding.range), 'disableTLSCertificateValidation="true"');
  assert.match(finding.message, /Certificate validation is off for "corp"/);
});

test('the removal fix keeps the rest of the element and is never applied by fix-all', () => {
  const input = configOf('<packageSources>', '  <clear />', '  <add key="corp" disableTLSCertificateValidation="true" value="https://nuget.corp.example/v3/index.json" />', '</packageSources>');
  const expected = input.replace(' disableTLSCertificateValidation="true"', '');
  const fix = ruleFixes(onlyFinding(id, input))[0]!;
  assert.match(fix.title, /install the feed's CA certificate first/);
  assert.equal(fix.safeForFixAll, false);
  assertFixInEveryStyle(id, input, expected);
  assert.equal(fixAll(input, { requireSignedPackages: false }), input);
});

test('the removal also takes a tab or line break before the attribute away cleanly', () => {
  const text = '<configuration>\n  <packageSources>\n    <add key="corp"\n\t\tvalue="https://nuget.corp.example/"\t disableTLSCertificateValidation="true" />\n  </packageSources>\n</configuration>\n';
  const out = applyFix(text, ruleFixes(onlyFinding(id, text))[0]!);
  assert.equal(out, text.replace('\t disableTLSCertificateValidation="true"', ''));
});

test('case-insensitive names, audit sources', () => {
  const text = configOf('<auditSources>', '  <ADD KEY="a" VALUE="https://a.example/" DisableTlsCertificateValidation=" True " />', '</auditSources>');
  assert.equal(textAt(text, onlyFinding(id, text).range), 'DisableTlsCertificateValidation=" True "');
});

test('not flagged: false, absent, disabled sources; suppressed by comment', () => {
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', '  <add key="a" value="https://a.example/" disableTLSCertificateValidation="false" />', '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf(
    '<packageSources>', '  <add key="a" value="https://a.example/" disableTLSCertificateValidation="true" />', '</packageSources>',
    '<disabledPackageSources>', '  <add key="a" value="true" />', '</disabledPackageSources>',
  )), []);
  assert.deepEqual(nugetFindings(id, configOf('<!-- container-guard global ignore=nuget-tls-validation-disabled -->', '<packageSources>', '  <add key="a" value="https://a.example/" disableTLSCertificateValidation="true" />', '</packageSources>')), []);
});

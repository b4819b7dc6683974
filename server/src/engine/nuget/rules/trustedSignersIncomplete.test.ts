import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import type { Finding } from '../../types';
import { NUGET_ORG_REPOSITORY_FINGERPRINTS, OWNERS_PLACEHOLDER } from './nugetFacts';
import { applyFix, assertFixInEveryStyle, configOf, fixAll, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-trusted-signers-incomplete';
const [OLDEST, MIDDLE, NEWEST] = NUGET_ORG_REPOSITORY_FINGERPRINTS;
const cert = (f: string, indent = '    '): string => `${indent}<certificate fingerprint="${f}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`;
const requireMode = ['<config>', '  <add key="signatureValidationMode" value="require" />', '</config>'];

test('"require" with no signer certificate: warning on the mode value (NU3034)', () => {
  const text = configOf(...requireMode, '<trustedSigners>', '  <author name="x" />', '</trustedSigners>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), 'require');
  assert.match(finding.message, /NU3034/);
  assert.equal(onlyFinding(id, configOf(...requireMode)).severity, 'warning');
  // A certificate with a fingerprint satisfies this check (the author signer is not about nuget.org).
  assert.deepEqual(nugetFindings(id, configOf(...requireMode, '<trustedSigners>', '  <author name="x">', cert('AB'), '  </author>', '</trustedSigners>')), []);
});

test('a nuget.org repository signer missing certificates: fix-all inserts them before the existing ones', () => {
  const input = configOf(
    ...requireMode,
    '<trustedSigners>',
    '  <repository name="nuget" serviceIndex="https://api.nuget.org/v3/index.json">',
    '    <owners>microsoft;aspnet;nuget</owners>',
    cert(OLDEST!.toLowerCase()),
    '  </repository>',
    '</trustedSigners>',
  );
  const finding = onlyFinding(id, input);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(input, finding.range), 'repository');
  assert.match(finding.message, /lacks 2 of nuget\.org's 3 repository certificates/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Add the missing nuget.org repository certificates');
  // Trust added is a person's choice: a quick fix, never applied on save.
  assert.equal(fix!.safeForFixAll, false);
  const expected = input.replace('      <owners>', `${cert(MIDDLE!, '      ')}\n${cert(NEWEST!, '      ')}\n      <owners>`);
  assertFixInEveryStyle(id, input, expected);
  assert.equal(fixAll(input), input);
  assert.deepEqual(nugetFindings(id, expected), []);
});

test('a nuget.org signer by name with no certificates gets all three, last', () => {
  const input = configOf(...requireMode, '<TrustedSigners>', '  <Repository Name="NuGet.org">', '    <owners>microsoft</owners>', '  </Repository>', '</TrustedSigners>');
  // Under "require" no certificate at all is also the NU3034 finding on the mode.
  const [nu3034, finding] = nugetFindings(id, input) as [Finding, Finding];
  assert.equal(textAt(input, nu3034.range), 'require');
  assert.equal(textAt(input, finding.range), 'Repository');
  assert.match(finding.message, /lacks 3 of nuget\.org's 3/);
  assert.match(finding.message, /signed with them fail/);
  const out = applyFix(input, ruleFixes(finding)[0]!);
  assert.equal(out, input.replace('    <owners>microsoft</owners>\n', `    <owners>microsoft</owners>\n${NUGET_ORG_REPOSITORY_FINGERPRINTS.map((f) => `${cert(f, '      ')}\n`).join('')}`));
});

test('one missing certificate: "signed with it"', () => {
  const text = configOf('<trustedSigners>', '  <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">', cert(OLDEST!), cert(MIDDLE!), '    <owners>microsoft</owners>', '  </repository>', '</trustedSigners>');
  assert.match(onlyFinding(id, text).message, /lacks 1 of .* signed with it fail/);
});

test('the owners placeholder is flagged until edited, with or without "require"', () => {
  const text = configOf('<trustedSigners>', '  <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">', ...NUGET_ORG_REPOSITORY_FINGERPRINTS.map((f) => cert(f)), `    <owners>${OWNERS_PLACEHOLDER}</owners>`, '  </repository>', '</trustedSigners>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), OWNERS_PLACEHOLDER);
  assert.deepEqual(nugetFindings(id, text.replace(OWNERS_PLACEHOLDER, 'microsoft;aspnet;nuget')), []);
});

test('"require" with a nuget.org signer without owners: information (any nuget.org package passes)', () => {
  const text = configOf(...requireMode, '<trustedSigners>', '  <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">', ...NUGET_ORG_REPOSITORY_FINGERPRINTS.map((f) => cert(f)), '  </repository>', '</trustedSigners>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'info');
  assert.equal(textAt(text, finding.range), 'repository');
  assert.match(finding.message, /typosquat/);
  // Without "require" the signer list is not enforced, so no owners finding.
  assert.deepEqual(nugetFindings(id, text.replace('value="require"', 'value="accept"')), []);
});

test('not flagged: other repository signers, author signers, complete nuget.org entries', () => {
  const text = configOf(
    ...requireMode,
    '<trustedSigners>',
    '  <author name="Microsoft">', cert('3F9001EA83C560D712C24CF213C3D312CB3BFF51EE89435D3430BD06B5D0EECE'), '  </author>',
    '  <repository name="contoso" serviceIndex="https://nuget.contoso.example/v3/index.json">', cert('AA'), '  </repository>',
    '  <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">', ...NUGET_ORG_REPOSITORY_FINGERPRINTS.map((f) => cert(f)), '    <owners>microsoft;nuget</owners>', '  </repository>',
    '</trustedSigners>',
  );
  assert.deepEqual(nugetFindings(id, text), []);
});

test('suppression comment before the signer', () => {
  const text = configOf('<trustedSigners>', `  <!-- container-guard ignore=${id} -->`, '  <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">', cert(OLDEST!), '  </repository>', '</trustedSigners>');
  assert.deepEqual(nugetFindings(id, text), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { NUGET_ORG_REPOSITORY_FINGERPRINTS, OWNERS_PLACEHOLDER } from './nugetFacts';
import { applyFix, assertFixInEveryStyle, configOf, fixAll, nugetFindings, NUGET_ORG, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-signature-validation-not-required';

const signerLines = [
  '<repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">',
  ...NUGET_ORG_REPOSITORY_FINGERPRINTS.map((f) => `  <certificate fingerprint="${f}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`),
  `  <owners>${OWNERS_PLACEHOLDER}</owners>`,
  '</repository>',
];

test('no signatureValidationMode: information on <packageSources>; the fix adds <config> first and <trustedSigners> last', () => {
  const input = configOf('<!-- Sources for this repository -->', '<packageSources>', '  <clear />', `  ${NUGET_ORG}`, '</packageSources>');
  const finding = onlyFinding(id, input);
  assert.equal(finding.severity, 'info');
  assert.equal(textAt(input, finding.range), 'packageSources');
  assert.match(finding.message, /signatureValidationMode is not set \(NuGet's default is "accept"\)/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Require signed packages and trust the nuget.org repository signature (fill in <owners>)');
  assert.equal(fix!.safeForFixAll, false);
  const expected = configOf(
    '<config>',
    '  <add key="signatureValidationMode" value="require" />',
    '</config>',
    '<!-- Sources for this repository -->',
    '<packageSources>',
    '  <clear />',
    `  ${NUGET_ORG}`,
    '</packageSources>',
    '<trustedSigners>',
    ...signerLines.map((l) => `  ${l}`),
    '</trustedSigners>',
  );
  assertFixInEveryStyle(id, input, expected);
  assert.equal(fixAll(input), input);
  // After the fix this rule is satisfied; the owners placeholder is flagged until edited.
  assert.deepEqual(nugetFindings(id, expected), []);
  const remaining = nugetFindings('nuget-trusted-signers-incomplete', expected);
  assert.deepEqual(remaining.map((f) => textAt(expected, f.range)), [OWNERS_PLACEHOLDER]);
  assert.deepEqual(nugetFindings('nuget-trusted-signers-incomplete', expected.replace(OWNERS_PLACEHOLDER, 'microsoft;aspnet;nuget')), []);
});

test('"accept" (any case): information on the value; the fix rewrites it and appends the signer to <trustedSigners>', () => {
  const input = configOf(
    '<config>',
    '  <add key="globalPackagesFolder" value="packages" />',
    '  <Add Key="SignatureValidationMode" Value="Accept" />',
    '</config>',
    '<packageSources>',
    '  <clear />',
    '</packageSources>',
    '<trustedSigners>',
    '  <author name="Microsoft">',
    '    <certificate fingerprint="3F9001EA83C560D712C24CF213C3D312CB3BFF51EE89435D3430BD06B5D0EECE" hashAlgorithm="SHA256" allowUntrustedRoot="false" />',
    '  </author>',
    '</trustedSigners>',
  );
  const finding = onlyFinding(id, input);
  assert.equal(textAt(input, finding.range), 'Accept');
  assert.match(finding.message, /signatureValidationMode is "Accept"/);
  const expected = input
    .replace('Value="Accept"', 'Value="require"')
    .replace('    </author>\n', `    </author>\n${signerLines.map((l) => `    ${l}\n`).join('')}`);
  assertFixInEveryStyle(id, input, expected);
});

test('self-closing <config /> and <trustedSigners /> are opened up', () => {
  const input = configOf('<config />', '<packageSources>', '  <clear />', `  ${NUGET_ORG}`, '</packageSources>', '<trustedSigners />');
  const expected = configOf(
    '<config>',
    '  <add key="signatureValidationMode" value="require" />',
    '</config>',
    '<packageSources>',
    '  <clear />',
    `  ${NUGET_ORG}`,
    '</packageSources>',
    '<trustedSigners>',
    ...signerLines.map((l) => `  ${l}`),
    '</trustedSigners>',
  );
  assertFixInEveryStyle(id, input, expected);
});

test('an existing nuget.org repository signer (by name or service index) is not added twice', () => {
  const input = configOf(
    '<packageSources>', '  <clear />', `  ${NUGET_ORG}`, '</packageSources>',
    '<trustedSigners>',
    '  <repository name="nuget" serviceIndex="https://api.nuget.org/v3/index.json">',
    ...NUGET_ORG_REPOSITORY_FINGERPRINTS.map((f) => `    <certificate fingerprint="${f}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`),
    '    <owners>microsoft</owners>',
    '  </repository>',
    '</trustedSigners>',
  );
  const out = applyFix(input, ruleFixes(onlyFinding(id, input))[0]!);
  assert.equal(out.match(/<repository /g)!.length, 1);
  assert.match(out, /<add key="signatureValidationMode" value="require" \/>/);
});

test('not flagged: "require" (any case), configs without sources, another root', () => {
  assert.deepEqual(nugetFindings(id, configOf('<config>', '  <add key="signatureValidationMode" value=" Require " />', '</config>', '<packageSources>', `  ${NUGET_ORG}`, '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<config>', '  <add key="globalPackagesFolder" value="packages" />', '</config>')), []);
  assert.deepEqual(nugetFindings(id, '<settings>\n  <packageSources />\n</settings>\n'), []);
});

test('a config that names the mode is reported even without sources', () => {
  const text = configOf('<config>', '  <add key="signatureValidationMode" value="accept" />', '</config>');
  assert.equal(textAt(text, onlyFinding(id, text).range), 'accept');
});

test('the requireSignedPackages: false setting silences it', () => {
  const text = configOf('<packageSources>', `  ${NUGET_ORG}`, '</packageSources>');
  assert.equal(nugetFindings(id, text).length, 1);
  assert.deepEqual(nugetFindings(id, text, { requireSignedPackages: false }), []);
  assert.deepEqual(nugetFindings(id, configOf('<config>', '  <add key="signatureValidationMode" value="accept" />', '</config>'), { requireSignedPackages: false }), []);
});

test('suppression comments', () => {
  assert.deepEqual(nugetFindings(id, configOf('<!-- container-guard ignore=nuget-signature-validation-not-required -->', '<packageSources>', `  ${NUGET_ORG}`, '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, `<!-- container-guard global ignore=${id} -->\n${configOf('<packageSources>', `  ${NUGET_ORG}`, '</packageSources>')}`), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { assertFixInEveryStyle, configOf, fixAll, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-untrusted-root-allowed';
const FP = '3F9001EA83C560D712C24CF213C3D312CB3BFF51EE89435D3430BD06B5D0EECE';

const signers = (flag: string): string => configOf('<trustedSigners>', '  <author name="Contoso">', `    <certificate fingerprint="${FP}" hashAlgorithm="SHA256" allowUntrustedRoot="${flag}" />`, '  </author>', '</trustedSigners>');

test('allowUntrustedRoot="true": warning on the attribute; the quick fix sets it to false, fix-all does not', () => {
  const input = signers('true');
  const finding = onlyFinding(id, input);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(input, finding.range), 'allowUntrustedRoot="true"');
  assert.match(finding.message, /author signer "Contoso" accepts certificate 3F9001EA83C5…/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Set allowUntrustedRoot="false"');
  assert.equal(fix!.safeForFixAll, false);
  assertFixInEveryStyle(id, input, signers('false'));
  assert.equal(fixAll(input), input);
});

test('repository signers and case-insensitive names', () => {
  const text = configOf('<TrustedSigners>', '  <Repository Name="feed" ServiceIndex="https://feed.example/v3/index.json">', `    <Certificate Fingerprint="${FP}" HashAlgorithm="SHA256" AllowUntrustedRoot="TRUE" />`, '  </Repository>', '</TrustedSigners>');
  const finding = onlyFinding(id, text);
  assert.equal(textAt(text, finding.range), 'AllowUntrustedRoot="TRUE"');
  assert.match(finding.message, /repository signer "feed"/);
});

test('not flagged: false, absent; suppressed by comment', () => {
  assert.deepEqual(nugetFindings(id, signers('false')), []);
  assert.deepEqual(nugetFindings(id, configOf('<trustedSigners>', '  <author name="a">', `    <certificate fingerprint="${FP}" hashAlgorithm="SHA256" />`, '  </author>', '</trustedSigners>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<trustedSigners>', `  <!-- container-guard ignore=${id} -->`, '  <author name="a">', `    <certificate fingerprint="${FP}" hashAlgorithm="SHA256" allowUntrustedRoot="true" />`, '  </author>', '</trustedSigners>')), []);
});

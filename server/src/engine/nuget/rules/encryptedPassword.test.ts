import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { configOf, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-encrypted-password';
const DPAPI = 'AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAMrfCfz77r0OizNIXcGSbhgAAAAACAAAAAAAQZgAAAAEAACAAAAC';

test('a committed DPAPI Password is information on the value, without a fix', () => {
  const text = configOf('<packageSourceCredentials>', '  <Contoso_x0020_Feed>', '    <add key="Username" value="build" />', `    <add key="Password" value="${DPAPI}" />`, '  </Contoso_x0020_Feed>', '</packageSourceCredentials>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'info');
  assert.equal(textAt(text, finding.range), DPAPI);
  assert.match(finding.message, /"Contoso Feed" is DPAPI-encrypted/);
  assert.deepEqual(ruleFixes(finding), []);
});

test('case-insensitive names', () => {
  const text = configOf('<PACKAGESOURCECREDENTIALS>', '  <feed>', `    <ADD KEY="PASSWORD" VALUE="${DPAPI}" />`, '  </feed>', '</PACKAGESOURCECREDENTIALS>');
  assert.equal(onlyFinding(id, text).severity, 'info');
});

test('not flagged: %VAR%, empty, ClearTextPassword (another rule); suppressed by comment', () => {
  const wrap = (entry: string): string => configOf('<packageSourceCredentials>', '  <feed>', `    ${entry}`, '  </feed>', '</packageSourceCredentials>');
  assert.deepEqual(nugetFindings(id, wrap('<add key="Password" value="%FEED_PASSWORD%" />')), []);
  assert.deepEqual(nugetFindings(id, wrap('<add key="Password" value="" />')), []);
  assert.deepEqual(nugetFindings(id, wrap('<add key="ClearTextPassword" value="pw" />')), []);
  assert.deepEqual(nugetFindings(id, configOf('<!-- container-guard global ignore=nuget-encrypted-password -->', '<packageSourceCredentials>', '  <feed>', `    <add key="Password" value="${DPAPI}" />`, '  </feed>', '</packageSourceCredentials>')), []);
});

test('a user severity setting wins', () => {
  const text = configOf('<packageSourceCredentials>', '  <feed>', `    <add key="Password" value="${DPAPI}" />`, '  </feed>', '</packageSourceCredentials>');
  assert.equal(onlyFinding(id, text, { rules: { [id]: 'warning' } }).severity, 'warning');
  assert.deepEqual(nugetFindings(id, text, { rules: { [id]: 'off' } }), []);
});

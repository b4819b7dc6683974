import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { environmentVariableFor } from './cleartextPassword';
import { applyFix, assertFixInEveryStyle, configOf, fixAll, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-cleartext-password';

const credentials = (element: string, ...entries: string[]): string =>
  configOf('<packageSourceCredentials>', `  <${element}>`, ...entries.map((e) => `    ${e}`), `  </${element}>`, '</packageSourceCredentials>');

test('a literal ClearTextPassword is an error on the value, with a %VARIABLE% quick fix that fix-all skips', () => {
  const text = credentials('Contoso', '<add key="Username" value="build" />', '<add key="ClearTextPassword" value="s3cr3t-P@ss" />');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'error');
  assert.equal(textAt(text, finding.range), 's3cr3t-P@ss');
  assert.match(finding.message, /password for "Contoso" is committed in clear text/);
  assert.match(finding.message, /rotate/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Read the password from %NUGET_CONTOSO_PASSWORD% (set it in the environment or the pipeline\'s secrets first)');
  assert.equal(fix!.safeForFixAll, false);
  const fixed = applyFix(text, fix!);
  assert.equal(fixed, text.replace('s3cr3t-P@ss', '%NUGET_CONTOSO_PASSWORD%'));
  assert.deepEqual(nugetFindings(id, fixed), []);
  assert.equal(fixAll(text, { requireSignedPackages: false }), text);
});

test('_x0020_-encoded element names are decoded to the source name', () => {
  const text = credentials('Contoso_x0020_Private_x0020_Feed', '<add key="Username" value="build" />', '<add key="ClearTextPassword" value="hunter2" />');
  const finding = onlyFinding(id, text);
  assert.match(finding.message, /"Contoso Private Feed"/);
  assert.equal(applyFix(text, ruleFixes(finding)[0]!), text.replace('hunter2', '%NUGET_CONTOSO_PRIVATE_FEED_PASSWORD%'));
});

test('entity-encoded passwords: the range covers the value as written and the fix replaces all of it', () => {
  const text = credentials('feed', '<add key="ClearTextPassword" value="a&amp;b&lt;c&quot;d" />');
  const finding = onlyFinding(id, text);
  assert.equal(textAt(text, finding.range), 'a&amp;b&lt;c&quot;d');
  assert.equal(applyFix(text, ruleFixes(finding)[0]!), text.replace('a&amp;b&lt;c&quot;d', '%NUGET_FEED_PASSWORD%'));
});

test('case-insensitive keys and element names', () => {
  const text = configOf('<PackageSourceCredentials>', '  <feed>', '    <Add Key="cleartextpassword" Value="pw" />', '  </feed>', '</PackageSourceCredentials>');
  assert.equal(textAt(text, onlyFinding(id, text).range), 'pw');
});

test('%VAR% is what NuGet expands: not flagged', () => {
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="Username" value="%FEED_USER%" />', '<add key="ClearTextPassword" value="%FEED_PAT%" />')), []);
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="ClearTextPassword" value=" %FEED_PAT% " />')), []);
  // Windows environment names may hold dashes and dots; NuGet expands them all the same.
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="ClearTextPassword" value="%AZURE-ARTIFACTS.PAT%" />')), []);
});

test('$VAR, ${VAR} and $env:VAR are sent literally: warning with a preferred %VAR% quick fix, not applied by fix-all', () => {
  for (const [written, name] of [['$FEED_PAT', 'FEED_PAT'], ['${FEED_PAT}', 'FEED_PAT'], ['$env:FEED_PAT', 'FEED_PAT']] as const) {
    const input = credentials('feed', '<add key="Username" value="me" />', `<add key="ClearTextPassword" value="${written}" />`);
    const finding = onlyFinding(id, input);
    assert.equal(finding.severity, 'warning', written);
    assert.equal(textAt(input, finding.range), written);
    assert.ok(finding.message.startsWith(`NuGet does not expand ${written}: the password sent to "feed" is that literal text.`), finding.message);
    const [fix] = ruleFixes(finding);
    assert.equal(fix!.title, `Use %${name}%`);
    // `${NAME}` may be a placeholder a pipeline step fills in before restore: the user decides.
    assert.equal(fix!.safeForFixAll, false);
    assert.equal(fix!.preferred, true);
    const expected = input.replace(written, `%${name}%`);
    assertFixInEveryStyle(id, input, expected);
    assert.equal(fixAll(input, { requireSignedPackages: false }), input);
  }
  // Unbalanced braces are not a variable reference: a literal (odd) password.
  for (const written of ['${FEED_PAT', '$FEED_PAT}']) {
    const finding = onlyFinding(id, credentials('feed', `<add key="ClearTextPassword" value="${written}" />`));
    assert.equal(finding.severity, 'error', written);
  }
});

test('a value made only of %VAR% references (several, glued) is expanded by NuGet: not flagged', () => {
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="ClearTextPassword" value="%PAT_PREFIX%%PAT%" />')), []);
  assert.equal(onlyFinding(id, credentials('feed', '<add key="ClearTextPassword" value="abc%PAT%" />')).severity, 'error', 'a literal part stays a secret');
});

test('not flagged: empty values, encrypted Password, user names, no value attribute', () => {
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="ClearTextPassword" value="" />')), []);
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="ClearTextPassword" />')), []);
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="Password" value="AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA" />')), []);
  assert.deepEqual(nugetFindings(id, credentials('feed', '<add key="Username" value="someone" />')), []);
});

test('suppression comment before the credential element', () => {
  const text = configOf('<packageSourceCredentials>', '  <!-- container-guard ignore=nuget-cleartext-password -->', '  <feed>', '    <add key="ClearTextPassword" value="pw" />', '  </feed>', '</packageSourceCredentials>');
  assert.deepEqual(nugetFindings(id, text), []);
});

test('environment variable names', () => {
  assert.equal(environmentVariableFor('Contoso Feed'), 'NUGET_CONTOSO_FEED_PASSWORD');
  assert.equal(environmentVariableFor('my-feed.v3'), 'NUGET_MY_FEED_V3_PASSWORD');
  assert.equal(environmentVariableFor('  '), 'NUGET_FEED_PASSWORD');
});

test('a template blank is no committed password: YOUR_LICENSE_KEY, <password>, ********, changeme', () => {
  for (const blank of ['YOUR_LICENSE_KEY', '&lt;password&gt;', '********', 'changeme']) {
    const text = credentials('xpf', '<add key="Username" value="user" />', `<add key="ClearTextPassword" value="${blank}" />`);
    assert.deepEqual(nugetFindings(id, text), [], blank);
  }
  // A real-looking one next to it is still reported.
  assert.equal(nugetFindings(id, credentials('xpf', '<add key="ClearTextPassword" value="ghp_QTi7x9Lm2Pq4Rs6Tu8Vw0Xy" />')).length, 1);
});

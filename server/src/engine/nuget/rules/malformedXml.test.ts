import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../lint';
import { textAt } from '../../testing';
import { configOf, nugetFindings, NUGET_ORG, onlyFinding, ruleFixes, strictSettings } from './nugetTesting';

const id = 'nuget-malformed-xml';

test('a mismatched closing tag: one error on the closing name', () => {
  const text = configOf('<packageSources>', `  ${NUGET_ORG}`, '</packagesources>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'error');
  assert.equal(textAt(text, finding.range), 'packagesources');
  assert.match(finding.message, /closing tag <\/packagesources> does not match <packageSources>/);
  assert.match(finding.message, /restore fails/);
  assert.deepEqual(ruleFixes(finding), []);
});

test('a duplicate attribute: one error on the second one', () => {
  const text = configOf('<packageSources>', '  <add key="a" value="https://a.example/" key="b" />', '</packageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.range.start.character, text.split('\n')[finding.range.start.line]!.lastIndexOf('key='));
  assert.equal(textAt(text, finding.range), 'key');
  assert.match(finding.message, /attribute "key" appears twice on <add>/);
});

test('an unterminated document: one error at its end', () => {
  const text = '<configuration>\n  <packageSources>\n    <add key="a" value="https://a.example/" />\n';
  const finding = onlyFinding(id, text);
  assert.deepEqual(finding.range.start, { line: 3, character: 0 });
  assert.match(finding.message, /ends before its elements are closed/);
});

test('a stray character: one error where it stands', () => {
  const text = '<configuration>\n  <packageSources>\n    <add key="a" value="x" / >\n  </packageSources>\n</configuration>\n';
  const finding = onlyFinding(id, text);
  assert.equal(finding.range.start.line, 2);
});

test('a root other than <configuration>', () => {
  const text = '<?xml version="1.0"?>\n<settings>\n  <apikeys />\n</settings>\n';
  const finding = onlyFinding(id, text);
  assert.equal(textAt(text, finding.range), 'settings');
  assert.match(finding.message, /root element is <settings>/);
});

test('other rules still check what could be read', () => {
  const text = configOf('<packageSources>', '  <add key="a" value="http://feed.example.com/nuget" />', '</packagesources>');
  const result = lintText(text, 'nuget-config', strictSettings());
  assert.deepEqual(result.ruleErrors, []);
  assert.ok(result.findings.some((f) => f.ruleId === 'nuget-http-source'));
});

test('not flagged: well-formed configs, any case of <Configuration>, a BOM, comments and processing instructions', () => {
  assert.deepEqual(nugetFindings(id, configOf('<packageSources>', `  ${NUGET_ORG}`, '</packageSources>')), []);
  assert.deepEqual(nugetFindings(id, '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<!-- top -->\r\n<Configuration>\r\n</Configuration>\r\n'), []);
  assert.deepEqual(nugetFindings(id, '<configuration />'), []);
});

test('a global suppression comment silences it', () => {
  assert.deepEqual(nugetFindings(id, `<!-- container-guard global ignore=${id} -->\n<settings />\n`), []);
});

test('a source mapped twice in <packageSourceMapping> is refused by NuGet: an error on the second key; after a <clear /> it is not a duplicate', () => {
  const text = configOf(
    '<packageSourceMapping>',
    '  <packageSource key="nuget.org"><package pattern="*" /></packageSource>',
    '  <packageSource key="nuget.org"><package pattern="Contoso.*" /></packageSource>',
    '</packageSourceMapping>',
  );
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'error');
  assert.equal(finding.range.start.line, text.split('\n').findIndex((l) => l.includes('Contoso.*')));
  assert.equal(textAt(text, finding.range), 'nuget.org');
  assert.match(finding.message, /second <packageSource> entry/);
  assert.deepEqual(nugetFindings(id, text.replace('  <packageSource key="nuget.org"><package pattern="Contoso.*" />', '  <clear />\n  <packageSource key="nuget.org"><package pattern="Contoso.*" />')), []);
});

test('messages quote at most a short excerpt of the document (a secret file read as nuget.config never lands whole in a report)', () => {
  const secret = `TOP-SECRET-${'s'.repeat(200_000)}-END`;
  const long = (tag: string): string => `${tag}${'x'.repeat(5_000)}`;
  const documents = [
    secret, // no `<` at all
    `<configuration>${secret}`,
    `<configuration ${long('a')}="1" ${long('a')}="2" />`,
    `<configuration><${long('el')}></${long('other')}></configuration>`,
    `<configuration><add key="&${long('ent')};" /></configuration>`,
    `<configuration>&${long('ent')};</configuration>`,
    `<${long('root')} />`,
    configOf('<packageSources>', `  <add key="${long('key')}" value="http://feed.example.com/" />`, '</packageSources>',
      `<packageSourceMapping><packageSource key="${long('key')}"><package pattern="A" /></packageSource><packageSource key="${long('key')}"><package pattern="B" /></packageSource></packageSourceMapping>`,
      `<packageSourceCredentials><${long('key')}><add key="Username" value="u" /><add key="ClearTextPassword" value="${long('pw')}" /></${long('key')}></packageSourceCredentials>`,
      `<config><add key="signatureValidationMode" value="${long('mode')}" /></config>`,
      `<trustedSigners><author name="${long('signer')}"><certificate fingerprint="AA" hashAlgorithm="SHA256" allowUntrustedRoot="true" /></author></trustedSigners>`),
  ];
  for (const text of documents) {
    const result = lintText(text, 'nuget-config', strictSettings(), {});
    assert.ok(result.findings.length > 0);
    for (const finding of result.findings) {
      assert.ok(finding.message.length < 400, `${finding.ruleId}: ${finding.message.length} characters: ${finding.message.slice(0, 300)}`);
      assert.doesNotMatch(finding.message, /x{41}|s{41}/, finding.ruleId);
    }
  }
});

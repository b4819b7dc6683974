import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { configOf, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-committed-api-key';
const KEY = 'AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAMrfCfz77r0OizNIXcGSbhg==';

test('an <apikeys> entry is a warning on its value, naming the source, without a fix', () => {
  const text = configOf('<apikeys>', `  <add key="https://www.nuget.org" value="${KEY}" />`, '</apikeys>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), KEY);
  assert.match(finding.message, /push API key for https:\/\/www\.nuget\.org/);
  assert.match(finding.message, /NUGET_API_KEY/);
  assert.deepEqual(ruleFixes(finding), []);
});

test('case-insensitive names; an entry without a key', () => {
  const text = configOf('<ApiKeys>', `  <Add Value="${KEY}" />`, '</ApiKeys>');
  assert.match(onlyFinding(id, text).message, /push API key for a source/);
});

test('a NuGet 1.x <settings> root: NuGet no longer reads the file, but the committed key still leaks', () => {
  const text = `<settings>\n  <apikeys>\n    <add key="https://www.nuget.org" value="${KEY}" />\n  </apikeys>\n</settings>\n`;
  assert.equal(textAt(text, onlyFinding(id, text).range), KEY);
});

test('not flagged: empty, %VAR%, no value; suppressed', () => {
  assert.deepEqual(nugetFindings(id, configOf('<apikeys>', '  <add key="https://www.nuget.org" value="" />', '  <add key="https://a.example" value="%NUGET_API_KEY%" />', '  <add key="https://b.example" />', '</apikeys>')), []);
  assert.deepEqual(nugetFindings(id, configOf('<!-- container-guard ignore=nuget-committed-api-key -->', '<apikeys>', `  <add key="https://www.nuget.org" value="${KEY}" />`, '</apikeys>')), []);
});

test('a key dropped by a later <clear /> is still committed with the file: flagged', () => {
  const text = configOf('<apikeys>', `  <add key="https://www.nuget.org" value="${KEY}" />`, '  <clear />', '</apikeys>');
  assert.equal(textAt(text, onlyFinding(id, text).range), KEY);
});

test('a template blank is no committed key: encrypted_api_key, <your-api-key>, YOUR_API_KEY', () => {
  for (const blank of ['encrypted_api_key', '&lt;your-api-key&gt;', 'YOUR_API_KEY', 'xxxxxxxx']) {
    const text = configOf('<apikeys>', `  <add key="https://fr8.pkgs.visualstudio.com/DefaultCollection/_packaging/fr8-private/nuget/v3/index.json" value="${blank}" />`, '</apikeys>');
    assert.deepEqual(nugetFindings(id, text), [], blank);
  }
});

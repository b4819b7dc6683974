import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { configOf, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-credentials-in-url';

const sources = (...values: string[]): string => configOf('<packageSources>', '  <clear />', ...values.map((value, i) => `  <add key="s${i}" value="${value}" />`), '</packageSources>');

test('user:password@ in a source URL is an error on the whole value, without an automatic fix', () => {
  const text = sources('https://build:p4ssw0rd@nuget.corp.example/v3/index.json');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'error');
  assert.equal(textAt(text, finding.range), 'https://build:p4ssw0rd@nuget.corp.example/v3/index.json');
  assert.match(finding.message, /URL of source "s0" carries credentials/);
  assert.match(finding.message, /packageSourceCredentials/);
  assert.deepEqual(ruleFixes(finding), []);
});

test('a lone token of 20+ characters counts; percent-encoded passwords and entities too', () => {
  const found = nugetFindings(id, sources(
    'https://ghp_abcdefghijklmnopqrstuvwxyz0123@nuget.pkg.github.com/octo/index.json',
    'https://user:p%40ss@nuget.corp.example/v3/index.json',
    'https://user:a&amp;b@nuget.corp.example/v3/index.json',
    'https://:token@nuget.corp.example/v3/index.json',
  ));
  assert.equal(found.length, 4);
});

test('audit sources, http_proxy and defaultPushSource are checked', () => {
  const text = configOf(
    '<config>',
    '  <add key="http_proxy" value="http://proxyuser:proxypass@proxy.corp.example:8080" />',
    '  <add key="DefaultPushSource" value="https://u:secret@push.example/api/v2/package" />',
    '</config>',
    '<AuditSources>',
    '  <add key="a" value="https://u:secret@audit.example/v3/index.json" />',
    '</AuditSources>',
  );
  const found = nugetFindings(id, text);
  assert.deepEqual(found.map((f) => textAt(text, f.range)), [
    'http://proxyuser:proxypass@proxy.corp.example:8080',
    'https://u:secret@push.example/api/v2/package',
    'https://u:secret@audit.example/v3/index.json',
  ]);
  assert.match(found[0]!.message, /URL of http_proxy/);
  assert.match(found[1]!.message, /URL of defaultPushSource/);
  assert.match(found[2]!.message, /URL of source "a"/);
});

test('not flagged: a user name alone, a short lone token, %VAR% credentials, @ in the path, no scheme', () => {
  assert.deepEqual(nugetFindings(id, sources(
    'https://build@nuget.corp.example/v3/index.json',
    'https://build:@nuget.corp.example/v3/index.json',
    'https://%FEED_USER%:%FEED_PAT%@nuget.corp.example/v3/index.json',
    'https://%FEED_PAT%@nuget.corp.example/v3/index.json',
    'https://nuget.corp.example/feeds/@scope/v3/index.json',
    'https://api.nuget.org/v3/index.json',
    '\\\\server\\share',
    './packages',
  )), []);
  assert.deepEqual(nugetFindings(id, configOf('<config>', '  <add key="http_proxy" value="http://proxy.corp.example:8080" />', '  <add key="http_proxy.user" value="someone" />', '</config>')), []);
});

test('disabled sources are still flagged: the secret sits in the file either way', () => {
  const text = configOf('<packageSources>', '  <add key="old" value="https://u:pw@old.example/v3/index.json" />', '</packageSources>', '<disabledPackageSources>', '  <add key="old" value="true" />', '</disabledPackageSources>');
  assert.equal(nugetFindings(id, text).length, 1);
});

test('suppression comment', () => {
  const text = configOf('<packageSources>', '  <!-- container-guard ignore=nuget-credentials-in-url -->', '  <add key="a" value="https://u:pw@a.example/v3/index.json" />', '</packageSources>');
  assert.deepEqual(nugetFindings(id, text), []);
});

test('a password made only of %VAR% references (several, glued) is expanded by NuGet: not flagged', () => {
  const text = configOf('<packageSources>', '  <add key="gh" value="https://bot:%PAT_PREFIX%%PAT%@nuget.pkg.github.com/org/index.json" />', '</packageSources>');
  assert.deepEqual(nugetFindings('nuget-credentials-in-url', text), []);
});

test('a source dropped by a later <clear /> still carries its secret in the file: flagged', () => {
  const text = configOf('<packageSources>', '  <add key="old" value="https://u:hunter2@old.example/v3/index.json" />', '  <clear />', '</packageSources>');
  assert.equal(textAt(text, onlyFinding('nuget-credentials-in-url', text).range), 'https://u:hunter2@old.example/v3/index.json');
});

test('a MyGet pre-authenticated feed URL carries its token in the path', () => {
  const url = 'https://www.myget.org/F/dovetailsoftware/auth/84fa24e3-44e7-4bd0-9f3d-9d3bb41784fd';
  const finding = onlyFinding(id, sources(url));
  assert.equal(textAt(sources(url), finding.range), url);
  assert.match(finding.message, /^The URL of source "s0" is a MyGet pre-authenticated feed URL/);
  assert.equal(onlyFinding(id, sources(`${url}/api/v3/index.json`)).ruleId, id);
  // The plain feed URL, and a feed merely named "auth", are not.
  assert.deepEqual(nugetFindings(id, sources('https://www.myget.org/F/dovetailsoftware/api/v3/index.json', 'https://www.myget.org/F/auth/api/v3/index.json')), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../../testing';
import { isLoopbackHost } from './sourceAttributes';
import { applyFix, assertFixInEveryStyle, configOf, fixAll, nugetFindings, onlyFinding, ruleFixes } from './nugetTesting';

const id = 'nuget-http-source';

test('flags an http package source inside the quotes, with a fix-all https fix for nuget.org', () => {
  const text = configOf('<packageSources>', '  <clear />', '  <add key="nuget.org" value="http://api.nuget.org/v3/index.json" />', '</packageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding.range), 'http://api.nuget.org/v3/index.json');
  assert.match(finding.message, /package source "nuget\.org" uses http:\/\//);
  assert.match(finding.message, /NU1803/);
  assert.match(finding.message, /NU1302/);
  assert.match(finding.message, /https:\/\/api\.nuget\.org\/v3\/index\.json/);
  const [fix, ...others] = ruleFixes(finding);
  assert.equal(others.length, 0);
  assert.equal(fix!.title, 'Use https://');
  assert.equal(fix!.safeForFixAll, true);
  assert.equal(fix!.preferred, true);
  assert.equal(applyFix(text, fix!), text.replace('http://api', 'https://api'));
});

test('the https fix edits only the scheme, in every indentation and line-break style', () => {
  const input = configOf('<packageSources>', '  <!-- public feed -->', '  <add value="http://pkgs.dev.azure.com/contoso/_packaging/f/nuget/v3/index.json" key="contoso" protocolVersion="3" />', '</packageSources>');
  assertFixInEveryStyle(id, input, input.replace('http://pkgs', 'https://pkgs'));
});

test('an unknown host gets an https fix that fix-all leaves alone', () => {
  const text = configOf('<packageSources>', '  <clear />', '  <add key="internal" value="http://feed.contoso.example/nuget" />', '</packageSources>');
  const finding = onlyFinding(id, text);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.title, 'Use https:// (check that feed.contoso.example serves this feed over https)');
  assert.equal(fix!.safeForFixAll, false);
  assert.notEqual(fix!.preferred, true);
  assert.equal(applyFix(text, fix!), text.replace('http://feed', 'https://feed'));
  assert.equal(fixAll(text, { requireSignedPackages: false }), text);
});

test('reads element and attribute names case-insensitively and values with entities and white space', () => {
  const text = configOf('<PackageSources>', '  <Clear />', '  <Add Key="feed" Value="  HTTP://www.myget.org/F/x/api/v3/index.json?a=1&amp;b=2" />', '</PackageSources>');
  const finding = onlyFinding(id, text);
  assert.equal(textAt(text, finding.range), '  HTTP://www.myget.org/F/x/api/v3/index.json?a=1&amp;b=2');
  const fix = ruleFixes(finding)[0]!;
  assert.equal(fix.safeForFixAll, true);
  assert.equal(applyFix(text, fix), text.replace('HTTP://www', 'https://www'));
});

test('flags audit sources and the service index of trusted signers', () => {
  const text = configOf(
    '<auditSources>',
    '  <add key="audit" value="http://api.nuget.org/v3/index.json" />',
    '</auditSources>',
    '<trustedSigners>',
    '  <repository name="feed" serviceIndex="http://feed.example.com/v3/index.json">',
    '    <certificate fingerprint="AB" hashAlgorithm="SHA256" />',
    '  </repository>',
    '</trustedSigners>',
  );
  const found = nugetFindings(id, text);
  assert.deepEqual(found.map((f) => textAt(text, f.range)), ['http://api.nuget.org/v3/index.json', 'http://feed.example.com/v3/index.json']);
  assert.match(found[0]!.message, /audit source "audit"/);
  assert.match(found[1]!.message, /The service index of trusted signer "feed" uses/);
});

test('allowInsecureConnections does not silence it; the message says what the flag does', () => {
  const text = configOf('<packageSources>', '  <add key="f" value="http://feed.example.com/v3/index.json" allowInsecureConnections="true" />', '</packageSources>');
  assert.match(onlyFinding(id, text).message, /allowInsecureConnections only silences NU1803\/NU1302/);
});

test('does not flag https, loopback, local folders, shares, disabled or empty sources', () => {
  const text = configOf(
    '<packageSources>',
    '  <add key="https" value="https://api.nuget.org/v3/index.json" />',
    '  <add key="localhost" value="http://localhost:5000/v3/index.json" />',
    '  <add key="loopback" value="http://127.0.0.1:8080/v3/index.json" />',
    '  <add key="ipv6" value="http://[::1]/v3/index.json" />',
    '  <add key="dev" value="http://feed.localhost/v3/index.json" />',
    '  <add key="folder" value="./packages" />',
    '  <add key="share" value="\\\\server\\packages" />',
    '  <add key="Old" value="http://old.example.com/nuget" />',
    '  <add key="empty" value="" />',
    '</packageSources>',
    '<disabledPackageSources>',
    '  <add key="Old" value="true" />',
    '</disabledPackageSources>',
  );
  assert.deepEqual(nugetFindings(id, text), []);
  // As in NuGet's PackageSourceProvider: any entry disables, even value="false"; names compare exactly.
  assert.deepEqual(nugetFindings(id, text.replace('<add key="Old" value="true" />', '<add key="Old" value="false" />')), []);
  assert.equal(nugetFindings(id, text.replace('<add key="Old" value="true" />', '<add key="old" value="true" />')).length, 1, '"old" does not disable "Old"');
});

test('loopback hosts', () => {
  for (const host of ['localhost', 'feed.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) assert.ok(isLoopbackHost(host), host);
  for (const host of [undefined, '', 'localhost.example.com', '128.0.0.1', '10.0.0.1']) assert.ok(!isLoopbackHost(host), String(host));
});

test('fix-all rewrites known https hosts, keeps comments and attribute order, and is idempotent', () => {
  const text = configOf(
    '<packageSources>',
    '  <clear />',
    '  <!-- the public feed -->',
    '  <add value="http://api.nuget.org/v3/index.json" key="nuget.org" protocolVersion="3" />',
    '  <add key="internal" value="http://feed.contoso.example/nuget" />',
    '</packageSources>',
  );
  assert.equal(fixAll(text, { requireSignedPackages: false }), text.replace('http://api', 'https://api'));
  assert.deepEqual(nugetFindings(id, fixAll(text)).map((f) => f.message.slice(0, 40)), ['The package source "internal" uses http:']);
});

test('suppression comments', () => {
  const body = ['<packageSources>', '  <clear />', '  <!-- container-guard ignore=nuget-http-source -->', '  <add key="a" value="http://a.example.com/nuget" />', '  <add key="b" value="http://b.example.com/nuget" />', '</packageSources>'];
  const text = configOf(...body);
  assert.deepEqual(nugetFindings(id, text).map((f) => textAt(text, f.range)), ['http://b.example.com/nuget']);
  assert.deepEqual(nugetFindings(id, configOf('<!-- container-guard global ignore=nuget-http-source -->', ...body)), []);
  // A comment for another rule silences nothing.
  assert.equal(nugetFindings(id, text.replace('ignore=nuget-http-source', 'ignore=nuget-sources-not-cleared')).length, 2);
  // The engine's "Ignore" fix inserts a comment that works.
  const finding = nugetFindings(id, text)[0]!;
  const ignore = finding.fixes.find((f) => f.title.startsWith('Ignore '))!;
  assert.equal(ignore.safeForFixAll, false);
  const ignored = applyFix(text, ignore);
  assert.match(ignored, /\n {4}<!-- container-guard ignore=nuget-http-source -->\n {4}<add key="b"/);
  assert.deepEqual(nugetFindings(id, ignored), []);
});

test('nuget.org over http: the message names the URL the fix writes (a v2 URL stays v2)', () => {
  const text = configOf('<packageSources>', '  <clear />', '  <add key="nuget.org" value="http://www.nuget.org/api/v2/" />', '</packageSources>');
  const finding = onlyFinding(id, text);
  const [fix] = ruleFixes(finding);
  const fixed = applyFix(text, fix!);
  assert.ok(fixed.includes('value="https://www.nuget.org/api/v2/"'), fixed);
  assert.match(finding.message, /nuget\.org serves it at https:\/\/www\.nuget\.org\/api\/v2\/\.$/);
  assert.doesNotMatch(finding.message, /api\.nuget\.org\/v3/);
});

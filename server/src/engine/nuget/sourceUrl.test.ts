import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySource, describeOwner, isNuGetOrg, servesHttps } from './sourceUrl';

test('owners of the common feed hosts', () => {
  const owners: Array<[string, string | undefined]> = [
    ['https://api.nuget.org/v3/index.json', 'nuget.org'],
    ['https://www.nuget.org/api/v2/', 'nuget.org'],
    ['https://nuget.org/api/v2', 'nuget.org'],
    ['https://pkgs.dev.azure.com/Contoso/_packaging/feed/nuget/v3/index.json', 'azure-devops:contoso'],
    ['https://pkgs.dev.azure.com/contoso/project/_packaging/feed/nuget/v3/index.json', 'azure-devops:contoso'],
    ['https://contoso.pkgs.visualstudio.com/_packaging/feed/nuget/v3/index.json', 'azure-devops:contoso'],
    ['https://nuget.pkg.github.com/Octo/index.json', 'github:octo'],
    ['https://www.myget.org/F/xunit/api/v3/index.json', 'myget:xunit'],
    ['https://dotnet.myget.org/F/dotnet-core/api/v3/index.json', 'myget:dotnet-core'],
    ['https://NuGet.Corp.Example:8443/v3/index.json', 'host:nuget.corp.example'],
    ['https://dotnetfeed.blob.core.windows.net/dotnet-core/index.json', 'host:dotnetfeed.blob.core.windows.net'],
    ['\\\\BuildServer\\packages', 'share:buildserver'],
    ['//buildserver/packages', 'share:buildserver'],
    ['./packages', undefined],
    ['C:\\packages', undefined],
    ['/opt/feed', undefined],
    ['file:///C:/packages', undefined],
    ['%FEED_URL%', undefined],
    ['ftp://example.com/feed', undefined],
  ];
  for (const [value, owner] of owners) assert.equal(classifySource(value).owner, owner, value);
});

test('schemes', () => {
  assert.equal(classifySource('HTTPS://api.nuget.org/v3/index.json').scheme, 'https');
  assert.equal(classifySource('  http://feed.example/ ').scheme, 'http');
  assert.equal(classifySource('http://feed.example/').host, 'feed.example');
  assert.equal(classifySource('file:///C:/packages').scheme, 'local');
  assert.equal(classifySource('\\\\server\\share').scheme, 'share');
  assert.equal(classifySource('..\\packages').scheme, 'local');
  assert.equal(classifySource('ftp://example.com/').scheme, 'unknown');
  assert.equal(classifySource('%FEED%').scheme, 'unknown');
  assert.equal(classifySource('%USERPROFILE%\\packages').scheme, 'unknown');
});

test('%VAR% references are noted', () => {
  assert.equal(classifySource('%FEED%').usesVariables, true);
  assert.equal(classifySource('https://%HOST%/v3/index.json').usesVariables, true);
  assert.equal(classifySource('$(FeedRoot)/packages').usesVariables, false);
  assert.equal(classifySource('https://api.nuget.org/v3/index.json').usesVariables, false);
  assert.equal(classifySource('100% sure').usesVariables, false);
});

test('credentials in the URL: the span of `user:password@` in the trimmed value', () => {
  const value = 'https://user:p@ss@feed.example/v3/index.json';
  const span = classifySource(value).credentialsInUrl!;
  assert.equal(value.slice(span.start, span.end), 'user:p@ss@');
  assert.equal(classifySource(value).host, 'feed.example');
  const token = classifySource('https://ghp_token@nuget.pkg.github.com/octo/index.json');
  assert.equal(token.owner, 'github:octo');
  assert.ok(token.credentialsInUrl);
  assert.equal(classifySource('https://feed.example/@scope/v3').credentialsInUrl, undefined);
  assert.equal(classifySource('https://feed.example').credentialsInUrl, undefined);
  assert.equal(classifySource('\\\\user@server\\share').credentialsInUrl, undefined);
  // Unparseable URLs still give a host and the span.
  const odd = classifySource('http://u:p@bad host/x');
  assert.equal(odd.scheme, 'http');
  assert.ok(odd.credentialsInUrl);
});

test('isNuGetOrg, servesHttps, describeOwner', () => {
  assert.ok(isNuGetOrg(classifySource('http://api.nuget.org/v3/index.json')));
  assert.ok(!isNuGetOrg(classifySource('https://api.nuget.org.evil.example/v3/index.json')));
  for (const host of ['api.nuget.org', 'pkgs.dev.azure.com', 'contoso.pkgs.visualstudio.com', 'nuget.pkg.github.com', 'www.myget.org', 'dotnet.myget.org', 'x.blob.core.windows.net', 'f.feedz.io', 'nuget.cloudsmith.io']) assert.ok(servesHttps(host), host);
  for (const host of ['feed.example', 'nuget.org.evil.example', 'localhost']) assert.ok(!servesHttps(host), host);
  assert.equal(describeOwner('nuget.org'), 'nuget.org (anyone can publish)');
  assert.equal(describeOwner('azure-devops:contoso'), 'Azure Artifacts organisation "contoso"');
  assert.equal(describeOwner('github:octo'), 'GitHub Packages of "octo"');
  assert.equal(describeOwner('myget:xunit'), 'MyGet feed "xunit"');
  assert.equal(describeOwner('share:srv'), 'file share on srv');
  assert.equal(describeOwner('host:feed.example'), 'feed.example');
});

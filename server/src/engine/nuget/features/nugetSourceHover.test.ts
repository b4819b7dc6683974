import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNuGetConfigModel } from '../model';
import { createDocument } from '../../text';
import { textAt } from '../../testing';
import { nugetSourceHover } from './nugetSourceHover';

const CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="signatureValidationMode" value="require" /></config>
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
    <add key="corp" value="https://pkgs.dev.azure.com/corp/_packaging/main/nuget/v3/index.json" />
    <add key="lab" value="http://feeds.lab.example/nuget" allowInsecureConnections="true" />
    <add key="local" value="./packages" />
    <add key="share" value="\\\\fileserver\\nuget" />
  </packageSources>
  <disabledPackageSources><add key="share" value="true" /></disabledPackageSources>
  <auditSources><clear /><add key="audit" value="https://api.nuget.org/v3/index.json" /></auditSources>
  <packageSourceMapping>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
    <packageSource key="corp"><package pattern="Corp.*" /><package pattern="Corp" /></packageSource>
  </packageSourceMapping>
  <packageSourceCredentials>
    <corp><add key="Username" value="agent" /><add key="ClearTextPassword" value="%CORP_PAT%" /></corp>
    <lab><add key="Username" value="me" /><add key="Password" value="AQAAANCMnd8BFdERjHoAwE" /></lab>
  </packageSourceCredentials>
  <trustedSigners>
    <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">
      <certificate fingerprint="1F4B311D9ACC115C8DC8018B5A49E00FCE6DA8E2855F9F014CA6F34570BC482D" hashAlgorithm="SHA256" allowUntrustedRoot="false" />
      <owners>microsoft;nuget</owners>
    </repository>
    <author name="Corp Signing"><certificate fingerprint="AA" hashAlgorithm="SHA256" allowUntrustedRoot="false" /></author>
  </trustedSigners>
</configuration>
`;

function hoverOn(key: string, text = CONFIG): { markdown: string; underlined: string } | null {
  const line = text.split('\n').findIndex((l) => l.includes(`<add key="${key}"`));
  const model = buildNuGetConfigModel(createDocument(text));
  const hover = nugetSourceHover(model, { line, character: text.split('\n')[line]!.indexOf('value=') + 2 });
  return hover ? { markdown: hover.markdown, underlined: textAt(text, hover.range) } : null;
}

test('nuget.org: https, the catch-all mapping, the repository signer with its owners, signatures required', () => {
  const { markdown, underlined } = hoverOn('nuget.org')!;
  assert.equal(underlined, '<add key="nuget.org" value="https://api.nuget.org/v3/index.json" />');
  assert.match(markdown, /^\*\*Package source `nuget\.org`\*\*/);
  assert.match(markdown, /✅ HTTPS — nuget\.org \(anyone can publish\)/);
  assert.match(markdown, /\*\*Source mapping:\*\* `\*` \(`\*`: every id no more specific pattern claims\)/);
  assert.match(markdown, /\*\*Signatures:\*\* required — trusted signers, for packages from any source: repository `nuget\.org` \(1 certificate, owners `microsoft`, `nuget`, this source's service index\); author `Corp Signing` \(1 certificate\)/);
  assert.doesNotMatch(markdown, /No `<clear \/>`/);
});

test('a private feed: its patterns, a password from the environment, every signer listed (NuGet matches by certificate)', () => {
  const { markdown } = hoverOn('corp')!;
  assert.match(markdown, /Azure Artifacts organisation "corp"/);
  assert.match(markdown, /\*\*Source mapping:\*\* `Corp\.\*`, `Corp`\./);
  assert.match(markdown, /🔑 Credentials for user `agent`: password from the environment variable `%CORP_PAT%`\./);
  assert.match(markdown, /required — trusted signers, for packages from any source: repository `nuget\.org` \(1 certificate, owners `microsoft`, `nuget`\); author `Corp Signing`/);
  assert.doesNotMatch(markdown, /this source's service index/);
});

test('http allowed by allowInsecureConnections, unmapped under mapping, DPAPI password', () => {
  const { markdown } = hoverOn('lab')!;
  assert.match(markdown, /⚠️ \*\*Plain HTTP\*\* \(allowed by `allowInsecureConnections`\)/);
  assert.match(markdown, /no entry for this source — with mapping in force, restore never downloads from it/);
  assert.match(markdown, /DPAPI-encrypted password/);
  assert.doesNotMatch(markdown, /AQAAANCMnd8/, 'secrets are never shown');
});

test('local folder, disabled share, audit source', () => {
  assert.match(hoverOn('local')!.markdown, /📁 Local folder `\.\/packages`/);
  const share = hoverOn('share')!.markdown;
  assert.match(share, /disabled in <disabledPackageSources>/);
  assert.match(share, /File share — file share on fileserver/);
  const audit = hoverOn('audit')!.markdown;
  assert.match(audit, /^\*\*Audit source `audit`\*\*/);
  assert.match(audit, /vulnerability data only/);
});

test('without mapping and <clear />: any package from any source, inherited sources named; credentials in the URL', () => {
  const text = '<configuration>\n  <packageSources>\n    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />\n    <add key="corp" value="https://bob:ghp_s3cr3tT0ken@pkgs.dev.azure.com/corp/_packaging/x/nuget/v3/index.json" />\n  </packageSources>\n</configuration>\n';
  const { markdown } = hoverOn('corp', text)!;
  assert.match(markdown, /none — any package id can be restored from this source — as can 1 source of other owners, nuget\.org among them\./);
  assert.match(markdown, /🔑 \*\*Credentials are written in the URL\.\*\*/);
  assert.match(markdown, /`https:\/\/\*\*\*@pkgs\.dev\.azure\.com\/corp\/_packaging\/x\/nuget\/v3\/index\.json`/);
  assert.doesNotMatch(markdown, /bob|s3cr3t/, 'the user and token in the URL are never shown');
  assert.match(markdown, /not required \(`signatureValidationMode` not set: accept\) — no trusted signers are listed in this file/);
  assert.match(markdown, /No `<clear \/>`/);
});

test('a source dropped by a later <clear /> says so', () => {
  const text = '<configuration>\n  <packageSources>\n    <add key="old" value="http://old.example/nuget" />\n    <clear />\n  </packageSources>\n</configuration>\n';
  assert.match(hoverOn('old', text)!.markdown, /\*\*Package source `old`\*\* — not used: a `<clear \/>` after it drops it\./);
});

test('no hover outside a source element, nor on half-typed or non-config XML', () => {
  const model = buildNuGetConfigModel(createDocument(CONFIG));
  assert.equal(nugetSourceHover(model, { line: 1, character: 3 }), null);
  assert.equal(nugetSourceHover(model, { line: 2, character: 20 }), null, 'a <config> entry is not a source');
  for (const text of ['', '<configuration><packageSources><add key="a" value=', '<settings><packageSources><add key="a" value="https://x" /></packageSources></settings>']) {
    const half = buildNuGetConfigModel(createDocument(text));
    for (let character = 0; character <= text.length; character++) nugetSourceHover(half, { line: 0, character });
  }
  const half = buildNuGetConfigModel(createDocument('<configuration><packageSources><add key="a" value='));
  assert.match(nugetSourceHover(half, { line: 0, character: 36 })!.markdown, /Package source `a`/);
});

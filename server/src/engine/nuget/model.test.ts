import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textAt } from '../testing';
import { createDocument } from '../text';
import { activeSources, buildNuGetConfigModel, decodeXmlName, isTrue, mappingFor } from './model';

const TEXT = `<?xml version="1.0" encoding="utf-8"?>
<Configuration>
  <Config>
    <add key="signatureValidationMode" value="accept" />
    <add key="SignatureValidationMode" value="require" />
    <add key="http_proxy" value="http://proxy:8080" />
  </Config>
  <PackageSources>
    <clear />
    <Add Key="nuget.org" Value="https://api.nuget.org/v3/index.json" />
    <add key="Contoso Feed" value="https://pkgs.dev.azure.com/contoso/_packaging/f/nuget/v3/index.json" disableTLSCertificateValidation="TRUE" />
    <add key="old" value="http://old.example/nuget" allowInsecureConnections="true" />
    <add value="https://nokey.example/" />
  </PackageSources>
  <packageSources>
    <add key="local" value="./packages" allowInsecureConnections="false" />
  </packageSources>
  <auditSources>
    <add key="audit" value="https://api.nuget.org/v3/index.json" />
  </auditSources>
  <disabledPackageSources>
    <add key="OLD" value="true" />
    <add key="old" value="false" />
  </disabledPackageSources>
  <packageSourceCredentials>
    <Contoso_x0020_Feed>
      <add key="Username" value="me" />
      <add key="ClearTextPassword" value="a&amp;b" />
    </Contoso_x0020_Feed>
    <other>
      <add key="password" value="AQAA" />
    </other>
  </packageSourceCredentials>
  <trustedSigners>
    <repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">
      <certificate fingerprint=" 0e5f " hashAlgorithm="sha256" allowUntrustedRoot="true" />
      <owners>microsoft; nuget ;;</owners>
    </repository>
    <author name="Microsoft">
      <certificate fingerprint="AA" hashAlgorithm="SHA256" allowUntrustedRoot="false" />
    </author>
    <unknown />
  </trustedSigners>
  <packageSourceMapping>
    <packageSource key=" NuGet.org ">
      <package pattern="*" />
      <package />
    </packageSource>
  </packageSourceMapping>
  <apikeys>
    <add key="https://www.nuget.org" value="AQAAkey" />
  </apikeys>
</Configuration>
`;

test('reads every section the way NuGet does', () => {
  const model = buildNuGetConfigModel(createDocument(TEXT));
  assert.equal(model.root!.name, 'Configuration');
  // The last entry of a key wins, keys case-insensitive.
  assert.equal(model.config.get('signaturevalidationmode')!.value, 'require');
  assert.equal(model.config.get('http_proxy')!.value, 'http://proxy:8080');
  // Both <packageSources> sections are read, in order.
  assert.equal(model.packageSources.sections.length, 2);
  assert.ok(model.packageSources.clear);
  assert.deepEqual(model.packageSources.sources.map((s) => s.key), ['nuget.org', 'Contoso Feed', 'old', '', 'local']);
  const [nugetOrg, contoso, old, , local] = model.packageSources.sources;
  assert.equal(nugetOrg!.location.owner, 'nuget.org');
  assert.equal(textAt(TEXT, nugetOrg!.valueAttribute!.valueRange), 'https://api.nuget.org/v3/index.json');
  assert.ok(contoso!.disableTlsValidation);
  assert.equal(contoso!.allowInsecureConnections, undefined);
  assert.ok(old!.allowInsecureConnections);
  // As in NuGet's PackageSourceProvider: any <add> disables, whatever its value; names compare exactly.
  assert.equal(old!.disabled, true, 'value="false" disables too');
  assert.deepEqual([...model.packageSources.disabledKeys].sort(), ['OLD', 'old']);
  assert.equal(local!.disabled, false);
  assert.equal(local!.allowInsecureConnections, undefined);
  assert.deepEqual(activeSources(model).map((s) => s.key), ['nuget.org', 'Contoso Feed', 'local']);
  assert.deepEqual(model.packageSources.cancelled, []);
  assert.deepEqual(model.auditSources.sources.map((s) => [s.section, s.key]), [['auditSources', 'audit']]);
  assert.equal(model.auditSources.clear, undefined);
});

test('credentials, signers, mapping and API keys', () => {
  const model = buildNuGetConfigModel(createDocument(TEXT));
  assert.deepEqual(model.credentials.map((c) => c.sourceKey), ['Contoso Feed', 'other']);
  assert.equal(model.credentials[0]!.username!.value, 'me');
  assert.equal(model.credentials[0]!.clearTextPassword!.value, 'a&b');
  assert.equal(model.credentials[1]!.password!.value, 'AQAA');
  const [repository, author] = model.trustedSigners.signers;
  assert.equal(model.trustedSigners.signers.length, 2);
  assert.equal(repository!.kind, 'repository');
  assert.equal(repository!.certificates[0]!.fingerprint, '0E5F');
  assert.equal(repository!.certificates[0]!.hashAlgorithm, 'SHA256');
  assert.ok(repository!.certificates[0]!.allowUntrustedRoot);
  assert.deepEqual(repository!.ownerNames, ['microsoft', 'nuget']);
  assert.equal(author!.kind, 'author');
  assert.equal(author!.certificates[0]!.allowUntrustedRoot, undefined);
  assert.equal(model.mapping.entries[0]!.key, 'NuGet.org');
  assert.deepEqual(model.mapping.entries[0]!.patterns.map((p) => p.pattern), ['*', '']);
  assert.equal(mappingFor(model, 'nuget.org').length, 1);
  assert.equal(mappingFor(model, 'contoso').length, 0);
  assert.deepEqual(model.apiKeys.map((k) => [k.key, k.value]), [['https://www.nuget.org', 'AQAAkey']]);
});

test('a <clear /> drops every entry read before it, across repeated sections, as NuGet reads them', () => {
  const text = [
    '<configuration>',
    '  <packageSources>',
    '    <add key="old" value="http://old.example/nuget" />',
    '  </packageSources>',
    '  <packageSources>',
    '    <add key="older" value="http://older.example/nuget" />',
    '    <clear />',
    '    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />',
    '  </packageSources>',
    '  <disabledPackageSources><add key="nuget.org" value="true" /><clear /></disabledPackageSources>',
    '  <packageSourceMapping>',
    '    <packageSource key="x"><package pattern="X.*" /></packageSource>',
    '    <clear />',
    '    <packageSource key="nuget.org"><package pattern="*" /></packageSource>',
    '    <packageSource key="nuget.org"><package pattern="Y.*" /></packageSource>',
    '  </packageSourceMapping>',
    '</configuration>',
  ].join('\n');
  const model = buildNuGetConfigModel(createDocument(text));
  assert.deepEqual(model.packageSources.sources.map((s) => s.key), ['nuget.org']);
  assert.deepEqual(model.packageSources.cancelled.map((s) => s.key), ['old', 'older']);
  assert.equal(model.packageSources.sources[0]!.disabled, false, 'the disabling entry was cleared');
  assert.deepEqual(model.mapping.entries.map((e) => e.key), ['nuget.org']);
  assert.deepEqual(model.mapping.duplicates.map((e) => e.patterns[0]!.pattern), ['Y.*']);
  const trailing = buildNuGetConfigModel(createDocument('<configuration><packageSources><add key="a" value="https://a.example/" /><clear /></packageSources></configuration>'));
  assert.deepEqual(trailing.packageSources.sources, [], 'a trailing <clear /> leaves no source');
});

test('a root other than <configuration>, or none, gives an empty model', () => {
  for (const text of ['<settings><packageSources><add key="a" value="b" /></packageSources></settings>', '', '   ']) {
    const model = buildNuGetConfigModel(createDocument(text));
    assert.equal(model.root, undefined, text);
    assert.deepEqual(model.packageSources.sources, []);
    assert.equal(model.config.size, 0);
  }
});

test('XmlConvert names and true values', () => {
  assert.equal(decodeXmlName('Contoso_x0020_Feed'), 'Contoso Feed');
  assert.equal(decodeXmlName('_x0031_23'), '123');
  assert.equal(decodeXmlName('a_x002F_b_x0001F600_'), 'a/b😀');
  assert.equal(decodeXmlName('plain_name'), 'plain_name');
  assert.ok(isTrue(' TRUE '));
  assert.ok(!isTrue('yes'));
});

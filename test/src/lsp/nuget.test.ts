// nuget.config over a real stdio connection to the bundled server: the file is opened as `xml` (what VS
// Code calls it) under any letter case of its name; diagnostics, quick fixes, fix-all, settings and hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Command, Diagnostic, Hover, MarkupContent, Range, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { NUGET_RULES } from '../../../server/out/engine/nuget/rules/index';
import { fileUri, pullClientCapabilities, withServer } from './lspClient';

const FIX_ALL = 'source.fixAll.containerGuard';
const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };

const CONFIG = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<configuration>',
  '    <!-- team feeds -->',
  '    <packageSources>',
  '        <add key="nuget.org" value="http://api.nuget.org/v3/index.json" />',
  '        <add key="contoso" value="https://pkgs.dev.azure.com/contoso/_packaging/feed/nuget/v3/index.json" />',
  '    </packageSources>',
  '    <packageSourceCredentials>',
  '        <contoso>',
  '            <add key="Username" value="agent" />',
  '            <add key="ClearTextPassword" value="s3cr3t-value" />',
  '        </contoso>',
  '    </packageSourceCredentials>',
  '</configuration>',
  '',
].join('\r\n');

function workspace(t: { after: (fn: () => void) => void }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-nuget-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function actionsOnly(items: Array<CodeAction | Command>): CodeAction[] {
  return items.filter((item): item is CodeAction => 'kind' in item || 'edit' in item);
}

function editsOf(action: CodeAction): TextEdit[] {
  const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
  return (change?.edits ?? action.edit?.changes?.[Object.keys(action.edit.changes)[0]!] ?? []) as TextEdit[];
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'xml', 0, text), edits);
}

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));

test('nuget.config opened as xml: diagnostics, quick fixes (<clear /> keeps CRLF and indentation), fix-all', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, 'NuGet.Config'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(uri, CONFIG, 1, 'xml');
    const diagnostics = await client.pullDiagnostics(uri);
    assert.deepEqual(codes(diagnostics), [
      'nuget-signature-validation-not-required', 'nuget-unmapped-sources', 'nuget-http-source', 'nuget-cleartext-password',
    ]);
    const http = diagnostics.find((d) => d.code === 'nuget-http-source')!;
    assert.deepEqual(http.range, { start: { line: 4, character: 36 }, end: { line: 4, character: 70 } }, "the URL inside the quotes");
    assert.equal(http.severity, 2);
    assert.match(String(http.codeDescription?.href), /docs\/rules\/nuget-http-source\.md$/);
    const password = diagnostics.find((d) => d.code === 'nuget-cleartext-password')!;
    assert.equal(password.severity, 1);

    // Quick fixes for the password: the environment-variable reference (never in fix-all) and the ignore comment.
    const passwordActions = actionsOnly(await client.codeActions(uri, password.range, [password], ['quickfix']));
    assert.deepEqual(passwordActions.map((a) => a.title), [
      'Read the password from %NUGET_CONTOSO_PASSWORD% (set it in the environment or the pipeline\'s secrets first)',
      'Ignore nuget-cleartext-password for this element',
    ]);
    const replaced = apply(CONFIG, editsOf(passwordActions[0]!));
    assert.ok(replaced.includes('<add key="ClearTextPassword" value="%NUGET_CONTOSO_PASSWORD%" />'));
    const ignored = apply(CONFIG, editsOf(passwordActions[1]!));
    assert.ok(ignored.includes('            <!-- container-guard ignore=nuget-cleartext-password -->\r\n            <add key="ClearTextPassword"'), ignored);
    await client.replaceText(uri, ignored);
    assert.ok(!codes(await client.pullDiagnostics(uri)).includes('nuget-cleartext-password'), 'the ignore comment silences the rule');
    await client.replaceText(uri, CONFIG);

    // No mapping and no <clear />: one finding (nuget-unmapped-sources) offers both fixes; <clear /> goes in the
    // file's indentation and line breaks, comments untouched.
    const unmapped = diagnostics.find((d) => d.code === 'nuget-unmapped-sources')!;
    const sourceActions = actionsOnly(await client.codeActions(uri, unmapped.range, [unmapped], ['quickfix']));
    const clear = sourceActions.find((a) => a.title === 'Add <clear /> (use only the sources listed here)');
    assert.ok(clear, sourceActions.map((a) => a.title).join(', '));
    assert.ok(sourceActions.some((a) => a.title.startsWith('Add <packageSourceMapping>')));
    assert.equal(apply(CONFIG, editsOf(clear)), CONFIG.replace('    <packageSources>\r\n', '    <packageSources>\r\n        <clear />\r\n'));

    // Fix-all: https for nuget.org only; <clear />, the mapping and the password wait for a person.
    const fixAll = actionsOnly(await client.codeActions(uri, WHOLE, diagnostics, [FIX_ALL]));
    assert.equal(fixAll.length, 1);
    const fixed = apply(CONFIG, editsOf(fixAll[0]!));
    assert.equal(fixed, CONFIG.replace('value="http://api.nuget.org', 'value="https://api.nuget.org'));
    await client.replaceText(uri, fixed);
    const after = await client.pullDiagnostics(uri);
    assert.deepEqual(codes(after), ['nuget-signature-validation-not-required', 'nuget-unmapped-sources', 'nuget-cleartext-password']);
    assert.deepEqual(actionsOnly(await client.codeActions(uri, WHOLE, after, [FIX_ALL])), [], 'fix-all is idempotent');
  });
});

test('any letter case of the name is a nuget.config; other xml files are not linted; malformed XML gives one diagnostic', async (t) => {
  const folder = workspace(t);
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    for (const name of ['nuget.config', 'NuGet.config', 'NUGET.CONFIG', path.join('.nuget', 'NuGet.Config')]) {
      const uri = fileUri(path.join(folder, name));
      await client.didOpen(uri, CONFIG, 1, 'xml');
      assert.ok(codes(await client.pullDiagnostics(uri)).includes('nuget-http-source'), name);
    }
    const other = fileUri(path.join(folder, 'app.config'));
    await client.didOpen(other, CONFIG, 1, 'xml');
    assert.deepEqual(await client.pullDiagnostics(other), []);

    const broken = fileUri(path.join(folder, 'broken', 'nuget.config'));
    await client.didOpen(broken, '<configuration>\n  <packageSources>\n    <add key="a" value=', 1, 'xml');
    const diagnostics = await client.pullDiagnostics(broken);
    const malformed = diagnostics.filter((d) => d.code === 'nuget-malformed-xml');
    assert.equal(malformed.length, 1);
    assert.equal(malformed[0]!.severity, 1);
    for (const d of diagnostics) assert.ok(d.range.end.line <= 2, `in the document: ${JSON.stringify(d.range)}`);
  });
});

test('requireSignedPackages: false (editor setting) silences the signature rule; the team file wins over it', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, 'nuget.config'));
  await withServer(async (client) => {
    client.setSettings({ requireSignedPackages: false });
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(uri, CONFIG, 1, 'xml');
    assert.ok(!codes(await client.pullDiagnostics(uri)).includes('nuget-signature-validation-not-required'));
  });
  fs.writeFileSync(path.join(folder, '.container-guard.yaml'), 'requireSignedPackages: true\n');
  await withServer(async (client) => {
    client.setSettings({ requireSignedPackages: false });
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(uri, CONFIG, 1, 'xml');
    assert.ok(codes(await client.pullDiagnostics(uri)).includes('nuget-signature-validation-not-required'));
  });
});

test('hover on a package source: transport, owner, mapping, credentials and signers', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, 'nuget.config'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(uri, CONFIG, 1, 'xml');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 20 } });
    assert.ok(hover);
    assert.deepEqual(hover.range, { start: { line: 5, character: 8 }, end: { line: 5, character: 108 } }, "the whole <add> element");
    const value = (hover.contents as MarkupContent).value;
    for (const expected of [
      '**Package source `contoso`**', '✅ HTTPS — Azure Artifacts organisation "contoso"', '**Source mapping:** none — any package id can be restored from this source — as can 1 source of other owners, nuget.org among them.',
      '**Credentials for user `agent`: the password is written in clear text in this file.**', '**Signatures:** not required', 'No `<clear />`',
    ]) assert.ok(value.includes(expected), `${expected} in\n${value}`);
    assert.ok(!value.includes('s3cr3t'), 'the password itself is never shown');
    const http = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 12 } });
    assert.match((http!.contents as MarkupContent).value, /Plain HTTP/);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } }), null);
  });
});

const C = (...lines: string[]): string => ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>', ...lines.map((l) => `  ${l}`), '</configuration>', ''].join('\n');
const NUGET_ORG = '<add key="nuget.org" value="https://api.nuget.org/v3/index.json" />';
const SIGNED = ['<config><add key="signatureValidationMode" value="require" /></config>'];
const SIGNER = (owners: string, certificates = ['0E5F38F57DC1BCC806D8494F4F90FBCEDD988B46760709CBEEC6F4219AA6157D', '5A2901D6ADA3D18260B9C6DFE2133C95D74B9EEF6AE0E5DC334C8454D1477DF4', '1F4B311D9ACC115C8DC8018B5A49E00FCE6DA8E2855F9F014CA6F34570BC482D']): string =>
  `<trustedSigners><repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">${certificates.map((f) => `<certificate fingerprint="${f}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`).join('')}<owners>${owners}</owners></repository></trustedSigners>`;
const CLEAN = C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, SIGNER('microsoft'));

/** Per rule: a config that triggers it and the same concern done right (every other rule quiet on the latter). */
const RULE_CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['nuget-malformed-xml', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</PackageSources>`, SIGNER('microsoft')), CLEAN],
  ['nuget-http-source', C(...SIGNED, '<packageSources><clear /><add key="nuget.org" value="http://api.nuget.org/v3/index.json" /></packageSources>', SIGNER('microsoft')), CLEAN],
  ['nuget-insecure-connections-allowed', C(...SIGNED, '<packageSources><clear /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" allowInsecureConnections="true" /></packageSources>', SIGNER('microsoft')), CLEAN],
  ['nuget-tls-validation-disabled', C(...SIGNED, '<packageSources><clear /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" disableTLSCertificateValidation="true" /></packageSources>', SIGNER('microsoft')), CLEAN],
  ['nuget-sources-not-cleared', C(...SIGNED, `<packageSources>${NUGET_ORG}</packageSources>`, SIGNER('microsoft')), CLEAN],
  ['nuget-unmapped-sources', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}<add key="corp" value="https://pkgs.dev.azure.com/corp/_packaging/f/nuget/v3/index.json" /></packageSources>`, SIGNER('microsoft')),
    C(...SIGNED, `<packageSources><clear />${NUGET_ORG}<add key="corp" value="https://pkgs.dev.azure.com/corp/_packaging/f/nuget/v3/index.json" /></packageSources>`, '<packageSourceMapping><packageSource key="nuget.org"><package pattern="*" /></packageSource><packageSource key="corp"><package pattern="Corp.*" /></packageSource></packageSourceMapping>', SIGNER('microsoft'))],
  ['nuget-cleartext-password', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, '<packageSourceCredentials><nuget.org><add key="Username" value="u" /><add key="ClearTextPassword" value="hunter2hunter2" /></nuget.org></packageSourceCredentials>', SIGNER('microsoft')),
    C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, '<packageSourceCredentials><nuget.org><add key="Username" value="u" /><add key="ClearTextPassword" value="%FEED_PAT%" /></nuget.org></packageSourceCredentials>', SIGNER('microsoft'))],
  ['nuget-encrypted-password', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, '<packageSourceCredentials><nuget.org><add key="Username" value="u" /><add key="Password" value="AQAAANCMnd8BFdERjHoAwE" /></nuget.org></packageSourceCredentials>', SIGNER('microsoft')), CLEAN],
  ['nuget-credentials-in-url', C(...SIGNED, '<packageSources><clear /><add key="nuget.org" value="https://user:hunter2@api.nuget.org/v3/index.json" /></packageSources>', SIGNER('microsoft')), CLEAN],
  ['nuget-committed-api-key', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, '<apikeys><add key="https://www.nuget.org" value="AQAAANCMnd8BFdERjHoAwE" /></apikeys>', SIGNER('microsoft')), CLEAN],
  ['nuget-signature-validation-not-required', C(`<packageSources><clear />${NUGET_ORG}</packageSources>`), CLEAN],
  ['nuget-trusted-signers-incomplete', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, SIGNER('microsoft', ['0E5F38F57DC1BCC806D8494F4F90FBCEDD988B46760709CBEEC6F4219AA6157D'])), CLEAN],
  ['nuget-untrusted-root-allowed', C(...SIGNED, `<packageSources><clear />${NUGET_ORG}</packageSources>`, SIGNER('microsoft').replace('allowUntrustedRoot="false"', 'allowUntrustedRoot="true"')), CLEAN],
  ['nuget-no-audit-source', C(...SIGNED, '<packageSources><clear /><add key="corp" value="https://pkgs.dev.azure.com/corp/_packaging/f/nuget/v3/index.json" /></packageSources>', SIGNER('microsoft')),
    C(...SIGNED, '<packageSources><clear /><add key="corp" value="https://pkgs.dev.azure.com/corp/_packaging/f/nuget/v3/index.json" /></packageSources>', `<auditSources><clear />${NUGET_ORG}</auditSources>`, SIGNER('microsoft'))],
];

test('every nuget.config rule over LSP: reported on its case with its documentation link, silent on the corrected config', async (t) => {
  const folder = workspace(t);
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    let index = 0;
    for (const [ruleId, positive, negative] of RULE_CASES) {
      const uri = fileUri(path.join(folder, `case${index++}`, 'nuget.config'));
      await client.didOpen(uri, positive, 1, 'xml');
      const found = (await client.pullDiagnostics(uri)).filter((d) => d.code === ruleId);
      assert.ok(found.length >= 1, `${ruleId} on\n${positive}`);
      assert.match(String(found[0]!.codeDescription?.href), new RegExp(`docs/rules/${ruleId}\\.md$`));
      await client.replaceText(uri, negative);
      assert.deepEqual(codes(await client.pullDiagnostics(uri)), [], `nothing at all on the corrected config for ${ruleId}:\n${negative}`);
    }
    assert.deepEqual(RULE_CASES.map(([id]) => id).sort(), NUGET_RULES.map((rule) => rule.meta.id).sort(), 'a case for every nuget rule');
  });
});

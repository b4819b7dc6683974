// Hover and completion over a real stdio connection to the bundled server (issue: certified base images).
// The server uses today's date; assertions use facts that hold for years (builds, names, ordering rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompletionItem, CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fileUri, pullClientCapabilities, withServer } from './lspClient';

function workspace(t: { after: (fn: () => void) => void }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-features-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function items(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

test('hover on a FROM image shows build, lifecycle, default user, host compatibility and signing', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, 'Dockerfile'));
  await withServer(async (client) => {
    client.setSettings({ windowsHost: 'ltsc2022', isolation: 'process' });
    const init = await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    assert.equal(init.capabilities.hoverProvider, true);
    await client.didOpen(uri, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS app\nCMD ["x.exe"]\n');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 44 } });
    assert.ok(hover);
    assert.deepEqual(hover.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 50 } });
    const markdown = (hover.contents as MarkupContent);
    assert.equal(markdown.kind, 'markdown');
    for (const expected of ['Windows Server 2022, build 20348', '2031-10-14', '`ContainerAdministrator`', 'Windows Server 2022 (process isolation): can run this image', 'Notary Project (Notation)', '](https://learn.microsoft.com/']) {
      assert.ok(markdown.value.includes(expected), `${expected} in\n${markdown.value}`);
    }
    const none = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } });
    assert.equal(none, null);
  });
});

test('completion offers certified repositories, then supported tags recommended first, never EOL ones', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, 'Dockerfile'));
  await withServer(async (client) => {
    const init = await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    assert.deepEqual(init.capabilities.completionProvider?.triggerCharacters, ['/', ':']);
    await client.didOpen(uri, 'FROM mcr.microsoft.com/\n');
    const repositories = items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 23 } }));
    const labels = repositories.map((i) => i.label);
    for (const name of ['mcr.microsoft.com/windows/servercore', 'mcr.microsoft.com/windows/nanoserver', 'mcr.microsoft.com/dotnet/framework/aspnet', 'mcr.microsoft.com/dotnet/sdk']) {
      assert.ok(labels.includes(name), name);
    }
    const first = repositories[0]!;
    assert.deepEqual(first.textEdit, { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 23 } }, newText: first.label });

    await client.replaceText(uri, 'FROM mcr.microsoft.com/windows/servercore:\n');
    const tags = items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 42 } }));
    const tagLabels = tags.map((i) => i.label);
    assert.ok(tags[0]!.detail?.includes('recommended'), JSON.stringify(tags[0]));
    assert.ok(tagLabels.includes('ltsc2025') && tagLabels.includes('ltsc2022'));
    assert.ok(tagLabels.indexOf('ltsc2025') < tagLabels.indexOf('ltsc2022'));
    for (const eol of ['1709', '1803', '1903', '1909', '2004', '20H2']) assert.ok(!tagLabels.includes(eol), eol);
    const sorted = [...tags].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(sorted.map((i) => i.label), tagLabels, 'sortText keeps the recommended order');
    assert.ok(tags.every((i) => /extended support|mainstream support/.test(i.detail ?? '')), 'each tag carries its lifecycle');
  });
});

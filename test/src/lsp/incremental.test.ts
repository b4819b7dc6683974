// The language server's speed work, over a real stdio connection: incremental sync (with the CR/LF
// guard), the shell grammars loaded before any lint, the lint cache, and skipping outdated versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol';
import { LspTestClient, delay, pushClientCapabilities, withServer } from './lspClient';

const ADD_LINE = 'ADD https://example.com/tool.zip C:\\tool.zip';
/** add-remote-without-checksum sits on the ADD line: its line number shows how the server counts lines. */
const DOCUMENT = `FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi\n${ADD_LINE}\nUSER ContainerUser\nCMD ["app.exe"]\n`;

function at(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

function lintLogs(client: LspTestClient, uri: string): number[] {
  return client.logMessages
    .map((m) => new RegExp(`^Linting ${uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} version (\\d+)$`).exec(m.message))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

/** The line the ADD instruction is on, as the client counts (\r\n, \r and \n each end one line). */
function addLineOf(text: string): number {
  return text.split(/\r\n|\r|\n/).indexOf(ADD_LINE);
}

test('initialize announces incremental sync', async () => {
  await withServer(async (client) => {
    const result = await client.initialize();
    const sync = result.capabilities.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
  });
});

test('incremental edits that join or split CR/LF pairs keep the server\'s positions equal to the client\'s', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, DOCUMENT, 1);
    let local = TextDocument.create(uri, 'dockerfile', 1, DOCUMENT);
    const lineLength = (line: number): number => local.getText().split(/\r\n|\r|\n/)[line]!.length;
    const edits: Array<{ label: string; change: () => { range: Range; text: string } }> = [
      // `\r` inserted just before an existing `\n`: the line break becomes one CR/LF.
      { label: '\\r before \\n', change: () => ({ range: at(0, lineLength(0)), text: '\r' }) },
      // A change whose text ends with `\r`, right before a `\n`.
      { label: 'text ending in \\r before \\n', change: () => ({ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 11 } }, text: 'there\r' }) },
      // A lone `\r` (its own line break), then `\n` inserted right after it.
      { label: 'lone \\r', change: () => ({ range: at(3, lineLength(3)), text: '\rLABEL a=b' }) },
      { label: '\\n after \\r', change: () => ({ range: at(4, 0), text: '\n' }) },
      // Deleting what stands between a `\r` and a `\n` joins them.
      { label: 'join by deletion', change: () => ({ range: at(0, 0), text: 'ARG X=1\rY\n' }) },
      { label: 'join by deletion (2)', change: () => ({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: '' }) },
      // Splitting a CR/LF pair apart again.
      { label: 'split', change: () => ({ range: { start: { line: 0, character: 7 }, end: { line: 1, character: 0 } }, text: '\rZ\n' }) },
    ];
    for (const { label, change } of edits) {
      const edit = change();
      await client.didChange(uri, [edit]);
      // Applied to a document built from the full text (TextDocument.update itself has the bug).
      local = TextDocument.create(uri, 'dockerfile', client.version(uri) ?? 0, TextDocument.applyEdits(local, [{ range: edit.range, newText: edit.text }]));
      const text = local.getText();
      // Our reference: positions computed from the full text (what the client sees).
      const fresh = TextDocument.create(uri, 'dockerfile', 0, text);
      const diagnostics = await client.pullDiagnostics(uri);
      const add = diagnostics.find((d) => d.code === 'add-remote-without-checksum');
      assert.ok(add, `${label}: no add-remote-without-checksum in ${JSON.stringify(text)}`);
      assert.equal(add.range.start.line, addLineOf(text), `${label}: the ADD finding is on the client's line (${JSON.stringify(text)})`);
      assert.equal(fresh.getText(add.range), ADD_LINE.slice(add.range.start.character, add.range.end.character), `${label}: the range covers the same characters`);
      // The same text opened fresh gives exactly the same diagnostics.
      const copy = `file:///nonexistent-workspace/copy-${edits.findIndex((e) => e.label === label)}.Dockerfile`;
      await client.didOpen(copy, text);
      assert.deepEqual(await client.pullDiagnostics(copy), diagnostics, label);
      await client.didClose(copy);
    }
    // The edits really produced the pairs they are about.
    assert.match(local.getText(), /\r\n/);
  });
});

test('the first pull right after initialize is linted with the shell grammars loaded', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/linux.Dockerfile';
    await client.didOpen(uri, 'FROM ubuntu:24.04\nRUN curl -fsSL -o /tmp/x.sh https://example.com/x.sh && sh /tmp/x.sh\nUSER app\n');
    const diagnostics = await client.pullDiagnostics(uri);
    assert.ok(diagnostics.some((d) => d.code === 'download-without-integrity-check'), JSON.stringify(diagnostics.map((d) => d.code)));
    assert.deepEqual(client.logMessages.filter((m) => /failed|not loaded/i.test(m.message)), []);
  });
});

test('a pull for a version already linted with the same settings is answered from the cache; a change re-lints only that document', async () => {
  await withServer(async (client) => {
    await client.initialize({ initializationOptions: { logLints: true } });
    const a = 'file:///nonexistent-workspace/a/Dockerfile';
    const b = 'file:///nonexistent-workspace/b/Dockerfile';
    await client.didOpen(a, DOCUMENT);
    await client.didOpen(b, DOCUMENT);
    const first = await client.pullDiagnostics(a);
    await client.pullDiagnostics(b);
    assert.deepEqual(await client.pullDiagnostics(a), first);
    await client.codeActions(a, at(2, 0), first);
    assert.deepEqual(lintLogs(client, a), [1], 'version 1 of a linted once for two pulls and a code action');

    await client.editRange(a, at(1, 0), 'LABEL x=y\n');
    await client.pullDiagnostics(a);
    await client.pullDiagnostics(b);
    assert.deepEqual(lintLogs(client, a), [1, 2]);
    assert.deepEqual(lintLogs(client, b), [1], 'the unchanged document is not linted again');

    // Other settings: the cached result no longer applies.
    client.setSettings({ rules: { 'add-remote-without-checksum': 'error' } });
    await client.didChangeConfiguration();
    const changed = await client.pullDiagnostics(a);
    assert.equal(changed.find((d: Diagnostic) => d.code === 'add-remote-without-checksum')?.severity, 1);
    assert.deepEqual(lintLogs(client, a), [1, 2, 2]);
  });
});

test('a version that is outdated before its lint starts is never linted (pull: the client is asked to pull again)', async () => {
  await withServer(async (client) => {
    await client.initialize({ initializationOptions: { logLints: true } });
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, DOCUMENT, 1);
    // The first pull waits for the document's settings (a workspace/configuration round trip); the
    // change sent right after it arrives meanwhile.
    const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }).then(
      (result) => ({ result }), (error: { code?: number; data?: unknown }) => ({ error }));
    await client.didChange(uri, [{ range: at(1, 0), text: 'LABEL x=y\n' }]);
    const outcome = await pending as { result?: unknown; error?: { code?: number; data?: unknown } };
    assert.equal(outcome.error?.code, -32802, `expected ServerCancelled, got ${JSON.stringify(outcome)}`);
    assert.deepEqual(outcome.error?.data, { retriggerRequest: true });
    await client.pullDiagnostics(uri);
    assert.deepEqual(lintLogs(client, uri), [2], 'only the newest version was linted');
  });
});

test('push client: a burst of changes publishes and lints only the newest version', async () => {
  await withServer(async (client) => {
    await client.initialize({ capabilities: pushClientCapabilities(), initializationOptions: { logLints: true } });
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, DOCUMENT, 1);
    for (let i = 0; i < 5; i++) await client.didChange(uri, [{ range: at(1, 0), text: `LABEL n${i}=1\n` }]);
    const published = await client.waitForPublish(uri, (p) => p.version === 6);
    assert.ok(published.diagnostics.some((d) => d.code === 'add-remote-without-checksum' && d.range.start.line === 7));
    await delay(400);
    assert.deepEqual(client.publishedFor(uri).map((p) => p.version), [6]);
    assert.deepEqual(lintLogs(client, uri), [6]);
  });
});

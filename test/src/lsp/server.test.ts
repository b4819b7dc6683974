// Integration tests of the bundled language server (dist/server.js) over a real stdio connection.
// Each test starts its own server process through LspTestClient and always disposes of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Command, Diagnostic, Range, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import {
  LspTestClient, REPO_ROOT, delay, fileUri, pullClientCapabilities, pushClientCapabilities, withServer,
} from './lspClient';
import { tempDir } from './tempFiles';

const FIX_ALL = 'source.fixAll.containerGuard';
const SOURCE = 'container-guard';
const SERVER_CORE = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi\nCMD ["app.exe"]\n';
const SERVER_CORE_FIXED = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi\nUSER ContainerUser\nCMD ["app.exe"]\n';
/** A retired Docker Hub name: renaming it to its MCR name (same image, same release) is what fix-all applies. */
const RETIRED_NAME = 'FROM microsoft/windowsservercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n';
const RETIRED_NAME_FIXED = 'FROM mcr.microsoft.com/windows/servercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n';
/** `FROM ` is 5 characters; the image reference is 45, its tag `ltsc2025` starts at 42. */
const IMAGE_RANGE: Range = { start: { line: 0, character: 5 }, end: { line: 0, character: 50 } };
const TAG_RANGE: Range = { start: { line: 0, character: 42 }, end: { line: 0, character: 50 } };
const WHOLE_FIRST_LINES: Range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };

function docHref(ruleId: string): string {
  return fileUri(path.join(REPO_ROOT, 'docs', 'rules', `${ruleId}.md`));
}

/**
 * The rules these tests are about. Most assertions compare only their findings, so that a rule added
 * later that also fires on a fixture does not break unrelated tests; the exact-diagnostics test below
 * still compares the complete list for the Server Core fixture.
 */
const RULES_UNDER_TEST = new Set(['privileged-user', 'base-image-latest', 'base-image-unpinned-digest', 'add-remote-without-checksum', 'secret-in-env-arg']);

/** Codes of the findings of RULES_UNDER_TEST, in the server's order. */
function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).filter((code) => RULES_UNDER_TEST.has(code));
}

function byCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic | undefined {
  return diagnostics.find((d) => d.code === code);
}

function isCodeAction(action: CodeAction | Command): action is CodeAction {
  return typeof (action as Command).command !== 'string';
}

function actionsOnly(actions: Array<CodeAction | Command>): CodeAction[] {
  for (const action of actions) assert.ok(isCodeAction(action), `expected CodeAction literals, got a Command: ${JSON.stringify(action)}`);
  return actions as CodeAction[];
}

/** The single TextDocumentEdit of an action's versioned workspace edit. */
function documentEditOf(action: CodeAction): TextDocumentEdit {
  assert.ok(action.edit, `action "${action.title}" has no edit`);
  assert.equal(action.edit.changes, undefined, 'a client with documentChanges support gets documentChanges, not changes');
  const changes = action.edit.documentChanges ?? [];
  assert.equal(changes.length, 1, 'exactly one document change');
  const change = changes[0]!;
  assert.ok('edits' in change && 'textDocument' in change, `expected a TextDocumentEdit, got ${JSON.stringify(change)}`);
  return change;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 0, text), [...edits]);
}

/** Lines as vscode-languageserver-textdocument counts them (\r\n, \r and \n all end a line). */
function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function assertRangeInside(text: string, range: Range, what: string): void {
  const lines = linesOf(text);
  for (const [name, position] of [['start', range.start], ['end', range.end]] as const) {
    assert.ok(Number.isInteger(position.line) && Number.isInteger(position.character), `${what}: ${name} is not integral: ${JSON.stringify(range)}`);
    assert.ok(position.line >= 0 && position.line < lines.length, `${what}: ${name} line ${position.line} outside 0..${lines.length - 1}`);
    assert.ok(position.character >= 0 && position.character <= lines[position.line]!.length,
      `${what}: ${name} character ${position.character} outside line ${position.line} (length ${lines[position.line]!.length})`);
  }
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, `${what}: start after end: ${JSON.stringify(range)}`);
}

/** Deterministic PRNG (mulberry32), so the random documents are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'FROM ', 'FROM', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS build',
  'FROM --platform=', 'FROM --platform=windows/amd64 ', 'FROM mcr.microsoft.com/windows/servercore:latest', 'FROM build AS final',
  'FROM ${BASE}:${TAG:-ltsc2025}', 'FROM $BASE', 'FROM scratch', 'FROM alpine@sha256:', 'FROM :', 'FROM @', 'FROM a:b:c@d@e', ' AS ',
  'ARG BASE=mcr.microsoft.com/windows/servercore', 'ARG TAG', 'ARG PASSWORD=hunter2', 'ENV DB_PASSWORD=changeme API_KEY=x', 'ENV ', 'ENV =',
  'USER ', 'USER ContainerAdministrator', 'USER ContainerUser', 'USER root:root', 'USER 0', 'RUN echo hi', 'RUN powershell -Command \\',
  'RUN dir `', 'ADD https://example.com/tool.zip C:\\tool.zip', 'ADD --checksum=sha256:abc https://example.com/x ', 'ADD ',
  'COPY --from=build C:\\app C:\\app', 'CMD ["app.exe"]', 'CMD [', 'ENTRYPOINT ["C:\\\\ServiceMonitor.exe", "w3svc"]', 'ENTRYPOINT',
  'SHELL ["powershell", "-Command"]', 'HEALTHCHECK CMD', 'ONBUILD FROM x', 'ONBUILD', '# escape=`', '# escape=\\', '# syntax=docker/dockerfile:1',
  '# container-guard ignore=privileged-user', '# container-guard global ignore=', '# hadolint ignore=DL3006,DL3002', '# comment',
  '\\', '`', '"', "'", '[', ']', '{', '}', '$', '${', '${A:-', '@sha256:', ':latest', '\t', ' ', '  ', '\r\n', '\r', '\n', '\n\n',
  '\u0000', '\uFFFF', '\uFEFF', '\uD800', '\uDC00', '😀', 'é', 'ﬀ', '\u2028', 'LABEL a="b', 'WORKDIR C:\\app', 'EXPOSE 80', 'STOPSIGNAL',
];

function randomDocument(random: () => number, lines: number): string {
  const out: string[] = [];
  for (let line = 0; line < lines; line++) {
    const parts = 1 + Math.floor(random() * 4);
    let text = '';
    for (let i = 0; i < parts; i++) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
    out.push(text);
  }
  return out.join('\n');
}

/** Checks every diagnostic and every code-action edit of `text` (already opened as `uri`) stays inside the document. */
async function assertWellFormedResults(client: LspTestClient, uri: string, text: string, label: string): Promise<Diagnostic[]> {
  const diagnostics = await client.pullDiagnostics(uri, 15_000);
  for (const diagnostic of diagnostics) {
    assertRangeInside(text, diagnostic.range, `${label}: ${String(diagnostic.code)}`);
    assert.equal(diagnostic.source, SOURCE);
    assert.ok(typeof diagnostic.message === 'string' && diagnostic.message.length > 0, `${label}: empty message`);
    assert.ok(diagnostic.severity !== undefined && diagnostic.severity >= 1 && diagnostic.severity <= 4, `${label}: bad severity`);
  }
  const lines = linesOf(text);
  const whole: Range = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
  const actions = actionsOnly(await client.codeActions(uri, whole, diagnostics));
  for (const action of actions) {
    for (const edit of documentEditOf(action).edits) assertRangeInside(text, edit.range, `${label}: edit of "${action.title}"`);
    assert.doesNotThrow(() => applyEdits(text, documentEditOf(action).edits as TextEdit[]), `${label}: edits of "${action.title}" do not apply`);
  }
  assert.ok(client.alive, `${label}: server died: ${client.stderr.slice(-2000)}`);
  return diagnostics;
}

test('initialize: pull-capable client gets diagnosticProvider, incremental sync and the fix-all code action kind', async () => {
  await withServer(async (client) => {
    const result = await client.initialize({ capabilities: pullClientCapabilities() });
    const capabilities = result.capabilities;
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: SOURCE, interFileDependencies: false, workspaceDiagnostics: false });
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    const codeActionProvider = capabilities.codeActionProvider;
    assert.ok(codeActionProvider && typeof codeActionProvider === 'object', 'codeActionProvider must be options with kinds');
    assert.ok(codeActionProvider.codeActionKinds?.includes(FIX_ALL), `kinds: ${JSON.stringify(codeActionProvider.codeActionKinds)}`);
    assert.ok(codeActionProvider.codeActionKinds?.includes('quickfix'));
    assert.equal(result.serverInfo?.name, 'container-guard-server');
    assert.equal(await client.shutdown(), 0, 'shutdown + exit ends the process with code 0');
  });
});

test('didOpen → pulled diagnostics with exact code, source, range, severity and codeDescription.href', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, SERVER_CORE);
    const diagnostics = await client.pullDiagnostics(uri);
    assert.deepEqual(diagnostics.map(({ message: _message, ...rest }) => rest), [
      { range: IMAGE_RANGE, severity: 2, code: 'privileged-user', codeDescription: { href: docHref('privileged-user') }, source: SOURCE },
      { range: TAG_RANGE, severity: 3, code: 'base-image-unpinned-digest', codeDescription: { href: docHref('base-image-unpinned-digest') }, source: SOURCE },
    ]);
    assert.match(diagnostics[0]!.message, /ContainerAdministrator/);
    assert.match(diagnostics[0]!.message, /USER ContainerUser/);
    assert.match(diagnostics[1]!.message, /pinned by tag only/);
    for (const diagnostic of diagnostics) assert.ok(fs.existsSync(new URL(diagnostic.codeDescription!.href)), `${diagnostic.codeDescription!.href} exists`);

    // A document the server does not know (never opened) yields an empty report, not an error.
    assert.deepEqual(await client.pullDiagnostics('file:///nonexistent-workspace/Other.Dockerfile'), []);
    // Documents without a file path (untitled) are linted through their languageId.
    await client.didOpen('untitled:Untitled-1', SERVER_CORE);
    assert.deepEqual(codes(await client.pullDiagnostics('untitled:Untitled-1')), ['privileged-user', 'base-image-unpinned-digest']);
    // Another language is left alone.
    await client.didOpen('file:///nonexistent-workspace/notes.txt', SERVER_CORE, 1, 'plaintext');
    assert.deepEqual(await client.pullDiagnostics('file:///nonexistent-workspace/notes.txt'), []);
    // A pull client gets no pushed diagnostics, even after the push debounce would have fired.
    await delay(300);
    assert.deepEqual(client.publishedDiagnostics, []);
  });
});

test('quick fixes for privileged-user: insert USER ContainerUser before CMD, or an ignore comment', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, SERVER_CORE, 3);
    const diagnostics = await client.pullDiagnostics(uri);
    const privileged = byCode(diagnostics, 'privileged-user')!;
    const actions = actionsOnly(await client.codeActions(uri, privileged.range, [privileged], ['quickfix']));
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Run the final stage as ContainerUser', 'quickfix', true],
      ['Ignore privileged-user for this instruction', 'quickfix', false],
    ]);
    const [insertUser, ignore] = actions as [CodeAction, CodeAction];
    assert.deepEqual(insertUser.diagnostics, [privileged]);
    const insertEdit = documentEditOf(insertUser);
    assert.deepEqual(insertEdit.textDocument, { uri, version: 3 });
    assert.deepEqual(insertEdit.edits, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: 'USER ContainerUser\n' }]);
    assert.equal(applyEdits(SERVER_CORE, insertEdit.edits as TextEdit[]), SERVER_CORE_FIXED);

    const ignoreEdit = documentEditOf(ignore);
    assert.deepEqual(ignoreEdit.edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# container-guard ignore=privileged-user\n' }]);
    // Applying the ignore fix silences exactly that rule.
    await client.replaceText(uri, applyEdits(SERVER_CORE, ignoreEdit.edits as TextEdit[]));
    const after = await client.pullDiagnostics(uri);
    assert.deepEqual(codes(after), ['base-image-unpinned-digest']);
    assert.deepEqual(byCode(after, 'base-image-unpinned-digest')!.range.start.line, 1, 'the finding moved down with its line');

    // Diagnostics of other tools (or stale ones that no longer match a finding) get no quick fixes.
    const foreign: Diagnostic = { ...privileged, source: 'hadolint' };
    assert.deepEqual(await client.codeActions(uri, privileged.range, [foreign], ['quickfix']), []);
  });
});

test('fix-all returns one versioned TextDocumentEdit; it renames a retired image but never switches the user; a second fix-all is empty', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, RETIRED_NAME, 7);
    const diagnostics = await client.pullDiagnostics(uri);
    assert.ok(byCode(diagnostics, 'deprecated-image-name') && byCode(diagnostics, 'privileged-user'), JSON.stringify(codes(diagnostics)));
    const actions = actionsOnly(await client.codeActions(uri, WHOLE_FIRST_LINES, diagnostics, [FIX_ALL]));
    assert.equal(actions.length, 1, `exactly one fix-all action: ${JSON.stringify(actions.map((a) => a.title))}`);
    const fixAll = actions[0]!;
    assert.equal(fixAll.kind, FIX_ALL);
    const edit = documentEditOf(fixAll);
    assert.deepEqual(edit.textDocument, { uri, version: 7 });
    const fixed = applyEdits(RETIRED_NAME, edit.edits as TextEdit[]);
    assert.equal(fixed, RETIRED_NAME_FIXED);

    // Parent kinds select it too; quickfix alone does not.
    for (const only of [['source.fixAll'], ['source']]) {
      const selected = actionsOnly(await client.codeActions(uri, WHOLE_FIRST_LINES, [], only));
      assert.deepEqual(selected.map((a) => a.kind), [FIX_ALL], `only ${JSON.stringify(only)}`);
    }
    assert.deepEqual(await client.codeActions(uri, WHOLE_FIRST_LINES, [], ['quickfix']), []);

    const version = await client.replaceText(uri, fixed);
    assert.equal(version, 8);
    const after = await client.pullDiagnostics(uri);
    assert.equal(byCode(after, 'deprecated-image-name'), undefined, `no deprecated-image-name after fix-all: ${JSON.stringify(codes(after))}`);
    // Switching the user changes what the container may do: it stays a quick fix a person chooses.
    assert.ok(byCode(after, 'privileged-user'), 'privileged-user stays after fix-all');
    assert.deepEqual(await client.codeActions(uri, WHOLE_FIRST_LINES, after, [FIX_ALL]), [], 'fix-all is idempotent');
  });
});

test('fix-all keeps CRLF line breaks; the USER quick fix keeps them and the indentation of the CMD it precedes', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/crlf.Dockerfile';
    const text = 'FROM microsoft/windowsservercore:ltsc2019\r\nRUN echo hi\r\n# start the app\r\n  CMD ["app.exe"]\r\n';
    await client.didOpen(uri, text, 1);
    const [fixAll] = actionsOnly(await client.codeActions(uri, WHOLE_FIRST_LINES, [], [FIX_ALL]));
    assert.ok(fixAll, 'a fix-all action');
    const fixed = applyEdits(text, documentEditOf(fixAll).edits as TextEdit[]);
    assert.equal(fixed, text.replace('microsoft/windowsservercore', 'mcr.microsoft.com/windows/servercore'));
    await client.replaceText(uri, fixed);
    const privileged = byCode(await client.pullDiagnostics(uri), 'privileged-user')!;
    const insertUser = actionsOnly(await client.codeActions(uri, privileged.range, [privileged], ['quickfix'])).find((a) => a.title === 'Run the final stage as ContainerUser')!;
    const withUser = applyEdits(fixed, documentEditOf(insertUser).edits as TextEdit[]);
    assert.equal(withUser, 'FROM mcr.microsoft.com/windows/servercore:ltsc2019\r\nRUN echo hi\r\n  USER ContainerUser\r\n# start the app\r\n  CMD ["app.exe"]\r\n');
    await client.replaceText(uri, withUser);
    assert.equal(byCode(await client.pullDiagnostics(uri), 'privileged-user'), undefined);
  });
});

test('incremental didChange (range edits) updates pulled diagnostics', async () => {
  // A Windows image whose `latest` tag exists (Windows base OS repositories have none: there the
  // catalog rule nonexistent-image-tag reports `latest`, not base-image-latest).
  const image = 'mcr.microsoft.com/dotnet/framework/runtime';
  const text = `FROM ${image}:4.8.1\nRUN echo hi\nCMD ["app.exe"]\n`;
  const tagStart = 5 + image.length + 1;
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, text, 1);
    let local = TextDocument.create(uri, 'dockerfile', 1, text);
    let diagnostics = await client.pullDiagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['privileged-user', 'base-image-unpinned-digest']);

    // 4.8.1 → latest
    const change1 = { range: { start: { line: 0, character: tagStart }, end: { line: 0, character: tagStart + '4.8.1'.length } }, text: 'latest' };
    await client.didChange(uri, [change1]);
    local = TextDocument.update(local, [change1], 2);
    diagnostics = await client.pullDiagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['privileged-user', 'base-image-latest']);
    const latest = byCode(diagnostics, 'base-image-latest')!;
    assert.deepEqual(latest.range, { start: { line: 0, character: tagStart }, end: { line: 0, character: tagStart + 6 } });
    assert.equal(latest.severity, 2);
    assert.equal(latest.source, SOURCE);
    assert.equal(latest.codeDescription?.href, docHref('base-image-latest'));
    assert.match(latest.message, /moving tag/);
    assert.deepEqual(byCode(diagnostics, 'privileged-user')!.range, { start: { line: 0, character: 5 }, end: { line: 0, character: tagStart + 6 } });

    // Two changes in one notification, applied in order: add USER, then pin by digest.
    const digest = `@sha256:${'a'.repeat(64)}`;
    const changes2 = [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'USER ContainerUser\n' },
      { range: { start: { line: 0, character: tagStart - 1 }, end: { line: 0, character: tagStart + 6 } }, text: digest },
    ];
    await client.didChange(uri, changes2);
    local = TextDocument.update(local, changes2, 3);
    assert.equal(local.getText(), `FROM ${image}${digest}\nRUN echo hi\nUSER ContainerUser\nCMD ["app.exe"]\n`);
    assert.deepEqual(codes(await client.pullDiagnostics(uri)), []);

    // Delete the USER line again: privileged-user returns, over the new (digest) image range.
    const change3 = { range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, text: '' };
    await client.didChange(uri, [change3]);
    local = TextDocument.update(local, [change3], 4);
    diagnostics = await client.pullDiagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['privileged-user']);
    assert.deepEqual(byCode(diagnostics, 'privileged-user')!.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 5 + image.length + digest.length } });

    // The server's text equals ours: the same text opened fresh gives the same diagnostics.
    await client.didOpen('file:///nonexistent-workspace/copy.Dockerfile', local.getText());
    assert.deepEqual(await client.pullDiagnostics('file:///nonexistent-workspace/copy.Dockerfile'), diagnostics);
  });
});

test('workspace/configuration settings set severity and `off`; didChangeConfiguration → re-request + diagnostic refresh', async (t) => {
  const folder = tempDir(t);
  fs.mkdirSync(path.join(folder, 'a'));
  fs.mkdirSync(path.join(folder, 'b'));
  await withServer(async (client) => {
    client.setSettings({ rules: { 'privileged-user': 'error' } });
    await client.initialize({ workspaceFolders: [folder] });
    const uriA = fileUri(path.join(folder, 'a', 'Dockerfile'));
    const uriB = fileUri(path.join(folder, 'b', 'Dockerfile'));
    client.setSettings({ rules: { 'privileged-user': 'hint' } }, uriB);
    await client.didOpen(uriA, SERVER_CORE);
    await client.didOpen(uriB, SERVER_CORE);

    assert.equal(byCode(await client.pullDiagnostics(uriA), 'privileged-user')?.severity, 1, 'error → 1');
    assert.equal(byCode(await client.pullDiagnostics(uriB), 'privileged-user')?.severity, 4, 'per-scopeUri hint → 4');
    assert.deepEqual(client.configurationRequests.flat(), [
      { scopeUri: uriA, section: 'containerGuard' },
      { scopeUri: uriB, section: 'containerGuard' },
    ]);
    // The server registered for configuration and team-file changes.
    await client.waitFor(() => client.registrations.length >= 2, 'client/registerCapability');
    const methods = client.registrations.map((r) => r.method).sort();
    assert.deepEqual(methods, ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
    const watchers = (client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers;
    assert.deepEqual(watchers.map((w) => w.globPattern), ['**/.container-guard.yaml', '**/.container-guard.yml']);

    // Unchanged settings are cached: pulling again does not ask again.
    await client.pullDiagnostics(uriA);
    assert.equal(client.configurationRequests.length, 2);

    client.setSettings({ rules: { 'privileged-user': 'off' } });
    const requestsBefore = client.configurationRequests.length;
    const refreshes = client.refreshCount;
    await client.didChangeConfiguration(null);
    await client.waitForRefresh(refreshes);
    let diagnostics = await client.pullDiagnostics(uriA);
    assert.equal(byCode(diagnostics, 'privileged-user'), undefined, '`off` removes the finding');
    assert.deepEqual(codes(diagnostics), ['base-image-unpinned-digest']);
    assert.ok(client.configurationRequests.length > requestsBefore, 'the server asked for the settings again');
    assert.equal(byCode(await client.pullDiagnostics(uriB), 'privileged-user')?.severity, 4, 'scoped setting still wins for b');

    // Malformed settings are dropped (defaults apply), logged, and never stop linting.
    client.setSettings({ ruleSet: 42, rules: { 'privileged-user': 'loud', 'no-such-rule': 'error' }, ignore: 'x', honourHadolintPragmas: 'yes' });
    client.scopedSettings.clear();
    const refreshes2 = client.refreshCount;
    await client.didChangeConfiguration({ containerGuard: null });
    await client.waitForRefresh(refreshes2);
    diagnostics = await client.pullDiagnostics(uriA);
    assert.equal(byCode(diagnostics, 'privileged-user')?.severity, 2, 'default severity after invalid settings');
    assert.ok(client.logMessages.some((m) => m.message.includes('containerGuard.rules.privileged-user')), 'the bad setting is logged');

    // `ignore` globs are relative to the workspace folder.
    client.setSettings({ ignore: ['b/**'] });
    const refreshes3 = client.refreshCount;
    await client.didChangeConfiguration(null);
    await client.waitForRefresh(refreshes3);
    assert.deepEqual(await client.pullDiagnostics(uriB), []);
    assert.equal(byCode(await client.pullDiagnostics(uriA), 'privileged-user')?.severity, 2);

    assert.deepEqual(client.publishedDiagnostics, [], 'a pull client gets no pushed diagnostics');
  });
});

test('team file .container-guard.yaml wins over editor settings and is re-read on didChangeWatchedFiles', async (t) => {
  const root = tempDir(t);
  const folder = path.join(root, 'ws');
  fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
  // Above the workspace folder: must be ignored.
  fs.writeFileSync(path.join(root, '.container-guard.yaml'), 'rules:\n  privileged-user: error\n');
  const teamFile = path.join(folder, '.container-guard.yaml');
  const nearerTeamFile = path.join(folder, 'sub', '.container-guard.yml');
  const uri = fileUri(path.join(folder, 'sub', 'Dockerfile'));

  await withServer(async (client) => {
    client.setSettings({ rules: { 'privileged-user': 'hint' } });
    await client.initialize({ workspaceFolders: [folder] });
    await client.didOpen(uri, SERVER_CORE);
    const severity = async (): Promise<number | undefined> => byCode(await client.pullDiagnostics(uri), 'privileged-user')?.severity;
    const watched = async (file: string, type: 1 | 2 | 3): Promise<void> => {
      const refreshes = client.refreshCount;
      await client.didChangeWatchedFiles([{ uri: fileUri(file), type }]);
      await client.waitForRefresh(refreshes);
    };

    assert.equal(await severity(), 4, 'editor setting (hint); the team file above the workspace folder is not used');

    fs.writeFileSync(teamFile, 'rules:\n  privileged-user: error\n');
    await watched(teamFile, 1);
    assert.equal(await severity(), 1, 'team file (error) wins over the editor setting (hint)');

    fs.writeFileSync(teamFile, 'rules:\n  privileged-user: info\n');
    await watched(teamFile, 2);
    assert.equal(await severity(), 3, 'rewritten team file (info) is read again');

    fs.writeFileSync(nearerTeamFile, 'rules:\n  privileged-user: "off"\n');
    await watched(nearerTeamFile, 1);
    assert.equal(await severity(), undefined, 'the nearest team file (sub/.container-guard.yml) applies');

    fs.rmSync(nearerTeamFile);
    await watched(nearerTeamFile, 3);
    assert.equal(await severity(), 3);

    fs.writeFileSync(teamFile, 'ignore:\n  - "sub/**"\n');
    await watched(teamFile, 2);
    assert.deepEqual(await client.pullDiagnostics(uri), [], 'team-file ignore globs are relative to the team file');

    fs.rmSync(teamFile);
    await watched(teamFile, 3);
    assert.equal(await severity(), 4, 'back to the editor setting once the team file is gone');

    // Changes to unrelated files do not trigger a refresh.
    const refreshes = client.refreshCount;
    await client.didChangeWatchedFiles([{ uri: fileUri(path.join(folder, 'README.md')), type: 2 }]);
    await client.pullDiagnostics(uri);
    assert.equal(client.refreshCount, refreshes);
  });
});

test('an invalid team file never crashes the server; valid parts still apply; the open team file shows its problems', async (t) => {
  const folder = tempDir(t);
  const teamFile = path.join(folder, '.container-guard.yaml');
  const uri = fileUri(path.join(folder, 'Dockerfile'));
  const variants: Array<{ name: string; write: () => void; expected: number | undefined }> = [
    { name: 'YAML syntax error', write: () => fs.writeFileSync(teamFile, 'rules: [unclosed\n  privileged-user: error\n'), expected: 2 },
    { name: 'unknown rule and setting next to a valid rule', write: () => fs.writeFileSync(teamFile, 'rules:\n  privileged-user: error\n  no-such-rule: warning\nextra: 1\n'), expected: 1 },
    { name: 'wrong types', write: () => fs.writeFileSync(teamFile, 'ruleSet: 42\nrules: nope\nignore: 7\nhonourHadolintPragmas: maybe\n'), expected: 2 },
    { name: 'a list at the top level', write: () => fs.writeFileSync(teamFile, '- a\n- b\n'), expected: 2 },
    { name: 'binary garbage', write: () => fs.writeFileSync(teamFile, Buffer.from([0, 255, 254, 0x3a, 0x20, 0x5b, 0x0a, 0x09, 0x2d, 0xc3])), expected: 2 },
    { name: 'empty file', write: () => fs.writeFileSync(teamFile, ''), expected: 2 },
    {
      name: 'alias bomb',
      write: () => fs.writeFileSync(teamFile, [
        'a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]', '',
      ].join('\n')),
      expected: 2,
    },
    { name: 'a directory named like the team file', write: () => { fs.rmSync(teamFile, { force: true }); fs.mkdirSync(teamFile); }, expected: 2 },
  ];
  await withServer(async (client) => {
    await client.initialize({ workspaceFolders: [folder] });
    await client.didOpen(uri, SERVER_CORE);
    assert.equal(byCode(await client.pullDiagnostics(uri), 'privileged-user')?.severity, 2);
    for (const variant of variants) {
      variant.write();
      const refreshes = client.refreshCount;
      await client.didChangeWatchedFiles([{ uri: fileUri(teamFile), type: 2 }]);
      await client.waitForRefresh(refreshes);
      const diagnostics = await client.pullDiagnostics(uri);
      assert.ok(client.alive, `${variant.name}: server died: ${client.stderr}`);
      assert.equal(byCode(diagnostics, 'privileged-user')?.severity, variant.expected, variant.name);
    }
    fs.rmSync(teamFile, { recursive: true, force: true });

    // The team file opened in the editor gets its problems as diagnostics at the offending key.
    const teamText = 'rules:\n  privileged-user: error\n  no-such-rule: warning\n';
    fs.writeFileSync(teamFile, teamText);
    await client.didOpen(fileUri(teamFile), teamText, 1, 'yaml');
    const problems = await client.pullDiagnostics(fileUri(teamFile));
    const atKey = problems.find((p) => p.message === 'rules: unknown rule id `no-such-rule`');
    assert.ok(atKey, JSON.stringify(problems));
    assert.deepEqual(atKey.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 14 } });
    for (const problem of problems) {
      assert.equal(problem.severity, 1);
      assert.equal(problem.source, SOURCE);
      assertRangeInside(teamText, problem.range, problem.message);
    }
    assert.ok(client.alive);
  });
});

test('an unknown rule id in the open team file is reported once, at its key',
  async (t) => {
    const folder = tempDir(t);
    const teamFile = path.join(folder, '.container-guard.yaml');
    const teamText = 'rules:\n  privileged-user: error\n  no-such-rule: warning\n';
    fs.writeFileSync(teamFile, teamText);
    await withServer(async (client) => {
      await client.initialize({ workspaceFolders: [folder] });
      await client.didOpen(fileUri(teamFile), teamText, 1, 'yaml');
      const problems = await client.pullDiagnostics(fileUri(teamFile));
      assert.deepEqual(problems, [{
        range: { start: { line: 2, character: 2 }, end: { line: 2, character: 14 } },
        severity: 1,
        source: SOURCE,
        message: 'rules: unknown rule id `no-such-rule`',
      }]);
    });
  });

test('push-only client (no textDocument.diagnostic, no workspace.configuration) receives publishDiagnostics', async (t) => {
  const folder = tempDir(t);
  const uri = fileUri(path.join(folder, 'Dockerfile'));
  await withServer(async (client) => {
    const result = await client.initialize({ capabilities: pushClientCapabilities(), workspaceFolders: [folder] });
    assert.equal(result.capabilities.diagnosticProvider, undefined, 'no diagnosticProvider for a client that cannot pull');

    await client.didOpen(uri, SERVER_CORE, 1);
    const first = await client.waitForPublish(uri);
    assert.equal(first.version, 1);
    assert.deepEqual(first.diagnostics.filter((d) => RULES_UNDER_TEST.has(String(d.code))).map(({ message: _message, ...rest }) => rest), [
      { range: IMAGE_RANGE, severity: 2, code: 'privileged-user', codeDescription: { href: docHref('privileged-user') }, source: SOURCE },
      { range: TAG_RANGE, severity: 3, code: 'base-image-unpinned-digest', codeDescription: { href: docHref('base-image-unpinned-digest') }, source: SOURCE },
    ]);

    // Settings pushed in didChangeConfiguration.
    let mark = client.publishedDiagnostics.length;
    await client.didChangeConfiguration({ containerGuard: { rules: { 'privileged-user': 'error' } } });
    let published = await client.waitForPublish(uri, () => true, { since: mark });
    assert.equal(byCode(published.diagnostics, 'privileged-user')?.severity, 1);
    mark = client.publishedDiagnostics.length;
    await client.didChangeConfiguration({ containerGuard: { rules: { 'privileged-user': 'off' } } });
    published = await client.waitForPublish(uri, () => true, { since: mark });
    assert.deepEqual(codes(published.diagnostics), ['base-image-unpinned-digest']);
    assert.equal(client.configurationRequests.length, 0, 'no workspace/configuration request to a client without the capability');

    // Debounce: quick successive edits produce one publish, for the last version.
    await client.didChangeConfiguration({ containerGuard: {} });
    await client.waitForPublish(uri, (p) => byCode(p.diagnostics, 'privileged-user') !== undefined, { since: mark });
    mark = client.publishedDiagnostics.length;
    let version = 0;
    for (const text of ['FROM', 'FROM mcr', 'FROM mcr.microsoft.com/windows/servercore:', SERVER_CORE]) version = await client.replaceText(uri, text);
    published = await client.waitForPublish(uri, (p) => p.version === version, { since: mark });
    assert.equal(version, 5);
    assert.deepEqual(codes(published.diagnostics), ['privileged-user', 'base-image-unpinned-digest']);
    await delay(300);
    assert.deepEqual(client.publishedFor(uri, mark).map((p) => p.version), [version], 'intermediate versions are not published');

    // Without documentChanges support, code actions use `changes`.
    const privileged = byCode(published.diagnostics, 'privileged-user')!;
    const actions = actionsOnly(await client.codeActions(uri, privileged.range, [privileged]));
    const insertUser = actions.find((a) => a.title === 'Run the final stage as ContainerUser');
    assert.ok(insertUser?.edit?.changes, JSON.stringify(actions));
    assert.equal(insertUser.edit.documentChanges, undefined);
    assert.deepEqual(insertUser.edit.changes[uri], [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: 'USER ContainerUser\n' }]);
    mark = client.publishedDiagnostics.length;
    version = await client.replaceText(uri, RETIRED_NAME);
    published = await client.waitForPublish(uri, (p) => p.version === version, { since: mark });
    const retired = byCode(published.diagnostics, 'deprecated-image-name')!;
    const renameActions = actionsOnly(await client.codeActions(uri, retired.range, [retired]));
    assert.ok(renameActions.some((a) => a.kind === FIX_ALL && a.edit?.changes?.[uri]), 'fix-all is offered with `changes` too');

    // Closing clears the document's diagnostics.
    mark = client.publishedDiagnostics.length;
    await client.didClose(uri);
    published = await client.waitForPublish(uri, () => true, { since: mark });
    assert.deepEqual(published.diagnostics, []);
  });
});

test('push-only client: settings from initializationOptions apply from the first publish', async () => {
  await withServer(async (client) => {
    await client.initialize({
      capabilities: pushClientCapabilities(),
      initializationOptions: { settings: { containerGuard: { rules: { 'privileged-user': 'error', 'base-image-unpinned-digest': 'off' } } } },
    });
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, SERVER_CORE);
    const published = await client.waitForPublish(uri);
    assert.deepEqual(published.diagnostics.filter((d) => RULES_UNDER_TEST.has(String(d.code))).map((d) => [d.code, d.severity]), [['privileged-user', 1]]);
  });
});

test('garbage and half-typed documents never crash the server; every range stays inside the document', { timeout: 120_000 }, async () => {
  const random = seededRandom(0xC0FFEE);
  const documents: Array<[string, string]> = [
    ['empty', ''],
    ['FROM', 'FROM'],
    ['FROM space', 'FROM '],
    ['platform flag only', 'FROM --platform='],
    ['platform flag, no image', 'FROM --platform=windows/amd64 \nUSER ContainerAdministrator\n'],
    ['NUL and U+FFFF', '\u0000\uFFFF'],
    ['lone surrogates', '\uD800FROM \uDC00mcr.microsoft.com/windows/servercore:ltsc2025\uD800\n\uDC00'],
    ['trailing backslash continuation', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi \\'],
    ['trailing backslash + newline', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi \\\n'],
    ['backtick escape continuation', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN dir `'],
    ['continuation into FROM', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025 \\\n  AS \\\n'],
    ['only a backslash', '\\'],
    ['only CRs', '\r\r\r'],
    ['empty tag and digest', 'FROM mcr.microsoft.com/windows/servercore:\nFROM mcr.microsoft.com/windows/servercore@\nFROM :latest\nFROM @sha256:\n'],
    ['odd references', 'FROM a:b:c@d@e\nFROM ${A:-}:${B:+\nARG A=${\nFROM $A'],
    ['stage cycles', 'FROM a AS b\nFROM b AS a\nFROM a AS a\nFROM a\n'],
    ['USER without value', 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nUSER\nCMD'],
    ['emoji', `FROM 😀:${'😀'.repeat(50)}\nUSER 😀\n`],
    ['long line', `FROM ${'a'.repeat(100_000)}:latest`],
    ['many stages', Array.from({ length: 500 }, (_, i) => `FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS s${i}\nUSER ContainerAdministrator`).join('\n')],
    ['random 2000 lines', randomDocument(random, 2000)],
    ['random 2000 lines (second seed)', randomDocument(seededRandom(42), 2000)],
  ];
  const started = Date.now();
  await withServer(async (client) => {
    await client.initialize();
    for (const [index, [label, text]] of documents.entries()) {
      const uri = `file:///nonexistent-workspace/garbage-${index}.Dockerfile`;
      await client.didOpen(uri, text);
      await assertWellFormedResults(client, uri, text, label);
      // Apply fix-all where offered and lint the result as well.
      const [fixAll] = actionsOnly(await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL]));
      if (fixAll) {
        const fixed = applyEdits(text, documentEditOf(fixAll).edits as TextEdit[]);
        await client.replaceText(uri, fixed);
        await assertWellFormedResults(client, uri, fixed, `${label} (after fix-all)`);
      }
      await client.didClose(uri);
    }

    // Random incremental edits (mirrored locally) over the random document, checked as we go.
    const uri = 'file:///nonexistent-workspace/incremental.Dockerfile';
    let local = TextDocument.create(uri, 'dockerfile', 1, documents[documents.length - 2]![1]);
    await client.didOpen(uri, local.getText(), 1);
    const editRandom = seededRandom(7);
    for (let i = 1; i <= 300; i++) {
      const length = local.getText().length;
      const startOffset = Math.floor(editRandom() * (length + 1));
      const endOffset = Math.min(length, startOffset + Math.floor(editRandom() * 40));
      const change = { range: { start: local.positionAt(startOffset), end: local.positionAt(endOffset) }, text: FRAGMENTS[Math.floor(editRandom() * FRAGMENTS.length)]! };
      const version = await client.didChange(uri, [change]);
      local = TextDocument.update(local, [change], version);
      if (i % 50 === 0) await assertWellFormedResults(client, uri, local.getText(), `incremental edit ${i}`);
    }
    // The server's copy equals ours: a fresh document with our text gives identical diagnostics.
    const copy = 'file:///nonexistent-workspace/incremental-copy.Dockerfile';
    await client.didOpen(copy, local.getText());
    assert.deepEqual(await client.pullDiagnostics(uri), await client.pullDiagnostics(copy));

    const failures = client.logMessages.filter((m) => /failed|Cannot/i.test(m.message));
    assert.deepEqual(failures, [], 'no rule or lint run failed (they are logged, not fatal, but they are bugs)');
    assert.ok(client.alive);
    assert.equal(await client.shutdown(), 0);
  });
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});

test('$/cancelRequest for diagnostic requests does not break the connection', async () => {
  await withServer(async (client) => {
    await client.initialize();
    const uri = 'file:///nonexistent-workspace/Dockerfile';
    await client.didOpen(uri, SERVER_CORE);
    const big = 'file:///nonexistent-workspace/big.Dockerfile';
    await client.didOpen(big, randomDocument(seededRandom(3), 2000));

    const isCancelledOutcome = (outcome: Awaited<ReturnType<LspTestClient['pullDiagnosticsCancelled']>>): boolean =>
      outcome.result?.kind === 'full'
      || outcome.error?.code === -32800 /* RequestCancelled */ || outcome.error?.code === -32802 /* ServerCancelled */;

    // Cancelled right away, and while running on a large document: each request is still answered.
    for (const [target, after] of [[uri, 0], [big, 0], [big, 1], [uri, 5]] as const) {
      const outcome = await client.pullDiagnosticsCancelled(target, after);
      assert.ok(isCancelledOutcome(outcome), `unexpected outcome for a cancelled request: ${JSON.stringify(outcome)}`);
    }
    // A burst: every other request cancelled; all settle, the rest give full results.
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      (i % 2 === 0 ? client.pullDiagnosticsCancelled(i % 4 === 0 ? big : uri) : client.pullDiagnostics(uri).then((items) => ({ items })))));
    for (const [i, outcome] of burst.entries()) {
      if (i % 2 === 0) assert.ok(isCancelledOutcome(outcome as Awaited<ReturnType<LspTestClient['pullDiagnosticsCancelled']>>), JSON.stringify(outcome));
      else assert.deepEqual(codes((outcome as { items: Diagnostic[] }).items), ['privileged-user', 'base-image-unpinned-digest']);
    }
    // Cancelling an id that does not exist (or already finished) is harmless.
    await client.connection.sendNotification('$/cancelRequest', { id: 987654 });
    await client.connection.sendNotification('$/cancelRequest', { id: 'no-such-request' });

    assert.deepEqual(codes(await client.pullDiagnostics(uri)), ['privileged-user', 'base-image-unpinned-digest']);
    assert.ok(client.alive);
  });
});

test('requests before initialize and unknown methods are answered with errors, not a crash', async () => {
  const client = new LspTestClient();
  try {
    // Before initialize: answered one way or the other (the spec suggests ServerNotInitialized), never hanging.
    await client.request('textDocument/diagnostic', { textDocument: { uri: 'file:///x/Dockerfile' } }).catch(() => undefined);
    await client.initialize();
    await assert.rejects(client.request('containerGuard/noSuchMethod', {}), (error: { code?: number }) => error.code === -32601);
    await client.connection.sendNotification('containerGuard/noSuchNotification', {});
    // Malformed params for known notifications.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///never-opened/Dockerfile', version: 2 }, contentChanges: [{ text: 'FROM x' }] });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 2 }] });
    await client.didOpen('file:///x/Dockerfile', SERVER_CORE);
    assert.deepEqual(codes(await client.pullDiagnostics('file:///x/Dockerfile')), ['privileged-user', 'base-image-unpinned-digest']);
    assert.ok(client.alive);
  } finally {
    await client.dispose();
  }
});

test('a client without workspace.workspaceFolders capability that sends folders gets no error from `initialized`',
  async (t) => {
    const folder = tempDir(t);
    await withServer(async (client) => {
      const capabilities = pullClientCapabilities();
      delete capabilities.workspace!.workspaceFolders;
      await client.initialize({ capabilities, workspaceFolders: [folder] });
      const uri = fileUri(path.join(folder, 'Dockerfile'));
      await client.didOpen(uri, SERVER_CORE);
      await client.pullDiagnostics(uri);
      assert.deepEqual(client.logMessages.filter((m) => m.type === 1), [], 'no error-level log messages');
    });
  });

const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]', '',
].join('\n');

const ALIAS_BOMB_URI = 'file:///nonexistent-workspace/.container-guard.yaml';

test('push client: a team file the YAML library refuses (alias bomb), opened as a document, does not kill the server',
  async () => {
    await withServer(async (client) => {
      await client.initialize({ capabilities: pushClientCapabilities() });
      await client.didOpen(ALIAS_BOMB_URI, ALIAS_BOMB, 1, 'yaml');
      await delay(500);
      assert.ok(client.alive, `server died (exit ${String(client.exitCode)}): ${client.stderr.slice(0, 400)}`);
      const published = await client.waitForPublish(ALIAS_BOMB_URI);
      assert.ok(published.diagnostics.length > 0 && published.diagnostics.every((d) => d.severity === 1), JSON.stringify(published));
    });
  });

test('pull client: a team file the YAML library refuses (alias bomb), opened as a document, gets a diagnostic, not a failed request',
  async () => {
    await withServer(async (client) => {
      await client.initialize();
      await client.didOpen(ALIAS_BOMB_URI, ALIAS_BOMB, 1, 'yaml');
      const problems = await client.pullDiagnostics(ALIAS_BOMB_URI);
      assert.ok(problems.length > 0 && problems.every((p) => p.severity === 1), JSON.stringify(problems));
    });
  });

test('push client: an empty `ignore` glob in the settings does not kill the server',
  async (t) => {
    const folder = tempDir(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    await withServer(async (client) => {
      await client.initialize({ capabilities: pushClientCapabilities(), workspaceFolders: [folder], initializationOptions: { settings: { containerGuard: { ignore: [''] } } } });
      await client.didOpen(uri, SERVER_CORE);
      await delay(500);
      assert.ok(client.alive, `server died (exit ${String(client.exitCode)}): ${client.stderr.slice(0, 400)}`);
      const published = await client.waitForPublish(uri);
      assert.deepEqual(codes(published.diagnostics), ['privileged-user', 'base-image-unpinned-digest']);
    });
  });

test('pull client: an empty `ignore` glob in the settings does not make every diagnostic request fail',
  async (t) => {
    const folder = tempDir(t);
    const uri = fileUri(path.join(folder, 'Dockerfile'));
    await withServer(async (client) => {
      client.setSettings({ ignore: [''] });
      await client.initialize({ workspaceFolders: [folder] });
      await client.didOpen(uri, SERVER_CORE);
      assert.deepEqual(codes(await client.pullDiagnostics(uri)), ['privileged-user', 'base-image-unpinned-digest']);
    });
  });

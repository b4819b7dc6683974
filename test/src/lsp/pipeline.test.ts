// Pipeline YAML over a real stdio connection to the bundled server: workflows by their folder, an Azure
// template in eng/ by its content, YAML that is no pipeline (Kubernetes, compose, the team file) left
// alone, quick fixes (persist-credentials, the ignore comment), fix-all, and half-typed YAML mid-edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Command, Diagnostic, Range, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { fileUri, pullClientCapabilities, pushClientCapabilities, withServer, type LspTestClient } from './lspClient';
// The same documents the code-server e2e writes into its workspace.
import { AZURE_TEMPLATE, KUBERNETES, COMPOSE } from '../e2e/pipelineFixtures';

const FIX_ALL = 'source.fixAll.containerGuard';
const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

const WORKFLOW = [
  'name: build',
  'on:',
  '  issues:',
  '    types: [opened]',
  'jobs:',
  '  build:',
  '    runs-on: windows-2025',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - name: Greet',
  '        run: |',
  '          echo "Title: ${{ github.event.issue.title }}"',
  '      - run: echo "${{ github.event.issue.body }}"',
  '',
].join('\n');




function workspace(t: { after: (fn: () => void) => void }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-pipeline-')));
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
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 0, text), edits);
}

/** The rules these tests are about; rules added meanwhile (runner images…) have their own tests. */
const RULES = new Set(['pipeline-excessive-permissions', 'pipeline-persisted-credentials', 'pipeline-unpinned-action', 'pipeline-script-injection']);

/** `code line:char-line:char` per diagnostic of RULES, 0-based, in the server's order. */
function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => RULES.has(String(d.code))).map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
}

function lintedUris(client: LspTestClient): string[] {
  return client.logMessages.map((m) => /^Linting (\S+) version \d+$/.exec(m.message)?.[1]).filter((uri): uri is string => uri !== undefined);
}

test('a workflow (by its folder) gets unpinned-action, persisted-credentials and script-injection diagnostics with exact ranges, whatever its language id', async (t) => {
  const folder = workspace(t);
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    // `yaml` without a workflow extension; `github-actions-workflow` with GitHub's; `azure-pipelines` never for a workflow, but harmless.
    for (const languageId of ['yaml', 'github-actions-workflow']) {
      const uri = fileUri(path.join(folder, '.github', 'workflows', `build-${languageId}.yml`));
      await client.didOpen(uri, WORKFLOW, 1, languageId);
      const diagnostics = await client.pullDiagnostics(uri);
      assert.deepEqual(summary(diagnostics), [
        'pipeline-excessive-permissions 1:0-1:2',
        'pipeline-persisted-credentials 8:14-8:33',
        'pipeline-unpinned-action 8:14-8:33',
        'pipeline-script-injection 11:23-11:54',
        'pipeline-script-injection 12:19-12:49',
      ], languageId);
      const text = TextDocument.create(uri, languageId, 1, WORKFLOW);
      const unpinned = diagnostics.find((d) => d.code === 'pipeline-unpinned-action')!;
      const injection = diagnostics.find((d) => d.code === 'pipeline-script-injection')!;
      assert.equal(text.getText(unpinned.range), 'actions/checkout@v4');
      assert.equal(text.getText(injection.range), '${{ github.event.issue.title }}');
      assert.equal(injection.severity, 1);
      assert.equal(injection.source, 'container-guard');
      assert.match(String(injection.codeDescription?.href), /docs\/rules\/pipeline-script-injection\.md$/);
      assert.equal(unpinned.severity, 2);
      // No hover of ours on pipeline text (the editor shows the diagnostic's message itself).
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: injection.range.start }), null);
    }
  });
});

test('an Azure template in eng/templates/build.yml is recognised by its content; Kubernetes, compose and the team file are not linted', async (t) => {
  const folder = workspace(t);
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { logLints: true } });
    const template = fileUri(path.join(folder, 'eng', 'templates', 'build.yml'));
    await client.didOpen(template, AZURE_TEMPLATE, 1, 'yaml');
    assert.deepEqual(summary(await client.pullDiagnostics(template)), ['pipeline-script-injection 8:18-8:43']);
    const asAzure = fileUri(path.join(folder, 'eng', 'templates', 'steps.yaml'));
    await client.didOpen(asAzure, AZURE_TEMPLATE, 1, 'azure-pipelines');
    assert.deepEqual(summary(await client.pullDiagnostics(asAzure)), ['pipeline-script-injection 8:18-8:43']);
    assert.ok(lintedUris(client).includes(template), 'lints are logged (the check below means something)');

    const others = [
      { name: path.join('deploy', 'web.yaml'), text: KUBERNETES },
      { name: 'docker-compose.yml', text: COMPOSE },
      // The team file, even in a folder whose YAML is Azure Pipelines by path: its own diagnostics only.
      { name: path.join('.pipelines', '.container-guard.yaml'), text: 'ruleSet: strict\nrules:\n  pipeline-unpinned-action: error\n' },
      { name: path.join('eng', 'mkdocs.yml'), text: 'site_name: docs\nnav:\n  - Home: index.md\n' },
    ];
    for (const { name, text } of others) {
      const uri = fileUri(path.join(folder, name));
      await client.didOpen(uri, text, 1, 'yaml');
      assert.deepEqual(await client.pullDiagnostics(uri), [], name);
      const items = await client.codeActions(uri, WHOLE, [], undefined);
      assert.deepEqual(items, [], `${name}: no code actions`);
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } }), null, `${name}: no hover`);
      assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 0 } }), [], `${name}: no completion`);
      assert.ok(!lintedUris(client).includes(uri), `${name} was never linted`);
    }

    // The decision follows the content: a manifest edited into a template gets linted, and back.
    const k8s = fileUri(path.join(folder, 'deploy', 'web.yaml'));
    await client.replaceText(k8s, AZURE_TEMPLATE);
    assert.deepEqual(summary(await client.pullDiagnostics(k8s)), ['pipeline-script-injection 8:18-8:43']);
    await client.replaceText(k8s, KUBERNETES);
    assert.deepEqual(await client.pullDiagnostics(k8s), []);
  });
});

test('quick fixes in YAML: persist-credentials: false, and the ignore comment (above the run: of a block script) silences the finding; fix-all has nothing to do', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, '.github', 'workflows', 'build.yml'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(uri, WORKFLOW, 1, 'yaml');
    const diagnostics = await client.pullDiagnostics(uri);

    const persisted = diagnostics.find((d) => d.code === 'pipeline-persisted-credentials')!;
    const persistedActions = actionsOnly(await client.codeActions(uri, persisted.range, [persisted], ['quickfix']));
    assert.deepEqual(persistedActions.map((a) => a.title), [
      'Set `persist-credentials: false` (later `git push` in this job stops working)',
      'Ignore pipeline-persisted-credentials for this line',
    ]);
    assert.ok(persistedActions.every((a) => a.kind === 'quickfix'));
    const withFalse = apply(WORKFLOW, editsOf(persistedActions[0]!));
    assert.equal(withFalse, WORKFLOW.replace(
      '      - uses: actions/checkout@v4\n',
      '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n',
    ));
    await client.replaceText(uri, withFalse);
    assert.ok(!(await client.pullDiagnostics(uri)).some((d) => d.code === 'pipeline-persisted-credentials'), 'the fix removes its finding');
    await client.replaceText(uri, WORKFLOW);

    // The injection inside `run: |`: a comment there would be script text, so it goes above `run: |`.
    const injection = diagnostics.find((d) => d.code === 'pipeline-script-injection')!;
    const injectionActions = actionsOnly(await client.codeActions(uri, injection.range, [injection], ['quickfix']));
    assert.deepEqual(injectionActions.map((a) => a.title), ['Pass the value through env: ISSUE_TITLE', 'Ignore pipeline-script-injection for this value']);
    const ignored = apply(WORKFLOW, editsOf(injectionActions[1]!));
    assert.equal(ignored, WORKFLOW.replace('        run: |\n', '        # container-guard ignore=pipeline-script-injection\n        run: |\n'));
    await client.replaceText(uri, ignored);
    assert.deepEqual(summary(await client.pullDiagnostics(uri)), [
      'pipeline-excessive-permissions 1:0-1:2',
      'pipeline-persisted-credentials 8:14-8:33',
      'pipeline-unpinned-action 8:14-8:33',
      'pipeline-script-injection 13:19-13:49',
    ], 'only the block script is silenced');

    // The env quick fix moves the expression out of the script.
    await client.replaceText(uri, WORKFLOW);
    const envFixed = apply(WORKFLOW, editsOf(injectionActions[0]!));
    await client.replaceText(uri, envFixed);
    assert.ok(envFixed.includes('echo "Title: ${env:ISSUE_TITLE}"') && envFixed.includes('ISSUE_TITLE: ${{ github.event.issue.title }}'), envFixed);
    const afterEnv = await client.pullDiagnostics(uri);
    assert.equal(afterEnv.filter((d) => d.code === 'pipeline-script-injection').length, 1, summary(afterEnv).join('; '));

    // No pipeline fix is safe unattended: fix-all (what a save with codeActionsOnSave asks for) returns nothing, before and after.
    await client.replaceText(uri, WORKFLOW);
    const all = await client.pullDiagnostics(uri);
    assert.deepEqual(await client.codeActions(uri, WHOLE, all, [FIX_ALL]), []);
    assert.deepEqual(await client.codeActions(uri, WHOLE, all, ['source.fixAll']), []);
    await client.replaceText(uri, withFalse);
    assert.deepEqual(await client.codeActions(uri, WHOLE, await client.pullDiagnostics(uri), [FIX_ALL]), []);
  });
});

test('a workflow for a push-only client (Neovim 0.7): diagnostics are published; a compose file gets an empty list', async (t) => {
  const folder = workspace(t);
  const uri = fileUri(path.join(folder, '.github', 'workflows', 'build.yaml'));
  const compose = fileUri(path.join(folder, 'compose.yaml'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pushClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(uri, WORKFLOW, 1, 'yaml');
    await client.didOpen(compose, COMPOSE, 1, 'yaml');
    const published = await client.waitForPublish(uri, (p) => p.diagnostics.length > 0);
    assert.equal(published.diagnostics.filter((d) => d.code === 'pipeline-script-injection').length, 2);
    const composePublished = await client.waitForPublish(compose);
    assert.deepEqual(composePublished.diagnostics, []);
  });
});

test('half-typed YAML mid-edit (incremental changes, one character at a time): no crash, every range inside the document', async (t) => {
  const folder = workspace(t);
  const files = [
    { uri: fileUri(path.join(folder, '.github', 'workflows', 'typed.yml')), text: WORKFLOW },
    { uri: fileUri(path.join(folder, 'eng', 'templates', 'typed.yml')), text: AZURE_TEMPLATE },
  ];
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    for (const { uri, text } of files) {
      await client.didOpen(uri, '', 1, 'yaml');
      let local = TextDocument.create(uri, 'yaml', 1, '');
      const check = async (label: string): Promise<Diagnostic[]> => {
        const diagnostics = await client.pullDiagnostics(uri);
        for (const d of diagnostics) {
          const clamped = { start: local.positionAt(local.offsetAt(d.range.start)), end: local.positionAt(local.offsetAt(d.range.end)) };
          assert.deepEqual(d.range, clamped, `${label}: ${String(d.code)} ${JSON.stringify(d.range)} lies outside the ${local.lineCount}-line document`);
        }
        return diagnostics;
      };
      // Typing the whole file, one character per change (indentation, `${{`, `: |` and all).
      for (let i = 0; i < text.length; i++) {
        const position = local.positionAt(i);
        const range = { start: position, end: position };
        const version = await client.didChange(uri, [{ range, text: text[i]! }]);
        local = TextDocument.create(uri, 'yaml', version, TextDocument.applyEdits(local, [{ range, newText: text[i]! }]));
        // Every third keystroke is pulled (the others are overtaken, as in the editor).
        if (i % 3 === 0 || i === text.length - 1) await check(`after ${i + 1} characters of ${uri}`);
      }
      assert.equal(local.getText(), text);
      assert.ok((await check('complete')).some((d) => d.code === 'pipeline-script-injection'), `${uri}: the complete file has its findings`);
      // Deleting lines from the middle up, and an unclosed flow sequence and quote.
      for (const [start, end, insert] of [[3, 6, ''], [1, 2, 'on: [push\n'], [0, 1, 'x: "unclosed\n'], [0, 40, '  - :\n\t- ]']] as const) {
        const range = { start: { line: start, character: 0 }, end: { line: end, character: 0 } };
        const version = await client.didChange(uri, [{ range, text: insert }]);
        local = TextDocument.create(uri, 'yaml', version, TextDocument.applyEdits(local, [{ range: { start: local.positionAt(local.offsetAt(range.start)), end: local.positionAt(local.offsetAt(range.end)) }, newText: insert }]));
        await check(`after replacing lines ${start}-${end}`);
        await client.codeActions(uri, WHOLE, [], undefined);
      }
    }
    assert.ok(client.alive, `the server is alive (stderr: ${client.stderr.slice(-500)})`);
  });
});

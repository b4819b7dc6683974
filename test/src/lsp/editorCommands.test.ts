// The server side of the editor's commands (server/src/lsp/editorProtocol.ts) over a real stdio
// connection: lint and fix files that are not open, status, and the team file's last valid settings
// staying in force while it has a YAML error. Plus the client's pure helpers and the manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient, REPO_ROOT, fileUri, withServer } from './lspClient';
import * as serverProtocol from '../../../server/out/lsp/editorProtocol';
import * as clientProtocol from '../../../client/out/protocol';
import { WORKSPACE_TRUST_NOTIFICATION } from '../../../server/out/lsp/protocol';
import { RULE_IDS, RULES_BY_ID } from '../../../server/out/engine/rules/index';
import { parseTeamConfig } from '../../../server/out/engine/teamConfig';
import { gitignoreGlobs, WORKSPACE_INCLUDE, excludeGlob } from '../../../client/out/workspaceFiles';
import { teamFileText } from '../../../client/out/teamFileText';
import { ruleDocCommandUri, ruleIdOfDocLink } from '../../../client/out/ruleLinks';
import { tempDir, writeFile as write } from './tempFiles';

const RETIRED = 'FROM microsoft/windowsservercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n';
const WORKFLOW = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-22.04\n    steps:\n      - uses: actions/checkout@v4\n';
const K8S = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n';

interface LintFilesResult { files: Array<{ uri: string; kind: string; diagnostics: Diagnostic[]; fixable: number }>; skipped: Array<{ uri: string; reason: string }> }

test('client and server agree on the custom request names', () => {
  for (const name of ['LINT_FILES_REQUEST', 'FIX_ALL_FILES_REQUEST', 'PIN_DIGESTS_REQUEST', 'VERIFY_IMAGES_REQUEST', 'STATUS_REQUEST', 'STATUS_CHANGED_NOTIFICATION'] as const) {
    assert.equal((clientProtocol as Record<string, unknown>)[name], (serverProtocol as Record<string, unknown>)[name], name);
  }
  assert.equal(clientProtocol.WORKSPACE_TRUST_NOTIFICATION, WORKSPACE_TRUST_NOTIFICATION);
});

test('lintFiles: closed files by the server\'s kinds (path, then content); other YAML and ignored files are skipped', async (t) => {
  const dir = tempDir(t, 'cg-editor-');
  const dockerfile = write(dir, 'app/Dockerfile', RETIRED);
  const workflow = write(dir, '.github/workflows/ci.yml', WORKFLOW);
  const template = write(dir, 'eng/build.yml', 'steps:\n  - script: echo $(Build.SourceBranchName)\n');
  const k8s = write(dir, 'deploy/web.yaml', K8S);
  const ignored = write(dir, 'legacy/Dockerfile', RETIRED);
  write(dir, '.container-guard.yaml', 'ignore: ["legacy/**"]\n');
  await withServer(async (client) => {
    await client.initialize({ workspaceFolders: [dir] });
    client.setSettings({});
    const result = await client.request<LintFilesResult>(serverProtocol.LINT_FILES_REQUEST, { uris: [dockerfile, workflow, template, k8s, ignored].map(fileUri) }, 15_000);
    const kinds = Object.fromEntries(result.files.map((f) => [path.relative(dir, new URL(f.uri).pathname), f.kind]));
    assert.deepEqual(kinds, { 'app/Dockerfile': 'dockerfile', '.github/workflows/ci.yml': 'pipeline', 'eng/build.yml': 'pipeline' });
    const docker = result.files.find((f) => f.uri === fileUri(dockerfile))!;
    assert.ok(docker.diagnostics.some((d) => d.code === 'deprecated-image-name'), JSON.stringify(docker.diagnostics.map((d) => d.code)));
    assert.ok(docker.fixable >= 1);
    assert.deepEqual(result.skipped.map((s) => [path.relative(dir, new URL(s.uri).pathname), s.reason]).sort(), [
      ['deploy/web.yaml', 'not a Dockerfile, nuget.config or pipeline'],
      ['legacy/Dockerfile', 'ignored by the ignore setting'],
    ]);
  });
});

test('fixAllFiles: one edit with the fix-all fixes of closed files (version null) and open ones (their version)', async (t) => {
  const dir = tempDir(t, 'cg-editor-');
  const closed = write(dir, 'a/Dockerfile', RETIRED);
  const open = write(dir, 'b/Dockerfile', RETIRED);
  const clean = write(dir, 'c/Dockerfile', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\n');
  await withServer(async (client) => {
    await client.initialize({ workspaceFolders: [dir] });
    client.setSettings({});
    await client.didOpen(fileUri(open), RETIRED, 3);
    const result = await client.request<{ edit: { documentChanges: TextDocumentEdit[] }; files: number }>(serverProtocol.FIX_ALL_FILES_REQUEST, { uris: [closed, open, clean].map(fileUri) }, 15_000);
    assert.equal(result.files, 2);
    const byUri = new Map(result.edit.documentChanges.map((c) => [c.textDocument.uri, c]));
    assert.equal(byUri.get(fileUri(closed))!.textDocument.version, null);
    assert.equal(byUri.get(fileUri(open))!.textDocument.version, 3);
    for (const change of byUri.values()) {
      const fixed = TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'dockerfile', 0, RETIRED), change.edits);
      assert.equal(fixed, RETIRED.replace('microsoft/windowsservercore', 'mcr.microsoft.com/windows/servercore'));
    }
    // Fix-all never switches the user: no USER line inserted.
    assert.ok(!JSON.stringify(result.edit).includes('USER'));
  });
});

test('pinDigests and verifyImages refuse without lookups, and in an untrusted workspace contact nothing', async (t) => {
  const dir = tempDir(t, 'cg-editor-');
  const dockerfile = write(dir, 'Dockerfile', 'FROM 127.0.0.1:9/app:1.0\n');
  for (const trusted of [true, false]) {
    await withServer(async (client) => {
      await client.initialize({ workspaceFolders: [dir], initializationOptions: { trusted } });
      client.setSettings({ registry: { lookups: !trusted } });
      const pin = await client.request<{ refused?: string; pinned: number }>(serverProtocol.PIN_DIGESTS_REQUEST, { uris: [fileUri(dockerfile)] }, 15_000);
      const verify = await client.request<{ refused?: string; images: unknown[] }>(serverProtocol.VERIFY_IMAGES_REQUEST, { uris: [fileUri(dockerfile)] }, 15_000);
      assert.match(pin.refused ?? '', trusted ? /lookups are off/ : /not trusted/);
      assert.equal(pin.pinned, 0);
      assert.equal(verify.refused, pin.refused);
      assert.deepEqual(verify.images, []);
    });
  }
});

test('status: rule set, team file and lookups of a folder and of a document', async (t) => {
  const dir = tempDir(t, 'cg-editor-');
  const team = write(dir, '.container-guard.yaml', 'ruleSet: strict\n');
  const dockerfile = write(dir, 'Dockerfile', RETIRED);
  await withServer(async (client) => {
    await client.initialize({ workspaceFolders: [dir], initializationOptions: { trusted: false } });
    client.setSettings({ registry: { lookups: true } });
    const folder = await client.request<serverProtocol.StatusResult>(serverProtocol.STATUS_REQUEST, { uri: fileUri(dir) });
    assert.deepEqual({ ruleSet: folder.ruleSet, teamFile: folder.teamFile, trusted: folder.trusted, lookups: folder.lookups, kind: folder.kind },
      { ruleSet: 'strict', teamFile: team, trusted: false, lookups: true, kind: null });
    await client.didOpen(fileUri(dockerfile), RETIRED);
    const document = await client.request<serverProtocol.StatusResult>(serverProtocol.STATUS_REQUEST, { uri: fileUri(dockerfile) });
    assert.equal(document.kind, 'dockerfile');
    assert.equal(document.teamFile, team);
  });
});

test('a team file with a YAML error: reported in place, its last valid settings stay in force, logged as a warning', async (t) => {
  const dir = tempDir(t, 'cg-editor-');
  const team = write(dir, '.container-guard.yaml', 'rules:\n  deprecated-image-name: off\n');
  const dockerfile = write(dir, 'Dockerfile', RETIRED);
  const client = new LspTestClient();
  try {
    await client.initialize({ workspaceFolders: [dir] });
    client.setSettings({});
    await client.didOpen(fileUri(dockerfile), RETIRED);
    const before = await client.pullDiagnostics(fileUri(dockerfile));
    assert.ok(!before.some((d) => d.code === 'deprecated-image-name'), 'the team file turns the rule off');

    const broken = 'rules:\n  deprecated-image-name: [off\n';
    fs.writeFileSync(team, broken);
    await client.didChangeWatchedFiles([{ uri: fileUri(team), type: 2 }]);
    const during = await client.pullDiagnostics(fileUri(dockerfile));
    assert.ok(!during.some((d) => d.code === 'deprecated-image-name'), 'the previous team settings stay in force, not the defaults');
    const status = await client.request<serverProtocol.StatusResult>(serverProtocol.STATUS_REQUEST, { uri: fileUri(dockerfile) });
    assert.equal(status.teamFileStale, true);
    assert.ok(client.logMessages.some((m) => m.type === 2 && /last valid version stay in force/.test(m.message)), JSON.stringify(client.logMessages));
    assert.ok(!client.logMessages.some((m) => m.type === 1), 'no errors logged');

    await client.didOpen(fileUri(team), broken, 1, 'yaml');
    const inPlace = await client.pullDiagnostics(fileUri(team));
    assert.equal(inPlace.length, 1);
    assert.match(inPlace[0]!.message, /^YAML: .*The settings of the last valid version stay in force until this is fixed\.$/);

    fs.writeFileSync(team, 'ruleSet: recommended\n');
    await client.didChangeWatchedFiles([{ uri: fileUri(team), type: 2 }]);
    const after = await client.pullDiagnostics(fileUri(dockerfile));
    assert.ok(after.some((d) => d.code === 'deprecated-image-name'), 'the fixed file applies');
  } finally {
    await client.dispose();
  }
});

test('gitignore globs: anchored and unanchored patterns, folders, comments and negations', () => {
  assert.deepEqual(gitignoreGlobs('# c\n\nbuild/\n/out\nnode_modules\n!keep.yml\ndocs/gen/*.yml\n'), [
    '**/build/**', 'out/**', 'out', '**/node_modules/**', '**/node_modules', 'docs/gen/*.yml/**', 'docs/gen/*.yml',
  ]);
  const exclude = picomatch(excludeGlob(gitignoreGlobs('build/\n/out\n'), ['legacy/**']).replace(/^\{|\}$/g, '').split(','), { dot: true });
  for (const file of ['build/Dockerfile', 'a/build/x/Dockerfile', 'out/Dockerfile', 'legacy/Dockerfile', 'x/node_modules/y/action.yml', '.git/config.yml']) assert.ok(exclude(file), file);
  for (const file of ['src/out/Dockerfile', 'Dockerfile', '.github/workflows/ci.yml']) assert.ok(!exclude(file), file);
  // findFiles reads `{a,b}` as alternatives; picomatch is given the list.
  const include = picomatch(WORKSPACE_INCLUDE.replace(/^\{|\}$/g, '').split(','), { dot: true });
  for (const file of ['Dockerfile', 'a/b.Dockerfile', 'x/NuGet.Config', '.github/workflows/ci.yml', 'eng/build.yaml', 'Containerfile']) assert.ok(include(file), file);
  assert.ok(!include('README.md'));
});

test('the team file made from settings reads back as the same settings', () => {
  const settings = { ruleSet: 'strict', rules: { 'privileged-user': 'error', 'base-image-latest': 'off' }, ignore: ['legacy/**', '*.tmp'], honourHadolintPragmas: false, windowsHost: 'ltsc2022', isolation: 'hyperv', trustedRegistries: ['contoso.azurecr.io', '*.pkg.dev'], requireSignedPackages: false };
  const parsed = parseTeamConfig(teamFileText(settings), [...RULE_IDS]);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.layer, settings);
  const defaults = parseTeamConfig(teamFileText({ windowsHost: null }), [...RULE_IDS]);
  assert.deepEqual(defaults.problems, []);
  assert.equal(defaults.layer.windowsHost, undefined);
});

test('rule links: docs/rules/<id>.md becomes a command URI of containerGuard.openRuleDoc', () => {
  assert.equal(ruleIdOfDocLink(fileUri(path.join(REPO_ROOT, 'docs', 'rules', 'privileged-user.md'))), 'privileged-user');
  assert.equal(ruleIdOfDocLink('https://example.com/x.md'), null);
  assert.equal(ruleDocCommandUri('privileged-user'), 'command:containerGuard.openRuleDoc?%5B%22privileged-user%22%5D');
});

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

test('manifest: containerGuard.rules offers exactly the rule ids (client/manifest.mjs is up to date)', () => {
  const rules = manifest.contributes.configuration.properties['containerGuard.rules'];
  assert.deepEqual(Object.keys(rules.properties).sort(), [...RULE_IDS].sort());
  assert.deepEqual([...rules.propertyNames.enum].sort(), [...RULE_IDS].sort());
  // Titles are not compared: a reworded title only makes the settings tooltip a little stale until the
  // next `node client/manifest.mjs`; a missing or extra id is what breaks completion.
  for (const [id, schema] of Object.entries(rules.properties as Record<string, { description: string; enum: string[] }>)) {
    assert.ok(RULES_BY_ID.has(id) && schema.description.length > 0, id);
    assert.deepEqual(schema.enum, ['off', 'hint', 'info', 'warning', 'error']);
  }
});

test('manifest: fix-all code action kind, settings order, windowsHost without "null", commands in the palette', () => {
  const contributes = manifest.contributes;
  assert.deepEqual(contributes.codeActions[0].actions.map((a: { kind: string }) => a.kind), ['source.fixAll.containerGuard']);
  for (const language of ['dockerfile', 'xml', 'yaml']) assert.ok(contributes.codeActions[0].languages.includes(language), language);
  const properties = contributes.configuration.properties as Record<string, { order?: number; enum?: unknown[]; enumItemLabels?: string[]; default?: unknown }>;
  const ordered = Object.entries(properties).filter(([, p]) => p.order !== undefined).sort(([, a], [, b]) => a.order! - b.order!).map(([key]) => key);
  assert.deepEqual(ordered.slice(0, 4), ['containerGuard.ruleSet', 'containerGuard.rules', 'containerGuard.windowsHost', 'containerGuard.trustedRegistries']);
  assert.equal(ordered.length, Object.keys(properties).length, 'every setting has an order');
  const host = properties['containerGuard.windowsHost']!;
  assert.ok(!host.enum!.includes(null));
  assert.equal(host.enumItemLabels![host.enum!.indexOf(host.default)], 'Not set');
  const titles = contributes.commands.map((c: { command: string }) => c.command);
  for (const command of ['containerGuard.lintWorkspace', 'containerGuard.fixAllInWorkspace', 'containerGuard.pinAllDigests', 'containerGuard.verifyImageSignatures', 'containerGuard.toggleRegistryLookups', 'containerGuard.openRuleDoc', 'containerGuard.createTeamFile']) {
    assert.ok(titles.includes(command), command);
  }
});

// "Pin to digest" and "Pin to commit" on pipeline YAML over a real stdio connection to the bundled server:
// images resolved by Debian's docker-registry, `uses:` refs by `git http-backend` serving a repository the
// test makes (lightweight and annotated tags, branches), both on 127.0.0.1. Applied one at a time as a
// user would, the fixes keep comments and formatting, leave no pinning finding that a lookup could fix,
// and offer nothing more (a second application changes nothing). Lookups off, offline or an untrusted
// workspace: no fix and nothing reaches either server. The workspace command pins closed pipelines too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Command, Diagnostic, Range, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { fileUri, pullClientCapabilities, withServer, type LspTestClient } from './lspClient';
import * as serverProtocol from '../../../server/out/lsp/editorProtocol';
import { pushWindowsImage, startRegistry, type RegistryFixture } from '../../../server/out/registry/registryFixture';
import { makeActionRepository, startGitServer, type ActionRepository } from '../../../server/out/registry/gitFixture';
import { startServer, type TestServer } from '../../../server/out/registry/testServers';
import { tempDir } from './tempFiles';

const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } };
const PIN_RULES = new Set(['pipeline-image-without-digest', 'pipeline-unpinned-action']);

function editsOf(action: CodeAction): TextEdit[] {
  const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
  return (change?.edits ?? action.edit?.changes?.[Object.keys(action.edit.changes)[0]!] ?? []) as TextEdit[];
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 0, text), edits);
}

const pinActions = (items: Array<CodeAction | Command>): CodeAction[] =>
  items.filter((item): item is CodeAction => 'edit' in item && /^Pin to (digest|commit)/.test(item.title));

async function pinDiagnostics(client: LspTestClient, uri: string): Promise<Diagnostic[]> {
  return (await client.pullDiagnostics(uri)).filter((d) => PIN_RULES.has(String(d.code)));
}

interface Servers {
  registry: RegistryFixture;
  git: TestServer;
  repo: ActionRepository;
  digest: string;
}

async function servers(t: { after: (fn: () => unknown) => void }): Promise<Servers> {
  const registry = await startRegistry();
  t.after(() => registry.close());
  const { digest } = await pushWindowsImage(registry, 'ci/tools', '1.0');
  const gitRoot = tempDir(t, 'cg-pin-git-');
  const repo = makeActionRepository(gitRoot, 'octo', 'setup-thing');
  const git = await startGitServer(gitRoot);
  t.after(() => git.close());
  return { registry, git, repo, digest };
}

const workflow = (host: string): string => [
  'name: build',
  'on: push',
  'permissions: {}',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  `    container: ${host}/ci/tools:1.0   # the build image`,
  '    services:',
  '      db:',
  `        image: '${host}/ci/tools:1.0'`,
  '    steps:',
  '      - uses: octo/setup-thing@v2 # setup',
  '      - uses: octo/setup-thing/sub@main',
  '      - uses: "octo/setup-thing@v1"',
  '      - uses: octo/setup-thing@no-such-ref',
  '',
].join('\n');

test('Pin to digest and Pin to commit on a workflow: applied one by one, comments kept, idempotent', async (t) => {
  const { registry, git, repo, digest } = await servers(t);
  const folder = tempDir(t, 'cg-pin-lsp-');
  const uri = fileUri(path.join(folder, '.github', 'workflows', 'build.yml'));
  await withServer(async (client) => {
    client.setSettings({ registry: { lookups: true, gitHubUrl: git.url } });
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted: true, hoverBudgetMs: 10_000 } });
    let text = workflow(registry.host);
    let version = 1;
    await client.didOpen(uri, text, version, 'github-actions-workflow');
    const diagnostics = await pinDiagnostics(client, uri);
    assert.equal(diagnostics.length, 6, JSON.stringify(diagnostics));
    const actions = pinActions(await client.codeActions(uri, WHOLE, diagnostics));
    const short = (sha: string) => sha.slice(0, 12);
    assert.deepEqual(actions.map((a) => a.title).sort(), [
      `Pin to commit ${short(repo.commits.one!)} (tag v1)`,
      `Pin to commit ${short(repo.commits.three!)} (branch main: its current head, the branch will move on)`,
      `Pin to commit ${short(repo.commits.two!)} (tag v2)`,
      `Pin to digest ${digest.slice(0, 19)}…`,
      `Pin to digest ${digest.slice(0, 19)}…`,
    ].sort());
    // Each action is tied to its diagnostic (VS Code shows it under that problem).
    for (const action of actions) assert.equal(action.diagnostics?.length, 1, action.title);

    // Apply one at a time, as a user would; each request after an edit answers from the cache.
    for (let round = 0; round < 10; round++) {
      const next = pinActions(await client.codeActions(uri, WHOLE, await pinDiagnostics(client, uri)))[0];
      if (!next) break;
      text = apply(text, editsOf(next));
      await client.replaceText(uri, text);
      version++;
    }
    assert.equal(text, [
      'name: build',
      'on: push',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      `    container: ${registry.host}/ci/tools:1.0@${digest}   # the build image`,
      '    services:',
      '      db:',
      `        image: '${registry.host}/ci/tools:1.0@${digest}'`,
      '    steps:',
      `      - uses: octo/setup-thing@${repo.commits.two} # v2 # setup`,
      `      - uses: octo/setup-thing/sub@${repo.commits.three} # main`,
      `      - uses: "octo/setup-thing@${repo.commits.one}" # v1`,
      '      - uses: octo/setup-thing@no-such-ref',
      '',
    ].join('\n'));
    // Only the ref that does not exist is still reported, and nothing is offered for it.
    const left = await pinDiagnostics(client, uri);
    assert.deepEqual(left.map((d) => `${String(d.code)} ${d.range.start.line}`), ['pipeline-unpinned-action 14']);
    assert.deepEqual(pinActions(await client.codeActions(uri, WHOLE, left)), []);
    // One advertisement per ref (v2, main, v1, no-such-ref), however many code-action requests came.
    assert.equal(git.requests.length, 4, git.requests.join('\n'));
    assert.ok(git.requests.every((r) => r === 'GET /octo/setup-thing.git/info/refs?service=git-upload-pack'));
    assert.ok(client.logMessages.some((m) => /Looking up octo\/setup-thing@no-such-ref at .* failed: not-found: .*"no-such-ref" is neither a tag nor a branch/.test(m.message)));
  });
});

test('lookups off, offline, or an untrusted workspace: no pin fix, and neither server is contacted', async (t) => {
  const { git } = await servers(t);
  // The images name a server that records every request (and would answer none usefully).
  const imageHost = await startServer((_request, response) => { response.writeHead(404).end(); });
  t.after(() => imageHost.close());
  const folder = tempDir(t, 'cg-pin-lsp-off-');
  const cases: Array<{ name: string; settings: unknown; trusted: boolean }> = [
    { name: 'lookups off', settings: { registry: { gitHubUrl: git.url } }, trusted: true },
    { name: 'offline', settings: { registry: { lookups: true, offline: true, gitHubUrl: git.url } }, trusted: true },
    { name: 'untrusted', settings: { registry: { lookups: true, gitHubUrl: git.url } }, trusted: false },
  ];
  for (const { name, settings, trusted } of cases) {
    const uri = fileUri(path.join(folder, '.github', 'workflows', `${name.replace(/\W/g, '-')}.yml`));
    await withServer(async (client) => {
      client.setSettings(settings);
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted, hoverBudgetMs: 2_000 } });
      await client.didOpen(uri, workflow(imageHost.host), 1, 'yaml');
      const diagnostics = await pinDiagnostics(client, uri);
      assert.equal(diagnostics.length, 6, name);
      for (let i = 0; i < 3; i++) assert.deepEqual(pinActions(await client.codeActions(uri, WHOLE, diagnostics)), [], name);
    });
  }
  assert.deepEqual(git.requests, []);
  assert.deepEqual(imageHost.requests, []);
});

test('containerGuard/pinDigests pins the reported images of closed pipelines (GitLab, Azure) in one edit; offline, it lists them as not pinned', async (t) => {
  const { registry, digest } = await servers(t);
  const folder = tempDir(t, 'cg-pin-workspace-');
  const write = (relative: string, text: string): string => {
    const file = path.join(folder, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  // The `legacy` job's image is suppressed in the file: not pinned, as the quick fix would not be offered.
  const legacy = `legacy:\n  script: [make]\n  image: ${registry.host}/ci/tools:1.0 # container-guard ignore=pipeline-image-without-digest\n`;
  const gitlab = write('.gitlab-ci.yml', `image: ${registry.host}/ci/tools:1.0 # default\ntest:\n  script: [make]\n  services:\n    - name: "${registry.host}/ci/tools:1.0"\n${legacy}`);
  const azure = write('azure-pipelines.yml', `resources:\n  containers:\n    - container: tools\n      image: ${registry.host}/ci/tools:1.0\njobs:\n  - job: a\n    pool: { vmImage: ubuntu-22.04 }\n    container: tools\n    steps: [{ script: make }]\n`);
  await withServer(async (client) => {
    client.setSettings({ registry: { lookups: true } });
    await client.initialize({ workspaceFolders: [folder], initializationOptions: { trusted: true } });
    const pin = await client.request<{ edit: { documentChanges: TextDocumentEdit[] }; pinned: number; notPinned: Array<{ reference: string; reason: string }>; refused?: string }>(
      serverProtocol.PIN_DIGESTS_REQUEST, { uris: [gitlab, azure].map(fileUri) }, 30_000);
    assert.equal(pin.refused, undefined);
    assert.equal(pin.pinned, 3);
    assert.deepEqual(pin.notPinned, []);
    const pinnedText = (file: string): string => apply(fs.readFileSync(file, 'utf8'), pin.edit.documentChanges.find((c) => c.textDocument.uri === fileUri(file))!.edits);
    assert.equal(pinnedText(gitlab), `image: ${registry.host}/ci/tools:1.0@${digest} # default\ntest:\n  script: [make]\n  services:\n    - name: "${registry.host}/ci/tools:1.0@${digest}"\n${legacy}`);
    assert.ok(pinnedText(azure).includes(`      image: ${registry.host}/ci/tools:1.0@${digest}\n`));
    assert.deepEqual(pin.edit.documentChanges.map((c) => c.textDocument.version), [null, null]);

    client.setSettings({ registry: { lookups: true, offline: true } });
    await client.didChangeConfiguration();
    const offline = await client.request<{ pinned: number; notPinned: Array<{ reference: string; reason: string }> }>(serverProtocol.PIN_DIGESTS_REQUEST, { uris: [gitlab].map(fileUri) }, 30_000);
    assert.equal(offline.pinned, 0);
    assert.deepEqual(offline.notPinned.map((n) => n.reason), Array(2).fill('Registry lookups are offline (containerGuard.registry.offline): pipeline pins are written from live answers only.'));
  });
});

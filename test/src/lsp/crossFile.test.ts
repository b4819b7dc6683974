// pipeline-cross-file-ltsc in the language server: a workflow job that builds a Dockerfile of the workspace
// is checked against that Dockerfile's Windows release, read from the workspace folder — and nothing is
// read in an untrusted workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, pullClientCapabilities, pushClientCapabilities, withServer } from './lspClient';

const WORKFLOW = 'on: push\njobs:\n  image:\n    runs-on: windows-2025\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build -f docker/Dockerfile -t app .\n';

function workspace(t: { after: (fn: () => void) => void }): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-crossfile-')));
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  fs.mkdirSync(path.join(folder, '.git'));
  fs.mkdirSync(path.join(folder, 'docker'));
  fs.mkdirSync(path.join(folder, '.github', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'docker', 'Dockerfile'), 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n');
  fs.writeFileSync(path.join(folder, '.github', 'workflows', 'build.yml'), WORKFLOW);
  return folder;
}

for (const trusted of [true, false]) {
  test(`a windows-2025 job building an ltsc2022 Dockerfile of the workspace: ${trusted ? 'reported on the runner label' : 'untrusted workspace, nothing read, nothing reported'}`, async (t) => {
    const folder = workspace(t);
    const uri = fileUri(path.join(folder, '.github', 'workflows', 'build.yml'));
    await withServer(async (client) => {
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted } });
      await client.didOpen(uri, WORKFLOW, 1, 'yaml');
      const diagnostics = (await client.pullDiagnostics(uri)).filter((d) => d.code === 'pipeline-cross-file-ltsc');
      if (!trusted) {
        assert.deepEqual(diagnostics, []);
        return;
      }
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      // `runs-on: windows-2025`: the label's range on line 3.
      assert.deepEqual(diagnostics[0]!.range, { start: { line: 3, character: 13 }, end: { line: 3, character: 25 } });
      assert.match(diagnostics[0]!.message, /20348|ltsc2022/);
      assert.match(diagnostics[0]!.message, /26100|2025/);
    });
  });
}

// Re-linting an open pipeline when the Dockerfile it builds changes in the editor (lsp/relatedDocuments.ts):
// the pipeline document is never touched; its diagnostic follows the open Dockerfile's FROM, and the
// file on disk again once the Dockerfile is closed.
const WORKFLOW_2022 = WORKFLOW.replace('windows-2025', 'windows-2022');
const FROM_2019 = 'FROM mcr.microsoft.com/windows/servercore:ltsc2019\nCMD ["app.exe"]\n';
const FROM_2022 = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n';

test('pull client: the workflow diagnostic appears and disappears as the open Dockerfile moves ltsc2022 → ltsc2019 → ltsc2022 (refresh, no pipeline edit)', async (t) => {
  const folder = workspace(t);
  const workflow = fileUri(path.join(folder, '.github', 'workflows', 'build.yml'));
  const dockerfile = fileUri(path.join(folder, 'docker', 'Dockerfile'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    await client.didOpen(workflow, WORKFLOW_2022, 1, 'yaml');
    const ltsc = async () => (await client.pullDiagnostics(workflow)).filter((d) => d.code === 'pipeline-cross-file-ltsc');
    assert.deepEqual(await ltsc(), [], 'windows-2022 builds ltsc2022: same build');
    let refreshes = client.refreshCount;
    await client.didOpen(dockerfile, FROM_2019, 1, 'dockerfile');
    await client.waitForRefresh(refreshes);
    const found = await ltsc();
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.deepEqual(found[0]!.range, { start: { line: 3, character: 13 }, end: { line: 3, character: 25 } });
    assert.match(found[0]!.message, /17763/);
    refreshes = client.refreshCount;
    await client.replaceText(dockerfile, FROM_2022);
    await client.waitForRefresh(refreshes);
    assert.deepEqual(await ltsc(), []);
    // Edited back to ltsc2019 and closed unsaved: the disk (ltsc2022) counts again.
    refreshes = client.refreshCount;
    await client.replaceText(dockerfile, FROM_2019);
    await client.waitForRefresh(refreshes);
    assert.equal((await ltsc()).length, 1);
    refreshes = client.refreshCount;
    await client.didClose(dockerfile);
    await client.waitForRefresh(refreshes);
    assert.deepEqual(await ltsc(), []);
    assert.equal(client.version(workflow), 1, 'the workflow was never edited');
  });
});

test('push client: the workflow diagnostics are published again when the open Dockerfile changes', async (t) => {
  const folder = workspace(t);
  const workflow = fileUri(path.join(folder, '.github', 'workflows', 'build.yml'));
  const dockerfile = fileUri(path.join(folder, 'docker', 'Dockerfile'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pushClientCapabilities(), workspaceFolders: [folder] });
    const hasLtsc = (params: { diagnostics: Array<{ code?: unknown }> }) => params.diagnostics.some((d) => d.code === 'pipeline-cross-file-ltsc');
    await client.didOpen(workflow, WORKFLOW_2022, 1, 'yaml');
    await client.waitForPublish(workflow);
    assert.ok(!client.publishedFor(workflow).some(hasLtsc));
    let since = client.publishedDiagnostics.length;
    await client.didOpen(dockerfile, FROM_2019, 1, 'dockerfile');
    await client.waitForPublish(workflow, hasLtsc, { since });
    since = client.publishedDiagnostics.length;
    await client.replaceText(dockerfile, FROM_2022);
    await client.waitForPublish(workflow, (params) => !hasLtsc(params), { since });
  });
});

test('Lint Workspace (containerGuard/lintFiles) reads the Dockerfile a workflow builds, as the editor holds it', async (t) => {
  const folder = workspace(t);
  const workflow = fileUri(path.join(folder, '.github', 'workflows', 'build.yml'));
  const dockerfile = fileUri(path.join(folder, 'docker', 'Dockerfile'));
  await withServer(async (client) => {
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder] });
    const lintFiles = async () => (await client.request<{ files: Array<{ uri: string; diagnostics: Array<{ code?: unknown }> }> }>('containerGuard/lintFiles', { uris: [workflow] }))
      .files.flatMap((file) => file.diagnostics).filter((d) => d.code === 'pipeline-cross-file-ltsc');
    // On disk: build.yml runs on windows-2025 and builds ltsc2022.
    assert.equal((await lintFiles()).length, 1);
    await client.didOpen(dockerfile, 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n', 1, 'dockerfile');
    assert.equal((await lintFiles()).length, 0);
  });
});

// A file a GitLab pipeline includes with `local:` is a GitLab file whatever its name (DocumentKind.includedFiles).
for (const trusted of [true, false]) {
  test(`a YAML file .gitlab-ci.yml includes with local: is linted as GitLab CI: ${trusted ? 'its job image is reported' : 'untrusted workspace: nothing read, so nothing recognised'}`, async (t) => {
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-gitlab-include-')));
    t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
    fs.mkdirSync(path.join(folder, '.git'));
    fs.mkdirSync(path.join(folder, '.gitlab'));
    fs.writeFileSync(path.join(folder, '.gitlab-ci.yml'), "include:\n  - local: '/.gitlab/Windows-CI.yml'\n");
    const included = 'win:\n  tags: [windows]\n  image: mcr.microsoft.com/windows/servercore:ltsc2022\n  script:\n    - Write-Host hi\n';
    fs.writeFileSync(path.join(folder, '.gitlab', 'Windows-CI.yml'), included);
    const uri = fileUri(path.join(folder, '.gitlab', 'Windows-CI.yml'));
    await withServer(async (client) => {
      await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions: { trusted } });
      await client.didOpen(uri, included, 1, 'yaml');
      const codes = (await client.pullDiagnostics(uri)).map((d) => d.code);
      if (trusted) assert.ok(codes.includes('pipeline-image-without-digest'), JSON.stringify(codes));
      else assert.deepEqual(codes, []);
    });
  });
}

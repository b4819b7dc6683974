// pipeline-cross-file-ltsc in the language server: a workflow job that builds a Dockerfile of the workspace
// is checked against that Dockerfile's Windows release, read from the workspace folder — and nothing is
// read in an untrusted workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, pullClientCapabilities, withServer } from './lspClient';

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

// Neovim 0.7.2 headless as a second real LSP client of the bundled server: runs test/nvim/lsp-check.lua
// (push diagnostics, quick fix, applying it, fix-all, shutdown) and asserts it exits 0.
// Neovim is required, not optional: CI installs it (scripts/system-deps.sh), so a missing nvim fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');
const LUA_SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'lsp-check.lua');
const NUGET_LUA_SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'nuget-check.lua');
const PIPELINE_LUA_SCRIPT = path.join(REPO_ROOT, 'test', 'nvim', 'pipeline-check.lua');
const WORKFLOW = [
  'name: build',
  'on:',
  '  issues:',
  '    types: [opened]',
  'jobs:',
  '  build:',
  '    runs-on: windows-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - name: Greet',
  '        run: |',
  '          echo "Title: ${{ github.event.issue.title }}"',
  '',
].join('\n');
const COMPOSE = 'services:\n  web:\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n';
const DOCKERFILE = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi\nCMD ["app.exe"]\n';
const NUGET_CONFIG = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<configuration>',
  '  <packageSources>',
  '    <add key="nuget.org" value="http://api.nuget.org/v3/index.json" />',
  '  </packageSources>',
  '</configuration>',
  '',
].join('\n');
const RUN_TIMEOUT_MS = 30_000;

function nvimVersion(): string {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) {
    assert.fail(`Neovim (nvim) is required for this test but could not be run (${result.error.message}). `
      + 'Install it with `scripts/system-deps.sh` or `apt-get install -y neovim` (Debian 12 ships 0.7.2).');
  }
  const first = result.stdout.split('\n')[0] ?? '';
  const match = /^NVIM v(\d+)\.(\d+)\.(\d+)/.exec(first);
  assert.ok(match, `unexpected \`nvim --version\` output: ${first}`);
  assert.ok(Number(match[1]) > 0 || Number(match[2]) >= 7, `Neovim ≥ 0.7 required, found ${first}`);
  return first;
}

interface NvimRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lspLog: string;
  timedOut: boolean;
  ms: number;
}

/** Runs a check script (lsp-check.lua by default) in headless Neovim on a fresh file with private XDG directories. */
async function runLspCheck(env: Record<string, string>, file: { name: string; text: string; script: string; others?: Record<string, string> } = { name: 'Dockerfile', text: DOCKERFILE, script: LUA_SCRIPT }): Promise<NvimRun> {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-nvim-')));
  try {
    const workspace = path.join(home, 'workspace');
    fs.mkdirSync(workspace);
    // The file given to Neovim (`name` may have folders, e.g. .github/workflows/build.yml), and others beside it.
    for (const [name, text] of [[file.name, file.text] as const, ...Object.entries(file.others ?? {})]) {
      fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      fs.writeFileSync(path.join(workspace, name), text);
    }
    const dockerfile = path.join(workspace, file.name);
    const xdg: Record<string, string> = {};
    for (const name of ['CONFIG', 'DATA', 'STATE', 'CACHE']) {
      xdg[`XDG_${name}_HOME`] = path.join(home, name.toLowerCase());
      fs.mkdirSync(xdg[`XDG_${name}_HOME`]!);
    }
    const escaped = file.script.replace(/([ \\%#|"])/g, '\\$1');
    const started = Date.now();
    // Own process group, so a hung run can be killed together with the server Neovim started.
    const child = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${escaped}`, dockerfile], {
      cwd: workspace,
      env: { ...process.env, ...xdg, CG_SERVER_BUNDLE: SERVER_BUNDLE, CG_NODE: process.execPath, CG_TIMEOUT_MS: '10000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, RUN_TIMEOUT_MS);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    }).finally(() => clearTimeout(timer));
    const logFile = path.join(xdg.XDG_CACHE_HOME!, 'nvim', 'lsp.log');
    const lspLog = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    return { code, signal, stdout, stderr, lspLog, timedOut, ms: Date.now() - started };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function explain(run: NvimRun): string {
  return [
    `exit code ${String(run.code)}, signal ${String(run.signal)}${run.timedOut ? `, killed after ${RUN_TIMEOUT_MS} ms` : ''}, ${run.ms} ms`,
    `--- stdout ---\n${run.stdout}`,
    `--- stderr ---\n${run.stderr}`,
    `--- lsp.log (tail) ---\n${run.lspLog.slice(-3000)}`,
  ].join('\n');
}

function assertPassed(run: NvimRun): void {
  assert.equal(run.code, 0, explain(run));
  assert.match(run.stdout, /lsp-check: OK/, explain(run));
}

test('Neovim and the bundled server are present', () => {
  nvimVersion();
  assert.ok(fs.existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run \`npm run build\` first`);
  assert.ok(fs.existsSync(LUA_SCRIPT), `${LUA_SCRIPT} is missing`);
});

test('Neovim (push diagnostics, default capabilities): privileged-user warning, quick fix applies (never fix-all), fix-all empty, clean shutdown', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  nvimVersion();
  const run = await runLspCheck({ CG_SETTINGS_VIA: '', CG_EXPECT_SEVERITY: '2' });
  assertPassed(run);
  assert.match(run.stdout, /diagnostics \[.*privileged-user\/2@0:5.*\]/);
  assert.match(run.stdout, /diagnostics \[.*base-image-unpinned-digest\/3@0:42.*\]/);
});

test('Neovim with workspace.configuration advertised: settings answered from `settings` raise privileged-user to Error', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  nvimVersion();
  assertPassed(await runLspCheck({ CG_SETTINGS_VIA: 'configuration', CG_EXPECT_SEVERITY: '1' }));
});

test('Neovim sending settings in workspace/didChangeConfiguration (on_init): privileged-user becomes Error', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  nvimVersion();
  assertPassed(await runLspCheck({ CG_SETTINGS_VIA: 'didChangeConfiguration', CG_EXPECT_SEVERITY: '1' }));
});

test('Neovim on nuget.config (filetype xml): http source underlined, hover, fix-all applied and then empty, clean shutdown', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  nvimVersion();
  const run = await runLspCheck({}, { name: 'nuget.config', text: NUGET_CONFIG, script: NUGET_LUA_SCRIPT });
  assert.equal(run.code, 0, explain(run));
  assert.match(run.stdout, /nuget-check: OK/, explain(run));
  assert.match(run.stdout, /diagnostics \[.*nuget-http-source@3:32.*\]/);
  assert.match(run.stdout, /after fix-all \[(?!.*nuget-http-source).*nuget-sources-not-cleared.*\]/);
});

test('Neovim on a workflow (server attached to yaml buffers): pipeline diagnostics, persist-credentials quick fix, fix-all empty, a compose file gets none', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  nvimVersion();
  const run = await runLspCheck({}, { name: path.join('.github', 'workflows', 'build.yml'), text: WORKFLOW, script: PIPELINE_LUA_SCRIPT, others: { 'docker-compose.yml': COMPOSE } });
  assert.equal(run.code, 0, explain(run));
  assert.match(run.stdout, /pipeline-check: OK/, explain(run));
  assert.match(run.stdout, /diagnostics \[.*pipeline-script-injection\/1@11:23-11:54.*pipeline-unpinned-action\/2@8:14-8:33.*\]/);
  assert.match(run.stdout, /after quick fix \[(?!.*pipeline-persisted-credentials).*pipeline-unpinned-action.*\]/);
  assert.match(run.stdout, /docker-compose\.yml \[\]/);
});

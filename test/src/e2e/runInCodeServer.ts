/**
 * End-to-end driver: runs the e2e suite (./suite/index.ts) inside a REAL VS Code extension host,
 * offline, with code-server 4.100.3 (npm) driven by Debian's Chromium through playwright-core.
 * Recipe: docs editor-testing.md §7.
 *
 *   node test/out/e2e/runInCodeServer.js [options]
 *
 * Options (each also settable through the environment variable in brackets):
 *   --skip-install        do not run scripts/system-deps.sh and scripts/install-code-server.sh
 *                         [CONTAINER_GUARD_E2E_SKIP_INSTALL=1]. By default both run; they are no-ops
 *                         (≈0.1 s) once everything is installed, so a fresh machine needs no flag.
 *   --extension <dir>     extension under test (extensionDevelopmentPath), default: repository root
 *                         [CONTAINER_GUARD_E2E_EXTENSION]
 *   --examples <dir>      folder copied into the temporary workspace, default: <repo>/examples
 *                         [CONTAINER_GUARD_E2E_EXAMPLES]
 *   --timeout <seconds>   limit for the test phase (code-server start → suite exit), default 240
 *                         [CONTAINER_GUARD_E2E_TIMEOUT]. The one-off install has its own limit.
 *   --keep                keep the temporary folder (workspace, logs) for debugging
 *                         [CONTAINER_GUARD_E2E_KEEP=1]
 *   --verbose             always print the code-server and browser logs, not only on failure
 *   --untrusted           run the untrusted-workspace scenarios instead: workspace trust on, the folder
 *                         not trusted, registry lookups switched on in the user settings; the run fails
 *                         when the test registry (docker-registry behind a counting proxy) got any request
 *                         [CONTAINER_GUARD_E2E_MODE=untrusted]
 *
 * Screenshots for the README: with CONTAINER_GUARD_E2E_DOCS_SCREENSHOTS=<dir> (`npm run screenshots`),
 * the PNGs of UI requests named `docs-<name>` are also copied to <dir>/<name>.png.
 *
 * code-server is found in ${CONTAINER_GUARD_CACHE:-~/.cache/container-guard}/code-server-4.100.3.
 *
 * Screenshots: the suite asks for them by writing `# ui-request {"name", "choose"?}` to its log; the driver
 * saves a PNG of the page and the Problems panel's text under ${CONTAINER_GUARD_E2E_SCREENSHOTS:-/tmp/container-guard-e2e}/<name>.png/.txt, and answers in
 * <tmp>/ui/<name>.json, which the suite waits for; with `choose`, it then picks that entry of the open
 * code action menu (lightbulb) with the keyboard.
 *
 * Output: the suite's log (`ok - …` / `not ok - …` lines), then a last line exactly
 * `e2e: N passed, M failed`. Exit code: the suite's (0 = all passed). A harness failure (install,
 * start-up, timeout) before or while the suite runs counts as one failed test and exits 1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writePipelineFixtures } from './pipelineFixtures';
import { startRegistry, type RegistryFixture } from '../../../server/out/registry/registryFixture';

const CODE_SERVER_VERSION = '4.100.3';
const CHROMIUM_PATH = '/usr/bin/chromium';
/** Environment variable through which the suite (in the extension host) learns where to write its log. */
const SUITE_LOG_ENV = 'CONTAINER_GUARD_E2E_LOG';
/** Environment variable naming the folder where the driver answers the suite's UI requests (screenshots). */
const UI_DIR_ENV = 'CONTAINER_GUARD_E2E_UI_DIR';
/** Where screenshots are kept after the run (the temporary folder is removed). */
const SCREENSHOT_DIR = process.env.CONTAINER_GUARD_E2E_SCREENSHOTS ?? path.join(os.tmpdir(), 'container-guard-e2e');
/** Where `docs-<name>` screenshots are copied for the README (npm run screenshots); unset: nowhere. */
const DOCS_SCREENSHOT_DIR = process.env.CONTAINER_GUARD_E2E_DOCS_SCREENSHOTS;
/** Environment variables through which the suite learns the mode and the test registry. */
const MODE_ENV = 'CONTAINER_GUARD_E2E_MODE';
const REGISTRY_ENV = 'CONTAINER_GUARD_E2E_REGISTRY';
/** How long the one-off installs (apt + code-server build, ≈1–2 min cold) may take. */
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;

/** test/out/e2e/runInCodeServer.js → repository root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface Options {
  skipInstall: boolean;
  extensionPath: string;
  examplesPath: string;
  timeoutMs: number;
  keep: boolean;
  verbose: boolean;
  untrusted: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const env = process.env;
  const options: Options = {
    skipInstall: env.CONTAINER_GUARD_E2E_SKIP_INSTALL === '1',
    extensionPath: env.CONTAINER_GUARD_E2E_EXTENSION ?? repoRoot,
    examplesPath: env.CONTAINER_GUARD_E2E_EXAMPLES ?? path.join(repoRoot, 'examples'),
    timeoutMs: Number(env.CONTAINER_GUARD_E2E_TIMEOUT ?? 240) * 1000,
    keep: env.CONTAINER_GUARD_E2E_KEEP === '1',
    verbose: false,
    untrusted: env[MODE_ENV] === 'untrusted',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value after ${arg}`);
      return v;
    };
    switch (arg) {
      case '--skip-install': options.skipInstall = true; break;
      case '--extension': options.extensionPath = value(); break;
      case '--examples': options.examplesPath = value(); break;
      case '--timeout': options.timeoutMs = Number(value()) * 1000; break;
      case '--keep': options.keep = true; break;
      case '--verbose': options.verbose = true; break;
      case '--untrusted': options.untrusted = true; break;
      default: throw new Error(`unknown argument: ${arg}`);
    }
  }
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new Error('--timeout must be a positive number');
  options.extensionPath = path.resolve(options.extensionPath);
  options.examplesPath = path.resolve(options.examplesPath);
  return options;
}

function codeServerEntry(): string {
  const cache = process.env.CONTAINER_GUARD_CACHE ?? path.join(os.homedir(), '.cache', 'container-guard');
  return path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function log(message: string): void {
  console.log(`e2e-driver: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: everything we start is killed, by process group and by descendant tree,
// whatever way the run ends (success, failure, timeout, Ctrl-C).
// ---------------------------------------------------------------------------------------------

interface ProcessInfo {
  ppid: number;
  pgid: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, identifies a process (pids are reused). */
  started: string;
}

/** Parent pid, process group and state of every process, from /proc (Linux). */
function processTable(): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Format (proc(5)): "pid (comm) state ppid pgrp … starttime(22nd) …"; comm may contain
      // spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), {
        state: fields[0] ?? '',
        ppid: Number(fields[1]),
        pgid: Number(fields[2]),
        started: fields[19] ?? '',
      });
    } catch {
      // The process exited while we were reading.
    }
  }
  return table;
}

function descendantsOf(rootPid: number, table: Map<number, ProcessInfo>): number[] {
  const result: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, { ppid }] of table) {
      if (ppid === parent && !result.includes(pid)) {
        result.push(pid);
        queue.push(pid);
      }
    }
  }
  return result;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: already gone.
  }
}

/**
 * Every process ever seen below the driver (code-server, its extension host and language server,
 * Chromium started by playwright-core, …), and the process groups they lead (code-server and
 * Chromium are spawned detached, i.e. in groups of their own). Remembered, and refreshed
 * periodically, because a process re-parented to init after its parent died is no longer a
 * descendant; it stays in its group, though, which is how late children are still found.
 */
const trackedPids = new Map<number, string>(); // pid → start time
const trackedGroups = new Set<number>();
/** Resolve when the log files of started processes are fully written. */
const logFlushes: Promise<void>[] = [];

/** Tracks new descendants; returns the live (non-zombie) processes that are ours. */
function refreshTracked(): number[] {
  const table = processTable();
  for (const pid of descendantsOf(process.pid, table)) {
    const info = table.get(pid)!;
    trackedPids.set(pid, info.started);
    // A group led by one of our processes (not the driver's own group).
    if (info.pgid === pid) trackedGroups.add(pid);
  }
  const alive: number[] = [];
  for (const [pid, info] of table) {
    if (pid === process.pid || info.state === 'Z') continue;
    if (trackedPids.get(pid) === info.started || trackedGroups.has(info.pgid)) {
      trackedPids.set(pid, info.started);
      alive.push(pid);
    }
  }
  return alive;
}

/** Signals every group and process of ours; returns how many processes were alive. */
function signalAll(sig: NodeJS.Signals): number {
  const alive = refreshTracked();
  for (const pgid of trackedGroups) signal(-pgid, sig);
  for (const pid of alive) signal(pid, sig);
  return alive.length;
}

/** SIGTERM, up to 5 s grace, then SIGKILL until nothing of ours is left (or give up after 5 s). */
async function killAll(): Promise<void> {
  const graceEnd = Date.now() + 5000;
  // Re-signal while waiting: a process may still be spawned during shutdown (e.g. an extension host).
  while (signalAll('SIGTERM') > 0 && Date.now() < graceEnd) await sleep(200);
  const killEnd = Date.now() + 5000;
  while (signalAll('SIGKILL') > 0 && Date.now() < killEnd) await sleep(100);
  const leftovers = refreshTracked();
  if (leftovers.length > 0) log(`warning: processes still alive after SIGKILL: ${leftovers.join(' ')}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects after `ms` with `message`; `clear()` cancels the timer. */
function deadline(ms: number, message: string): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

function runInstallScripts(): void {
  for (const script of ['system-deps.sh', 'install-code-server.sh']) {
    const started = Date.now();
    const result = spawnSync('bash', [path.join(repoRoot, 'scripts', script)], {
      stdio: 'inherit',
      timeout: INSTALL_TIMEOUT_MS,
    });
    if (result.error) throw new Error(`scripts/${script}: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`scripts/${script} exited with ${result.status ?? result.signal}`);
    log(`scripts/${script} ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

function checkExtension(extensionPath: string): void {
  const manifestPath = path.join(extensionPath, 'package.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`no extension manifest at ${manifestPath}`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { main?: string };
  if (manifest.main !== undefined) {
    const main = path.resolve(extensionPath, manifest.main);
    if (!fs.existsSync(main) && !fs.existsSync(`${main}.js`)) {
      throw new Error(`extension main ${main} does not exist (run \`npm run build\` first)`);
    }
  }
}

/** Copies the examples into `<tmp>/workspace` and enables fix-all on save there. */
function prepareWorkspace(examplesPath: string, workspace: string, registryHost: string | undefined): void {
  if (!fs.statSync(examplesPath, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`examples folder ${examplesPath} not found`);
  }
  fs.cpSync(examplesPath, workspace, { recursive: true });
  // Pipeline YAML: a workflow, an Azure template in eng/, and YAML that is no pipeline.
  writePipelineFixtures(workspace);
  const settingsPath = path.join(workspace, '.vscode', 'settings.json');
  let settings: Record<string, unknown> = {};
  if (fs.existsSync(settingsPath)) settings = JSON.parse(fs.readFileSync(settingsPath, 'utf8')) as Record<string, unknown>;
  settings['editor.codeActionsOnSave'] = { 'source.fixAll.containerGuard': 'explicit' };
  // A tag-only image in the test registry: what a lookup, a pin or a verification would contact.
  if (registryHost) {
    fs.mkdirSync(path.join(workspace, 'registry-app'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'registry-app', 'Dockerfile'), `FROM ${registryHost}/app:1.0\nUSER ContainerUser\n`);
  }
  fs.mkdirSync(path.dirname(settingsPath), { recursive: true });
  fs.writeFileSync(settingsPath, `${JSON.stringify(settings, null, 2)}\n`);
}

/** User settings that keep the offline workbench quiet (no gallery, update or welcome traffic). */
function writeUserSettings(userDataDir: string, untrusted: boolean): void {
  const trust = untrusted
    ? {
      // The folder opens in Restricted Mode without the trust dialog; lookups are on at the user level
      // (which an untrusted workspace cannot restrict), so only the extension's own checks keep it offline.
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
      'containerGuard.registry.lookups': true,
      'containerGuard.registry.signatureDiagnostics': true,
    }
    : {};
  const settings = {
    ...trust,
    'workbench.startupEditor': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.enableExperiments': false,
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

interface CodeServer {
  process: ChildProcess;
  port: number;
  /** Rejects if code-server exits before the driver stops it. */
  exited: Promise<never>;
}

async function startCodeServer(tmp: string, workspace: string, env: NodeJS.ProcessEnv, logFile: string, untrusted: boolean): Promise<CodeServer> {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) throw new Error(`code-server not installed at ${entry} (run scripts/install-code-server.sh)`);
  const configPath = path.join(tmp, 'code-server.yaml');
  fs.writeFileSync(configPath, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const userDataDir = path.join(tmp, 'user-data');
  writeUserSettings(userDataDir, untrusted);
  const args = [
    entry,
    '--auth', 'none',
    // Port 0: the OS picks a free port, read back from the "HTTP server listening" line (no race).
    '--bind-addr', '127.0.0.1:0',
    '--config', configPath,
    '--user-data-dir', userDataDir,
    '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    workspace,
  ];
  const out = fs.createWriteStream(logFile, { flags: 'a' });
  // detached: own process group, so the extension host and language server (its children) can be
  // killed together with it.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start code-server');
  child.on('close', () => out.end());
  logFlushes.push(new Promise<void>((resolve) => out.on('close', resolve)));

  const exited = new Promise<never>((_, reject) => {
    child.on('exit', (code, sig) => reject(new Error(`code-server exited (${code ?? sig}); see its output`)));
  });
  exited.catch(() => undefined); // only meaningful while raced; avoid an unhandled rejection later

  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    let found = false;
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${SERVER_START_TIMEOUT_MS / 1000} s`)), SERVER_START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      out.write(chunk);
      if (found) return;
      buffer += chunk.toString('utf8');
      const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
      if (match) {
        found = true;
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.catch((error: unknown) => { clearTimeout(timer); reject(error); });
  });
  return { process: child, port, exited };
}

/** vscode-remote URI for a server-side path, so extension and tests run in the Node extension host. */
function remoteUri(port: number, fsPath: string): string {
  return `vscode-remote://127.0.0.1:${port}${fsPath.split('/').map(encodeURIComponent).join('/')}`;
}

interface AutomationLog {
  relativePath: string;
  contents: string;
}

interface UiRequest {
  name: string;
  /** Text of a code action widget (lightbulb menu) entry to choose after the screenshot. */
  choose?: string;
  /** CSS selector to move the mouse over before the screenshot (e.g. the language status). */
  hover?: string;
  /** CSS selector to click before the screenshot (the first visible match). */
  click?: string;
  /** CSS selector whose text is returned (after the hover or click). */
  text?: string;
}

/** The visible text of the Problems panel (empty when it is closed). */
async function problemsPanelText(page: Page): Promise<string> {
  return page.evaluate("(document.querySelector('.markers-panel') && document.querySelector('.markers-panel').innerText) || ''");
}

/** Screenshot (and Problems text), then the click asked for; the reply lets the suite go on. */
async function answerUiRequest(page: Page, request: UiRequest, uiDir: string): Promise<void> {
  const name = request.name.replace(/[^\w.-]/g, '_');
  const reply: Record<string, unknown> = { name };
  try {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const screenshot = path.join(SCREENSHOT_DIR, `${name}.png`);
    if (request.hover) {
      await page.locator(request.hover).first().hover({ timeout: 5_000 });
      await page.waitForTimeout(1_500);
    }
    if (request.click) {
      const target = page.locator(request.click).first();
      try {
        await target.click({ timeout: 5_000 });
        reply.clicked = 'pointer';
      } catch {
        // Something (a hover, a toast) covers the element for the pointer: the element's own click handler
        // is what is being tested, so the click event is sent to it directly.
        await target.dispatchEvent('click');
        reply.clicked = 'event';
      }
      await page.waitForTimeout(1_500);
    }
    if (request.text) reply.text = await page.locator(request.text).first().innerText({ timeout: 5_000 });
    await page.screenshot({ path: screenshot });
    if (DOCS_SCREENSHOT_DIR && name.startsWith('docs-')) {
      fs.mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
      fs.copyFileSync(screenshot, path.join(DOCS_SCREENSHOT_DIR, `${name.slice('docs-'.length)}.png`));
    }
    const problems = await problemsPanelText(page);
    fs.writeFileSync(path.join(SCREENSHOT_DIR, `${name}.txt`), problems);
    Object.assign(reply, { screenshot, problems });
    if (request.choose) {
      // The code action widget (lightbulb menu): a pointer-blocking overlay covers it for synthetic clicks,
      // so the entry is chosen as a keyboard user does — arrows to the entry, Enter ("Enter to Apply").
      for (let step = 0; step < 12 && !reply.chosen; step++) {
        const label = await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label', { timeout: 5_000 });
        if (label?.includes(request.choose)) {
          await page.keyboard.press('Enter');
          reply.chosen = label;
        } else {
          await page.keyboard.press('ArrowDown');
        }
      }
      if (!reply.chosen) throw new Error(`no entry "${request.choose}" in the code action menu`);
    }
  } catch (error) {
    reply.error = error instanceof Error ? error.message : String(error);
  }
  log(`ui request ${name}: ${reply.error ? `failed (${String(reply.error)})` : `screenshot ${String(reply.screenshot)}${reply.chosen ? `, chose "${String(reply.chosen)}"` : ''}`}`);
  const file = path.join(uiDir, `${name}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(reply));
  fs.renameSync(`${file}.tmp`, file);
}

/** Watches the suite log for `# ui-request {…}` lines and answers them one at a time. */
function serveUiRequests(page: Page, suiteLog: string, uiDir: string): () => void {
  let handled = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const lines = fs.existsSync(suiteLog) ? fs.readFileSync(suiteLog, 'utf8').split('\n') : [];
    const requests = lines.filter((line) => line.startsWith('# ui-request '));
    if (requests.length <= handled) return;
    const line = requests[handled++]!;
    busy = true;
    let request: UiRequest;
    try {
      request = JSON.parse(line.slice('# ui-request '.length)) as UiRequest;
    } catch {
      busy = false;
      return;
    }
    void answerUiRequest(page, request, uiDir).finally(() => { busy = false; });
  }, 200);
  return () => clearInterval(timer);
}

async function runSuite(browser: Browser, port: number, options: Options, workspace: string, consoleLines: string[], suiteLog: string, uiDir: string): Promise<{ code: number; logs: AutomationLog[] }> {
  const page = await browser.newPage();
  // Workbench log calls reach both the console (as "%c INFO …") and codeAutomationLog: keep the
  // latter only, plus plain console output (resource errors, page errors).
  page.on('console', (message) => {
    if (!message.text().startsWith('%c')) consoleLines.push(`[${message.type()}] ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));

  let resolveExit!: (value: { code: number; logs: AutomationLog[] }) => void;
  const exit = new Promise<{ code: number; logs: AutomationLog[] }>((resolve) => { resolveExit = resolve; });
  // The web workbench calls these (VS Code's own browser integration tests use the same hooks):
  // codeAutomationExit when the test extension host is done, with the suite's result as exit code.
  await page.exposeFunction('codeAutomationLog', (level: unknown, args: unknown) => {
    consoleLines.push(`[automation ${String(level)}] ${Array.isArray(args) ? args.map(String).join(' ') : String(args)}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
    resolveExit({ code: typeof code === 'number' ? code : 1, logs: Array.isArray(logs) ? (logs as AutomationLog[]) : [] });
  });

  const suitePath = path.join(__dirname, 'suite', 'index.js');
  const payload = [
    ['extensionDevelopmentPath', remoteUri(port, options.extensionPath)],
    ['extensionTestsPath', remoteUri(port, suitePath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(remoteUri(port, workspace))}`
    + `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  log(`opening the workbench: folder ${workspace}, extension ${options.extensionPath}, tests ${suitePath}`);
  const stopServing = serveUiRequests(page, suiteLog, uiDir);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return exit.finally(stopServing);
}

/**
 * Server-side extension host logs: remoteexthost.log (activation errors, exceptions) and output
 * channels of extensions (e.g. the language client's), minus the noise of built-in git extensions.
 */
function extensionHostLogs(logsDir: string): string[] {
  if (!fs.existsSync(logsDir)) return [];
  return (fs.readdirSync(logsDir, { recursive: true, encoding: 'utf8' }))
    .filter((relative) => /(^|\/)exthost\d*\//.test(relative) && relative.endsWith('.log'))
    .filter((relative) => !/vscode\.git|vscode\.github|Telemetry/.test(relative))
    .map((relative) => path.join(logsDir, relative))
    .filter((file) => fs.statSync(file).size > 0)
    .sort();
}

function countResults(lines: readonly string[]): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const line of lines) {
    if (/^ok - /.test(line)) passed++;
    else if (/^not ok - /.test(line)) failed++;
  }
  return { passed, failed };
}

function printSection(title: string, text: string, maxLines = 200): void {
  const lines = text.replace(/\s+$/, '').split('\n');
  const shown = lines.length > maxLines ? [`… (${lines.length - maxLines} earlier lines omitted)`, ...lines.slice(-maxLines)] : lines;
  console.log(`----- ${title} -----`);
  console.log(shown.join('\n'));
  console.log(`----- end of ${title} -----`);
}

interface CountingRegistry {
  host: string;
  /** Every request that reached the registry: `METHOD url`. */
  requests: string[];
  close(): Promise<void>;
}

/** Debian's docker-registry behind a proxy that records every request (the registry's access log). */
async function startCountingRegistry(): Promise<CountingRegistry> {
  const registry: RegistryFixture = await startRegistry();
  const requests: string[] = [];
  const target = new URL(registry.url);
  const proxy = http.createServer((request, response) => {
    requests.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
    const forwarded = http.request({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => { response.writeHead(502); response.end(); });
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await registry.close();
    },
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  const suiteLog = path.join(tmp, 'suite.log');
  const serverLog = path.join(tmp, 'code-server.log');
  const uiDir = path.join(tmp, 'ui');
  const consoleLines: string[] = [];
  let browser: Browser | undefined;
  let registry: CountingRegistry | undefined;
  let exitCode = 1;
  let harnessError: unknown;
  const started = Date.now();

  // Ctrl-C / CI cancellation: clean up, then exit.
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    log(`received ${sig}, cleaning up`);
    void killAll().finally(() => {
      if (!options.keep) fs.rmSync(tmp, { recursive: true, force: true });
      console.log('e2e: 0 passed, 1 failed');
      process.exit(128 + os.constants.signals[sig]);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  setInterval(() => refreshTracked(), 2000).unref();

  try {
    if (options.skipInstall) log('skipping install scripts');
    else runInstallScripts();
    checkExtension(options.extensionPath);
    if (options.untrusted) {
      registry = await startCountingRegistry();
      log(`test registry (docker-registry behind a counting proxy) on ${registry.host}`);
    }
    prepareWorkspace(options.examplesPath, workspace, registry?.host);
    fs.writeFileSync(suiteLog, '');
    fs.mkdirSync(uiDir, { recursive: true });

    // Overall limit for everything from here on.
    const limit = deadline(options.timeoutMs, `timed out after ${options.timeoutMs / 1000} s`);
    // Last resort if even cleanup hangs: kill synchronously and exit.
    const hardStop = setTimeout(() => {
      log('hard timeout: killing everything');
      signalAll('SIGKILL');
      console.log('e2e: 0 passed, 1 failed');
      process.exit(1);
    }, options.timeoutMs + 60_000);
    hardStop.unref();

    const env: NodeJS.ProcessEnv = { ...process.env };
    // Variables of an enclosing VS Code (e.g. when run from its terminal) would redirect the CLI.
    for (const key of Object.keys(env)) if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
    // code-server logs under $XDG_DATA_HOME/code-server and Chromium writes under
    // $XDG_CONFIG_HOME/chromium even with explicit user-data dirs: keep both in the temp folder.
    Object.assign(env, {
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
      // Inherited by the extension host, where the suite appends its result lines.
      [SUITE_LOG_ENV]: suiteLog,
      [MODE_ENV]: options.untrusted ? 'untrusted' : 'trusted',
      ...(registry ? { [REGISTRY_ENV]: registry.host } : {}),
      [UI_DIR_ENV]: uiDir,
    });

    try {
      const server = await Promise.race([startCodeServer(tmp, workspace, env, serverLog, options.untrusted), limit.promise]);
      log(`code-server listening on 127.0.0.1:${server.port} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

      browser = await Promise.race([
        chromium.launch({
          executablePath: CHROMIUM_PATH,
          headless: true,
          // Playwright gives the browser a fresh, empty profile (--user-data-dir in a temp folder it
          // removes on close); it rejects a --user-data-dir in `args`.
          chromiumSandbox: false, // running as root in CI
          // Our own signal handlers clean up everything (Playwright's would exit before they run).
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
          env,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }),
        limit.promise,
      ]);
      refreshTracked(); // Chromium's process group

      const disconnected = new Promise<never>((_, reject) => {
        browser!.on('disconnected', () => reject(new Error('the browser exited')));
      });
      disconnected.catch(() => undefined);

      const result = await Promise.race([
        runSuite(browser, server.port, options, workspace, consoleLines, suiteLog, uiDir),
        server.exited,
        disconnected,
        limit.promise,
      ]);
      exitCode = result.code;
      log(`suite finished with exit code ${exitCode} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (options.verbose) {
        for (const entry of result.logs) printSection(`workbench log ${entry.relativePath}`, entry.contents, 40);
      }
    } finally {
      limit.clear();
    }
  } catch (error) {
    harnessError = error;
    exitCode = 1;
  } finally {
    if (browser) await Promise.race([browser.close().catch(() => undefined), sleep(10_000)]);
    await killAll();
    await Promise.race([Promise.all(logFlushes), sleep(2000)]);
    if (registry) await Promise.race([registry.close().catch(() => undefined), sleep(5000)]);
  }
  // Untrusted workspace: not one request may have reached the registry, whatever the suite did.
  const registryCheck: string[] = [];
  if (registry) {
    if (registry.requests.length === 0) registryCheck.push(`ok - untrusted workspace: the test registry's access log is empty (0 requests)`);
    else registryCheck.push(`not ok - untrusted workspace: the test registry got ${registry.requests.length} requests`, ...registry.requests.slice(0, 20).map((r) => `#   ${r}`));
  }

  const suiteLines = [...(fs.existsSync(suiteLog) ? fs.readFileSync(suiteLog, 'utf8').split('\n').filter((l) => l.length > 0) : []), ...registryCheck];
  if (harnessError !== undefined || exitCode !== 0 || options.verbose) {
    if (fs.existsSync(serverLog)) printSection('code-server output', fs.readFileSync(serverLog, 'utf8'), 80);
    if (consoleLines.length > 0) printSection('browser console', consoleLines.join('\n'), 120);
    for (const file of extensionHostLogs(path.join(tmp, 'user-data', 'logs'))) {
      printSection(path.relative(tmp, file), fs.readFileSync(file, 'utf8'), 80);
    }
  }
  printSection('extension host test log', suiteLines.join('\n') || '(empty: the suite did not run)');
  if (harnessError !== undefined) {
    log(`harness error: ${harnessError instanceof Error ? harnessError.message : String(harnessError)}`);
  }

  let { passed, failed } = countResults(suiteLines);
  // A failed run must never read as "0 failed": count an unexplained failure as one. A run that
  // reported no result at all is a failure too (the suite did not run, or its log went elsewhere).
  if (passed + failed === 0 && exitCode === 0) log('the suite reported no results');
  if ((exitCode !== 0 || passed + failed === 0) && failed === 0) failed = 1;
  if (options.keep) log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return exitCode === 0 && failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    signalAll('SIGKILL');
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);

/**
 * End-to-end scenarios, run INSIDE the VS Code extension host by ../runInCodeServer.ts
 * (extensionTestsPath). Same contract as @vscode/test-electron: `run()` resolving ⇒ exit code 0,
 * throwing ⇒ exit code 1.
 *
 * Each scenario logs `ok - <name>` or `not ok - <name>: <error>`; the driver counts these lines. They go
 * to the console and, when the driver set CONTAINER_GUARD_E2E_LOG, to that file (the extension host
 * inherits code-server's environment, which is the reliable channel back to the driver).
 *
 * The workspace is a temporary copy of examples/ whose .vscode/settings.json enables
 * `editor.codeActionsOnSave: { "source.fixAll.containerGuard": "explicit" }`, plus the pipeline YAML of
 * ../pipelineFixtures.ts.
 *
 * UI requests: `uiRequest()` asks the driver (through the log) for a screenshot, the Problems panel's text
 * and optionally a click in the code action widget, and waits for its answer. Without the driver (no
 * CONTAINER_GUARD_E2E_UI_DIR) it returns null and the scenarios check through the API only.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AZURE_TEMPLATE_PATH, COMPOSE_PATH, KUBERNETES_PATH, WORKFLOW, WORKFLOW_PATH } from '../pipelineFixtures';

const SOURCE = 'container-guard';
const SERVERCORE_DOCKERFILE = ['windows', 'servercore-app', 'Dockerfile'];
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

function log(line: string): void {
  console.log(line);
  const file = process.env.CONTAINER_GUARD_E2E_LOG;
  if (file) fs.appendFileSync(file, `${line}\n`);
}

function workspaceFile(segments: readonly string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Diagnostic codes may be a string, a number or `{ value, target }`. */
function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the language server has published diagnostics of ours for `uri`. */
async function waitForOurDiagnostics(uri: vscode.Uri, timeoutMs = DIAGNOSTICS_TIMEOUT_MS): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
    if (ours.length > 0) return ours;
    if (Date.now() > deadline) {
      const all = vscode.languages.getDiagnostics(uri).map((d) => `${d.source ?? '?'}:${codeOf(d) ?? '?'}`);
      throw new Error(`no "${SOURCE}" diagnostics for ${uri.toString()} after ${timeoutMs / 1000} s (present: [${all.join(', ')}])`);
    }
    await sleep(100);
  }
}

async function openServerCoreDockerfile(): Promise<vscode.TextDocument> {
  const uri = workspaceFile(SERVERCORE_DOCKERFILE);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  // The built-in docker extension maps the file name `Dockerfile` to this language; our extension
  // activates on it.
  assert.equal(document.languageId, 'dockerfile', `language of ${uri.fsPath}`);
  return document;
}

/** (a) Activation and diagnostics: the Server Core Dockerfile without USER is flagged. */
async function diagnosticsScenario(): Promise<void> {
  const document = await openServerCoreDockerfile();
  const diagnostics = await waitForOurDiagnostics(document.uri);
  const codes = diagnostics.map(codeOf);
  assert.ok(codes.includes('privileged-user'), `expected a "privileged-user" diagnostic, got [${codes.join(', ')}]`);
  for (const diagnostic of diagnostics) {
    const { range } = diagnostic;
    // validateRange clamps to the document: equality means the range lies inside it.
    assert.ok(
      document.validateRange(range).isEqual(range),
      `range ${JSON.stringify(range)} of "${codeOf(diagnostic)}" is outside the document (${document.lineCount} lines)`,
    );
  }
}

/**
 * (b) Fix-all on save: an explicit save runs source.fixAll.containerGuard, which renames a retired image to
 * the same image under its MCR name (a fix that keeps behaviour) and never inserts `USER` (switching the
 * user is a quick fix a person chooses); the user's own edit survives, and a second save changes nothing.
 */
async function fixOnSaveScenario(): Promise<void> {
  const uri = workspaceFile(['windows', 'retired-name', 'Dockerfile']);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, '# escape=`\nFROM microsoft/windowsservercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n');
  const document = await vscode.workspace.openTextDocument(uri);
  // Shown first: the client pulls diagnostics for the documents in visible editors.
  const editor = await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, 'dockerfile', `language of ${uri.fsPath}`);
  // Make sure the server knows the document before saving, so the code action has something to fix.
  const codes = (await waitForOurDiagnostics(document.uri)).map(codeOf);
  assert.ok(codes.includes('deprecated-image-name') && codes.includes('privileged-user'), `got [${codes.join(', ')}]`);
  const marker = `# e2e edit ${Date.now()}`;
  const end = document.lineAt(document.lineCount - 1).range.end;
  const prefix = document.lineAt(document.lineCount - 1).isEmptyOrWhitespace ? '' : '\n';
  assert.ok(await editor.edit((builder) => builder.insert(end, `${prefix}${marker}\n`)), 'the edit was not applied');
  assert.ok(document.isDirty, 'document should be dirty after the edit');

  assert.ok(await document.save(), 'save failed');

  assert.equal(document.uri.scheme, 'file', 'the extension host should see workspace files as file: URIs');
  const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8');
  const lines = onDisk.split(/\r?\n/);
  assert.ok(lines.includes('FROM mcr.microsoft.com/windows/servercore:ltsc2019'), `the retired name was not renamed on save:\n${onDisk}`);
  assert.ok(!lines.some((line) => /^\s*USER\b/i.test(line)), `fix-all on save switched the user:\n${onDisk}`);
  assert.ok(lines.includes(marker), `the user's edit was lost on save:\n${onDisk}`);
  assert.ok(!document.isDirty, 'document is still dirty after save');

  // A second save: fix-all has nothing left to do.
  await sleep(500);
  assert.ok(await editor.edit((builder) => builder.insert(document.lineAt(document.lineCount - 1).range.end, '')), 'no-op edit');
  assert.ok(await document.save(), 'second save failed');
  assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), onDisk, 'a second save changed the file');
}

/** (c) Hover and completion on the FROM image come from the catalog through the real extension host. */
async function hoverAndCompletionScenario(): Promise<void> {
  const document = await openServerCoreDockerfile();
  await waitForOurDiagnostics(document.uri);
  const fromLine = [...Array(document.lineCount).keys()].find((line) => /^FROM\s/i.test(document.lineAt(line).text));
  assert.ok(fromLine !== undefined, 'no FROM line');
  const text = document.lineAt(fromLine).text;
  const imageAt = new vscode.Position(fromLine, text.indexOf('servercore'));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, imageAt);
  const markdown = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  assert.match(markdown, /Windows Server 2022, build 20348/, `hover:\n${markdown}`);
  assert.match(markdown, /ContainerAdministrator/);
  const colon = text.indexOf(':', text.indexOf('servercore'));
  const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(fromLine, colon + 1), ':');
  const labels = completions.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
  assert.ok(labels.includes('ltsc2025'), `completion labels: ${labels.slice(0, 20).join(', ')}`);
  assert.ok(!labels.includes('1909'), 'an end-of-life tag was offered');
}

/** (d) nuget.config, opened as XML: diagnostics, hover on a source, and fix-all on save that keeps the user's edit. */
async function nugetConfigScenario(): Promise<void> {
  const uri = workspaceFile(['windows', 'legacy-framework', 'NuGet.Config']);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, 'xml', `language of ${uri.fsPath}`);
  const diagnostics = await waitForOurDiagnostics(uri);
  const codes = diagnostics.map(codeOf);
  for (const expected of ['nuget-http-source', 'nuget-cleartext-password', 'nuget-unmapped-sources']) {
    assert.ok(codes.includes(expected), `expected "${expected}", got [${codes.join(', ')}]`);
  }
  const sourceLine = [...Array(document.lineCount).keys()].find((line) => document.lineAt(line).text.includes('key="contoso internal"'));
  assert.ok(sourceLine !== undefined, 'no contoso internal source');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(sourceLine, 10));
  const markdown = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  assert.match(markdown, /Package source `contoso internal`/, `hover:\n${markdown}`);
  assert.match(markdown, /password is written in clear text/);

  const marker = `<!-- e2e edit ${Date.now()} -->`;
  const end = document.lineAt(document.lineCount - 1).range.end;
  const prefix = document.lineAt(document.lineCount - 1).isEmptyOrWhitespace ? '' : '\n';
  assert.ok(await editor.edit((builder) => builder.insert(end, `${prefix}${marker}\n`)), 'the edit was not applied');
  assert.ok(await document.save(), 'save failed');
  const onDisk = fs.readFileSync(uri.fsPath, 'utf8');
  assert.ok(onDisk.includes('value="https://www.nuget.org/api/v2/"'), `nuget.org not switched to https on save:\n${onDisk}`);
  assert.ok(!onDisk.includes('<clear />'), `<clear /> can cut off feeds of other configs: never added on save:\n${onDisk}`);
  assert.ok(onDisk.includes('value="hunter2-but-longer"'), 'the clear-text password must not be rewritten unattended');
  assert.ok(onDisk.includes(marker), `the user's edit was lost on save:\n${onDisk}`);
}

interface UiReply {
  screenshot?: string;
  problems?: string;
  chosen?: string;
  error?: string;
}

/** Asks the driver for a screenshot (and the Problems panel's text, and a menu choice); null without a driver. */
async function uiRequest(name: string, choose?: string, timeoutMs = 30_000): Promise<UiReply | null> {
  const dir = process.env.CONTAINER_GUARD_E2E_UI_DIR;
  if (!dir || !process.env.CONTAINER_GUARD_E2E_LOG) return null;
  const reply = path.join(dir, `${name}.json`);
  // Toasts of earlier scenarios (the registry-lookup offer after a FROM hover) would cover the Problems panel.
  await vscode.commands.executeCommand('notifications.clearAll');
  log(`# ui-request ${JSON.stringify({ name, ...(choose ? { choose } : {}) })}`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(reply)) {
    if (Date.now() > deadline) throw new Error(`the driver did not answer the UI request ${name} within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
  const answer = JSON.parse(fs.readFileSync(reply, 'utf8')) as UiReply;
  if (answer.error) throw new Error(`UI request ${name}: ${answer.error}`);
  return answer;
}

async function openYaml(segments: readonly string[], languages: readonly string[] = ['yaml']): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(segments));
  await vscode.window.showTextDocument(document, { preview: false });
  // No GitHub Actions or Azure Pipelines extension here: VS Code's own `yaml`.
  assert.ok(languages.includes(document.languageId), `language of ${segments.join('/')}: ${document.languageId}`);
  return document;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/**
 * (e) Pipeline YAML: the workflow (by its folder) and the Azure template in eng/ (by its content) show their
 * findings, also in the Problems panel; a Kubernetes manifest and a compose file get nothing.
 */
async function pipelineDiagnosticsScenario(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // The built-in docker extension calls compose files `dockercompose` (not sent to the server at all).
  const others = [await openYaml(KUBERNETES_PATH), await openYaml(COMPOSE_PATH, ['yaml', 'dockercompose'])];
  const template = await openYaml(AZURE_TEMPLATE_PATH);
  const templateCodes = (await waitForOurDiagnostics(template.uri)).map(codeOf);
  assert.deepEqual(templateCodes, ['pipeline-script-injection'], 'the Azure template in eng/templates');
  const workflow = await openYaml(WORKFLOW_PATH);
  const diagnostics = await waitForOurDiagnostics(workflow.uri);
  const codes = diagnostics.map(codeOf);
  for (const expected of ['pipeline-unpinned-action', 'pipeline-persisted-credentials', 'pipeline-script-injection']) {
    assert.ok(codes.includes(expected), `expected "${expected}" on the workflow, got [${codes.join(', ')}]`);
  }
  const unpinned = diagnostics.find((d) => codeOf(d) === 'pipeline-unpinned-action')!;
  assert.equal(workflow.getText(unpinned.range), 'actions/checkout@v4');
  const injection = diagnostics.find((d) => codeOf(d) === 'pipeline-script-injection')!;
  assert.equal(workflow.getText(injection.range), '${{ github.event.issue.title }}');
  assert.equal(injection.severity, vscode.DiagnosticSeverity.Error);
  // The other two were opened first and pulled long before: still nothing of ours.
  await sleep(1_000);
  for (const document of others) assert.deepEqual(ours(document.uri).map(codeOf), [], `${path.basename(document.uri.fsPath)} is no pipeline`);

  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await sleep(1_000);
  const ui = await uiRequest('pipeline-problems');
  if (ui) {
    const problems = ui.problems ?? '';
    for (const text of ['build.yml', 'is attacker-controlled text expanded into a `run:` script', 'is pinned to a tag or branch that can be moved', 'pipeline-script-injection', 'Build.SourceBranchName']) {
      assert.ok(problems.includes(text), `the Problems panel does not show "${text}":\n${problems}`);
    }
    for (const name of ['web.yaml', 'docker-compose.yml']) assert.ok(!problems.includes(name), `the Problems panel lists ${name}:\n${problems}`);
  }
}

/**
 * (f) Pipeline fixes: no pipeline fix is safe unattended, so a save (fix-all on save is on) keeps the file as
 * written; the persist-credentials quick fix is picked in the lightbulb menu and removes its finding.
 */
async function pipelineQuickFixScenario(): Promise<void> {
  const document = await openYaml(WORKFLOW_PATH);
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
  const persisted = (await waitForOurDiagnostics(document.uri)).find((d) => codeOf(d) === 'pipeline-persisted-credentials');
  assert.ok(persisted, 'no pipeline-persisted-credentials diagnostic');

  const marker = `# e2e edit ${Date.now()}`;
  assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), `${marker}\n`)), 'the edit was not applied');
  assert.ok(await document.save(), 'save failed');
  assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), `${marker}\n${WORKFLOW}`, 'a save changed nothing but the user\'s edit');

  const title = 'Set `persist-credentials: false` (later `git push` in this job stops working)';
  const moved = (await waitForOurDiagnostics(document.uri)).find((d) => codeOf(d) === 'pipeline-persisted-credentials')!;
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, moved.range, vscode.CodeActionKind.QuickFix.value);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes(title), `quick fixes: ${titles.join('; ')}`);
  assert.ok(titles.includes('Ignore pipeline-persisted-credentials for this line'), `quick fixes: ${titles.join('; ')}`);

  // The lightbulb menu at the finding; the driver photographs it and clicks the fix.
  editor.selection = new vscode.Selection(moved.range.start, moved.range.start);
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('editor.action.quickFix');
  await sleep(1_500);
  const ui = await uiRequest('pipeline-quickfix-menu', 'Set `persist-credentials: false`');
  if (ui) {
    assert.equal(ui.chosen, title, 'the entry chosen in the lightbulb menu');
  } else {
    const action = actions.find((a) => a.title === title)!;
    assert.ok(action.edit && await vscode.workspace.applyEdit(action.edit), 'applying the quick fix failed');
  }
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  while (!document.getText().includes('persist-credentials: false') || ours(document.uri).some((d) => codeOf(d) === 'pipeline-persisted-credentials')) {
    if (Date.now() > deadline) throw new Error(`the quick fix did not take effect:\n${document.getText()}\n[${ours(document.uri).map(codeOf).join(', ')}]`);
    await sleep(100);
  }
  assert.ok(document.getText().includes('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n'), document.getText());
  assert.ok(ours(document.uri).some((d) => codeOf(d) === 'pipeline-unpinned-action'), 'the other findings stay');
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await sleep(1_000);
  await uiRequest('pipeline-after-quickfix');
  assert.ok(await document.save(), 'save failed');
}

const scenarios: ReadonlyArray<readonly [string, () => Promise<void>]> = [
  ['diagnostics: servercore Dockerfile without USER reports privileged-user', diagnosticsScenario],
  ['hover and completion on the FROM image come from the catalog', hoverAndCompletionScenario],
  ['fix-all on save renames a retired image, never switches the user, keeps the edit; a second save changes nothing', fixOnSaveScenario],
  ['nuget.config: diagnostics, hover on a source, fix-all on save', nugetConfigScenario],
  ['pipeline YAML: workflow and eng/ template diagnostics (Problems panel), Kubernetes and compose files get none', pipelineDiagnosticsScenario],
  ['pipeline YAML: a save changes nothing unattended; the persist-credentials quick fix from the lightbulb menu', pipelineQuickFixScenario],
];

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [name, scenario] of scenarios) {
    const started = Date.now();
    try {
      await scenario();
      passed++;
      log(`ok - ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      // Keep it one line per result so the driver can count; details follow as comments.
      const [first, ...rest] = message.split('\n');
      log(`not ok - ${name}: ${first}`);
      for (const line of rest) log(`#   ${line}`);
    }
  }
  log(`# ${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${scenarios.length} e2e scenarios failed`);
}

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
  // The order a person sees: the recommended multi-arch LTSC first and preselected, single-architecture tags last.
  const ours = completions.items.filter((item) => item.sortText !== undefined).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
  const ordered = ours.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
  assert.equal(ordered[0], 'ltsc2025', `completion order: ${ordered.join(', ')}`);
  assert.equal(ours[0]!.preselect, true, 'the recommended tag is preselected');
  const firstArchitectureTag = ordered.findIndex((label) => /-(arm64|amd64)$/.test(label));
  assert.ok(firstArchitectureTag > 0 && ordered.slice(firstArchitectureTag).every((label) => /-(arm64|amd64)$/.test(label)), `completion order: ${ordered.join(', ')}`);
  // The hover is compact: each fact once, on a few lines.
  const facts = markdown.split('\n').filter((line) => /^- \*\*/.test(line)).map((line) => /^- \*\*([^*]+)\*\*/.exec(line)![1]);
  assert.deepEqual(facts.filter((fact) => ['OS', 'Runs as', 'Recommended LTSC', 'Pinned', 'Signing'].includes(fact!)), ['OS', 'Runs as', 'Recommended LTSC', 'Pinned', 'Signing'], `hover:\n${markdown}`);
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
  text?: string;
  error?: string;
}

interface UiOptions {
  /** CSS selector to move the mouse over before the screenshot. */
  hover?: string;
  /** CSS selector to click before the screenshot. */
  click?: string;
  /** CSS selector whose visible text the driver returns. */
  text?: string;
  /** Keep notifications (default: cleared, they would cover the panel). */
  keepNotifications?: boolean;
}

/** Asks the driver for a screenshot (and the Problems panel's text, and a menu choice); null without a driver. */
async function uiRequest(name: string, choose?: string, timeoutMs = 30_000, options: UiOptions = {}): Promise<UiReply | null> {
  const dir = process.env.CONTAINER_GUARD_E2E_UI_DIR;
  if (!dir || !process.env.CONTAINER_GUARD_E2E_LOG) return null;
  const reply = path.join(dir, `${name}.json`);
  // Toasts of earlier scenarios (the registry-lookup offer after a FROM hover) would cover the Problems panel.
  if (!options.keepNotifications) await vscode.commands.executeCommand('notifications.clearAll');
  const { keepNotifications: _keep, ...page } = options;
  log(`# ui-request ${JSON.stringify({ name, ...(choose ? { choose } : {}), ...page })}`);
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
  assert.ok(templateCodes.includes('pipeline-script-injection'), `the Azure template in eng/templates: [${templateCodes.join(', ')}]`);
  const workflow = await openYaml(WORKFLOW_PATH);
  const diagnostics = await waitForOurDiagnostics(workflow.uri);
  const codes = diagnostics.map(codeOf);
  for (const expected of ['pipeline-unpinned-action', 'pipeline-persisted-credentials', 'pipeline-script-injection', 'unpinned-package-install', 'download-without-integrity-check']) {
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
    for (const text of ['build.yml', 'is attacker-controlled text expanded into a `run:` script', 'is pinned to a tag or branch that can be moved', 'pipeline-script-injection', 'Build.SourceBranchName',
      '`dotnet tool install wix` installs whatever version is newest', '`aria2c` saves `tool.zip` and nothing checks it; compare `(Get-FileHash tool.zip).Hash`']) {
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

// ---------------------------------------------------------------------------------------------
// Issue 13: what a person can do — commands, language status, rule links, screenshots.
// ---------------------------------------------------------------------------------------------

const EXTENSION_ID = 'container-guard.windows-container-guard';

interface ExtensionApi {
  status(): { server: string; ruleSet: string; teamFile: string; lookups: string };
  outputLines(): readonly string[];
}

async function api(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} not found`);
  return extension.isActive ? extension.exports : extension.activate();
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = DIAGNOSTICS_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The editor tabs' labels and, for webviews (the Markdown preview), their view types. */
function tabs(): Array<{ label: string; viewType?: string }> {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => ({
    label: tab.label,
    ...(tab.input instanceof vscode.TabInputWebview ? { viewType: tab.input.viewType } : {}),
  }));
}

function markdownPreviews(): string[] {
  return tabs().filter((tab) => tab.viewType?.includes('markdown.preview')).map((tab) => tab.label);
}

/** The language status items: API snapshot, start line in the output, and the hover a person sees. */
async function languageStatusScenario(): Promise<void> {
  const document = await openServerCoreDockerfile();
  await waitForOurDiagnostics(document.uri);
  const extension = await api();
  const status = await waitFor('the language status to show a running server', () => {
    const snapshot = extension.status();
    return snapshot.server.includes('server running') ? snapshot : undefined;
  });
  assert.equal(status.server, '$(shield) Container Guard: recommended (server running)');
  // examples/.container-guard.yaml
  assert.equal(status.teamFile, '$(file) .container-guard.yaml (team file applies)');
  assert.equal(status.lookups, 'Registry lookups: off');
  const start = extension.outputLines().find((line) => line.includes(' started: '));
  assert.equal(start, 'info Container Guard 0.1.0 started: rule set recommended, team file .container-guard.yaml, workspace trusted, registry lookups off.');
  const ui = await uiRequest('docs-language-status', undefined, 30_000, { hover: '[id="status.languageStatus"]', text: ':has(> .hover-language-status)' });
  if (ui) {
    const text = ui.text ?? '';
    for (const expected of ['Container Guard: recommended', 'server running', '.container-guard.yaml', 'team file applies', 'Registry lookups: off', 'Show Output', 'Open', 'Turn On']) {
      assert.ok(text.includes(expected), `the language status hover does not show "${expected}":\n${text}`);
    }
  }
}

/** "Lint Workspace" fills Problems with files that are not open; other YAML stays out. */
async function lintWorkspaceScenario(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const summary = await vscode.commands.executeCommand<{ files: number; problems: number; fixable: number; truncated: boolean }>('containerGuard.lintWorkspace');
  assert.ok(summary && summary.files >= 6 && summary.problems > 10 && !summary.truncated, `summary: ${JSON.stringify(summary)}`);
  const iis = workspaceFile(['windows', 'iis-site', 'Dockerfile']);
  assert.ok(ours(iis).length > 0, 'no findings for the closed iis-site Dockerfile');
  const nuget = workspaceFile(['windows', 'legacy-framework', 'NuGet.Config']);
  // (its http source was fixed on save by the nuget.config scenario; the clear-text password stays)
  assert.ok(ours(nuget).some((d) => codeOf(d) === 'nuget-cleartext-password'), `no findings for the closed NuGet.Config: [${ours(nuget).map(codeOf).join(', ')}]`);
  assert.ok(ours(workspaceFile(WORKFLOW_PATH)).some((d) => codeOf(d) === 'pipeline-unpinned-action'), 'no findings for the closed workflow');
  assert.deepEqual(ours(workspaceFile(KUBERNETES_PATH)), [], 'a Kubernetes manifest is no pipeline');
  // Rule links of the workspace findings open the rendered page too.
  const target = ours(iis).map((d) => d.code).find((code): code is { value: string; target: vscode.Uri } => typeof code === 'object');
  assert.ok(target && target.target.scheme === 'command' && target.target.path === 'containerGuard.openRuleDoc', `code link: ${String(target?.target)}`);
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
  await sleep(1_500);
  const ui = await uiRequest('docs-problems');
  await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
  if (ui) {
    // Only the rows in view are in the page: the files sorted first.
    const problems = ui.problems ?? '';
    for (const text of ['build.yml', 'legacy-framework', 'pipeline-unpinned-action', 'deprecated-image-name']) assert.ok(problems.includes(text), `the Problems panel does not show "${text}":\n${problems.slice(0, 2000)}`);
  }
}

/** A diagnostic's code link (Problems panel) opens the rule page in the Markdown preview, not as raw Markdown. */
async function ruleLinkScenario(): Promise<void> {
  const document = await openServerCoreDockerfile();
  const privileged = (await waitForOurDiagnostics(document.uri)).find((d) => codeOf(d) === 'privileged-user');
  assert.ok(privileged, 'no privileged-user diagnostic');
  const code = privileged.code as { value: string; target: vscode.Uri };
  assert.equal(code.target.toString(true), 'command:containerGuard.openRuleDoc?["privileged-user"]');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  assert.deepEqual(markdownPreviews(), []);
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await sleep(1_000);
  const ui = await uiRequest('rule-link-clicked', undefined, 30_000, { click: '.markers-panel .details-container .monaco-link' });
  if (ui) {
    // The link a person clicks in the Problems panel opened a rendered page.
    const previews = await waitFor('a Markdown preview after clicking the rule link', () => (markdownPreviews().length > 0 ? markdownPreviews() : undefined), 15_000);
    assert.match(previews[0]!, /^Preview [a-z0-9-]+\.md$/, `tabs: ${JSON.stringify(tabs())}`);
    assert.ok(!tabs().some((tab) => tab.viewType === undefined && tab.label.endsWith('.md')), `raw Markdown opened: ${JSON.stringify(tabs())}`);
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // The command of the palette, with the rule id the link passes.
  assert.equal(await vscode.commands.executeCommand('containerGuard.openRuleDoc', 'eol-base-image'), 'eol-base-image');
  await waitFor('the preview of eol-base-image.md', () => markdownPreviews().includes('Preview eol-base-image.md'), 15_000);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A Dockerfile quick fix chosen in the lightbulb menu: run the final stage as ContainerUser. */
async function dockerfileQuickFixScenario(): Promise<void> {
  const uri = workspaceFile(['windows', 'quickfix-demo', 'Dockerfile']);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo hi\nCMD ["app.exe"]\n');
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  const privileged = (await waitForOurDiagnostics(uri)).find((d) => codeOf(d) === 'privileged-user');
  assert.ok(privileged, 'no privileged-user diagnostic');
  const title = 'Run the final stage as ContainerUser';
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, privileged.range, vscode.CodeActionKind.QuickFix.value);
  assert.ok(actions.some((a) => a.title === title), `quick fixes: ${actions.map((a) => a.title).join('; ')}`);
  editor.selection = new vscode.Selection(privileged.range.start, privileged.range.start);
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('editor.action.quickFix');
  await sleep(1_500);
  const ui = await uiRequest('docs-quickfix', title);
  if (ui) assert.equal(ui.chosen, title, 'the entry chosen in the lightbulb menu');
  else assert.ok(await vscode.workspace.applyEdit(actions.find((a) => a.title === title)!.edit!));
  await waitFor('the USER line and privileged-user gone', () => document.getText().includes('USER ContainerUser') && !ours(uri).some((d) => codeOf(d) === 'privileged-user'));
  assert.ok(await document.save(), 'save failed');
}

/** Screenshots of the hover and the completion list, as a person sees them. */
async function hoverAndCompletionScreenshotsScenario(): Promise<void> {
  const document = await openServerCoreDockerfile();
  const editor = await vscode.window.showTextDocument(document);
  await waitForOurDiagnostics(document.uri);
  await vscode.commands.executeCommand('workbench.action.closePanel');
  const fromLine = [...Array(document.lineCount).keys()].find((line) => /^FROM\s/i.test(document.lineAt(line).text))!;
  const at = new vscode.Position(fromLine, document.lineAt(fromLine).text.indexOf('servercore') + 2);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
  await sleep(2_000);
  const hover = await uiRequest('docs-hover', undefined, 30_000, { text: '.monaco-editor .monaco-hover:not(.hidden)' });
  if (hover) assert.match(hover.text ?? '', /Windows Server 2022/, `hover text: ${hover.text ?? ''}`);
  await vscode.commands.executeCommand('editor.action.hideHover');

  const uri = workspaceFile(['windows', 'completion-demo', 'Dockerfile']);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, '# escape=`\nFROM mcr.microsoft.com/windows/servercore:\n');
  const completionDocument = await vscode.workspace.openTextDocument(uri);
  const completionEditor = await vscode.window.showTextDocument(completionDocument);
  const end = completionDocument.lineAt(1).range.end;
  completionEditor.selection = new vscode.Selection(end, end);
  await sleep(500);
  await vscode.commands.executeCommand('editor.action.triggerSuggest');
  await sleep(2_500);
  const completion = await uiRequest('docs-completion', undefined, 30_000, { text: '.suggest-widget' });
  if (completion) assert.match(completion.text ?? '', /ltsc2025/, `completion list: ${completion.text ?? ''}`);
  await vscode.commands.executeCommand('hideSuggestWidget');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Toggle lookups (user settings), create the team file from settings, a YAML error keeps the last valid settings, a restart is no error. */
async function settingsAndTeamFileScenario(): Promise<void> {
  const extension = await api();
  const configuration = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('containerGuard');
  assert.equal(await vscode.commands.executeCommand('containerGuard.toggleRegistryLookups'), true);
  assert.equal(configuration().inspect<boolean>('registry.lookups')?.globalValue, true);
  await waitFor('the status to say lookups on', () => extension.status().lookups === 'Registry lookups: on', 10_000);
  assert.equal(await vscode.commands.executeCommand('containerGuard.toggleRegistryLookups'), false);
  assert.equal(configuration().inspect<boolean>('registry.lookups')?.globalValue, false);

  await configuration().update('rules', { 'privileged-user': 'error' }, vscode.ConfigurationTarget.Workspace);
  // The examples' team file is set aside: the command makes a new one from the settings.
  const examplesTeamFile = workspaceFile(['.container-guard.yaml']).fsPath;
  const examplesTeamText = fs.readFileSync(examplesTeamFile, 'utf8');
  fs.rmSync(examplesTeamFile);
  const teamUri = await vscode.commands.executeCommand<vscode.Uri>('containerGuard.createTeamFile');
  assert.ok(teamUri, 'no team file created');
  const text = fs.readFileSync(teamUri.fsPath, 'utf8');
  assert.match(text, /^ruleSet: recommended$/m);
  assert.match(text, /^rules:\n {2}privileged-user: error$/m);
  // The team file applies: privileged-user is an error in the Server Core Dockerfile, and the status says which file.
  const document = await openServerCoreDockerfile();
  await waitFor('privileged-user as an error (team file)', () => ours(document.uri).find((d) => codeOf(d) === 'privileged-user' && d.severity === vscode.DiagnosticSeverity.Error));
  await waitFor('the status to name the team file', () => extension.status().teamFile.startsWith('$(file) .container-guard.yaml'), 10_000);

  // A YAML error while editing the team file: reported in place; the last valid settings stay in force.
  const team = await vscode.workspace.openTextDocument(teamUri);
  const teamEditor = await vscode.window.showTextDocument(team);
  await teamEditor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'rules: [\n'));
  assert.ok(await team.save());
  const yamlError = await waitFor('the YAML error in the team file', () => ours(team.uri).find((d) => /^YAML: /.test(d.message)));
  assert.match(yamlError.message, /last valid version stay in force/);
  await openServerCoreDockerfile();
  await sleep(1_500);
  assert.ok(ours(document.uri).some((d) => codeOf(d) === 'privileged-user' && d.severity === vscode.DiagnosticSeverity.Error), 'the previous team settings were dropped');
  await waitFor('the status to say the team file is invalid', () => extension.status().teamFile.includes('invalid YAML'), 10_000);
  assert.ok(extension.outputLines().some((line) => line.startsWith('warn ') && line.includes('last valid version stay in force')), 'a warning in the output');
  assert.ok(!extension.outputLines().some((line) => line.startsWith('error ')), `errors in the output: ${extension.outputLines().filter((l) => l.startsWith('error ')).join(' | ')}`);

  // Clean up for later scenarios: no team file, no rule override.
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  fs.writeFileSync(examplesTeamFile, examplesTeamText);
  await configuration().update('rules', undefined, vscode.ConfigurationTarget.Workspace);

  // A restart the user asks for is logged as information, never as an error.
  await sleep(1_000);
  const before = extension.outputLines().length;
  await vscode.commands.executeCommand('containerGuard.restartServer');
  await waitFor('the start line after the restart', () => extension.outputLines().slice(before).some((line) => line.includes(' started: ')), 20_000);
  const after = extension.outputLines().slice(before);
  assert.deepEqual(after.filter((line) => line.startsWith('error ')), [], `output after the restart:\n${after.join('\n')}`);
}

/** Processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): Array<{ pid: number; cmdline: string }> {
  const children: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push({ pid: Number(entry), cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

/**
 * Untrusted workspace (driver --untrusted; lookups are on in the user settings): lint works; hover, pin,
 * verify and toggle contact nothing and start nothing; the status and the output say why. The driver
 * checks the test registry's access log afterwards.
 */
async function untrustedScenario(): Promise<void> {
  assert.equal(vscode.workspace.isTrusted, false, 'the workspace should open untrusted');
  const registry = process.env.CONTAINER_GUARD_E2E_REGISTRY;
  assert.ok(registry, 'the driver named no test registry');
  const uri = workspaceFile(['registry-app', 'Dockerfile']);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  assert.equal(document.getText().split('\n')[0], `FROM ${registry}/app:1.0`);
  const servercore = await openServerCoreDockerfile();
  assert.ok((await waitForOurDiagnostics(servercore.uri)).some((d) => codeOf(d) === 'privileged-user'), 'linting works untrusted');
  await vscode.window.showTextDocument(document);
  await sleep(2_000);
  assert.ok(!ours(uri).some((d) => codeOf(d) === 'image-signature'), 'no signature diagnostic without a lookup');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 8));
  const markdown = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  assert.match(markdown, /untrusted/i, `hover:\n${markdown}`);
  await vscode.commands.executeCommand('containerGuard.pinAllDigests');
  await vscode.commands.executeCommand('containerGuard.verifyImageSignatures');
  assert.equal(await vscode.commands.executeCommand('containerGuard.toggleRegistryLookups'), undefined, 'lookups must not be switched in an untrusted workspace');
  const summary = await vscode.commands.executeCommand<{ files: number }>('containerGuard.lintWorkspace');
  assert.ok(summary && summary.files > 0, 'lint workspace works untrusted');
  const extension = await api();
  await waitFor('the status to say untrusted', () => extension.status().lookups === 'Registry lookups: off (untrusted workspace)', 10_000);
  const start = extension.outputLines().find((line) => line.includes(' started: '));
  assert.match(start ?? '', /workspace untrusted \(no registry calls, no processes started\), registry lookups off\.$/);
  // The language server is a child of this extension host; it has started nothing.
  const server = childrenOf(process.pid).find((child) => child.cmdline.includes('server.js'));
  assert.ok(server, `no language server among ${JSON.stringify(childrenOf(process.pid))}`);
  assert.deepEqual(childrenOf(server.pid), [], 'the language server spawned processes');
  await uiRequest('untrusted-language-status', undefined, 30_000, { hover: '[id="status.languageStatus"]', keepNotifications: true });
}

const untrustedScenarios: ReadonlyArray<readonly [string, () => Promise<void>]> = [
  ['untrusted workspace: linting works; hover, pin, verify and toggle contact no registry and spawn nothing', untrustedScenario],
];

const scenarios: ReadonlyArray<readonly [string, () => Promise<void>]> = [
  ['diagnostics: servercore Dockerfile without USER reports privileged-user', diagnosticsScenario],
  ['hover and completion on the FROM image come from the catalog', hoverAndCompletionScenario],
  ['fix-all on save renames a retired image, never switches the user, keeps the edit; a second save changes nothing', fixOnSaveScenario],
  ['nuget.config: diagnostics, hover on a source, fix-all on save', nugetConfigScenario],
  ['pipeline YAML: workflow and eng/ template diagnostics (Problems panel), Kubernetes and compose files get none', pipelineDiagnosticsScenario],
  ['pipeline YAML: a save changes nothing unattended; the persist-credentials quick fix from the lightbulb menu', pipelineQuickFixScenario],
  ['language status: server state, rule set, team file, registry lookups; the start line in the output', languageStatusScenario],
  ['Lint Workspace fills Problems with closed Dockerfiles, nuget.config and pipelines', lintWorkspaceScenario],
  ['rule links open the rendered rule page (Problems panel click, command)', ruleLinkScenario],
  ['Dockerfile quick fix from the lightbulb menu: run the final stage as ContainerUser', dockerfileQuickFixScenario],
  ['screenshots of the hover and the completion list', hoverAndCompletionScreenshotsScenario],
  ['toggle lookups, team file from settings, YAML error keeps the last valid settings, restart is no error', settingsAndTeamFileScenario],
];

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  const selected = process.env.CONTAINER_GUARD_E2E_MODE === 'untrusted' ? untrustedScenarios : scenarios;
  for (const [name, scenario] of selected) {
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
  if (failed > 0) throw new Error(`${failed} of ${selected.length} e2e scenarios failed`);
}

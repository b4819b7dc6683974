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
 * `editor.codeActionsOnSave: { "source.fixAll.containerGuard": "explicit" }`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

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

/** (b) Fix-all on save: an explicit save runs source.fixAll.containerGuard, which adds `USER ContainerUser`. */
async function fixOnSaveScenario(): Promise<void> {
  const document = await openServerCoreDockerfile();
  // Make sure the server knows the document before saving, so the code action has something to fix.
  await waitForOurDiagnostics(document.uri);
  const editor = await vscode.window.showTextDocument(document);
  const marker = `# e2e edit ${Date.now()}`;
  const end = document.lineAt(document.lineCount - 1).range.end;
  const prefix = document.lineAt(document.lineCount - 1).isEmptyOrWhitespace ? '' : '\n';
  assert.ok(await editor.edit((builder) => builder.insert(end, `${prefix}${marker}\n`)), 'the edit was not applied');
  assert.ok(document.isDirty, 'document should be dirty after the edit');

  assert.ok(await document.save(), 'save failed');

  assert.equal(document.uri.scheme, 'file', 'the extension host should see workspace files as file: URIs');
  const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8');
  const lines = onDisk.split(/\r?\n/);
  assert.ok(lines.some((line) => line.trim() === 'USER ContainerUser'), `no "USER ContainerUser" line on disk after save:\n${onDisk}`);
  assert.ok(lines.includes(marker), `the user's edit was lost on save:\n${onDisk}`);
  assert.ok(!document.isDirty, 'document is still dirty after save');
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

const scenarios: ReadonlyArray<readonly [string, () => Promise<void>]> = [
  ['diagnostics: servercore Dockerfile without USER reports privileged-user', diagnosticsScenario],
  ['hover and completion on the FROM image come from the catalog', hoverAndCompletionScenario],
  ['fix-all on save inserts USER ContainerUser and keeps the edit', fixOnSaveScenario],
  ['nuget.config: diagnostics, hover on a source, fix-all on save', nugetConfigScenario],
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

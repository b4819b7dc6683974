// The commands of the Command Palette (package.json contributes.commands; registered in extension.ts).
// Workspace-wide work is done by the server (editorProtocol.ts) on files the client finds here.
import * as vscode from 'vscode';
import type { Diagnostic as LspDiagnostic, WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageclient';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  FIX_ALL_FILES_REQUEST, LINT_FILES_REQUEST, PIN_DIGESTS_REQUEST, VERIFY_IMAGES_REQUEST, type LspRange,
} from './protocol';
import { teamFileText, type TeamFileSettings } from './teamFileText';
import { MAX_WORKSPACE_FILES, WORKSPACE_INCLUDE, excludeGlob, gitignoreGlobs } from './workspaceFiles';

const SECTION = 'containerGuard';
const TEAM_FILE = '.container-guard.yaml';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  client: () => LanguageClient | undefined;
  log: vscode.LogOutputChannel;
  /** Findings of files linted by "Lint Workspace" that are not open (open files have the server's own). */
  workspaceDiagnostics: vscode.DiagnosticCollection;
  /** Rewrites rule links in diagnostics (see ruleLinks.ts). */
  withRuleLinks: (diagnostics: vscode.Diagnostic[]) => vscode.Diagnostic[];
}

function runningClient(context: CommandContext): LanguageClient | undefined {
  const client = context.client();
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('The Container Guard server is not running.', 'Restart').then((choice) => {
      if (choice) void vscode.commands.executeCommand('containerGuard.restartServer');
    });
    return undefined;
  }
  return client;
}

/** Files that may be Dockerfiles, nuget.config or pipelines, without files.exclude, .gitignore, node_modules and .git; bounded. */
export async function workspaceCandidates(token?: vscode.CancellationToken): Promise<{ uris: vscode.Uri[]; truncated: boolean }> {
  const uris: vscode.Uri[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    let gitignore: string[] = [];
    try {
      gitignore = gitignoreGlobs(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.gitignore'))));
    } catch {
      // No .gitignore.
    }
    const ignore = vscode.workspace.getConfiguration(SECTION, folder.uri).get<string[]>('ignore') ?? [];
    // files.exclude applies too: findFiles adds it when no `null` exclude is given.
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, WORKSPACE_INCLUDE), new vscode.RelativePattern(folder, excludeGlob(gitignore, ignore)), MAX_WORKSPACE_FILES + 1 - uris.length, token);
    uris.push(...found);
    if (uris.length > MAX_WORKSPACE_FILES) break;
  }
  uris.sort((a, b) => (a.fsPath < b.fsPath ? -1 : a.fsPath > b.fsPath ? 1 : 0));
  return { uris: uris.slice(0, MAX_WORKSPACE_FILES), truncated: uris.length > MAX_WORKSPACE_FILES };
}

/**
 * True when the file is open in an editor tab: the language client pulls diagnostics for those (and drops
 * them when the tab closes, even while VS Code keeps the document loaded a little longer).
 */
export function isOpen(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key));
}

export interface LintWorkspaceSummary {
  files: number;
  problems: number;
  fixable: number;
  truncated: boolean;
}

export async function lintWorkspace(context: CommandContext): Promise<LintWorkspaceSummary | undefined> {
  const client = runningClient(context);
  if (!client) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Container Guard: linting the workspace', cancellable: true }, async (progress, token) => {
    const { uris, truncated } = await workspaceCandidates(token);
    progress.report({ message: `${uris.length} candidate files` });
    const result = await client.sendRequest<{ files: Array<{ uri: string; diagnostics: LspDiagnostic[]; fixable: number }>; skipped: Array<{ uri: string; reason: string }> }>(
      LINT_FILES_REQUEST, { uris: uris.map((uri) => client.code2ProtocolConverter.asUri(uri)) }, token);
    context.workspaceDiagnostics.clear();
    let problems = 0;
    let fixable = 0;
    for (const file of result.files) {
      const uri = client.protocol2CodeConverter.asUri(file.uri);
      problems += file.diagnostics.length;
      fixable += file.fixable;
      // Open documents show the server's live diagnostics; listing them twice would double the Problems.
      if (isOpen(uri)) continue;
      context.workspaceDiagnostics.set(uri, context.withRuleLinks(await client.protocol2CodeConverter.asDiagnostics(file.diagnostics)));
    }
    const summary = { files: result.files.length, problems, fixable, truncated };
    context.log.info(`Lint workspace: ${result.files.length} files linted (${uris.length} candidates, ${result.skipped.length} not Dockerfiles, nuget.config or pipelines), ${problems} problems, ${fixable} auto-fixable${truncated ? `; stopped at ${MAX_WORKSPACE_FILES} files` : ''}.`);
    const message = `Container Guard: ${problems} problem${problems === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}${truncated ? ` (the first ${MAX_WORKSPACE_FILES} candidate files only)` : ''}.`;
    const actions = fixable > 0 ? ['Show Problems', `Fix ${fixable} Auto-Fixable`] : ['Show Problems'];
    void vscode.window.showInformationMessage(message, ...actions).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      else if (choice) void vscode.commands.executeCommand('containerGuard.fixAllInWorkspace');
    });
    return summary;
  });
}

/** Applies a server edit as one undoable workspace edit and saves the files it touched that were not dirty before. */
async function applyAndSave(client: LanguageClient, lspEdit: LspWorkspaceEdit, label: string): Promise<number> {
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(lspEdit);
  const touched = edit.entries().map(([uri]) => uri);
  if (touched.length === 0) return 0;
  const wasDirty = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
  if (!await vscode.workspace.applyEdit(edit, { isRefactoring: false })) throw new Error(`${label}: the edit could not be applied (a file changed meanwhile?)`);
  for (const uri of touched) {
    if (wasDirty.has(uri.toString())) continue;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    await document?.save();
  }
  return touched.length;
}

export async function fixAllInWorkspace(context: CommandContext): Promise<number | undefined> {
  const client = runningClient(context);
  if (!client) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Container Guard: fixing the workspace', cancellable: true }, async (_progress, token) => {
    const { uris } = await workspaceCandidates(token);
    const result = await client.sendRequest<{ edit: LspWorkspaceEdit; files: number }>(FIX_ALL_FILES_REQUEST, { uris: uris.map((uri) => client.code2ProtocolConverter.asUri(uri)) }, token);
    const files = await applyAndSave(client, result.edit, 'Fix all in workspace');
    context.log.info(`Fix all in workspace: fix-all fixes applied to ${files} files.`);
    void vscode.window.showInformationMessage(files > 0
      ? `Container Guard fixed ${files} file${files === 1 ? '' : 's'} (only fixes that keep behaviour). Undo (Ctrl+Z) in any of them reverts the whole change.`
      : 'Container Guard: nothing to fix unattended in the workspace.');
    void lintWorkspaceQuietly(context);
    return files;
  });
}

/** After a workspace fix: refresh the workspace findings without a notification. */
async function lintWorkspaceQuietly(context: CommandContext): Promise<void> {
  const client = context.client();
  if (!client?.isRunning() || !hasWorkspaceDiagnostics(context)) return;
  const { uris } = await workspaceCandidates();
  const result = await client.sendRequest<{ files: Array<{ uri: string; diagnostics: LspDiagnostic[] }> }>(LINT_FILES_REQUEST, { uris: uris.map((uri) => client.code2ProtocolConverter.asUri(uri)) });
  context.workspaceDiagnostics.clear();
  for (const file of result.files) {
    const uri = client.protocol2CodeConverter.asUri(file.uri);
    if (!isOpen(uri)) context.workspaceDiagnostics.set(uri, context.withRuleLinks(await client.protocol2CodeConverter.asDiagnostics(file.diagnostics)));
  }
}

function hasWorkspaceDiagnostics(context: CommandContext): boolean {
  let any = false;
  context.workspaceDiagnostics.forEach(() => { any = true; });
  return any;
}

/** The registry commands need a trusted workspace and lookups on; says so (and offers the switch) otherwise. */
async function registryAllowed(refused: string | undefined): Promise<boolean> {
  if (!refused) return true;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(`Container Guard: ${refused}`, 'Manage Workspace Trust').then((choice) => { if (choice) void vscode.commands.executeCommand('workbench.trust.manage'); });
  } else {
    void vscode.window.showWarningMessage(`Container Guard: ${refused}`, 'Turn On Registry Lookups').then((choice) => { if (choice) void vscode.commands.executeCommand('containerGuard.toggleRegistryLookups'); });
  }
  return false;
}

function location(uri: string, range: LspRange): string {
  return `${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}:${range.start.line + 1}:${range.start.character + 1}`;
}

export async function pinAllDigests(context: CommandContext): Promise<void> {
  const client = runningClient(context);
  if (!client) return;
  if (!vscode.workspace.isTrusted) {
    await registryAllowed('The workspace is not trusted: no registry is contacted.');
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Container Guard: looking up image digests', cancellable: true }, async (_progress, token) => {
    const { uris } = await workspaceCandidates(token);
    const result = await client.sendRequest<{ edit: LspWorkspaceEdit; pinned: number; notPinned: Array<{ uri: string; range: LspRange; reference: string; reason: string }>; refused?: string }>(
      PIN_DIGESTS_REQUEST, { uris: uris.map((uri) => client.code2ProtocolConverter.asUri(uri)) }, token);
    if (!await registryAllowed(result.refused)) return;
    const files = await applyAndSave(client, result.edit, 'Pin to digest');
    for (const image of result.notPinned) context.log.warn(`Not pinned: ${location(image.uri, image.range)} ${image.reference}: ${image.reason}`);
    context.log.info(`Pin every image to its digest: ${result.pinned} images pinned in ${files} files, ${result.notPinned.length} not pinned.`);
    const message = `Container Guard pinned ${result.pinned} image${result.pinned === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${result.notPinned.length > 0 ? `; ${result.notPinned.length} could not be pinned (see the output)` : ''}.`;
    void vscode.window.showInformationMessage(message, ...(result.notPinned.length > 0 ? ['Show Output'] : [])).then((choice) => { if (choice) context.log.show(); });
  });
}

let signatureChannel: vscode.OutputChannel | undefined;

export async function verifyImageSignatures(context: CommandContext): Promise<void> {
  const client = runningClient(context);
  if (!client) return;
  if (!vscode.workspace.isTrusted) {
    await registryAllowed('The workspace is not trusted: no registry is contacted.');
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Container Guard: verifying image signatures', cancellable: true }, async (_progress, token) => {
    const { uris } = await workspaceCandidates(token);
    const result = await client.sendRequest<{ images: Array<{ uri: string; range: LspRange; reference: string; verdict: string; summary: string; digest?: string }>; refused?: string }>(
      VERIFY_IMAGES_REQUEST, { uris: uris.map((uri) => client.code2ProtocolConverter.asUri(uri)) }, token);
    if (!await registryAllowed(result.refused)) return;
    if (!signatureChannel) {
      signatureChannel = vscode.window.createOutputChannel('Container Guard: Image Signatures');
      context.extension.subscriptions.push(signatureChannel);
    }
    const channel = signatureChannel;
    channel.clear();
    channel.appendLine(`Signatures of ${result.images.length} images (FROM lines and pipeline jobs; ${new Date().toISOString()}). Each line: file:line:column (click to open), image, verdict, why.`);
    const counts = new Map<string, number>();
    for (const image of result.images) {
      counts.set(image.verdict, (counts.get(image.verdict) ?? 0) + 1);
      channel.appendLine('');
      channel.appendLine(`${location(image.uri, image.range)}  ${image.reference}${image.digest ? `@${image.digest}` : ''}`);
      channel.appendLine(`  ${image.verdict.toUpperCase()}: ${image.summary}`);
    }
    channel.appendLine('');
    channel.appendLine(`Summary: ${[...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ') || 'no images'}.`);
    channel.show(true);
  });
}

/** Registry lookups on or off, where the setting is set; never on in an untrusted workspace. */
export async function toggleRegistryLookups(): Promise<boolean | undefined> {
  const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const configuration = vscode.workspace.getConfiguration(SECTION, resource);
  const on = configuration.get<boolean>('registry.lookups') === true && vscode.workspace.isTrusted;
  if (!on && !vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Registry lookups stay off in an untrusted workspace: they would contact registries and run credential helpers. Trust the workspace first.', 'Manage Workspace Trust')
      .then((choice) => { if (choice) void vscode.commands.executeCommand('workbench.trust.manage'); });
    return undefined;
  }
  const inspected = configuration.inspect<boolean>('registry.lookups');
  // Change it where it is decided: the most specific level that sets it, else the user's settings.
  const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await configuration.update('registry.lookups', !on, target);
  void vscode.window.setStatusBarMessage(`Container Guard: registry lookups ${on ? 'off' : 'on'}`, 3_000);
  return !on;
}

interface RuleEntry {
  id: string;
  title: string;
}

/** Rule ids and titles from the manifest (generated from the rule registry, see client/manifest.mjs). */
function rulesOfManifest(extension: vscode.ExtensionContext): RuleEntry[] {
  const properties = (extension.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, { properties?: Record<string, { description?: string }> }> } } })
    .contributes?.configuration?.properties?.['containerGuard.rules']?.properties ?? {};
  return Object.entries(properties).map(([id, schema]) => ({ id, title: (schema.description ?? '').replace(/ \(default: \w+\)$/, '') }));
}

/** Opens docs/rules/<id>.md rendered in the Markdown preview; asks for the rule when none is given. */
export async function openRuleDoc(context: CommandContext, ruleId?: unknown): Promise<string | undefined> {
  let id = typeof ruleId === 'string' ? ruleId : undefined;
  if (!id) {
    const rules = rulesOfManifest(context.extension);
    const picked = await vscode.window.showQuickPick(rules.map((rule) => ({ label: rule.id, detail: rule.title })), { placeHolder: 'Rule whose documentation to open', matchOnDetail: true });
    id = picked?.label;
  }
  if (!id || !/^[a-z0-9-]+$/.test(id)) return undefined;
  const page = vscode.Uri.joinPath(context.extension.extensionUri, 'docs', 'rules', `${id}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showWarningMessage(`Container Guard has no documentation page for "${id}".`);
    return undefined;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
  return id;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the team file' });
}

/** Writes `.container-guard.yaml` from the current settings of the folder, and opens it. */
export async function createTeamFile(): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: the team file goes to its root.');
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder.uri, TEAM_FILE);
  try {
    await vscode.workspace.fs.stat(uri);
    void vscode.window.showWarningMessage(`${TEAM_FILE} already exists in ${folder.name}.`, 'Open It').then((choice) => {
      if (choice) void vscode.window.showTextDocument(uri);
    });
    return undefined;
  } catch {
    // Does not exist yet: create it.
  }
  const configuration = vscode.workspace.getConfiguration(SECTION, folder.uri);
  const settings: TeamFileSettings = {
    ruleSet: configuration.get<string>('ruleSet'),
    rules: configuration.get<Record<string, string>>('rules'),
    ignore: configuration.get<string[]>('ignore'),
    honourHadolintPragmas: configuration.get<boolean>('honourHadolintPragmas'),
    windowsHost: configuration.get<string | null>('windowsHost') ?? null,
    isolation: configuration.get<string>('isolation'),
    trustedRegistries: configuration.get<string[]>('trustedRegistries'),
    requireSignedPackages: configuration.get<boolean>('requireSignedPackages'),
  };
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(teamFileText(settings)));
  await vscode.window.showTextDocument(uri);
  return uri;
}

/** Opens the team file that applies (argument from the status item), else the first folder's, else offers to create one. */
export async function openTeamFile(file?: unknown): Promise<void> {
  if (file instanceof vscode.Uri) {
    await vscode.window.showTextDocument(file);
    return;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const name of [TEAM_FILE, '.container-guard.yml']) {
      const uri = vscode.Uri.joinPath(folder.uri, name);
      try {
        await vscode.workspace.fs.stat(uri);
        await vscode.window.showTextDocument(uri);
        return;
      } catch {
        // Next.
      }
    }
  }
  const choice = await vscode.window.showInformationMessage('There is no team file (.container-guard.yaml) in this workspace.', 'Create from Settings');
  if (choice) await createTeamFile();
}

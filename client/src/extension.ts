// VS Code entry point: starts the bundled language server for Dockerfiles, nuget.config, pipeline YAML and
// the team file, forwards settings, restarts the server when it crashes, and keeps a trace output channel;
// registers the commands (commands.ts), the language status items (status.ts) and the rule links
// (ruleLinks.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind,
  type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import {
  createTeamFile, fixAllInWorkspace, lintWorkspace, openRuleDoc, openTeamFile, pinAllDigests, toggleRegistryLookups, verifyImageSignatures,
  type CommandContext,
} from './commands';
import { DOCUMENT_SELECTOR, TEAM_FILE_GLOB, isPipelineLanguage } from './documentSelector';
import { STATUS_CHANGED_NOTIFICATION, STATUS_REQUEST, WORKSPACE_TRUST_NOTIFICATION, type StatusResult } from './protocol';
import { RestartLimiter } from './restartLimiter';
import { ruleDocCommandUri, ruleIdOfDocLink } from './ruleLinks';
import { LanguageStatus, type StatusSnapshot } from './status';
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from './serverProcess';

const CLIENT_ID = 'containerGuard';
const LOOKUP_PROMPT_KEY = 'containerGuard.registryLookupPromptShown';
let client: LanguageClient | undefined;

/** What activate() returns: for the e2e suite, which reads what a person would see. */
export interface ContainerGuardApi {
  status(): StatusSnapshot;
  /** Lines written to the output channel (level and text), in order. */
  outputLines(): readonly string[];
  lintWorkspace(): ReturnType<typeof lintWorkspace>;
}

/** Rule links open the rendered page (ruleLinks.ts); other links stay as they are. */
function withRuleLinks(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  for (const diagnostic of diagnostics) {
    const code = diagnostic.code;
    if (typeof code !== 'object' || !code.target) continue;
    const id = ruleIdOfDocLink(code.target.toString(true));
    if (id) diagnostic.code = { value: code.value, target: vscode.Uri.parse(ruleDocCommandUri(id)) };
  }
  return diagnostics;
}

/**
 * The output channel as the language client sees it, recording what is written (for the suite). While a
 * restart the user asked for is under way, the client's "connection closed" error is an expected event:
 * logged as information, without the error notification the client would force.
 */
function recordingChannel(channel: vscode.LogOutputChannel, lines: string[], restarting: () => boolean): vscode.LogOutputChannel {
  const record = (level: string) => (message: string | Error, ...args: unknown[]): void => {
    const text = message instanceof Error ? message.message : message;
    // A server that exits with code 0 was shut down as asked (stop, restart, window closed): no error.
    const expected = /^Server process exited with code 0\.$/.test(text) || (restarting() && /Connection to server got closed/.test(text));
    if (level === 'error' && expected) {
      lines.push(`info ${text}`);
      channel.info(restarting() ? `${text} (restart requested)` : text);
      return;
    }
    lines.push(`${level} ${text}`);
    (channel[level as 'info'] as (m: string | Error, ...a: unknown[]) => void)(message, ...args);
  };
  return new Proxy(channel, {
    get(target, property, receiver) {
      if (property === 'error' || property === 'warn' || property === 'info') return record(property);
      if (property === 'appendLine') {
        return (value: string) => {
          // vscode-languageclient 9 writes `[Warn  - 10:00:00] text` lines; in a log channel they are
          // given their level (warnings shown as warnings, not as information).
          const match = /^\[(Error|Warn|Info|Debug) *- [^\]]*\] ([\s\S]*)$/.exec(value);
          if (!match) {
            lines.push(`line ${value}`);
            target.appendLine(value);
            return;
          }
          const level = ({ Error: 'error', Warn: 'warn', Info: 'info', Debug: 'debug' } as const)[match[1] as 'Error' | 'Warn' | 'Info' | 'Debug'];
          if (level === 'debug') target.debug(match[2]!);
          else record(level)(match[2]!);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<ContainerGuardApi> {
  const logChannel = vscode.window.createOutputChannel('Container Guard', { log: true });
  const outputLines: string[] = [];
  let restarting = false;
  const outputChannel = recordingChannel(logChannel, outputLines, () => restarting);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env: { ...SERVER_ENVIRONMENT } } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'], env: { ...SERVER_ENVIRONMENT } } },
  };
  const restarts = new RestartLimiter(5, 3 * 60_000);
  const errorHandler: ErrorHandler = {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      // Restart after a crash, but stop a crash loop and say so instead of restarting forever.
      if (restarts.allow(Date.now())) return { action: CloseAction.Restart };
      return { action: CloseAction.DoNotRestart, message: 'The Container Guard server crashed 5 times in 3 minutes and will not be restarted. See the "Container Guard" output.' };
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: {
      configurationSection: CLIENT_ID,
      fileEvents: vscode.workspace.createFileSystemWatcher(TEAM_FILE_GLOB),
    },
    diagnosticPullOptions: { onChange: true, onSave: true },
    outputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
    // The server enforces trust too: untrusted → no registry calls, no credential helpers, no trust files.
    // storageDir: where verification results by digest are kept across restarts (never read or written
    // in an untrusted workspace; holds digests, verdicts, signers and reasons, no credentials).
    initializationOptions: { trusted: vscode.workspace.isTrusted, storageDir: context.globalStorageUri.fsPath },
    middleware: {
      // YAML is sent for the server to tell pipelines from other YAML; it completes in Dockerfiles only, so
      // a `:` typed in any YAML file costs no request.
      provideCompletionItem: (document, position, context, token, next) => (isPipelineLanguage(document.languageId) ? [] : next(document, position, context, token)),
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        if (hover) offerRegistryLookups(context, document, position);
        return hover;
      },
      handleDiagnostics: (uri, diagnostics, next) => next(uri, withRuleLinks(diagnostics)),
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (report && report.kind === 'full') withRuleLinks(report.items);
        return report;
      },
    },
  };
  client = new LanguageClient(CLIENT_ID, 'Container Guard', serverOptions, clientOptions);
  const workspaceDiagnostics = vscode.languages.createDiagnosticCollection('container-guard-workspace');
  const commandContext: CommandContext = { extension: context, client: () => client, log: outputChannel, workspaceDiagnostics, withRuleLinks };
  const status = new LanguageStatus(() => client);
  context.subscriptions.push(
    logChannel,
    workspaceDiagnostics,
    status,
    vscode.commands.registerCommand('containerGuard.restartServer', async () => {
      outputChannel.info('Restarting the language server (requested).');
      restarting = true;
      try {
        await client?.restart();
      } finally {
        restarting = false;
      }
      await logStartLine(outputChannel);
    }),
    vscode.commands.registerCommand('containerGuard.showOutput', () => outputChannel.show()),
    vscode.commands.registerCommand('containerGuard.lintWorkspace', () => lintWorkspace(commandContext)),
    vscode.commands.registerCommand('containerGuard.fixAllInWorkspace', () => fixAllInWorkspace(commandContext)),
    vscode.commands.registerCommand('containerGuard.pinAllDigests', () => pinAllDigests(commandContext)),
    vscode.commands.registerCommand('containerGuard.verifyImageSignatures', () => verifyImageSignatures(commandContext)),
    vscode.commands.registerCommand('containerGuard.toggleRegistryLookups', () => toggleRegistryLookups()),
    vscode.commands.registerCommand('containerGuard.openRuleDoc', (ruleId?: unknown) => openRuleDoc(commandContext, ruleId)),
    vscode.commands.registerCommand('containerGuard.createTeamFile', () => createTeamFile()),
    vscode.commands.registerCommand('containerGuard.openTeamFile', (file?: unknown) => openTeamFile(file)),
    // A file opened in a tab shows the server's live diagnostics: its "Lint Workspace" entry would be a duplicate.
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.opened) if (tab.input instanceof vscode.TabInputText) workspaceDiagnostics.delete(tab.input.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // A restarted server would also pick it up; the notification keeps caches and open documents.
      if (client?.isRunning()) void client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
      outputChannel.info('Workspace trusted: registry lookups may run when they are on.');
    }),
    client.onDidChangeState(() => status.refresh()),
  );
  try {
    await client.start();
    context.subscriptions.push(client.onNotification(STATUS_CHANGED_NOTIFICATION, () => status.refresh()));
    await logStartLine(outputChannel);
  } catch (error) {
    // VS Code does not report activation failures to the user; do it here.
    void vscode.window.showErrorMessage(`Container Guard could not start its language server: ${String(error)}`);
  }
  status.refresh();
  return {
    status: () => status.snapshot,
    outputLines: () => outputLines,
    lintWorkspace: () => lintWorkspace(commandContext),
  };
}

/** One line saying what is in force: version, rule set, team file, trust and lookups (of the first folder). */
async function logStartLine(channel: vscode.LogOutputChannel): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const trust = vscode.workspace.isTrusted ? 'trusted' : 'untrusted (no registry calls, no processes started)';
  let status: StatusResult | undefined;
  try {
    if (client?.isRunning() && folder?.scheme === 'file') status = await client.sendRequest<StatusResult>(STATUS_REQUEST, { uri: client.code2ProtocolConverter.asUri(folder) });
  } catch {
    status = undefined;
  }
  const configuration = vscode.workspace.getConfiguration(CLIENT_ID, folder);
  const lookups = vscode.workspace.isTrusted && configuration.get<boolean>('registry.lookups') === true ? 'on' : 'off';
  channel.info(`Container Guard ${status?.version ?? '?'} started: rule set ${status?.ruleSet ?? configuration.get<string>('ruleSet') ?? 'recommended'}, team file ${status?.teamFile ? vscode.workspace.asRelativePath(status.teamFile) : 'none'}, workspace ${trust}, registry lookups ${lookups}.`);
}

/**
 * Once per user (remembered in globalState): the first hover on a FROM image while registry lookups are
 * off offers to turn them on. Nothing is fetched unless the user says yes.
 */
function offerRegistryLookups(context: vscode.ExtensionContext, document: vscode.TextDocument, position: vscode.Position): void {
  if (context.globalState.get<boolean>(LOOKUP_PROMPT_KEY) || !vscode.workspace.isTrusted) return;
  if (!/^\s*FROM\s/i.test(document.lineAt(position.line).text)) return;
  const configuration = vscode.workspace.getConfiguration(CLIENT_ID, document.uri);
  if (configuration.get<boolean>('registry.lookups') === true) return;
  void context.globalState.update(LOOKUP_PROMPT_KEY, true);
  void vscode.window.showInformationMessage(
    'Container Guard can look up FROM images in their registries to show the digest and verify signatures. Enable registry lookups?',
    'Enable', 'Not now',
  ).then(async (choice) => {
    if (choice === 'Enable') await configuration.update('registry.lookups', true, vscode.ConfigurationTarget.Global);
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

// VS Code entry point: starts the bundled language server for Dockerfiles, nuget.config, pipeline YAML and
// the team file, forwards settings, restarts the server when it crashes, and keeps a trace output channel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind,
  type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR, TEAM_FILE_GLOB, isPipelineLanguage } from './documentSelector';
import { RestartLimiter } from './restartLimiter';

const CLIENT_ID = 'containerGuard';
/** Must match WORKSPACE_TRUST_NOTIFICATION in server/src/lsp/protocol.ts. */
const WORKSPACE_TRUST_NOTIFICATION = 'containerGuard/workspaceTrust';
const LOOKUP_PROMPT_KEY = 'containerGuard.registryLookupPromptShown';
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('Container Guard', { log: true });
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
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
    },
  };
  client = new LanguageClient(CLIENT_ID, 'Container Guard', serverOptions, clientOptions);
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand('containerGuard.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('containerGuard.showOutput', () => outputChannel.show()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // A restarted server would also pick it up; the notification keeps caches and open documents.
      if (client?.isRunning()) void client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
    }),
  );
  try {
    await client.start();
  } catch (error) {
    // VS Code does not report activation failures to the user; do it here.
    void vscode.window.showErrorMessage(`Container Guard could not start its language server: ${String(error)}`);
  }
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

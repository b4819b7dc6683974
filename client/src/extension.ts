// VS Code entry point: starts the bundled language server for Dockerfiles (and the team file),
// forwards settings, restarts the server when it crashes, and keeps a trace output channel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind,
  type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR, TEAM_FILE_GLOB } from './documentSelector';
import { RestartLimiter } from './restartLimiter';

const CLIENT_ID = 'containerGuard';
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
  };
  client = new LanguageClient(CLIENT_ID, 'Container Guard', serverOptions, clientOptions);
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand('containerGuard.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('containerGuard.showOutput', () => outputChannel.show()),
  );
  try {
    await client.start();
  } catch (error) {
    // VS Code does not report activation failures to the user; do it here.
    void vscode.window.showErrorMessage(`Container Guard could not start its language server: ${String(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

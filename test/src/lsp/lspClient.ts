// A small LSP test client for the bundled language server (dist/server.js) over a real stdio
// connection: spawns `node dist/server.js --stdio`, answers the requests the server sends to its client
// (workspace/configuration, client/registerCapability, workspace/diagnostic/refresh), records what it
// receives, and offers helpers for the requests the tests make. Always call dispose() (or use
// withServer()) so the child process never outlives the test.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities, CodeAction, CodeActionParams, Command, ConfigurationItem, ConfigurationParams, Diagnostic,
  DocumentDiagnosticReport, FileEvent, InitializeParams, InitializeResult, PublishDiagnosticsParams, Range, Registration,
  RegistrationParams, TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from '../../../client/out/serverProcess';

/** Repository root: this file is compiled to test/out/lsp/lspClient.js. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');
export const SETTINGS_SECTION = 'containerGuard';

export const DEFAULT_TIMEOUT_MS = 5_000;

/** Capabilities of a VS Code–like client: pull diagnostics, configuration pull, versioned edits, refresh. */
export function pullClientCapabilities(): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      workspaceFolders: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      workspaceEdit: { documentChanges: true },
      diagnostics: { refreshSupport: true },
    },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: true },
      diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
      publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
      codeAction: {
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
        isPreferredSupport: true,
      },
    },
  };
}

/** Capabilities of a push-only client (like Neovim 0.7): no pull diagnostics, no configuration pull, plain `changes` edits. */
export function pushClientCapabilities(): ClientCapabilities {
  return {
    workspace: { workspaceFolders: true },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      publishDiagnostics: { versionSupport: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } } },
    },
  };
}

export interface InitializeOptions {
  capabilities?: ClientCapabilities;
  /** Workspace folders as file-system paths. */
  workspaceFolders?: string[];
  initializationOptions?: unknown;
  /** Send `initialized` after the initialize response (default true). */
  sendInitialized?: boolean;
}

export interface LogMessage {
  type: number;
  message: string;
}

/** Rejects with a labelled error when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${typeof label === 'string' ? label : label()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function fileUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcessWithoutNullStreams;
  /** Settings answered to workspace/configuration: section → value, with optional per-scopeUri overrides. */
  readonly settings = new Map<string, unknown>();
  readonly scopedSettings = new Map<string, Map<string, unknown>>();
  /** Every workspace/configuration request's items, in arrival order. */
  readonly configurationRequests: ConfigurationItem[][] = [];
  readonly registrations: Registration[] = [];
  readonly publishedDiagnostics: PublishDiagnosticsParams[] = [];
  readonly logMessages: LogMessage[] = [];
  refreshCount = 0;
  stderr = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;
  connectionClosed = false;
  initializeResult: InitializeResult | null = null;

  private readonly versions = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private disposed = false;

  constructor(serverArgs: string[] = ['--stdio']) {
    if (!fs.existsSync(SERVER_BUNDLE)) {
      throw new Error(`The bundled server ${SERVER_BUNDLE} does not exist: run \`npm run build\` first.`);
    }
    // Started as the extension starts it (client/src/serverProcess.ts), so tests and the bench measure that process.
    this.child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_BUNDLE, ...serverArgs], { cwd: REPO_ROOT, env: { ...process.env, ...SERVER_ENVIRONMENT }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        this.notify();
        resolve();
      });
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => { this.stderr += chunk; });
    // Writing to a dead child must surface as a failed request, not as an unhandled 'error' event.
    this.child.stdin.on('error', () => undefined);

    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onClose(() => {
      this.connectionClosed = true;
      this.notify();
    });
    this.connection.onError(() => undefined);

    this.connection.onRequest('workspace/configuration', (params: ConfigurationParams) => {
      this.configurationRequests.push(params.items);
      this.notify();
      return params.items.map((item) => this.configurationValue(item));
    });
    this.connection.onRequest('client/registerCapability', (params: RegistrationParams) => {
      this.registrations.push(...params.registrations);
      this.notify();
      return null;
    });
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshCount++;
      this.notify();
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.publishedDiagnostics.push(params);
      this.notify();
    });
    this.connection.onNotification('window/logMessage', (params: LogMessage) => {
      this.logMessages.push(params);
    });
    this.connection.listen();
  }

  /** The value for one workspace/configuration item (`null` when unknown, as the protocol asks). */
  configurationValue(item: ConfigurationItem): unknown {
    const scoped = item.scopeUri !== undefined ? this.scopedSettings.get(item.scopeUri) : undefined;
    if (item.section === undefined) {
      return { ...Object.fromEntries(this.settings), ...(scoped ? Object.fromEntries(scoped) : {}) };
    }
    if (scoped?.has(item.section)) return scoped.get(item.section) ?? null;
    return this.settings.get(item.section) ?? null;
  }

  /** Sets the `containerGuard` settings (for all documents, or for one scopeUri). */
  setSettings(value: unknown, scopeUri?: string): void {
    if (scopeUri === undefined) {
      this.settings.set(SETTINGS_SECTION, value);
      return;
    }
    let scoped = this.scopedSettings.get(scopeUri);
    if (!scoped) this.scopedSettings.set(scopeUri, scoped = new Map());
    scoped.set(SETTINGS_SECTION, value);
  }

  /** True while the server process runs and the connection is open. */
  get alive(): boolean {
    return this.exitCode === null && this.exitSignal === null && !this.connectionClosed;
  }

  async initialize(options: InitializeOptions = {}): Promise<InitializeResult> {
    const folders = (options.workspaceFolders ?? []).map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) }));
    const params: InitializeParams = {
      processId: process.pid,
      clientInfo: { name: 'container-guard-test-client', version: '0.0.0' },
      rootUri: folders[0]?.uri ?? null,
      capabilities: options.capabilities ?? pullClientCapabilities(),
      workspaceFolders: folders.length > 0 ? folders : null,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    };
    const result = await this.request<InitializeResult>('initialize', params);
    this.initializeResult = result;
    if (options.sendInitialized !== false) await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** A request with a timeout, so a hung server fails the test instead of stalling it. */
  request<R>(method: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<R> {
    return withTimeout(this.connection.sendRequest<R>(method, params), timeoutMs, () => `${method} (server stderr: ${this.stderr.slice(-500)})`);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      try {
        if (!waiter.check()) continue;
        this.waiters.delete(waiter);
        waiter.resolve();
      } catch (error) {
        this.waiters.delete(waiter);
        waiter.reject(error);
      }
    }
  }

  /**
   * Resolves once `condition` holds (checked now and after every message the client receives and when
   * the server exits); rejects when `condition` throws or on timeout.
   */
  waitFor(condition: () => boolean, label: string | (() => string), timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    let waiter: Waiter | undefined;
    const done = new Promise<void>((resolve, reject) => {
      if (condition()) {
        resolve();
        return;
      }
      waiter = { check: condition, resolve, reject };
      this.waiters.add(waiter);
    });
    return withTimeout(done, timeoutMs, label).finally(() => { if (waiter) this.waiters.delete(waiter); });
  }

  async didOpen(uri: string, text: string, version = 1, languageId = 'dockerfile'): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Sends content changes (range edits or a full text) and returns the new version. */
  async didChange(uri: string, changes: TextDocumentContentChangeEvent[], version?: number): Promise<number> {
    const next = version ?? (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, next);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: next }, contentChanges: changes });
    return next;
  }

  async replaceText(uri: string, text: string): Promise<number> {
    return this.didChange(uri, [{ text }]);
  }

  async editRange(uri: string, range: Range, text: string): Promise<number> {
    return this.didChange(uri, [{ range, text }]);
  }

  async didClose(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async didChangeConfiguration(settings: unknown = null): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  async didChangeWatchedFiles(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  async pullDiagnostics(uri: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Diagnostic[]> {
    const report = await this.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, timeoutMs);
    if (report.kind !== 'full') throw new Error(`Expected a full diagnostic report, got ${JSON.stringify(report)}`);
    return report.items;
  }

  /**
   * A textDocument/diagnostic request that is cancelled (`$/cancelRequest`) after `cancelAfterMs`
   * (0 = right after sending). Resolves with the outcome instead of rejecting.
   */
  async pullDiagnosticsCancelled(uri: string, cancelAfterMs = 0): Promise<{ result?: DocumentDiagnosticReport; error?: { code?: number; message: string } }> {
    const source = new CancellationTokenSource();
    const pending = this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    if (cancelAfterMs > 0) await delay(cancelAfterMs);
    source.cancel();
    try {
      return { result: await withTimeout(pending, DEFAULT_TIMEOUT_MS, 'cancelled textDocument/diagnostic to settle') };
    } catch (error) {
      const e = error as { code?: number; message?: string };
      return { error: { ...(e.code !== undefined ? { code: e.code } : {}), message: e.message ?? String(error) } };
    } finally {
      source.dispose();
    }
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<Array<CodeAction | Command>> {
    const params: CodeActionParams = {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    };
    return (await this.request<Array<CodeAction | Command> | null>('textDocument/codeAction', params)) ?? [];
  }

  /** Pushed diagnostics for `uri` received since index `since` of publishedDiagnostics. */
  publishedFor(uri: string, since = 0): PublishDiagnosticsParams[] {
    return this.publishedDiagnostics.slice(since).filter((p) => p.uri === uri);
  }

  /** The first publishDiagnostics for `uri` (at index ≥ since) that satisfies `predicate`. */
  async waitForPublish(
    uri: string,
    predicate: (params: PublishDiagnosticsParams) => boolean = () => true,
    options: { since?: number; timeoutMs?: number } = {},
  ): Promise<PublishDiagnosticsParams> {
    const since = options.since ?? 0;
    let found: PublishDiagnosticsParams | undefined;
    await this.waitFor(() => {
      if (!this.alive) throw new Error(`Server died while waiting for diagnostics of ${uri}: ${this.stderr.slice(-500)}`);
      found = this.publishedFor(uri, since).find(predicate);
      return found !== undefined;
    }, () => `publishDiagnostics for ${uri} (received: ${JSON.stringify(this.publishedFor(uri, since).map((p) => ({ version: p.version, codes: p.diagnostics.map((d) => `${String(d.code)}/${d.severity ?? '-'}`) })))})`,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return found!;
  }

  async waitForRefresh(after: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.waitFor(() => this.refreshCount > after, 'workspace/diagnostic/refresh', timeoutMs);
  }

  /** Polite shutdown (shutdown request + exit notification); returns the exit code. Kills on timeout. */
  async shutdown(timeoutMs = 2_000): Promise<number | null> {
    if (this.alive) {
      try {
        await this.request('shutdown', null, timeoutMs);
        await this.connection.sendNotification('exit');
        await withTimeout(this.exited, timeoutMs, 'server exit after shutdown/exit');
      } catch {
        // Fall through to kill.
      }
    }
    await this.dispose();
    return this.exitCode;
  }

  /** Ends the connection and makes sure the child process is gone. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.disposed) {
      await this.exited;
      return;
    }
    this.disposed = true;
    this.waiters.clear();
    this.connection.dispose();
    if (this.exitCode === null && this.exitSignal === null) {
      this.child.stdin.end();
      this.child.kill('SIGTERM');
      const gone = await Promise.race([this.exited.then(() => true), delay(1_000).then(() => false)]);
      if (!gone) this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}

/** Starts a server, runs `body`, and always disposes of the server (killing it if needed). */
export async function withServer<T>(body: (client: LspTestClient) => Promise<T>): Promise<T> {
  const client = new LspTestClient();
  try {
    return await body(client);
  } finally {
    await client.dispose();
  }
}

/** The Markdown of a hover at `character` on line 0 (the FROM line in the registry tests). */
export async function hoverText(client: LspTestClient, uri: string, character = 8, timeoutMs = 8_000): Promise<string> {
  const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character } }, timeoutMs);
  if (!hover) throw new Error('no hover on the FROM image');
  return hover.contents.value;
}

/** Hovers up to `times` times (pausing between) until the Registry section is no longer "checking". */
export async function settledHover(client: LspTestClient, uri: string, times = 3): Promise<string> {
  let text = '';
  for (let i = 0; i < times; i++) {
    text = await hoverText(client, uri);
    if (!text.includes('Checking the registry')) return text;
    await delay(500);
  }
  return text;
}

// The stdio driver: the bundled server (dist/server.js --stdio) through LspTestClient. Each case opens a
// mutated corpus document, sends incremental edits (random inserts and deletes, `\r` inserted before an
// existing `\n`, two changes in one notification, sometimes the whole text), and between them hover,
// completion, code actions and pull diagnostics at random and edge positions (past the line end, past
// the document end), requests cancelled with $/cancelRequest, malformed params, and configuration
// changes while requests are in flight. Invariants:
//   - the server stays alive; no response is an internal error (-32603); malformed params get
//     InvalidParams (-32602) or a null/empty answer; a cancelled request answers or says cancelled;
//   - every range in a hover, completion item, diagnostic and code-action edit lies inside the client's
//     document; code-action edits name the client's version;
//   - the server's text equals the client's: the diagnostics of the edited document equal those of a
//     fresh didOpen of the client's text;
//   - the server logs no failed lint, rule, hover or completion.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Diagnostic, Hover, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { FileKind } from '../../../server/out/engine/types';
import { fileUri, LspTestClient, pullClientCapabilities, withTimeout } from '../lsp/lspClient';
import { KINDS, seedsOf, type Seed } from './corpus';
import type { Failure } from './inProcess';
import { textExpression } from './inProcess';
import { caseArbitrary, caseText, seedOf, tokensOf, type FuzzCase } from './mutations';

export interface StdioKindRun { cases: number; edits: number; requests: number; cancelled: number; configurationChanges: number; failures: Failure[] }
export interface StdioRun { kinds: Record<FileKind, StdioKindRun>; serversStarted: number; knownHits: Record<string, number> }

type Operation =
  | { op: 'edit'; at: number; remove: number; text: string }
  | { op: 'crBeforeLf'; nth: number }
  | { op: 'twoEdits'; at: number; text: string; at2: number; remove2: number }
  | { op: 'replaceAll'; truncate: number }
  | { op: 'hover' | 'completion' | 'codeAction'; line: number; character: number; edge: number }
  | { op: 'diagnostics' }
  | { op: 'cancelled'; method: 'hover' | 'diagnostic' | 'codeAction'; line: number; character: number }
  | { op: 'malformed'; variant: number }
  | { op: 'configuration'; variant: number };

interface StdioCase { base: FuzzCase; operations: Operation[] }

const INTERNAL_ERROR = -32603;
const INVALID_PARAMS = -32602;
const CANCELLED_CODES = new Set([-32800, -32802]);
const FIX_ALL_KIND = 'source.fixAll.containerGuard';

const SETTINGS_VARIANTS: unknown[] = [
  {},
  { ruleSet: 'strict' },
  { ruleSet: 'strict', windowsHost: 'ltsc2022', trustedRegistries: ['*.azurecr.io'] },
  { ruleSet: 'recommended', rules: { 'base-image-latest': 'off', 'nuget-http-source': 'error' }, honourHadolintPragmas: false },
];

function operationArbitrary(kind: FileKind): fc.Arbitrary<Operation> {
  const at = fc.nat({ max: 1 << 20 });
  const text = fc.oneof(fc.constantFrom(...tokensOf(kind)), fc.string({ maxLength: 6 }), fc.constantFrom('\r', '\n', '\r\n', '\\\n', '`\r\n'));
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('edit' as const), at, remove: fc.integer({ min: 0, max: 8 }), text }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('crBeforeLf' as const), nth: at }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('twoEdits' as const), at, text, at2: at, remove2: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('replaceAll' as const), truncate: at }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('hover' as const, 'completion' as const, 'codeAction' as const), line: at, character: at, edge: fc.nat({ max: 5 }) }) },
    { weight: 2, arbitrary: fc.constant({ op: 'diagnostics' as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('cancelled' as const), method: fc.constantFrom('hover' as const, 'diagnostic' as const, 'codeAction' as const), line: at, character: at }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('malformed' as const), variant: fc.nat({ max: 7 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('configuration' as const), variant: fc.nat({ max: SETTINGS_VARIANTS.length - 1 }) }) },
  );
}

function stdioCaseArbitrary(kind: FileKind, seeds: number): fc.Arbitrary<StdioCase> {
  return fc.record({ base: caseArbitrary(kind, seeds), operations: fc.array(operationArbitrary(kind), { minLength: 1, maxLength: 12 }) });
}

class StdioFailure extends Error {
  constructor(readonly invariant: string, readonly key: string, detail: string) {
    super(`${invariant} [${key}]: ${detail}`);
  }

  get signature(): string {
    return `stdio: ${this.invariant}|${this.key}`;
  }
}

function lineLength(document: TextDocument, line: number): number {
  const text = document.getText();
  const start = document.offsetAt({ line, character: 0 });
  const end = line + 1 < document.lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : text.length;
  return text.slice(start, end).replace(/(\r\n|\r|\n)$/, '').length;
}

function inside(document: TextDocument, range: Range | undefined): boolean {
  if (!range) return false;
  for (const position of [range.start, range.end]) {
    if (!Number.isInteger(position.line) || !Number.isInteger(position.character) || position.line < 0 || position.character < 0 || position.line >= document.lineCount) return false;
    const back = document.positionAt(document.offsetAt(position));
    if (back.line !== position.line || back.character !== position.character) return false;
  }
  return range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
}

function errorCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

/** One client session over one server process; `run` executes a case. */
class Session {
  client!: LspTestClient;
  logIndex = 0;
  serversStarted = 0;
  private counter = 0;

  constructor(readonly workspace: string) {}

  async start(): Promise<void> {
    this.client = new LspTestClient();
    this.serversStarted++;
    this.client.setSettings({});
    // LspTestClient.initialize waits 5 s; a loaded machine may need longer to start the bundle.
    await this.client.request('initialize', {
      processId: process.pid, clientInfo: { name: 'container-guard-fuzz', version: '0.0.0' }, rootUri: fileUri(this.workspace),
      capabilities: pullClientCapabilities(), workspaceFolders: [{ uri: fileUri(this.workspace), name: path.basename(this.workspace) }],
    }, 60_000);
    await this.client.connection.sendNotification('initialized', {});
    this.logIndex = 0;
  }

  async ensureAlive(): Promise<void> {
    if (!this.client || !this.client.alive) {
      if (this.client) await this.client.dispose();
      await this.start();
    }
  }

  async stop(): Promise<void> {
    if (this.client) await this.client.shutdown();
  }

  /** Runs a case; throws StdioFailure on a broken invariant. `log` receives the operations as sent. */
  async run(kind: FileKind, seeds: readonly Seed[], fuzzCase: StdioCase, stats: StdioKindRun, log: string[]): Promise<void> {
    await this.ensureAlive();
    const client = this.client;
    const seed = seedOf(fuzzCase.base, seeds);
    const id = this.counter++;
    const relative = seed.originalPath.split('/').filter((part) => part && part !== '..');
    const uri = fileUri(path.join(this.workspace, `c${id}`, ...relative));
    const freshUri = fileUri(path.join(this.workspace, `c${id}-fresh`, ...relative));
    const languageId = kind === 'dockerfile' ? 'dockerfile' : kind === 'nuget-config' ? 'xml' : 'yaml';
    let text = caseText(fuzzCase.base, seeds);
    let document = TextDocument.create(uri, languageId, 1, text);
    let version = 1;
    log.push(`open ${kind} ${JSON.stringify(relative.join('/'))}: ${textExpression(text)}`);
    await client.didOpen(uri, text, 1, languageId);
    const pending: Array<Promise<void>> = [];
    // A case that fails early leaves these unawaited: never an unhandled rejection.
    const track = (promise: Promise<void>): void => {
      promise.catch(() => undefined);
      pending.push(promise);
    };

    const checkLogs = (): void => {
      const messages = client.logMessages.slice(this.logIndex);
      this.logIndex = client.logMessages.length;
      const bad = messages.find((message) => /failed|threw|TypeError|RangeError|ReferenceError/.test(message.message) && !/Cannot read .*container-guard/.test(message.message));
      if (bad) {
        const first = bad.message.split('\n')[0]!;
        const frame = bad.message.split('\n').find((line) => /server\.js:\d+/.test(line))?.trim().replace(/:\d+:\d+\)?$/, '') ?? '';
        throw new StdioFailure('server logged a failure', `${first.replace(/file:\/\/\S+/g, '<uri>').replace(/\d+/g, 'N').slice(0, 80)} ${frame}`, bad.message.slice(0, 600));
      }
    };
    const alive = (what: string): void => {
      if (!client.alive) throw new StdioFailure('server died', what, `exit ${client.exitCode} ${client.exitSignal}; stderr ${client.stderr.slice(-400)}`);
    };
    const request = async <R>(method: string, params: unknown, what: string): Promise<R | undefined> => {
      stats.requests++;
      try {
        return await client.request<R>(method, params, 15_000);
      } catch (error) {
        const code = errorCode(error);
        if (code === INTERNAL_ERROR) throw new StdioFailure('internal error response', `${method} ${what}`, (error as Error).message);
        if (code !== undefined && CANCELLED_CODES.has(code)) return undefined;
        if (code === undefined) alive(method);
        throw new StdioFailure('unexpected error response', `${method} ${code}`, (error as Error).message);
      }
    };
    const positionFor = (line: number, character: number, edge: number): { line: number; character: number } => {
      const last = document.lineCount - 1;
      switch (edge) {
        case 1: return { line: last, character: lineLength(document, last) };
        case 2: { const l = line % document.lineCount; return { line: l, character: lineLength(document, l) + 1 + (character % 50) }; } // past the line end
        case 3: return { line: last + 1 + (line % 5), character: character % 10 }; // past the document end
        default: { const l = line % document.lineCount; return { line: l, character: character % (lineLength(document, l) + 1) }; }
      }
    };
    const checkHover = (hover: Hover | null | undefined, what: string): void => {
      if (hover?.range && !inside(document, hover.range)) throw new StdioFailure('hover range outside the document', kind, `${what}: ${JSON.stringify(hover.range)}`);
    };
    const checkCompletion = (items: CompletionItem[] | { items: CompletionItem[] } | null | undefined, what: string): void => {
      const list = Array.isArray(items) ? items : items?.items ?? [];
      for (const item of list) {
        const edit = item.textEdit as TextEdit | undefined;
        if (edit && !inside(document, edit.range)) throw new StdioFailure('completion range outside the document', kind, `${what}: ${item.label} ${JSON.stringify(edit.range)}`);
      }
    };
    const editsOf = (edit: WorkspaceEdit | undefined): TextEdit[] => {
      if (!edit) return [];
      const edits: TextEdit[] = [];
      for (const change of edit.documentChanges ?? []) {
        const textEdit = change as TextDocumentEdit;
        if (textEdit.textDocument.uri !== uri) throw new StdioFailure('code action edits another document', kind, textEdit.textDocument.uri);
        if (textEdit.textDocument.version !== version) throw new StdioFailure('code action for another version', kind, `${textEdit.textDocument.version} ≠ ${version}`);
        edits.push(...textEdit.edits as TextEdit[]);
      }
      for (const list of Object.values(edit.changes ?? {})) edits.push(...list);
      return edits;
    };
    const checkActions = (actions: CodeAction[] | null | undefined, what: string): void => {
      for (const action of actions ?? []) {
        const edits = editsOf(action.edit);
        for (const edit of edits) {
          if (!inside(document, edit.range)) throw new StdioFailure('code action edit outside the document', `${action.kind ?? ''} ${action.title.replace(/\d+/g, 'N').slice(0, 50)}`, `${what}: ${JSON.stringify(edit.range)}`);
        }
        try {
          TextDocument.applyEdits(document, edits);
        } catch (error) {
          throw new StdioFailure('code action edits do not apply', action.title.slice(0, 50), String(error));
        }
      }
    };
    const pullDiagnostics = async (target: string): Promise<Diagnostic[] | undefined> => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const report = await request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: target } }, 'pull');
        if (report) return report.items;
      }
      return undefined;
    };
    const change = async (changes: Array<{ range?: Range; text: string }>, newText: string): Promise<void> => {
      version++;
      stats.edits++;
      await client.didChange(uri, changes as never, version);
      text = newText;
      document = TextDocument.create(uri, languageId, version, text);
    };

    for (const operation of fuzzCase.operations) {
      switch (operation.op) {
        case 'edit': {
          // The client's new text comes from the range it sends (positionAt moves an offset inside a CR LF before the CR).
          const range = { start: document.positionAt(operation.at % (text.length + 1)), end: document.positionAt(operation.at % (text.length + 1) + operation.remove) };
          const start = document.offsetAt(range.start);
          const end = document.offsetAt(range.end);
          log.push(`change ${JSON.stringify(range)} → ${JSON.stringify(operation.text)}`);
          await change([{ range, text: operation.text }], text.slice(0, start) + operation.text + text.slice(end));
          break;
        }
        case 'crBeforeLf': {
          const breaks: number[] = [];
          for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10 && text.charCodeAt(i - 1) !== 13) breaks.push(i);
          if (breaks.length === 0) break;
          const offset = breaks[operation.nth % breaks.length]!;
          const position = document.positionAt(offset);
          log.push(`change ${JSON.stringify({ start: position, end: position })} → "\\r" (before an existing \\n)`);
          await change([{ range: { start: position, end: position }, text: '\r' }], `${text.slice(0, offset)}\r${text.slice(offset)}`);
          break;
        }
        case 'twoEdits': {
          const firstPosition = document.positionAt(operation.at % (text.length + 1));
          const first = { start: firstPosition, end: firstPosition };
          const start = document.offsetAt(firstPosition);
          const middle = text.slice(0, start) + operation.text + text.slice(start);
          const middleDocument = TextDocument.create(uri, languageId, version, middle);
          const second = { start: middleDocument.positionAt(operation.at2 % (middle.length + 1)), end: middleDocument.positionAt(operation.at2 % (middle.length + 1) + operation.remove2) };
          const start2 = middleDocument.offsetAt(second.start);
          const end2 = middleDocument.offsetAt(second.end);
          log.push(`change [${JSON.stringify(first)} → ${JSON.stringify(operation.text)}, ${JSON.stringify(second)} → ""]`);
          await change([{ range: first, text: operation.text }, { range: second, text: '' }], middle.slice(0, start2) + middle.slice(end2));
          break;
        }
        case 'replaceAll': {
          const next = text.slice(0, operation.truncate % (text.length + 1));
          log.push(`change (full text) → ${textExpression(next)}`);
          await change([{ text: next }], next);
          break;
        }
        case 'hover': case 'completion': case 'codeAction': {
          const position = positionFor(operation.line, operation.character, operation.edge);
          log.push(`${operation.op} at ${position.line}:${position.character}`);
          const what = `${operation.op} at ${position.line}:${position.character}`;
          if (operation.op === 'hover') {
            checkHover(await request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }, 'position'), what);
          } else if (operation.op === 'completion') {
            checkCompletion(await request<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position }, 'position'), what);
          } else {
            const diagnostics = (await pullDiagnostics(uri)) ?? [];
            const range = { start: position, end: positionFor(operation.character, operation.line, operation.edge) };
            const near = diagnostics.filter((d) => d.range.start.line <= range.end.line + 1).slice(0, 3);
            checkActions(await request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: near } }, 'quickfix'), what);
            checkActions(await request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: [FIX_ALL_KIND] } }, 'fix-all'), `${what} (fix-all)`);
          }
          break;
        }
        case 'diagnostics': {
          log.push('pull diagnostics');
          for (const diagnostic of (await pullDiagnostics(uri)) ?? []) {
            if (!inside(document, diagnostic.range)) throw new StdioFailure('diagnostic range outside the document', String(diagnostic.code), JSON.stringify(diagnostic.range));
          }
          break;
        }
        case 'cancelled': {
          const position = positionFor(operation.line, operation.character, 0);
          log.push(`${operation.method} at ${position.line}:${position.character}, cancelled at once`);
          const source = new CancellationTokenSource();
          const method = operation.method === 'hover' ? 'textDocument/hover' : operation.method === 'diagnostic' ? 'textDocument/diagnostic' : 'textDocument/codeAction';
          const params = operation.method === 'hover' ? { textDocument: { uri }, position }
            : operation.method === 'diagnostic' ? { textDocument: { uri } }
              : { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } };
          stats.requests++;
          stats.cancelled++;
          const sent = client.connection.sendRequest(method, params, source.token);
          source.cancel();
          track(withTimeout(sent, 15_000, `cancelled ${method}`).then(() => undefined, (error: unknown) => {
            const code = errorCode(error);
            if (code === INTERNAL_ERROR) throw new StdioFailure('internal error response', `${method} (cancelled)`, (error as Error).message);
            if (code === undefined || !CANCELLED_CODES.has(code)) throw new StdioFailure('unexpected error response', `${method} (cancelled) ${code}`, (error as Error).message);
          }).finally(() => source.dispose()));
          break;
        }
        case 'malformed': {
          const variants: Array<[string, unknown]> = [
            ['textDocument/hover', { textDocument: { uri } }],
            ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }],
            ['textDocument/hover', { textDocument: { uri }, position: { line: 'x', character: null } }],
            ['textDocument/completion', { position: { line: 0, character: 0 } }],
            ['textDocument/completion', { textDocument: { uri }, position: { line: 1e12, character: -5 } }],
            ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 } } }],
            ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
            ['textDocument/diagnostic', { textDocument: {} }],
          ];
          // The server may log why it could not answer a malformed request: that is not a failure.
          checkLogs();
          const [method, params] = variants[operation.variant % variants.length]!;
          log.push(`${method} with malformed params ${JSON.stringify(params)}`);
          stats.requests++;
          try {
            const result = await client.request<unknown>(method, params, 15_000);
            if (method === 'textDocument/hover') checkHover(result as Hover | null, 'malformed');
          } catch (error) {
            const code = errorCode(error);
            if (code === INTERNAL_ERROR) throw new StdioFailure('malformed params answered with internal error (-32603), not InvalidParams (-32602)', `${method} variant ${operation.variant % variants.length}`, (error as Error).message);
            if (code !== INVALID_PARAMS && !(code !== undefined && CANCELLED_CODES.has(code))) throw new StdioFailure('malformed params: unexpected response', `${method} ${code}`, (error as Error).message);
          }
          this.logIndex = client.logMessages.length;
          break;
        }
        case 'configuration': {
          // A pull in flight while the settings change under it.
          log.push(`configuration → ${JSON.stringify(SETTINGS_VARIANTS[operation.variant])} (while a pull is in flight)`);
          stats.configurationChanges++;
          const inFlight = pullDiagnostics(uri);
          client.setSettings(SETTINGS_VARIANTS[operation.variant]);
          await client.didChangeConfiguration(null);
          track(inFlight.then(() => undefined));
          break;
        }
      }
      alive(operation.op);
    }
    await Promise.all(pending);

    // The server's text equals the client's: same diagnostics as a fresh open of the client's text.
    const edited = await pullDiagnostics(uri);
    await client.didOpen(freshUri, text, 1, languageId);
    const fresh = await pullDiagnostics(freshUri);
    await client.didClose(freshUri);
    await client.didClose(uri);
    if (edited && fresh) {
      for (const diagnostic of edited) {
        if (!inside(document, diagnostic.range)) throw new StdioFailure('diagnostic range outside the document', String(diagnostic.code), JSON.stringify(diagnostic.range));
      }
      const view = (items: Diagnostic[]): string[] => items.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)} ${d.severity} ${d.message}`).sort();
      const a = view(edited);
      const b = view(fresh);
      if (a.join('\n') !== b.join('\n')) {
        const onlyEdited = a.filter((x) => !b.includes(x));
        const onlyFresh = b.filter((x) => !a.includes(x));
        throw new StdioFailure('server text differs from the client text (diagnostics differ from a fresh open)', kind, `only after edits: ${JSON.stringify(onlyEdited.slice(0, 3))}; only fresh: ${JSON.stringify(onlyFresh.slice(0, 3))}`);
      }
    }
    alive('end of case');
    checkLogs();
  }
}

export async function runStdio(options: { seed: number; seconds: number; progress?: (line: string) => void; known?: Set<string> }): Promise<StdioRun> {
  const empty = (): StdioKindRun => ({ cases: 0, edits: 0, requests: 0, cancelled: 0, configurationChanges: 0, failures: [] });
  const result: StdioRun = { kinds: { dockerfile: empty(), 'nuget-config': empty(), pipeline: empty() }, serversStarted: 0, knownHits: {} };
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-fuzz-ws-'));
  const session = new Session(workspace);
  const known = options.known ?? new Set<string>();
  try {
    await session.start();
    const perKindMs = (options.seconds * 1000) / KINDS.length;
    for (const [k, kind] of KINDS.entries()) {
      const seeds = seedsOf(kind);
      const stats = result.kinds[kind];
      const started = Date.now();
      let batch = 0;
      while (Date.now() - started < perKindMs) {
        const batchSeed = (options.seed + 7_777_777 * (k + 1) + batch * 104_729) | 0;
        batch++;
        let shrinking = false;
        const property = fc.asyncProperty(stdioCaseArbitrary(kind, seeds.length), async (fuzzCase) => {
          if (!shrinking) stats.cases++;
          try {
            await session.run(kind, seeds, fuzzCase, stats, []);
          } catch (error) {
            const signature = error instanceof StdioFailure ? error.signature : `stdio: harness error|${String(error).slice(0, 80)}`;
            if (known.has(signature)) {
              if (!shrinking) result.knownHits[signature] = (result.knownHits[signature] ?? 0) + 1;
              return;
            }
            shrinking = true;
            throw error;
          }
        });
        const remaining = Math.max(1_000, perKindMs - (Date.now() - started));
        const details = await fc.check(property, { seed: batchSeed, numRuns: 1_000_000, interruptAfterTimeLimit: remaining, endOnFailure: false });
        if (details.failed && details.counterexample) {
          const error = details.errorInstance;
          const signature = error instanceof StdioFailure ? error.signature : `stdio: harness error|${String(error).slice(0, 80)}`;
          known.add(signature);
          const log: string[] = [];
          let message = error instanceof Error ? error.message : String(error);
          try {
            await session.run(kind, seeds, details.counterexample[0], stats, log);
          } catch (again) {
            if (again instanceof Error) message = again.message;
          }
          const fuzzCase = details.counterexample[0];
          stats.failures.push({
            kind, signature, message, seed: batchSeed, counterexamplePath: details.counterexamplePath ?? undefined,
            seedFile: seedOf(fuzzCase.base, seeds).name, path: seedOf(fuzzCase.base, seeds).originalPath, settings: 0, probes: [],
            reproducer: log.join('\n'), hits: 1,
          });
          options.progress?.(`  stdio ${kind}: FAILURE ${signature}\n    ${log.join('\n    ')}`);
        }
      }
      options.progress?.(`  stdio ${kind}: ${stats.cases} cases, ${stats.requests} requests, ${stats.failures.length} distinct failures`);
    }
  } finally {
    result.serversStarted = session.serversStarted;
    await session.stop().catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  return result;
}

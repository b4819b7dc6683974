// Sections 3 (editor latency over a real stdio LSP connection) and 4, server half (RSS with the whole
// corpus open). The server is the bundle an editor starts: `node dist/server.js --stdio`, driven by the
// tests' LSP client (test/src/lsp/lspClient.ts), which answers workspace/configuration with the strict
// rule set.
//
// didChange → diagnostics: the client declares pull diagnostics (as VS Code does), so after each change
// it sends textDocument/diagnostic at once and the latency is from just before the didChange is written
// to the arrival of the report. JSON-RPC messages are handled in order and vscode-languageserver applies a
// didChange synchronously on arrival, so the report answers the document's new version. Should the server
// not offer pull diagnostics, the bench falls back to waiting for publishDiagnostics of that version.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CompletionItem, CompletionList, Hover, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { CORPUS, corpusDockerfiles } from '../../../server/out/engine/testing';
import { fileUri, LspTestClient, pullClientCapabilities } from '../lsp/lspClient';
import { TYPED_TEXT, windowsDockerfile } from './generate';
import { heading, mb, ms, percentile, summarize, table, verdict } from './stats';

const STRICT = { ruleSet: 'strict' };
/** Typing in one document stops early (and says so) once it has taken this long. */
const TYPING_BUDGET_MS = 90_000;

/** VmRSS and VmHWM (peak) of a process, bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function startServer(): Promise<{ client: LspTestClient; incremental: boolean; pull: boolean }> {
  const client = new LspTestClient();
  client.setSettings(STRICT);
  const result = await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [] });
  const sync = result.capabilities.textDocumentSync;
  const change = typeof sync === 'number' ? sync : sync?.change;
  return { client, incremental: change === 2, pull: !!result.capabilities.diagnosticProvider };
}

/** Sends `changes` and resolves with the ms until the diagnostics of the new version arrive. */
async function changeToDiagnostics(client: LspTestClient, uri: string, changes: TextDocumentContentChangeEvent[], pull: boolean): Promise<number> {
  const since = client.publishedDiagnostics.length;
  const start = performance.now();
  const version = await client.didChange(uri, changes);
  if (pull) await client.pullDiagnostics(uri, 60_000);
  else await client.waitForPublish(uri, (p) => p.version === version, { since, timeoutMs: 60_000 });
  return performance.now() - start;
}

async function openAndDiagnose(client: LspTestClient, uri: string, text: string, languageId: string, pull: boolean): Promise<number> {
  const since = client.publishedDiagnostics.length;
  await client.didOpen(uri, text, 1, languageId);
  if (pull) return (await client.pullDiagnostics(uri, 120_000)).length;
  return (await client.waitForPublish(uri, (p) => p.version === 1, { since, timeoutMs: 120_000 })).diagnostics.length;
}

async function timeRequests(client: LspTestClient, method: string, params: unknown, times: number): Promise<{ samples: number[]; last: unknown }> {
  let last = await client.request(method, params, 30_000); // warm-up: the first answer fills whatever the server caches
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    last = await client.request(method, params, 30_000);
    samples.push(performance.now() - start);
  }
  return { samples, last };
}

/** Hovers and completions timed per document size. */
const REQUESTS_TIMED = 200;

export async function benchEditor(): Promise<void> {
  heading('3. Editor: node dist/server.js --stdio over LSP (strict rule set)');
  const { client, incremental, pull } = await startServer();
  try {
    console.log(`server advertises: textDocumentSync.change = ${incremental ? 'Incremental' : 'Full'}, pull diagnostics ${pull ? 'yes' : 'no (waiting for publishDiagnostics instead)'}`);
    console.log(`typing: ${TYPED_TEXT.length} characters, one didChange each (${incremental ? 'incremental range edit' : 'full text'}), each followed by ${pull ? 'textDocument/diagnostic' : 'the wait for publishDiagnostics'}; the next one once the report arrived`);
    const folder = path.join(os.tmpdir(), 'container-guard-bench');
    const rows: string[][] = [];
    const latencyTargets: Array<[number, number]> = [[1_000, 20], [5_000, 60]];
    for (const [lineCount, target] of latencyTargets) {
      const doc = windowsDockerfile(lineCount);
      const uri = fileUri(path.join(folder, `generated-${lineCount}.Dockerfile`));
      let start = performance.now();
      const findings = await openAndDiagnose(client, uri, doc.text, 'dockerfile', pull);
      const openMs = performance.now() - start;

      let text = doc.text;
      const lines = text.split('\n');
      const samples: number[] = [];
      start = performance.now();
      for (let i = 0; i < TYPED_TEXT.length && performance.now() - start < TYPING_BUDGET_MS; i++) {
        const position = { line: doc.typingLine, character: doc.typingCharacter + i };
        lines[doc.typingLine] = lines[doc.typingLine]!.slice(0, position.character) + TYPED_TEXT[i]! + lines[doc.typingLine]!.slice(position.character);
        text = lines.join('\n');
        const change: TextDocumentContentChangeEvent = incremental ? { range: { start: position, end: position }, text: TYPED_TEXT[i]! } : { text };
        samples.push(await changeToDiagnostics(client, uri, [change], pull));
      }
      const p50 = percentile(samples, 50);
      const p99 = percentile(samples, 99);
      rows.push([`${lineCount} lines (${(Buffer.byteLength(doc.text) / 1024).toFixed(0)} KiB, ${findings} diagnostics)`, ms(openMs), `${samples.length}`, ms(p50), ms(p99), ms(Math.max(...samples))]);
      const note = samples.length < TYPED_TEXT.length ? ` — stopped after ${samples.length} keystrokes (${TYPING_BUDGET_MS / 1000} s budget)` : '';
      console.log('');
      verdict('3.', `didChange → diagnostics p99, ${lineCount} lines`, `${ms(p99)} (p50 ${ms(p50)})${note}`, `p99 < ${target} ms`, p99 < target);

      // 200 requests each: with 50, the "p99" was the single slowest request (one collection or scheduling
      // hiccup on a shared machine decided it); with 200 it is the second slowest.
      const hoverParams = { textDocument: { uri }, position: { line: doc.fromLine, character: doc.hoverCharacter } };
      const hover = await timeRequests(client, 'textDocument/hover', hoverParams, REQUESTS_TIMED);
      const completionParams = { textDocument: { uri }, position: { line: doc.fromLine, character: doc.completionCharacter } };
      const completion = await timeRequests(client, 'textDocument/completion', completionParams, REQUESTS_TIMED);
      const hoverLast = hover.last as Hover | null;
      const items = completion.last as CompletionItem[] | CompletionList | null;
      const itemCount = Array.isArray(items) ? items.length : items?.items.length ?? 0;
      for (const [what, result, detail] of [['hover', hover, hoverLast ? 'answered' : 'answered null'], ['completion', completion, `${itemCount} items`]] as const) {
        const s = summarize(result.samples);
        verdict('3.', `${what} on FROM, ${lineCount} lines, p99 of ${REQUESTS_TIMED} (after 1 warm-up)`, `${ms(percentile(result.samples, 99))} (median ${ms(s.median)}, min ${ms(s.min)}, max ${ms(s.max)}; ${detail})`, 'p99 < 5 ms', percentile(result.samples, 99) < 5);
      }
      await client.didClose(uri);
    }
    console.log('');
    console.log(table(['document', 'open → diagnostics', 'keystrokes', 'p50', 'p99', 'max'], rows));
    const memory = memoryOf(client.child.pid!);
    console.log(`server memory after the typing runs: VmRSS ${mb(memory.rss)}, VmHWM (peak) ${mb(memory.peak)}`);
  } finally {
    await client.shutdown();
  }
}

export async function benchServerMemory(): Promise<void> {
  heading('4. Memory');
  const { client, pull } = await startServer();
  try {
    const idle = memoryOf(client.child.pid!);
    const dockerfiles = corpusDockerfiles();
    const nugetConfigs: string[] = [];
    const walk = (directory: string): void => {
      for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/^nuget\.config$/i.test(entry.name)) nugetConfigs.push(full);
      }
    };
    walk(path.join(CORPUS, 'nuget-config'));
    const start = performance.now();
    let diagnostics = 0;
    for (const file of dockerfiles) diagnostics += await openAndDiagnose(client, fileUri(file.path), file.text, 'dockerfile', pull);
    for (const file of nugetConfigs) diagnostics += await openAndDiagnose(client, fileUri(file), fs.readFileSync(file, 'utf8'), 'xml', pull);
    const elapsed = performance.now() - start;
    const open = memoryOf(client.child.pid!);
    console.log(`server (node dist/server.js --stdio): ${dockerfiles.length} Dockerfiles and ${nugetConfigs.length} nuget.config files opened one by one, each didOpen followed by ${pull ? 'textDocument/diagnostic' : 'its publishDiagnostics'}: ${diagnostics} diagnostics in ${ms(elapsed)}`);
    console.log(`  VmRSS after initialize ${mb(idle.rss)}; with every file open ${mb(open.rss)}; VmHWM (peak) ${mb(open.peak)}`);
    verdict('4.', 'server VmRSS with the corpus open', mb(open.rss), '< 100 MB', open.rss < 100 * 1024 * 1024);
  } finally {
    await client.shutdown();
  }
}

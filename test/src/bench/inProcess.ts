// Sections 2 (in-process cold lint vs the parse floor, Windows and Linux apart; typing; nuget.config) and
// 5 (scaling with more and longer files; pathological inputs, each in a child process with a deadline).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseXml } from '@xml-tools/parser';
import { buildAst } from '@xml-tools/ast';
import { validate as dockerfileUtilsValidate } from 'dockerfile-utils';
import { lintText } from '../../../server/out/engine/lint';
import { clearTokenizerCache } from '../../../server/out/engine/shell/runAnalysis';
import { clearArgumentSplits } from '../../../server/out/engine/dockerfile/argumentMemo';
import { mergeSettings } from '../../../server/out/engine/settings';
import { CORPUS, corpusDockerfiles } from '../../../server/out/engine/testing';
import { PATHOLOGICAL_CASES } from './pathological';
import { heading, ms, range, ratio, summarize, table, verdict, type Summary } from './stats';

type Settings = ReturnType<typeof mergeSettings>;

export interface Contender<Input = string> {
  label: string;
  work: (input: Input) => unknown;
}

/**
 * Time per contender to process every text once, over `rounds` rounds. Contenders take turns within each
 * round, so JIT warm-up, garbage collection and the other core's load fall on all of them alike.
 */
export function measure<Input = string>(contenders: ReadonlyArray<Contender<Input>>, texts: readonly Input[], rounds: number): Summary[] {
  for (const { work } of contenders) for (const text of texts) work(text); // warm-up
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length;
      const { work } = contenders[index]!;
      const start = performance.now();
      for (const text of texts) work(text);
      samples[index]!.push(performance.now() - start);
    }
  }
  return samples.map(summarize);
}

const cold = (settings: Settings) => (text: string): unknown => {
  clearTokenizerCache();
  clearArgumentSplits();
  return lintText(text, 'dockerfile', settings);
};

/**
 * The floor, cold as the lint is: the argument splits kept across documents (argumentMemo.ts, installed
 * on dockerfile-ast for the whole process) are emptied first, or repeated rounds over the same files would
 * make the floor a cache lookup.
 */
const coldParse = (text: string): unknown => {
  clearArgumentSplits();
  return DockerfileParser.parse(text);
};

export function printRows(rows: ReadonlyArray<{ label: string; time: Summary }>, count: number, floor: number): void {
  console.log(table(
    ['what', 'all files, median (min–max)', 'per file', '× floor'],
    rows.map(({ label, time }) => [label, range(time), `${((time.median * 1000) / count).toFixed(0)} µs`, ratio(time.median, floor)]),
  ));
}

export function benchInProcess(rounds: number): void {
  heading('2. In process: lint vs parse floor (strict rule set)');
  const settings = mergeSettings({ ruleSet: 'strict' });
  const all = corpusDockerfiles();
  for (const flavour of ['windows', 'linux'] as const) {
    const files = corpusDockerfiles([`dockerfiles-${flavour}`]);
    const texts = files.map((f) => f.text);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const contenders: Contender[] = [
      { label: 'parse floor (dockerfile-ast parse)', work: coldParse },
      // Cold: every RUN tokenized from scratch (the tokenizer cache and the argument splits are emptied before each file).
      { label: 'container-guard lint, cold', work: cold(settings) },
      { label: 'peer: dockerfile-utils validate', work: (t) => dockerfileUtilsValidate(t) },
    ];
    const [floor, lint, peer] = measure(contenders, texts, rounds) as [Summary, Summary, Summary];
    console.log('');
    console.log(`${flavour} Dockerfiles: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB; ${rounds} interleaved rounds`);
    printRows([{ label: contenders[0]!.label, time: floor }, { label: contenders[1]!.label, time: lint }, { label: contenders[2]!.label, time: peer }], files.length, floor.median);
    verdict('2.', `cold lint vs parse floor, ${flavour}`, ratio(lint.median, floor.median), '≤ 2.00× floor', lint.median <= 2 * floor.median);
  }

  // Typing: the editor re-lints a document in which only the edited RUN changed, so the other RUN scripts
  // come from the tokenizer cache. Measured on its own so that no cold run empties the cache between files.
  const texts = all.map((f) => f.text);
  const [floorAll, typing] = measure([
    { label: 'floor', work: (t) => DockerfileParser.parse(t) },
    { label: 'typing', work: (t) => lintText(t, 'dockerfile', settings) },
  ], texts, rounds) as [Summary, Summary];
  console.log('');
  console.log(`all ${all.length} Dockerfiles, re-lint with the tokenizer cache warm (what the editor does while typing):`);
  printRows([{ label: 'parse floor (dockerfile-ast parse)', time: floorAll }, { label: 'container-guard lint, unchanged RUNs cached', time: typing }], all.length, floorAll.median);

  // One keystroke in the largest file: a character inserted into its last RUN, then the whole file re-linted.
  const largest = all.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const lastRun = largest.text.lastIndexOf('RUN ');
  let edits = 0;
  const [keystrokeFloor, keystroke] = measure([
    { label: 'floor', work: (t) => DockerfileParser.parse(t) },
    { label: 'keystroke', work: () => {
      edits++;
      const edited = `${largest.text.slice(0, lastRun + 4)}${'x'.repeat(edits % 7)}${largest.text.slice(lastRun + 4)}`;
      return lintText(edited, 'dockerfile', settings);
    } },
  ], [largest.text], 200) as [Summary, Summary];
  console.log('');
  console.log(`largest file (${largest.name}, ${largest.text.split('\n').length} lines): lint ${range(keystroke)} per change, ${ratio(keystroke.median, keystrokeFloor.median)} its parse (${ms(keystrokeFloor.median)})`);
  benchNuGetConfigs(settings, rounds);
}

/**
 * nuget.config: the floor is @xml-tools parsing plus its AST (what any positioned reading of the file pays);
 * no other tool lints these files in an editor, so there is no peer to run beside it.
 */
function benchNuGetConfigs(settings: Settings, rounds: number): void {
  const texts: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^nuget\.config$/i.test(entry.name)) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  const folder = path.join(CORPUS, 'nuget-config');
  if (!fs.existsSync(folder)) return;
  walk(folder);
  const contenders: Contender[] = [
    { label: 'parse floor (@xml-tools parse + buildAst)', work: (t) => { const { cst, tokenVector } = parseXml(t); return buildAst(cst as Parameters<typeof buildAst>[0], tokenVector); } },
    { label: 'container-guard lint (parse + model + all nuget rules)', work: (t) => lintText(t, 'nuget-config', settings) },
  ];
  const [floor, lint] = measure(contenders, texts, rounds) as [Summary, Summary];
  console.log('');
  console.log(`nuget.config: ${texts.length} files, ${(texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1024).toFixed(0)} KiB`);
  printRows([{ label: contenders[0]!.label, time: floor }, { label: contenders[1]!.label, time: lint }], texts.length, floor.median);
}

/** Linear growth allows this factor before a size is flagged. */
const SLACK = 1.5;
/** A variant predicted to take longer than this (from the growth seen so far) is skipped and flagged. */
const SKIP_ABOVE_MS = 60_000;

export async function benchScaling(rounds: number): Promise<void> {
  heading('5. Scaling (in process, cold lint, strict rule set)');
  const settings = mergeSettings({ ruleSet: 'strict' });
  // Every 8th corpus Dockerfile (Windows and Linux), so that 16× stays within the run's time budget.
  const sample = corpusDockerfiles().filter((_, index) => index % 8 === 0).map((f) => f.text);
  const sampleBytes = sample.reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(`sample: every 8th corpus Dockerfile, ${sample.length} files, ${(sampleBytes / 1024).toFixed(0)} KiB; median of ${rounds} rounds per size, sizes interleaved`);
  console.log('(longer files repeat the whole file, so they also have k× the stages; identical RUN scripts in one file hit the');
  console.log(' tokenizer cache, which is emptied only between files, as in the editor)');
  const lint = cold(settings);
  for (const text of sample) lint(text); // warm-up, so that 1× is not the JIT's first pass
  const variants: Array<{ label: string; make: (k: number) => string[] }> = [
    { label: 'more files (k copies of each file)', make: (k) => Array.from({ length: k }, () => sample).flat() },
    { label: 'longer files (each file repeated k times)', make: (k) => sample.map((t) => Array.from({ length: k }, () => t).join('\n')) },
  ];
  const rows: string[][] = [];
  const sizes = [1, 4, 16];
  const timeOnce = (texts: readonly string[]): number => {
    const start = performance.now();
    for (const text of texts) lint(text);
    return performance.now() - start;
  };
  for (const variant of variants) {
    const inputs = sizes.map((k) => variant.make(k));
    // First pass in size order; a size whose time, extrapolated from the growth so far, would exceed
    // SKIP_ABOVE_MS is skipped (and flagged) rather than stalling the run.
    const samples: Array<number[] | null> = sizes.map(() => []);
    for (let index = 0; index < sizes.length; index++) {
      const first = samples[0]![0];
      const previous = index > 0 ? samples[index - 1]?.[0] : undefined;
      if (first !== undefined && previous !== undefined && previous * (previous / first) > SKIP_ABOVE_MS) {
        samples[index] = null;
        continue;
      }
      samples[index]!.push(timeOnce(inputs[index]!));
    }
    // Further rounds interleaved: the sizes take turns, so the other core's load falls on all of them.
    for (let round = 1; round < rounds; round++) {
      for (let j = 0; j < sizes.length; j++) {
        const index = (round + j) % sizes.length;
        samples[index]?.push(timeOnce(inputs[index]!));
      }
    }
    const base = summarize(samples[0]!).median;
    sizes.forEach((k, index) => {
      const list = samples[index];
      if (!list) {
        rows.push([variant.label, `${k}×`, `skipped: predicted > ${ms(SKIP_ABOVE_MS)}`, '', `${k}`, 'FLAG']);
        verdict('5.', `${variant.label}, ${k}×`, 'skipped (growth so far predicts > 60 s)', `≤ ${(SLACK * k).toFixed(0)} (${SLACK}× linear ${k})`, false);
        return;
      }
      const time = summarize(list);
      const growth = time.median / base;
      const flagged = growth > SLACK * k;
      rows.push([variant.label, `${k}×`, range(time), `${growth.toFixed(2)}`, `${k}`, k === 1 ? '' : flagged ? 'FLAG' : 'ok']);
      if (k > 1) verdict('5.', `${variant.label}, ${k}×`, `time ratio ${growth.toFixed(2)}`, `≤ ${(SLACK * k).toFixed(0)} (${SLACK}× linear ${k})`, !flagged);
    });
  }
  console.log('');
  console.log(table(['variant', 'size', 'time, median (min–max)', 'ratio to 1×', 'linear', ''], rows));
  await benchPathological();
}

/** Allowed time for a pathological input, and a deadline after which its child process is killed. */
function boundMs(bytes: number): number {
  return 2 * (bytes / 1024) + 50;
}

async function benchPathological(): Promise<void> {
  console.log('');
  console.log('pathological inputs (each in its own Node process after a warm-up lint; cold lint of the one file; bound: 2 ms per KiB + 50 ms;');
  console.log('a child still running at 10× its bound (at least 20 s) is killed and reported as a timeout):');
  const rows: string[][] = [];
  for (const { name, description, make } of PATHOLOGICAL_CASES) {
    const bytes = Buffer.byteLength(make());
    const bound = boundMs(bytes);
    const deadline = Math.max(20_000, 10 * bound);
    const outcome = await runPathological(name, deadline);
    if ('error' in outcome) {
      rows.push([description, `${(bytes / 1024).toFixed(0)} KiB`, outcome.error, '', '', ms(bound), 'FLAG']);
      verdict('5.', `pathological: ${description}`, outcome.error, `≤ ${ms(bound)}`, false);
      continue;
    }
    const pass = outcome.lintMs <= bound;
    rows.push([description, `${(bytes / 1024).toFixed(0)} KiB`, ms(outcome.lintMs), ms(outcome.parseMs), ratio(outcome.lintMs, outcome.parseMs), ms(bound), pass ? 'ok' : 'FLAG']);
    const errors = outcome.ruleErrors > 0 ? `, ${outcome.ruleErrors} rule errors` : '';
    verdict('5.', `pathological: ${description}`, `${ms(outcome.lintMs)} (${outcome.findings} findings${errors}; parse floor alone ${ms(outcome.parseMs)})`, `≤ ${ms(bound)}`, pass);
  }
  console.log('');
  console.log(table(['input', 'size', 'lint (cold)', 'parse floor', '× floor', 'bound', ''], rows));
}

interface PathologicalOutcome {
  lintMs: number;
  parseMs: number;
  findings: number;
  ruleErrors: number;
}

function runPathological(name: string, deadlineMs: number): Promise<PathologicalOutcome | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'pathologicalChild.js'), name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve({ error: `timeout: still running after ${(deadlineMs / 1000).toFixed(0)} s, killed` });
      else if (code !== 0) resolve({ error: `child failed (exit ${String(code)}): ${stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}` });
      else resolve(JSON.parse(stdout) as PathologicalOutcome);
    });
  });
}

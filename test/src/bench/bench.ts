// `npm run bench`: how fast the engine lints real Dockerfiles, as ratios against the parse floor
// (dockerfile-ast alone, which every Dockerfile tool built on it pays) and against a peer on the same
// machine in the same run (rcjsuen's dockerfile-utils validator, used by the Docker extensions).
// Wall-clock times vary on shared machines; the ratios are what to compare between runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseXml } from '@xml-tools/parser';
import { buildAst } from '@xml-tools/ast';
import { validate as dockerfileUtilsValidate } from 'dockerfile-utils';
import { lintText } from '../../../server/out/engine/lint';
import { clearTokenizerCache } from '../../../server/out/engine/shell/runAnalysis';
import { mergeSettings } from '../../../server/out/engine/settings';
import { CORPUS, corpusDockerfiles } from '../../../server/out/engine/testing';

interface Contender {
  label: string;
  work: (text: string) => unknown;
}

/**
 * Median time (ms) per contender to process every text once. Contenders take turns within each round,
 * so JIT warm-up, garbage collection and the other core's load fall on all of them alike.
 */
function measure(contenders: readonly Contender[], texts: readonly string[], rounds: number): number[] {
  for (const { work } of contenders) for (const text of texts) work(text); // warm-up
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    contenders.forEach(({ work }, index) => {
      const start = performance.now();
      for (const text of texts) work(text);
      samples[index]!.push(performance.now() - start);
    });
  }
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

function main(): void {
  if (!fs.existsSync(CORPUS)) {
    console.log(`bench: ${CORPUS} is absent; nothing to measure`);
    return;
  }
  const files = corpusDockerfiles();
  const texts = files.map((f) => f.text);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const largest = files.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const settings = mergeSettings({ ruleSet: 'strict' });
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

  const contenders: Contender[] = [
    { label: 'parse floor (dockerfile-ast parse)', work: (t) => DockerfileParser.parse(t) },
    // Cold: every RUN tokenized from scratch. Typing: the editor re-lints a document in which only
    // the edited RUN changed, so the other RUN scripts come from the tokenizer cache.
    { label: 'container-guard lint, cold (parse + model + RUN shells + all rules)', work: (t) => { clearTokenizerCache(); return lintText(t, 'dockerfile', settings); } },
    { label: 'peer: dockerfile-utils validate (syntax checks)', work: (t) => dockerfileUtilsValidate(t) },
  ];
  const medians = measure(contenders, texts, rounds);
  const rows = contenders.map((c, i) => [c.label, medians[i]!] as const);
  // Typing, measured on its own so the cold run above does not empty the cache between files.
  const [typing] = measure([{ label: 'typing', work: (t) => lintText(t, 'dockerfile', settings) }], texts, rounds);
  rows.splice(2, 0, ['container-guard lint, re-lint while typing (unchanged RUNs cached)', typing!]);
  const floor = rows[0]![1];
  console.log(`corpus: ${files.length} Dockerfiles, ${(bytes / 1024).toFixed(0)} KiB; median of ${rounds} rounds over all files`);
  console.log('');
  console.log(`${'what'.padEnd(66)} ${'all files'.padStart(10)} ${'per file'.padStart(10)} ${'× floor'.padStart(8)}`);
  for (const [label, ms] of rows) {
    console.log(`${label.padEnd(66)} ${`${ms.toFixed(1)} ms`.padStart(10)} ${`${((ms * 1000) / files.length).toFixed(0)} µs`.padStart(10)} ${(ms / floor).toFixed(2).padStart(8)}`);
  }
  // Typing: the editor re-lints the whole document on each change; the largest file is the worst case.
  // One keystroke in the largest file: a character inserted into its last RUN, then the whole file re-linted.
  const lastRun = largest.text.lastIndexOf('RUN ');
  let edits = 0;
  const [keystrokeFloor] = measure(contenders.slice(0, 1), [largest.text], 300) as [number];
  const [keystroke] = measure([{ label: 'keystroke', work: () => {
    edits++;
    const edited = `${largest.text.slice(0, lastRun + 4)}${'x'.repeat(edits % 7)}${largest.text.slice(lastRun + 4)}`;
    return lintText(edited, 'dockerfile', settings);
  } }], [largest.text], 300) as [number];
  console.log('');
  console.log(`largest file (${largest.name}, ${largest.text.split('\n').length} lines): lint ${keystroke.toFixed(2)} ms per change, ${(keystroke / keystrokeFloor).toFixed(2)}× its parse`);
  benchNuGetConfigs(settings, rounds);
}

/**
 * nuget.config: the floor is @xml-tools parsing plus its AST (what any positioned reading of the file pays);
 * no other tool lints these files in an editor, so there is no peer to run beside it.
 */
function benchNuGetConfigs(settings: ReturnType<typeof mergeSettings>, rounds: number): void {
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
  const medians = measure(contenders, texts, rounds);
  console.log('');
  console.log(`corpus: ${texts.length} nuget.config files, ${(texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1024).toFixed(0)} KiB`);
  contenders.forEach((c, i) => {
    console.log(`${c.label.padEnd(66)} ${`${medians[i]!.toFixed(1)} ms`.padStart(10)} ${`${((medians[i]! * 1000) / texts.length).toFixed(0)} µs`.padStart(10)} ${(medians[i]! / medians[0]!).toFixed(2).padStart(8)}`);
  });
}

main();

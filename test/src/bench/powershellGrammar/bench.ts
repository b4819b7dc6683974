// `npm run build && node test/out/bench/powershellGrammar.js`: tree-sitter's PowerShell grammar
// (through the adapter in powershellTreeSitter.ts) against the hand-written PowerShell tokenizer, on every
// PowerShell script the engine analyses in the corpus: speed, agreement of the commands found, the
// findings of the full Dockerfile lint with each front end, and robustness (ERROR trees, half-typed
// scripts, pathological input).
import { performance } from 'node:perf_hooks';
import * as fs from 'node:fs';
import { lintText } from '../../../../server/out/engine/lint';
import { clearTokenizerCache, runAnalyses } from '../../../../server/out/engine/shell/runAnalysis';
import { buildDockerfileModel } from '../../../../server/out/engine/dockerfile/model';
import { createDocument } from '../../../../server/out/engine/text';
import { mergeSettings } from '../../../../server/out/engine/settings';
import { CORPUS, REVIEW_DATE, corpusDockerfiles } from '../../../../server/out/engine/testing';
import { loadPowerShellGrammar, withSyntaxTree } from '../../../../server/out/engine/shell/treeSitter';
import { tokenizePowerShellTreeSitter } from './treeSitterAdapter';
import type { Finding } from '../../../../server/out/engine/types';
import type { ParsedScript, ShellCommand } from '../../../../server/out/engine/shell/types';

type Tokenize = (script: string, depth?: number) => ParsedScript;

// runAnalysis.js calls `(0, powershell_1.tokenizePowerShell)(…)` at call time, so replacing the export on the
// module object swaps the front end for the whole engine.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const powershellModule = require('../../../../server/out/engine/shell/powershell') as { tokenizePowerShell: Tokenize };
const handWritten: Tokenize = powershellModule.tokenizePowerShell;

interface Script {
  file: string;
  text: string;
  depth: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median time (ms) of each contender over all scripts; contenders take turns within each round. */
function measure(contenders: ReadonlyArray<(s: Script) => unknown>, scripts: readonly Script[], rounds: number): number[] {
  for (const work of contenders) for (const s of scripts) work(s);
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    contenders.forEach((work, index) => {
      const start = performance.now();
      for (const s of scripts) work(s);
      samples[index]!.push(performance.now() - start);
    });
  }
  return samples.map(median);
}

/** What rules read of a command: depth, name and argument values (kinds too, for the strict comparison). */
function signature(command: ShellCommand, withKinds: boolean): string {
  const tokens = [command.name, ...command.args].map((t) => (withKinds ? `${t.kind}:${t.value}` : t.value));
  return `${command.depth}|${command.assignedTo ?? ''}|${command.calledWith ?? ''}|${tokens.join(' \u2502 ')}`;
}

function signatures(parsed: ParsedScript, withKinds: boolean): string[] {
  return parsed.commands.map((c) => signature(c, withKinds));
}

function findingKey(f: Finding): string {
  return `${f.ruleId} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message}`;
}

function clip(text: string, length = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

function hasErrorTree(script: string): boolean {
  return withSyntaxTree('powershell', script, (tree) => tree.rootNode.hasError);
}

async function main(): Promise<void> {
  await loadPowerShellGrammar();
  if (!fs.existsSync(CORPUS)) {
    console.log(`powershellGrammar: ${CORPUS} is absent; nothing to measure`);
    return;
  }
  const files = corpusDockerfiles();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

  // ── the scripts: every call the engine makes to the PowerShell front end ──
  const scripts: Script[] = [];
  const seen = new Set<string>();
  let currentFile = '';
  powershellModule.tokenizePowerShell = (script: string, depth = 0): ParsedScript => {
    const key = `${depth}\u0000${script}`;
    if (!seen.has(key)) {
      seen.add(key);
      scripts.push({ file: currentFile, text: script, depth });
    }
    return handWritten(script, depth);
  };
  clearTokenizerCache();
  for (const file of files) {
    currentFile = file.name;
    runAnalyses(buildDockerfileModel(createDocument(file.text)));
  }
  powershellModule.tokenizePowerShell = handWritten;
  const filesWithPowerShell = new Set(scripts.map((s) => s.file)).size;
  const chars = scripts.reduce((n, s) => n + s.text.length, 0);
  console.log(`corpus: ${files.length} Dockerfiles; ${scripts.length} distinct PowerShell scripts (${(chars / 1024).toFixed(0)} KiB) from ${filesWithPowerShell} files; median of ${rounds} rounds`);

  // ── (a) speed ──
  const [hand, parseOnly, parseAdapt] = measure([
    (s) => handWritten(s.text, s.depth),
    (s) => withSyntaxTree('powershell', s.text, (tree) => tree.rootNode.endIndex),
    (s) => tokenizePowerShellTreeSitter(s.text, s.depth),
  ], scripts, rounds) as [number, number, number];
  console.log('');
  console.log('(a) speed, all scripts');
  const row = (label: string, ms: number): void => {
    console.log(`  ${label.padEnd(44)} ${`${ms.toFixed(1)} ms`.padStart(10)} ${`${((ms * 1000) / scripts.length).toFixed(1)} µs/script`.padStart(16)} ${`${(ms / hand).toFixed(2)}×`.padStart(8)}`);
  };
  row('hand-written tokenizePowerShell', hand);
  row('tree-sitter parse alone', parseOnly);
  row('tree-sitter parse + adapter', parseAdapt);
  // Per-script distribution (one timed run each after the warm-up above).
  const perScript = (work: (s: Script) => unknown): number[] => scripts.map((s) => {
    const start = performance.now();
    for (let i = 0; i < 5; i++) work(s);
    return (performance.now() - start) / 5;
  });
  const handEach = perScript((s) => handWritten(s.text, s.depth));
  const treeEach = perScript((s) => tokenizePowerShellTreeSitter(s.text, s.depth));
  const quantiles = (list: number[]): string => {
    const sorted = [...list].sort((a, b) => a - b);
    const q = (p: number): string => `${(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 1000).toFixed(0)}`;
    return `p50 ${q(0.5)} µs, p90 ${q(0.9)} µs, p99 ${q(0.99)} µs, max ${q(1)} µs`;
  };
  console.log(`  per script, hand-written:        ${quantiles(handEach)}`);
  console.log(`  per script, tree-sitter+adapter: ${quantiles(treeEach)}`);
  const slower = scripts.map((s, i) => ({ s, ratio: treeEach[i]! / Math.max(handEach[i]!, 1e-6) })).filter((x) => x.ratio > 1).length;
  console.log(`  tree-sitter slower on ${slower} of ${scripts.length} scripts`);

  // ── (b) agreement ──
  let agreeStrict = 0;
  let agreeValues = 0;
  let agreeNames = 0;
  let withErrors = 0;
  let commandsHand = 0;
  let commandsTree = 0;
  const differing: Array<{ s: Script; hand: string[]; tree: string[]; error: boolean }> = [];
  let differingWithError = 0;
  for (const s of scripts) {
    const a = handWritten(s.text, s.depth);
    const b = tokenizePowerShellTreeSitter(s.text, s.depth);
    commandsHand += a.commands.length;
    commandsTree += b.commands.length;
    const error = hasErrorTree(s.text);
    if (error) withErrors++;
    const names = (p: ParsedScript): string => p.commands.map((c) => `${c.depth}|${c.name.value}`).join('\n');
    if (names(a) === names(b)) agreeNames++;
    const [sa, sb] = [signatures(a, false), signatures(b, false)];
    if (sa.join('\n') === sb.join('\n')) {
      agreeValues++;
      if (signatures(a, true).join('\n') === signatures(b, true).join('\n')) agreeStrict++;
    } else {
      differing.push({ s, hand: sa, tree: sb, error });
      if (error) differingWithError++;
    }
  }
  console.log('');
  console.log('(b) agreement (per script: every command\'s depth, name, argument values, assignedTo, calledWith)');
  console.log(`  commands found: hand-written ${commandsHand}, tree-sitter ${commandsTree}`);
  console.log(`  same command names and depths:        ${agreeNames} of ${scripts.length}`);
  console.log(`  same commands and argument values:    ${agreeValues} of ${scripts.length} (${((agreeValues / scripts.length) * 100).toFixed(1)}%)`);
  console.log(`  … and same token kinds too:           ${agreeStrict} of ${scripts.length}`);
  console.log(`  differ:                               ${differing.length} (${differingWithError} of them with ERROR nodes in tree-sitter's tree)`);
  // Ten differences spread over the list (deterministic), each with the first command that differs.
  const sample = differing.length <= 10 ? differing : Array.from({ length: 10 }, (_, i) => differing[Math.floor((i * differing.length) / 10)]!);
  sample.forEach((d, index) => {
    let i = 0;
    while (i < d.hand.length && i < d.tree.length && d.hand[i] === d.tree[i]) i++;
    console.log(`  [${index + 1}] ${d.s.file}${d.error ? ' (tree has ERROR)' : ''}`);
    console.log(`      script: ${clip(d.s.text, 220)}`);
    console.log(`      hand-written: ${clip(d.hand[i] ?? '(no more commands)', 220)}`);
    console.log(`      tree-sitter:  ${clip(d.tree[i] ?? '(no more commands)', 220)}`);
  });

  // ── (c) findings: the full Dockerfile lint with each front end ──
  const settings = mergeSettings({ ruleSet: 'strict' });
  const lintAll = (): Map<string, Finding[]> => {
    clearTokenizerCache();
    const result = new Map<string, Finding[]>();
    for (const file of files) result.set(file.name, lintText(file.text, 'dockerfile', settings, { now: REVIEW_DATE }).findings);
    return result;
  };
  // Two passes each, alternating; the second pass of each is timed (the first warms the JIT).
  let normal = new Map<string, Finding[]>();
  let swapped = new Map<string, Finding[]>();
  let lintHandMs = 0;
  let lintTreeMs = 0;
  for (let pass = 0; pass < 2; pass++) {
    powershellModule.tokenizePowerShell = handWritten;
    let start = performance.now();
    normal = lintAll();
    lintHandMs = performance.now() - start;
    powershellModule.tokenizePowerShell = tokenizePowerShellTreeSitter;
    start = performance.now();
    swapped = lintAll();
    lintTreeMs = performance.now() - start;
  }
  powershellModule.tokenizePowerShell = handWritten;
  clearTokenizerCache();
  const perRule = new Map<string, [number, number]>();
  const onlyHand: Array<{ file: string; f: Finding }> = [];
  const onlyTree: Array<{ file: string; f: Finding }> = [];
  for (const file of files) {
    const a = normal.get(file.name)!;
    const b = swapped.get(file.name)!;
    for (const f of a) (perRule.get(f.ruleId) ?? perRule.set(f.ruleId, [0, 0]).get(f.ruleId)!)[0]++;
    for (const f of b) (perRule.get(f.ruleId) ?? perRule.set(f.ruleId, [0, 0]).get(f.ruleId)!)[1]++;
    const keysA = new Map(a.map((f) => [findingKey(f), f]));
    const keysB = new Map(b.map((f) => [findingKey(f), f]));
    for (const [key, f] of keysA) if (!keysB.has(key)) onlyHand.push({ file: file.name, f });
    for (const [key, f] of keysB) if (!keysA.has(key)) onlyTree.push({ file: file.name, f });
  }
  console.log('');
  console.log(`(c) findings, strict rule set, all ${files.length} Dockerfiles (whole-corpus lint, tokenizer cache cleared, second pass: ${lintHandMs.toFixed(0)} ms hand-written, ${lintTreeMs.toFixed(0)} ms tree-sitter)`);
  console.log(`  ${'rule'.padEnd(44)} ${'hand'.padStart(6)} ${'tree'.padStart(6)}`);
  let totalA = 0;
  let totalB = 0;
  for (const [rule, [a, b]] of [...perRule].sort((x, y) => x[0].localeCompare(y[0]))) {
    totalA += a;
    totalB += b;
    console.log(`  ${rule.padEnd(44)} ${String(a).padStart(6)} ${String(b).padStart(6)}${a !== b ? '   ≠' : ''}`);
  }
  console.log(`  ${'total'.padEnd(44)} ${String(totalA).padStart(6)} ${String(totalB).padStart(6)}`);
  const lineOf = (file: string, line: number): string => clip(files.find((f) => f.name === file)!.text.split('\n')[line] ?? '', 150);
  const printOnly = (label: string, list: Array<{ file: string; f: Finding }>): void => {
    console.log(`  only with ${label}: ${list.length}`);
    for (const { file, f } of list) {
      console.log(`    - ${f.ruleId} ${file}:${f.range.start.line + 1}:${f.range.start.character + 1} — ${clip(f.message, 140)}`);
      console.log(`        line: ${lineOf(file, f.range.start.line)}`);
    }
  };
  printOnly('the hand-written tokenizer', onlyHand);
  printOnly('tree-sitter', onlyTree);

  // ── (d) robustness ──
  console.log('');
  console.log('(d) robustness');
  console.log(`  scripts whose tree-sitter tree has ERROR/MISSING nodes: ${withErrors} of ${scripts.length}`);
  const handProblems = scripts.filter((s) => handWritten(s.text, s.depth).problems.length > 0).length;
  console.log(`  scripts where the hand-written tokenizer reports problems: ${handProblems} of ${scripts.length}`);
  // Every prefix of a few corpus scripts, as typed: neither may throw.
  const typed = [...scripts].filter((s) => s.text.length >= 200).sort((a, b) => a.text.length - b.text.length);
  const picks = [0.1, 0.3, 0.5, 0.7, 0.9].map((p) => typed[Math.floor(p * (typed.length - 1))]!).filter(Boolean);
  for (const [label, work] of [['hand-written', (t: string) => handWritten(t)], ['tree-sitter+adapter', (t: string) => tokenizePowerShellTreeSitter(t)]] as const) {
    let prefixes = 0;
    let throws = 0;
    let firstThrow = '';
    const start = performance.now();
    for (const s of picks) {
      for (let i = 0; i <= s.text.length; i++) {
        prefixes++;
        try {
          work(s.text.slice(0, i));
        } catch (error) {
          throws++;
          firstThrow ||= `${(error as Error).message} at prefix ${i} of ${s.file}`;
        }
      }
    }
    console.log(`  every prefix of ${picks.length} corpus scripts (${picks.map((s) => s.text.length).join(', ')} chars), ${label}: ${prefixes} prefixes, ${throws} throws${firstThrow ? ` (${firstThrow})` : ''}, ${(performance.now() - start).toFixed(0)} ms`);
  }
  // Pathological input.
  const downloads = Array.from({ length: 1600 }, (_, i) => `Invoke-WebRequest -Uri https://example.com/f${i}.zip -OutFile C:\\t\\f${i}.zip -UseBasicParsing`).join('\n');
  const longWord = `Write-Host ${'a'.repeat(130_000)}`;
  for (const [label, text] of [['1,600 Invoke-WebRequest downloads', downloads], ['a 130,000-character word', longWord]] as const) {
    const time = (work: () => unknown): number => {
      work();
      const list: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        work();
        list.push(performance.now() - start);
      }
      return median(list);
    };
    const a = time(() => handWritten(text));
    const p = time(() => withSyntaxTree('powershell', text, (tree) => tree.rootNode.endIndex));
    const b = time(() => tokenizePowerShellTreeSitter(text));
    const same = signatures(handWritten(text), true).join('\n') === signatures(tokenizePowerShellTreeSitter(text), true).join('\n');
    console.log(`  ${label} (${(text.length / 1024).toFixed(0)} KiB): hand-written ${a.toFixed(1)} ms, tree-sitter parse ${p.toFixed(1)} ms, parse+adapter ${b.toFixed(1)} ms; same commands: ${same ? 'yes' : 'no'}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

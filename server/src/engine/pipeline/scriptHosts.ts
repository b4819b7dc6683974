// The pipeline's adapter to the host-neutral script view (shell/scriptHost.ts): every script step of the
// model (pipeline/model.ts) analysed once per document by the shared script model, so the script rules
// (downloads, hardening, privileges) check pipeline steps exactly as they check Dockerfile RUN
// instructions, and every other rule that reads step commands shares the same analysis.
//
// The pipeline answers the host's questions from its jobs:
// - a step runs on Windows when its runner does (runs-on, pool, tags or image);
// - a later step sees an earlier one's files when both belong to the same job (GitHub, Azure; the steps
//   of a composite action, or of an Azure step list without a job, count as one job), and in GitLab
//   before_script, script, after_script run in that order, the default before_script before the script
//   of every job that has none of its own;
// - environment variables come from `env:` (GitHub: step, job, workflow; Azure: step) and `variables:`
//   (Azure: job, pipeline, where `build.id` is `BUILD_ID` to a script; GitLab: job, global), nearest first;
// - quick fixes are offered only where they cannot break the YAML around them: inside a block scalar
//   (`|`, `>`) on one line, or a plain word replaced by a plain word in any scalar; never in an anchored
//   scalar (an alias elsewhere would change too); and never for fix-all.
import type { EnvironmentSetting, HostedScript, QuoteContext, ScriptHost, WrittenValue } from '../shell/scriptHost';
import { analyseShellScript, GITHUB_TEMPLATE_EXPRESSIONS, GITLAB_INPUT_INTERPOLATION, type ScriptCommand } from '../shell/scriptModel';
import type { Fix } from '../types';
import type { PipelineDocument } from './document';
import type { PipelineScript } from './model';
import type { PipelineKind } from './recognise';
import { forEachNode, isMap, isScalar, isSeq, itemsOf, mapsOf, pairsOf, spanOf, stringOf, valueOf, type Document, type Node, type Scalar } from './yamlDocument';

/** A pipeline step's script with its commands and the step it comes from. */
export interface StepScript extends HostedScript {
  commands: Array<ScriptCommand<StepScript>>;
  /** The step (its job, runner, shell, key and mapped text). */
  script: PipelineScript;
}

export interface PipelineScriptHost extends ScriptHost {
  kind: 'pipeline';
  pipeline: PipelineDocument;
  scripts: readonly StepScript[];
}

const cache = new WeakMap<PipelineDocument, PipelineScriptHost | null>();

/** The pipeline file as a script host, built once per document; null for YAML that is no pipeline. */
export function pipelineScriptHost(pipeline: PipelineDocument): PipelineScriptHost | null {
  let host = cache.get(pipeline);
  if (host === undefined) {
    host = pipeline.model ? buildHost(pipeline) : null;
    cache.set(pipeline, host);
  }
  return host;
}

/** Every script step of the pipeline with its commands (one analysis per document, shared by all rules). */
export function stepScriptsOf(pipeline: PipelineDocument): readonly StepScript[] {
  return pipelineScriptHost(pipeline)?.scripts ?? [];
}

function buildHost(pipeline: PipelineDocument): PipelineScriptHost {
  const scripts: StepScript[] = [];
  const stepOf = (script: HostedScript): PipelineScript => (script as StepScript).script;
  const host: PipelineScriptHost = {
    kind: 'pipeline',
    pipeline,
    document: pipeline.document,
    scripts,
    onWindows: (script) => stepOf(script).runnerOs === 'windows',
    anyOnWindows: () => scripts.some((script) => script.script.runnerOs === 'windows'),
    runsAfter: (earlier, later) => runsAfter(earlier as StepScript, later as StepScript),
    environmentValue: (script, name, ignoreCase) => environmentValue(pipeline, (script as StepScript).script, name, ignoreCase),
    environmentSettings: () => environmentOf(pipeline).settings,
    secretAdvice: () => secretAdvice(pipeline.kind),
    quoteContextAt: (script, offset) => quoteContextAt(script as StepScript, offset),
    fix: (_script, fix) => yamlSafeFix(pipeline, fix),
  };
  // What the platform substitutes into a script before its shell runs.
  const templates = pipeline.kind === 'gitlab-ci' ? GITLAB_INPUT_INTERPOLATION : GITHUB_TEMPLATE_EXPRESSIONS;
  for (const script of pipeline.model!.scripts) {
    const step: StepScript = { shell: script.shell, form: 'shell', commands: [], host, index: scripts.length, script };
    analyseShellScript(pipeline.document, step, script.script, script.shell, templates);
    scripts.push(step);
  }
  return host;
}

// ── Order ──

/** GitLab runs a job's scripts in this order. */
const GITLAB_ORDER: Record<string, number> = { before_script: 0, script: 1, after_script: 2 };

function runsAfter(earlier: StepScript, later: StepScript): boolean {
  const a = earlier.script;
  const b = later.script;
  if (a.kind === 'gitlab-ci') {
    // Both run in one job (`runsIn`: the job that writes the script, or those inheriting it through
    // `extends:`, `<<:` or `default:`), in GitLab's order.
    const jobsOf = (script: typeof a) => script.runsIn ?? (script.job ? [script.job] : []);
    const laterJobs = jobsOf(b);
    if (!jobsOf(a).some((job) => laterJobs.includes(job))) return false;
    const order = (GITLAB_ORDER[b.key] ?? 1) - (GITLAB_ORDER[a.key] ?? 1);
    return order > 0 || (order === 0 && later.index > earlier.index);
  }
  // GitHub and Azure: later steps of the same job (steps without a job: the same step list).
  const sameJob = a.job === b.job && (a.job !== null || a.jobPath === b.jobPath);
  return sameJob && later.index > earlier.index;
}

// ── Messages ──

function secretAdvice(kind: PipelineKind | null): string {
  const store = kind === 'azure-pipelines'
    ? 'Keep it in a secret variable or a variable group and map it into the step with `env:` (`$(NAME)`)'
    : kind === 'gitlab-ci'
      ? 'Keep it in a masked CI/CD variable and read it as `$NAME`'
      : 'Keep it in a repository or environment secret and pass it to the step with `env:` (`${{ secrets.NAME }}`)';
  return `Pipeline files are readable by everyone who can read the repository, and commands show up in job logs. ${store}.`;
}

// ── Quoting, for fixes that insert text ──

/** Where a scan of a script's quotes stopped: the next character to read and the quote open before it. */
interface QuoteScan {
  next: number;
  open: '"' | '\'' | null;
}

const quoteScans = new WeakMap<StepScript, QuoteScan>();

/**
 * The quote the script's own shell left open before a document offset (the script text, not the YAML
 * around it). Read by scanning the script up to the offset, without a state per character: the scan
 * resumes where the last one stopped when fixes ask in document order (they do), and starts over otherwise.
 */
function quoteContextAt(step: StepScript, offset: number): QuoteContext {
  const { text, offsets } = step.script.script;
  const escape = step.shell === 'powershell' ? '`' : step.shell === 'posix' ? '\\' : '^';
  const last = text.length - 1;
  let scan = quoteScans.get(step);
  // Resume only from a place before the offset: everything the earlier scan read lies before it.
  if (!scan || (scan.next > 0 && offsets[Math.min(scan.next - 1, last)]! >= offset)) scan = { next: 0, open: null };
  let { next: i, open } = scan;
  for (; i < text.length; i++) {
    const c = text[i]!;
    // An escape and the character it escapes are read as one, ending at the escaped character.
    const end = c === escape && open !== '\'' ? i + 1 : i;
    if (offsets[Math.min(end, last)]! >= offset) break;
    if (end === i) {
      if (open === null && (c === '"' || (c === '\'' && step.shell !== 'cmd'))) open = c;
      else if (c === open) open = null;
    }
    i = end;
  }
  quoteScans.set(step, { next: i, open });
  return stateOf(open);
}

function stateOf(open: '"' | '\'' | null): QuoteContext {
  return open === '"' ? 'double' : open === '\'' ? 'single' : 'none';
}

// ── Fixes inside YAML scalars ──

interface ScalarSpan {
  start: number;
  end: number;
  type: string;
  anchored: boolean;
}

const scalarSpans = new WeakMap<PipelineDocument, ScalarSpan[]>();

/** Every scalar of the file with its source style, by start offset (built when a fix is first asked for). */
function scalarsOf(pipeline: PipelineDocument): ScalarSpan[] {
  let spans = scalarSpans.get(pipeline);
  if (!spans) {
    spans = [];
    for (const yaml of pipeline.parsed.documents) {
      forEachNode(yaml, (node) => {
        if (!isScalar(node)) return;
        const span = spanOf(node);
        const token = (node as Scalar & { srcToken?: { type: string } }).srcToken;
        if (span && token) spans!.push({ start: span[0], end: span[1], type: token.type, anchored: Boolean((node as Scalar).anchor) });
      });
    }
    spans.sort((a, b) => a.start - b.start);
    scalarSpans.set(pipeline, spans);
  }
  return spans;
}

/** Words that read the same in every scalar style: `https` for `http`, `ci` for `install`. */
const PLAIN_WORD = /^[A-Za-z0-9._-]*$/;

/** The fix when every edit stays inside one scalar and cannot change how the YAML around it reads; never for fix-all. */
function yamlSafeFix(pipeline: PipelineDocument, fix: Fix): Fix | null {
  const { document } = pipeline;
  const text = document.getText();
  for (const edit of fix.edits) {
    const start = document.offsetAt(edit.range.start);
    const end = document.offsetAt(edit.range.end);
    const scalar = scalarsOf(pipeline).find((s) => s.start <= start && end <= s.end);
    if (!scalar || scalar.anchored) return null;
    const replaced = text.slice(start, end);
    const plain = PLAIN_WORD.test(replaced) && PLAIN_WORD.test(edit.newText);
    const block = scalar.type === 'block-scalar' && !/[\r\n]/.test(replaced + edit.newText);
    // A block scalar's content starts on the line after its header (`|`, `>-`), and text inserted at a
    // line's start (or after the last content line) would change the block's indentation or end it.
    const contentEnd = scalar.start + text.slice(scalar.start, scalar.end).trimEnd().length;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const inContent = scalar.type !== 'block-scalar'
      || (lineStart > scalar.start && end <= contentEnd && text.slice(lineStart, start).trim() !== '');
    if (!(plain || block) || !inContent) return null;
  }
  return { ...fix, safeForFixAll: false };
}

// ── Environment: env: and variables: ──

interface Holder {
  /** Where the entries apply, for messages. */
  reach: string;
  entries: Array<{ name: string; value: Node | null | undefined; pair: { key: unknown; value: unknown } }>;
}

interface Environment {
  /** The env/variables mapping of each step, job and document root, by the node's start offset. */
  byOffset: Map<number, Holder>;
  roots: Array<{ span: [number, number]; holder: Holder }>;
  settings: EnvironmentSetting[];
}

const environments = new WeakMap<PipelineDocument, Environment>();

/** Every env:/variables: mapping of the file, read once per document. */
function environmentOf(pipeline: PipelineDocument): Environment {
  let environment = environments.get(pipeline);
  if (environment) return environment;
  environment = { byOffset: new Map(), roots: [], settings: [] };
  const kind = pipeline.kind;
  const keys = kind === 'github-workflow' || kind === 'github-action' ? ['env'] : kind === 'azure-pipelines' ? ['env', 'variables'] : ['variables'];
  const jobStarts = new Set((pipeline.model?.jobs ?? []).map((job) => pipeline.document.offsetAt(job.range.start)));
  for (const yaml of pipeline.parsed.documents) {
    const root = yaml.contents;
    for (const node of mapsOf(yaml)) {
      const span = spanOf(node);
      if (!span) continue;
      const entries: Holder['entries'] = [];
      for (const key of keys) {
        // GitLab and Azure name `variables:` at the job and file level; a step's are `env:`.
        const value = valueOf(yaml, node, key);
        if (value) entries.push(...entriesOf(yaml, value, kind === 'gitlab-ci'));
      }
      if (entries.length === 0) continue;
      const isRoot = node === root;
      const reach = isRoot ? 'applies to every job of the file' : jobStarts.has(span[0]) ? 'applies to every step of the job' : 'applies to every command of the step';
      const holder: Holder = { reach, entries };
      environment.byOffset.set(span[0], holder);
      if (isRoot) environment.roots.push({ span, holder });
      for (const entry of holder.entries) {
        const value = stringOf(entry.value);
        const keySpan = spanOf(entry.pair.key);
        const valueSpan = spanOf(entry.value);
        if (value === null || !keySpan || !valueSpan) continue;
        environment.settings.push({
          name: environmentName(kind, entry.name),
          value,
          range: { start: pipeline.document.positionAt(keySpan[0]), end: pipeline.document.positionAt(valueSpan[1]) },
          written: `${entry.name}: ${value}`,
          reach: holder.reach,
        });
      }
    }
  }
  environment.settings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  environments.set(pipeline, environment);
  return environment;
}

/** The entries of an env/variables mapping, or of Azure's list form (`- name: X` / `value: Y`). */
function entriesOf(yaml: Document, holder: Node | null | undefined, gitlab: boolean): Holder['entries'] {
  if (isMap(holder)) {
    return pairsOf(yaml, holder).map(({ key, value, pair }) => ({
      name: key,
      // GitLab: `NAME: { value: …, description: … }`.
      value: gitlab && isMap(value) ? valueOf(yaml, value, 'value') : value,
      pair,
    }));
  }
  if (isSeq(holder)) {
    return itemsOf(yaml, holder).flatMap((item) => {
      const nameNode = valueOf(yaml, item, 'name');
      const name = stringOf(nameNode);
      const value = valueOf(yaml, item, 'value');
      // Reported from the name to the value.
      return name !== null && value ? [{ name, value, pair: { key: nameNode, value } }] : [];
    });
  }
  return [];
}

/** The name a script sees: Azure turns `build.configuration` into `BUILD_CONFIGURATION`. */
function environmentName(kind: PipelineKind | null, name: string): string {
  return kind === 'azure-pipelines' ? name.replace(/\./g, '_').toUpperCase() : name;
}

/** The value the step, its job or the file gives the variable, nearest first, where it is written. */
function environmentValue(pipeline: PipelineDocument, step: PipelineScript, variable: string, ignoreCase: boolean): WrittenValue | null {
  const environment = environmentOf(pipeline);
  const { document } = pipeline;
  const name = variable.replace(/^env:/i, '');
  // Azure variable names ignore case on every OS.
  const fold = ignoreCase || pipeline.kind === 'azure-pipelines';
  const same = (other: string): boolean => (fold ? other.toLowerCase() === name.toLowerCase() : other === name);
  const stepStart = document.offsetAt(step.stepRange.start);
  const holders = [
    pipeline.kind === 'gitlab-ci' ? undefined : environment.byOffset.get(stepStart),
    step.job ? environment.byOffset.get(document.offsetAt(step.job.range.start)) : undefined,
    environment.roots.find((root) => root.span[0] <= stepStart && stepStart <= root.span[1])?.holder,
  ];
  for (const holder of holders) {
    const entry = holder?.entries.slice().reverse().find((candidate) => same(environmentName(pipeline.kind, candidate.name)));
    if (!entry) continue;
    const value = stringOf(entry.value);
    const span = spanOf(entry.value);
    if (value === null || !span) return null;
    const range = { start: document.positionAt(span[0]), end: document.positionAt(span[1]) };
    // An expression in the value (`http://${{ secrets.BUCKET }}.example.com`) leaves only its start literal.
    return { value, range, partial: /\$\{\{|\$\(|\$\[\[/.test(value) };
  }
  return null;
}

import type { PipelineRule, RelatedReader } from '../../rules/rule';
import { WINDOWS_RUNNER_BUILDS, windowsLatestImage } from '../runnerImages';
import { buildDockerfileModel, finalStage, type DockerfileModel, type Stage } from '../../dockerfile/model';
import { stageImageFacts } from '../../catalog/stageImage';
import { createDocument } from '../../text';
import { EXCERPT_LENGTH } from '../../excerpt';
import { parseYaml, stringOf, valueOf, type Node } from '../yamlDocument';
import type { PipelineDocument } from '../document';
import { buildPipelineModel, type PipelineJob } from '../model';
import { azureTasksOf, taskInput } from './azureTasks';
import { everyMap, githubSteps, jobAt, optionValue, rangeOf, rootMaps, runnerLabelsOf, scriptCommandsOf, usesOf, valueRangeOf, wordArgs } from './pipelineNodes';

// A process-isolated Windows container must have its host's build: `FROM …:ltsc2022` (20348) does not start
// on a Server 2025 runner (26100), and an older container on a newer host runs only with Hyper-V isolation
// (`--isolation=hyperv`). GitHub- and Azure-hosted Windows runners use process isolation by default. This
// rule reads the Dockerfiles a job builds (RuleContext.readRelated) and compares the Windows build of their
// final stage's base image with the runner's.
//
// Azure templates: a job's steps may come from `- template: steps.yml` (and jobs or stages from a
// template, or the whole pipeline from `extends: template:`). The builds such a template makes run on
// the caller's pool, so they are read here, through the same reader: the template's own Docker builds,
// and the templates it uses in turn (4 deep), count as the calling job's, unless the template's job
// names its own pool (then it is that pool's, checked when the template itself is linted, if the pool is
// written there). Paths are the platform's: relative to the file that names the template, `/…` from the
// repository root. `template: x.yml@other` lives in another repository and is not read, nor is a path
// chosen by an expression. The template linted on its own does not know its callers: there a `script:`
// step's shell is a guess (bash) and no runner is compared.

interface Built {
  job: PipelineJob | null;
  /** Path relative to the repository root. */
  path: string;
  hyperv: boolean;
  /** The Azure template (path from the root) whose steps build it, when not this file. */
  via?: string;
}

/** How many templates deep (a template using a template…) Azure builds are followed. */
const MAX_TEMPLATE_DEPTH = 4;
/** Templates read per linted pipeline at most: the reader's budget is shared with the Dockerfiles. */
const MAX_TEMPLATES = 8;

const VARIABLE = /[$%]|\{\{/;

function normalise(written: string): string | null {
  const text = written.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
  if (text === '' || VARIABLE.test(text) || text.includes('*')) return null;
  return text;
}

function joinPath(context: string, file: string): string | null {
  const base = normalise(context === '' ? '.' : context);
  if (base === null) return null;
  return base === '.' || base === '' ? file : `${base.replace(/\/+$/, '')}/${file}`;
}

/**
 * The base image as the message quotes it: its end when it is long, since the tag (`:ltsc2019`) is what
 * the message is about (`mcr.microsoft.com/windows/servercore:lt…` hid it). Whole path segments are left
 * out from the start (`…/windows/nanoserver:1809`, not `…r.microsoft.com/windows/…`).
 */
function imageExcerpt(written: string): string {
  if (Array.from(written).length <= EXCERPT_LENGTH) return written;
  const segments = written.split('/');
  for (let first = 1; first < segments.length; first++) {
    const rest = `…/${segments.slice(first).join('/')}`;
    if (Array.from(rest).length <= EXCERPT_LENGTH) return rest;
  }
  return `…${Array.from(written).slice(-(EXCERPT_LENGTH - 1)).join('')}`;
}

/** The Windows build a Dockerfile's final stage runs on (following `FROM <earlier stage>`), or null. */
function finalBuild(model: DockerfileModel): { build: number; image: string } | null {
  let stage: Stage | undefined = finalStage(model);
  for (let hops = 0; stage && hops < 20; hops++) {
    const facts = stageImageFacts(stage);
    if (facts) {
      const release = facts.resolution?.release ?? facts.movedTo?.resolution.release ?? facts.taggedRelease;
      return release ? { build: release.build, image: imageExcerpt(stage.baseImage?.written ?? '') } : null;
    }
    stage = stage.parentStage ?? undefined;
  }
  return null;
}

function builtDockerfiles(model: Parameters<PipelineRule['check']>[0]): Built[] {
  const pipeline = model.model!;
  const built: Built[] = [];
  for (const command of scriptCommandsOf(model)) {
    if (command.name !== 'docker' && command.name !== 'podman') continue;
    const words = wordArgs(command.command).map((word) => word.value.toLowerCase());
    const isBuild = words[0] === 'build' || (words[0] === 'buildx' && words[1] === 'build') || (words[0] === 'image' && words[1] === 'build');
    if (!isBuild) continue;
    const isolation = optionValue(command.command, ['--isolation'])?.value.toLowerCase() ?? '';
    const file = optionValue(command.command, ['-f', '--file'])?.value;
    // The context: the last word that is no option's value.
    const values = new Set(['-f', '--file', '-t', '--tag', '--build-arg', '--isolation', '--target', '--platform', '--label', '-o', '--output', '--cache-from', '--cache-to', '--secret', '--network', '-m', '--memory']);
    const args = command.command.args;
    let context: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const value = args[i]!.value;
      if (value.startsWith('-')) {
        if (values.has(value.toLowerCase())) i++;
        continue;
      }
      if (i > 0 || !['build', 'buildx', 'image'].includes(value.toLowerCase())) context = value;
    }
    if (context !== null && ['build', 'buildx', 'image'].includes(context.toLowerCase())) context = null;
    const path = file !== undefined ? normalise(file) : context !== null ? joinPath(context, 'Dockerfile') : null;
    if (path) built.push({ job: command.run.script.job, path, hyperv: isolation === 'hyperv' });
  }
  for (const task of azureTasksOf(model)) {
    if (task.name !== 'docker@2') continue;
    const command = (taskInput(task, 'command') ?? 'buildAndPush').toLowerCase();
    if (command !== 'build' && command !== 'buildandpush') continue;
    // The default `**/Dockerfile` is a glob resolved on the agent: skipped (which file it picks is not knowable here).
    const path = normalise(taskInput(task, 'Dockerfile') ?? '**/Dockerfile');
    if (path) built.push({ job: task.job, path, hyperv: /--isolation[= ]hyperv/i.test(taskInput(task, 'arguments') ?? '') });
  }
  if (model.kind === 'github-workflow') {
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      for (const { step } of githubSteps(yaml, root)) {
        if (usesOf(yaml, step) !== 'docker/build-push-action') continue;
        const range = rangeOf(model.document, step);
        if (!range) continue;
        const withNode = valueOf(yaml, step, 'with');
        const file = stringOf(valueOf(yaml, withNode, 'file'));
        const context = stringOf(valueOf(yaml, withNode, 'context')) ?? '.';
        const path = file !== null ? normalise(file) : joinPath(context, 'Dockerfile');
        if (path) built.push({ job: jobAt(pipeline, range), path, hyperv: false });
      }
    }
  }
  return built;
}

/** The folder of a path from the root (`eng/ci.yml` → `eng`, `ci.yml` → ''). */
function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** A template path as written (`steps/x.yml`, `/eng/x.yml`) from the root, or null (another repository, an expression). */
function templatePath(written: string, from: string | undefined): string | null {
  // `@self` is this repository; any other `@alias` is another one, not readable here.
  const text = written.trim().replace(/\\/g, '/').replace(/@self$/i, '');
  if (text === '' || text.includes('@') || VARIABLE.test(text) || text.includes('*')) return null;
  if (text.startsWith('/')) return text.replace(/^\/+/, '');
  if (from === undefined) return null;
  const parts: string[] = [];
  for (const part of `${folderOf(from)}/${text}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Whether a job of a template names its own pool (else it runs on the caller's). */
function hasOwnPool(job: PipelineJob | null): boolean {
  return !!job && job.runner.some((value) => value.key.startsWith('pool'));
}

/**
 * Docker builds in the Azure templates this pipeline uses: each counts as a build of the job that names
 * the template (null: named outside a job, as the caller's pipeline-level pool applies), read through
 * `read` (templates of templates too, MAX_TEMPLATE_DEPTH deep, MAX_TEMPLATES in all).
 */
function templateBuilds(model: Parameters<PipelineRule['check']>[0], read: RelatedReader): Built[] {
  const pipeline = model.model!;
  const built: Built[] = [];
  const seen = new Set<string>();
  let budget = MAX_TEMPLATES;
  // Template references of one document: where it is written (for the caller's job) and the path.
  const references = (document: Parameters<PipelineRule['check']>[0], from: string | undefined) => {
    const found: Array<{ node: Node; path: string }> = [];
    for (const { yaml } of rootMaps(document.parsed.documents)) {
      for (const map of everyMap(yaml)) {
        const path = templatePath(stringOf(valueOf(yaml, map, 'template')) ?? '', from);
        if (path !== null && /\.ya?ml$/i.test(path)) found.push({ node: map, path });
      }
    }
    return found;
  };
  const follow = (path: string, callerJob: PipelineJob | null, depth: number) => {
    if (depth > MAX_TEMPLATE_DEPTH || seen.has(`${path} ${depth}`) || budget <= 0) return;
    seen.add(`${path} ${depth}`);
    budget--;
    const file = read(path);
    if (!file) return;
    // Named as a template by an Azure pipeline, it is one, whatever its content looks like.
    const document = createDocument(file.text);
    const parsed = parseYaml(file.text);
    const template: PipelineDocument = { document, kind: 'azure-pipelines', parsed, model: buildPipelineModel(document, 'azure-pipelines', parsed) };
    if (!template.model) return;
    for (const entry of builtDockerfiles(template)) {
      if (hasOwnPool(entry.job)) continue;
      built.push({ ...entry, job: callerJob, via: entry.via ?? file.path });
    }
    for (const reference of references(template, file.path)) {
      const range = rangeOf(template.document, reference.node);
      const inner = range ? jobAt(template.model, range) : null;
      if (!hasOwnPool(inner)) follow(reference.path, callerJob, depth + 1);
    }
  };
  for (const reference of references(model, read.documentPath)) {
    const range = rangeOf(model.document, reference.node);
    follow(reference.path, range ? jobAt(pipeline, range) : null, 1);
  }
  return built;
}

export const crossFileLtsc: PipelineRule = {
  meta: {
    id: 'pipeline-cross-file-ltsc',
    title: 'A Windows job builds a Dockerfile whose base image needs another Windows build than the runner',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [],
    references: ['NIST SP 800-190 §4.5.3'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 1.0,
  },
  check(model, report, context) {
    const read: RelatedReader | undefined = context.readRelated;
    if (!read || !model.model) return;
    const labels = runnerLabelsOf(model);
    if (labels.length === 0) return;
    if (!labels.some((label) => WINDOWS_RUNNER_BUILDS.has(label.label.toLowerCase()) || label.label.toLowerCase() === 'windows-latest')) return;
    const built = builtDockerfiles(model);
    if (model.kind === 'azure-pipelines') built.push(...templateBuilds(model, read));
    if (built.length === 0) return;
    const parsed = new Map<string, { build: number; image: string } | null>();
    const buildOf = (path: string) => {
      if (!parsed.has(path)) {
        const file = read(path);
        parsed.set(path, file ? finalBuild(buildDockerfileModel(createDocument(file.text))) : null);
      }
      return parsed.get(path)!;
    };
    for (const label of labels) {
      let name = label.label.toLowerCase();
      if (name === 'windows-latest') name = windowsLatestImage(label.platform, context.now).label;
      const runnerBuild = WINDOWS_RUNNER_BUILDS.get(name);
      if (runnerBuild === undefined) continue;
      const range = valueRangeOf(model.document, label.node);
      if (!range) continue;
      for (const dockerfile of built) {
        if (dockerfile.hyperv || !(dockerfile.job === label.job || label.job === null)) continue;
        const image = buildOf(dockerfile.path);
        if (!image || image.build === runnerBuild) continue;
        const older = image.build < runnerBuild;
        report({
          range,
          message: `\`${label.label}\` runs Windows build ${runnerBuild}, but \`${dockerfile.path}\`${dockerfile.via ? ` (built by the template \`${dockerfile.via}\`)` : ''} builds on \`${image.image}\` (build ${image.build}); process isolation needs the same build. ${older ? 'Build with `--isolation=hyperv`, or move' : 'Move'} the runner and the base image to the same LTSC.`,
        });
      }
    }
  },
};

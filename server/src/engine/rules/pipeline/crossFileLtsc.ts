import type { PipelineRule, RelatedReader } from '../rule';
import type { PipelineJob } from '../../pipeline/model';
import { WINDOWS_RUNNER_BUILDS, windowsLatestImage } from '../../pipeline/runnerImages';
import { buildDockerfileModel, finalStage, type DockerfileModel, type Stage } from '../../dockerfile/model';
import { stageImageFacts } from '../../catalog/stageImage';
import { createDocument } from '../../text';
import { excerpt } from '../../excerpt';
import { stringOf, valueOf } from '../../pipeline/yamlDocument';
import { azureTasksOf, taskInput } from './azureTasks';
import { githubSteps, jobAt, optionValue, rangeOf, rootMaps, runnerLabelsOf, scriptCommandsOf, usesOf, valueRangeOf, wordArgs } from './pipelineNodes';

// A process-isolated Windows container must have its host's build: `FROM …:ltsc2022` (20348) does not start
// on a Server 2025 runner (26100), and an older container on a newer host runs only with Hyper-V isolation
// (`--isolation=hyperv`). GitHub- and Azure-hosted Windows runners use process isolation by default. This
// rule reads the Dockerfiles a job builds (RuleContext.readRelated) and compares the Windows build of their
// final stage's base image with the runner's.

interface Built {
  job: PipelineJob | null;
  /** Path relative to the repository root. */
  path: string;
  hyperv: boolean;
}

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

/** The Windows build a Dockerfile's final stage runs on (following `FROM <earlier stage>`), or null. */
function finalBuild(model: DockerfileModel): { build: number; image: string } | null {
  let stage: Stage | undefined = finalStage(model);
  for (let hops = 0; stage && hops < 20; hops++) {
    const facts = stageImageFacts(stage);
    if (facts) {
      const release = facts.resolution?.release ?? facts.movedTo?.resolution.release ?? facts.taggedRelease;
      return release ? { build: release.build, image: excerpt(stage.baseImage?.written ?? '') } : null;
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
    const built = builtDockerfiles(model);
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
          message: `\`${label.label}\` runs Windows build ${runnerBuild}, but \`${dockerfile.path}\` builds on \`${image.image}\` (build ${image.build}); process isolation needs the same build. ${older ? 'Build with `--isolation=hyperv`, or move' : 'Move'} the runner and the base image to the same LTSC.`,
        });
      }
    }
  },
};

import type { PipelineRule } from '../../rules/rule';
import type { PipelineJob } from '../model';
import { windowsLatestImage } from '../runnerImages';
import { everyMap, jobAt, rangeOf, reportOnce, rootMaps, runnerLabelsOf, scriptCommandsOf, valueRangeOf } from './pipelineNodes';
import { stringOf, valueOf } from '../yamlDocument';

// `windows-latest` is moved by the platform to the next Windows Server release (2022 → 2025 in September
// 2025). A process-isolated container needs the host's build: a Dockerfile pinned to `ltsc2022` stops
// running (0xc0370101) the day the label moves. An explicit `windows-20XX` moves only when you move it.

export const floatingWindowsRunner: PipelineRule = {
  meta: {
    id: 'pipeline-floating-windows-runner',
    title: 'A job runs on `windows-latest`, which moves to a new Windows Server build without notice',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [],
    references: ['NIST SP 800-190 §4.5.3'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 1.0,
  },
  check(model, reportAll, context) {
    const report = reportOnce(reportAll);
    const pipeline = model.model;
    if (!pipeline) return;
    // Jobs that build or run containers: there the host build matters (warning); elsewhere it is info.
    const containerJobs = new Set<PipelineJob | null>();
    for (const command of scriptCommandsOf(model)) if (['docker', 'podman', 'nerdctl'].includes(command.name)) containerJobs.add(command.run.script.job);
    for (const { yaml } of rootMaps(model.parsed.documents)) {
      for (const map of everyMap(yaml)) {
        if (!/^docker@\d/i.test(stringOf(valueOf(yaml, map, 'task'))?.trim() ?? '')) continue;
        const range = rangeOf(model.document, map);
        if (range) containerJobs.add(jobAt(pipeline, range));
      }
    }
    for (const { node, label, platform, job } of runnerLabelsOf(model)) {
      if (label.toLowerCase() !== 'windows-latest') continue;
      const range = valueRangeOf(model.document, node);
      if (!range) continue;
      const target = windowsLatestImage(platform, context.now);
      const containers = containerJobs.has(job) || (job === null && containerJobs.size > 0);
      report({
        range,
        message: `\`windows-latest\` moves to a new Windows Server build without notice${containers ? ', breaking process-isolated containers of a pinned LTSC image' : ''}; pin \`${target.label}\` (what it runs on now).`,
        ...(containers ? {} : { severity: 'info' as const }),
        fixes: [{
          title: `Pin \`${target.label}\`${target.confirmed ? '' : ' (check that it is what your jobs ran on)'}`,
          edits: [{ range, newText: target.label }],
          safeForFixAll: false,
        }],
      });
    }
  },
};

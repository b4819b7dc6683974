import type { PipelineRule } from '../../rules/rule';
import { retiredRunnerImage as lookUp } from '../runnerImages';
import { reportOnce, runnerLabelsOf, valueRangeOf } from './pipelineNodes';

// A hosted image the platform has retired starts no job: the pipeline fails (or, before the date, fails
// during the announced brown-outs). Dates are in the catalog (pipeline/runnerImages.ts) with their sources.

export const retiredRunnerImage: PipelineRule = {
  meta: {
    id: 'pipeline-retired-runner-image',
    title: 'A job names a hosted runner image that is retired (or announced for retirement)',
    fileKind: 'pipeline',
    defaultSeverity: 'error',
    cwe: [1104],
    references: ['NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 3.0,
  },
  check(model, reportAll, context) {
    const report = reportOnce(reportAll);
    for (const { node, label, platform } of runnerLabelsOf(model)) {
      const retired = lookUp(platform, label, context.now);
      if (!retired) continue;
      const range = valueRangeOf(model.document, node);
      if (!range) continue;
      const where = platform === 'azure' ? 'Microsoft-hosted' : 'GitHub-hosted';
      const date = `${retired.date}${retired.entry.confirmed ? '' : ' (date unconfirmed)'}`;
      report({
        range,
        message: retired.past
          ? `The ${where} image \`${label}\` was retired on ${date}; jobs on it no longer start. Move to ${retired.entry.replacement}.`
          : `The ${where} image \`${label}\` is retired on ${date}; move to ${retired.entry.replacement} before then.`,
        ...(retired.past ? {} : { severity: 'warning' as const }),
      });
    }
  },
};

import { recommendedLtsc, tagStatus } from '../../catalog/catalog';
import { nameAndTag, stageImageFacts } from '../../catalog/stageImage';
import type { DockerfileRule } from '../rule';
import { lifecycleFixes } from './imageFixes';

export const extendedSupportBaseImage: DockerfileRule = {
  meta: {
    id: 'extended-support-base-image',
    title: 'Base image is in extended support (security fixes only)',
    fileKind: 'dockerfile',
    // Information while years remain; the finding itself rises to a warning in the last 90 days.
    defaultSeverity: 'info',
    cwe: [1104],
    references: ['NIST SP 800-190 §4.1.1', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 3.0,
  },
  check(model, report, context) {
    const recommended = recommendedLtsc(context.now);
    for (const stage of model.stages) {
      const facts = stageImageFacts(stage);
      if (!facts?.repository || !facts.resolution || facts.nonexistent) continue;
      const status = tagStatus(facts.resolution, context.now);
      if (status.kind !== 'extended' && status.kind !== 'ending-soon') continue;
      const image = stage.baseImage!;
      report({
        range: image.tagRange ?? image.range,
        message: `\`${nameAndTag(facts.reference)}\`: ${status.summary}. New features and non-security fixes go to ${recommended.name} (\`${recommended.key}\`), the LTSC in mainstream support.`,
        fixes: lifecycleFixes(stage, facts.repository, facts.resolution.entry, context),
        ...(status.kind === 'ending-soon' ? { severity: 'warning' as const } : {}),
      });
    }
  },
};

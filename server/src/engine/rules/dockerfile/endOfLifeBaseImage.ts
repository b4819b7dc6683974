import { tagStatus } from '../../catalog/catalog';
import { nameAndTag, stageImageFacts } from '../../catalog/stageImage';
import type { DockerfileRule } from '../rule';
import { lifecycleFixes } from './imageFixes';

export const endOfLifeBaseImage: DockerfileRule = {
  meta: {
    id: 'eol-base-image',
    title: 'Base image is end of life or no longer published',
    fileKind: 'dockerfile',
    defaultSeverity: 'error',
    cwe: [1104],
    references: ['NIST SP 800-190 §4.1.1', 'NIST SP 800-190 §4.2.2', 'CIS Docker Benchmark 4.2', 'CIS Docker Benchmark 4.4'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.5,
  },
  check(model, report, context) {
    for (const stage of model.stages) {
      const facts = stageImageFacts(stage);
      if (!facts?.repository || !facts.resolution || facts.nonexistent) continue;
      const status = tagStatus(facts.resolution, context.now);
      if (status.kind !== 'end-of-life' && status.kind !== 'removed') continue;
      const image = stage.baseImage!;
      const variant = facts.resolution.variant ? ` (${facts.resolution.variant})` : '';
      report({
        range: image.tagRange ?? image.range,
        message: `\`${nameAndTag(facts.reference)}\`${variant}: ${status.summary.replace(/\.$/, '')}. It receives no security updates; move to a supported tag.`,
        fixes: lifecycleFixes(stage, facts.repository, facts.resolution.entry, context),
      });
    }
  },
};

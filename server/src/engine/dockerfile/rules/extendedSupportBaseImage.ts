import { recommendedLtsc, tagStatus } from '../../catalog/catalog';
import { imageExcerpt, imageFacts, judgedByDefault, nameAndTag } from '../../catalog/stageImage';
import type { DockerfileRule } from '../../rules/rule';
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
    for (const { image } of model.images) {
      const facts = imageFacts(image);
      if (!facts || facts.nonexistent) continue;
      // A retired name is judged as the image it is now.
      const judged = facts.repository && facts.resolution ? { repository: facts.repository, resolution: facts.resolution } : facts.movedTo;
      if (!judged) continue;
      const status = tagStatus(judged.resolution, context.now);
      if (status.kind !== 'extended' && status.kind !== 'ending-soon') continue;
      report({
        range: image.tagRange ?? image.range,
        message: `\`${imageExcerpt(nameAndTag(facts.reference))}\`${judgedByDefault(image)}: ${status.summary.replace(/^a multi-platform tag: the image depends on the host's Windows version (\([^)]*\)); /, 'host-dependent tag $1: ')}; plan the move to \`${recommended.key}\`.`,
        fixes: lifecycleFixes(image, judged.repository, judged.resolution.entry, context),
        ...(status.kind === 'ending-soon' ? { severity: 'warning' as const } : {}),
      });
    }
  },
};

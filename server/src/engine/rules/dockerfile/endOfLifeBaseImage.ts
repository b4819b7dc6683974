import { isoDate, tagStatus } from '../../catalog/catalog';
import { imageFacts, judgedByDefault, nameAndTag } from '../../catalog/stageImage';
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
    for (const { image } of model.images) {
      const facts = imageFacts(image);
      if (!facts || facts.nonexistent) continue;
      const written = `\`${nameAndTag(facts.reference)}\`${judgedByDefault(image)}`;
      // A retired name is judged as the image it is now (`microsoft/windowsservercore:1803` is `windows/servercore:1803`).
      const judged = facts.repository && facts.resolution ? { repository: facts.repository, resolution: facts.resolution } : facts.movedTo;
      if (judged) {
        const status = tagStatus(judged.resolution, context.now);
        if (status.kind !== 'end-of-life' && status.kind !== 'removed') continue;
        const variant = judged.resolution.variant ? ` (${judged.resolution.variant})` : '';
        // `microsoft/dotnet` tags were never published under the new names: say what it is judged as, not a name.
      const moved = judged !== facts.movedTo ? '' : facts.deprecated?.tagRewrite === 'dotnet-core'
        ? ` (judged as \`${judged.repository.name}:${judged.resolution.written}\`)`
        : ` (now \`${judged.repository.name}:${judged.resolution.written}\`)`;
        report({
          range: image.tagRange ?? image.range,
          message: `${written}${variant}${moved}: ${status.summary.replace(/\.$/, '')}. It receives no security updates; move to a supported tag.`,
          fixes: lifecycleFixes(image, judged.repository, judged.resolution.entry, context, judged.resolution.release),
        });
        continue;
      }
      // An image outside the catalog built on an end-of-life Windows release its tag names (a vendor's `…-nanoserver-sac2016`).
      const release = facts.taggedRelease;
      if (!release || release.channel !== 'SAC' || !release.endOfLife || release.endOfLife > isoDate(context.now)) continue;
      report({
        range: image.tagRange ?? image.range,
        message: `${written}: its tag names ${release.name}, which reached end of support on ${release.endOfLife}. An image built on it receives no Windows security updates; use a tag of this image built on a supported LTSC release.`,
      });
    }
  },
};

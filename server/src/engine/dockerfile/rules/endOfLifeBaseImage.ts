import { isoDate, tagStatus } from '../../catalog/catalog';
import { imageExcerpt, imageFacts, judgedByDefault, nameAndTag } from '../../catalog/stageImage';
import type { DockerfileRule } from '../../rules/rule';
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
      const written = `\`${imageExcerpt(nameAndTag(facts.reference))}\`${judgedByDefault(image)}`;
      // A retired name is judged as the image it is now (`microsoft/windowsservercore:1803` is `windows/servercore:1803`).
      const judged = facts.repository && facts.resolution ? { repository: facts.repository, resolution: facts.resolution } : facts.movedTo;
      if (judged) {
        const status = tagStatus(judged.resolution, context.now);
        if (status.kind !== 'end-of-life' && status.kind !== 'removed') continue;
        const variant = judged.resolution.variant ? ` (${judged.resolution.variant})` : '';
        // `microsoft/dotnet` tags were never published under the new names: say what it is judged as, not a name.
      const moved = judged !== facts.movedTo ? '' : facts.deprecated?.tagRewrite === 'dotnet-core'
        ? ` (judged as \`${judged.repository.name}:${judged.resolution.written}\`)`
        // The new name itself is deprecated-image-name's finding; here it would only lengthen the line.
        : '';
        report({
          range: image.tagRange ?? image.range,
          message: `${written}${variant}${moved}: ${shortSummary(status.summary)}; move to a supported tag.`,
          fixes: lifecycleFixes(image, judged.repository, judged.resolution.entry, context, judged.resolution.release),
        });
        continue;
      }
      // An image outside the catalog built on an end-of-life Windows release its tag names (a vendor's `…-nanoserver-sac2016`).
      const release = facts.taggedRelease;
      if (!release || release.channel !== 'SAC' || !release.endOfLife || release.endOfLife > isoDate(context.now)) continue;
      report({
        range: image.tagRange ?? image.range,
        message: `${written} is built on ${release.name}, out of support since ${release.endOfLife}; use a tag built on a supported LTSC.`,
      });
    }
  },
};

/**
 * The catalog's lifecycle summary without what the rule page explains: the multi-platform preamble and
 * the reason after "no longer published since <date>" (`… since 2025-10-14: .NET Framework 3.5, 4.6.2 …`).
 */
function shortSummary(summary: string): string {
  return summary
    .replace(/^a multi-platform tag: the image depends on the host's Windows version (\([^)]*\)); /, 'host-dependent tag $1: ')
    .replace(/^(no longer published since \d{4}-\d{2}-\d{2}): .*$/s, '$1')
    .replace(/\.$/, '');
}

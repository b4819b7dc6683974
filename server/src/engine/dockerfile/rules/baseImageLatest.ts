import { imageExcerpt, imageFacts, useLabel } from '../../catalog/stageImage';
import type { DockerfileRule } from '../../rules/rule';

export const baseImageLatest: DockerfileRule = {
  meta: {
    id: 'base-image-latest',
    title: 'Base image has no tag or uses the mutable `latest` tag',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [829],
    references: ['NIST SP 800-190 §4.2.2', 'NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    hadolintIds: ['DL3006', 'DL3007'],
    securitySeverity: 5.0,
  },
  check(model, report) {
    const windowsDockerfile = model.stages.some((s) => s.platform.os === 'windows');
    for (const { image } of model.images) {
      const reference = image.reference;
      if (!reference || reference.digest) continue;
      const tag = reference.tag;
      if (tag !== null && tag !== 'latest') continue;
      // Where `latest` does not exist for Windows at all, nonexistent-image-tag reports it, with a fix.
      const catalogRepository = imageFacts(image)?.repository;
      if (catalogRepository?.noLatest || (catalogRepository?.family === 'dotnet' && windowsDockerfile)) continue;
      const name = reference.registry ? `${reference.registry}/${reference.repository}` : reference.repository;
      const viaArg = image.usesVariables ? ` (from \`${imageExcerpt(image.written)}\`, judged by that default)` : '';
      const where = image.use === 'from' ? '' : `the \`${useLabel(image)}\` image `;
      // `COPY --from=set` where no stage is named `set`: BuildKit pulls an image of that name (often a misspelt stage).
      if (image.use !== 'from' && tag === null && !reference.registry && !reference.repository.includes('/')) {
        report({
          range: image.range,
          message: `No stage is named \`${imageExcerpt(reference.repository)}\`, so \`${useLabel(image)}\` pulls \`${imageExcerpt(reference.repository)}:latest\` from Docker Hub; name an existing stage or a pinned image.`,
        });
        continue;
      }
      const what = tag === null ? `${where}\`${imageExcerpt(name)}\` has no tag, so each build pulls whatever \`latest\` is` : `${where}\`${imageExcerpt(name)}:latest\` is a moving tag`;
      report({
        range: tag === 'latest' && image.tagRange ? image.tagRange : image.range,
        message: `${what}${viaArg}; name a version tag and pin its digest.`,
      });
    }
  },
};

import { imageExcerpt, judgedByDefault } from '../../catalog/stageImage';
import type { DockerfileRule } from '../../rules/rule';

export const baseImageUnpinnedDigest: DockerfileRule = {
  meta: {
    id: 'base-image-unpinned-digest',
    title: 'Base image is not pinned by digest',
    fileKind: 'dockerfile',
    // Information by default: pinning Windows images by digest means taking the monthly Patch Tuesday
    // rebuild by hand (or by a bot); teams that do so raise this to warning/error in the team file.
    defaultSeverity: 'info',
    cwe: [829],
    references: ['NIST SP 800-190 §4.2.2', 'NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 4.0,
  },
  check(model, report) {
    for (const stage of model.stages) {
      const image = stage.baseImage;
      const reference = image?.reference;
      // Untagged and `latest` references are base-image-latest's findings; one finding per token is enough.
      if (!image || !reference || reference.digest || reference.tag === null || reference.tag === 'latest') continue;
      report({
        range: image.tagRange ?? image.range,
        message: `\`${imageExcerpt(reference.text)}\`${judgedByDefault(image)} is pinned by tag only; pin the digest you tested (\`…@sha256:…\`).`,
      });
    }
  },
};

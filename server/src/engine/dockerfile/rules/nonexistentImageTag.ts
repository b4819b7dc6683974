import { recommendedLtsc, suggestReference, tagStatus, type Repository } from '../../catalog/catalog';
import { imageFacts, judgedByDefault, imageExcerpt, nameAndTag, type StageImageFacts } from '../../catalog/stageImage';
import type { BaseImage } from '../model';
import type { Fix } from '../../types';
import type { DockerfileRule, RuleContext } from '../../rules/rule';
import { replaceImageFix } from './imageFixes';

export const nonexistentImageTag: DockerfileRule = {
  meta: {
    id: 'nonexistent-image-tag',
    title: 'Base image tag does not exist (for Windows)',
    fileKind: 'dockerfile',
    defaultSeverity: 'error',
    cwe: [],
    references: ['NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 2.0,
  },
  check(model, report, context) {
    const windowsDockerfile = model.stages.some((stage) => stage.platform.os === 'windows');
    for (const { image } of model.images) {
      const facts = imageFacts(image);
      if (!facts) continue;
      const written = imageExcerpt(nameAndTag(facts.reference));
      const via = judgedByDefault(image);
      if (facts.nonexistent) {
        const fix = replaceImageFix(image, facts.nonexistent.suggest, `Use ${facts.nonexistent.suggest}`, false);
        report({
          range: image.range,
          message: `\`${written}\`${via} does not exist: ${facts.nonexistent.why} Use \`${facts.nonexistent.suggest}\`.`,
          fixes: fix ? [{ ...fix, preferred: true }] : [],
        });
        continue;
      }
      const repository = facts.repository;
      const resolution = facts.resolution;
      if (!repository || !resolution || facts.reference.digest) continue;
      const missingLatest = repository.noLatest && resolution.written === 'latest';
      // An end-of-life .NET version (`sdk:6.0`) is eol-base-image's finding: one finding per token.
      const noWindowsEntry = resolution.entry?.windows === false && windowsDockerfile && tagStatus(resolution, context.now).kind === 'no-windows';
      if (!missingLatest && !noWindowsEntry) continue;
      const fixes = windowsTagFixes(image, facts, repository, context);
      const message = missingLatest
        ? `\`${written}\`${via} does not exist: Microsoft removed \`latest\` from the Windows base OS repositories on 2019-04-16. Name the Windows release, e.g. \`${recommendedLtsc(context.now).key}\`.`
        : `\`${written}\`${via} has no Windows image: multi-platform .NET tags hold only Linux entries. Name the Windows OS in the tag, e.g. \`${fixes[0]?.title.replace(/^Use /, '') ?? `${repository.name}:<version>-nanoserver-ltsc2025`}\`.`;
      report({ range: image.tagRange ?? image.range, message, fixes });
    }
  },
};

/** The recommended LTSC tag (Nano Server first where offered, the smaller and least-privileged image), and the host's. */
function windowsTagFixes(image: BaseImage, facts: StageImageFacts, repository: Repository, context: RuleContext): Fix[] {
  const targets = [recommendedLtsc(context.now).key];
  if (context.settings.windowsHost && !targets.includes(context.settings.windowsHost)) targets.push(context.settings.windowsHost);
  const fixes: Fix[] = [];
  const product = facts.resolution?.entry?.product;
  for (const target of targets) {
    for (const flavor of repository.family === 'dotnet' ? ['nanoserver', 'servercore'] : [undefined]) {
      const current = { tag: '', sources: [], ...(flavor ? { flavor } : {}), ...(product ? { product } : {}) };
      const reference = suggestReference(repository, current, target, context.now);
      if (!reference || fixes.some((f) => f.title === `Use ${reference}`)) continue;
      const fix = replaceImageFix(image, reference, `Use ${reference}`, false);
      if (fix) fixes.push({ ...fix, preferred: fixes.length === 0 });
    }
  }
  return fixes;
}


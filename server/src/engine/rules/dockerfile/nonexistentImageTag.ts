import { recommendedLtsc, suggestReference, type Repository } from '../../catalog/catalog';
import { nameAndTag, stageImageFacts } from '../../catalog/stageImage';
import type { Stage } from '../../dockerfile/model';
import type { Fix } from '../../types';
import type { DockerfileRule, RuleContext } from '../rule';
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
    for (const stage of model.stages) {
      const facts = stageImageFacts(stage);
      if (!facts) continue;
      const image = stage.baseImage!;
      const written = nameAndTag(facts.reference);
      if (facts.nonexistent) {
        const fix = replaceImageFix(stage, facts.nonexistent.suggest, `Use ${facts.nonexistent.suggest}`, false);
        report({
          range: image.range,
          message: `\`${written}\` does not exist: ${facts.nonexistent.why} Use \`${facts.nonexistent.suggest}\`.`,
          fixes: fix ? [{ ...fix, preferred: true }] : [],
        });
        continue;
      }
      const repository = facts.repository;
      const resolution = facts.resolution;
      if (!repository || !resolution || facts.reference.digest) continue;
      const missingLatest = repository.noLatest && resolution.written === 'latest';
      const noWindowsEntry = resolution.entry?.windows === false && windowsDockerfile;
      if (!missingLatest && !noWindowsEntry) continue;
      const fixes = windowsTagFixes(stage, repository, context);
      const message = missingLatest
        ? `\`${written}\` does not exist: Microsoft removed \`latest\` from the Windows base OS repositories on 2019-04-16. Name the Windows release, e.g. \`${recommendedLtsc(context.now).key}\`.`
        : `\`${written}\` has no Windows image: multi-platform .NET tags hold only Linux entries. Name the Windows OS in the tag, e.g. \`${fixes[0]?.title.replace(/^Use /, '') ?? `${repository.name}:<version>-nanoserver-ltsc2025`}\`.`;
      report({ range: image.tagRange ?? image.range, message, fixes });
    }
  },
};

/** The recommended LTSC tag (Nano Server first where offered, the smaller and least-privileged image), and the host's. */
function windowsTagFixes(stage: Stage, repository: Repository, context: RuleContext): Fix[] {
  const targets = [recommendedLtsc(context.now).key];
  if (context.settings.windowsHost && !targets.includes(context.settings.windowsHost)) targets.push(context.settings.windowsHost);
  const fixes: Fix[] = [];
  const product = stageProduct(stage);
  for (const target of targets) {
    for (const flavor of repository.family === 'dotnet' ? ['nanoserver', 'servercore'] : [undefined]) {
      const current = { tag: '', sources: [], ...(flavor ? { flavor } : {}), ...(product ? { product } : {}) };
      const reference = suggestReference(repository, current, target, context.now);
      if (!reference || fixes.some((f) => f.title === `Use ${reference}`)) continue;
      const fix = replaceImageFix(stage, reference, `Use ${reference}`, false);
      if (fix) fixes.push({ ...fix, preferred: fixes.length === 0 });
    }
  }
  return fixes;
}

/** For `dotnet/aspnet:10.0`, the product line `dotnet-10.0`, so the suggestion keeps the .NET version. */
function stageProduct(stage: Stage): string | undefined {
  const facts = stageImageFacts(stage);
  return facts?.resolution?.entry?.product;
}

import { recommendedLtsc, repository as catalogRepository, resolveTag, rewriteDeprecated, suggestReference, tagStatus, type DeprecatedName } from '../../catalog/catalog';
import { stageImageFacts } from '../../catalog/stageImage';
import type { Fix } from '../../types';
import type { DockerfileRule, RuleContext } from '../rule';
import { replaceImageFix } from './imageFixes';
import type { Stage } from '../../dockerfile/model';

export const deprecatedImageName: DockerfileRule = {
  meta: {
    id: 'deprecated-image-name',
    title: 'Base image uses a retired Docker Hub `microsoft/*` or `dotnet/core` name',
    fileKind: 'dockerfile',
    defaultSeverity: 'error',
    cwe: [1104],
    references: ['NIST SP 800-190 §4.1.1', 'NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.5,
  },
  check(model, report, context) {
    for (const stage of model.stages) {
      const facts = stageImageFacts(stage);
      if (!facts?.deprecated || facts.nonexistent) continue; // a name that never existed is nonexistent-image-tag's
      const { deprecated, reference } = facts;
      const target = replacementFor(deprecated, reference.tag, context);
      const fixes: Fix[] = [];
      if (target) {
        const fix = replaceImageFix(stage, target.reference, target.tagKept ? `Use ${target.reference}` : `Use ${target.reference} (the old tag is not published there)`, target.tagKept);
        if (fix) fixes.push({ ...fix, preferred: true });
      }
      const when = deprecated.name.startsWith('microsoft/')
        ? 'Microsoft removed its images from Docker Hub on 2021-07-01; they are published on mcr.microsoft.com.'
        : '`dotnet/core/*` received no images after .NET Core 3.1; .NET 5 and later are under `mcr.microsoft.com/dotnet/*`.';
      report({
        range: imageNameRange(stage),
        message: `\`${deprecated.name}\` is retired: ${when} Use \`${target?.reference ?? deprecated.replacement}\`.`,
        fixes,
      });
    }
  },
};

function imageNameRange(stage: Stage) {
  return stage.baseImage!.range;
}

interface Replacement {
  reference: string;
  /** True when the same tag exists on the new name: the same image, so the fix is safe to apply unattended. */
  tagKept: boolean;
}

/** Where a retired name moved, keeping the tag when the new repository still publishes it. */
export function replacementFor(deprecated: DeprecatedName, tag: string | null, context: Pick<RuleContext, 'now'>): Replacement | null {
  const { repositoryName, tag: newTag } = rewriteDeprecated(deprecated, tag);
  const target = catalogRepository(repositoryName);
  if (!target) return { reference: newTag ? `${repositoryName}:${newTag}` : repositoryName, tagKept: !!newTag };
  if (newTag) {
    const status = tagStatus(resolveTag(target, newTag), context.now);
    // The same image under its new name (a rewritten tag names the same content).
    if (status.kind !== 'unknown' && status.kind !== 'removed' && status.kind !== 'no-windows') return { reference: `${target.name}:${newTag}`, tagKept: true };
  }
  const suggested = suggestReference(target, null, recommendedLtsc(context.now).key, context.now);
  return suggested ? { reference: suggested, tagKept: false } : null;
}

import { recommendedLtsc, repository as catalogRepository, resolveTag, rewriteDeprecated, suggestReference, windowsReleaseInTag, type DeprecatedName, type TagEntry } from '../../catalog/catalog';
import { imageFacts, judgedByDefault } from '../../catalog/stageImage';
import type { Fix } from '../../types';
import type { DockerfileRule, RuleContext } from '../../rules/rule';
import { replaceImageFix } from './imageFixes';

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
    for (const { image } of model.images) {
      const facts = imageFacts(image);
      if (!facts?.deprecated || facts.nonexistent) continue; // a name that never existed is nonexistent-image-tag's
      const { deprecated, reference } = facts;
      const target = replacementFor(deprecated, reference.tag, context);
      const fixes: Fix[] = [];
      if (target) {
        const title = target.tagKept ? `Use ${target.reference}` : `Use ${target.reference} (the old tag is not published there)`;
        const fix = replaceImageFix(image, target.reference, title, target.tagKept);
        if (fix) fixes.push({ ...fix, preferred: true });
      }
      // The newer LTSC is a separate choice: a host of the old release cannot run it with process isolation.
      if (target?.newerLtsc) {
        const fix = replaceImageFix(image, target.newerLtsc, `Use ${target.newerLtsc} (recommended LTSC; needs a matching host)`, false);
        if (fix) fixes.push(fix);
      }
      // Why it is retired, in a few words (the rule page has the story).
      const when = deprecated.name.startsWith('microsoft/') ? 'gone from Docker Hub since 2021-07-01' : 'no images after .NET Core 3.1';
      report({
        range: image.range,
        message: `\`${deprecated.name}\`${judgedByDefault(image)} is retired (${when}); use \`${target?.reference ?? deprecated.replacement}\`.`,
        fixes,
      });
    }
  },
};

interface Replacement {
  reference: string;
  /** True when the same tag exists on the new name: the same image, so the fix is safe to apply unattended. */
  tagKept: boolean;
  /** The recommended LTSC's tag on the new name, when it is another Windows release than the one kept. */
  newerLtsc?: string;
}

/**
 * Where a retired name moved. The tag is kept when the new repository has (or had) it: the same image
 * on the same Windows release. Otherwise a supported tag on the Windows release the old tag named, and
 * only when there is none the recommended LTSC.
 */
export function replacementFor(deprecated: DeprecatedName, tag: string | null, context: Pick<RuleContext, 'now'>): Replacement | null {
  const { repositoryName, tag: newTag, judgeTag } = rewriteDeprecated(deprecated, tag);
  const target = catalogRepository(repositoryName);
  if (!target) return { reference: newTag ? `${repositoryName}:${newTag}` : repositoryName, tagKept: !!newTag };
  const recommended = recommendedLtsc(context.now).key;
  const judged = resolveTag(target, judgeTag);
  const current: TagEntry | null = judged.entry;
  const release = judged.release?.key ?? windowsReleaseInTag(judgeTag)?.key ?? null;
  const newer = release && release !== recommended && !(release === '1809' && recommended === 'ltsc2019') ? suggestReference(target, current, recommended, context.now) : null;
  // Kept only when the catalog lists the tag (or a published pattern of it): a tag merely spelled like one may never have existed there.
  const renamed = newTag ? resolveTag(target, newTag) : null;
  if (renamed && (renamed.removedPattern || (renamed.entry && !renamed.inferred))) {
    const reference = `${target.name}:${newTag}`;
    return { reference, tagKept: true, ...(newer && newer !== reference ? { newerLtsc: newer } : {}) };
  }
  const sameRelease = release ? suggestReference(target, current, release, context.now) : null;
  const suggested = sameRelease ?? suggestReference(target, current, recommended, context.now);
  if (!suggested) return null;
  return { reference: suggested, tagKept: false, ...(newer && newer !== suggested ? { newerLtsc: newer } : {}) };
}


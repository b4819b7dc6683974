// Fixes that rewrite a FROM image reference; shared by the catalog rules.
import type { Stage } from '../../dockerfile/model';
import type { Fix } from '../../types';
import { recommendedLtsc, suggestReference, type Repository, type TagEntry } from '../../catalog/catalog';
import type { RuleContext } from '../rule';

/**
 * Replace the image argument of the stage's FROM with `reference`. Null when the image is written
 * with variables (the fix would have to edit an ARG elsewhere; the message says what to change).
 */
export function replaceImageFix(stage: Stage, reference: string, title: string, safeForFixAll: boolean): Fix | null {
  const image = stage.baseImage;
  if (!image || image.usesVariables) return null;
  return { title, edits: [{ range: image.range, newText: reference }], safeForFixAll };
}

/**
 * Quick fixes moving to the recommended LTSC and, when configured and different, to the host's LTSC.
 * A digest pinned the old tag's content, so it is dropped; the title says to pin again.
 */
export function lifecycleFixes(stage: Stage, repository: Repository, current: TagEntry | null, context: RuleContext): Fix[] {
  const targets = [recommendedLtsc(context.now).key];
  const host = context.settings.windowsHost;
  if (host && !targets.includes(host)) targets.push(host);
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  const hadDigest = !!stage.baseImage?.reference?.digest;
  targets.forEach((target, index) => {
    const reference = suggestReference(repository, current, target, context.now);
    if (!reference || seen.has(reference)) return;
    seen.add(reference);
    const why = index === 0 ? 'recommended LTSC' : 'your container host';
    const fix = replaceImageFix(stage, reference, `Use ${reference} (${why})${hadDigest ? ', then pin its digest again' : ''}`, false);
    if (fix) fixes.push({ ...fix, preferred: index === 0 });
  });
  return fixes;
}

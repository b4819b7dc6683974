// Fixes that rewrite an image reference (a FROM image, or the image of COPY --from / RUN --mount);
// shared by the catalog rules.
import type { BaseImage } from '../model';
import type { Fix } from '../../types';
import {
  deprecatedNameOf, PRODUCTS, productSupported, recommendedLtsc, releaseLifecycle, repository as catalogRepository, repositoryOf, resolveTag, rewriteDeprecated,
  suggestReference, windowsReleaseInTag, type Repository, type TagEntry, type WindowsRelease,
} from '../../catalog/catalog';
import { parseImageReference } from '../imageReference';
import type { RuleContext } from '../../rules/rule';

/**
 * Replace the image reference with `reference`. Null when the image is written with variables (the
 * fix would have to edit an ARG elsewhere; the message says what to change). A fix that changes the
 * Windows release the file asked for is never safe for fix-all, whatever the caller says: a host of
 * the old release cannot run the new one with process isolation.
 */
export function replaceImageFix(image: BaseImage | null, reference: string, title: string, safeForFixAll: boolean): Fix | null {
  if (!image || image.usesVariables) return null;
  const safe = safeForFixAll && !changesWindowsRelease(image, reference);
  return { title, edits: [{ range: image.range, newText: reference }], safeForFixAll: safe };
}

/** The Windows release key a reference names (catalog tag, retired name's tag, else a release word in the tag), or null when it names none. */
export function windowsReleaseOf(text: string): string | null {
  const reference = parseImageReference(text);
  if (!reference) return null;
  const deprecated = deprecatedNameOf(reference);
  const rewritten = deprecated ? rewriteDeprecated(deprecated, reference.tag) : null;
  const repository = rewritten ? catalogRepository(rewritten.repositoryName) : repositoryOf(reference);
  const tag = rewritten ? rewritten.judgeTag : reference.tag;
  const key = (repository ? resolveTag(repository, tag).release?.key : null) ?? windowsReleaseInTag(tag)?.key ?? null;
  // `1809` and `ltsc2019` are the same image.
  return key === '1809' ? 'ltsc2019' : key;
}

function changesWindowsRelease(image: BaseImage, reference: string): boolean {
  const before = image.reference ? windowsReleaseOf(image.reference.text) : null;
  const after = windowsReleaseOf(reference);
  return before !== after;
}

/**
 * Quick fixes moving to the recommended LTSC and, when configured and different, to the host's LTSC.
 * A digest pinned the old tag's content, so it is dropped; the title says to pin again.
 */
export function lifecycleFixes(image: BaseImage, repository: Repository, current: TagEntry | null, context: RuleContext, release?: WindowsRelease | null): Fix[] {
  const hadDigest = !!image.reference?.digest;
  const pinAgain = hadDigest ? ', then pin its digest again' : '';
  // A multi-platform .NET tag (`sdk:6.0`) moves to the newest supported one, not to a Windows tag.
  if (current?.windows === false) {
    const tag = repository.tags
      .filter((t) => t.windows === false && t.product && productSupported(PRODUCTS.get(t.product)!, context.now))
      .sort((a, b) => b.tag.localeCompare(a.tag, undefined, { numeric: true }))[0];
    const fix = tag ? replaceImageFix(image, `${repository.name}:${tag.tag}`, `Use ${repository.name}:${tag.tag}${pinAgain}`, false) : null;
    return fix ? [{ ...fix, preferred: true }] : [];
  }
  const targets: Array<{ key: string; why: string }> = [];
  // The Windows release the file asked for, while it is supported: a host of that release can run the new tag.
  if (release && releaseLifecycle(release, context.now).phase !== 'end-of-life') targets.push({ key: release.key, why: 'same Windows release' });
  targets.push({ key: recommendedLtsc(context.now).key, why: 'recommended LTSC' });
  const host = context.settings.windowsHost;
  if (host) targets.push({ key: host, why: 'your container host' });
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    const reference = suggestReference(repository, current, target.key, context.now);
    if (!reference || seen.has(reference)) continue;
    seen.add(reference);
    const fix = replaceImageFix(image, reference, `Use ${reference} (${target.why})${pinAgain}`, false);
    if (fix) fixes.push({ ...fix, preferred: fixes.length === 0 });
  }
  return fixes;
}

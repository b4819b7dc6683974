// What the catalog says about an image the build pulls (a FROM image, or one named by COPY --from /
// RUN --mount=from), computed once per image.
import { excerpt } from '../excerpt';
import type { BaseImage, Stage } from '../dockerfile/model';
import type { ImageReference } from '../dockerfile/imageReference';
import {
  deprecatedNameOf, nonexistentTagOf, repository as catalogRepository, repositoryOf, resolveTag, rewriteDeprecated, windowsReleaseInTag,
  type DeprecatedName, type NonexistentTag, type Repository, type TagResolution, type WindowsRelease,
} from './catalog';

export interface StageImageFacts {
  reference: ImageReference;
  repository: Repository | null;
  resolution: TagResolution | null;
  deprecated: DeprecatedName | null;
  nonexistent: NonexistentTag | null;
  /**
   * For a retired name: the image judged under its MCR name (`microsoft/windowsservercore:1803` is
   * `windows/servercore:1803`, end of life today), when the replacement is in the catalog.
   */
  movedTo: { repository: Repository; resolution: TagResolution } | null;
  /** For an image outside the catalog: the Windows release its tag names (`…-nanoserver-sac2016`), if any. */
  taggedRelease: WindowsRelease | null;
}

const cache = new WeakMap<BaseImage, StageImageFacts | null>();

/** Facts about the stage's FROM image (null for scratch, an earlier stage, or an unresolvable reference). */
export function stageImageFacts(stage: Stage): StageImageFacts | null {
  return stage.baseImage ? imageFacts(stage.baseImage) : null;
}

export function imageFacts(image: BaseImage): StageImageFacts | null {
  if (cache.has(image)) return cache.get(image)!;
  const reference = image.reference;
  let facts: StageImageFacts | null = null;
  if (reference) {
    const repository = repositoryOf(reference) ?? null;
    const deprecated = deprecatedNameOf(reference) ?? null;
    const rewritten = deprecated ? rewriteDeprecated(deprecated, reference.tag) : null;
    const movedRepository = rewritten ? catalogRepository(rewritten.repositoryName) : undefined;
    facts = {
      reference,
      repository,
      resolution: repository ? resolveTag(repository, reference.tag) : null,
      deprecated,
      nonexistent: nonexistentTagOf(reference) ?? null,
      movedTo: movedRepository && rewritten ? { repository: movedRepository, resolution: resolveTag(movedRepository, rewritten.judgeTag) } : null,
      taggedRelease: repository || deprecated ? null : windowsReleaseInTag(reference.tag),
    };
  }
  cache.set(image, facts);
  return facts;
}

/** An image name as a message quotes it: whole up to 120 characters (real names are shorter), cut beyond. */
export function imageExcerpt(text: string): string {
  return excerpt(text, 120);
}

/** The reference as `name[:tag]` with the registry, without digest. */
export function nameAndTag(reference: ImageReference): string {
  const name = reference.registry ? `${reference.registry}/${reference.repository}` : reference.repository;
  return reference.tag ? `${name}:${reference.tag}` : name;
}

/**
 * For an image written with variables: how it was judged, for messages
 * (`` (judged by the ARG default of `${BASE}`)``); empty for a literal reference.
 */
export function judgedByDefault(image: BaseImage): string {
  return image.usesVariables && image.reference ? ` (judged by the ARG default of \`${imageExcerpt(image.written)}\`)` : '';
}

/** Where an image is named, for messages: `FROM`, `COPY --from` or `RUN --mount from=`. */
export function useLabel(image: BaseImage): string {
  return image.use === 'from' ? 'FROM' : image.use === 'copy-from' ? 'COPY --from' : 'RUN --mount from=';
}

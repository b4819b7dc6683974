// What the catalog says about a stage's base image, computed once per stage.
import type { Stage } from '../dockerfile/model';
import type { ImageReference } from '../dockerfile/imageReference';
import {
  deprecatedNameOf, nonexistentTagOf, repository as catalogRepository, repositoryOf, resolveTag, rewriteDeprecated,
  type DeprecatedName, type NonexistentTag, type Repository, type TagResolution,
} from './catalog';

export interface StageImageFacts {
  reference: ImageReference;
  repository: Repository | null;
  resolution: TagResolution | null;
  deprecated: DeprecatedName | null;
  nonexistent: NonexistentTag | null;
  /** For a retired name: the same image in the catalog under its MCR name, when the tag has a counterpart. */
  movedTo: { repository: Repository; resolution: TagResolution } | null;
}

const cache = new WeakMap<Stage, StageImageFacts | null>();

export function stageImageFacts(stage: Stage): StageImageFacts | null {
  if (cache.has(stage)) return cache.get(stage)!;
  const reference = stage.baseImage?.reference ?? null;
  let facts: StageImageFacts | null = null;
  if (reference) {
    const repository = repositoryOf(reference) ?? null;
    const deprecated = deprecatedNameOf(reference) ?? null;
    const rewritten = deprecated ? rewriteDeprecated(deprecated, reference.tag) : null;
    const movedRepository = rewritten?.tag ? catalogRepository(rewritten.repositoryName) : undefined;
    facts = {
      reference,
      repository,
      resolution: repository ? resolveTag(repository, reference.tag) : null,
      deprecated,
      nonexistent: nonexistentTagOf(reference) ?? null,
      movedTo: movedRepository && rewritten?.tag ? { repository: movedRepository, resolution: resolveTag(movedRepository, rewritten.tag) } : null,
    };
  }
  cache.set(stage, facts);
  return facts;
}

/** The reference as `name[:tag]` with the registry, without digest. */
export function nameAndTag(reference: ImageReference): string {
  const name = reference.registry ? `${reference.registry}/${reference.repository}` : reference.repository;
  return reference.tag ? `${name}:${reference.tag}` : name;
}

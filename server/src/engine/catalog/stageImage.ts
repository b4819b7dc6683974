// What the catalog says about a stage's base image, computed once per stage.
import type { Stage } from '../dockerfile/model';
import type { ImageReference } from '../dockerfile/imageReference';
import {
  deprecatedNameOf, nonexistentTagOf, repositoryOf, resolveTag,
  type DeprecatedName, type NonexistentTag, type Repository, type TagResolution,
} from './catalog';

export interface StageImageFacts {
  reference: ImageReference;
  repository: Repository | null;
  resolution: TagResolution | null;
  deprecated: DeprecatedName | null;
  nonexistent: NonexistentTag | null;
}

const cache = new WeakMap<Stage, StageImageFacts | null>();

export function stageImageFacts(stage: Stage): StageImageFacts | null {
  if (cache.has(stage)) return cache.get(stage)!;
  const reference = stage.baseImage?.reference ?? null;
  let facts: StageImageFacts | null = null;
  if (reference) {
    const repository = repositoryOf(reference) ?? null;
    facts = {
      reference,
      repository,
      resolution: repository ? resolveTag(repository, reference.tag) : null,
      deprecated: deprecatedNameOf(reference) ?? null,
      nonexistent: nonexistentTagOf(reference) ?? null,
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

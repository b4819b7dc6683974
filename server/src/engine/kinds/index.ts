// The one registration point of document kinds. The order decides which kind claims a path first.
import type { FileKind } from '../types';
import type { DocumentKind } from './documentKind';
import { dockerfileKind } from '../dockerfile/kind';
import { nugetConfigKind } from '../nuget/kind';
import { pipelineKind } from '../pipeline/kind';

export const DOCUMENT_KINDS: ReadonlyArray<DocumentKind<unknown>> = [
  nugetConfigKind as DocumentKind<unknown>,
  dockerfileKind as DocumentKind<unknown>,
  pipelineKind as DocumentKind<unknown>,
];

export function documentKind(id: FileKind): DocumentKind<unknown> {
  const kind = DOCUMENT_KINDS.find((candidate) => candidate.id === id);
  if (!kind) throw new Error(`unknown document kind ${id}`);
  return kind;
}

/** The kind of a file by its path, or null for files the engine does not read. */
export function fileKindForPath(path: string): FileKind | null {
  return DOCUMENT_KINDS.find((kind) => kind.recognisesPath(path))?.id ?? null;
}

/** True when a file its path does not settle may still be of a kind by its content (`eng/build.yml`). */
export function mayBeRecognisedByContent(path: string): boolean {
  const lower = path.toLowerCase();
  return DOCUMENT_KINDS.some((kind) => kind.contentExtensions?.some((extension) => lower.endsWith(extension)));
}

/** The kind of a file by its path, else by its content, or null. */
export function fileKindFor(path: string, text: string): FileKind | null {
  return fileKindForPath(path)
    ?? DOCUMENT_KINDS.find((kind) => kind.contentExtensions?.some((extension) => path.toLowerCase().endsWith(extension)) && kind.recognisesContent?.(path, text))?.id
    ?? null;
}

/**
 * The kind a file its path does not settle may be, from a cheap look at its content (no parse); the
 * host then builds that kind's model and keeps the file only if `recognisesModel` agrees. Kinds without
 * a cheap look are asked `recognisesContent` here.
 */
export function contentCandidateKind(path: string, text: string): FileKind | null {
  const lower = path.toLowerCase();
  for (const kind of DOCUMENT_KINDS) {
    if (!kind.contentExtensions?.some((extension) => lower.endsWith(extension))) continue;
    if (kind.mayBeContent ? kind.mayBeContent(text) : kind.recognisesContent?.(path, text)) return kind.id;
  }
  return null;
}

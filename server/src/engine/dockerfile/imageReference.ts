// Splits an image reference into registry, repository path, tag and digest following the grammar of
// the distribution project's reference package (docker/distribution `reference/reference.go`):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain "/"] path-component ["/" path-component]*
// where the first component is a domain when it contains "." or ":" or is "localhost".
// dockerfile-ast gives the same split for literal FROM lines; this is needed for references that are
// only known after ARG expansion.

export interface ImageReference {
  /** The reference as written (after variable expansion). */
  text: string;
  /** Registry host (with port) or null for Docker Hub short names. */
  registry: string | null;
  /** Repository path without registry, e.g. `windows/servercore`. */
  repository: string;
  tag: string | null;
  digest: string | null;
  /** Offsets of the tag and digest inside `text` (-1 when absent), for precise ranges. */
  tagOffset: number;
  digestOffset: number;
}

export function parseImageReference(text: string): ImageReference | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || /\s/.test(trimmed)) return null;
  let rest = trimmed;
  let digest: string | null = null;
  let digestOffset = -1;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    digestOffset = at + 1;
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  let tagOffset = -1;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    tagOffset = lastColon + 1;
    rest = rest.slice(0, lastColon);
  }
  if (rest.length === 0) return null;
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  return { text: trimmed, registry, repository: rest, tag, digest, tagOffset, digestOffset };
}

/** Repository path including the registry, lower-cased for comparisons (`mcr.microsoft.com/windows/servercore`). */
export function fullRepository(reference: ImageReference): string {
  return (reference.registry ? `${reference.registry}/${reference.repository}` : reference.repository).toLowerCase();
}

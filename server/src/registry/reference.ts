// Registry-level normalisation of an image reference (docs/registry-and-signatures.md §1, after
// distribution/reference normalize.go). The engine's `parseImageReference` only splits the text;
// this adds what is needed to contact a registry: Docker Hub's `docker.io` → `registry-1.docker.io`,
// the implicit `library/` namespace, the default `latest` tag, and validation of every part, so a
// malformed reference never turns into a request.
import { parseImageReference } from '../engine/dockerfile/imageReference';

export interface NormalizedReference {
  /** Registry as the user would name it (`docker.io`, `mcr.microsoft.com`, `localhost:5000`). */
  domain: string;
  /** Host (and port) actually contacted (`registry-1.docker.io` for Docker Hub). */
  registry: string;
  /** Repository path inside the registry (`library/ubuntu`, `windows/servercore`). */
  repository: string;
  /** Tag; `latest` when neither tag nor digest was written. Kept for information when a digest is present. */
  tag?: string;
  /** Digest (`sha256:…`); when present the image is resolved by digest, not by tag. */
  digest?: string;
  /** Canonical text, `domain/repository[:tag][@digest]`. */
  canonical: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// host = DNS name (labels of letters, digits and inner hyphens), IPv4, or bracketed IPv6; optional port.
const DOMAIN = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

/** The host to contact for a domain as written; only Docker Hub differs. */
export function apiHost(domain: string): string {
  return domain === DOCKER_HUB || domain === 'index.docker.io' ? DOCKER_HUB_API_HOST : domain;
}

/** Normalises `text`; returns null for anything distribution's reference grammar would reject. */
export function normalizeReference(text: string): NormalizedReference | null {
  const input = text.trim();
  if (input.length === 0 || /\s/.test(input)) return null;
  // A bare 64-hex string is an image ID, not a name.
  if (/^[a-f0-9]{64}$/.test(input)) return null;

  // The lexical split is the engine's (the same grammar the Dockerfile rules use); validation follows.
  const parts = parseImageReference(input);
  if (!parts) return null;
  const digest = parts.digest ?? undefined;
  const tag = parts.tag ?? undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return null;
  if (tag !== undefined && !TAG.test(tag)) return null;
  // v2.8.2's rule (no uppercase rule): a domain has a '.' or ':' or is `localhost`.
  let domain = parts.registry ?? DOCKER_HUB;
  let path = parts.repository;
  if (domain === 'index.docker.io') domain = DOCKER_HUB;
  if (!DOMAIN.test(domain)) return null;
  if (domain === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path.length > 255) return null;
  if (!path.split('/').every((component) => PATH_COMPONENT.test(component))) return null;

  const effectiveTag = tag === undefined && digest === undefined ? 'latest' : tag;
  const canonical = `${domain}/${path}${effectiveTag !== undefined ? `:${effectiveTag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  const result: NormalizedReference = { domain, registry: apiHost(domain), repository: path, canonical };
  if (effectiveTag !== undefined) result.tag = effectiveTag;
  if (digest !== undefined) result.digest = digest;
  return result;
}

/** Guards URLs built from caller-supplied parts: a valid repository path and `host[:port]`. */
export function isValidRepository(repository: string): boolean {
  return repository.length > 0 && repository.length <= 255 && repository.split('/').every((component) => PATH_COMPONENT.test(component));
}

export function isValidHost(host: string): boolean {
  return DOMAIN.test(host);
}

/** True for hosts that are the local machine (plain http may be used without configuration). */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host).toLowerCase();
  return name === 'localhost' || name === '[::1]' || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** `host[:port]` → host (keeps IPv6 brackets). */
export function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end >= 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

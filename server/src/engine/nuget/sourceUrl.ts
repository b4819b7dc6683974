// What a package-source value points at: scheme, host, and who controls what is published there. The owner
// is what dependency confusion is about: two sources with different owners can both offer a package id, so
// an attacker who can publish to one of them (nuget.org: anyone) can shadow a package of the other.
import { excerpt } from '../excerpt';

export type SourceScheme = 'https' | 'http' | 'local' | 'share' | 'unknown';

export interface SourceLocation {
  scheme: SourceScheme;
  /** Lower-case host for http(s) sources. */
  host?: string;
  /** Who publishes there: `nuget.org`, `azure-devops:<org>`, `github:<owner>`, `myget:<feed>`, `host:<host>`, `share:<server>`; undefined for local folders and unresolvable values. */
  owner?: string;
  /** `user:password@` in the URL (NuGet sends it nowhere useful; the secret sits in the file). */
  credentialsInUrl?: { start: number; end: number };
  /** The value uses `%VAR%`, so its target is decided at restore time. */
  usesVariables: boolean;
}

export const NUGET_ORG_V3 = 'https://api.nuget.org/v3/index.json';

/** `%NAME%`: the only variable syntax NuGet expands in config values, on every OS. */
export const VARIABLE_REFERENCE = /%[^%\s]+%/g;

/** Hosts known to serve their NuGet feeds over https at the same path, so `http:` → `https:` is safe to apply unattended. */
const HTTPS_HOSTS = [
  /^api\.nuget\.org$/, /^(?:www\.)?nuget\.org$/, /^pkgs\.dev\.azure\.com$/, /^[a-z0-9-]+\.pkgs\.visualstudio\.com$/, /^nuget\.pkg\.github\.com$/,
  /^(?:www\.)?myget\.org$/, /^[a-z0-9-]+\.myget\.org$/, /^[a-z0-9-]+\.blob\.core\.windows\.net$/, /^f\.feedz\.io$/, /^nuget\.cloudsmith\.io$/,
];

export function servesHttps(host: string): boolean {
  return HTTPS_HOSTS.some((pattern) => pattern.test(host));
}

export function isNuGetOrg(location: SourceLocation): boolean {
  return location.owner === 'nuget.org';
}

export function classifySource(value: string): SourceLocation {
  const trimmed = value.trim();
  const usesVariables = trimmed.search(VARIABLE_REFERENCE) !== -1;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    let url: URL | undefined;
    try {
      url = new URL(trimmed);
    } catch {
      url = undefined;
    }
    const authorityEnd = trimmed.indexOf('/', scheme.length + 3);
    const authority = trimmed.slice(scheme.length + 3, authorityEnd === -1 ? undefined : authorityEnd);
    const at = authority.lastIndexOf('@');
    const credentialsInUrl = at > 0 ? { start: scheme.length + 3, end: scheme.length + 3 + at + 1 } : undefined;
    const host = url?.hostname.toLowerCase() ?? authority.slice(at + 1).split(':')[0]!.toLowerCase();
    const path = url ? decodeSafely(url.pathname) : trimmed.slice(scheme.length + 3 + authority.length);
    return { scheme, host, owner: ownerOf(host, path), usesVariables, ...(credentialsInUrl ? { credentialsInUrl } : {}) };
  }
  if (scheme === 'file') return { scheme: 'local', usesVariables };
  if (/^\\\\[^\\]/.test(trimmed) || /^\/\/[^/]/.test(trimmed)) {
    const server = trimmed.slice(2).split(/[\\/]/)[0]!.toLowerCase();
    return { scheme: 'share', owner: `share:${server}`, usesVariables };
  }
  if (scheme) return { scheme: 'unknown', usesVariables };
  if (trimmed.startsWith('%') && usesVariables) return { scheme: 'unknown', usesVariables };
  // Relative or absolute folder: a local feed, which the repository or machine controls.
  return { scheme: 'local', usesVariables };
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function ownerOf(host: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (host === 'api.nuget.org' || host === 'nuget.org' || host === 'www.nuget.org') return 'nuget.org';
  if (host === 'pkgs.dev.azure.com' && segments[0]) return `azure-devops:${segments[0].toLowerCase()}`;
  const visualStudio = /^([a-z0-9-]+)\.pkgs\.visualstudio\.com$/.exec(host);
  if (visualStudio) return `azure-devops:${visualStudio[1]}`;
  if (host === 'nuget.pkg.github.com' && segments[0]) return `github:${segments[0].toLowerCase()}`;
  if (/(?:^|\.)myget\.org$/.test(host) && segments[0]?.toLowerCase() === 'f' && segments[1]) return `myget:${segments[1].toLowerCase()}`;
  return `host:${host}`;
}

/** Words for an owner in messages. */
export function describeOwner(owner: string): string {
  const [kind, whole] = owner.includes(':') ? [owner.slice(0, owner.indexOf(':')), owner.slice(owner.indexOf(':') + 1)] : [owner, ''];
  // Messages quote it: an excerpt (see excerpt.ts).
  const name = excerpt(whole);
  switch (kind) {
    case 'nuget.org': return 'nuget.org (anyone can publish)';
    case 'azure-devops': return `Azure Artifacts organisation "${name}"`;
    case 'github': return `GitHub Packages of "${name}"`;
    case 'myget': return `MyGet feed "${name}"`;
    case 'share': return `file share on ${name}`;
    default: return name || excerpt(owner);
  }
}

// Which operating system a base image targets and which user it runs as by default.
// Facts: the catalog (catalog/windows-images.json) and shared/docs/windows-base-images.md §4 — Server
// Core (and the .NET Framework and `windowsservercore` .NET images built on it) runs as
// ContainerAdministrator; Nano Server (and `nanoserver` .NET images) runs as ContainerUser. The full
// `windows/server` and `windows` images are Server Core supersets and also default to ContainerAdministrator.
import type { ImageReference } from './imageReference';
import { fullRepository } from './imageReference';
import { deprecatedNameOf, repository, resolveTag, type Repository } from '../catalog/catalog';

export type WindowsFlavor = 'servercore' | 'nanoserver' | 'server' | 'windows';

export interface BaseImagePlatform {
  os: 'windows' | 'linux' | 'unknown';
  windowsFlavor: WindowsFlavor | null;
  /** The user the image runs as when the Dockerfile sets none; null when not known. */
  defaultUser: string | null;
  /**
   * The shell RUN instructions built on the image start with: what the image's own SHELL sets (the .NET
   * Framework 4.8 SDK and ASP.NET images: PowerShell), else the platform default, cmd, for the Microsoft
   * images of the catalog. Null when not known: a Linux image (/bin/sh), or a Windows image from elsewhere,
   * whose own Dockerfile may have set any shell.
   */
  defaultShell: 'powershell' | 'cmd' | null;
  /**
   * True when `defaultUser` is the flavour's default assumed for an image outside the catalog
   * (`jenkins/agent:…-windowsservercore-ltsc2019`): its own Dockerfile may have set another USER.
   */
  defaultUserAssumed?: boolean;
}

const UNKNOWN: BaseImagePlatform = { os: 'unknown', windowsFlavor: null, defaultUser: null, defaultShell: null };

const DEFAULT_USER: Record<WindowsFlavor, string> = {
  servercore: 'ContainerAdministrator',
  server: 'ContainerAdministrator',
  windows: 'ContainerAdministrator',
  nanoserver: 'ContainerUser',
};

function windows(flavor: WindowsFlavor, defaultShell: BaseImagePlatform['defaultShell'] = null, userAssumed = false): BaseImagePlatform {
  return { os: 'windows', windowsFlavor: flavor, defaultUser: DEFAULT_USER[flavor], defaultShell, ...(userAssumed ? { defaultUserAssumed: true } : {}) };
}

/**
 * The shell a catalog image's tag sets (no tag: `latest`, as Docker pulls it): the catalog records the
 * Microsoft images that set one, so any other catalog image keeps Windows' default, cmd.
 */
function shellOf(known: Repository, reference: ImageReference): BaseImagePlatform['defaultShell'] {
  return resolveTag(known, reference.tag).entry?.shell ?? 'cmd';
}

export function classifyBaseImage(reference: ImageReference): BaseImagePlatform {
  // Catalog repositories (and retired names, through the repository that replaced them) know their flavour.
  const deprecated = deprecatedNameOf(reference);
  const known = repository(deprecated ? deprecated.replacement : fullRepository(reference))
    // Insider builds: `windows/servercore/insider`, and the older `windows/nanoserver-insider`, `windowsservercore-insider`.
    ?? repository(fullRepository(reference).replace(/\/insider$|-insider$/, ''))
    ?? repository(fullRepository(reference).replace(/^mcr\.microsoft\.com\/windowsservercore-insider$/, 'mcr.microsoft.com/windows/servercore'));
  if (known?.flavor) return windows(known.flavor as WindowsFlavor, shellOf(known, reference));
  if (known?.family === 'dotnet' && reference.tag) {
    const entry = resolveTag(known, reference.tag).entry;
    if (entry?.flavor) return windows(entry.flavor as WindowsFlavor, entry.shell ?? 'cmd');
  }
  // Multi-OS repositories (.NET, PowerShell, many vendors) name the Windows flavour in the tag,
  // e.g. `10.0-nanoserver-ltsc2025`, `4.8.1-windowsservercore-ltsc2022`.
  const tag = (reference.tag ?? '').toLowerCase();
  // The flavour's default user is then an assumption: the image's own Dockerfile may set another USER.
  const assumed = !known;
  if (/(^|[-_.])nanoserver([-_.]|$)/.test(tag)) return windows('nanoserver', null, assumed);
  if (/(^|[-_.])windowsservercore([-_.]|$)|(^|[-_.])servercore([-_.]|$)/.test(tag)) return windows('servercore', null, assumed);
  if (/(^|[-_.])(ltsc20(16|19|22|25)|1809|1903|1909|2004|20h2)([-_.]|$)/.test(tag) && tag.includes('windows')) {
    return windows('servercore', null, assumed);
  }
  if (looksLinux(reference)) return { os: 'linux', windowsFlavor: null, defaultUser: null, defaultShell: null };
  // Anything else may be either: a team's own base image can be Windows too. The model refines this
  // with what the Dockerfile itself shows (escape directive, SHELL, parent stage).
  return UNKNOWN;
}

export function isWindowsAdministrator(user: string): boolean {
  return user.toLowerCase() === 'containeradministrator';
}

/** root, UID 0 or ContainerAdministrator, with or without a group (`root:root`, `0:0`). */
export function isPrivilegedUser(user: string): boolean {
  const name = user.split(':')[0]!.trim().replace(/^"|"$/g, '').toLowerCase();
  return name === 'root' || name === '0' || isWindowsAdministrator(name);
}

/** Docker Official Images that publish no Windows variants, and distribution names in tags. */
const LINUX_ONLY_REPOSITORIES = new Set([
  'alpine', 'debian', 'ubuntu', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux', 'archlinux',
  'opensuse/leap', 'busybox', 'nginx', 'httpd', 'redis', 'postgres', 'mysql', 'mariadb', 'memcached', 'rabbitmq', 'haproxy',
  'traefik', 'caddy', 'node', 'ruby', 'php', 'perl', 'rust', 'gcc', 'erlang', 'elixir', 'haskell', 'clojure', 'swift',
  'gradle', 'maven', 'eclipse-temurin', 'amazoncorretto', 'mcr.microsoft.com/dotnet/runtime-deps', 'mcr.microsoft.com/cbl-mariner/base/core',
  'mcr.microsoft.com/azurelinux/base/core', 'gcr.io/distroless/static', 'gcr.io/distroless/base', 'cgr.dev/chainguard/static',
]);
const LINUX_TAG_WORD = /(^|[-_.])(alpine\d*(\.\d+)*|bookworm|bullseye|buster|stretch|trixie|jammy|focal|noble|bionic|slim|ubi\d*|centos\d*|debian\d*|ubuntu\d*|musl|linux)([-_.]|$)/i;

/** A base image that exists only for Linux, known by its repository or by a distribution word in its tag. */
function looksLinux(reference: ImageReference): boolean {
  const name = fullRepository(reference).replace(/^docker\.io\/(library\/)?/, '').replace(/^library\//, '');
  if (LINUX_ONLY_REPOSITORIES.has(name)) return true;
  // `golang`, `python`, `openjdk` … publish Windows tags too, but name the distribution when Linux.
  return LINUX_TAG_WORD.test(reference.tag ?? '');
}

// Which operating system a base image targets and which user it runs as by default.
// Facts: shared/docs/windows-base-images.md §1 and §4 — Server Core (and the .NET Framework and
// `windowsservercore` .NET images built on it) runs as ContainerAdministrator; Nano Server (and
// `nanoserver` .NET images) runs as ContainerUser. The full `windows/server` and `windows` images are
// Server Core supersets and also default to ContainerAdministrator.
import type { ImageReference } from './imageReference';
import { fullRepository } from './imageReference';

export type WindowsFlavor = 'servercore' | 'nanoserver' | 'server' | 'windows';

export interface BaseImagePlatform {
  os: 'windows' | 'linux' | 'unknown';
  windowsFlavor: WindowsFlavor | null;
  /** The user the image runs as when the Dockerfile sets none; null when not known. */
  defaultUser: string | null;
}

const UNKNOWN: BaseImagePlatform = { os: 'unknown', windowsFlavor: null, defaultUser: null };

const WINDOWS_REPOSITORIES: ReadonlyArray<[string, WindowsFlavor]> = [
  ['mcr.microsoft.com/windows/servercore', 'servercore'],
  ['mcr.microsoft.com/windows/nanoserver', 'nanoserver'],
  ['mcr.microsoft.com/windows/server', 'server'],
  ['mcr.microsoft.com/windows', 'windows'],
  ['microsoft/windowsservercore', 'servercore'],
  ['microsoft/nanoserver', 'nanoserver'],
  // .NET Framework images exist only on Server Core.
  ['mcr.microsoft.com/dotnet/framework/runtime', 'servercore'],
  ['mcr.microsoft.com/dotnet/framework/sdk', 'servercore'],
  ['mcr.microsoft.com/dotnet/framework/aspnet', 'servercore'],
  ['mcr.microsoft.com/dotnet/framework/wcf', 'servercore'],
  ['mcr.microsoft.com/dotnet/framework/samples', 'servercore'],
  ['microsoft/dotnet-framework', 'servercore'],
  ['microsoft/aspnet', 'servercore'],
  ['microsoft/wcf', 'servercore'],
];

const DEFAULT_USER: Record<WindowsFlavor, string> = {
  servercore: 'ContainerAdministrator',
  server: 'ContainerAdministrator',
  windows: 'ContainerAdministrator',
  nanoserver: 'ContainerUser',
};

function windows(flavor: WindowsFlavor): BaseImagePlatform {
  return { os: 'windows', windowsFlavor: flavor, defaultUser: DEFAULT_USER[flavor] };
}

export function classifyBaseImage(reference: ImageReference): BaseImagePlatform {
  const repository = fullRepository(reference);
  for (const [known, flavor] of WINDOWS_REPOSITORIES) {
    if (repository === known || repository.startsWith(`${known}/insider`)) return windows(flavor);
  }
  // Multi-OS repositories (.NET, PowerShell, many vendors) name the Windows flavour in the tag,
  // e.g. `10.0-nanoserver-ltsc2025`, `4.8.1-windowsservercore-ltsc2022`.
  const tag = (reference.tag ?? '').toLowerCase();
  if (/(^|[-_.])nanoserver([-_.]|$)/.test(tag)) return windows('nanoserver');
  if (/(^|[-_.])windowsservercore([-_.]|$)|(^|[-_.])servercore([-_.]|$)/.test(tag)) return windows('servercore');
  if (/(^|[-_.])(ltsc20(16|19|22|25)|1809|1903|1909|2004|20h2)([-_.]|$)/.test(tag) && tag.includes('windows')) {
    return windows('servercore');
  }
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

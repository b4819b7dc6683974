// Choosing the Windows entry of an image index (docs §4, after containerd/platforms). Windows
// containers only run on a compatible host build, so the hover shows which entry a given host would
// pull. Editors often run on Linux/macOS, so when no host build is configured, or nothing matches,
// every entry is reported and none chosen — the hover must never fail over a platform mismatch.

import { Descriptor } from '../signatures/types';

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

export interface IndexEntry extends Descriptor {
  platform?: Platform;
}

export interface PlatformTarget {
  /** `windows` by default. */
  os?: string;
  /** `amd64` by default. */
  architecture?: string;
  /** Host version: `10.0.26100`, `10.0.26100.1234` or just the build `26100`. */
  osVersion?: string;
}

export interface PlatformChoice {
  /** The chosen entry, when the target matched one. */
  chosen?: IndexEntry;
  /** Every runnable entry (attestations skipped), for the hover's table. */
  entries: IndexEntry[];
  reason: string;
}

/** Windows LTSC builds that bound compatibility (17763 = 2019, 20348 = 2022, 26100 = 2025). */
const LTSC_BUILDS = [17763, 20348, 26100];
const LTSC_2022 = 20348;

export const WINDOWS_BUILD_NAMES: Record<number, string> = {
  14393: 'Windows Server 2016',
  17763: 'Windows Server 2019 (LTSC)',
  20348: 'Windows Server 2022 (LTSC)',
  22621: 'Windows 11 22H2',
  25398: 'Windows Server 23H2',
  26100: 'Windows Server 2025 (LTSC)',
};

export function normalizeArchitecture(architecture: string, variant = ''): { architecture: string; variant: string } {
  const arch = architecture.toLowerCase();
  const v = variant.toLowerCase();
  if (arch === 'x86_64' || arch === 'x86-64' || arch === 'amd64') return { architecture: 'amd64', variant: v === 'v1' ? '' : v };
  if (arch === 'aarch64' || arch === 'arm64') {
    if (v === '8' || v === 'v8' || v === 'v8.0') return { architecture: 'arm64', variant: '' };
    if (v === '9' || v === '9.0' || v === 'v9.0') return { architecture: 'arm64', variant: 'v9' };
    return { architecture: 'arm64', variant: v };
  }
  if (arch === 'i386') return { architecture: '386', variant: '' };
  if (arch === 'armhf') return { architecture: 'arm', variant: 'v7' };
  if (arch === 'armel') return { architecture: 'arm', variant: 'v6' };
  if (arch === 'arm' && (v === '' || v === '7')) return { architecture: 'arm', variant: 'v7' };
  return { architecture: arch, variant: v };
}

function parseVersion(text: string | undefined): number[] | undefined {
  if (!text) return undefined;
  const parts = text.split('.').map((part) => Number(part));
  if (parts.some((part) => !Number.isInteger(part) || part < 0)) return undefined;
  if (parts.length === 1) return [10, 0, parts[0]!];
  return parts.length >= 3 ? parts : undefined;
}

/** containerd's rule: same major.minor; below 20348 the exact build; from 20348 a window of builds. */
export function windowsCompatible(hostVersion: string, containerVersion: string | undefined): boolean {
  const host = parseVersion(hostVersion);
  const ctr = parseVersion(containerVersion);
  if (!host || !ctr) return false;
  if (host[0] !== ctr[0] || host[1] !== ctr[1]) return false;
  const hostBuild = host[2]!;
  const ctrBuild = ctr[2]!;
  if (hostBuild < LTSC_2022) return hostBuild === ctrBuild;
  const lower = Math.max(LTSC_2022, ...LTSC_BUILDS.filter((build) => build < hostBuild));
  return lower <= ctrBuild && ctrBuild <= hostBuild;
}

/** Numeric, component-wise comparison (containerd compares strings, which misorders 9 vs 10). */
function compareVersions(a: string | undefined, b: string | undefined): number {
  const x = parseVersion(a) ?? [];
  const y = parseVersion(b) ?? [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function isAttestation(entry: IndexEntry): boolean {
  return entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
    || (entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown');
}

export function choosePlatform(manifests: IndexEntry[], target: PlatformTarget): PlatformChoice {
  const entries = manifests.filter((entry) => !isAttestation(entry));
  const os = (target.os ?? 'windows').toLowerCase();
  const wanted = normalizeArchitecture(target.architecture ?? 'amd64');
  const candidates = entries.filter((entry) => {
    if (!entry.platform || entry.platform.os.toLowerCase() !== os) return false;
    const arch = normalizeArchitecture(entry.platform.architecture, entry.platform.variant);
    return arch.architecture === wanted.architecture && (wanted.variant === '' || arch.variant === wanted.variant);
  });
  if (os === 'windows' && !target.osVersion) {
    return { entries, reason: 'no Windows host build configured; listing every entry' };
  }
  const matches = os === 'windows'
    ? candidates.filter((entry) => windowsCompatible(target.osVersion!, entry.platform?.['os.version']))
    : candidates;
  if (matches.length === 0) {
    return { entries, reason: `no ${os}/${wanted.architecture} entry${target.osVersion ? ` compatible with host ${target.osVersion}` : ''}; listing every entry` };
  }
  const chosen = [...matches].sort((a, b) => compareVersions(b.platform?.['os.version'], a.platform?.['os.version']))[0]!;
  return { chosen, entries, reason: `${os}/${wanted.architecture}${chosen.platform?.['os.version'] ? ` ${chosen.platform['os.version']}` : ''} matches the target` };
}

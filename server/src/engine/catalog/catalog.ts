// Query layer over the Windows base-image catalog (windows-images.json, validated against
// catalog.schema.json in tests). Every answer is computed from the data and the date passed in, so a
// tag moves from mainstream to extended support to end of life without a code change.
import data from './windows-images.json';
import type { ImageReference } from '../dockerfile/imageReference';
import { fullRepository } from '../dockerfile/imageReference';

export interface Source { title: string; url: string }
export interface WindowsRelease {
  key: string;
  name: string;
  build: number;
  channel: 'LTSC' | 'SAC';
  mainstreamEnd?: string;
  extendedEnd?: string;
  endOfLife?: string;
  sameAs?: string;
  note?: string;
  sources: string[];
}
export interface Product { key: string; name: string; supportEnd?: string; note?: string; sources: string[] }
export interface TagEntry {
  tag: string;
  os?: string;
  osList?: string[];
  windows?: false;
  flavor?: string;
  product?: string;
  removedOn?: string;
  /** The shell the image's own Dockerfile sets (SHELL), inherited by RUN instructions built on it. */
  shell?: 'powershell' | 'cmd';
  sources: string[];
}
export interface RemovedPattern { pattern: string; removedOn: string; why: string; sources: string[] }
export interface Signing { format: string; since: string; identity: string; root: string; sources: string[] }
export interface Repository {
  name: string;
  family: 'windows-os' | 'dotnet-framework' | 'dotnet' | 'windows-app';
  description: string;
  flavor?: string;
  defaultUser?: string;
  signing: Signing | null;
  noLatest?: boolean;
  multiPlatform?: boolean;
  entrypoint?: string;
  successor?: string;
  tags: TagEntry[];
  removedPatterns?: RemovedPattern[];
  sources: string[];
}
export interface DeprecatedName { name: string; replacement: string; tagRewrite?: 'dotnet-framework' | 'dotnet-core'; sources: string[] }
export interface NonexistentTag { repository: string; tag: string; suggest: string; why: string; sources: string[] }

interface CatalogData {
  reviewed: string;
  sources: Record<string, Source>;
  windowsReleases: Record<string, Omit<WindowsRelease, 'key'>>;
  products: Record<string, Omit<Product, 'key'>>;
  repositories: Repository[];
  deprecatedNames: DeprecatedName[];
  nonexistentTags: NonexistentTag[];
}

const catalog = data as unknown as CatalogData;

export const CATALOG_REVIEWED = catalog.reviewed;
export const REPOSITORIES: readonly Repository[] = catalog.repositories;
export const DEPRECATED_NAMES: readonly DeprecatedName[] = catalog.deprecatedNames;
export const NONEXISTENT_TAGS: readonly NonexistentTag[] = catalog.nonexistentTags;
export const RELEASES: ReadonlyMap<string, WindowsRelease> = new Map(
  Object.entries(catalog.windowsReleases).map(([key, release]) => [key, { key, ...release }]),
);
export const PRODUCTS: ReadonlyMap<string, Product> = new Map(Object.entries(catalog.products).map(([key, p]) => [key, { key, ...p }]));
const REPOSITORY_BY_NAME = new Map(REPOSITORIES.map((repository) => [repository.name, repository]));

export function source(id: string): Source | undefined {
  return catalog.sources[id];
}

export function repository(name: string): Repository | undefined {
  return REPOSITORY_BY_NAME.get(name.toLowerCase());
}

/** Calendar date (UTC) as `YYYY-MM-DD`, the form the catalog's dates are written in. */
export function isoDate(now: Date): string {
  // Every lifecycle question of a lint asks with the same date: format it once.
  const time = now.getTime();
  if (time !== lastIso.time) lastIso = { time, iso: now.toISOString().slice(0, 10) };
  return lastIso.iso;
}
let lastIso = { time: NaN, iso: '' };

export type Phase = 'mainstream' | 'extended' | 'end-of-life';

export interface Lifecycle {
  phase: Phase;
  /** The date the current phase ends (exclusive: the first day of the next phase), if known. */
  phaseEnds?: string;
  /** Days until the end of support altogether, negative once past. */
  daysToEnd?: number;
  endOfSupport?: string;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function releaseLifecycle(release: WindowsRelease, now: Date): Lifecycle {
  const today = isoDate(now);
  if (release.endOfLife) {
    return { phase: today < release.endOfLife ? 'mainstream' : 'end-of-life', phaseEnds: release.endOfLife, endOfSupport: release.endOfLife, daysToEnd: daysBetween(today, release.endOfLife) };
  }
  const end = release.extendedEnd!;
  const daysToEnd = daysBetween(today, end);
  if (today < release.mainstreamEnd!) return { phase: 'mainstream', phaseEnds: release.mainstreamEnd, endOfSupport: end, daysToEnd };
  if (today < end) return { phase: 'extended', phaseEnds: end, endOfSupport: end, daysToEnd };
  return { phase: 'end-of-life', endOfSupport: end, daysToEnd };
}

export function productSupported(product: Product, now: Date): boolean {
  return !product.supportEnd || isoDate(now) < product.supportEnd;
}

/** The LTSC release to recommend today: the newest one in mainstream support (else the newest supported). */
export function recommendedLtsc(now: Date): WindowsRelease {
  const today = isoDate(now);
  let recommended = recommendedByDate.get(today);
  if (!recommended) {
    recommended = computeRecommendedLtsc(now);
    if (recommendedByDate.size > 64) recommendedByDate.clear();
    recommendedByDate.set(today, recommended);
  }
  return recommended;
}
const recommendedByDate = new Map<string, WindowsRelease>();

function computeRecommendedLtsc(now: Date): WindowsRelease {
  const ltsc = [...RELEASES.values()].filter((r) => r.channel === 'LTSC' && !r.sameAs).sort((a, b) => b.build - a.build);
  return ltsc.find((r) => releaseLifecycle(r, now).phase === 'mainstream')
    ?? ltsc.find((r) => releaseLifecycle(r, now).phase !== 'end-of-life')
    ?? ltsc[0]!;
}

export function releasesForBuild(build: number): WindowsRelease[] {
  return [...RELEASES.values()].filter((r) => r.build === build);
}

export interface TagResolution {
  repository: Repository;
  /** The tag as written (`latest` when none was written). */
  written: string;
  /** The catalog entry the tag is (or is a variant of); null when the catalog does not know it. */
  entry: TagEntry | null;
  /** How the written tag relates to the entry: a KB/build/dated/patch variant, or the entry itself. */
  variant: string | null;
  /** Set when the tag matches a pattern of images that are no longer published. */
  removedPattern: RemovedPattern | null;
  /** Windows release the image is built on, when one. */
  release: WindowsRelease | null;
  /** True when `entry` was inferred from the tag's spelling (`<version>-<flavor>-<release>`), not listed in the catalog. */
  inferred: boolean;
}

function releaseKeyForBuild(repo: Repository, build: number): string | null {
  const candidates = releasesForBuild(build).map((r) => r.key);
  return candidates.find((key) => repo.tags.some((t) => t.tag === key)) ?? candidates[0] ?? null;
}

/** Resolve a tag of a catalog repository, understanding KB, full-build, dated and patch-version variants. */
export function resolveTag(repo: Repository, tag: string | null): TagResolution {
  const written = tag ?? 'latest';
  const base: TagResolution = { repository: repo, written, entry: null, variant: null, removedPattern: null, release: null, inferred: false };
  const exact = repo.tags.find((t) => t.tag === written);
  let entry: TagEntry | null = exact ?? null;
  let variant: string | null = null;
  if (!entry) {
    let canonical: string | null = null;
    if (repo.family === 'windows-os') {
      // `1809-KB4493509`, and with the architecture after it as Docker Hub listed them: `1909-KB5003169-amd64`.
      const kb = /^(.+?)-(KB\d+)(?:-(?:amd64|arm64))?$/i.exec(written);
      // `10.0.17763.1158`, also with the architecture after it: `10.0.17134.1304-amd64`.
      const build = /^10\.0\.(\d+)\.\d+(?:-(?:amd64|arm64))?$/i.exec(written);
      if (kb) {
        canonical = kb[1]!;
        variant = `${kb[2]} update of ${kb[1]}`;
      } else if (build) {
        canonical = releaseKeyForBuild(repo, Number(build[1]));
        variant = `build ${written}`;
      }
    } else if (repo.family === 'dotnet') {
      const patch = /^(\d+\.\d+)\.\d+(?:-[A-Za-z0-9.]+?)?(-(?:nanoserver|windowsservercore)-.+)?$/.exec(written);
      if (patch) {
        canonical = `${patch[1]}${patch[2] ?? ''}`;
        variant = `patch version of ${canonical}`;
      }
    } else if (repo.family === 'dotnet-framework') {
      const dated = /^([\d.]+)-(\d{8})-(windowsservercore-.+)$/.exec(written);
      if (dated) {
        canonical = `${dated[1]}-${dated[3]}`;
        variant = `dated tag (${dated[2]}) of ${canonical}`;
      }
    }
    if (canonical) entry = repo.tags.find((t) => t.tag === canonical) ?? null;
    if (!entry) variant = null;
  }
  const removedPattern = entry ? null : repo.removedPatterns?.find((p) => new RegExp(p.pattern).test(written)) ?? null;
  // Tags the catalog does not list one by one: `<version>-<flavor>-<release>` on every family (the SAC
  // releases 1709…20H2 included), and the bare versions of .NET (`6.0`, `3.1.5`).
  const inferred = !entry ? synthesizedEntry(repo, written) : null;
  if (inferred) entry = inferred;
  const releaseKey = entry?.os ?? (removedPattern ? new RegExp(removedPattern.pattern).exec(written)?.groups?.os : undefined);
  return { ...base, entry, variant, removedPattern, release: releaseKey ? RELEASES.get(releaseKey) ?? null : null, inferred: inferred !== null };
}

/** Windows release keys by their lower-case spelling in tags (`20h2` → `20H2`). */
const RELEASE_KEYS = new Map([...RELEASES.keys()].map((key) => [key.toLowerCase(), key]));
const WINDOWS_SUFFIX = /^(?:(?<version>.*?)-)??(?:\d{8}-)?(?<flavor>windowsservercore|nanoserver)-(?<os>[A-Za-z0-9]+?)(?:-(?:amd64|arm64))?$/i;
const DOTNET_VERSION = /^(?<minor>\d+\.\d+)(?:\.\d+)?(?<rest>-.*)?$/;

function productFor(repo: Repository, version: string | undefined): string | undefined {
  if (!version) return undefined;
  if (repo.family === 'dotnet') {
    const minor = /^(\d+\.\d+)/.exec(version)?.[1];
    return minor && PRODUCTS.has(`dotnet-${minor}`) ? `dotnet-${minor}` : undefined;
  }
  if (repo.family === 'dotnet-framework') return PRODUCTS.has(`netfx-${version}`) ? `netfx-${version}` : undefined;
  return undefined;
}

/**
 * An entry for a tag the catalog does not list: the Windows release and flavour named in its suffix
 * (`4.7.2-windowsservercore-1803`, `3.1-nanoserver-1909`, `windowsservercore-ltsc2019`), or for .NET a
 * version alone (`6.0`, `2.1.5`: multi-platform tags with no Windows entry). Null when neither applies.
 */
function synthesizedEntry(repo: Repository, written: string): TagEntry | null {
  if (repo.family === 'windows-os') {
    const arch = /^(.+)-(?:amd64|arm64)$/i.exec(written);
    const key = arch ? RELEASE_KEYS.get(arch[1]!.toLowerCase()) : undefined;
    return key ? { tag: written, os: key, sources: repo.sources } : null;
  }
  const suffix = WINDOWS_SUFFIX.exec(written);
  const os = suffix ? RELEASE_KEYS.get(suffix.groups!.os!.toLowerCase()) : undefined;
  if (suffix && os) {
    const flavor = suffix.groups!.flavor!.toLowerCase() === 'nanoserver' ? 'nanoserver' : 'servercore';
    const product = productFor(repo, suffix.groups!.version?.replace(/-(?:sdk|runtime|aspnetcore-runtime|runtime-deps)$/, ''));
    return { tag: written, os, flavor, ...(product ? { product } : {}), sources: repo.sources };
  }
  if (repo.family === 'dotnet') {
    const version = DOTNET_VERSION.exec(written);
    const product = productFor(repo, version?.groups?.minor);
    if (!version || !product) return null;
    // A bare version is a multi-platform tag without Windows entries [D2]; other suffixes name a Linux distribution.
    return { tag: written, product, ...(version.groups!.rest ? {} : { windows: false as const }), sources: repo.sources };
  }
  return null;
}

/**
 * The Windows release an image tag names, for images outside the catalog (a vendor's
 * `…-nanoserver-sac2016`, `…-windowsservercore-1803`, `…-windowsservercore-10.0.14393.1066`). The
 * release must follow a Windows word, so a version number such as `2004` alone is never taken for one.
 */
export function windowsReleaseInTag(tag: string | null): WindowsRelease | null {
  if (!tag) return null;
  const named = /(?:^|[-_.])(windowsservercore|servercore|nanoserver|windows)[-_.]?(ltsc20\d\d|sac2016|1709|1803|1809|1903|1909|2004|20h2)(?=$|[-_.])/i.exec(tag);
  if (named) return RELEASES.get(RELEASE_KEYS.get(named[2]!.toLowerCase())!) ?? null;
  const build = /(?:^|[-_.])(windowsservercore|servercore|nanoserver|windows)[-_.]?10\.0\.(\d{5})(?:\.\d+)?(?=$|[-_.])/i.exec(tag);
  if (!build) return null;
  const releases = releasesForBuild(Number(build[2])).filter((r) => !r.sameAs);
  // Before Windows Server 2022 Nano Server was semi-annual only: 14393 Nano Server is sac2016.
  const nano = build[1]!.toLowerCase() === 'nanoserver';
  return releases.find((r) => (nano ? r.channel === 'SAC' : r.channel === 'LTSC')) ?? releases[0] ?? null;
}

export type TagStatusKind = 'current' | 'extended' | 'ending-soon' | 'end-of-life' | 'removed' | 'no-windows' | 'unknown';

export interface TagStatus {
  kind: TagStatusKind;
  /** One sentence for messages and hovers. */
  summary: string;
  /** Catalog source ids behind the verdict. */
  sources: string[];
}

/** Days of remaining extended support below which a tag counts as ending soon. */
export const ENDING_SOON_DAYS = 90;

export function tagStatus(resolution: TagResolution, now: Date): TagStatus {
  const { entry, release, removedPattern } = resolution;
  const releases = release ? [release] : (entry?.osList ?? []).map((key) => RELEASES.get(key)).filter((r): r is WindowsRelease => !!r);
  // A multi-platform tag resolves to an image by the host's Windows version: say which ones it may be.
  const hostResolved = !!entry && !entry.os && entry.windows !== false && resolution.repository.family === 'dotnet-framework';
  const multi = hostResolved
    ? `a multi-platform tag: the image depends on the host's Windows version (${releases.length ? releases.map((r) => r.key).join(', ') : 'the releases it was published for'}); `
    : '';
  // The Windows release first: an end-of-life OS outweighs whatever else the tag says.
  const lifecycles = releases.map((r) => ({ r, l: releaseLifecycle(r, now) }));
  if (lifecycles.length > 0 && lifecycles.every(({ l }) => l.phase === 'end-of-life')) {
    const { r, l } = lifecycles[0]!;
    return { kind: 'end-of-life', summary: `${multi}${r.name} reached end of support on ${l.endOfSupport}`, sources: [...(entry?.sources ?? removedPattern?.sources ?? []), ...r.sources] };
  }
  const product = entry?.product ? PRODUCTS.get(entry.product) : undefined;
  if (product && !productSupported(product, now)) {
    return { kind: 'end-of-life', summary: `${multi}${product.name} reached end of support on ${product.supportEnd}`, sources: product.sources };
  }
  if (removedPattern) {
    return { kind: 'removed', summary: `${multi}no longer published since ${removedPattern.removedOn}: ${removedPattern.why}`, sources: removedPattern.sources };
  }
  if (!entry) return { kind: 'unknown', summary: `not in the catalog (reviewed ${CATALOG_REVIEWED})`, sources: [] };
  if (entry.windows === false) {
    return { kind: 'no-windows', summary: 'a multi-platform tag with no Windows entries (Windows tags name their OS, e.g. `-nanoserver-ltsc2025`)', sources: entry.sources };
  }
  if (entry.removedOn) return { kind: 'removed', summary: `${multi}removed from publishing on ${entry.removedOn}; it gets no updates`, sources: entry.sources };
  if (releases.length === 0) return { kind: 'current', summary: 'supported', sources: entry.sources };
  // A multi-arch tag is as supported as its best entry (the newest phase, then the latest end)...
  const order: Record<Phase, number> = { mainstream: 0, extended: 1, 'end-of-life': 2 };
  lifecycles.sort((a, b) => order[a.l.phase] - order[b.l.phase] || (b.l.endOfSupport ?? '').localeCompare(a.l.endOfSupport ?? ''));
  const { r, l } = lifecycles[0]!;
  // ...but hosts of an older release pull that release's image: say when it ends first (`4.8` on a
  // Windows Server 2016 host is the ltsc2016 image, whose support ends years before 2019's).
  const earliest = lifecycles.reduce((worst, candidate) => ((candidate.l.endOfSupport ?? '') < (worst.l.endOfSupport ?? '') ? candidate : worst), lifecycles[0]!);
  const olderHosts = earliest.r !== r && earliest.l.endOfSupport && earliest.l.endOfSupport !== l.endOfSupport
    ? earliest.l.phase === 'end-of-life'
      ? ` (${earliest.r.key} on ${earliest.r.name} hosts: out of support since ${earliest.l.endOfSupport})`
      : ` (${earliest.r.key} on ${earliest.r.name} hosts: until ${earliest.l.endOfSupport}${(earliest.l.daysToEnd ?? Infinity) <= ENDING_SOON_DAYS ? ` — ${earliest.l.daysToEnd} days left` : ''})`
    : '';
  const sources = [...entry.sources, ...r.sources];
  switch (l.phase) {
    case 'mainstream':
      return { kind: 'current', summary: `${multi}${r.name} is in mainstream support until ${l.phaseEnds}${olderHosts}`, sources };
    case 'extended':
      return {
        kind: (l.daysToEnd ?? Infinity) <= ENDING_SOON_DAYS ? 'ending-soon' : 'extended',
        summary: `${multi}${r.name} is in extended support (security fixes only) until ${l.endOfSupport}${(l.daysToEnd ?? Infinity) <= ENDING_SOON_DAYS ? ` — ${l.daysToEnd} days left` : ''}${olderHosts}`,
        sources,
      };
    case 'end-of-life':
      return { kind: 'end-of-life', summary: `${multi}${r.name} reached end of support on ${l.endOfSupport}`, sources };
  }
}

/** The catalog repository for a reference, if it names one (registry included, lower-cased). */
export function repositoryOf(reference: ImageReference): Repository | undefined {
  return repository(fullRepository(reference));
}

export function deprecatedNameOf(reference: ImageReference): DeprecatedName | undefined {
  const name = fullRepository(reference);
  const dockerHub = name.startsWith('docker.io/') ? name.slice('docker.io/'.length) : name;
  return DEPRECATED_NAMES.find((d) => d.name === dockerHub || d.name === name);
}

export function nonexistentTagOf(reference: ImageReference): NonexistentTag | undefined {
  const name = fullRepository(reference);
  const dockerHub = name.startsWith('docker.io/') ? name.slice('docker.io/'.length) : name;
  return NONEXISTENT_TAGS.find((n) => (n.repository === name || n.repository === dockerHub) && n.tag === reference.tag);
}

/**
 * A supported tag of `repo` on `targetOs` that keeps what the current tag chose (product line and
 * flavour), falling back to the newest supported product. Null when the repository has none.
 */
export function suggestTag(repo: Repository, current: TagEntry | null, targetOs: string, now: Date): string | null {
  // The answer depends on the current tag's flavour and product line only: memoised per repository and date.
  let answers = suggestedTags.get(repo);
  if (!answers) {
    answers = new Map();
    suggestedTags.set(repo, answers);
  }
  const key = `${current?.flavor ?? ''}\u0000${current?.product ?? ''}\u0000${targetOs}\u0000${isoDate(now)}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = computeSuggestedTag(repo, current, targetOs, now);
    if (answers.size > 256) answers.clear();
    answers.set(key, answer);
  }
  return answer;
}
const suggestedTags = new WeakMap<Repository, Map<string, string | null>>();
const NUMERIC = new Intl.Collator(undefined, { numeric: true });

function computeSuggestedTag(repo: Repository, current: TagEntry | null, targetOs: string, now: Date): string | null {
  const usable = repo.tags.filter((t) => t.os === targetOs && !t.removedOn && t.windows !== false
    && (!t.product || productSupported(PRODUCTS.get(t.product)!, now)));
  if (usable.length === 0) return null;
  const sameFlavor = (t: TagEntry) => !current?.flavor || t.flavor === current.flavor;
  const sameProduct = (t: TagEntry) => !!current?.product && t.product === current.product;
  const byNewestProduct = (a: TagEntry, b: TagEntry) => NUMERIC.compare(b.product ?? '', a.product ?? '');
  const pick = usable.find((t) => sameProduct(t) && sameFlavor(t)) ?? [...usable].sort(byNewestProduct).find(sameFlavor) ?? [...usable].sort(byNewestProduct)[0]!;
  return pick.tag;
}

/** Repository (possibly a successor) and tag to move to for a target OS. */
export function suggestReference(repo: Repository, current: TagEntry | null, targetOs: string, now: Date): string | null {
  const tag = suggestTag(repo, current, targetOs, now);
  if (tag) return `${repo.name}:${tag}`;
  const successor = repo.successor ? repository(repo.successor) : undefined;
  const successorTag = successor ? suggestTag(successor, null, targetOs, now) : null;
  return successor && successorTag ? `${successor.name}:${successorTag}` : null;
}

/** Tags to offer in completion: supported ones only, the recommended LTSC first. */
export function completableTags(repo: Repository, now: Date): Array<{ tag: TagEntry; status: TagStatus; recommended: boolean }> {
  const recommended = recommendedLtsc(now).key;
  return repo.tags
    .map((tag) => ({ tag, status: tagStatus(resolveTag(repo, tag.tag), now), recommended: tag.os === recommended }))
    .filter(({ status }) => status.kind === 'current' || status.kind === 'extended' || status.kind === 'ending-soon')
    .sort((a, b) => Number(b.recommended) - Number(a.recommended) || b.tag.tag.localeCompare(a.tag.tag, undefined, { numeric: true }));
}

/**
 * Where a retired name's image lives now: the MCR repository and the same tag in that repository's
 * spelling (`microsoft/dotnet-framework:4.8-runtime-windowsservercore-ltsc2019` →
 * `dotnet/framework/runtime:4.8-windowsservercore-ltsc2019`). `tag` is null when the old tags have no
 * counterpart to rename to (`microsoft/dotnet` held .NET Core 1.x–2.x, whose tags the new repositories
 * never published); `judgeTag` is the tag to judge the old image by even then (`2.2-sdk-nanoserver-1809`
 * is .NET Core 2.2 on 1809, so `2.2-nanoserver-1809`).
 */
export function rewriteDeprecated(deprecated: DeprecatedName, tag: string | null): { repositoryName: string; tag: string | null; judgeTag: string | null } {
  if (deprecated.tagRewrite === 'dotnet-framework' && tag) {
    const match = /^(.*?)-(runtime|sdk)(-.*)?$/.exec(tag);
    if (match) {
      const rewritten = `${match[1]}${match[3] ?? ''}`;
      return { repositoryName: `mcr.microsoft.com/dotnet/framework/${match[2]}`, tag: rewritten, judgeTag: rewritten };
    }
  } else if (deprecated.tagRewrite === 'dotnet-core') {
    const match = tag ? /-(sdk|aspnetcore-runtime|runtime-deps|runtime)(?=-|$)/.exec(tag) : null;
    const kind = match?.[1] === 'aspnetcore-runtime' ? 'aspnet' : match?.[1] ?? 'runtime';
    const judgeTag = tag && match ? tag.slice(0, match.index) + tag.slice(match.index + match[0].length) : tag;
    return { repositoryName: `mcr.microsoft.com/dotnet/${kind}`, tag: null, judgeTag };
  }
  return { repositoryName: deprecated.replacement, tag, judgeTag: tag };
}

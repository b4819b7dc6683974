// Hover on a FROM image: what the image is, its Windows build and lifecycle, default user, host
// compatibility and signing facts, from the catalog. Returns Markdown; knows nothing of LSP.
import { parseImageReference } from '../imageReference';
import { replacementFor } from '../rules/deprecatedImageName';
import {
  CATALOG_REVIEWED, PRODUCTS, RELEASES, recommendedLtsc, releaseLifecycle, repository as catalogRepository, resolveTag, source, tagStatus,
  type Repository, type TagResolution, type WindowsRelease,
} from '../../catalog/catalog';
import { nameAndTag, stageImageFacts } from '../../catalog/stageImage';
import type { DockerfileModel, Stage } from '../model';
import { hostProblem } from '../rules/windowsVersionMismatch';
import type { EngineSettings } from '../../settings';
import { inlineCode as code } from '../../excerpt';
import { comparePositions } from '../../text';
import { isWindowsAdministrator } from '../platform';
import type { Position } from '../../types';
import type { Hover } from '../../kinds/documentKind';

export type { Hover } from '../../kinds/documentKind';

/** The stage whose FROM image argument contains `position`. */
export function stageAt(model: DockerfileModel, position: Position): Stage | undefined {
  return model.stages.find((stage) => {
    const range = stage.from.getImageRange();
    return range && comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
  });
}

/**
 * The hover: the image and one line per fact — lifecycle, the user it runs as, host, recommended LTSC,
 * pinning, signing — each said once; sources as one line of short links. The why behind each fact is on
 * the rule pages. `signatureStatus` is the caller's one-line state of the registry check (the language
 * server's lookups); without it the signing line states only what Microsoft publishes.
 */
export function imageHover(model: DockerfileModel, position: Position, settings: EngineSettings, now: Date, signatureStatus?: string): Hover | null {
  const stage = stageAt(model, position);
  const range = stage?.from.getImageRange();
  if (!stage || !range) return null;
  if (stage.parentStage) {
    return { range, markdown: `**Stage ${code(stage.parentStage.name ?? '')}** (line ${stage.parentStage.from.getRange().start.line + 1}): this stage continues from it and inherits its files, user (${code(stage.effectiveUser.user ?? 'image default')}) and platform.` };
  }
  if (stage.isScratch) return { range, markdown: '**scratch**: an empty image with no files and no user; nothing is pulled.' };
  const image = stage.baseImage;
  const reference = image?.reference;
  if (!image || !reference) {
    return { range, markdown: `**${code(image?.written ?? '')}** uses build arguments without defaults, so the image is only known at build time (\`--build-arg\`).` };
  }
  const facts = stageImageFacts(stage)!;
  const title = nameAndTag(reference) + (reference.digest ? `@${reference.digest}` : '');
  const viaArgs = image.usesVariables ? ` (from ${code(image.written)} with ARG defaults)` : '';
  const rows: Row[] = [];
  const cited = new Set<string>();
  let heading: string;

  // A retired name is described by the image it moved to (same content under the MCR name).
  const moved = facts.deprecated ? replacementFor(facts.deprecated, reference.tag, { now }) : null;
  const movedReference = moved ? parseImageReference(moved.reference) : null;
  const movedRepository = movedReference ? catalogRepository(`${movedReference.registry}/${movedReference.repository}`) : undefined;
  let catalogImage: { repository: Repository; resolution: TagResolution } | null = null;
  if (facts.repository && facts.resolution) {
    heading = `**${code(title)}**${viaArgs} — ${shortDescription(facts.repository.description)}`;
    catalogImage = { repository: facts.repository, resolution: facts.resolution };
  } else if (moved?.tagKept && movedRepository && movedReference) {
    heading = `**${code(title)}**${viaArgs} — ${shortDescription(movedRepository.description)}`;
    catalogImage = { repository: movedRepository, resolution: resolveTag(movedRepository, movedReference.tag) };
  } else {
    heading = `**${code(title)}**${viaArgs}`;
    const registry = reference.registry ?? 'docker.io';
    const repositoryPath = reference.registry ? reference.repository : reference.repository.includes('/') ? reference.repository : `library/${reference.repository}`;
    rows.push(['Registry', `${code(registry)}, repository ${code(repositoryPath)}${reference.tag ? '' : ' (no tag: the registry serves `latest`)'}`]);
    rows.push(['Platform', stage.platform.os === 'windows' ? `Windows${stage.platform.windowsFlavor ? ` (${stage.platform.windowsFlavor})` : ''}` : stage.platform.os === 'linux' ? 'Linux' : 'not determined from the name (not a catalog image)']);
  }
  if (facts.nonexistent) {
    rows.push(['Does not exist', `${facts.nonexistent.why} Use \`${facts.nonexistent.suggest}\`.`]);
    facts.nonexistent.sources.forEach((s) => cited.add(s));
  }
  if (facts.deprecated) {
    rows.push(['Retired name', `moved to \`${moved?.reference ?? facts.deprecated.replacement}\``]);
    facts.deprecated.sources.forEach((s) => cited.add(s));
  }
  if (catalogImage) describeCatalogImage(catalogImage.repository, catalogImage.resolution, settings, now, rows, cited);
  rows.push(['Runs as', runsAs(stage, catalogImage?.repository, catalogImage?.resolution)]);
  if (catalogImage) describeHostAndSuccessor(catalogImage.resolution, settings, now, rows);
  rows.push(['Pinned', reference.digest ? `by digest ${code(reference.digest.slice(0, 19))}…` : 'by tag only (no digest)']);
  const signing = catalogImage?.repository.signing;
  if (signing) {
    signing.sources.forEach((s) => cited.add(s));
    const format = signing.format === 'notation' ? 'Notary Project (Notation)' : 'cosign';
    rows.push(['Signing', `${format} signatures published since ${signing.since}${signatureStatus ? ` · ${signatureStatus}` : ''}`]);
  } else if (catalogImage) {
    rows.push(['Signing', `Microsoft publishes no signatures for this repository${signatureStatus ? ` · ${signatureStatus}` : ''}`]);
  } else if (signatureStatus) {
    rows.push(['Signing', signatureStatus]);
  }

  const lines = [heading, '', ...rows.map(([label, value]) => `- **${label}** ${value}`)];
  // The first few sources, in the order the facts cite them; every source is on the rule pages.
  const links = [...cited].map((id) => source(id)).filter((s): s is NonNullable<typeof s> => !!s).slice(0, MAX_LINKS).map((s) => `[${shortTitle(s.title)}](${s.url})`);
  const reviewed = catalogImage ? `catalog reviewed ${CATALOG_REVIEWED}` : '';
  if (links.length > 0 || reviewed) lines.push('', [links.join(' · '), reviewed && `_${reviewed}_`].filter(Boolean).join(' — '));
  return { range, markdown: lines.join('\n') };
}

type Row = [label: string, value: string];

const MAX_LINKS = 4;

/** A repository's description up to its first clause: `Windows Server Core: the full …` → `Windows Server Core`. */
function shortDescription(description: string): string {
  return description.split(/: | \u2014 /)[0]!;
}

/** A source title cut to its first clause, for the one-line list of links. */
function shortTitle(title: string): string {
  const cut = title.split(/ \(|: | \u2014 /)[0]!;
  return cut.length > 28 ? `${cut.slice(0, 27)}…` : cut;
}

/** The user the stage runs as, where that comes from, and what the image starts (ServiceMonitor). */
function runsAs(stage: Stage, repository: Repository | undefined, resolution: TagResolution | undefined): string {
  const entry = resolution?.entry;
  const imageDefault = repository?.defaultUser ?? (entry?.flavor === 'nanoserver' ? 'ContainerUser' : entry?.flavor === 'servercore' ? 'ContainerAdministrator' : undefined)
    ?? stage.platform.defaultUser ?? undefined;
  const user = stage.effectiveUser.user ?? imageDefault;
  if (!user) return 'set by the image; not known without pulling it';
  const administrator = isWindowsAdministrator(user) ? 'an administrator; ' : '';
  const starts = repository?.entrypoint ? ` — starts \`${repository.entrypoint}\`, which needs an administrator` : '';
  return `${code(user)} (${administrator}${describeUserSource(stage)})${starts}`;
}

function describeUserSource(stage: Stage): string {
  switch (stage.effectiveUser.source) {
    case 'USER': return `USER on line ${stage.effectiveUser.instruction!.getRange().start.line + 1}`;
    case 'parent-stage': return 'inherited from the parent stage';
    case 'image-default': return 'image default; no USER in this stage';
    case 'unknown': return 'no USER in this stage';
  }
}

/** The phase of the recommended release in a few words. */
function shortPhaseText(release: WindowsRelease, now: Date): string {
  const lifecycle = releaseLifecycle(release, now);
  return lifecycle.phase === 'mainstream' ? `mainstream support until ${release.mainstreamEnd}` : phaseText(release, now);
}

function phaseText(release: WindowsRelease, now: Date): string {
  const lifecycle = releaseLifecycle(release, now);
  if (release.endOfLife) return lifecycle.phase === 'end-of-life' ? `end of life since ${release.endOfLife}` : `supported until ${release.endOfLife}`;
  switch (lifecycle.phase) {
    case 'mainstream': return `mainstream support until ${release.mainstreamEnd}, extended until ${release.extendedEnd}`;
    case 'extended': return `extended support until ${release.extendedEnd} (security fixes only)`;
    case 'end-of-life': return `end of life since ${release.extendedEnd}`;
  }
}

/** Lifecycle of the tag, its Windows release and product, each once. */
function describeCatalogImage(repository: Repository, resolution: TagResolution, settings: EngineSettings, now: Date, rows: Row[], cited: Set<string>): void {
  repository.sources.forEach((s) => cited.add(s));
  const status = tagStatus(resolution, now);
  status.sources.forEach((s) => cited.add(s));
  const entry = resolution.entry;
  const releases = resolution.release ? [resolution.release] : (entry?.osList ?? []).map((k) => RELEASES.get(k)!).filter(Boolean);
  if (resolution.variant) rows.push(['Tag', `${code(resolution.written)} — ${resolution.variant}`]);
  // The tag's status repeats the release's lifecycle when it is only that; otherwise (removed, no Windows…) it is its own line.
  const releaseSaysIt = releases.length > 0 && (status.kind === 'current' || status.kind === 'extended' || status.kind === 'ending-soon' || (status.kind === 'end-of-life' && !entry?.product));
  if (!releaseSaysIt) rows.push(['Tag', `${code(resolution.written)}: ${status.summary}`]);
  for (const release of releases) rows.push(['OS', `${release.name}, build ${release.build}: ${phaseText(release, now)}`]);
  const product = entry?.product ? PRODUCTS.get(entry.product) : undefined;
  if (product) rows.push(['Product', `${product.name}${product.supportEnd ? `: supported until ${product.supportEnd}` : ''}`]);
  void settings;
}

/** Which hosts can run it, and the LTSC to move to when this is not it. */
function describeHostAndSuccessor(resolution: TagResolution, settings: EngineSettings, now: Date, rows: Row[]): void {
  const host = settings.windowsHost ? RELEASES.get(settings.windowsHost) : undefined;
  if (host && resolution.release) {
    const problem = hostProblem(host, resolution.release, settings.isolation);
    rows.push(['Your host', `${host.name} (${settings.isolation} isolation): ${problem ?? 'can run this image'}`]);
  } else if (resolution.release) {
    rows.push(['Host', `process isolation needs a build ${resolution.release.build} host (set \`containerGuard.windowsHost\` to check yours)`]);
  }
  const recommended = recommendedLtsc(now);
  if (resolution.release && resolution.release.key !== recommended.key) {
    rows.push(['Recommended LTSC', `\`${recommended.key}\` (${recommended.name}, ${shortPhaseText(recommended, now)})`]);
  }
}

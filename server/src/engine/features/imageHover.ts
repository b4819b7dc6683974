// Hover on a FROM image: what the image is, its Windows build and lifecycle, default user, host
// compatibility and signing facts, from the catalog. Returns Markdown; knows nothing of LSP.
import { parseImageReference } from '../dockerfile/imageReference';
import { replacementFor } from '../rules/dockerfile/deprecatedImageName';
import {
  CATALOG_REVIEWED, PRODUCTS, RELEASES, recommendedLtsc, releaseLifecycle, repository as catalogRepository, resolveTag, source, tagStatus,
  type Repository, type TagResolution, type WindowsRelease,
} from '../catalog/catalog';
import { nameAndTag, stageImageFacts } from '../catalog/stageImage';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import { hostProblem } from '../rules/dockerfile/windowsVersionMismatch';
import type { EngineSettings } from '../settings';
import { inlineCode as code } from '../excerpt';
import { comparePositions } from '../text';
import type { Position, Range } from '../types';

export interface Hover {
  range: Range;
  markdown: string;
}

/** The stage whose FROM image argument contains `position`. */
export function stageAt(model: DockerfileModel, position: Position): Stage | undefined {
  return model.stages.find((stage) => {
    const range = stage.from.getImageRange();
    return range && comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
  });
}

export function imageHover(model: DockerfileModel, position: Position, settings: EngineSettings, now: Date): Hover | null {
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
  const lines: string[] = [];
  const title = nameAndTag(reference) + (reference.digest ? `@${reference.digest}` : '');
  const viaArgs = image.usesVariables ? ` (from ${code(image.written)} with ARG defaults)` : '';
  const rows: Array<[string, string]> = [];
  const cited = new Set<string>();

  // A retired name is described by the image it moved to (same content under the MCR name).
  const moved = facts.deprecated ? replacementFor(facts.deprecated, reference.tag, { now }) : null;
  const movedReference = moved ? parseImageReference(moved.reference) : null;
  const movedRepository = movedReference ? catalogRepository(`${movedReference.registry}/${movedReference.repository}`) : undefined;
  if (facts.repository && facts.resolution) {
    lines.push(`**${code(title)}**${viaArgs} — ${facts.repository.description}`);
    describeCatalogImage(facts.repository, facts.resolution, settings, now, rows, cited);
  } else if (moved?.tagKept && movedRepository && movedReference) {
    lines.push(`**${code(title)}**${viaArgs} — now \`${moved.reference}\`: ${movedRepository.description}`);
    describeCatalogImage(movedRepository, resolveTag(movedRepository, movedReference.tag), settings, now, rows, cited);
  } else {
    lines.push(`**${code(title)}**${viaArgs}`);
    const registry = reference.registry ?? 'docker.io';
    const repositoryPath = reference.registry ? reference.repository : reference.repository.includes('/') ? reference.repository : `library/${reference.repository}`;
    rows.push(['Registry', `${code(registry)}, repository ${code(repositoryPath)}`]);
    rows.push(['Tag', reference.tag ? code(reference.tag) : 'none (the registry serves `latest`)']);
    rows.push(['Platform', stage.platform.os === 'windows' ? `Windows${stage.platform.windowsFlavor ? ` (${stage.platform.windowsFlavor})` : ''}` : stage.platform.os === 'linux' ? 'Linux' : 'not determined from the name (not a catalog image)']);
    rows.push(['Default user', stage.platform.defaultUser ? code(stage.platform.defaultUser) : 'set by the image; not known without pulling it']);
  }
  if (facts.deprecated) {
    rows.unshift(['Retired name', `moved to \`${moved?.reference ?? facts.deprecated.replacement}\``]);
    facts.deprecated.sources.forEach((s) => cited.add(s));
  }
  if (facts.nonexistent) {
    rows.unshift(['Does not exist', `${facts.nonexistent.why} Use \`${facts.nonexistent.suggest}\`.`]);
    facts.nonexistent.sources.forEach((s) => cited.add(s));
  }
  rows.push(['Pinned', reference.digest ? `by digest ${code(reference.digest.slice(0, 19))}…` : 'by tag only (no digest)']);
  rows.push(['Effective user of this stage', `${code(stage.effectiveUser.user ?? 'not known')} (${describeUserSource(stage)})`]);

  lines.push('', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`));
  const links = [...cited].map((id) => source(id)).filter((s): s is NonNullable<typeof s> => !!s)
    .map((s) => `[${s.title}](${s.url})`);
  if (links.length > 0) lines.push('', `Sources: ${links.join(' · ')}`);
  if (facts.repository) lines.push('', `_Catalog reviewed ${CATALOG_REVIEWED}._`);
  return { range, markdown: lines.join('\n') };
}

function describeUserSource(stage: Stage): string {
  switch (stage.effectiveUser.source) {
    case 'USER': return `USER on line ${stage.effectiveUser.instruction!.getRange().start.line + 1}`;
    case 'parent-stage': return 'inherited from the parent stage';
    case 'image-default': return 'the image default; this stage sets no USER';
    case 'unknown': return 'no USER in this stage';
  }
}

function phaseText(release: WindowsRelease, now: Date): string {
  const lifecycle = releaseLifecycle(release, now);
  if (release.endOfLife) return lifecycle.phase === 'end-of-life' ? `end of life since ${release.endOfLife}` : `supported until ${release.endOfLife}`;
  switch (lifecycle.phase) {
    case 'mainstream': return `mainstream support until ${release.mainstreamEnd}, extended until ${release.extendedEnd}`;
    case 'extended': return `extended support (security fixes only) until ${release.extendedEnd}; mainstream ended ${release.mainstreamEnd}`;
    case 'end-of-life': return `end of life since ${release.extendedEnd}`;
  }
}

function describeCatalogImage(
  repository: Repository, resolution: TagResolution, settings: EngineSettings, now: Date,
  rows: Array<[string, string]>, cited: Set<string>,
): void {
  repository.sources.forEach((s) => cited.add(s));
  const status = tagStatus(resolution, now);
  status.sources.forEach((s) => cited.add(s));
  const entry = resolution.entry;
  const releases = resolution.release ? [resolution.release] : (entry?.osList ?? []).map((k) => RELEASES.get(k)!).filter(Boolean);
  rows.push(['Tag', `${code(resolution.written)}${resolution.variant ? ` — ${resolution.variant}` : ''}: ${status.summary}`]);
  for (const release of releases) {
    rows.push(['Windows', `${release.name}, build ${release.build}: ${phaseText(release, now)}`]);
    if (release.note) rows.push(['Note', release.note]);
  }
  const product = entry?.product ? PRODUCTS.get(entry.product) : undefined;
  if (product) rows.push(['Product', `${product.name}${product.supportEnd ? `: supported until ${product.supportEnd}` : ''}${product.note ? ` — ${product.note}` : ''}`]);
  const defaultUser = repository.defaultUser ?? (entry?.flavor === 'nanoserver' ? 'ContainerUser' : entry?.flavor === 'servercore' ? 'ContainerAdministrator' : undefined);
  if (defaultUser) rows.push(['Default user', `\`${defaultUser}\`${defaultUser === 'ContainerAdministrator' ? ' — an administrator; end the final stage with `USER ContainerUser`' : ''}`]);
  if (repository.entrypoint) rows.push(['Entrypoint', `\`${repository.entrypoint}\` (needs ContainerAdministrator)`]);
  const host = settings.windowsHost ? RELEASES.get(settings.windowsHost) : undefined;
  if (host && resolution.release) {
    const problem = hostProblem(host, resolution.release, settings.isolation);
    rows.push(['Your host', `${host.name} (${settings.isolation} isolation): ${problem ?? 'can run this image'}`]);
  } else if (resolution.release) {
    rows.push(['Host', `process isolation needs a build ${resolution.release.build} host; set \`containerGuard.windowsHost\` to check yours`]);
  }
  const recommended = recommendedLtsc(now);
  if (resolution.release && resolution.release.key !== recommended.key) {
    rows.push(['Recommended LTSC', `\`${recommended.key}\` (${recommended.name}, ${phaseText(recommended, now)})`]);
  }
  if (repository.signing) {
    repository.signing.sources.forEach((s) => cited.add(s));
    rows.push(['Signing', `${repository.signing.format === 'notation' ? 'Notary Project (Notation)' : 'cosign'} signatures published since ${repository.signing.since}; signer ${repository.signing.identity}; root ${repository.signing.root}. The signature of this digest is not checked here: registry look-ups are not enabled.`]);
  } else {
    rows.push(['Signing', 'Microsoft publishes no signatures for this repository (normal for `dotnet/framework/*`).']);
  }
}

// Completion of the image in `FROM`: certified repositories after `mcr.microsoft.com/`, and after
// `repository:` the supported tags, each with its lifecycle. Order: the recommended LTSC's multi-arch tag
// first and preselected (Enter must not insert `ltsc2025-arm64`, which an x64 host cannot pull), then
// the other multi-arch tags, and architecture-specific tags after all of them. A tag the image rules would flag as a warning
// or an error (`latest`, end of life, retired, not published, a host mismatch) is never offered.
import { REPOSITORIES, completableTags, repository as catalogRepository, type TagEntry } from '../../catalog/catalog';
import { buildDockerfileModel, type DockerfileModel } from '../model';
import { ALL_RULES } from '../../rules/index';
import type { DockerfileRule } from '../../rules/rule';
import { DEFAULT_SETTINGS, effectiveSeverity, type EngineSettings } from '../../settings';
import { createDocument, lineText } from '../../text';
import type { Position, Range } from '../../types';

/** The rules that judge an image's tag (not its digest or registry): what a completed tag must pass. */
const TAG_RULE_IDS = new Set(['base-image-latest', 'eol-base-image', 'nonexistent-image-tag', 'deprecated-image-name', 'windows-version-mismatch']);
const TAG_RULES = ALL_RULES.filter((rule): rule is DockerfileRule => rule.meta.fileKind === 'dockerfile' && TAG_RULE_IDS.has(rule.meta.id));

export interface CompletionItem {
  label: string;
  /** Replaces `range` (the part of the image token typed so far). */
  insertText: string;
  range: Range;
  kind: 'repository' | 'tag';
  detail: string;
  documentation?: string;
  /** Sorts before other items. */
  sortText: string;
  preselect?: boolean;
}

const MCR = 'mcr.microsoft.com/';

export function imageCompletion(model: DockerfileModel, requested: Position, now: Date, settings: EngineSettings = DEFAULT_SETTINGS): CompletionItem[] {
  const from = model.stages.find((stage) => stage.from.getRange().start.line === requested.line)?.from;
  if (!from) return [];
  const fullLine = lineText(model.document, requested.line);
  // A position past the line's end means its end (LSP): the ranges below must stay inside the document.
  const position: Position = { line: requested.line, character: Math.min(requested.character, fullLine.length) };
  const line = fullLine.slice(0, position.character);
  // The image token is the first argument that is not a --flag; only complete while typing it.
  const match = /^\s*FROM\s+((?:--\S+\s+)*)(\S*)$/i.exec(line);
  if (!match) return [];
  const token = match[2]!;
  const range: Range = { start: { line: position.line, character: position.character - token.length }, end: position };
  const colon = token.lastIndexOf(':');
  if (colon > 0 && !token.includes('@')) {
    const repo = catalogRepository(token.slice(0, colon));
    if (!repo) return [];
    const tagRange: Range = { start: { line: position.line, character: range.start.character + colon + 1 }, end: position };
    const offered = completableTags(repo, now)
      .filter(({ tag }) => !flaggedByTagRules(repo.name, tag.tag, settings, now))
      .map((candidate, catalogOrder) => ({ ...candidate, catalogOrder, architectureSpecific: isArchitectureSpecific(candidate.tag) }))
      .sort((a, b) => Number(a.architectureSpecific) - Number(b.architectureSpecific) || Number(b.recommended) - Number(a.recommended) || a.catalogOrder - b.catalogOrder);
    return offered.map(({ tag, status, recommended }, index) => ({
      label: tag.tag,
      insertText: tag.tag,
      range: tagRange,
      kind: 'tag' as const,
      detail: `${recommended ? '★ recommended — ' : ''}${status.summary}`,
      documentation: `\`${repo.name}:${tag.tag}\` — ${repo.description}. ${status.summary}.`,
      sortText: String(index).padStart(4, '0'),
      ...(index === 0 ? { preselect: true } : {}),
    }));
  }
  if (token.includes(':') || token.includes('@')) return [];
  if (!(MCR.startsWith(token.toLowerCase()) || token.toLowerCase().startsWith(MCR))) return [];
  return REPOSITORIES.map((repo, index) => ({
    label: repo.name,
    insertText: repo.name,
    range,
    kind: 'repository' as const,
    detail: repo.description,
    sortText: String(index).padStart(4, '0'),
  }));
}

/** `ltsc2025-amd64`, `10.0-nanoserver-ltsc2025-arm64`: one architecture only (the others are manifest lists). */
function isArchitectureSpecific(tag: TagEntry): boolean {
  return /(^|-)(amd64|arm64|arm32v7|arm32|x64|x86)($|-)/i.test(tag.tag);
}

/**
 * Verdicts per repository, tag, day and the settings the tag rules read: completion is asked on every
 * keystroke after `:`, and the answer only changes with those.
 */
const verdicts = new Map<string, boolean>();
const VERDICTS_KEPT = 2_000;

/** True when an image rule would report `repository:tag` as a warning or an error under these settings. */
function flaggedByTagRules(repositoryName: string, tag: string, settings: EngineSettings, now: Date): boolean {
  const severities = [...TAG_RULE_IDS].map((id) => settings.rules[id] ?? '').join(',');
  const key = `${repositoryName}:${tag}|${now.toISOString().slice(0, 10)}|${settings.ruleSet}|${settings.windowsHost ?? ''}|${settings.isolation}|${severities}`;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const flagged = judgeTag(repositoryName, tag, settings, now);
  if (verdicts.size >= VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, flagged);
  return flagged;
}

function judgeTag(repositoryName: string, tag: string, settings: EngineSettings, now: Date): boolean {
  const model = buildDockerfileModel(createDocument(`FROM ${repositoryName}:${tag}\n`));
  let flagged = false;
  for (const rule of TAG_RULES) {
    const severity = effectiveSeverity(rule.meta, settings);
    if (!severity) continue;
    rule.check(model, (finding) => {
      const reported = settings.rules[rule.meta.id] ? severity : finding.severity ?? severity;
      if (reported === 'warning' || reported === 'error') flagged = true;
    }, { settings, now });
    if (flagged) return true;
  }
  return false;
}

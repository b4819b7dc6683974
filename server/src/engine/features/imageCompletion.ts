// Completion of the image in `FROM`: certified repositories after `mcr.microsoft.com/`, and after
// `repository:` the supported tags, recommended LTSC first, each with its lifecycle. End-of-life,
// removed and retired tags are never offered.
import { REPOSITORIES, completableTags, repository as catalogRepository } from '../catalog/catalog';
import type { DockerfileModel } from '../dockerfile/model';
import { lineText } from '../text';
import type { Position, Range } from '../types';

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

export function imageCompletion(model: DockerfileModel, requested: Position, now: Date): CompletionItem[] {
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
    return completableTags(repo, now).map(({ tag, status, recommended }, index) => ({
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

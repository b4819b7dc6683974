// Small text utilities shared by rules and fix application. Offsets are UTF-16 code units.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit } from './types';

export { TextDocument };

export function createDocument(text: string, uri = 'untitled:Dockerfile'): TextDocument {
  return TextDocument.create(uri, 'dockerfile', 0, text);
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  // Two insertions at the same point also conflict: their order would be arbitrary.
  if (comparePositions(a.end, b.start) < 0 || comparePositions(b.end, a.start) < 0) return false;
  if (comparePositions(a.end, b.start) === 0 && comparePositions(a.start, a.end) !== 0) return false;
  if (comparePositions(b.end, a.start) === 0 && comparePositions(b.start, b.end) !== 0) return false;
  return true;
}

/** The end-of-line sequence the document already uses, so inserted lines match the user's files. */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Text of one line without its line break. */
export function lineText(document: TextDocument, line: number): string {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/(\r\n|\r|\n)$/, '');
}

/** Leading white space of a line, reused so inserted instructions keep the user's indentation. */
export function indentationOf(document: TextDocument, line: number): string {
  return /^[ \t]*/.exec(lineText(document, line))?.[0] ?? '';
}

/** Applies edits that must not overlap; returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(createDocument(text), [...edits]);
}

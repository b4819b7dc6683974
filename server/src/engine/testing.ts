// Helpers for rule tests (compiled with the engine, never bundled: only test files import it).
import assert from 'node:assert/strict';
import { lintText } from './lint';
import { mergeSettings } from './settings';
import type { Finding, Range } from './types';

/** Findings of one rule, with only that rule enabled (so tests do not depend on the others). */
export function findingsOf(ruleId: string, text: string): Finding[] {
  const settings = mergeSettings({ ruleSet: 'strict', rules: { [ruleId]: 'warning' } });
  const result = lintText(text, 'dockerfile', settings);
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.filter((finding) => finding.ruleId === ruleId);
}

export function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

/** The text a range covers, to assert ranges by what they underline. */
export function textAt(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  const parts = [lines[r.start.line]!.slice(r.start.character)];
  for (let line = r.start.line + 1; line < r.end.line; line++) parts.push(lines[line]!);
  parts.push(lines[r.end.line]!.slice(0, r.end.character));
  return parts.join('\n');
}

// Helpers for rule tests (compiled with the engine, never bundled: only test files import it).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText } from './lint';
import { mergeSettings, type SettingsLayer } from './settings';
import type { FileKind, Finding, Range } from './types';

/** The date the catalog facts were reviewed against; rule tests pin the clock to it. */
export const REVIEW_DATE = new Date('2026-11-29T12:00:00Z');

/** Findings of one rule under the strict rule set, on the pinned date unless another is given. */
export function findingsOf(ruleId: string, text: string, options: { now?: Date; settings?: SettingsLayer; kind?: FileKind; path?: string } = {}): Finding[] {
  const settings = mergeSettings({ ruleSet: 'strict' }, options.settings);
  const result = lintText(text, options.kind ?? 'dockerfile', settings, { now: options.now ?? REVIEW_DATE, ...(options.path ? { path: options.path } : {}) });
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

/** The shared real-world corpus (../shared/corpus beside the repository), when present. */
export const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');

/** Every file under the corpus Dockerfile folders, with its path relative to the corpus. */
export function corpusDockerfiles(folders: readonly string[] = ['dockerfiles-windows', 'dockerfiles-linux']): Array<{ name: string; path: string; text: string }> {
  const files: Array<{ name: string; path: string; text: string }> = [];
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push({ name: path.relative(CORPUS, full), path: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  // No corpus (a checkout without ../shared): no files, so corpus tests skip instead of failing.
  for (const folder of folders) if (fs.existsSync(path.join(CORPUS, folder))) walk(path.join(CORPUS, folder));
  return files;
}

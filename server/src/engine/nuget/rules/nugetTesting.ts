// Helpers shared by the nuget.config rule tests (compiled with the engine, imported only by test files).
import assert from 'node:assert/strict';
import { fixAllToFixpoint, lintText } from '../../lint';
import { mergeSettings, type EngineSettings, type SettingsLayer } from '../../settings';
import { findingsOf, REVIEW_DATE } from '../../testing';
import { applyEdits } from '../../text';
import type { Finding, Fix } from '../../types';

export const NUGET = 'nuget-config' as const;

export function strictSettings(layer?: SettingsLayer): EngineSettings {
  return mergeSettings({ ruleSet: 'strict' }, layer);
}

/** Findings of one rule in a nuget.config under the strict rule set. */
export function nugetFindings(ruleId: string, text: string, settings?: SettingsLayer): Finding[] {
  return findingsOf(ruleId, text, { kind: NUGET, ...(settings ? { settings } : {}) });
}

/** The one finding of `ruleId` in `text` (asserts there is exactly one). */
export function onlyFinding(ruleId: string, text: string, settings?: SettingsLayer): Finding {
  const found = nugetFindings(ruleId, text, settings);
  assert.equal(found.length, 1, `${ruleId}: ${JSON.stringify(found.map((f) => f.message))}`);
  return found[0]!;
}

/** The rule's own fixes, without the "Ignore … for this element" suppression fix the engine adds to every finding. */
export function ruleFixes(finding: Finding): Fix[] {
  return finding.fixes.filter((fix) => !fix.title.startsWith('Ignore '));
}

/** Applies a fix and checks that the result is still well-formed XML NuGet can read. */
export function applyFix(text: string, fix: Fix): string {
  const result = applyEdits(text, fix.edits);
  assertWellFormed(result);
  return result;
}

export function assertWellFormed(text: string): void {
  const result = lintText(text, NUGET, strictSettings(), { now: REVIEW_DATE });
  assert.deepEqual(result.ruleErrors, []);
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'nuget-malformed-xml').map((f) => f.message), [], text);
}

/** Fix-all to its fixpoint; asserts the result is well-formed and that a second run changes nothing. */
export function fixAll(text: string, settings?: SettingsLayer): string {
  const first = fixAllToFixpoint(text, NUGET, strictSettings(settings), { now: REVIEW_DATE });
  assertWellFormed(first.text);
  const second = fixAllToFixpoint(first.text, NUGET, strictSettings(settings), { now: REVIEW_DATE });
  assert.equal(second.passes, 0, 'fix-all is idempotent');
  assert.equal(second.text, first.text);
  return first.text;
}

/**
 * The same document in another style: `text` is written with two spaces per level and `\n`; each leading
 * two-space step becomes `unit`, and line breaks become `eol`.
 */
export function restyle(text: string, unit: string, eol = '\n'): string {
  return text
    .split('\n')
    .map((line) => {
      const depth = Math.floor(/^ */.exec(line)![0].length / 2);
      return unit.repeat(depth) + line.slice(depth * 2);
    })
    .join(eol);
}

/** Two spaces, four spaces and tabs, each with `\n` and `\r\n`. */
export const STYLES: ReadonlyArray<{ name: string; unit: string; eol: string }> = [
  { name: '2 spaces, LF', unit: '  ', eol: '\n' },
  { name: '4 spaces, LF', unit: '    ', eol: '\n' },
  { name: 'tabs, LF', unit: '\t', eol: '\n' },
  { name: '2 spaces, CRLF', unit: '  ', eol: '\r\n' },
  { name: '4 spaces, CRLF', unit: '    ', eol: '\r\n' },
  { name: 'tabs, CRLF', unit: '\t', eol: '\r\n' },
];

/**
 * Checks a fix in every indentation and line-break style: the fix of the restyled input gives the restyled
 * expectation. `pick` chooses the finding and fix; `expected` is written in the two-space, LF style.
 */
export function assertFixInEveryStyle(ruleId: string, input: string, expected: string, pick: (text: string) => Fix = (text) => ruleFixes(onlyFinding(ruleId, text))[0]!): void {
  for (const style of STYLES) {
    const text = restyle(input, style.unit, style.eol);
    assert.equal(applyFix(text, pick(text)), restyle(expected, style.unit, style.eol), style.name);
  }
}

/** `<configuration>` around `body` (lines indented one level), with an XML declaration. */
export function configOf(...lines: string[]): string {
  return ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>', ...lines.map((line) => `  ${line}`), '</configuration>', ''].join('\n');
}

export const NUGET_ORG = '<add key="nuget.org" value="https://api.nuget.org/v3/index.json" />';
export const CONTOSO_FEED = 'https://pkgs.dev.azure.com/contoso/_packaging/main/nuget/v3/index.json';

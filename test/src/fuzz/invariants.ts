// The in-process invariants every document must keep, whatever its text:
//   - lintText never throws and reports no rule errors;
//   - every finding's range, every fix edit's range, every hover and completion range lies inside the
//     document (a position is inside when positionAt(offsetAt(p)) gives p back);
//   - lint finishes within a CPU-time bound proportional to the document's size (TIME_BOUND below);
//   - every offered fix has non-overlapping edits that apply, and the fixed text lints without rule errors;
//   - fix-all (fixAllToFixpoint, what the editor's fix-all and `--fix` run) reaches its fixed point in one
//     call: a second call changes nothing;
//   - each suppression fix ("ignore this rule here") removes a finding of its rule;
//   - hover and completion at any position (random, edges, past the line end, past the document end)
//     answer null/[] or ranges inside the document, and never throw.
import { performance } from 'node:perf_hooks';
import { imageCompletion } from '../../../server/out/engine/dockerfile/features/imageCompletion';
import { imageHover } from '../../../server/out/engine/dockerfile/features/imageHover';
import { nugetSourceHover } from '../../../server/out/engine/nuget/features/nugetSourceHover';
import { documentKind } from '../../../server/out/engine/kinds/index';
import { fixAllEdits, fixAllToFixpoint, lintModel, lintText, type LintResult } from '../../../server/out/engine/lint';
import { mergeSettings, type EngineSettings } from '../../../server/out/engine/settings';
import { applyEdits, comparePositions, createDocument, rangesOverlap, type TextDocument } from '../../../server/out/engine/text';
import type { FileKind, Finding, Position, Range } from '../../../server/out/engine/types';

/** The date lint runs against (pinned, so a case reproduces on another day). */
export const NOW = new Date('2026-11-29T12:00:00Z');

/**
 * Settings variants a case lints with: the default, strict, strict with a Windows host and trusted
 * registries (turns on the lifecycle/mismatch/registry rules), and hadolint pragmas off plus severities.
 */
export const SETTINGS_VARIANTS: readonly EngineSettings[] = [
  mergeSettings(),
  mergeSettings({ ruleSet: 'strict' }),
  mergeSettings({ ruleSet: 'strict', windowsHost: 'ltsc2022', isolation: 'process', trustedRegistries: ['*.azurecr.io', 'docker.io'] }),
  mergeSettings({ ruleSet: 'strict', honourHadolintPragmas: false, windowsHost: 'ltsc2019', isolation: 'hyperv', requireSignedPackages: false, rules: { 'base-image-latest': 'error' } }),
];

/**
 * Time bound per document, in CPU milliseconds of this process (process.cpuUsage: user + system, so time
 * the machine spends on other processes does not count): FACTOR × (2 ms per KB + 50 ms). The base is
 * what the engine should need; FACTOR (default 10, env FUZZ_TIME_FACTOR) absorbs a shared, loaded
 * 2-core machine, garbage collection and cold JIT. A case over the bound is timed again and fails only
 * when the second run is over it too.
 */
export const TIME_FACTOR = Number(process.env.FUZZ_TIME_FACTOR ?? 10);
export function timeBoundMs(length: number): number {
  return TIME_FACTOR * (2 * (length / 1024) + 50);
}

/** How many fixes per case are re-linted, and how many suppression fixes are applied (all fixes are applied). */
export const RELINTED_FIXES = 2;
const SUPPRESSIONS_CHECKED = 1;

/**
 * Re-linting after a fix costs a whole lint: the first ALWAYS_CHECKED occurrences of each fix (rule and
 * title), of each rule's suppression and of fix-all per kind in this process are always re-linted, later
 * ones in 1 of SAMPLE_EVERY cases (by a hash of the text, so a case reproduces). Every fix's edits are
 * still checked and applied in every case. FUZZ_FULL=1 re-lints every time.
 */
export const ALWAYS_CHECKED = 200;
export const SAMPLE_EVERY = process.env.FUZZ_FULL === '1' ? 1 : 6;
const seen = new Map<string, number>();
function sampled(key: string, text: string): boolean {
  const count = seen.get(key) ?? 0;
  seen.set(key, count + 1);
  if (count < ALWAYS_CHECKED || SAMPLE_EVERY === 1) return true;
  let hash = text.length;
  for (let i = 0; i < text.length; i += 97) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return ((hash >>> 0) + count) % SAMPLE_EVERY === 0;
}

export class InvariantError extends Error {
  constructor(readonly invariant: string, readonly key: string, detail: string) {
    super(`${invariant} [${key}]: ${detail}`);
  }

  /** Failures with the same signature are one bug: only the first is shrunk and reported. */
  get signature(): string {
    return `${this.invariant}|${this.key}`;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}

/** The top stack frame inside the project (which function threw), for the failure's signature. */
export function whereThrown(error: unknown): string {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const frame = stack.split('\n').find((line) => /server[\\/]out[\\/]engine/.test(line));
  return frame ? frame.trim().replace(/^at /, '').replace(/\(.*[\\/]out[\\/]/, '(').replace(/:\d+\)$/, ')') : firstLine(error);
}

export function isInside(document: TextDocument, position: Position): boolean {
  if (!Number.isInteger(position.line) || !Number.isInteger(position.character) || position.line < 0 || position.character < 0) return false;
  if (position.line >= document.lineCount) return false;
  const back = document.positionAt(document.offsetAt(position));
  return back.line === position.line && back.character === position.character;
}

export function rangeInside(document: TextDocument, range: Range | undefined | null): boolean {
  return !!range && isInside(document, range.start) && isInside(document, range.end) && comparePositions(range.start, range.end) <= 0;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface CheckInput {
  text: string;
  kind: FileKind;
  path: string;
  settings: EngineSettings;
  /** Raw probe pairs; mapped onto the document (and a little past its ends). */
  probes?: ReadonlyArray<readonly [number, number]>;
  /** Skip the time bound (reproducers, shrinking). */
  untimed?: boolean;
}

export interface CheckStats {
  findings: number;
  fixesApplied: number;
  fixesRelinted: number;
  suppressionsChecked: number;
  fixAll: number;
  probes: number;
  cpuMs: number;
}

/** Lints `text` (as lintText does: build the model, run the rules); `keep` receives the model for hover/completion. */
function lintOrThrow(text: string, input: CheckInput, what: string, keep?: (model: unknown) => void): LintResult {
  let result: LintResult;
  try {
    if (keep) {
      const kind = documentKind(input.kind);
      const model = kind.buildModel(createDocument(text), input.path);
      keep(model);
      result = lintModel(kind, model, input.settings, { now: NOW, path: input.path });
    } else {
      result = lintText(text, input.kind, input.settings, { now: NOW, path: input.path });
    }
  } catch (error) {
    throw new InvariantError(`${what}: lintText threw`, whereThrown(error), firstLine(error));
  }
  if (result.ruleErrors.length > 0) {
    const first = result.ruleErrors[0]!;
    throw new InvariantError(`${what}: rule error`, `${first.ruleId} ${whereThrown(Object.assign(new Error(), { stack: first.error }))}`, first.error.split('\n').slice(0, 3).join(' | '));
  }
  return result;
}

function describeRange(range: Range | undefined | null): string {
  return range ? `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}` : String(range);
}

/** The positions a document is probed at: edges, past the line end, past the document end, and the case's own. */
export function probePositions(document: TextDocument, probes: ReadonlyArray<readonly [number, number]> = []): Position[] {
  const text = document.getText();
  const lastLine = document.lineCount - 1;
  const lineLength = (line: number): number => {
    const start = document.offsetAt({ line, character: 0 });
    const end = line + 1 < document.lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : text.length;
    return text.slice(start, end).replace(/(\r\n|\r|\n)$/, '').length;
  };
  const positions: Position[] = [
    { line: 0, character: 0 },
    { line: lastLine, character: lineLength(lastLine) },
    { line: lastLine, character: lineLength(lastLine) + 7 },
    { line: lastLine + 3, character: 0 },
    { line: 0, character: 10_000 },
  ];
  for (const [a, b] of probes) {
    const line = a % (document.lineCount + 2);
    const length = line <= lastLine ? lineLength(line) : 0;
    positions.push({ line, character: b % (length + 4) });
  }
  return positions;
}

/** Hover and completion at every probe position: never a throw, only ranges inside the document. */
export function checkFeatures(input: CheckInput, document: TextDocument, positions: readonly Position[], model: unknown): number {
  if (input.kind === 'pipeline') return 0;
  let probes = 0;
  for (const position of positions) {
    probes++;
    const at = `${position.line}:${position.character}`;
    if (input.kind === 'nuget-config') {
      let hover;
      try {
        hover = nugetSourceHover(model as Parameters<typeof nugetSourceHover>[0], position);
      } catch (error) {
        throw new InvariantError('nugetSourceHover threw', whereThrown(error), `at ${at}: ${firstLine(error)}`);
      }
      if (hover && !rangeInside(document, hover.range)) throw new InvariantError('hover range outside the document', 'nugetSourceHover', `at ${at}: ${describeRange(hover.range)}`);
      continue;
    }
    const dockerModel = model as Parameters<typeof imageHover>[0];
    let hover;
    try {
      hover = imageHover(dockerModel, position, input.settings, NOW);
    } catch (error) {
      throw new InvariantError('imageHover threw', whereThrown(error), `at ${at}: ${firstLine(error)}`);
    }
    if (hover && !rangeInside(document, hover.range)) throw new InvariantError('hover range outside the document', 'imageHover', `at ${at}: ${describeRange(hover.range)}`);
    let items;
    try {
      items = imageCompletion(dockerModel, position, NOW);
    } catch (error) {
      throw new InvariantError('imageCompletion threw', whereThrown(error), `at ${at}: ${firstLine(error)}`);
    }
    // Completion at a position past the line end is answered for the clamped position by LSP clients;
    // the engine's ranges must still lie inside the document.
    for (const item of items) {
      if (!rangeInside(document, item.range)) throw new InvariantError('completion range outside the document', 'imageCompletion', `at ${at}: ${item.label} ${describeRange(item.range)}`);
    }
  }
  return probes;
}

function findingKey(finding: Finding): string {
  return `${finding.ruleId}@${describeRange(finding.range)}`;
}

/** Every invariant on one document. Throws InvariantError on the first one broken. */
export function checkDocument(input: CheckInput): CheckStats {
  const stats: CheckStats = { findings: 0, fixesApplied: 0, fixesRelinted: 0, suppressionsChecked: 0, fixAll: 0, probes: 0, cpuMs: 0 };
  const document = createDocument(input.text);

  // 1. Lint, timed.
  // Wall-clock time first (cheap; process.cpuUsage is a system call that costs more than linting a
  // small document here); only a document over the bound in wall time is linted again and timed in CPU.
  const started = performance.now();
  let model: unknown;
  const result = lintOrThrow(input.text, input, 'lint', (built) => { model = built; });
  stats.cpuMs = performance.now() - started;
  const bound = timeBoundMs(input.text.length);
  if (!input.untimed && stats.cpuMs > bound) {
    const again = cpuMs();
    lintOrThrow(input.text, input, 'lint');
    const second = cpuMs() - again;
    if (second > bound) {
      throw new InvariantError('time bound exceeded', `${input.kind}`, `${Math.min(stats.cpuMs, second).toFixed(0)} ms CPU for ${(input.text.length / 1024).toFixed(1)} KB (bound ${bound.toFixed(0)} ms = ${TIME_FACTOR} × (2 ms/KB + 50 ms))`);
    }
    stats.cpuMs = Math.min(stats.cpuMs, second);
  }
  stats.findings = result.findings.length;

  // 2. Ranges of findings and of every fix's edits.
  const relint: Array<{ finding: Finding; title: string; text: string }> = [];
  const relintedKinds = new Set<string>();
  for (const finding of result.findings) {
    if (!rangeInside(document, finding.range)) throw new InvariantError('finding range outside the document', finding.ruleId, describeRange(finding.range));
    for (const fix of finding.fixes) {
      for (const edit of fix.edits) {
        if (!rangeInside(document, edit.range)) throw new InvariantError('fix edit range outside the document', `${finding.ruleId}: ${fix.title.replace(/\d+/g, 'N').slice(0, 60)}`, describeRange(edit.range));
      }
      for (let i = 0; i < fix.edits.length; i++) {
        for (let j = i + 1; j < fix.edits.length; j++) {
          if (rangesOverlap(fix.edits[i]!.range, fix.edits[j]!.range)) throw new InvariantError('fix edits overlap', finding.ruleId, `${fix.title}: ${describeRange(fix.edits[i]!.range)} and ${describeRange(fix.edits[j]!.range)}`);
        }
      }
      let fixed: string;
      try {
        fixed = applyEdits(input.text, fix.edits);
      } catch (error) {
        throw new InvariantError('fix does not apply', finding.ruleId, `${fix.title}: ${firstLine(error)}`);
      }
      stats.fixesApplied++;
      const isSuppression = fix === finding.fixes[finding.fixes.length - 1];
      // One key per rule and fix position: titles name images, URLs and accounts, so a key per title
      // re-linted hundreds of variants of the same fix always.
      const key = `${finding.ruleId}|${finding.fixes.indexOf(fix)}`;
      if (!isSuppression && !relintedKinds.has(key) && relint.length < RELINTED_FIXES && sampled(`fix|${input.kind}|${key}`, input.text)) {
        relintedKinds.add(key);
        relint.push({ finding, title: fix.title, text: fixed });
      }
    }
  }

  // 3. Fixed texts lint without rule errors.
  for (const { finding, title, text } of relint) {
    lintOrThrow(text, input, `after fix "${title.slice(0, 50)}" of ${finding.ruleId}`);
    stats.fixesRelinted++;
  }

  // 4. Suppression fixes remove a finding of their rule.
  const suppressed = new Set<string>();
  for (const finding of result.findings) {
    if (stats.suppressionsChecked >= SUPPRESSIONS_CHECKED) break;
    if (suppressed.has(finding.ruleId)) continue;
    suppressed.add(finding.ruleId);
    if (!sampled(`suppression|${input.kind}|${finding.ruleId}`, input.text)) continue;
    const fix = finding.fixes[finding.fixes.length - 1]!;
    const after = lintOrThrow(applyEdits(input.text, fix.edits), input, `after suppression of ${finding.ruleId}`);
    const before = result.findings.filter((f) => f.ruleId === finding.ruleId).length;
    const remaining = after.findings.filter((f) => f.ruleId === finding.ruleId).length;
    if (remaining >= before) {
      throw new InvariantError('suppression fix does not remove its finding', finding.ruleId, `${findingKey(finding)}: "${fix.title}" inserted ${JSON.stringify(fix.edits.map((e) => e.newText))} at ${fix.edits.map((e) => describeRange(e.range)).join(', ')}; ${before} → ${remaining} findings`);
    }
    stats.suppressionsChecked++;
  }

  // 5. Fix-all: one call reaches the fixed point.
  if (fixAllEdits(result.findings).length > 0 && sampled(`fix-all|${input.kind}`, input.text)) {
    let first;
    try {
      first = fixAllToFixpoint(input.text, input.kind, input.settings, { now: NOW, path: input.path });
    } catch (error) {
      throw new InvariantError('fix-all threw', whereThrown(error), firstLine(error));
    }
    const after = lintOrThrow(first.text, input, 'after fix-all');
    const left = fixAllEdits(after.findings);
    if (left.length > 0 && applyEdits(first.text, left) !== first.text) {
      const again = fixAllToFixpoint(first.text, input.kind, input.settings, { now: NOW, path: input.path });
      throw new InvariantError('fix-all is not at a fixed point after one call', [...new Set(after.findings.filter((f) => f.fixes.some((x) => x.safeForFixAll)).map((f) => f.ruleId))].join(','),
        `first call: ${first.passes} passes; a second call changes it in ${again.passes} more passes`);
    }
    stats.fixAll++;
  }

  // 6. Hover and completion at edge and random positions.
  stats.probes = checkFeatures(input, document, probePositions(document, input.probes), model);
  return stats;
}

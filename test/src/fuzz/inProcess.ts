// The in-process driver: fast-check generates cases (corpus seed + window + mutations) in batches; each
// case goes through checkDocument (invariants.ts). A failure is shrunk by fast-check, then reduced
// further on its text (delta debugging over lines, then characters) to a minimal reproducer; the run then
// goes on with the next batch, and later cases failing the same way are counted, not shrunk again.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileKind } from '../../../server/out/engine/types';
import { fuzzPath, seedsOf, type Seed } from './corpus';
import { checkDocument, InvariantError, SETTINGS_VARIANTS, type CheckInput } from './invariants';
import { caseArbitrary, caseText, seedOf, type FuzzCase } from './mutations';

export interface Failure {
  kind: FileKind;
  signature: string;
  message: string;
  /** The seed and batch the failure came from (`npm run fuzz -- --seed N` replays the run). */
  seed: number;
  counterexamplePath?: string;
  seedFile: string;
  path: string;
  settings: number;
  probes: Array<[number, number]>;
  /** The minimal text that still fails the same way. */
  reproducer: string;
  /** How many cases hit the same signature (the first included). */
  hits: number;
}

export interface KindRun {
  kind: FileKind;
  cases: number;
  findings: number;
  fixesApplied: number;
  fixesRelinted: number;
  suppressionsChecked: number;
  fixAll: number;
  probes: number;
  bytes: number;
  failures: Failure[];
  /** Cases that failed with a signature known before the run (knownIssues.ts), per signature. */
  knownHits: Record<string, number>;
  elapsedMs: number;
}

export interface RunOptions {
  seed: number;
  cases: number;
  /** Cases per fast-check run (a failure ends its batch). */
  batch?: number;
  /** Stop (with fewer cases) after this long. */
  timeLimitMs?: number;
  /** Print progress lines. */
  progress?: (line: string) => void;
  /** Signatures already known (from another worker): counted, not shrunk. */
  known?: Set<string>;
}

function inputOf(kind: FileKind, seeds: readonly Seed[], fuzzCase: FuzzCase, text = caseText(fuzzCase, seeds)): CheckInput {
  return { text, kind, path: fuzzPath(seedOf(fuzzCase, seeds)), settings: SETTINGS_VARIANTS[fuzzCase.settings % SETTINGS_VARIANTS.length]!, probes: fuzzCase.probes };
}

function signatureOf(error: unknown): string {
  return error instanceof InvariantError ? error.signature : `non-invariant error|${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}

/** Delta debugging on the text: drop chunks of lines, then of characters, while the same signature fails. */
export function reduceText(text: string, fails: (candidate: string) => boolean, budgetMs = 20_000): string {
  const deadline = Date.now() + budgetMs;
  let current = text;
  const pass = (split: (value: string) => string[]): void => {
    let parts = split(current);
    let chunk = Math.max(1, Math.floor(parts.length / 2));
    while (chunk >= 1 && Date.now() < deadline) {
      let removed = false;
      for (let i = 0; i + chunk <= parts.length && Date.now() < deadline;) {
        const candidate = [...parts.slice(0, i), ...parts.slice(i + chunk)].join('');
        if (candidate !== current && fails(candidate)) {
          current = candidate;
          parts = split(current);
          removed = true;
        } else {
          i += chunk;
        }
      }
      if (!removed) chunk = Math.floor(chunk / 2);
    }
  };
  pass((value) => value.split(/(?<=\n)/));
  pass((value) => Array.from(value.length > 4_000 ? value.match(/[\s\S]{1,16}/g) ?? [] : value.split('')));
  if (current.length <= 4_000) pass((value) => value.split(''));
  return current;
}

function failsWith(input: CheckInput, signature: string): boolean {
  try {
    checkDocument(input);
    return false;
  } catch (error) {
    return signatureOf(error) === signature;
  }
}

/** Runs `options.cases` cases of one kind; never throws for a broken invariant (it is returned). */
export function runKind(kind: FileKind, options: RunOptions): KindRun {
  const seeds = seedsOf(kind);
  const run: KindRun = { kind, cases: 0, findings: 0, fixesApplied: 0, fixesRelinted: 0, suppressionsChecked: 0, fixAll: 0, probes: 0, bytes: 0, failures: [], knownHits: {}, elapsedMs: 0 };
  if (seeds.length === 0) return run;
  const started = Date.now();
  const known = options.known ?? new Set<string>();
  const bySignature = new Map<string, Failure>();
  const extraHits = new Map<string, number>();
  const batch = options.batch ?? 2_000;
  const arbitrary = caseArbitrary(kind, seeds.length);
  let batchIndex = 0;
  while (run.cases < options.cases) {
    if (options.timeLimitMs !== undefined && Date.now() - started > options.timeLimitMs) break;
    const numRuns = Math.min(batch, options.cases - run.cases);
    const batchSeed = (options.seed + batchIndex * 7919) | 0;
    batchIndex++;
    let counted = 0;
    // While shrinking, cases are not counted (fast-check re-runs the property on smaller values).
    let shrinking = false;
    const property = fc.property(arbitrary, (fuzzCase) => {
      const input = inputOf(kind, seeds, fuzzCase);
      if (!shrinking) {
        counted++;
        run.bytes += input.text.length;
      }
      try {
        const stats = checkDocument(input);
        if (!shrinking) {
          run.findings += stats.findings;
          run.fixesApplied += stats.fixesApplied;
          run.fixesRelinted += stats.fixesRelinted;
          run.suppressionsChecked += stats.suppressionsChecked;
          run.fixAll += stats.fixAll;
          run.probes += stats.probes;
        }
        return true;
      } catch (error) {
        const signature = signatureOf(error);
        if (known.has(signature)) {
          if (!shrinking) extraHits.set(signature, (extraHits.get(signature) ?? 0) + 1);
          return true;
        }
        shrinking = true;
        throw error;
      }
    });
    const details = fc.check(property, { seed: batchSeed, numRuns, interruptAfterTimeLimit: 120_000 });
    run.cases += counted;
    if (details.failed && details.counterexample) {
      const fuzzCase = details.counterexample[0];
      const error = details.errorInstance;
      const signature = signatureOf(error);
      known.add(signature);
      const input = { ...inputOf(kind, seeds, fuzzCase), untimed: !signature.startsWith('time bound') };
      const reproducer = reduceText(input.text, (candidate) => failsWith({ ...input, text: candidate }, signature));
      let message = error instanceof Error ? error.message : String(error);
      try {
        checkDocument({ ...input, text: reproducer });
      } catch (reduced) {
        if (signatureOf(reduced) === signature && reduced instanceof Error) message = reduced.message;
      }
      const failure: Failure = {
        kind, signature, message, seed: batchSeed, counterexamplePath: details.counterexamplePath ?? undefined,
        seedFile: seedOf(fuzzCase, seeds).name, path: input.path, settings: fuzzCase.settings % SETTINGS_VARIANTS.length,
        probes: fuzzCase.probes, reproducer, hits: 1,
      };
      bySignature.set(signature, failure);
      run.failures.push(failure);
      options.progress?.(`  ${kind}: FAILURE ${signature} (batch seed ${batchSeed}); reproducer ${textExpression(reproducer).slice(0, 200)}`);
    }
    if (options.progress && batchIndex % 10 === 0) options.progress(`  ${kind}: ${run.cases} cases, ${run.failures.length} distinct failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  for (const failure of run.failures) failure.hits += extraHits.get(failure.signature) ?? 0;
  for (const [signature, hits] of extraHits) if (!bySignature.has(signature)) run.knownHits[signature] = hits;
  run.elapsedMs = Date.now() - started;
  return run;
}

/** A JS expression for a text, long runs of a repeated unit (≤ 8 characters) written as `.repeat(n)`. */
export function textExpression(text: string): string {
  const parts: string[] = [];
  let literal = '';
  for (let i = 0; i < text.length;) {
    let best: { unit: string; count: number } | null = null;
    for (let size = 1; size <= 8 && i + size <= text.length; size++) {
      const unit = text.slice(i, i + size);
      let count = 1;
      while (text.startsWith(unit, i + count * size)) count++;
      if (count * size >= 40 && (!best || count * size > best.count * best.unit.length)) best = { unit, count };
    }
    if (best) {
      if (literal) parts.push(JSON.stringify(literal));
      literal = '';
      parts.push(`${JSON.stringify(best.unit)}.repeat(${best.count})`);
      i += best.count * best.unit.length;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal || parts.length === 0) parts.push(JSON.stringify(literal));
  const expression = parts.join(' + ');
  return expression.length > 600 ? `${expression.slice(0, 400)} …(${expression.length} characters; the whole text is in the file named below)… ${expression.slice(-150)}` : expression;
}

/** Long reproducers are written to a file (the report names it). */
function reproducerFile(failure: Failure): string | null {
  if (textExpression(failure.reproducer).length <= 600) return null;
  const directory = path.join(os.tmpdir(), 'container-guard-fuzz');
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${failure.kind}-${failure.signature.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 80)}.txt`);
  fs.writeFileSync(file, failure.reproducer);
  return file;
}

/** A failure as a regression-test snippet and a readable block. */
export function formatFailure(failure: Failure): string {
  if (failure.signature.startsWith('stdio:')) {
    return [
      `- ${failure.kind} (stdio): ${failure.message}`,
      `    signature: ${failure.signature}`,
      `    batch seed ${failure.seed}${failure.counterexamplePath ? `, path ${failure.counterexamplePath}` : ''}; seed file ${failure.seedFile}`,
      '    reproducer (the shrunk session, as sent):',
      ...failure.reproducer.split('\n').map((line) => `      ${line}`),
    ].join('\n');
  }
  const file = reproducerFile(failure);
  return [
    `- ${failure.kind}: ${failure.message}`,
    `    signature: ${failure.signature}`,
    `    hits: ${failure.hits}; batch seed ${failure.seed}${failure.counterexamplePath ? `, path ${failure.counterexamplePath}` : ''}; seed file ${failure.seedFile}`,
    `    reproducer (${failure.reproducer.length} characters${file ? `, in ${file}` : ''}): lintText(${textExpression(failure.reproducer)}, '${failure.kind}', SETTINGS_VARIANTS[${failure.settings}], { path: '${failure.path}' })${failure.probes.length ? ` probes ${JSON.stringify(failure.probes)}` : ''}`,
  ].join('\n');
}

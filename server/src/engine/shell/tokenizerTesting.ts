// Helpers shared by the tokenizer tests (compiled with the engine, imported only by tests).
import assert from 'node:assert/strict';
import type { ParsedScript, ShellCommand, ShellKind, ShellToken } from './types';

/** `kind:value` of the name and every argument: compact, and exact about both. */
export function shape(command: ShellCommand): string[] {
  return [command.name, ...command.args].map((t) => `${t.kind}:${t.value}`);
}

export function find(parsed: ParsedScript, name: string): ShellCommand {
  const command = parsed.commands.find((c) => c.name.value === name);
  assert.ok(command, `no command ${name} in ${parsed.commands.map((c) => c.name.value).join(', ')}`);
  return command;
}

/** Offsets of the n-th occurrence of `text` in `script`. */
export function at(script: string, text: string, occurrence = 0): { start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = script.indexOf(text, start + 1);
  assert.ok(start >= 0, `${text} not in script`);
  return { start, end: start + text.length };
}

export function span(token: ShellToken | ShellCommand): { start: number; end: number } {
  return { start: token.start, end: token.end };
}

/**
 * Everything a consumer relies on: offsets in bounds and matching `raw`, order, pipelines, nesting.
 * `exactSpans`: a command spans exactly from its name to its last argument (PowerShell; cmd commands
 * may also hold redirections written before the name).
 */
export function checkInvariants(script: string, parsed: ParsedScript, shell: ShellKind, baseDepth = 0, exactSpans = false): void {
  // POSIX nests commands in compound statements (`if`, loops, `{ …; }`) that are no token of a command.
  const nestedInGroups = shell !== 'posix';
  const all = new Set(parsed.commands);
  const nested = new Set<ShellCommand>();
  const checkToken = (token: ShellToken, owner: ShellCommand): void => {
    assert.ok(token.start >= 0 && token.start <= token.end && token.end <= script.length, `token out of bounds: ${JSON.stringify(token.raw)}`);
    assert.equal(script.slice(token.start, token.end), token.raw);
    if (!exactSpans) assert.ok(token.start >= owner.start && token.end <= owner.end, 'token outside its command');
    for (const inner of token.inner ?? []) {
      assert.ok(all.has(inner), 'inner command missing from the flattened list');
      assert.equal(inner.depth, owner.depth + 1);
      assert.ok(inner.start >= token.start && inner.end <= token.end, 'inner command outside its group');
      nested.add(inner);
    }
  };
  let previousStart = -1;
  for (const command of parsed.commands) {
    assert.equal(command.shell, shell);
    assert.ok(command.start >= previousStart, 'commands are ordered by start');
    previousStart = command.start;
    assert.ok(command.start >= 0 && command.start <= command.end && command.end <= script.length);
    assert.equal(command.pipeline[command.pipelineIndex], command);
    assert.ok(command.depth >= baseDepth);
    checkToken(command.name, command);
    let previousEnd = exactSpans ? command.name.end : -1;
    for (const arg of command.args) {
      assert.ok(arg.start >= previousEnd, 'arguments are in source order');
      previousEnd = arg.end;
      checkToken(arg, command);
    }
    if (exactSpans) {
      assert.equal(command.start, command.name.start);
      assert.equal(command.end, previousEnd);
    }
  }
  for (const command of parsed.commands) {
    if (nestedInGroups && command.depth > baseDepth) assert.ok(nested.has(command), `nested command ${command.name.raw} belongs to no group`);
  }
  for (const problem of parsed.problems) assert.ok(problem.start >= 0 && problem.start <= problem.end && problem.end <= script.length);
}

/** Deterministic PRNG (mulberry32) so fuzz failures reproduce. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random mixtures of `fragments` (seeded, so a failure replays): `parse` must never throw, and must stay fast. */
export function fuzzFragments(parse: (script: string) => unknown, fragments: readonly string[], seed = 20261129, rounds = 3000): void {
  const next = random(seed);
  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    const length = 1 + Math.floor(next() * 40);
    let script = '';
    for (let i = 0; i < length; i++) script += fragments[Math.floor(next() * fragments.length)];
    assert.doesNotThrow(() => parse(script), script);
  }
  assert.ok(Date.now() - started < 20_000, 'fuzzing took too long');
}

/** Every prefix of each script, as a user types it. */
export function everyPrefix(parse: (script: string) => unknown, scripts: readonly string[]): void {
  for (const script of scripts) {
    for (let i = 0; i <= script.length; i++) parse(script.slice(0, i));
  }
}

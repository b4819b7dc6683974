// dockerfile-ast recomputes an instruction's arguments from its text on every call: `getRawArguments`
// walks the whole instruction character by character (string concatenation per character, a
// line-table search per argument), and `getArguments`, `getArgumentsRange`,
// `getRawArgumentsContent`, `getArgumentsContent`, `getFlags` and the JSON-form constructor all call
// it. The parser itself calls it about nine times per RUN/COPY/ADD (the JSON-form constructor four
// times, once more to look for heredocs, and it builds every such instruction twice), which was
// ~10% of a cold corpus lint. An instruction is immutable once parsed (its document, ranges and
// escape character are set in constructors and never written again), so the split is computed once
// per instruction and every later call gets a copy of the same list: callers may still change the
// array (ModifiableInstruction.getArguments shifts the flags off, getExpandedArguments replaces
// elements) without touching the memo. The Argument objects are shared; nothing writes to them.
//
// Across versions of a document (typing), most instructions are unchanged: same text, same start
// line and character. dockerfile-ast's Arguments hold only values and line/character ranges (no
// offsets), and the split reads nothing but the instruction's text, its start and the escape
// character, so an unchanged instruction's split is the previous version's: it is looked up by those
// (SPLITS, a small LRU) before splitting. Typing in a 1,000-line Dockerfile thereby splits one RUN per
// keystroke instead of all of them.
//
// dockerfile-ast is pinned (package.json); `getRawArguments` is private in its typings, so the patch
// is checked at load and skipped if a future version renames it (correct, only slower).
import { Instruction } from 'dockerfile-ast';
import type { Argument } from 'dockerfile-ast';

type RawArguments = (this: object) => Argument[];
interface Patchable {
  getRawArguments?: RawArguments;
  [marker: symbol]: RawArguments | undefined;
}

/** Marks the patched prototype (and keeps the original), so loading the engine twice patches once. */
const ORIGINAL = Symbol.for('container-guard.getRawArguments.original');
/** The split, kept on the instruction itself (a symbol-keyed property: faster than a WeakMap lookup). */
const MEMO = Symbol('rawArguments');
interface Memoised { [MEMO]?: Argument[] }
const prototype = Instruction.prototype as unknown as Patchable;

/** The parts of an instruction its split depends on (fields dockerfile-ast sets in its constructors). */
interface SplitInputs {
  range: { start: { line: number; character: number } };
  escapeChar: string;
  getTextContent(): string;
}

/**
 * Splits of recent instructions by where they start (`line:character`), each with the text and escape
 * character it was made from: a hit needs the same text (one string comparison). The key is short on
 * purpose: keyed by the whole text, every lookup hashed (and first flattened) each instruction's text
 * again. Instructions of other documents that start at the same place replace each other; a miss costs
 * one split.
 */
interface KeptSplit {
  text: string;
  escapeChar: string;
  args: Argument[];
}
const SPLITS = new Map<string, KeptSplit>();
const SPLITS_KEPT = 2_048;

/** Forgets the splits kept across documents (tests comparing against dockerfile-ast's own split). */
export function clearArgumentSplits(): void {
  SPLITS.clear();
}

function install(): RawArguments | null {
  const installed = prototype[ORIGINAL];
  if (installed) return installed;
  const original = prototype.getRawArguments;
  if (typeof original !== 'function') return null;
  prototype[ORIGINAL] = original;
  prototype.getRawArguments = function memoisedRawArguments(this: Memoised): Argument[] {
    let args = this[MEMO];
    if (!args) {
      const inputs = this as unknown as SplitInputs;
      const { range, escapeChar } = inputs;
      const readable = range !== undefined && typeof escapeChar === 'string' && typeof inputs.getTextContent === 'function';
      const key = readable ? `${range.start.line}:${range.start.character}` : null;
      const text = readable ? inputs.getTextContent() : '';
      const kept = key === null ? undefined : SPLITS.get(key);
      if (kept && kept.text === text && kept.escapeChar === escapeChar) {
        args = kept.args;
        // Most recently used last: the Map's insertion order is the LRU order.
        SPLITS.delete(key!);
      } else {
        args = original.call(this);
      }
      if (key !== null) {
        SPLITS.set(key, { text, escapeChar, args });
        if (SPLITS.size > SPLITS_KEPT) SPLITS.delete(SPLITS.keys().next().value!);
      }
      this[MEMO] = args;
    }
    return args.slice();
  };
  return original;
}

const original = install();

/** True when dockerfile-ast's argument split is memoised (always, for the pinned version). */
export const argumentsMemoised = original !== null;

/** dockerfile-ast's own split, computed afresh: for tests comparing the memo against it. */
export function freshRawArguments(instruction: Instruction): Argument[] {
  return original ? original.call(instruction) : (prototype.getRawArguments as RawArguments).call(instruction);
}

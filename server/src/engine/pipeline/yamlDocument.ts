// YAML for pipeline files: parse any text (half-typed, multi-document, CRLF, tabs, anchors, flow style)
// into the `yaml` package's Documents without ever throwing, and map a scalar's VALUE back to the
// document, character by character, so that a finding inside an embedded script lands on the exact
// source characters even across folded lines, escapes and block indentation.
//
// The decoders below mirror the `yaml` package's own (compose/resolve-flow-scalar.js and
// resolve-block-scalar.js, yaml 2.x) step by step, recording where each produced character comes from.
// A result whose text differs from `scalar.value` (a case this mirror does not know) is never returned
// as exact: it falls back to the loader's value with an `opaqueSpan` over the whole scalar.
//
// Nothing here recurses on the input: the helpers walk one level at a time, and the `yaml` composer
// itself turns a stack overflow on absurd nesting (`[[[[…`) into a RESOURCE_EXHAUSTION error.
import { Alias, Composer, visit, isAlias as yamlIsAlias, isMap as yamlIsMap, isPair as yamlIsPair, isScalar as yamlIsScalar, isSeq as yamlIsSeq, LineCounter, Parser, Scalar, YAMLParseError, type Document, type Node, type Pair, type YAMLError, type YAMLMap, type YAMLSeq } from 'yaml';
import type { CST } from 'yaml';
import type { TextDocument } from '../text';
import type { MappedText } from '../shell/runScript';

// yaml's node checks, bound once. In the bundles a CommonJS package's exports are read through a getter
// on every access (the bundler's ES-module interop), and these run for nearly every node a rule looks at:
// about 1 % of a CLI run on the workflow corpus went to those getters. The rest of the engine takes them from here.
export const isAlias = yamlIsAlias;
export const isMap = yamlIsMap;
export const isPair = yamlIsPair;
export const isScalar = yamlIsScalar;
export const isSeq = yamlIsSeq;

export interface ParsedYaml {
  /** Every document of the stream (an empty text gives none). */
  documents: Document.Parsed[];
  /** Parse errors of all documents, in order; the documents are still usable (yaml recovers). */
  errors: YAMLError[];
  lineCounter: LineCounter;
  /** Every comment of the stream (`# …`), in document order: offset of the `#` and the text after it. */
  comments: Array<{ offset: number; text: string }>;
}

/**
 * Deepest collection nesting accepted. The `yaml` composer recurses once per level; at the stack's
 * end it usually turns the overflow into an error, but an overflow that strikes while V8 compiles a
 * regular expression aborts the whole process (seen with `[[[[…` 10,000 deep under node:test). Real
 * pipelines nest a few dozen levels; deeper input is refused before the composer sees it.
 */
export const MAX_NESTING = 200;

/** Parses YAML without throwing; errors are kept, and a failure of the parser itself gives no documents. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // yaml's errors are Errors, each capturing a stack trace nobody reads: with ~20 errors per broken
  // document that was about 40% of parsing it. Restored in finally (the catch below reads only messages).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // The CST parser keeps its own stack (no recursion); the composer is run only on shallow enough trees.
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
    for (const token of tokens) {
      const deepest = nestingOf(token);
      if (deepest.depth > MAX_NESTING) {
        const error = new YAMLParseError([deepest.offset, deepest.offset + 1], 'RESOURCE_EXHAUSTION', `Collections nested deeper than ${MAX_NESTING} levels are not read`);
        return { documents: [], errors: [error], lineCounter, comments: [] };
      }
    }
    const composer = new Composer({
      keepSourceTokens: true,
      // Pipelines repeat keys in practice (templates, merges); a duplicate is the platform's problem.
      uniqueKeys: false,
      strict: false,
    });
    const documents = Array.from(composer.compose(tokens, true, text.length));
    const errors = documents.flatMap((document) => document.errors);
    const comments = commentsOf(tokens);
    for (const document of documents) nodeIndexOf(document);
    return { documents, errors, lineCounter, comments };
  } catch (error) {
    // Not expected (yaml reports errors on the documents), but a linter must survive any input.
    const message = error instanceof Error ? error.message : String(error);
    return { documents: [], errors: [new YAMLParseError([0, 0], 'IMPOSSIBLE', message)], lineCounter, comments: [] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The comments of the CST (suppression pragmas live there), collected with a stack: comments stand in
 * the source-token lists around items (`start`, `sep`, `end`), in a document's `start`/`end`, and
 * between documents.
 */
function commentsOf(tokens: readonly CST.Token[]): ParsedYaml['comments'] {
  const comments: ParsedYaml['comments'] = [];
  const collect = (list: ReadonlyArray<CST.Token | CST.SourceToken> | undefined): void => {
    for (const token of list ?? []) if (token.type === 'comment') comments.push({ offset: token.offset, text: token.source.replace(/^#/, '') });
  };
  const stack: Array<CST.Token | undefined> = [...tokens].reverse();
  while (stack.length > 0) {
    const token = stack.pop();
    if (!token) continue;
    switch (token.type) {
      case 'comment':
        comments.push({ offset: token.offset, text: token.source.replace(/^#/, '') });
        break;
      case 'document':
        collect(token.start);
        stack.push(token.value);
        collect(token.end);
        break;
      case 'doc-end':
        collect(token.end);
        break;
      case 'block-scalar':
        collect(token.props);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (token.type === 'flow-collection') collect(token.end);
        for (const item of token.items as Array<{ start: CST.SourceToken[]; key?: CST.Token | null; sep?: CST.SourceToken[]; value?: CST.Token }>) {
          collect(item.start);
          collect(item.sep);
          if (item.key) stack.push(item.key);
          if (item.value) stack.push(item.value);
        }
        break;
      default:
        if ('end' in token && Array.isArray(token.end)) collect(token.end as CST.SourceToken[]);
        break;
    }
  }
  return comments.sort((a, b) => a.offset - b.offset);
}

/** The deepest collection nesting of a CST token, measured with a stack, and where it is. */
function nestingOf(root: CST.Token): { depth: number; offset: number } {
  let deepest = { depth: 0, offset: 0 };
  const stack: Array<{ token: CST.Token | undefined; depth: number }> = [{ token: root, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (depth > deepest.depth) deepest = { depth, offset: (token as { offset?: number }).offset ?? 0 };
    if (deepest.depth > MAX_NESTING) break;
    switch (token.type) {
      case 'document':
        stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        for (const item of token.items as Array<{ key?: CST.Token | null; value?: CST.Token }>) {
          if (item.key) stack.push({ token: item.key, depth: depth + 1 });
          if (item.value) stack.push({ token: item.value, depth: depth + 1 });
        }
        break;
      default:
        break;
    }
  }
  return deepest;
}

// ---------------------------------------------------------------------------------------------------
// Node helpers (one level at a time; no recursion on the input)

export type YamlNode = Node | null | undefined;

/** Follows an alias to the node it names (an alias of an alias too, with a bound). */
export function resolveNode(document: Document, node: unknown): YamlNode {
  let current: unknown = node;
  for (let hops = 0; hops < 16 && isAlias(current); hops++) {
    try {
      const targets = aliasTargetsOf(document);
      current = targets.has(current as Alias) ? targets.get(current as Alias) : (current as Alias).resolve(document);
    } catch {
      return null;
    }
  }
  if (isAlias(current)) return null;
  return (current as YamlNode) ?? null;
}

const aliasTargets = new WeakMap<Document, Map<Alias, unknown>>();

/**
 * Every alias of the document with the node it stands for, found in one walk. `Alias.resolve(document)`
 * walks the whole document on each call: rules that follow aliases (and a cyclic `&a {b: *a}` makes a
 * walk meet the same alias again and again) paid a document walk per step, 0.5–3 s for 30 bytes of YAML.
 * Same answer as the yaml package: the last node anchored with that name before the alias, in document
 * order (a collection comes before its children, so `&a [*a]` stands for itself).
 */
function aliasTargetsOf(document: Document): Map<Alias, unknown> {
  let targets = aliasTargets.get(document);
  if (targets) return targets;
  const found = new Map<Alias, unknown>();
  const anchors = new Map<string, unknown>();
  visit(document, {
    Node: (_key, node) => {
      if (isAlias(node)) found.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  targets = found;
  aliasTargets.set(document, targets);
  return targets;
}

/** The key of a pair as a plain string (scalar keys only). */
export function keyString(pair: Pair): string | null {
  const key = pair.key;
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return null;
}

/** The pair of a mapping whose key is `key` (the last one, as the loaders keep the last duplicate). */
export function pairOf(map: YAMLMap, key: string, caseInsensitive = false): Pair | null {
  if (map.items.length > INDEXED_MAP_SIZE) {
    const index = keyIndexOf(map, caseInsensitive);
    return index.get(caseInsensitive ? key.toLowerCase() : key) ?? null;
  }
  let found: Pair | null = null;
  const wanted = caseInsensitive ? key.toLowerCase() : key;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const name = keyString(item);
    if (name === null) continue;
    if ((caseInsensitive ? name.toLowerCase() : name) === wanted) found = item;
  }
  return found;
}

/**
 * Mappings with more pairs than this get a key index on their first lookup (rules ask a job's or a
 * workflow's mapping for many keys); smaller ones are scanned, which is cheaper than building a Map.
 */
const INDEXED_MAP_SIZE = 8;
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
const caseInsensitiveKeyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pairs of a mapping by key (the last duplicate wins, as in `pairOf`'s scan). Parsed documents never change. */
function keyIndexOf(map: YAMLMap, caseInsensitive: boolean): Map<string, Pair> {
  const indexes = caseInsensitive ? caseInsensitiveKeyIndexes : keyIndexes;
  let index = indexes.get(map);
  if (index) return index;
  index = new Map();
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const name = keyString(item);
    if (name !== null) index.set(caseInsensitive ? name.toLowerCase() : name, item);
  }
  indexes.set(map, index);
  return index;
}

/** The value node of `map[key]`, aliases resolved. */
export function valueOf(document: Document, map: unknown, key: string, caseInsensitive = false): YamlNode {
  const resolved = resolveNode(document, map);
  if (!isMap(resolved)) return null;
  const pair = pairOf(resolved, key, caseInsensitive);
  return pair ? resolveNode(document, pair.value) : null;
}

/** The pairs of a mapping, aliases resolved (`<<` merge keys are not expanded). */
export function pairsOf(document: Document, node: unknown): Array<{ key: string; keyNode: Node | null; value: YamlNode; pair: Pair }> {
  const resolved = resolveNode(document, node);
  if (!isMap(resolved)) return [];
  const result: Array<{ key: string; keyNode: Node | null; value: YamlNode; pair: Pair }> = [];
  for (const item of resolved.items) {
    if (!isPair(item)) continue;
    const key = keyString(item);
    if (key === null) continue;
    result.push({ key, keyNode: (item.key as Node | null) ?? null, value: resolveNode(document, item.value), pair: item });
  }
  return result;
}

/** How many levels of `<<` inside merged mappings are followed (a cycle `&a {<<: *a}` stops too). */
const MAX_MERGE_DEPTH = 16;

/**
 * The pairs of a mapping with YAML 1.1 merge keys (`<<: *base`, `<<: [*a, *b]`) expanded, as GitLab's
 * loader reads them: the mapping's own keys win (the last of duplicates), then each merged mapping's
 * keys in order, an earlier source before a later one, each key once. A merged pair is the anchored
 * mapping's own pair, so its ranges are where that text is written (once, however many mappings merge
 * it). Only where the platform honours `<<` (GitLab): `pairsOf` leaves it alone, as GitHub Actions
 * and Azure Pipelines do not merge.
 */
export function mergedPairsOf(document: Document, node: unknown): Array<{ key: string; keyNode: Node | null; value: YamlNode; pair: Pair }> {
  const result: Array<{ key: string; keyNode: Node | null; value: YamlNode; pair: Pair }> = [];
  const seen = new Set<string>();
  const visited = new Set<unknown>();
  // Depth first, in order: the mapping's own pairs (the last duplicate wins), then each source fully
  // (its own pairs, then its sources) before the next source, as a loader applies `<<: [*a, *b]`.
  const stack: Array<{ node: unknown; depth: number }> = [{ node, depth: 0 }];
  while (stack.length > 0) {
    const { node: candidate, depth } = stack.pop()!;
    const map = resolveNode(document, candidate);
    if (!isMap(map) || visited.has(map) || depth > MAX_MERGE_DEPTH) continue;
    visited.add(map);
    const own = pairsOf(document, map);
    const sources: unknown[] = [];
    const kept: typeof result = [];
    for (let i = own.length - 1; i >= 0; i--) {
      const entry = own[i]!;
      if (entry.key === '<<' && isScalar(entry.pair.key) && (entry.pair.key as Scalar).type === 'PLAIN') {
        sources.unshift(...(isSeq(entry.value) ? (entry.value as YAMLSeq).items : [entry.pair.value]));
        continue;
      }
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      kept.push(entry);
    }
    result.push(...kept.reverse());
    for (let i = sources.length - 1; i >= 0; i--) stack.push({ node: sources[i], depth: depth + 1 });
  }
  return result;
}

/** `map[key]` with merge keys expanded (see mergedPairsOf); aliases resolved. */
export function mergedPairOf(document: Document, map: unknown, key: string): { key: string; keyNode: Node | null; value: YamlNode; pair: Pair } | null {
  return mergedPairsOf(document, map).find((entry) => entry.key === key) ?? null;
}

/** The items of a sequence, aliases resolved; a non-sequence gives none. */
export function itemsOf(document: Document, node: unknown): YamlNode[] {
  const resolved = resolveNode(document, node);
  if (!isSeq(resolved)) return [];
  return (resolved as YAMLSeq).items.map((item) => resolveNode(document, item));
}

/** A scalar's value as a string (numbers and booleans as written); null for collections and null values. */
export function stringOf(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const value = node.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const source = node.source;
  return typeof source === 'string' ? source : String(value);
}

/** `[start, end]` document offsets of a node's value (without trailing comments), or null. */
export function spanOf(node: unknown): [number, number] | null {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [range[0], range[1]] : null;
}

export type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq };

// ---------------------------------------------------------------------------------------------------
// Scalar value with its map back to the document

/**
 * Builds a mapped text character by character. The offsets go into an array made at the size the result
 * can reach (a scalar's value is never more than two characters longer than its source), not grown by
 * `push`: every script of a pipeline passes through here on each lint, and the grown copies were a fifth
 * of what the model allocated.
 */
class Builder {
  text = '';
  readonly offsets: number[];
  /** Offsets written so far. */
  count = 0;
  constructor(sourceLength: number) {
    this.offsets = new Array<number>(sourceLength + 3);
  }
  push(chars: string, offset: number): void {
    for (let i = 0; i < chars.length; i++) this.offsets[this.count++] = offset;
    this.text += chars;
  }
  /** Characters copied from the source, each at its own offset. */
  copy(chars: string, offset: number): void {
    for (let i = 0; i < chars.length; i++) this.offsets[this.count++] = offset + i;
    this.text += chars;
  }
  /** The last offset written, or `fallback` when none was. */
  lastOffset(fallback: number): number {
    return this.count > 0 ? this.offsets[this.count - 1]! : fallback;
  }
  finish(end: number): MappedText {
    this.offsets[this.count++] = end;
    this.offsets.length = this.count;
    return { text: this.text, offsets: this.offsets };
  }
}

/**
 * The scalar's value (what the YAML loader gives: quotes and escapes resolved, lines folded, block
 * indentation removed) with the document offset of each character. Characters that are not in the
 * source (a folded line break's space, a decoded escape) map to the source text that produced them:
 * a line break, the escape's backslash. Non-string plain scalars (`run: 123`) give their source text.
 * Null for aliases, collections and scalars without source tokens (parse with `parseYaml`).
 */
export function scalarText(document: TextDocument, scalar: unknown): MappedText | null {
  if (!isScalar(scalar)) return null;
  // A scalar node belongs to one parse of one text, so its mapped value is kept with it: the model maps
  // every script, and rules map the same scalars again (every `${{ }}` of the file, action inputs).
  // Callers never mutate the result.
  let mapped = mappedScalars.get(scalar);
  if (mapped === undefined) {
    mapped = mapScalar(document, scalar);
    mappedScalars.set(scalar, mapped);
  }
  return mapped;
}

const mappedScalars = new WeakMap<Scalar, MappedText | null>();

function mapScalar(document: TextDocument, scalar: Scalar): MappedText | null {
  const token = (scalar as Scalar & { srcToken?: CST.Token }).srcToken;
  if (!token) return null;
  let mapped: MappedText | null = null;
  try {
    switch (token.type) {
      case 'scalar':
        mapped = plainText(token.source, token.offset);
        break;
      case 'single-quoted-scalar':
        mapped = singleQuotedText(token.source, token.offset);
        break;
      case 'double-quoted-scalar':
        mapped = doubleQuotedText(token.source, token.offset);
        break;
      case 'block-scalar':
        mapped = blockText(token);
        break;
      default:
        return null;
    }
  } catch {
    mapped = null;
  }
  const value = scalar.value;
  const expected = typeof value === 'string' ? value : token.type === 'scalar' ? null : String(value ?? '');
  const fullLength = document.getText().length;
  const inBounds = mapped !== null && mapped.offsets.every((offset) => offset >= 0 && offset <= fullLength);
  if (mapped && inBounds && (expected === null || mapped.text === expected)) return mapped;
  // A mismatch means this mirror of the loader misses a case: keep the loader's text, and report
  // anything inside it on the whole scalar.
  const span = spanOf(scalar) ?? [token.offset, token.offset];
  const start = Math.min(Math.max(span[0], 0), fullLength);
  const end = Math.min(Math.max(span[1], start), fullLength);
  const text = expected ?? mapped?.text ?? '';
  return { text, offsets: new Array<number>(text.length + 1).fill(start), opaqueSpan: [start, end] };
}

/** Plain and single-quoted scalars: lines folded as the loader folds them (`unfoldLines`). */
function unfold(source: string, base: number, out: Builder): void {
  // Split into lines at '\n', an '\r' before it belonging to the line break.
  const lines: Array<{ start: number; end: number; brk: number }> = [];
  let start = 0;
  for (;;) {
    const nl = source.indexOf('\n', start);
    if (nl < 0) break;
    const end = nl > start && source[nl - 1] === '\r' ? nl - 1 : nl;
    lines.push({ start, end, brk: nl });
    start = nl + 1;
  }
  if (lines.length === 0) {
    out.copy(source, base);
    return;
  }
  const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';
  // First line: trailing white space removed.
  const first = lines[0]!;
  let firstEnd = first.end;
  while (firstEnd > first.start && isBlank(source[firstEnd - 1])) firstEnd--;
  out.copy(source.slice(first.start, firstEnd), base + first.start);
  let sep = ' ';
  let sepAt = base + first.brk;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    let s = line.start;
    let e = line.end;
    while (s < e && isBlank(source[s])) s++;
    while (e > s && isBlank(source[e - 1])) e--;
    if (s === e) {
      if (sep === '\n') out.push('\n', base + line.brk);
      else {
        sep = '\n';
        sepAt = base + line.brk;
      }
    } else {
      out.push(sep, sepAt);
      out.copy(source.slice(s, e), base + s);
      sep = ' ';
      sepAt = base + line.brk;
    }
  }
  // Last line: leading white space removed, the rest kept.
  let s = start;
  while (s < source.length && isBlank(source[s])) s++;
  out.push(sep, sepAt);
  out.copy(source.slice(s), base + s);
}

function plainText(source: string, offset: number): MappedText {
  const out = new Builder(source.length);
  unfold(source, offset, out);
  return out.finish(offset + source.length);
}

function singleQuotedText(source: string, offset: number): MappedText {
  const unfolded = new Builder(source.length);
  // The loader slices off the first and last character (the quotes, when the scalar is complete).
  const inner = source.slice(1, -1);
  unfold(inner, offset + 1, unfolded);
  const out = new Builder(source.length);
  const { text, offsets } = unfolded;
  for (let i = 0; i < text.length; i++) {
    out.push(text[i]!, offsets[i]!);
    if (text[i] === "'" && text[i + 1] === "'") i++;
  }
  return out.finish(offset + Math.max(source.length - 1, 0));
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0',
  L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\', '\t': '\t',
};

function doubleQuotedText(source: string, offset: number): MappedText {
  const out = new Builder(source.length);
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i]!;
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      // Fold: one line break becomes a space, n line breaks become n - 1 newlines.
      let folded = false;
      let j = i;
      let next = source[j + 1];
      while (next === ' ' || next === '\t' || next === '\n' || next === '\r') {
        if (next === '\r' && source[j + 2] !== '\n') break;
        if (next === '\n') {
          out.push('\n', offset + j + 1);
          folded = true;
        }
        j += 1;
        next = source[j + 1];
      }
      if (!folded) out.push(' ', offset + i);
      i = j;
    } else if (ch === '\\') {
      const at = i;
      let next = source[++i];
      const code = next === undefined ? undefined : ESCAPES[next];
      if (code) out.push(code, offset + at);
      else if (next === '\n') {
        next = source[i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === '\r' && source[i + 1] === '\n') {
        next = source[++i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const digits = source.substr(i + 1, length);
        const ok = digits.length === length && /^[0-9a-fA-F]+$/.test(digits);
        let decoded: string | null = null;
        try {
          decoded = String.fromCodePoint(ok ? parseInt(digits, 16) : NaN);
        } catch {
          decoded = null;
        }
        if (decoded !== null) out.push(decoded, offset + at);
        else out.copy(source.substr(i - 1, length + 2), offset + i - 1);
        i += length;
      } else {
        out.copy(source.substr(i - 1, 2), offset + i - 1);
      }
    } else if (ch === ' ' || ch === '\t') {
      // White space before a line break is trimmed.
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n')) out.copy(source.slice(wsStart, i + 1), offset + wsStart);
    } else {
      out.copy(ch, offset + i);
    }
  }
  return out.finish(offset + Math.max(source.length - 1, 0));
}

interface BlockHeader {
  mode: string;
  indent: number;
  chomp: string;
  length: number;
}

function blockHeader(token: CST.BlockScalar): BlockHeader | null {
  const first = token.props[0];
  if (!first || first.type !== 'block-scalar-header') return null;
  const source = first.source;
  let indent = 0;
  let chomp = '';
  for (let i = 1; i < source.length; ++i) {
    const ch = source[i]!;
    if (!chomp && (ch === '-' || ch === '+')) chomp = ch;
    else {
      const n = Number(ch);
      if (!indent && n) indent = n;
    }
  }
  let length = source.length;
  for (let i = 1; i < token.props.length; ++i) {
    const prop = token.props[i] as { source?: unknown };
    if (typeof prop.source === 'string') length += prop.source.length;
  }
  return { mode: source[0]!, indent, chomp, length };
}

/** Literal `|` and folded `>` block scalars (mirror of the loader's `resolveBlockScalar`). */
function blockText(token: CST.BlockScalar): MappedText | null {
  const header = blockHeader(token);
  if (!header) return null;
  const folded = header.mode === '>';
  const contentOffset = token.offset + header.length;
  const source = token.source ?? '';
  // Lines as [indent, content] with the document offset of each line's start.
  const lines: Array<{ indent: number; content: string; start: number }> = [];
  {
    let position = 0;
    for (;;) {
      let indent = 0;
      while (source[position + indent] === ' ') indent++;
      const nl = source.indexOf('\n', position + indent);
      const contentEnd = nl < 0 ? source.length : nl;
      lines.push({ indent, content: source.slice(position + indent, contentEnd), start: contentOffset + position });
      if (nl < 0) break;
      position = nl + 1;
    }
  }
  if (!source) lines.length = 0;
  /** Offset of the line break ending line i (or the end of the source). */
  const breakAt = (i: number) => {
    const line = lines[Math.max(0, Math.min(i, lines.length - 1))];
    return line ? line.start + line.indent + line.content.length : contentOffset;
  };
  const out = new Builder(source.length);
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i]!.content;
    if (content === '' || content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    if (header.chomp === '+' && lines.length > 0) {
      const count = Math.max(1, lines.length - 1);
      for (let k = 0; k < count; k++) out.push('\n', breakAt(k));
    }
    return out.finish(contentOffset + source.length);
  }
  let trimIndent = token.indent + header.indent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const { indent, content } = lines[i]!;
    if (content === '' || content === '\r') {
      if (header.indent === 0 && indent > trimIndent) trimIndent = indent;
    } else {
      if (header.indent === 0) trimIndent = indent;
      contentStart = i;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i]!.indent > trimIndent) chompStart = i + 1;
  }
  // Leading empty lines are kept with their extra indentation.
  for (let i = 0; i < contentStart; ++i) {
    const line = lines[i]!;
    if (line.indent > trimIndent) out.copy(' '.repeat(line.indent - trimIndent), line.start + trimIndent);
    out.push('\n', breakAt(i));
  }
  let sep = '';
  let sepAt = 0;
  let prevMoreIndented = false;
  for (let i = contentStart; i < chompStart; ++i) {
    const line = lines[i]!;
    let content = line.content;
    if (content.endsWith('\r')) content = content.slice(0, -1);
    const contentAt = line.start + line.indent;
    // A less-indented line with content is an error; the loader then drops its indentation.
    const indent = content && line.indent < trimIndent ? 0 : line.indent;
    const extra = indent > trimIndent ? indent - trimIndent : 0;
    const extraAt = line.start + trimIndent;
    if (!folded) {
      out.push(sep, sepAt);
      if (extra) out.copy(' '.repeat(extra), extraAt);
      out.copy(content, contentAt);
      sep = '\n';
      sepAt = breakAt(i);
    } else if (indent > trimIndent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      out.push(sep, sepAt);
      if (extra) out.copy(' '.repeat(extra), extraAt);
      out.copy(content, contentAt);
      sep = '\n';
      sepAt = breakAt(i);
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') out.push('\n', breakAt(i));
      else {
        sep = '\n';
        sepAt = breakAt(i);
      }
    } else {
      out.push(sep, sepAt);
      out.copy(content, contentAt);
      sep = ' ';
      sepAt = breakAt(i);
      prevMoreIndented = false;
    }
  }
  const lastContentEnd = breakAt(chompStart - 1);
  switch (header.chomp) {
    case '-':
      break;
    case '+':
      for (let i = chompStart; i < lines.length; ++i) {
        out.push('\n', breakAt(i - 1));
        const line = lines[i]!;
        if (line.indent > trimIndent) out.copy(' '.repeat(line.indent - trimIndent), line.start + trimIndent);
      }
      if (!out.text.endsWith('\n')) out.push('\n', breakAt(lines.length - 1));
      break;
    default:
      out.push('\n', lastContentEnd);
  }
  // The end: just after the last character that came from the source.
  const last = out.lastOffset(contentOffset);
  return out.finish(Math.min(Math.max(last + (out.text.length > 0 ? 1 : 0), lastContentEnd), contentOffset + source.length));
}

/** The document offset range of a mapped text's characters `[start, end)`. */
export function mappedSpan(mapped: MappedText, start: number, end: number): [number, number] {
  if (mapped.opaqueSpan) return mapped.opaqueSpan;
  const from = mapped.offsets[Math.min(start, mapped.offsets.length - 1)] ?? 0;
  const to = end > start ? (mapped.offsets[Math.min(end - 1, mapped.offsets.length - 1)] ?? from) + 1 : from;
  return [from, Math.max(from, to)];
}

/** The default bound on the nodes a walk visits. */
const NODE_LIMIT = 1_000_000;

/** A document's nodes in walk order with their depths, collected once (rules walk each document many times). */
interface NodeIndex {
  nodes: Node[];
  depths: number[];
  maps: YAMLMap[];
}

const nodeIndexes = new WeakMap<Document, NodeIndex>();

/**
 * Parsed documents are never changed by the engine, so one walk serves every rule. parseYaml makes it
 * right after composing, and the walk also lets go of the CST under collections, pairs and aliases:
 * only scalars' source tokens are read (scalarText), and the rest of the CST (every item's indentation,
 * indicator and line-break tokens) was more than half of what a parsed file held on to — copied by each
 * young-generation GC that struck while the file was being linted (45 MB → 26 MB for the workflow corpus).
 */
function nodeIndexOf(document: Document): NodeIndex {
  const cached = nodeIndexes.get(document);
  if (cached) return cached;
  const index: NodeIndex = { nodes: [], depths: [], maps: [] };
  walkNodes(document, NODE_LIMIT, (node, depth) => {
    index.nodes.push(node);
    index.depths.push(depth);
    if (isMap(node)) index.maps.push(node as YAMLMap);
    if (!isScalar(node)) (node as { srcToken?: unknown }).srcToken = undefined;
  }, releasePairToken);
  nodeIndexes.set(document, index);
  return index;
}

function releasePairToken(pair: Pair): void {
  (pair as { srcToken?: unknown }).srcToken = undefined;
}

/**
 * Every node of a document, depth first in source order, without recursion (a stack), keys included.
 * Aliases are visited as aliases (not followed). `limit` bounds the number of nodes visited.
 */
export function forEachNode(document: Document, visit: (node: Node, depth: number) => void, limit = NODE_LIMIT): void {
  if (limit !== NODE_LIMIT) {
    walkNodes(document, limit, visit);
    return;
  }
  const { nodes, depths } = nodeIndexOf(document);
  for (let i = 0; i < nodes.length; i++) visit(nodes[i]!, depths[i]!);
}

/** Every mapping of a document, in walk order (aliases not followed: each mapping once). */
export function mapsOf(document: Document): readonly YAMLMap[] {
  return nodeIndexOf(document).maps;
}

function walkNodes(document: Document, limit: number, visit: (node: Node, depth: number) => void, visitPair?: (pair: Pair) => void): void {
  // Two parallel stacks rather than a {node, depth} object per entry.
  const nodes: unknown[] = [document.contents];
  const depths: number[] = [0];
  let seen = 0;
  while (nodes.length > 0 && seen < limit) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (node === null || node === undefined) continue;
    if (isPair(node)) {
      visitPair?.(node);
      nodes.push(node.value, node.key);
      depths.push(depth, depth);
      continue;
    }
    seen++;
    visit(node as Node, depth);
    if (isMap(node) || isSeq(node)) {
      const items = (node as YAMLMap | YAMLSeq).items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) {
        nodes.push(items[i]);
        depths.push(depth + 1);
      }
    }
  }
}

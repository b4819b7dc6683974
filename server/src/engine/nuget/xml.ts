// XML with positions, for nuget.config. Parsing is @xml-tools/parser (a Chevrotain grammar with error
// recovery, so half-typed documents still give a tree) and @xml-tools/ast (elements and attributes with
// offsets). What this file adds: ranges in the engine's line/character form, decoded attribute values,
// case-insensitive names the way NuGet reads them, comments (for suppression), and the well-formedness
// checks the parser leaves to its callers (closing tag name, duplicate attributes) — NuGet refuses such a
// file at restore, so the editor must say so too.
import type { parse } from '@xml-tools/parser';
import type * as LexerModule from '@xml-tools/parser/lib/lexer';
import type * as ParserModule from '@xml-tools/parser/lib/parser';
import type * as AstModule from '@xml-tools/ast';
import { excerpt } from '../excerpt';
import type { TextDocument } from '../text';
import type { Range } from '../types';

// @xml-tools/ast declares its node types without exporting them; name them through its one function.
type XMLElement = Extract<ReturnType<typeof AstModule.buildAst>['rootElement'], { type: 'XMLElement' }>;

interface XmlTools {
  xmlLexer: typeof LexerModule.xmlLexer;
  xmlParser: typeof ParserModule.xmlParser;
  buildAst: typeof AstModule.buildAst;
}
let loadedXmlTools: XmlTools | undefined;

/**
 * @xml-tools, required on the first nuget.config, not when the engine loads: building the Chevrotain
 * grammar costs every process about 11 MB and 0.1 s of CPU, and most runs (Dockerfiles, pipelines)
 * never parse XML.
 */
function xmlTools(): XmlTools {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loadedXmlTools ??= {
    xmlLexer: (require('@xml-tools/parser/lib/lexer') as typeof LexerModule).xmlLexer,
    xmlParser: (require('@xml-tools/parser/lib/parser') as typeof ParserModule).xmlParser,
    buildAst: (require('@xml-tools/ast') as typeof AstModule).buildAst,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loadedXmlTools;
}
type XMLAttribute = XMLElement['attributes'][number];

export interface XmlAttribute {
  /** Name as written. */
  name: string;
  /** Value with entity and character references decoded; '' when the value is missing. */
  value: string;
  /** Whole `name="value"`. */
  range: Range;
  /** Inside the quotes (an empty range after `=` when the value is missing). */
  valueRange: Range;
  hasValue: boolean;
}

export interface XmlElement {
  /** Name as written; '' for a half-typed `<`. */
  name: string;
  /** Lower-case name: NuGet's element names are case-insensitive. */
  key: string;
  range: Range;
  nameRange: Range;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Decoded text content of a leaf element (trimmed; comments inside it left out), e.g. `<owners>microsoft;nuget</owners>`; '' otherwise. */
  text: string;
  textRange?: Range;
  selfClosing: boolean;
  /** Offsets of the element, for inserting children and siblings. */
  startOffset: number;
  endOffset: number;
  /** Offset just after the opening tag's `>` (for a non-self-closing element). */
  contentStartOffset?: number;
  /** Offset of the closing tag's `</`. */
  closeTagOffset?: number;
  parent?: XmlElement;
  /**
   * Its `<` was lexed outside any markup (not inside a broken tag, where the lexer reads `<` as an error
   * token the parser recovers from): a comment inserted just before it is read as a comment and changes
   * nothing else the lexer sees.
   */
  startsOutsideMarkup: boolean;
}

export interface XmlComment {
  text: string;
  range: Range;
  startOffset: number;
  endOffset: number;
}

export interface XmlProblem {
  message: string;
  range: Range;
  /** Not malformed XML (NuGet reads it) but more than this reader takes: nesting deeper than MAX_DEPTH. */
  readLimit?: true;
}

export interface XmlDocument {
  root?: XmlElement;
  comments: XmlComment[];
  /** The first well-formedness problem (NuGet stops at the first one too); undefined for well-formed XML. */
  problem?: XmlProblem;
  /** Offset just after the `?>` of an XML declaration the file starts with (after a byte-order mark). */
  declarationEnd?: number;
  /**
   * Offset of the first `<!--` that no `-->` follows. The lexer reads it as other markup (`<!…>` on one
   * line is skipped as a DTD declaration) or as errors; a comment inserted after it would end it there.
   */
  unclosedCommentAt?: number;
}

/** Parses `document`. Never throws: parser failures become `problem`. */
export function parseXml(document: TextDocument): XmlDocument {
  const full = document.getText();
  // A UTF-8 byte-order mark is common in Visual Studio-made configs; the parser rejects it before `<?xml`.
  const shift = full.charCodeAt(0) === 0xfeff ? 1 : 0;
  const text = shift ? full.slice(1) : full;
  const rangeOf = (start: number, end: number): Range => ({
    start: document.positionAt(start + shift),
    end: document.positionAt(Math.max(start, end) + shift),
  });
  const lexed = xmlTools().xmlLexer.tokenize(lexerInput(text));
  // Comments come from the lexer, so suppression comments count even when the parser gives up.
  const comments: XmlComment[] = [];
  for (const token of lexed.tokens) {
    if (token.tokenType.name !== 'Comment') continue;
    const end = token.startOffset + token.image.length;
    comments.push({ text: token.image.slice(4, token.image.endsWith('-->') ? -3 : undefined), range: rangeOf(token.startOffset, end), startOffset: token.startOffset + shift, endOffset: end + shift });
  }
  const declarationEnd = declarationEndOf(lexed.tokens);
  // A `<!--` at p is closed by a `-->` starting at p + 4 or later, so the unclosed ones follow the last `-->`.
  const unclosedCommentAt = full.indexOf('<!--', full.lastIndexOf('-->') - 3);
  const outline = {
    comments,
    ...(declarationEnd !== undefined ? { declarationEnd: declarationEnd + shift } : {}),
    ...(unclosedCommentAt >= 0 ? { unclosedCommentAt } : {}),
  };
  let parsed: BoundedParse;
  let ast: ReturnType<typeof AstModule.buildAst>;
  try {
    parsed = boundedParse(lexed);
    ast = xmlTools().buildAst(parsed.cst as Parameters<typeof AstModule.buildAst>[0], parsed.tokenVector);
  } catch (error) {
    return { ...outline, problem: { message: `The XML could not be read: ${excerpt((error as Error).message, 200)}`, range: rangeOf(0, 0) } };
  }

  // Offsets of the `<` the lexer read outside markup (OPEN; inside a tag it reads INVALID_OPEN_INSIDE).
  const markupOpens = new Set<number>();
  for (const token of lexed.tokens) if (token.tokenType.name === 'OPEN') markupOpens.add(token.startOffset);
  // Only the first problem in document order is reported (NuGet stops there too): keep that one as they
  // are found, not a list of all (a hostile file has one per character, 128,000 in 250 KB).
  let first: { offset: number; message: string; end: number; readLimit?: true } | undefined;
  const note = (problem: NonNullable<typeof first>): void => {
    if (!first || problem.offset < first.offset) first = problem;
  };
  if (parsed.tooDeepAt !== undefined) {
    note({
      offset: parsed.tooDeepAt, end: parsed.tooDeepAt + 1, readLimit: true,
      message: `Elements nest more than ${MAX_DEPTH} levels deep here (NuGet's settings nest at most 4): the rest of the file is not checked.`,
    });
  }
  const atOffset = (offset: number): number => (Number.isFinite(offset) ? offset : text.length);
  // The lexer reports its errors in document order: the first is the only one that can come first.
  for (const error of parsed.lexErrors.slice(0, 1)) {
    note({ offset: atOffset(error.offset), end: atOffset(error.offset) + (error.length || 1), message: `Unexpected character ${JSON.stringify(text.charAt(error.offset))}.` });
  }
  for (const error of parsed.parseErrors) {
    const offset = atOffset(error.token.startOffset);
    const tokenEnd = error.token.endOffset;
    const end = tokenEnd !== undefined && Number.isFinite(tokenEnd) ? tokenEnd + 1 : offset;
    note({ offset, end, message: describeParseError(error.message, offset >= text.length) });
  }

  for (const token of parsed.tokenVector) {
    // References the lexer accepts but XML without a DTD does not (System.Xml rejects them, so does NuGet).
    if (token.tokenType.name === 'EntityRef' && !(token.image.slice(1, -1) in NAMED_ENTITIES)) {
      note({ offset: token.startOffset, end: token.startOffset + token.image.length, message: `The entity ${excerpt(token.image)} is not defined: XML without a DTD knows only &amp; &lt; &gt; &quot; &apos; and character references.` });
    }
    if (token.tokenType.name === 'STRING') {
      const bad = /&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][A-Za-z0-9._-]*);)|&([A-Za-z_][A-Za-z0-9._-]*);/g;
      for (let match = bad.exec(token.image); match; match = bad.exec(token.image)) {
        if (match[1] !== undefined && match[1] in NAMED_ENTITIES) continue;
        const at = token.startOffset + match.index;
        const message = match[1] !== undefined
          ? `The entity ${excerpt(match[0])} is not defined: XML without a DTD knows only &amp; &lt; &gt; &quot; &apos; and character references.`
          : 'A bare "&" in an attribute value must be written &amp;.';
        note({ offset: at, end: at + match[0].length, message });
      }
    }
  }

  const convert = (element: XMLElement, parent?: XmlElement): XmlElement => {
    const name = typeof element.name === 'string' ? element.name : '';
    const openName = element.syntax.openName;
    const nameStart = openName ? openName.startOffset : element.position.startOffset;
    const nameEnd = openName ? openName.endOffset + 1 : nameStart;
    const closeName = element.syntax.closeName;
    if (name && closeName && closeName.image !== name) {
      note({ offset: closeName.startOffset, end: closeName.endOffset + 1, message: `The closing tag </${excerpt(closeName.image)}> does not match <${excerpt(name)}>.` });
    }
    const seen = new Set<string>();
    const attributes: XmlAttribute[] = [];
    for (const attribute of element.attributes) {
      const converted = convertAttribute(attribute);
      if (!converted) continue;
      if (seen.has(converted.name)) {
        const key = attribute.syntax.key!;
        note({ offset: key.startOffset, end: key.endOffset + 1, message: `The attribute "${excerpt(converted.name)}" appears twice on <${excerpt(name)}>.` });
      }
      seen.add(converted.name);
      attributes.push(converted);
    }
    const openBody = element.syntax.openBody;
    const closeBody = element.syntax.closeBody;
    let textValue = '';
    let textRange: Range | undefined;
    // The AST leaves entity and character references out of `textContents` (`a&amp;b` reads as "ab"), so a leaf
    // element's content is read from the source, with the comments the lexer found inside it blanked out.
    // Mixed content (text beside child elements) means nothing to NuGet and is not read.
    if (openBody && closeBody && element.syntax.isSelfClosing === false && element.subElements.length === 0) {
      const contentStart = openBody.endOffset + 1;
      const contentEnd = closeBody.startOffset;
      // The text between the comments, each piece with its offset (for the range).
      const pieces: Array<{ at: number; text: string }> = [];
      let at = contentStart;
      // Comments are in document order: from the first one inside the content to the content's end only
      // (a scan of every comment per leaf element is quadratic in a file of commented leaves).
      for (let c = firstCommentFrom(comments, contentStart + shift); c < comments.length; c++) {
        const comment = comments[c]!;
        const from = comment.startOffset - shift;
        if (from >= contentEnd) break;
        if (comment.endOffset - shift > contentEnd) continue;
        pieces.push({ at, text: text.slice(at, from) });
        at = comment.endOffset - shift;
      }
      pieces.push({ at, text: text.slice(at, contentEnd) });
      const joined = pieces.map((p) => p.text).join('');
      const first = pieces.find((p) => p.text.trim() !== '');
      const last = [...pieces].reverse().find((p) => p.text.trim() !== '');
      if (first && last) {
        textValue = decodeXmlText(joined.trim());
        textRange = rangeOf(first.at + first.text.search(/\S/), last.at + last.text.trimEnd().length);
      }
    }
    const converted: XmlElement = {
      name,
      key: name.toLowerCase(),
      range: rangeOf(element.position.startOffset, element.position.endOffset + 1),
      nameRange: rangeOf(nameStart, nameEnd),
      attributes,
      children: [],
      text: textValue,
      ...(textRange ? { textRange } : {}),
      selfClosing: element.syntax.isSelfClosing === true,
      startOffset: element.position.startOffset + shift,
      startsOutsideMarkup: markupOpens.has(element.position.startOffset),
      endOffset: element.position.endOffset + 1 + shift,
      ...(openBody && element.syntax.isSelfClosing === false ? { contentStartOffset: openBody.endOffset + 1 + shift } : {}),
      ...(closeBody ? { closeTagOffset: closeBody.startOffset + shift } : {}),
      ...(parent ? { parent } : {}),
    };
    converted.children = element.subElements.map((child) => convert(child, converted));
    return converted;
  };

  const convertAttribute = (attribute: XMLAttribute): XmlAttribute | undefined => {
    if (typeof attribute.key !== 'string') return undefined;
    const valueToken = attribute.syntax.value;
    const hasValue = typeof attribute.value === 'string' && !!valueToken;
    const valueStart = valueToken ? valueToken.startOffset + 1 : attribute.position.endOffset + 1;
    const valueEnd = valueToken ? valueToken.endOffset : valueStart;
    return {
      name: attribute.key,
      value: hasValue ? decodeXmlText(attribute.value as string) : '',
      range: rangeOf(attribute.position.startOffset, attribute.position.endOffset + 1),
      valueRange: rangeOf(valueStart, valueEnd),
      hasValue,
    };
  };

  const rootElement = ast.rootElement;
  const root = rootElement && rootElement.type === 'XMLElement' ? convert(rootElement) : undefined;
  if (!root && !first) note({ offset: 0, end: 0, message: 'The document has no root element.' });
  return {
    ...(root ? { root } : {}),
    ...outline,
    ...(first ? { problem: { message: first.message, range: rangeOf(first.offset, first.end), ...(first.readLimit ? { readLimit: true as const } : {}) } } : {}),
  };
}

/**
 * Bounds on what the parser reads, because its error recovery costs per error in proportion to the
 * nesting depth (for each one Chevrotain builds an Error with a stack trace, the rule stack and the follow
 * sets of every open rule, and unwinds level by level): 16,000 stray `<?` in a 31 KB file took 0.9 s CPU,
 * 200 of them under 200 open elements 1 s, and past ~300 open elements the recursive parser overflows the
 * stack.
 *   - MAX_DEPTH: an element that would open deeper than this ends the parser's input, and a problem says
 *     so at that element. NuGet's own elements nest at most 4 deep, so no config NuGet means anything by
 *     comes near it; it also keeps the recursion of the parser, @xml-tools/ast and convert far from the
 *     stack's limit.
 *   - MAX_PARSE_ERRORS: the parser's input ends at the error after that many: the tree holds what came
 *     before it. The problem reported is the first one (NuGet stops there too), always before that point;
 *     the other rules check what was read, as on any malformed file.
 * Both are counted by the parser itself (its rule stack and its errors), not guessed from the tokens, and
 * bound the recovery to about MAX_PARSE_ERRORS × MAX_DEPTH steps on top of linear lexing and parsing.
 */
export const MAX_DEPTH = 32;
export const MAX_PARSE_ERRORS = 50;

type Token = ReturnType<typeof parse>['tokenVector'][number];

interface BoundedParse {
  cst: ReturnType<typeof parse>['cst'];
  tokenVector: Token[];
  lexErrors: ReturnType<typeof parse>['lexErrors'];
  parseErrors: ReturnType<typeof parse>['parseErrors'];
  /** Offset (in the parsed text) of the first element that opens deeper than MAX_DEPTH. */
  tooDeepAt?: number;
}

/** Thrown from inside the parser when a bound is reached; the input is cut before `token`. */
class ParseLimit {
  constructor(readonly token: Token, readonly tooDeep: boolean) {}
}

/** @xml-tools/parser's parse() after its lexer (its one parser instance), within MAX_DEPTH and MAX_PARSE_ERRORS. */
function boundedParse(lexed: { tokens: Token[]; errors: BoundedParse['lexErrors'] }): BoundedParse {
  let input = lexed.tokens;
  let tooDeepAt: number | undefined;
  let maxErrors = MAX_PARSE_ERRORS;
  // Chevrotain captures a stack trace for every recognition error (twice: Error() and
  // captureStackTrace) that nothing reads; without it recovery costs about a third less.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // At most three passes: a cut input is parsed the same way up to the cut, where it ends; errors at
    // the end (closing what is open) are bounded by the depth, so a pass after a cut counts none.
    for (;;) {
      try {
        const cst = runParser(input, maxErrors);
        return { cst, tokenVector: lexed.tokens, lexErrors: lexed.errors, parseErrors: xmlTools().xmlParser.errors, ...(tooDeepAt !== undefined ? { tooDeepAt } : {}) };
      } catch (error) {
        if (!(error instanceof ParseLimit)) throw error;
        const cut = tokenIndex(input, error.token);
        if (error.tooDeep) tooDeepAt ??= error.token.startOffset;
        if (cut >= input.length && maxErrors === Infinity) throw new Error('the parser went past its bounds at the end of the input');
        input = input.slice(0, cut);
        maxErrors = Infinity;
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Chevrotain parser members runParser shadows for one parse (an own property hides the prototype's). */
interface ParserInternals {
  RULE_STACK: unknown[];
  LA(offset: number): Token;
  ruleInvocationStateUpdate(shortName: number, fullName: string, idxInCallingRule: number): void;
}

function runParser(tokens: Token[], maxErrors: number): BoundedParse['cst'] {
  const parser = xmlTools().xmlParser as typeof ParserModule.xmlParser & ParserInternals;
  const prototype = Object.getPrototypeOf(parser) as typeof ParserModule.xmlParser & ParserInternals;
  parser.input = tokens;
  let errors = 0;
  parser.SAVE_ERROR = function saveError(this: typeof parser, error) {
    if (++errors > maxErrors) throw new ParseLimit(error.token, false);
    return prototype.SAVE_ERROR.call(this, error);
  };
  parser.ruleInvocationStateUpdate = function ruleInvocationStateUpdate(this: typeof parser, shortName, fullName, idxInCallingRule) {
    prototype.ruleInvocationStateUpdate.call(this, shortName, fullName, idxInCallingRule);
    // document > element > content > element > …: an element at depth d is rule 2d on the stack.
    if (fullName === 'element' && this.RULE_STACK.length > 2 * MAX_DEPTH) throw new ParseLimit(this.LA(1), true);
  };
  try {
    return parser.document();
  } finally {
    // Back to the prototype's methods: the instance is shared with any other user of the package.
    delete (parser as Partial<typeof parser>).SAVE_ERROR;
    delete (parser as Partial<typeof parser>).ruleInvocationStateUpdate;
  }
}

/**
 * The text the lexer reads. Its Comment pattern (`<!--(.|\r?\n)*?-->`) scans to the end of the text for
 * every `<!--` no `-->` follows, and then fails: 16,000 of them took 1.8 s (quadratic). From the first
 * such `<!--` on, each is written `<!-!` here: the Comment pattern fails at once instead, and every other
 * pattern reads the two alike (`-` and `!` are both no name character inside a tag and both text outside,
 * and the one-line `<!…>` the lexer skips ends at the same `>`). Same length, so offsets are unchanged;
 * only the images of tokens that hold such a `<!--` (inside CDATA or a processing instruction) differ, and
 * parseXml reads text from the source, not from those images.
 */
function lexerInput(text: string): string {
  const unclosed = text.indexOf('<!--', text.lastIndexOf('-->') - 3);
  if (unclosed < 0 || text.indexOf('<!--', unclosed + 4) < 0) return text;
  return text.slice(0, unclosed) + text.slice(unclosed).replaceAll('<!--', '<!-!');
}

/** The end of the `<?xml … ?>` the tokens start with, if they do: after it the lexer reads markup again. */
function declarationEndOf(tokens: readonly Token[]): number | undefined {
  if (tokens[0]?.tokenType.name !== 'XMLDeclOpen' || tokens[0].startOffset !== 0) return undefined;
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType.name;
    if (type === 'SPECIAL_CLOSE') return token.startOffset + token.image.length;
    if (type !== 'Name' && type !== 'EQUALS' && type !== 'STRING') return undefined;
  }
  return undefined;
}

/** Index of the first comment starting at or after `offset` (comments are in ascending order). */
function firstCommentFrom(comments: readonly XmlComment[], offset: number): number {
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (comments[middle]!.startOffset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of `token` in `tokens` (ascending offsets); the length when it is not there (end of input). */
function tokenIndex(tokens: readonly Token[], token: Token): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[middle]!.startOffset < token.startOffset) low = middle + 1;
    else high = middle;
  }
  return low < tokens.length && tokens[low] === token ? low : tokens.length;
}

/**
 * Chevrotain's "Expecting token of type --> X <-- but found --> 'y' <--" in words a user can act on. The
 * token found can be the whole file (a file without `<`): only an excerpt is quoted.
 */
function describeParseError(message: string, atEnd: boolean): string {
  if (atEnd) return 'The XML ends before its elements are closed.';
  const expected = /--> (\w+) <--/.exec(message)?.[1];
  const found = /but found --> '([^']*)' <--/.exec(message)?.[1];
  const words: Record<string, string> = {
    Name: 'a name', STRING: 'a quoted value', EQUALS: '"="', CLOSE: '">"', SLASH_CLOSE: '"/>"', SLASH_OPEN: 'a closing tag', OPEN: '"<"',
  };
  const want = expected ? words[expected] ?? expected : 'something else';
  return found !== undefined ? `Malformed XML: expected ${want} but found ${JSON.stringify(excerpt(found))}.` : `Malformed XML: expected ${want}.`;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else stays as written. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** Escapes text for an attribute value written in double quotes. */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** The attribute named `name` (case-insensitively). */
export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  const wanted = name.toLowerCase();
  return element.attributes.find((a) => a.name.toLowerCase() === wanted);
}

/** Child elements named `name` (case-insensitively). */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  const wanted = name.toLowerCase();
  return element.children.filter((c) => c.key === wanted);
}

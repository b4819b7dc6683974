// XML with positions, for nuget.config. Parsing is @xml-tools/parser (a Chevrotain grammar with error
// recovery, so half-typed documents still give a tree) and @xml-tools/ast (elements and attributes with
// offsets). What this file adds: ranges in the engine's line/character form, decoded attribute values,
// case-insensitive names the way NuGet reads them, comments (for suppression), and the well-formedness
// checks the parser leaves to its callers (closing tag name, duplicate attributes) — NuGet refuses such a
// file at restore, so the editor must say so too.
import { parse } from '@xml-tools/parser';
import { buildAst } from '@xml-tools/ast';
import { excerpt } from '../excerpt';
import type { TextDocument } from '../text';
import type { Range } from '../types';

// @xml-tools/ast declares its node types without exporting them; name them through its one function.
type XMLElement = Extract<ReturnType<typeof buildAst>['rootElement'], { type: 'XMLElement' }>;
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
}

export interface XmlDocument {
  root?: XmlElement;
  comments: XmlComment[];
  /** The first well-formedness problem (NuGet stops at the first one too); undefined for well-formed XML. */
  problem?: XmlProblem;
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
  let parsed: ReturnType<typeof parse>;
  let ast: ReturnType<typeof buildAst>;
  try {
    parsed = parse(text);
    ast = buildAst(parsed.cst as Parameters<typeof buildAst>[0], parsed.tokenVector);
  } catch (error) {
    return { comments: [], problem: { message: `The XML could not be read: ${excerpt((error as Error).message, 200)}`, range: rangeOf(0, 0) } };
  }

  const problems: Array<{ offset: number; message: string; end: number }> = [];
  const atOffset = (offset: number): number => (Number.isFinite(offset) ? offset : text.length);
  for (const error of parsed.lexErrors) {
    problems.push({ offset: atOffset(error.offset), end: atOffset(error.offset) + (error.length || 1), message: `Unexpected character ${JSON.stringify(text.charAt(error.offset))}.` });
  }
  for (const error of parsed.parseErrors) {
    const offset = atOffset(error.token.startOffset);
    const tokenEnd = error.token.endOffset;
    const end = tokenEnd !== undefined && Number.isFinite(tokenEnd) ? tokenEnd + 1 : offset;
    problems.push({ offset, end, message: describeParseError(error.message, offset >= text.length) });
  }

  const comments: XmlComment[] = [];
  for (const token of parsed.tokenVector) {
    // References the lexer accepts but XML without a DTD does not (System.Xml rejects them, so does NuGet).
    if (token.tokenType.name === 'EntityRef' && !(token.image.slice(1, -1) in NAMED_ENTITIES)) {
      problems.push({ offset: token.startOffset, end: token.startOffset + token.image.length, message: `The entity ${excerpt(token.image)} is not defined: XML without a DTD knows only &amp; &lt; &gt; &quot; &apos; and character references.` });
    }
    if (token.tokenType.name === 'STRING') {
      const bad = /&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][A-Za-z0-9._-]*);)|&([A-Za-z_][A-Za-z0-9._-]*);/g;
      for (let match = bad.exec(token.image); match; match = bad.exec(token.image)) {
        if (match[1] !== undefined && match[1] in NAMED_ENTITIES) continue;
        const at = token.startOffset + match.index;
        const message = match[1] !== undefined
          ? `The entity ${excerpt(match[0])} is not defined: XML without a DTD knows only &amp; &lt; &gt; &quot; &apos; and character references.`
          : 'A bare "&" in an attribute value must be written &amp;.';
        problems.push({ offset: at, end: at + match[0].length, message });
      }
    }
    if (token.tokenType.name !== 'Comment') continue;
    const end = token.startOffset + token.image.length;
    comments.push({ text: token.image.slice(4, token.image.endsWith('-->') ? -3 : undefined), range: rangeOf(token.startOffset, end), startOffset: token.startOffset + shift, endOffset: end + shift });
  }

  const convert = (element: XMLElement, parent?: XmlElement): XmlElement => {
    const name = typeof element.name === 'string' ? element.name : '';
    const openName = element.syntax.openName;
    const nameStart = openName ? openName.startOffset : element.position.startOffset;
    const nameEnd = openName ? openName.endOffset + 1 : nameStart;
    const closeName = element.syntax.closeName;
    if (name && closeName && closeName.image !== name) {
      problems.push({ offset: closeName.startOffset, end: closeName.endOffset + 1, message: `The closing tag </${excerpt(closeName.image)}> does not match <${excerpt(name)}>.` });
    }
    const seen = new Set<string>();
    const attributes: XmlAttribute[] = [];
    for (const attribute of element.attributes) {
      const converted = convertAttribute(attribute);
      if (!converted) continue;
      if (seen.has(converted.name)) {
        const key = attribute.syntax.key!;
        problems.push({ offset: key.startOffset, end: key.endOffset + 1, message: `The attribute "${excerpt(converted.name)}" appears twice on <${excerpt(name)}>.` });
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
      for (const comment of comments) {
        const from = comment.startOffset - shift;
        if (from < contentStart || comment.endOffset - shift > contentEnd) continue;
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
  if (!root && problems.length === 0) problems.push({ offset: 0, end: 0, message: 'The document has no root element.' });
  problems.sort((a, b) => a.offset - b.offset);
  const first = problems[0];
  return {
    ...(root ? { root } : {}),
    comments,
    ...(first ? { problem: { message: first.message, range: rangeOf(first.offset, first.end) } } : {}),
  };
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

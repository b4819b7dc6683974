// Text edits for nuget.config fixes that keep the user's formatting: new elements take the indentation
// and line breaks the file already uses, attributes are edited inside their quotes, and nothing outside
// the touched element is rewritten (comments, attribute order and blank lines stay as they are).
import { indentationOf, lineBreakOf, lineText, type TextDocument } from '../text';
import type { TextEdit } from '../types';
import type { XmlAttribute, XmlElement } from './xml';

/** The file's indentation step: the difference between a child's and its parent's indentation, else two spaces. */
export function indentUnit(document: TextDocument, root: XmlElement | undefined): string {
  const visit = (element: XmlElement): string | undefined => {
    for (const child of element.children) {
      const parentIndent = indentationOf(document, element.range.start.line);
      if (child.range.start.line !== element.range.start.line && startsLine(document, child)) {
        const childIndent = indentationOf(document, child.range.start.line);
        if (childIndent.startsWith(parentIndent) && childIndent.length > parentIndent.length) return childIndent.slice(parentIndent.length);
      }
      const deeper = visit(child);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return (root && visit(root)) ?? '  ';
}

/** Whether only white space stands before the element on its line. */
function startsLine(document: TextDocument, element: XmlElement): boolean {
  const before = document.getText({ start: { line: element.range.start.line, character: 0 }, end: element.range.start });
  return before.trim() === '';
}

/**
 * Indents every line of a multi-line snippet. Snippets are written with `\n` between lines and one tab per
 * nesting level; the tabs become the file's own indentation step.
 */
function indentLines(snippet: string, indent: string, eol: string, unit: string): string {
  return snippet
    .split('\n')
    .map((line) => {
      const depth = /^\t*/.exec(line)![0].length;
      return line ? indent + unit.repeat(depth) + line.slice(depth) : line;
    })
    .join(eol);
}

/**
 * Inserts `snippet` (see `indentLines`) as the first child of
 * `parent`, or the last one with `where: 'last'`. A self-closing parent is opened up.
 */
export function insertChild(document: TextDocument, root: XmlElement | undefined, parent: XmlElement, snippet: string, where: 'first' | 'last' = 'last'): TextEdit {
  const eol = lineBreakOf(document.getText());
  const unit = indentUnit(document, root);
  const parentIndent = indentationOf(document, parent.range.start.line);
  const childIndent = parentIndent + unit;
  const body = indentLines(snippet, childIndent, eol, unit);

  if (parent.selfClosing) {
    // `<packageSources />` → `<packageSources>` + child + `</packageSources>`.
    const open = document.getText(parent.range).replace(/\s*\/>\s*$/, '>');
    return { range: parent.range, newText: `${open}${eol}${body}${eol}${parentIndent}</${parent.name}>` };
  }
  if (where === 'first' && parent.contentStartOffset !== undefined) {
    // On the line after the opening tag, so that comments before the first child (a suppression comment
    // among them) stay with that child.
    const at = document.positionAt(parent.contentStartOffset);
    const anchor = parent.children[0];
    const indent = anchor && anchor.range.start.line > at.line && startsLine(document, anchor) ? indentationOf(document, anchor.range.start.line) : childIndent;
    if (lineText(document, at.line).slice(at.character).trim() === '' && at.line + 1 < document.lineCount) {
      const line = at.line + 1;
      return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indentLines(snippet, indent, eol, unit)}${eol}` };
    }
    return { range: { start: at, end: at }, newText: `${eol}${body}` };
  }
  if (parent.closeTagOffset !== undefined) {
    const close = document.positionAt(parent.closeTagOffset);
    const before = document.getText({ start: { line: close.line, character: 0 }, end: close });
    if (before.trim() === '' && close.line > parent.range.start.line) {
      return { range: { start: { line: close.line, character: 0 }, end: { line: close.line, character: 0 } }, newText: `${body}${eol}` };
    }
    return { range: { start: close, end: close }, newText: `${eol}${body}${eol}${parentIndent}` };
  }
  // A half-typed parent without a closing tag: append after its last content.
  const end = parent.range.end;
  return { range: { start: end, end }, newText: `${eol}${body}` };
}

/** Replaces an attribute's value (inside its quotes). */
export function replaceValue(attribute: XmlAttribute, newValue: string): TextEdit {
  return { range: attribute.valueRange, newText: newValue };
}

/** Removes an attribute together with the white space before it. */
export function removeAttribute(document: TextDocument, attribute: XmlAttribute): TextEdit {
  const start = document.offsetAt(attribute.range.start);
  const text = document.getText();
  let from = start;
  while (from > 0 && /[ \t]/.test(text.charAt(from - 1))) from--;
  return { range: { start: document.positionAt(from), end: attribute.range.end }, newText: '' };
}

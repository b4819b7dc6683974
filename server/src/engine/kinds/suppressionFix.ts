import { indentationOf, lineBreakOf, type TextDocument } from '../text';
import type { Fix } from '../types';

/** The document's line break, looked up once per document (every finding carries a suppression fix). */
const lineBreaks = new WeakMap<TextDocument, string>();

/** "Ignore this rule here": a comment line, indented like the line it stands above. */
export function suppressionCommentFix(document: TextDocument, comment: string, title: string, line: number): Fix {
  let eol = lineBreaks.get(document);
  if (eol === undefined) {
    eol = lineBreakOf(document.getText());
    lineBreaks.set(document, eol);
  }
  // After a byte-order mark, never before it: the mark must stay the file's first character.
  const character = line === 0 && document.getText().charCodeAt(0) === 0xfeff ? 1 : 0;
  return {
    title,
    edits: [{
      range: { start: { line, character }, end: { line, character } },
      newText: `${indentationOf(document, line)}${comment}${eol}`,
    }],
    safeForFixAll: false,
  };
}

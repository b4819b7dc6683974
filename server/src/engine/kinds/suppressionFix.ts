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
  return {
    title,
    edits: [{
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      newText: `${indentationOf(document, line)}${comment}${eol}`,
    }],
    safeForFixAll: false,
  };
}

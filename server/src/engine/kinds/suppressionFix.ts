import { indentationOf, lineBreakOf, type TextDocument } from '../text';
import type { Fix } from '../types';

/** "Ignore this rule here": a comment line, indented like the line it stands above. */
export function suppressionCommentFix(document: TextDocument, comment: string, title: string, line: number): Fix {
  const eol = lineBreakOf(document.getText());
  return {
    title,
    edits: [{
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      newText: `${indentationOf(document, line)}${comment}${eol}`,
    }],
    safeForFixAll: false,
  };
}

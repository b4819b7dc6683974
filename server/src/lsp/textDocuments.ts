// Incremental text sync over vscode-languageserver-textdocument, guarded against its CR/LF bug: in
// 1.0.12 an edit that makes a `\r` and a `\n` meet (inserting `\r` just before a `\n`, `\n` just after
// a `\r`, or deleting what stood between them) leaves the line offsets counting them as two line
// breaks, so every position after it is off by a line. Such an edit is rare (a few per session at
// most); after one, the document is rebuilt from its full text, whose line offsets are right.
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** True when applying `change` to `document` may join or split a CR/LF pair. */
export function touchesLineBreakPair(document: TextDocument, change: TextDocumentContentChangeEvent): boolean {
  if (!('range' in change) || !change.range) return false;
  const text = document.getText();
  const start = document.offsetAt(change.range.start);
  const end = document.offsetAt(change.range.end);
  return (start > 0 && text.charCodeAt(start - 1) === 13 /* \r */)
    || text.charCodeAt(end) === 10 /* \n */
    || change.text.startsWith('\n')
    || change.text.endsWith('\r');
}

/** TextDocument.update, rebuilding the document from its text after an edit the library miscounts. */
export function updateDocument(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
  let rebuild = false;
  let current = document;
  // One change at a time: each range refers to the text after the previous change.
  for (const change of changes) {
    if (!rebuild && touchesLineBreakPair(current, change)) rebuild = true;
    current = TextDocument.update(current, [change], version);
  }
  if (changes.length === 0) current = TextDocument.update(current, [], version);
  return rebuild ? TextDocument.create(current.uri, current.languageId, version, current.getText()) : current;
}

/** For `new TextDocuments(...)`: TextDocument, with the guarded update. */
export const GUARDED_TEXT_DOCUMENTS: TextDocumentsConfiguration<TextDocument> = {
  create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
  update: updateDocument,
};

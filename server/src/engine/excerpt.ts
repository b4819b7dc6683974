// Document text quoted in messages and hovers. A message quotes at most a short excerpt (a file without a
// single `<`, or a symlink named nuget.config that points at a secret, must not land whole in a SARIF
// log); a hover quotes values as code spans that no backtick, bracket or URL in the value can leave.

/** Longest excerpt of document text a message quotes, in characters (code points). */
export const EXCERPT_LENGTH = 40;

/**
 * At most `limit` characters of `text`, cut with an ellipsis. Counts code points, so a cut never splits a
 * surrogate pair.
 */
export function excerpt(text: string, limit = EXCERPT_LENGTH): string {
  // Cheap for huge inputs: only the first limit + 1 code points are ever looked at.
  const head = Array.from(text.slice(0, 2 * limit + 2)).slice(0, limit + 1);
  return head.length <= limit ? text : `${head.slice(0, limit - 1).join('')}…`;
}

/**
 * Markdown inline code showing `text` literally: the fence is one backtick longer than the longest run of
 * backticks inside, and a space pads a value that starts or ends with a backtick (CommonMark strips one).
 * Line breaks become spaces (a blank line would end the span and the paragraph).
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  if (flat === '') return '` `';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

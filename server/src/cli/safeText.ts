// Text output that a linted repository cannot forge. Messages quote document text (a source key, an image
// name) and reports name files whose names the repository chose; printed raw, a line break in them starts
// a new line that CI runners read as a workflow command (GitHub `::error …::`, `::add-mask::`,
// `::stop-commands::`; Azure Pipelines `##vso[…]` anywhere on a line) and an ESC or C1 control drives the
// terminal. Every line the CLI prints for people goes through `safeLine`.
//
// The escapes are for safety, not for a round trip: a backslash in the document is printed as it is.

/**
 * C0 controls (line breaks, ESC, tab), DEL, C1 controls (NEL, CSI), the Unicode line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates that reorder what is shown
 * (Trojan Source, CVE-2021-42574).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unsafe character written as an escape (`\n`, `\x1b`, `\u202e`) and the `#` that opens
 * an Azure Pipelines logging command (`##vso[`, `##[`; the agent finds them anywhere on a line) written
 * as `\x23`. The result holds no line break.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escapeCharacter).replace(/#(?=#(?:vso)?\[)/gi, '\\x23');
}

/**
 * One line of text output: `safeText`, and never starting with `::` (GitHub's runner reads a line as a
 * workflow command when it starts with `::` after leading white space). Lines start with a relative path,
 * so such a line is shown as `./…`, the same path.
 */
export function safeLine(line: string): string {
  const safe = safeText(line);
  return /^\s*::/.test(safe) ? `./${safe}` : safe;
}

/** Several lines (a stack trace), each made safe, joined with line breaks. */
export function safeLines(text: string): string {
  return text.split(/\r?\n/).map(safeLine).join('\n');
}

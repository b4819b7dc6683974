// A JSON document written piece by piece: everything known up front (the SARIF rules, the tool version)
// is written first, then the items of one array as they are produced (one file's findings at a time),
// then the members only known at the end (counts, rule errors). The text is what
// `JSON.stringify(document, null, 2)` would print, so the streamed and the one-shot forms read alike;
// only the members known at the end come after the array instead of before it.

/**
 * JSON.stringify escapes C0 controls but writes DEL, C1 controls (CSI), line separators and bidi overrides
 * as they are; a report shown in a terminal or a CI log (`cat report.sarif`) must not carry them raw.
 * They can only occur inside strings, where `\uXXXX` reads back as the same character; so can the `#`
 * that opens an Azure Pipelines logging command.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `JSON.stringify(value, null, 2)` with those characters escaped as well. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    // The Azure Pipelines agent runs a `##vso[…]` (or `##[…]`) found anywhere on a logged line.
    .replace(/#(?=#(?:vso)?\[)/gi, '\\u0023');
}

/** Stands for the streamed array in the skeleton; never appears in real data (a NUL on both sides). */
const HOLE = '\u0000streamed-array\u0000';

export class StreamedJsonArray {
  private readonly head: string;
  private readonly tail: string;
  /** Indentation of the line holding the array's key. */
  private readonly indent: string;
  private count = 0;

  /**
   * `skeleton(hole)` returns the document with `hole` as the value of the LAST member of its object,
   * so that members added at the end can follow the array.
   */
  constructor(skeleton: (hole: string) => unknown) {
    const text = stringify(skeleton(HOLE));
    const marker = JSON.stringify(HOLE);
    const at = text.indexOf(marker);
    if (at < 0 || text.indexOf(marker, at + 1) >= 0) throw new Error('the skeleton must hold the streamed array exactly once');
    this.head = text.slice(0, at);
    this.tail = text.slice(at + marker.length);
    if (!/^\n *\}/.test(this.tail)) throw new Error('the streamed array must be the last member of its object');
    const lineStart = this.head.lastIndexOf('\n') + 1;
    this.indent = /^ */.exec(this.head.slice(lineStart))![0];
  }

  /** The document up to and including the array's `[`. */
  begin(): string {
    return `${this.head}[`;
  }

  /** One more array item (with the separating comma when needed). */
  item(value: unknown): string {
    const inner = `${this.indent}  `;
    const text = stringify(value).replace(/\n/g, `\n${inner}`);
    return `${this.count++ === 0 ? '\n' : ',\n'}${inner}${text}`;
  }

  /** Items written so far. */
  get length(): number {
    return this.count;
  }

  /** Closes the array, adds `trailing` as the last members of the array's object, and ends the document. */
  end(trailing: Record<string, unknown> = {}): string {
    const close = this.count === 0 ? ']' : `\n${this.indent}]`;
    const members = stringify(trailing).split('\n').slice(1, -1).map((line) => `${this.indent}${line.slice(2)}`);
    return `${close}${members.length > 0 ? `,\n${members.join('\n')}` : ''}${this.tail}\n`;
  }
}

// A JSON document written piece by piece: everything known up front (the SARIF rules, the tool version)
// is written first, then the items of one array as they are produced (one file's findings at a time),
// then the members only known at the end (counts, rule errors). The text is what
// `JSON.stringify(document, null, 2)` would print, so the streamed and the one-shot forms read alike;
// only the members known at the end come after the array instead of before it.

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
    const text = JSON.stringify(skeleton(HOLE), null, 2);
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
    const text = JSON.stringify(value, null, 2).replace(/\n/g, `\n${inner}`);
    return `${this.count++ === 0 ? '\n' : ',\n'}${inner}${text}`;
  }

  /** Items written so far. */
  get length(): number {
    return this.count;
  }

  /** Closes the array, adds `trailing` as the last members of the array's object, and ends the document. */
  end(trailing: Record<string, unknown> = {}): string {
    const close = this.count === 0 ? ']' : `\n${this.indent}]`;
    const members = JSON.stringify(trailing, null, 2).split('\n').slice(1, -1).map((line) => `${this.indent}${line.slice(2)}`);
    return `${close}${members.length > 0 ? `,\n${members.join('\n')}` : ''}${this.tail}\n`;
  }
}

// The script a RUN instruction hands to its shell, with a map from every script character back to its
// offset in the Dockerfile, so findings land on the exact token even across line continuations.
import { JSONInstruction, type Instruction } from 'dockerfile-ast';
import type { TextDocument } from '../text';

export interface MappedText {
  text: string;
  /** Document offset of each character of `text`, plus one entry for the end. */
  offsets: number[];
  /**
   * Set when characters cannot be mapped one by one (a decoded `-EncodedCommand`): every range inside
   * the text is reported as this document span.
   */
  opaqueSpan?: [number, number];
}

/** The shell form: the arguments with escape+newline continuations, and comment lines inside them, removed. */
export function shellFormScript(document: TextDocument, instruction: Instruction, escapeCharacter: string): MappedText | null {
  const range = instruction.getArgumentsRange();
  if (!range) return null;
  const full = document.getText();
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  // The script is the document text with continuations cut out: copied a run at a time (a slice per
  // continuation, not a string per character), and the offsets written into one array of the final
  // size (growing an array by push per character was a fifth of what re-linting a long file allocated).
  const runs: number[] = [];
  let runStart = start;
  let i = start;
  const keep = (until: number): void => {
    if (until > runStart) runs.push(runStart, until);
  };
  while (i < end) {
    // Only an escape character can start a continuation: jump to the next one.
    const next = full.indexOf(escapeCharacter, i);
    if (next < 0 || next >= end) break;
    i = next;
    // escape, optional trailing white space, newline: a continuation, removed by Docker.
    let j = i + 1;
    while (j < end && (full[j] === ' ' || full[j] === '\t')) j++;
    if (j < full.length && (full[j] === '\n' || full[j] === '\r')) {
      j += full[j] === '\r' && full[j + 1] === '\n' ? 2 : 1;
      // Following comment lines and empty lines belong to no command (Docker drops them).
      for (;;) {
        let k = j;
        while (k < end && (full[k] === ' ' || full[k] === '\t')) k++;
        if (k < end && full[k] === '#') {
          while (k < end && full[k] !== '\n') k++;
          j = k + 1;
        } else if (k < end && (full[k] === '\n' || full[k] === '\r')) {
          j = k + (full[k] === '\r' && full[k + 1] === '\n' ? 2 : 1);
        } else {
          break;
        }
      }
      keep(i);
      runStart = Math.min(j, end);
      i = runStart;
      continue;
    }
    // An escape that continues nothing is text (the next character may still be an escape that does).
    i++;
  }
  keep(end);
  let length = 0;
  for (let r = 0; r < runs.length; r += 2) length += runs[r + 1]! - runs[r]!;
  const offsets = new Array<number>(length + 1);
  const parts: string[] = [];
  let at = 0;
  for (let r = 0; r < runs.length; r += 2) {
    parts.push(full.slice(runs[r]!, runs[r + 1]!));
    for (let k = runs[r]!; k < runs[r + 1]!; k++) offsets[at++] = k;
  }
  offsets[length] = end;
  return { text: parts.join(''), offsets };
}

/** The JSON (exec) form's strings, decoded from the document (JSON escapes), each with its offsets. */
export function jsonFormArguments(document: TextDocument, instruction: Instruction): MappedText[] | null {
  if (!(instruction instanceof JSONInstruction) || !instruction.getOpeningBracket()) return null;
  const strings = instruction.getJSONStrings();
  if (strings.length === 0) return null;
  const full = document.getText();
  return strings.map((argument) => {
    const start = document.offsetAt(argument.getRange().start);
    const end = document.offsetAt(argument.getRange().end);
    let text = '';
    const offsets: number[] = [];
    // Skip the opening quote; stop before the closing one.
    let i = full[start] === '"' ? start + 1 : start;
    const stop = full[end - 1] === '"' && end - 1 > start ? end - 1 : end;
    while (i < stop) {
      let ch = full[i]!;
      const at = i;
      if (ch === '\\' && i + 1 < stop) {
        const next = full[i + 1]!;
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (next in simple) {
          ch = simple[next]!;
          i += 2;
        } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(full.slice(i + 2, i + 6))) {
          ch = String.fromCharCode(parseInt(full.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          i++;
        }
      } else {
        i++;
      }
      text += ch;
      offsets.push(at);
    }
    offsets.push(stop);
    return { text, offsets };
  });
}

/** Joins mapped texts with a separator whose characters map to the start of the following part. */
export function joinMapped(parts: MappedText[], separator = ' '): MappedText {
  let length = 0;
  parts.forEach((part, index) => { length += part.text.length + (index > 0 ? separator.length : 0); });
  const offsets = new Array<number>(length + 1);
  let at = 0;
  parts.forEach((part, index) => {
    if (index > 0) for (let s = 0; s < separator.length; s++) offsets[at++] = part.offsets[0] ?? 0;
    for (let i = 0; i < part.text.length; i++) offsets[at++] = part.offsets[i]!;
  });
  offsets[length] = parts.length > 0 ? parts[parts.length - 1]!.offsets[parts[parts.length - 1]!.text.length]! : 0;
  return { text: parts.map((part) => part.text).join(separator), offsets };
}

/** A sub-range of a mapped text (e.g. the inside of a quoted argument) as its own mapped text. */
export function sliceMapped(mapped: MappedText, start: number, end: number, value?: string): MappedText {
  const text = value ?? mapped.text.slice(start, end);
  const last = mapped.offsets.length - 1;
  const endOffset = mapped.offsets[Math.min(end, last)] ?? 0;
  // Character for character (no decoded value shorter or longer than the range): a copy of the range.
  if (text.length === end - start && start >= 0 && end - 1 <= last) {
    const offsets = mapped.offsets.slice(start, end);
    offsets.push(endOffset);
    return { text, offsets };
  }
  const offsets = new Array<number>(text.length + 1);
  for (let i = 0; i < text.length; i++) offsets[i] = mapped.offsets[Math.min(start + i, end - 1, last)] ?? 0;
  offsets[text.length] = endOffset;
  return { text, offsets };
}

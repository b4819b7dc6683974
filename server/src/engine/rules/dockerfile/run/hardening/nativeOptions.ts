// Command lines of native programs (curl, npm, pip, choco, nuget.exe, dism, reg…) split into options and
// operands, the way each program's own parser does: GNU clusters (`-kfsSL`), `--name=value`, Windows
// `/name:value`, chocolatey's and nuget.exe's one-dash long options. Knowing which options take a value is
// what keeps `--source x` from looking like a package called `x`.
import type { ShellToken } from '../../../../shell/types';
import { programArguments } from './tokens';

export interface OptionSyntax {
  /** Options that take a value when it is not written inline (`-o file`, `--source x`); names without dashes. */
  valueOptions: readonly string[];
  /**
   * Windows conventions: `/name` options, names compared case-insensitively, `:` or `=` before an inline
   * value, and long names after a single dash (`-version 1.0`), so there are no short-flag clusters.
   */
  windows?: boolean;
  /** Long names after a single dash without the rest of the Windows conventions (chocolatey, nuget.exe). */
  singleDashLong?: boolean;
}

export interface NativeOption {
  /** The token that holds the option (for a GNU cluster such as `-kfsSL`, the whole cluster). */
  token: ShellToken;
  /** Name without dashes or slash; lower-cased for case-insensitive programs. */
  name: string;
  /** The value: inline (`--x=v`, `/x:v`, the rest of a cluster) or the next token for a value option. */
  value?: ShellToken;
}

export class CommandLine {
  constructor(readonly options: readonly NativeOption[], readonly operands: readonly ShellToken[], private readonly caseInsensitive: boolean) {}

  /** The first option with one of these names (compare with dashes removed: `insecure`, `k`). */
  find(...names: string[]): NativeOption | undefined {
    const wanted = new Set(names.map((n) => (this.caseInsensitive ? n.toLowerCase() : n)));
    return this.options.find((o) => wanted.has(o.name));
  }

  findAll(...names: string[]): NativeOption[] {
    const wanted = new Set(names.map((n) => (this.caseInsensitive ? n.toLowerCase() : n)));
    return this.options.filter((o) => wanted.has(o.name));
  }

  /** Operand values, lower-cased: `['config', 'set', 'strict-ssl', 'false']`. */
  words(): string[] {
    return this.operands.map((t) => t.value.toLowerCase());
  }
}

export function parseCommandLine(args: readonly ShellToken[], syntax: OptionSyntax): CommandLine {
  const windows = syntax.windows === true;
  const longAfterOneDash = windows || syntax.singleDashLong === true;
  const normalize = (name: string) => (windows || longAfterOneDash ? name.toLowerCase() : name);
  const valueOptions = new Set(syntax.valueOptions.map(normalize));
  const options: NativeOption[] = [];
  const operands: ShellToken[] = [];
  const list = programArguments(args);
  let endOfOptions = false;
  for (let i = 0; i < list.length; i++) {
    const token = list[i]!;
    const text = token.value;
    if (endOfOptions || !isOptionText(text, windows)) {
      operands.push(token);
      continue;
    }
    if (text === '--') {
      endOfOptions = true;
      continue;
    }
    const takeNext = (): ShellToken | undefined => (i + 1 < list.length ? list[++i] : undefined);
    if (text.startsWith('-') && !text.startsWith('--') && !longAfterOneDash) {
      i = readCluster(token, list, i, valueOptions, options);
      continue;
    }
    const body = text.replace(/^(--?|\/)/, '');
    const separator = inlineSeparator(body, windows);
    const name = normalize(separator >= 0 ? body.slice(0, separator) : body);
    if (separator >= 0) {
      options.push({ token, name, value: slice(token, text.length - body.length + separator + 1) });
    } else {
      const value = valueOptions.has(name) ? takeNext() : undefined;
      options.push(value ? { token, name, value } : { token, name });
    }
  }
  return new CommandLine(options, operands, windows || longAfterOneDash);
}

function isOptionText(text: string, windows: boolean): boolean {
  if (text === '--') return true;
  if (/^-[^\d\s]/.test(text) || /^--\S/.test(text)) return true;
  return windows && /^\/[A-Za-z?]/.test(text);
}

/** `=` (GNU, chocolatey), and for Windows tools also `:` (`/featurename:X`, `/p:A=B`): whichever comes first. */
function inlineSeparator(body: string, windows: boolean): number {
  const equals = body.indexOf('=');
  const colon = windows ? body.indexOf(':') : -1;
  if (equals < 0) return colon;
  if (colon < 0) return equals;
  return Math.min(equals, colon);
}

/** `-kfsSL`: one option per letter; a letter that takes a value takes the rest of the cluster or the next token. */
function readCluster(token: ShellToken, list: readonly ShellToken[], index: number, valueOptions: ReadonlySet<string>, out: NativeOption[]): number {
  const letters = token.value.slice(1);
  for (let k = 0; k < letters.length; k++) {
    const name = letters[k]!;
    if (!valueOptions.has(name)) {
      out.push({ token, name });
      continue;
    }
    if (k + 1 < letters.length) {
      out.push({ token, name, value: slice(token, k + 2) });
      return index;
    }
    const next = list[index + 1];
    out.push(next ? { token, name, value: next } : { token, name });
    return next ? index + 1 : index;
  }
  return index;
}

/** The part of a token's value from `offset` on, as a token pointing at the same place in the document. */
function slice(token: ShellToken, offset: number): ShellToken {
  const value = token.value.slice(offset);
  // Quotes and escapes make value and raw offsets differ; then the whole token is the best range there is.
  const sameText = token.raw === token.value;
  return { kind: 'word', raw: sameText ? token.raw.slice(offset) : token.raw, value, start: sameText ? token.start + offset : token.start, end: token.end };
}

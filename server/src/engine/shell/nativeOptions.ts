// Command lines of native programs (curl, wget, npm, pip, choco, nuget.exe, gpg, sha256sum, dism, reg…)
// split into options and operands the way each program's own parser does: GNU clusters (`-kfsSL`,
// `-fSLo file`), `--name=value`, Windows `/name:value`, and chocolatey's and nuget.exe's one-dash long
// options. Knowing which options take a value is what keeps `--source x` from looking like a package
// called `x`, and `-o file` from looking like a URL. Redirections (`> file`, `2>&1`) are kept apart.
import type { ShellCommand, ShellToken } from './types';

export interface OptionSyntax {
  /**
   * Options that take a value when it is not written inline; names without dashes. Single letters are
   * short options (`o` reads `-o file`, `-ofile` and `-fsSLo file`), longer names long ones.
   */
  valueOptions?: readonly string[];
  /**
   * Windows conventions: `/name` options, names compared case-insensitively, `:` or `=` before an inline
   * value, and long names after a single dash (`-version 1.0`), so there are no short-option clusters.
   */
  windows?: boolean;
  /** Long names after a single dash without the rest of the Windows conventions (chocolatey, nuget.exe). */
  singleDashLong?: boolean;
}

export interface NativeOption {
  /** The token that holds the option (for a GNU cluster such as `-kfsSL`, the whole cluster). */
  token: ShellToken;
  /** Name without dashes or slash; lower-cased for long names and for case-insensitive programs. */
  name: string;
  /** The value: inline (`--x=v`, `/x:v`, the rest of a cluster) or the next token for a value option. */
  value?: ShellToken;
}

export interface Redirection {
  operator: ShellToken;
  /** The file redirected to or from; null for `2>&1`-style operators. */
  target: ShellToken | null;
}

export class CommandLine {
  constructor(
    readonly options: readonly NativeOption[],
    readonly operands: readonly ShellToken[],
    readonly redirections: readonly Redirection[],
    private readonly caseInsensitive: boolean,
  ) {}

  private wanted(names: readonly string[]): Set<string> {
    return new Set(names.map((n) => (this.caseInsensitive || n.length > 1 ? n.toLowerCase() : n)));
  }

  /** The first option with one of these names (compare with dashes removed: `insecure`, `k`). */
  find(...names: string[]): NativeOption | undefined {
    const wanted = this.wanted(names);
    return this.options.find((o) => wanted.has(o.name));
  }

  findAll(...names: string[]): NativeOption[] {
    const wanted = this.wanted(names);
    return this.options.filter((o) => wanted.has(o.name));
  }

  has(...names: string[]): boolean {
    return this.find(...names) !== undefined;
  }

  /** The values of the given options, in order. */
  values(...names: string[]): ShellToken[] {
    return this.findAll(...names).map((o) => o.value).filter((v): v is ShellToken => v !== undefined);
  }

  /** Operand values, lower-cased: `['config', 'set', 'strict-ssl', 'false']`. */
  words(): string[] {
    return this.operands.map((t) => t.value.toLowerCase());
  }
}

/** A redirection operator (`>`, `2>&1`, `>>`, `<`), whose target is not an argument of the command. */
function isRedirection(token: ShellToken): boolean {
  return token.kind === 'operator' && /[<>]/.test(token.value);
}

/** The arguments a program receives: redirections and their targets removed. */
export function programArguments(args: readonly ShellToken[]): ShellToken[] {
  return splitRedirections(args).args;
}

function splitRedirections(args: readonly ShellToken[]): { args: ShellToken[]; redirections: Redirection[] } {
  const out: ShellToken[] = [];
  const redirections: Redirection[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (isRedirection(arg)) {
      // `2>&1` carries its target; `> file` takes the next token.
      const attached = /&\d$/.test(arg.value);
      redirections.push({ operator: arg, target: attached ? null : args[i + 1] ?? null });
      if (!attached) i++;
      continue;
    }
    out.push(arg);
  }
  return { args: out, redirections };
}

export function parseCommandLine(source: ShellCommand | readonly ShellToken[], syntax: OptionSyntax = {}): CommandLine {
  const windows = syntax.windows === true;
  const longAfterOneDash = windows || syntax.singleDashLong === true;
  const normalize = (name: string) => (windows || longAfterOneDash || name.length > 1 ? name.toLowerCase() : name);
  const valueOptions = new Set((syntax.valueOptions ?? []).map(normalize));
  const options: NativeOption[] = [];
  const operands: ShellToken[] = [];
  const { args: list, redirections } = splitRedirections(Array.isArray(source) ? source : (source as ShellCommand).args);
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
  return new CommandLine(options, operands, redirections, windows || longAfterOneDash);
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
      out.push({ token, name, value: slice(token, k + 2 + (letters[k + 1] === '=' ? 1 : 0)) });
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
  const value = token.value.slice(offset).replace(/^(['"])(.*)\1$/s, '$2');
  // Quotes and escapes make value and raw offsets differ; then find the value in the raw text, or fall back to the whole token.
  if (token.raw === token.value) return { kind: 'word', raw: token.raw.slice(offset), value, start: token.start + offset, end: token.end };
  const at = token.raw.lastIndexOf(token.value.slice(offset));
  return at < 0
    ? { ...token, kind: 'word', value }
    : { kind: 'word', raw: token.value.slice(offset), value, start: token.start + at, end: token.start + at + token.value.length - offset };
}

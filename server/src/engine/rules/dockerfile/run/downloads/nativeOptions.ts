// getopt-style reading of a native program's arguments (curl, wget, gpg, sha256sum, pip, npm, choco):
// clustered short options (`-fsSLo file`), attached values (`-ofile`, `--output=file`, `-s=url`), and the
// positional arguments left over. Works on values, not token kinds: the cmd and PowerShell front ends mark
// `/tmp/x` as a parameter, which for these programs is a path.
import type { ShellCommand, ShellToken } from '../../../../shell/types';

export interface OptionSpec {
  /** Short option letters that take a value: `o` reads `-o file`, `-ofile` and `-fsSLo file`. */
  shortWithValue?: string;
  /** Long option names (without dashes, lower-case) that take a value: `--output file`, `--output=file`. */
  longWithValue?: readonly string[];
  /** Every option is a long one, with one dash or two (`-Source`, `--source`, `-s=x`) as choco and nuget.exe spell them. */
  singleDashLong?: boolean;
}

export interface ParsedOption {
  /** `o`, `O`, `output`: the letter or long name as written (long names lower-cased). */
  name: string;
  flag: ShellToken;
  /** The value, as its own token (a slice of the flag when attached); null for a switch. */
  value: ShellToken | null;
}

export interface ParsedArguments {
  options: ParsedOption[];
  positionals: ShellToken[];
  /** `> file`, `>> file`, `2>&1`: the operator and the token it names. */
  redirections: Array<{ operator: ShellToken; target: ShellToken | null }>;
}

export function parseArguments(command: ShellCommand, spec: OptionSpec): ParsedArguments {
  const shortWithValue = spec.shortWithValue ?? '';
  const longWithValue = new Set(spec.longWithValue ?? []);
  const parsed: ParsedArguments = { options: [], positionals: [], redirections: [] };
  const args = command.args;
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.value;
    if (arg.kind === 'operator') {
      if (/[<>]/.test(value)) {
        const attached = /&\d$/.test(value);
        parsed.redirections.push({ operator: arg, target: attached ? null : args[i + 1] ?? null });
        if (!attached) i++;
      }
      continue;
    }
    if (onlyPositionals || !value.startsWith('-') || value === '-' || arg.kind === 'string') {
      parsed.positionals.push(arg);
      continue;
    }
    if (value === '--') {
      onlyPositionals = true;
      continue;
    }
    const next = args[i + 1];
    const takeNext = (): ShellToken | null => {
      if (!next || next.kind === 'operator') return null;
      i++;
      return next;
    };
    if (value.startsWith('--') || spec.singleDashLong) {
      const [rawName, attached] = splitAttached(value.replace(/^--?/, ''));
      const name = rawName.toLowerCase();
      const valueToken = attached !== undefined ? slice(arg, attached) : longWithValue.has(name) ? takeNext() : null;
      parsed.options.push({ name, flag: arg, value: valueToken });
      continue;
    }
    // A cluster of short options: the first one that takes a value ends it.
    const letters = value.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const letter = letters[k]!;
      if (!shortWithValue.includes(letter)) {
        parsed.options.push({ name: letter, flag: arg, value: null });
        continue;
      }
      const rest = letters.slice(k + 1).replace(/^=/, '');
      parsed.options.push({ name: letter, flag: arg, value: rest !== '' ? slice(arg, rest) : takeNext() });
      break;
    }
  }
  return parsed;
}

/** The values of the given options (by short letter or long name), in order. */
export function optionValues(parsed: ParsedArguments, ...names: string[]): ShellToken[] {
  return parsed.options.filter((o) => names.includes(o.name) && o.value).map((o) => o.value!);
}

export function hasOption(parsed: ParsedArguments, ...names: string[]): boolean {
  return parsed.options.some((o) => names.includes(o.name));
}

/** `name=value`. Not `name:value`: a `:` belongs to URLs and drive letters. */
function splitAttached(text: string): [string, string | undefined] {
  const index = text.indexOf('=');
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/** The attached value of an option as a token of its own, located at the end of the option's text. */
function slice(token: ShellToken, value: string): ShellToken {
  const at = token.raw.lastIndexOf(value);
  const unquoted = value.replace(/^(['"])(.*)\1$/s, '$2');
  if (at < 0) return { ...token, kind: 'word', value: unquoted };
  return { kind: 'word', raw: value, value: unquoted, start: token.start + at, end: token.start + at + value.length };
}

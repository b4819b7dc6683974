// The download rules' view of a native program's command line (curl, wget, gpg, sha256sum, pip, npm,
// choco): a thin adapter over the shared parser in shell/nativeOptions.ts, with value-taking options
// written as the programs document them (`-o`, `--output`).
import { parseCommandLine, type Redirection } from '../../nativeOptions';
import type { ShellCommand, ShellToken } from '../../types';

export interface OptionSpec {
  /** Short option letters that take a value: `o` reads `-o file`, `-ofile` and `-fsSLo file`. */
  shortWithValue?: string;
  /** Long option names (without dashes, lower-case) that take a value: `--output file`, `--output=file`. */
  longWithValue?: readonly string[];
  /** Every option is a long one, with one dash or two (`-Source`, `--source`, `-s=x`) as choco and nuget.exe spell them. */
  singleDashLong?: boolean;
}

export interface ParsedOption {
  /** `o`, `O`, `output`: the letter or long name (long names lower-cased). */
  name: string;
  flag: ShellToken;
  /** The value, as its own token (a slice of the flag when attached); null for a switch. */
  value: ShellToken | null;
}

export interface ParsedArguments {
  options: ParsedOption[];
  positionals: ShellToken[];
  redirections: readonly Redirection[];
}

export function parseArguments(command: ShellCommand, spec: OptionSpec): ParsedArguments {
  const line = parseCommandLine(command, {
    valueOptions: [...(spec.shortWithValue ?? ''), ...(spec.longWithValue ?? [])],
    ...(spec.singleDashLong ? { singleDashLong: true } : {}),
  });
  return {
    options: line.options.map((option) => ({ name: option.name, flag: option.token, value: option.value ?? null })),
    positionals: [...line.operands],
    redirections: line.redirections,
  };
}

/** The values of the given options (by short letter or long name), in order. */
export function optionValues(parsed: ParsedArguments, ...names: string[]): ShellToken[] {
  return parsed.options.filter((o) => names.includes(o.name) && o.value).map((o) => o.value!);
}

export function hasOption(parsed: ParsedArguments, ...names: string[]): boolean {
  return parsed.options.some((o) => names.includes(o.name));
}

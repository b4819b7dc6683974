// Command-line shapes shared by package tools: how pip is reached (`pip3`, `python -m pip`), and the
// `<tool> config set key value` form of npm, pnpm and yarn.
import type { HostedCommand } from '../../scriptHost';
import type { ShellToken } from '../../types';
import { spanOf } from './tokens';

/** Interpreters that run `-m pip`: `python`, `python3.12`, `py` (the Windows launcher), `pypy3`. */
export const PYTHON_INTERPRETER = /^(python\d*(\.\d+)?|py|pypy\d*(\.\d+)?)$/;

/** pip's own arguments for `pip`, `pip3`, `pip3.12`, `python -m pip`, `python3 -m pip`, `py -3 -m pip`, `pypy3 -m pip`; else undefined. */
export function pipArguments(located: HostedCommand): ShellToken[] | undefined {
  if (/^pip\d*(\.\d+)?$/.test(located.name)) return located.command.args;
  if (!PYTHON_INTERPRETER.test(located.name)) return undefined;
  const args = located.command.args;
  const module = args.findIndex((arg, i) => arg.value === '-m' && args[i + 1]?.value.toLowerCase() === 'pip');
  return module >= 0 ? args.slice(module + 2) : undefined;
}

export interface ConfigSetting {
  /** Setting name, lower-case. */
  key: string;
  /** The value token; for `key=value` written as one token, the same token as the key. */
  value: ShellToken | undefined;
  /** Lower-cased value. */
  valueText: string | undefined;
  /** The setting as written, to underline. */
  token: ShellToken;
}

/** `config set key value`, `config set key=value` and npm's `set key value`, from a tool's operands. */
export function configSet(operands: readonly ShellToken[], allowBareSet: boolean): ConfigSetting | undefined {
  const words = operands.map((t) => t.value.toLowerCase());
  const at = words[0] === 'config' && words[1] === 'set' ? 2 : allowBareSet && words[0] === 'set' ? 1 : -1;
  const keyToken = at >= 0 ? operands[at] : undefined;
  if (!keyToken) return undefined;
  const equals = keyToken.value.indexOf('=');
  if (equals > 0) {
    return { key: keyToken.value.slice(0, equals).toLowerCase(), value: keyToken, valueText: keyToken.value.slice(equals + 1).toLowerCase(), token: keyToken };
  }
  const value = operands[at + 1];
  return { key: keyToken.value.toLowerCase(), value, valueText: value?.value.toLowerCase(), token: spanOf(keyToken, value ?? keyToken) };
}

// Where a URL is written: in the command itself, in the format string of `('https://x/{0}' -f $v)`, or —
// when the command names a variable — in the assignment earlier in the script (`$url = '…'`, `url=…`) or
// where the document sets the environment variable (ENV/ARG; a pipeline's `env:`). Rules read the value
// and report or fix at the place it is written.
import type { WrittenValue } from '../../scriptHost';
import type { ShellToken } from '../../types';
import { runsOnWindows, type CommandTree, type PlacedCommand } from './commandTree';
import { assignedVariable, plainValue } from './tokens';

/** A value written literally in the document (see scriptHost.ts). */
export type Literal = WrittenValue;

/** The literal a token stands for, or null when it is computed at build time. */
export function literalBehind(tree: CommandTree, placed: PlacedCommand, token: ShellToken): Literal | null {
  if (token.kind === 'group' && (token.open === '(' || token.open === '$(')) {
    // `('https://x/{0}.zip' -f $env:V)`: the format string is the URL's literal part.
    const first = token.inner?.[0]?.name;
    return first && first.kind === 'string' ? { value: first.value, range: placed.located.rangeOf(first), partial: true } : null;
  }
  const variable = soleVariable(token);
  if (variable === null) return { value: plainValue(token), range: placed.located.rangeOf(token), partial: false };
  const assigned = shellAssignment(tree, placed, variable);
  if (assigned) return assigned;
  // PowerShell's own variables are not environment variables: only `$env:X` comes from ENV/ARG (`env:`).
  const fromEnvironment = placed.located.command.shell === 'posix' || /^env:/i.test(variable);
  return fromEnvironment ? tree.host.environmentValue(placed.run, variable, runsOnWindows(placed)) : null;
}

/** The variable's name when the token is nothing but a reference to it (`$url`, `"${URL}"`, `$env:URL`, `%URL%`). */
function soleVariable(token: ShellToken): string | null {
  const value = token.kind === 'variable' ? token.value : plainValue(token);
  const shell = /^\$\{?((?:env:)?\w+)\}?$/i.exec(value);
  if (shell) return shell[1]!;
  const cmd = /^%(\w+)%$/.exec(value);
  return cmd ? `env:${cmd[1]!}` : null;
}

/** The last `$name = '…'` (PowerShell) or `name=…` (POSIX) before `placed` in its script. */
function shellAssignment(tree: CommandTree, placed: PlacedCommand, variable: string): Literal | null {
  const commands = tree.commandsOf(placed.run);
  for (let i = Math.min(placed.commandIndex, commands.length) - 1; i >= 0; i--) {
    const candidate = commands[i]!;
    const literal = candidate.located.command.shell === 'powershell' ? powerShellAssignment(candidate, variable) : posixAssignment(candidate, variable);
    if (literal) return literal;
  }
  return null;
}

/** `$url = 'https://…'`, `$url = 'https://…' + $path` (partial), `$env:URL = '…'`. */
function powerShellAssignment(placed: PlacedCommand, variable: string): Literal | null {
  const { command } = placed.located;
  const value = command.args[1];
  if (command.name.kind !== 'variable' || assignedVariable(command) !== variable.toLowerCase() || !value) return null;
  if (value.kind !== 'string' && value.kind !== 'word') return null;
  return { value: value.value, range: placed.located.rangeOf(value), partial: command.args.length > 2 };
}

/** `url=https://…` / `url="https://…/${arch}/x"` standing alone (the POSIX front end gives it as the command name). */
function posixAssignment(placed: PlacedCommand, variable: string): Literal | null {
  const { command } = placed.located;
  const match = /^(\w+)=(.*)$/s.exec(command.name.value);
  if (command.shell !== 'posix' || command.args.length > 0 || !match || match[1] !== variable) return null;
  const at = command.name.raw.indexOf('=') + 1;
  const token: ShellToken = { ...command.name, start: command.name.start + at };
  return { value: plainValue({ ...command.name, value: match[2]! }), range: placed.located.rangeOf(token), partial: false };
}

// Reading single tokens and statements the same way in every shell: a value without its quotes, the
// variable a statement assigns, whether a statement reads a variable.
import type { ShellCommand, ShellToken } from '../../types';

/** A token's value without surrounding quotes (the POSIX front end keeps them on words with expansions). */
export function plainValue(token: ShellToken): string {
  // `\"…\"`: quotes escaped for the process command line that hands a Windows RUN to powershell.exe.
  const escaped = /^\\"(.*)\\"$/s.exec(token.raw);
  if (escaped) return escaped[1]!;
  const value = token.value.trim();
  const first = value.charAt(0);
  if (value.length >= 2 && (first === '"' || first === '\'') && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

/** The variable a command's output is stored in: `$x = iwr …`, `$x = (…).Hash`, `x=$(curl …)`. */
export function assignedVariable(command: ShellCommand): string | undefined {
  if (command.assignedTo) return command.assignedTo.toLowerCase();
  const [operator] = command.args;
  if (command.name.kind === 'variable' && operator?.kind === 'operator' && operator.value === '=') {
    return command.name.value.replace(/^\$\{?|\}$/g, '').toLowerCase();
  }
  return undefined;
}

/** Whether the command reads `$variable` (`$x`, `$x.Hash`, `"$x"`, `${x}`) outside its nested groups. */
export function readsVariable(command: ShellCommand, variable: string): boolean {
  const pattern = new RegExp(`\\$\\{?${variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:])`, 'i');
  const tokens = [command.name, ...command.args];
  // `$x = …` assigns rather than reads: skip the target.
  const reading = assignedVariable(command) === variable && command.name.kind === 'variable' ? tokens.slice(2) : tokens;
  return reading.some((token) => token.kind !== 'group' && pattern.test(token.raw));
}


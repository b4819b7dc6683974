// Environment variables a script sets for later commands, in each shell's own syntax (ENV/ARG
// instructions and a pipeline's `env:` are read by the hosts, shell/scriptHost.ts). Some variables switch
// certificate checks off for the tools that read them.
import type { HostedCommand } from '../../scriptHost';
import type { ShellCommand, ShellToken } from '../../types';
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import { parseCommandLine } from '../../nativeOptions';
import { literal, spanOf } from './tokens';
import { typeName } from './powershellExpressions';

export interface EnvironmentAssignment {
  name: string;
  /** The value assigned, or undefined when it is computed (`$x`, `%X%`, an expression). */
  value: string | undefined;
  /** What to underline: the assignment. */
  token: ShellToken;
}

/** Assignments made by one command of a RUN, whichever shell runs it. */
export function environmentAssignments(located: HostedCommand): EnvironmentAssignment[] {
  const command = located.command;
  switch (command.shell) {
    case 'powershell':
      return powershellAssignment(command, located.name);
    case 'cmd':
      return located.name === 'set' ? cmdSet(command) : setx(command, located.name);
    case 'posix':
      return posixAssignments(command, located.name);
  }
}

function powershellAssignment(command: ShellCommand, name: string): EnvironmentAssignment[] {
  if (name === 'setx') return setx(command, name);
  if (['set-item', 'si', 'new-item', 'ni'].includes(name)) return setItemEnv(command);
  const [operator, value] = command.args;
  // `$env:NAME = value` / `${env:NAME} = value`
  const variable = command.name.kind === 'variable' ? /^\$\{?env:([\w.]+)\}?$/i.exec(command.name.value) : null;
  if (variable && operator?.kind === 'operator' && operator.value === '=' && value) {
    return [{ name: variable[1]!, value: literal(value), token: spanOf(command.name, value) }];
  }
  return setEnvironmentVariable(command);
}

/** `[Environment]::SetEnvironmentVariable('NAME', 'value', 'Machine')` */
function setEnvironmentVariable(command: ShellCommand): EnvironmentAssignment[] {
  const [member, call] = command.args;
  if (typeName(command.name) !== 'environment' || member?.value.toLowerCase() !== '::setenvironmentvariable') return [];
  const statement = call?.kind === 'group' ? call.inner?.[0] : undefined;
  if (!call || !statement) return [];
  const [comma, value] = statement.args;
  const name = literal(statement.name);
  if (name === undefined || comma?.value !== ',' || !value) return [];
  return [{ name, value: literal(value), token: spanOf(command.name, call) }];
}

const SET_ITEM: CmdletSpec = { values: ['Path', 'LiteralPath', 'Value', 'Name', 'ItemType'], positional: ['Path', 'Value'] };

/** `Set-Item env:NAME value`, `New-Item -Path env:NAME -Value value` */
function setItemEnv(command: ShellCommand): EnvironmentAssignment[] {
  const bound = bindCmdlet(command, SET_ITEM);
  const path = bound.values('Path')[0] ?? bound.values('LiteralPath')[0];
  const target = /^env:\\?([\w.]+)$/i.exec(literal(path) ?? '');
  const value = bound.values('Value')[0];
  if (!path || !target || !value) return [];
  return [{ name: target[1]!, value: literal(value), token: spanOf(path, value) }];
}

/** `setx NAME value [/M]`: persists the variable for later processes (and later RUN steps, in the image). */
function setx(command: ShellCommand, name: string): EnvironmentAssignment[] {
  if (name !== 'setx') return [];
  const line = parseCommandLine(command.args, { windows: true, valueOptions: ['s', 'u', 'p', 'k', 'f', 'a', 'r', 'd'] });
  const [variable, value] = line.operands;
  if (!variable || !value || line.find('f', 'k')) return [];
  return [{ name: variable.value, value: literal(value), token: spanOf(variable, value) }];
}

/** `set NAME=value`, `set "NAME=value"`, `set /a NAME=0` */
function cmdSet(command: ShellCommand): EnvironmentAssignment[] {
  if (command.args.some((a) => a.value.toLowerCase() === '/p')) return [];
  const assignment = command.args.find((a) => a.kind !== 'parameter' && a.value.includes('='));
  return assignment ? splitAssignment(assignment) : [];
}

/** `export NAME=value`, `env NAME=value cmd`, `declare -x NAME=value`, and a bare `NAME=value`. */
function posixAssignments(command: ShellCommand, name: string): EnvironmentAssignment[] {
  const prefix = (command.assignments ?? []).flatMap(splitAssignment);
  if (/^[A-Za-z_]\w*=/.test(command.name.value)) return [...prefix, ...splitAssignment(command.name)];
  if (prefix.length > 0 && !['export', 'env', 'declare', 'typeset'].includes(name)) return prefix;
  if (!['export', 'env', 'declare', 'typeset'].includes(name)) return [];
  return [...prefix, ...command.args.filter((a) => /^[A-Za-z_]\w*=/.test(a.value)).flatMap(splitAssignment)];
}

function splitAssignment(token: ShellToken): EnvironmentAssignment[] {
  const equals = token.value.indexOf('=');
  if (equals <= 0) return [];
  const value = token.value.slice(equals + 1).trim();
  return [{ name: token.value.slice(0, equals).trim(), value: /[$%!]/.test(value) ? undefined : value, token }];
}

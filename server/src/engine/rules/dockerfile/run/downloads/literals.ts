// Where a URL is written: in the command itself, in the format string of `('https://x/{0}' -f $v)`, or —
// when the command names a variable — in the assignment earlier in the RUN (`$url = '…'`, `url=…`) or the
// ENV/ARG instruction that sets it. Rules read the value and report or fix at the place it is written.
import { PropertyInstruction, type Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../../../dockerfile/model';
import type { ShellToken } from '../../../../shell/types';
import type { Range } from '../../../../types';
import type { CommandTree, PlacedCommand } from './commandTree';
import { assignedVariable, plainValue } from './tokens';

export interface Literal {
  value: string;
  /** Where the value is written in the Dockerfile. */
  range: Range;
  /** Only the start of the value is literal (`'http://host' + $path`): good for the scheme, not for a file name. */
  partial: boolean;
}

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
  // PowerShell's own variables are not environment variables: only `$env:X` comes from ENV/ARG.
  const fromEnvironment = placed.located.command.shell === 'posix' || /^env:/i.test(variable);
  return fromEnvironment ? dockerfileVariable(tree.model, placed, variable) : null;
}

/** The variable's name when the token is nothing but a reference to it (`$url`, `"${URL}"`, `$env:URL`, `%URL%`). */
function soleVariable(token: ShellToken): string | null {
  const value = token.kind === 'variable' ? token.value : plainValue(token);
  const shell = /^\$\{?((?:env:)?\w+)\}?$/i.exec(value);
  if (shell) return shell[1]!;
  const cmd = /^%(\w+)%$/.exec(value);
  return cmd ? `env:${cmd[1]!}` : null;
}

/** The last `$name = '…'` (PowerShell) or `name=…` (POSIX) before `placed` in its RUN. */
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

/**
 * The value an ENV or ARG gives the variable before the RUN: in its stage (ENV, or ARG with a default or a
 * global default), then ENV in the stages it is built FROM. Windows environment names ignore case.
 */
function dockerfileVariable(model: DockerfileModel, placed: PlacedCommand, variable: string): Literal | null {
  const name = variable.replace(/^env:/i, '');
  const windows = placed.located.command.shell !== 'posix' || placed.run.stage.platform.os === 'windows';
  const same = (other: string): boolean => (windows ? other.toLowerCase() === name.toLowerCase() : other === name);
  let before: Instruction | null = placed.run.instruction;
  for (let stage: Stage | null = placed.run.stage; stage; stage = stage.parentStage) {
    const settings = variableSettingsOf(stage);
    // The ENV/ARG instructions before `before` (all of them in a parent stage), nearest first.
    let i = before ? settingsBefore(settings, settings.positions.get(before) ?? stage.instructions.length) - 1 : settings.list.length - 1;
    for (; i >= 0; i--) {
      const { instruction, keyword } = settings.list[i]!;
      // ARG values do not outlive their stage; ENV values do.
      if (!(keyword === 'ENV' || (keyword === 'ARG' && stage === placed.run.stage))) continue;
      const property = [...instruction.getProperties()].reverse().find((p) => same(p.getName()));
      if (!property) continue;
      const value = property.getValue();
      const range = property.getValueRange();
      if (value !== null && range) return { value, range, partial: false };
      return keyword === 'ARG' ? globalArgument(model, same) : null;
    }
    before = null;
  }
  return null;
}

interface VariableSettings {
  /** The stage's ENV and ARG instructions in order, with their index among the stage's instructions. */
  list: Array<{ instruction: PropertyInstruction; keyword: 'ENV' | 'ARG'; index: number }>;
  /** Index of every instruction of the stage. */
  positions: Map<Instruction, number>;
}

const variableSettings = new WeakMap<Stage, VariableSettings>();

/** Built once per stage, so looking up a variable does not copy and rescan the stage's instructions each time. */
function variableSettingsOf(stage: Stage): VariableSettings {
  let settings = variableSettings.get(stage);
  if (!settings) {
    settings = { list: [], positions: new Map() };
    stage.instructions.forEach((instruction, index) => {
      settings!.positions.set(instruction, index);
      const keyword = instruction.getKeyword();
      if (instruction instanceof PropertyInstruction && (keyword === 'ENV' || keyword === 'ARG')) settings!.list.push({ instruction, keyword, index });
    });
    variableSettings.set(stage, settings);
  }
  return settings;
}

/** How many of the settings come before the instruction at `position` (binary search). */
function settingsBefore(settings: VariableSettings, position: number): number {
  let low = 0;
  let high = settings.list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (settings.list[middle]!.index < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `ARG NAME=default` before the first FROM, which a stage's bare `ARG NAME` brings into scope. */
function globalArgument(model: DockerfileModel, same: (name: string) => boolean): Literal | null {
  for (const arg of model.ast.getInitialARGs()) {
    const property = arg.getProperty();
    const value = property?.getValue();
    const range = property?.getValueRange();
    if (property && same(property.getName()) && value && range) return { value, range, partial: false };
  }
  return null;
}

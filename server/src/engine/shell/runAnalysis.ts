// RUN instructions as commands: the effective shell of each RUN (SHELL in force, else the platform
// default: cmd on Windows stages, /bin/sh elsewhere), its script tokenized by the matching front end,
// and wrapped scripts (`powershell -Command "…"`, `cmd /S /C "…"`, `sh -c '…'`, `-EncodedCommand`)
// opened up, each command with a way back to exact document ranges.
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import type { Range } from '../types';
import { tokenizeCmd } from './cmd';
import { tokenizePosix } from './posix';
import { tokenizePowerShell } from './powershell';
import { jsonFormArguments, joinMapped, shellFormScript, sliceMapped, type MappedText } from './runScript';
import { commandName, type ParsedScript, type ShellCommand, type ShellKind, type ShellToken } from './types';

export interface LocatedCommand {
  command: ShellCommand;
  /** The lower-cased command name without path or `.exe`. */
  name: string;
  /** Document range of a token of this command (or of the whole command). */
  rangeOf(token?: ShellToken): Range;
  /** The RUN this command belongs to. */
  run: RunAnalysis;
}

export interface RunAnalysis {
  instruction: Instruction;
  stage: Stage;
  /** The shell the RUN's own text is written for. */
  shell: ShellKind;
  form: 'shell' | 'json';
  /** Every command, wrapped ones included, in source order. */
  commands: LocatedCommand[];
}

const cache = new WeakMap<DockerfileModel, RunAnalysis[]>();
const MAX_WRAPPER_DEPTH = 4;

/** All RUN instructions of the Dockerfile, analysed once per model. */
export function runAnalyses(model: DockerfileModel): RunAnalysis[] {
  let analyses = cache.get(model);
  if (!analyses) {
    analyses = [];
    const shells = new Map<Stage, ShellKind>();
    for (const stage of model.stages) {
      let shell = stage.parentStage ? shells.get(stage.parentStage) ?? defaultShell(stage) : defaultShell(stage);
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword();
        if (keyword === 'SHELL') shell = shellOfShellInstruction(model, instruction) ?? shell;
        else if (keyword === 'RUN') analyses.push(analyseRun(model, stage, instruction, shell));
      }
      shells.set(stage, shell);
    }
    cache.set(model, analyses);
  }
  return analyses;
}

function defaultShell(stage: Stage): ShellKind {
  return stage.platform.os === 'windows' ? 'cmd' : 'posix';
}

export function shellKindOfExecutable(executable: string): ShellKind | null {
  const base = executable.split(/[\\/]/).pop()!.replace(/\.exe$/i, '').toLowerCase();
  if (base === 'powershell' || base === 'pwsh') return 'powershell';
  if (base === 'cmd') return 'cmd';
  if (['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox'].includes(base)) return 'posix';
  return null;
}

function shellOfShellInstruction(model: DockerfileModel, instruction: Instruction): ShellKind | null {
  const args = jsonFormArguments(model.document, instruction);
  return args && args[0] ? shellKindOfExecutable(args[0].text) : null;
}

function analyseRun(model: DockerfileModel, stage: Stage, instruction: Instruction, shell: ShellKind): RunAnalysis {
  const run: RunAnalysis = { instruction, stage, shell, form: 'shell', commands: [] };
  const json = jsonFormArguments(model.document, instruction);
  if (json) {
    // Exec form: no shell; argv[0] runs directly. A shell named there is a wrapper like any other.
    run.form = 'json';
    run.shell = shellKindOfExecutable(json[0]!.text) ?? shell;
    const argv = joinMapped(json, ' ');
    const tokens: ShellToken[] = [];
    let offset = 0;
    for (const part of json) {
      tokens.push({ kind: part.text.startsWith('-') || /^\/[A-Za-z?]/.test(part.text) ? 'parameter' : 'word', raw: part.text, value: part.text, start: offset, end: offset + part.text.length });
      offset += part.text.length + 1;
    }
    const [name, ...args] = tokens;
    const command: ShellCommand = { shell: run.shell, name: name!, args, start: 0, end: argv.text.length, pipeline: [], pipelineIndex: 0, depth: 0 };
    command.pipeline = [command];
    addCommands(model, run, { shell: run.shell, commands: [command], problems: [] }, argv, 0);
    return run;
  }
  const script = shellFormScript(model.document, instruction, model.escapeCharacter);
  if (script) analyseScript(model, run, script, shell, 0);
  return run;
}

/**
 * Tokenized scripts by shell, depth and text. While a user types, one RUN changes and the others are
 * the same strings as before, so they are not tokenized again (the POSIX parser costs milliseconds).
 * Insertion-ordered Map as a small LRU; results are never mutated by their users.
 */
const tokenized = new Map<string, ParsedScript>();
const TOKENIZED_LIMIT = 5_000;

export function clearTokenizerCache(): void {
  tokenized.clear();
}

function tokenize(script: string, shell: ShellKind, depth: number): ParsedScript {
  const key = `${shell}\u0000${depth}\u0000${script}`;
  const cached = tokenized.get(key);
  if (cached) {
    tokenized.delete(key);
    tokenized.set(key, cached);
    return cached;
  }
  const parsed = shell === 'powershell' ? tokenizePowerShell(script, depth) : shell === 'cmd' ? tokenizeCmd(script, depth) : tokenizePosix(script, depth);
  tokenized.set(key, parsed);
  if (tokenized.size > TOKENIZED_LIMIT) tokenized.delete(tokenized.keys().next().value!);
  return parsed;
}

function analyseScript(model: DockerfileModel, run: RunAnalysis, script: MappedText, shell: ShellKind, depth: number): void {
  addCommands(model, run, tokenize(script.text, shell, depth), script, depth);
}

function addCommands(model: DockerfileModel, run: RunAnalysis, parsed: ParsedScript, script: MappedText, wrapperDepth: number): void {
  const document = model.document;
  const toRange = (start: number, end: number): Range => {
    if (script.opaqueSpan) return { start: document.positionAt(script.opaqueSpan[0]), end: document.positionAt(script.opaqueSpan[1]) };
    const last = script.offsets.length - 1;
    const from = script.offsets[Math.max(0, Math.min(start, last))]!;
    // The end maps through the last character so a token ending a line does not run onto the next.
    const to = end > start ? script.offsets[Math.max(0, Math.min(end - 1, last))]! + 1 : from;
    return { start: document.positionAt(from), end: document.positionAt(Math.max(from, to)) };
  };
  for (const command of parsed.commands) {
    const located: LocatedCommand = {
      command,
      name: commandName(command),
      rangeOf: (token) => (token ? toRange(token.start, token.end) : toRange(command.start, command.end)),
      run,
    };
    run.commands.push(located);
    if (wrapperDepth < MAX_WRAPPER_DEPTH) {
      const wrapped = wrappedScript(command, script);
      if (wrapped) analyseScript(model, run, wrapped.script, wrapped.shell, wrapperDepth + 1);
    }
  }
}

/** Parameters of powershell.exe that take a value (so the value is not the start of the command). */
const POWERSHELL_VALUE_PARAMETERS = /^-(executionpolicy|ex|ep|inputformat|inf|outputformat|of|windowstyle|w|configurationname|version|v|psconsolefile|workingdirectory|wd|settingsfile)$/i;

interface Wrapped {
  shell: ShellKind;
  script: MappedText;
}

/** Options of `sudo`/`doas`/`env` that take a value, so the value is not taken for the command. */
const PREFIX_VALUE_OPTIONS = /^-(u|g|C|D|h|p|r|t|T|U|-user|-group|-chdir|-prompt|-close-from|-unset|S|-split-string)$/;

/**
 * `powershell -Command …`, `pwsh -c …`, `cmd /S /C …`, `sh -c …`: the script the wrapper runs; also
 * `sudo`/`doas`/`env`, whose remaining words are a command, and `su`/`runuser … -c '…'`.
 */
export function wrappedScript(command: ShellCommand, script: MappedText): Wrapped | null {
  const runner = commandName(command);
  if (command.shell === 'posix' && ['sudo', 'doas', 'env', 'nice', 'nohup', 'time', 'exec'].includes(runner)) {
    const args = command.args;
    let i = 0;
    while (i < args.length && (args[i]!.value.startsWith('-') || (runner === 'env' && /^[A-Za-z_]\w*=/.test(args[i]!.value)))) {
      i += PREFIX_VALUE_OPTIONS.test(args[i]!.value) ? 2 : 1;
    }
    const rest = args.slice(i);
    if (rest.length === 0) return null;
    return { shell: 'posix', script: sliceMapped(script, rest[0]!.start, rest[rest.length - 1]!.end) };
  }
  if (command.shell === 'posix' && (runner === 'su' || runner === 'runuser')) {
    const index = command.args.findIndex((a) => a.value === '-c' || a.value === '--command');
    const body = index >= 0 ? command.args[index + 1] : undefined;
    if (!body) return null;
    return { shell: 'posix', script: body.kind === 'string' ? sliceMapped(script, body.start + 1, body.end - 1, body.value) : sliceMapped(script, body.start, body.end, body.value) };
  }
  const shell = shellKindOfExecutable(command.name.value);
  if (!shell) return null;
  const args = command.args;
  const textOf = (tokens: ShellToken[]): MappedText | null => {
    if (tokens.length === 0) return null;
    const parts = tokens.map((t) => (t.kind === 'string' && t.raw.length >= 2
      ? sliceMapped(script, t.start + 1, t.end - 1, t.value)
      : sliceMapped(script, t.start, t.end, t.value)));
    return parts.length === 1 ? parts[0]! : joinMapped(parts, ' ');
  };
  if (shell === 'powershell') {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const value = arg.value;
      if (/^-(c|co|com|comm|comma|comman|command)$/i.test(value)) {
        const text = textOf(args.slice(i + 1));
        return text ? { shell, script: text } : null;
      }
      if (/^-(e|ec|en|enc|enco|encod|encode|encoded|encodedc\w*)$/i.test(value) && args[i + 1]) {
        // Base64 of UTF-16LE: a favourite way to hide `iex (iwr …)`; every decoded character maps to the token.
        const token = args[i + 1]!;
        const decoded = Buffer.from(token.value, 'base64').toString('utf16le');
        const span = sliceMapped(script, token.start, token.end);
        const from = span.offsets[0]!;
        const to = span.offsets[Math.max(0, span.text.length - 1)]! + 1;
        return { shell, script: { text: decoded, offsets: decoded.split('').map(() => from).concat(to), opaqueSpan: [from, to] } };
      }
      if (/^-(f|fi|fil|file)$/i.test(value)) return null;
      if (POWERSHELL_VALUE_PARAMETERS.test(value)) { i++; continue; }
      if (arg.kind === 'parameter' || value.startsWith('-')) continue;
      const text = textOf(args.slice(i));
      return text ? { shell, script: text } : null;
    }
    return null;
  }
  if (shell === 'cmd') {
    const index = args.findIndex((a) => /^\/[ck]$/i.test(a.value));
    if (index < 0) return null;
    // cmd /S /C "…" strips only the outer quotes: the inside runs exactly as written.
    const rest = args.slice(index + 1);
    const first = rest[0];
    const last = rest[rest.length - 1];
    if (!first || !last) return null;
    const quoted = first.raw.startsWith('"') && last.raw.endsWith('"') && last.end - first.start >= 2;
    return { shell, script: sliceMapped(script, first.start + (quoted ? 1 : 0), last.end - (quoted ? 1 : 0)) };
  }
  const index = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a.value) && !a.value.startsWith('--'));
  const body = index >= 0 ? args[index + 1] : undefined;
  const text = body ? textOf([body]) : null;
  return text ? { shell, script: text } : null;
}

/** Named parameter value: `-OutFile x` / `-OutFile:x` (case-insensitive, unique prefixes allowed as PowerShell does). */
export function parameterValue(command: ShellCommand, ...names: string[]): ShellToken | undefined {
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.kind !== 'parameter' && !arg.value.startsWith('-')) continue;
    const [flag, inline] = arg.value.split(/:(.*)/s, 2) as [string, string | undefined];
    const bare = flag.replace(/^-+/, '').toLowerCase();
    if (!bare || !names.some((name) => name.toLowerCase() === bare || (bare.length >= 3 && name.toLowerCase().startsWith(bare)))) continue;
    if (inline !== undefined && inline !== '') {
      return { ...arg, value: inline, raw: arg.raw, start: arg.start + arg.raw.indexOf(':') + 1 };
    }
    return args[i + 1];
  }
  return undefined;
}

export function hasParameter(command: ShellCommand, ...names: string[]): boolean {
  return command.args.some((arg) => {
    if (arg.kind !== 'parameter' && !arg.value.startsWith('-') && !arg.value.startsWith('/')) return false;
    const bare = arg.value.split(':')[0]!.replace(/^[-/]+/, '').toLowerCase();
    return names.some((name) => name.toLowerCase() === bare);
  });
}

/** Arguments that are not parameters (and not the values of the given value-taking parameters). */
export function positionalArguments(command: ShellCommand, valueParameters: readonly string[] = []): ShellToken[] {
  const out: ShellToken[] = [];
  const takesValue = new Set(valueParameters.map((p) => p.toLowerCase()));
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i]!;
    if (arg.kind === 'operator') continue;
    if (arg.kind === 'parameter') {
      const bare = arg.value.replace(/^[-/]+/, '').toLowerCase();
      if (takesValue.has(bare) && !arg.value.includes(':')) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

// RUN instructions as commands: the effective shell of each RUN (SHELL in force, else the platform
// default: cmd on Windows stages, /bin/sh elsewhere), analysed by the script model (scriptModel.ts), which
// tokenizes with the matching front end, opens wrapped scripts and maps every token back to the document.
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import { jsonFormArguments, shellFormScript } from './runScript';
import { analyseExecForm, analyseShellScript, shellKindOfExecutable, type ScriptAnalysis, type ScriptCommand } from './scriptModel';
import type { ShellCommand, ShellKind, ShellToken } from './types';

export { clearTokenizerCache, shellKindOfExecutable, wrappedScript } from './scriptModel';

/** A command of a RUN instruction, with the RUN it belongs to. */
export type LocatedCommand = ScriptCommand<RunAnalysis>;

export interface RunAnalysis extends ScriptAnalysis<RunAnalysis> {
  instruction: Instruction;
  stage: Stage;
}

const cache = new WeakMap<DockerfileModel, RunAnalysis[]>();

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

function shellOfShellInstruction(model: DockerfileModel, instruction: Instruction): ShellKind | null {
  const args = jsonFormArguments(model.document, instruction);
  return args && args[0] ? shellKindOfExecutable(args[0].text) : null;
}

function analyseRun(model: DockerfileModel, stage: Stage, instruction: Instruction, shell: ShellKind): RunAnalysis {
  const run: RunAnalysis = { instruction, stage, shell, form: 'shell', commands: [] };
  const json = jsonFormArguments(model.document, instruction);
  if (json) {
    // Exec form: no shell; argv[0] runs directly. A shell named there is a wrapper like any other.
    analyseExecForm(model.document, run, json, shell);
    return run;
  }
  const script = shellFormScript(model.document, instruction, model.escapeCharacter);
  if (script) analyseShellScript(model.document, run, script, shell);
  return run;
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

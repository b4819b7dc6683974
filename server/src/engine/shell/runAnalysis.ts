// RUN instructions as commands: the effective shell of each RUN (SHELL in force, else the platform
// default: cmd on Windows stages, /bin/sh elsewhere), analysed by the script model (scriptModel.ts), which
// tokenizes with the matching front end, opens wrapped scripts and maps every token back to the document.
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import { jsonFormArguments, shellFormScript } from './runScript';
import { analyseExecForm, analyseShellScript, shellKindOfExecutable, type ScriptAnalysis, type ScriptCommand } from './scriptModel';
import type { ShellKind } from './types';

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

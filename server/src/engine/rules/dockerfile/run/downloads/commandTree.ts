// How the commands of the Dockerfile's RUN instructions relate to each other: which command encloses
// which (a download inside `iex (…)`, a hash inside `if (…)`), which share a pipeline, and what runs
// later in the build. Commands from wrapped scripts (`powershell -Command "…"`) are tokenized from their
// own text, so their offsets are not comparable with the wrapper's; document offsets are, and every
// relation here is computed from them.
import type { DockerfileModel, Stage } from '../../../../dockerfile/model';
import { runAnalyses, type LocatedCommand, type RunAnalysis } from '../../../../shell/runAnalysis';
import type { ShellCommand, ShellToken } from '../../../../shell/types';
import type { Range } from '../../../../types';

export interface PlacedCommand {
  located: LocatedCommand;
  run: RunAnalysis;
  /** Position of the RUN in the Dockerfile and of the command in its RUN: orders commands in build order. */
  runIndex: number;
  commandIndex: number;
  /** Document offsets of the whole command. */
  start: number;
  end: number;
}

/** The RUN commands of one Dockerfile with their places; built once per model. */
export class CommandTree {
  readonly commands: PlacedCommand[] = [];
  private readonly byCommand = new Map<ShellCommand, PlacedCommand>();
  private readonly byRun = new Map<RunAnalysis, PlacedCommand[]>();
  private readonly parents = new Map<PlacedCommand, PlacedCommand | null>();

  constructor(readonly model: DockerfileModel) {
    runAnalyses(model).forEach((run, runIndex) => {
      const ofRun: PlacedCommand[] = [];
      this.byRun.set(run, ofRun);
      run.commands.forEach((located, commandIndex) => {
        const placed: PlacedCommand = { located, run, runIndex, commandIndex, ...this.offsetsOf(located) };
        this.commands.push(placed);
        ofRun.push(placed);
        this.byCommand.set(located.command, placed);
      });
    });
  }

  /** The commands of one RUN, in source order. */
  commandsOf(run: RunAnalysis): readonly PlacedCommand[] {
    return this.byRun.get(run) ?? [];
  }

  /** The members of `placed`'s pipeline that come after it (`Get-FileHash f | …`, `curl … | sh`). */
  laterInPipeline(placed: PlacedCommand): PlacedCommand[] {
    const { pipeline, pipelineIndex } = placed.located.command;
    return pipeline.slice(pipelineIndex + 1).map((c) => this.byCommand.get(c)).filter((c): c is PlacedCommand => c !== undefined);
  }

  /** The members of `placed`'s pipeline that come before it (`echo "<hash>  f" | sha256sum -c -`). */
  earlierInPipeline(placed: PlacedCommand): PlacedCommand[] {
    const { pipeline, pipelineIndex } = placed.located.command;
    return pipeline.slice(0, pipelineIndex).map((c) => this.byCommand.get(c)).filter((c): c is PlacedCommand => c !== undefined);
  }

  /** Document offsets of a token of `located`. */
  offsetsOf(located: LocatedCommand, token?: ShellToken): { start: number; end: number } {
    const range = located.rangeOf(token);
    return { start: this.model.document.offsetAt(range.start), end: this.model.document.offsetAt(range.end) };
  }

  /** A token as written in the Dockerfile (JSON escapes and quotes included). */
  writtenText(located: LocatedCommand, token: ShellToken): string {
    const { start, end } = this.offsetsOf(located, token);
    return this.model.document.getText().slice(start, end);
  }

  /** The document range of offsets. */
  rangeAt(offsets: { start: number; end: number }): Range {
    return { start: this.model.document.positionAt(offsets.start), end: this.model.document.positionAt(offsets.end) };
  }

  /** The innermost command of the same RUN that holds `placed` in one of its tokens (`iex (iwr …)` for `iwr`). */
  parentOf(placed: PlacedCommand): PlacedCommand | null {
    let parent = this.parents.get(placed);
    if (parent === undefined) {
      parent = null;
      const depth = placed.located.command.depth;
      for (const candidate of this.commandsOf(placed.run)) {
        if (candidate.located.command.depth >= depth) continue;
        if (!encloses(candidate, placed)) continue;
        if (!parent || candidate.end - candidate.start <= parent.end - parent.start) parent = candidate;
      }
      this.parents.set(placed, parent);
    }
    return parent;
  }

  /** `placed` and its enclosing commands, innermost first. */
  selfAndAncestors(placed: PlacedCommand): PlacedCommand[] {
    const chain: PlacedCommand[] = [];
    for (let current: PlacedCommand | null = placed; current; current = this.parentOf(current)) chain.push(current);
    return chain;
  }

  /** Commands of the same RUN lying inside `token` of `holder` (the downloads inside `iex (…)`). */
  commandsInside(holder: PlacedCommand, token: ShellToken): PlacedCommand[] {
    const { start, end } = this.offsetsOf(holder.located, token);
    return this.commandsOf(holder.run).filter((c) => c !== holder && c.start >= start && c.end <= end && c.end > c.start);
  }

  /** Commands of the same RUN inside any argument of `holder`. */
  commandsInArguments(holder: PlacedCommand): PlacedCommand[] {
    return holder.located.command.args.flatMap((arg) => this.commandsInside(holder, arg));
  }

  /** Commands of the same RUN, after `placed`, in source order. */
  laterInRun(placed: PlacedCommand): PlacedCommand[] {
    return this.commandsOf(placed.run).slice(placed.commandIndex + 1);
  }

  /** The outermost statement `placed` belongs to (itself when at the top of its script). */
  statementOf(placed: PlacedCommand): PlacedCommand {
    const chain = this.selfAndAncestors(placed);
    // Stop below a wrapper (`powershell -Command "…"`): the wrapper is a command of another shell.
    const sameShell = chain.filter((c) => c.located.command.shell === placed.located.command.shell);
    return sameShell[sameShell.length - 1] ?? placed;
  }
}

function encloses(outer: PlacedCommand, inner: PlacedCommand): boolean {
  return outer !== inner && outer.start <= inner.start && inner.end <= outer.end && (outer.start < inner.start || inner.end < outer.end);
}

const trees = new WeakMap<DockerfileModel, CommandTree>();

export function commandTreeOf(model: DockerfileModel): CommandTree {
  let tree = trees.get(model);
  if (!tree) {
    tree = new CommandTree(model);
    trees.set(model, tree);
  }
  return tree;
}

/** The command runs on Windows: in a Windows stage, or under PowerShell or cmd. */
export function runsOnWindows(placed: PlacedCommand): boolean {
  return placed.run.stage.platform.os === 'windows' || placed.located.command.shell !== 'posix';
}

/** `later` runs after `earlier` in the same stage, or in a stage built FROM that stage. */
export function runsLaterInLineage(earlier: PlacedCommand, later: PlacedCommand): boolean {
  if (later.runIndex === earlier.runIndex) return later.commandIndex > earlier.commandIndex;
  return later.runIndex > earlier.runIndex && descendsFrom(later.run.stage, earlier.run.stage);
}

function descendsFrom(stage: Stage, ancestor: Stage): boolean {
  for (let current: Stage | null = stage; current; current = current.parentStage) if (current === ancestor) return true;
  return false;
}

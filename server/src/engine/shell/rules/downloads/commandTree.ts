// How the commands of a document's scripts (Dockerfile RUN instructions, pipeline steps) relate to each
// other: which command encloses which (a download inside `iex (…)`, a hash inside `if (…)`), which share a
// pipeline, and what runs later (the host decides: a later RUN of the stage or a child stage, a later
// step of the job). Commands from wrapped scripts (`powershell -Command "…"`) are tokenized from their
// own text, so their offsets are not comparable with the wrapper's; document offsets are, and every
// relation here is computed from them.
import type { HostedCommand, HostedScript, ScriptHost } from '../../scriptHost';
import type { ShellCommand, ShellToken } from '../../types';
import type { Range } from '../../../types';

export interface PlacedCommand {
  located: HostedCommand;
  /** The script (RUN, step) the command belongs to. */
  run: HostedScript;
  /** Position of the script in its document and of the command in its script: orders commands in run order. */
  runIndex: number;
  commandIndex: number;
  /** Document offsets of the whole command. */
  start: number;
  end: number;
}

/** The commands of one document's scripts with their places; built once per host. */
export class CommandTree {
  readonly commands: PlacedCommand[] = [];
  private readonly byCommand = new Map<ShellCommand, PlacedCommand>();
  private readonly byRun = new Map<HostedScript, PlacedCommand[]>();
  private readonly parents = new Map<PlacedCommand, PlacedCommand | null>();

  constructor(readonly host: ScriptHost) {
    host.scripts.forEach((run, runIndex) => {
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

  /** The document the scripts are embedded in. */
  get document() {
    return this.host.document;
  }

  /** The place of a command of one of the host's scripts. */
  placedOf(located: HostedCommand): PlacedCommand | undefined {
    return this.byCommand.get(located.command);
  }

  /** The commands of one script, in source order. */
  commandsOf(run: HostedScript): readonly PlacedCommand[] {
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
  offsetsOf(located: HostedCommand, token?: ShellToken): { start: number; end: number } {
    return located.offsetsOf(token);
  }

  /** A token as written in the document (JSON escapes, YAML escapes and quotes included). */
  writtenText(located: HostedCommand, token: ShellToken): string {
    const { start, end } = this.offsetsOf(located, token);
    return this.host.document.getText().slice(start, end);
  }

  /** The document range of offsets. */
  rangeAt(offsets: { start: number; end: number }): Range {
    return { start: this.host.document.positionAt(offsets.start), end: this.host.document.positionAt(offsets.end) };
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

const trees = new WeakMap<ScriptHost, CommandTree>();

export function commandTreeOf(host: ScriptHost): CommandTree {
  let tree = trees.get(host);
  if (!tree) {
    tree = new CommandTree(host);
    trees.set(host, tree);
  }
  return tree;
}

/** The command runs on Windows: in a Windows stage or on a Windows runner, or under PowerShell or cmd. */
export function runsOnWindows(placed: PlacedCommand): boolean {
  return placed.run.host.onWindows(placed.run) || placed.located.command.shell !== 'posix';
}

/** `later` runs after `earlier` and sees its files: later in the same script, or in a script the host runs after it. */
export function runsLaterInLineage(earlier: PlacedCommand, later: PlacedCommand): boolean {
  if (later.run === earlier.run) return later.commandIndex > earlier.commandIndex;
  return later.run.host.runsAfter(earlier.run, later.run);
}

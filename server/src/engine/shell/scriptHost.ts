// The host-neutral view of a document's embedded scripts that the script rules read (downloads,
// hardening, privileges): the scripts in the order they run, each with its commands (scriptModel.ts),
// and the few facts a rule asks of the document that embeds them — does a script run on Windows, does
// one run after another and see its files, what does an environment variable hold, how is a quick fix
// written safely into the document. Two adapters implement it: runAnalysis.ts for Dockerfile RUN
// instructions, pipeline/scriptHosts.ts for pipeline steps. Facts of one host only (a RUN's stage and
// instruction, a step's job) stay on that host's own script type.
import type { TextDocument } from '../text';
import type { Fix, Range } from '../types';
import type { ScriptAnalysis, ScriptCommand } from './scriptModel';

/** One embedded script (a RUN, a pipeline step's script) with its commands. */
export interface HostedScript extends ScriptAnalysis<HostedScript> {
  /** The document's view this script belongs to. */
  host: ScriptHost;
  /** Position among the host's scripts (Dockerfile order; pipeline file order). */
  index: number;
}

/** A command of an embedded script, located in the document, with the script it belongs to (`run`). */
export type HostedCommand = ScriptCommand<HostedScript>;

/** A value written literally in the document, where a rule reports and fixes it. */
export interface WrittenValue {
  value: string;
  range: Range;
  /** Only the start of the value is literal (`'http://host' + $path`): good for the scheme, not for a file name. */
  partial: boolean;
}

/** Inside which quotes text inserted at a place of a script stands. */
export type QuoteContext = 'none' | 'single' | 'double' | 'json';

/** An environment variable the document sets outside any script (`ENV`/`ARG`; a pipeline's `env:`/`variables:`). */
export interface EnvironmentSetting {
  name: string;
  /** The value, or null when none is written (a bare `ARG NAME`). */
  value: string | null;
  /** What to underline: the whole setting. */
  range: Range;
  /** The setting as a message quotes it: `ENV NAME=value`, `env: NAME: value`. */
  written: string;
  /** How far it reaches, for messages: "stays set in every container started from the image". */
  reach: string;
}

export interface ScriptHost {
  /** The kind of document: rules word their messages for it (the image and its history, or a job on a runner). */
  kind: 'dockerfile' | 'pipeline';
  document: TextDocument;
  /** Every embedded script, in document order. */
  scripts: readonly HostedScript[];
  /**
   * The script runs on a Windows machine: a Windows stage (Dockerfile), a Windows runner (pipeline).
   * Rules also treat every PowerShell and cmd command as Windows.
   */
  onWindows(script: HostedScript): boolean;
  /** Some script of the document runs on Windows. */
  anyOnWindows(): boolean;
  /**
   * `later`, another script than `earlier`, runs after it and sees the files it left: a later RUN of the
   * same stage or of a stage built FROM it; a later step of the same job.
   */
  runsAfter(earlier: HostedScript, later: HostedScript): boolean;
  /**
   * The value the document gives environment variable `name` before `script` runs (an ENV or ARG before
   * the RUN; a pipeline's `env:`), where it is written; null when it is not written in the document.
   * `ignoreCase` for Windows, whose environment names ignore case.
   */
  environmentValue(script: HostedScript, name: string, ignoreCase: boolean): WrittenValue | null;
  /** Environment variables the document sets outside the scripts, in document order. */
  environmentSettings(): readonly EnvironmentSetting[];
  /**
   * For messages about a credential written in a script: where it stays readable, and what to use
   * instead (a build secret; a pipeline secret variable).
   */
  secretAdvice(): string;
  /** The quotes open at a document offset inside `script` (so inserted text can be quoted to survive). */
  quoteContextAt(script: HostedScript, offset: number): QuoteContext;
  /**
   * The fix as the host can apply it, or null when it cannot be written safely into the document (a
   * pipeline script in a YAML scalar whose quoting the edit could break). Hosts may make it stricter
   * (pipeline fixes are never safe for fix-all), never looser.
   */
  fix(script: HostedScript, fix: Fix): Fix | null;
}

/** The commands of every script of the host, in order; one list per host, never mutated. */
const commandLists = new WeakMap<ScriptHost, readonly HostedCommand[]>();

export function allCommands(host: ScriptHost): readonly HostedCommand[] {
  let commands = commandLists.get(host);
  if (!commands) {
    commands = host.scripts.flatMap((script) => script.commands);
    commandLists.set(host, commands);
  }
  return commands;
}

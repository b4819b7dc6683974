// RUN instructions as commands, and the Dockerfile's adapter to the host-neutral script view
// (scriptHost.ts) that the script rules read. The effective shell of each RUN is the SHELL in force, else
// the platform default (cmd on Windows stages, /bin/sh elsewhere); the script model (scriptModel.ts)
// tokenizes it with the matching front end, opens wrapped scripts and maps every token back to the
// document. The Dockerfile answers the host's questions from its stages: a RUN runs on Windows when its
// stage does; a later RUN sees an earlier one's files in the same stage or a stage built FROM it;
// environment variables come from ENV and ARG.
import { PropertyInstruction, type Instruction } from 'dockerfile-ast';
import { expandVariables, type DockerfileModel, type Stage } from '../dockerfile/model';
import { secretAdvice } from '../secrets';
import { indentationOf, lineBreakOf, lineText } from '../text';
import type { Fix } from '../types';
import { jsonFormArguments, shellFormScript } from './runScript';
import type { EnvironmentSetting, HostedScript, QuoteContext, ScriptHost, WrittenValue } from './scriptHost';
import { analyseExecForm, analyseShellScript, shellKindOfExecutable, type ScriptCommand } from './scriptModel';
import type { ShellKind } from './types';

export { clearTokenizerCache, shellKindOfExecutable, wrappedScript } from './scriptModel';

/** A command of a RUN instruction, with the RUN it belongs to. */
export type LocatedCommand = ScriptCommand<RunAnalysis>;

export interface RunAnalysis extends HostedScript {
  commands: LocatedCommand[];
  instruction: Instruction;
  stage: Stage;
}

/** The Dockerfile's script view: its RUN instructions, with the stage facts the rules ask for. */
export interface DockerfileScriptHost extends ScriptHost {
  kind: 'dockerfile';
  model: DockerfileModel;
  scripts: readonly RunAnalysis[];
}

const cache = new WeakMap<DockerfileModel, DockerfileScriptHost>();

/** All RUN instructions of the Dockerfile, analysed once per model. */
export function runAnalyses(model: DockerfileModel): readonly RunAnalysis[] {
  return dockerfileScriptHost(model).scripts;
}

/** The Dockerfile as a script host, built once per model. */
export function dockerfileScriptHost(model: DockerfileModel): DockerfileScriptHost {
  let host = cache.get(model);
  if (!host) {
    const scripts: RunAnalysis[] = [];
    const built: DockerfileScriptHost = {
      kind: 'dockerfile',
      model,
      document: model.document,
      scripts,
      onWindows: (script) => stageOf(script).platform.os === 'windows',
      anyOnWindows: () => model.stages.some((stage) => stage.platform.os === 'windows'),
      runsAfter: (earlier, later) => later.index > earlier.index && descendsFrom(stageOf(later), stageOf(earlier)),
      environmentValue: (script, name, ignoreCase) => dockerfileVariable(model, script as RunAnalysis, name, ignoreCase),
      environmentSettings: () => instructionSettings(model),
      secretAdvice: () => `RUN lines are stored in the image history. ${secretAdvice(model.stages.some((stage) => stage.platform.os === 'windows'))}`,
      quoteContextAt: (script, offset) => quoteContextAt(model, script as RunAnalysis, offset),
      fix: (_script, fix: Fix) => fix,
    };
    // null: a Windows stage on an image whose shell is not known (see inferredShell).
    const shells = new Map<Stage, ShellKind | null>();
    for (const stage of model.stages) {
      let shell = stage.parentStage && shells.has(stage.parentStage) ? shells.get(stage.parentStage)! : defaultShell(stage);
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword();
        if (keyword === 'SHELL') shell = shellOfShellInstruction(model, instruction) ?? shell;
        else if (keyword === 'RUN') scripts.push(analyseRun(built, stage, instruction, shell, scripts.length));
      }
      shells.set(stage, shell);
    }
    host = built;
    cache.set(model, host);
  }
  return host;
}

function stageOf(script: HostedScript): Stage {
  return (script as RunAnalysis).stage;
}

/**
 * The shell a stage's RUN uses before any SHELL of its own: its base image's SHELL, else the platform's
 * default; null for a Windows image from outside the catalog, whose own Dockerfile may have set one.
 */
function defaultShell(stage: Stage): ShellKind | null {
  if (stage.platform.defaultShell) return stage.platform.defaultShell;
  return stage.platform.os === 'windows' ? null : 'posix';
}

/**
 * The shell of a RUN on a Windows image whose shell is not known: PowerShell when the script can only be
 * PowerShell — it starts with a variable assignment (`$x = …`), a type (`[Net.ServicePointManager]::…`) or a
 * Verb-Noun cmdlet (`Invoke-WebRequest`, `Set-ItemProperty`), none of which cmd can run, so the image must
 * have set a PowerShell SHELL (a Jenkins agent, a team's own base) — else Windows' default, cmd.
 */
function inferredShell(script: string): ShellKind {
  const start = script.trimStart();
  return /^\$[A-Za-z_][\w:]*\s*=|^\[[A-Za-z][\w.]*\]::|^(?:Add|Clear|Copy|Disable|Enable|Expand|Export|Get|Import|Install|Invoke|New|Out|Register|Remove|Rename|Restart|Set|Start|Stop|Test|Uninstall|Update|Write)-[A-Z][A-Za-z]+\b/.test(start) ? 'powershell' : 'cmd';
}

function shellOfShellInstruction(model: DockerfileModel, instruction: Instruction): ShellKind | null {
  const args = jsonFormArguments(model.document, instruction);
  return args && args[0] ? shellKindOfExecutable(args[0].text) : null;
}

function analyseRun(host: DockerfileScriptHost, stage: Stage, instruction: Instruction, shell: ShellKind | null, index: number): RunAnalysis {
  const { model } = host;
  const run: RunAnalysis = { instruction, stage, shell: shell ?? 'cmd', form: 'shell', commands: [], host, index };
  const json = jsonFormArguments(model.document, instruction);
  if (json) {
    // Exec form: no shell; argv[0] runs directly. A shell named there is a wrapper like any other.
    analyseExecForm(model.document, run, json, shell ?? 'cmd');
    return run;
  }
  const script = shellFormScript(model.document, instruction, model.escapeCharacter);
  if (script) analyseShellScript(model.document, run, script, shell ?? inferredShell(script.text));
  return run;
}

/** `stage` is `ancestor` or is built FROM it, directly or through other stages. */
export function descendsFrom(stage: Stage, ancestor: Stage): boolean {
  for (let current: Stage | null = stage; current; current = current.parentStage) if (current === ancestor) return true;
  return false;
}

// ── Environment: ENV and ARG ──

/**
 * The value an ENV or ARG gives the variable before the RUN: in its stage (ENV, or ARG with a default or a
 * global default), then ENV in the stages it is built FROM. Windows environment names ignore case.
 */
function dockerfileVariable(model: DockerfileModel, run: RunAnalysis, variable: string, ignoreCase: boolean): WrittenValue | null {
  return dockerfileVariableAt(model, run.stage, run.instruction, variable, ignoreCase);
}

/**
 * An `ADD` source as BuildKit expands it (`${CHANNEL_URL}`, `$BASE/tool.zip`): the stage's ARG and ENV values
 * where the ADD stands. `viaVariables` when a variable was expanded (the value is a default a build may
 * override); null when one has no value here.
 */
export function expandedAddSource(model: DockerfileModel, stage: Stage, add: Instruction, written: string): { url: string; viaVariables: boolean } | null {
  if (!written.includes('$')) return { url: written, viaVariables: false };
  // FROM's expansion (`${NAME:-default}` too), with the values in force at the ADD.
  const url = expandVariables(written, { get: (name) => dockerfileVariableAt(model, stage, add, name)?.value ?? undefined });
  return url === null ? null : { url, viaVariables: true };
}

/** The value an ENV or ARG gives `variable` where `at` runs in `atStage` (nearest setting first; ENV of parent stages too). */
export function dockerfileVariableAt(model: DockerfileModel, atStage: Stage, at: Instruction, variable: string, ignoreCase = false): WrittenValue | null {
  const name = variable.replace(/^env:/i, '');
  const same = (other: string): boolean => (ignoreCase ? other.toLowerCase() === name.toLowerCase() : other === name);
  let before: Instruction | null = at;
  for (let stage: Stage | null = atStage; stage; stage = stage.parentStage) {
    const settings = variableSettingsOf(stage);
    // The ENV/ARG instructions before `before` (all of them in a parent stage), nearest first.
    let i = before ? settingsBefore(settings, settings.positions.get(before) ?? stage.instructions.length) - 1 : settings.list.length - 1;
    for (; i >= 0; i--) {
      const { instruction, keyword } = settings.list[i]!;
      // ARG values do not outlive their stage; ENV values do.
      if (!(keyword === 'ENV' || (keyword === 'ARG' && stage === atStage))) continue;
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
function globalArgument(model: DockerfileModel, same: (name: string) => boolean): WrittenValue | null {
  for (const arg of model.ast.getInitialARGs()) {
    const property = arg.getProperty();
    const value = property?.getValue();
    const range = property?.getValueRange();
    if (property && same(property.getName()) && value && range) return { value, range, partial: false };
  }
  return null;
}

/** `ENV NAME=value` (kept in the image for every container) and `ARG NAME=default` (set for later RUN steps). */
function instructionSettings(model: DockerfileModel): EnvironmentSetting[] {
  const out: EnvironmentSetting[] = [];
  for (const instruction of model.ast.getInstructions()) {
    const keyword = instruction.getKeyword();
    if ((keyword !== 'ENV' && keyword !== 'ARG') || !(instruction instanceof PropertyInstruction)) continue;
    const reach = keyword === 'ENV' ? 'stays set in every container started from the image' : 'applies to every later RUN step of the stage';
    for (const property of instruction.getProperties()) {
      const value = property.getValue();
      out.push({ name: property.getName(), value, range: property.getRange(), written: `${keyword} ${property.getName()}=${value}`, reach });
    }
  }
  return out;
}

// ── Line breaks, for fixes that insert a command ──

/**
 * What ends the current line of a shell-form RUN and starts a continuation line there: ` <escape>`, the
 * document's line break and the indentation of the RUN's continuation lines (the next one after `offset`,
 * else the one `offset` is on; four spaces for a one-line RUN). The Dockerfile escape character continues
 * the line whatever the shell (`\\` or `` ` `` per the escape directive; never cmd's `^`). Null for
 * exec-form RUNs (a line break inside a JSON string is no continuation) and heredocs.
 */
export function continuationLineBreak(run: RunAnalysis, offset: number): string | null {
  const host = run.host as DockerfileScriptHost;
  const document = host.document;
  const range = run.instruction.getRange();
  if (run.form !== 'shell' || /^\s*<</.test(run.instruction.getArgumentsRange() ? document.getText(run.instruction.getArgumentsRange()!) : '')) return null;
  const line = document.positionAt(offset).line;
  let indentation = '    ';
  for (const candidate of [line + 1, line]) {
    if (candidate > range.start.line && candidate <= range.end.line && lineText(document, candidate).trim() !== '') {
      indentation = indentationOf(document, candidate);
      break;
    }
  }
  return ` ${host.model.escapeCharacter}${lineBreakOf(document.getText())}${indentation}`;
}

// ── Quoting, for fixes that insert text ──

/**
 * The quotes open at a document offset inside a RUN: JSON for the exec form, else whatever quote the
 * RUN's own shell left open (a wrapper's script argument). cmd knows only double quotes.
 */
function quoteContextAt(model: DockerfileModel, run: RunAnalysis, offset: number): QuoteContext {
  if (run.form === 'json') return 'json';
  const changes = quoteChangesOf(model, run);
  // The last change at or before `offset - 1` (the state after reading every character before it).
  let low = 0;
  let high = changes.offsets.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (changes.offsets[middle]! < offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found < 0 ? 'none' : changes.states[found]!;
}

interface QuoteChanges {
  /** Document offsets of the characters after which the quote state changes, ascending. */
  offsets: number[];
  states: QuoteContext[];
}

const quoteChanges = new WeakMap<RunAnalysis, QuoteChanges>();

/** One scan of the RUN per document, so a RUN with a thousand downloads is not rescanned for each. */
function quoteChangesOf(model: DockerfileModel, run: RunAnalysis): QuoteChanges {
  let changes = quoteChanges.get(run);
  if (changes) return changes;
  changes = { offsets: [], states: [] };
  quoteChanges.set(run, changes);
  const range = run.instruction.getArgumentsRange();
  if (!range) return changes;
  const text = model.document.getText();
  const escape = run.shell === 'powershell' ? '`' : run.shell === 'posix' ? '\\' : '^';
  const end = model.document.offsetAt(range.end);
  let open: '"' | '\'' | null = null;
  for (let i = model.document.offsetAt(range.start); i < end; i++) {
    const c = text[i]!;
    const before: '"' | '\'' | null = open;
    if (c === escape && open !== '\'') i++;
    else if (open === null && (c === '"' || (c === '\'' && run.shell !== 'cmd'))) open = c;
    else if (c === open) open = null;
    if (open !== before) {
      changes.offsets.push(i);
      changes.states.push(open === '"' ? 'double' : open === '\'' ? 'single' : 'none');
    }
  }
  return changes;
}

import { lastPathSegment, type ShellCommand, type ShellToken } from '../../types';
import { excerpt } from '../../../excerpt';
import type { Range } from '../../../types';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { commandTreeOf, runsOnWindows, type CommandTree, type PlacedCommand } from './commandTree';
import { parseArguments } from './nativeOptions';
import { assignedVariable, plainValue, readsVariable } from './tokens';
import { downloadsOf, isFromLoopback, type Download } from './webDownloads';

/** Code that runs a downloaded script: what to underline, what to call it, and the URL it came from. */
interface Execution {
  range: Range;
  runner: string;
  url: string | null;
  placed: PlacedCommand;
}

export const downloadAndExecute: ScriptRule = {
  meta: {
    id: 'download-and-execute',
    title: 'A script runs a downloaded script without saving and checking it',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'error',
    cwe: [494],
    references: ['NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.11', 'CIS Docker Benchmark 4.12'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 8.1,
  },
  checkScripts(host, report) {
    const tree = commandTreeOf(host);
    // Only bytes that were never saved can be run without a file to check: a piped or in-memory download.
    const unsaved = downloadsOf(host).filter((d) => d.target.kind !== 'file' && !isFromLoopback(d));
    const reported = new Set<string>();
    for (const placed of tree.commands) {
      const execution = executionOf(tree, placed, unsaved);
      if (!execution) continue;
      const key = JSON.stringify(execution.range);
      if (reported.has(key)) continue;
      reported.add(key);
      report({ range: execution.range, message: messageFor(execution) });
    }
  },
};

function messageFor(execution: Execution): string {
  const source = execution.url ? `from \`${excerpt(execution.url, 80)}\`` : 'it downloads';
  // Chocolatey documents an offline install from a downloaded chocolatey.nupkg, whose hash can be checked.
  if (execution.url && /chocolatey/i.test(execution.url)) {
    return `\`${execution.runner}\` runs code ${source} unchecked; install from a downloaded \`chocolatey.nupkg\` checked with \`Get-FileHash\` instead.`;
  }
  const save = runsOnWindows(execution.placed)
    ? 'save it, compare `Get-FileHash` with a hash you pinned, then run the file'
    : 'save it, check it with `sha256sum -c` against a hash you pinned, then run the file';
  return `\`${execution.runner}\` runs code ${source} without saving or checking it; ${save}.`;
}

function executionOf(tree: CommandTree, placed: PlacedCommand, unsaved: readonly Download[]): Execution | null {
  return powerShellExecution(tree, placed, unsaved)
    ?? stdinProgramExecution(tree, placed, unsaved)
    ?? substitutionExecution(tree, placed, unsaved)
    ?? processSubstitutionExecution(placed);
}

// ── PowerShell: Invoke-Expression and script blocks ──

const SCRIPTBLOCK_TYPE = /^\[(system\.)?(management\.automation\.)?scriptblock\]$/i;

/** `iex (iwr …)`, `iwr … | iex`, `$s = irm …; iex $s`, `[scriptblock]::Create((iwr …))`. */
function powerShellExecution(tree: CommandTree, placed: PlacedCommand, unsaved: readonly Download[]): Execution | null {
  const { located } = placed;
  const { command } = located;
  if (command.shell !== 'powershell') return null;
  let range: Range;
  if ((located.name === 'iex' || located.name === 'invoke-expression') && command.name.kind === 'word') {
    range = located.rangeOf(command.name);
  } else if (command.name.kind === 'group' && SCRIPTBLOCK_TYPE.test(command.name.value) && /^::create$/i.test(command.args[0]?.value ?? '')) {
    range = { start: located.rangeOf(command.name).start, end: located.rangeOf(command.args[0]).end };
  } else {
    return null;
  }
  const download = feedingDownload(tree, placed, unsaved);
  return download ? { range, runner: tree.document.getText(range), url: urlText(download), placed } : null;
}

/** A download whose content reaches `consumer`: inside its arguments, earlier in its pipeline, or through a variable. */
function feedingDownload(tree: CommandTree, consumer: PlacedCommand, unsaved: readonly Download[]): Download | undefined {
  const inside = new Set(tree.commandsInArguments(consumer));
  for (const member of tree.earlierInPipeline(consumer)) {
    inside.add(member);
    const { command } = member.located;
    for (const token of [command.name, ...command.args]) tree.commandsInside(member, token).forEach((c) => inside.add(c));
  }
  const direct = unsaved.find((d) => inside.has(d.placed));
  if (direct) return direct;
  const readers = [consumer, ...tree.commandsInArguments(consumer)];
  return unsaved.find((d) => {
    if (d.placed.run !== consumer.run || d.placed.commandIndex >= consumer.commandIndex) return false;
    const variable = assignedVariable(d.placed.located.command) ?? assignedVariable(tree.statementOf(d.placed).located.command);
    return variable !== undefined && readers.some((reader) => readsVariable(reader.located.command, variable));
  });
}

// ── POSIX (and PowerShell reading its script from standard input) ──

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php']);
/** Prefixes that run the next word as the command: `sudo -E bash`, `env FOO=1 sh`. */
const PREFIX_COMMANDS = new Set(['sudo', 'doas', 'env', 'exec', 'nohup', 'time', 'command']);
const SUDO_VALUE_OPTIONS = /^-[ugCDhprtUT]$/;

/** `curl … | sh`, `wget -qO- … | sudo bash -s -- -v 1`, `curl … | python3 -`, `curl.exe … | powershell -`. */
function stdinProgramExecution(tree: CommandTree, placed: PlacedCommand, unsaved: readonly Download[]): Execution | null {
  if (placed.located.command.pipelineIndex === 0) return null;
  const runner = stdinProgramRunner(placed);
  if (!runner) return null;
  const earlier = new Set(tree.earlierInPipeline(placed));
  const download = unsaved.find((d) => earlier.has(d.placed));
  return download ? { range: placed.located.rangeOf(runner), runner: runner.value, url: urlText(download), placed } : null;
}

/** The word naming a shell or interpreter that reads its program from standard input, after `sudo`/`env`. */
function stdinProgramRunner(placed: PlacedCommand): ShellToken | null {
  const { command } = placed.located;
  const words = [command.name, ...command.args];
  let index = 0;
  while (index < words.length && PREFIX_COMMANDS.has(baseName(words[index]!.value))) {
    index++;
    while (index < words.length && (words[index]!.value.startsWith('-') || /^\w+=/.test(words[index]!.value))) {
      index += SUDO_VALUE_OPTIONS.test(words[index]!.value) ? 2 : 1;
    }
  }
  const runner = words[index];
  if (!runner) return null;
  const name = baseName(runner.value);
  const rest = { ...command, args: words.slice(index + 1) };
  if (SHELLS.has(name)) return readsProgramFromStdin(rest, 'c', 's') ? runner : null;
  if (INTERPRETERS.has(name)) return readsProgramFromStdin(rest, 'ceEmr', '') ? runner : null;
  if (name === 'powershell' || name === 'pwsh') return rest.args.some((a) => a.value === '-') ? runner : null;
  return null;
}

/** No inline program (`-c`, `-e`) and no script file: the program comes from standard input. */
function readsProgramFromStdin(command: ShellCommand, inlineLetters: string, stdinLetters: string): boolean {
  const parsed = parseArguments(command, {});
  if (parsed.options.some((o) => o.name.length === 1 && inlineLetters.includes(o.name))) return false;
  if (stdinLetters && parsed.options.some((o) => o.name.length === 1 && stdinLetters.includes(o.name))) return true;
  const script = parsed.positionals[0];
  return !script || script.value === '-' || script.value === '/dev/stdin';
}

/** `sh -c "$(curl …)"`, `eval "$(curl …)"`, `` `wget -qO- …` ``: the download's output becomes the command. */
function substitutionExecution(tree: CommandTree, placed: PlacedCommand, unsaved: readonly Download[]): Execution | null {
  const { located } = placed;
  const { command } = located;
  if (command.shell !== 'posix') return null;
  const runsOutput = located.name === 'eval' ? command.args : /^("?\$\(|`)/.test(command.name.value) ? [command.name] : [];
  const inside = new Set(runsOutput.flatMap((token) => tree.commandsInside(placed, token)));
  const download = unsaved.find((d) => inside.has(d.placed));
  if (!download) return null;
  const url = urlText(download);
  if (located.name === 'eval') return { range: located.rangeOf(command.name), runner: 'eval', url, placed };
  // The script of `sh -c "$(curl …)"` is opened up as a command of its own: name the shell that runs it.
  const wrapper = tree.parentOf(placed);
  const runner = wrapper && SHELLS.has(wrapper.located.name) ? wrapper.located : located;
  return { range: runner.rangeOf(runner.command.name), runner: runner.command.name.value, url, placed };
}

/**
 * `bash <(curl -fsSL …)`: the POSIX parser does not know process substitution; it keeps it as one word, or
 * (when it falls back to splitting) as words `<(curl`, `-fsSL`, `https://…)`. Either way it is read as written.
 */
function processSubstitutionExecution(placed: PlacedCommand): Execution | null {
  const { located } = placed;
  const { command } = located;
  if (command.shell !== 'posix' || !(SHELLS.has(located.name) || located.name === 'source' || located.name === '.')) return null;
  const opening = command.args.findIndex((a) => /^<\((curl|wget)(\s|$)/.test(a.value));
  if (opening < 0) return null;
  const words = command.args.slice(opening).flatMap((a) => plainValue(a).split(/\s+/));
  const url = words.map((word) => word.replace(/\)$/, '')).find((word) => /^[a-z]+:\/\//i.test(word)) ?? null;
  return { range: located.rangeOf(command.name), runner: command.name.value, url, placed };
}

function baseName(value: string): string {
  return lastPathSegment(value).replace(/\.exe$/i, '').toLowerCase();
}

/** The URL as written (in the command, an earlier assignment or an ENV), else the expression that holds it. */
function urlText(download: Download): string | null {
  return download.literal?.value ?? (download.url ? plainValue(download.url) : null);
}

// The one script model for every place a script is embedded in a document: a Dockerfile RUN (shell or
// exec form), and a pipeline step's script. The host hands over the script text with its map back to
// document offsets (MappedText) and the shell it runs in; the model tokenizes it with the matching front
// end, opens wrapped scripts (`powershell -Command "…"`, `cmd /S /C "…"`, `sh -c '…'`, `sudo …`,
// `-EncodedCommand`) and gives every command a way back to exact document ranges. It knows nothing of
// Dockerfiles: the host type (`Host`) is whatever the caller attaches (a RUN, a step).
import type { TextDocument } from '../text';
import type { Range } from '../types';
import { tokenizeCmd } from './cmd';
import { tokenizePosix } from './posix';
import { tokenizePowerShell } from './powershell';
import { joinMapped, sliceMapped, type MappedText } from './runScript';
import { commandName, lastPathSegment, type ParsedScript, type ShellCommand, type ShellKind, type ShellToken } from './types';

/** A command of an embedded script, located in the document. */
export interface ScriptCommand<Host> {
  command: ShellCommand;
  /** The lower-cased command name without path or `.exe`. */
  name: string;
  /** Document range of a token of this command (or of the whole command). */
  rangeOf(token?: ShellToken): Range;
  /** The same place as document offsets: what relations between commands compare, without positions. */
  offsetsOf(token?: ShellToken): { start: number; end: number };
  /** The script (RUN, step) this command belongs to. */
  run: Host;
}

/** What a host holds for one embedded script: the host type adds its own facts (instruction, step…). */
export interface ScriptAnalysis<Host> {
  /** The shell the script's own text is written for. */
  shell: ShellKind;
  /** `json`: an argv list run without a shell (Dockerfile exec form). */
  form: 'shell' | 'json';
  /** Every command, wrapped ones included, in source order. */
  commands: Array<ScriptCommand<Host>>;
}

const MAX_WRAPPER_DEPTH = 4;

/**
 * Text a pipeline platform replaces before the shell runs: GitHub's and Azure's template expressions
 * (`${{ matrix.os }}`), GitLab's input interpolation (`$[[ inputs.name ]]`). The shell never sees them,
 * so no front end may read them as shell syntax. To bash `${{ … }}` is a bad substitution: tree-sitter's
 * error recovery around it cost ~35 % of its time on the workflow corpus and mangled the commands nearby
 * (337 of 1,504 POSIX `run:` scripts parsed with errors, 17 with the expressions masked). PowerShell ends
 * `${…}` at the first `}`, leaving `} -OutFile x` as a command of its own (39 of 89 such PowerShell steps;
 * 256 tokenizer problems, 0 masked); cmd split `${{ parameters.url }}` into three words.
 */
export interface TemplateSyntax {
  open: string;
  close: string;
}

export const GITHUB_TEMPLATE_EXPRESSIONS: TemplateSyntax = { open: '${{', close: '}}' };
export const GITLAB_INPUT_INTERPOLATION: TemplateSyntax = { open: '$[[', close: ']]' };

/** Where the template expressions of a script are: `[start, end)` offsets, in order. */
export function templateSpans(text: string, syntax: TemplateSyntax): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = text.indexOf(syntax.open);
  while (from >= 0) {
    const close = text.indexOf(syntax.close, from + syntax.open.length);
    if (close < 0) break;
    const end = close + syntax.close.length;
    spans.push([from, end]);
    from = text.indexOf(syntax.open, end);
  }
  return spans;
}

/** What stands for a template expression `length` characters long in the text a front end reads. */
function maskOf(length: number): string {
  return '${' + '_'.repeat(length - 3) + '}';
}

/**
 * The text the front ends read: each template expression replaced by a variable of the same length
 * (`${{ matrix.os }}` → `${_____________}`: a parameter expansion to bash, a braced variable to
 * PowerShell), a value unknown until run time as the expression's is. Lengths are kept, so every offset
 * stays exact; the written text is put back into the tokens (see restoreTemplateText).
 */
export function maskTemplateExpressions(text: string, spans: ReadonlyArray<[number, number]>): string {
  let masked = '';
  let copied = 0;
  for (const [start, end] of spans) {
    masked += text.slice(copied, start) + maskOf(end - start);
    copied = end;
  }
  return masked + text.slice(copied);
}

/**
 * Puts the written expressions back into tokens read from the masked text: `raw` is cut from the script,
 * and in `value` each mask of an expression inside the token is replaced by the expression, in order
 * (quotes and escapes never fall inside a mask, so the mask stands in the value as it stood in the text).
 */
function restoreTemplateText(parsed: ParsedScript, script: string, spans: ReadonlyArray<[number, number]>): void {
  const done = new Set<ShellToken>();
  const restore = (token: ShellToken): void => {
    if (done.has(token)) return;
    done.add(token);
    let value = token.value;
    let cursor = 0;
    let touched = false;
    for (const [start, end] of spans) {
      if (end <= token.start) continue;
      if (start >= token.end) break;
      touched = true;
      if (start < token.start || end > token.end) continue;
      const mask = maskOf(end - start);
      const at = value.indexOf(mask, cursor);
      if (at < 0) continue;
      const written = script.slice(start, end);
      value = value.slice(0, at) + written + value.slice(at + mask.length);
      cursor = at + written.length;
    }
    if (!touched) return;
    token.raw = script.slice(token.start, token.end);
    token.value = value;
  };
  for (const command of parsed.commands) {
    restore(command.name);
    command.args.forEach(restore);
    command.assignments?.forEach(restore);
  }
}

/**
 * Adds the commands of a script written for `shell` to `host.commands`. `templates`: the platform's
 * template syntax, when the script is a pipeline step's (see TemplateSyntax).
 */
export function analyseShellScript<Host extends ScriptAnalysis<Host>>(document: TextDocument, host: Host, script: MappedText, shell: ShellKind, templates?: TemplateSyntax): void {
  host.shell = shell;
  host.form = 'shell';
  addCommands(document, host, tokenize(script.text, shell, 0, templates), script, 0, templates);
}

/**
 * An argv list run without a shell (`RUN ["powershell", "-Command", "…"]`): argv[0] is the command, and a
 * shell named there is a wrapper like any other. `fallbackShell` names the shell when argv[0] is none.
 */
export function analyseExecForm<Host extends ScriptAnalysis<Host>>(document: TextDocument, host: Host, argv: readonly MappedText[], fallbackShell: ShellKind): void {
  host.form = 'json';
  host.shell = shellKindOfExecutable(argv[0]?.text ?? '') ?? fallbackShell;
  const joined = joinMapped([...argv], ' ');
  const tokens: ShellToken[] = [];
  let offset = 0;
  for (const part of argv) {
    tokens.push({ kind: part.text.startsWith('-') || /^\/[A-Za-z?]/.test(part.text) ? 'parameter' : 'word', raw: part.text, value: part.text, start: offset, end: offset + part.text.length });
    offset += part.text.length + 1;
  }
  const [name, ...args] = tokens;
  if (!name) return;
  const command: ShellCommand = { shell: host.shell, name, args, start: 0, end: joined.text.length, pipeline: [], pipelineIndex: 0, depth: 0 };
  command.pipeline = [command];
  addCommands(document, host, { shell: host.shell, commands: [command], problems: [] }, joined, 0);
}

export function shellKindOfExecutable(executable: string): ShellKind | null {
  const base = lastPathSegment(executable).replace(/\.exe$/i, '').toLowerCase();
  if (base === 'powershell' || base === 'pwsh') return 'powershell';
  if (base === 'cmd') return 'cmd';
  if (['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox'].includes(base)) return 'posix';
  return null;
}

/**
 * Tokenized scripts by shell, depth and text. While a user types, one script changes and the others are
 * the same strings as before, so they are not tokenized again. Insertion-ordered Map as a small LRU;
 * results are never mutated by their users. 1,000 scripts hold every script of the bench's 5,000-line
 * file (620 with its wrappers' inner scripts: a re-lint tokenizes one); 5,000 kept the scripts of hundreds of other
 * open files too, which no keystroke reuses: about 4 MB of the server's resident memory with the corpus open.
 */
const tokenized = new Map<string, ParsedScript>();
const TOKENIZED_LIMIT = 1_000;

export function clearTokenizerCache(): void {
  tokenized.clear();
}

function tokenize(script: string, shell: ShellKind, depth: number, templates?: TemplateSyntax): ParsedScript {
  const key = `${shell}\u0000${depth}\u0000${templates?.open ?? ''}\u0000${script}`;
  const cached = tokenized.get(key);
  if (cached) {
    tokenized.delete(key);
    tokenized.set(key, cached);
    return cached;
  }
  // Every shell gets the masked text: even to cmd, which gives `$` and braces no meaning, the expression
  // is one value, not the three words `${{`, `parameters.url`, `}}` its spaces would make.
  const spans = templates ? templateSpans(script, templates) : [];
  const masked = spans.length > 0 ? maskTemplateExpressions(script, spans) : script;
  let parsed: ParsedScript;
  if (shell === 'posix') {
    // tree-sitter reads the masked text; the tokens are cut from the script itself.
    parsed = tokenizePosix(script, depth, masked);
  } else {
    parsed = shell === 'powershell' ? tokenizePowerShell(masked, depth) : tokenizeCmd(masked, depth);
    if (spans.length > 0) restoreTemplateText(parsed, script, spans);
  }
  tokenized.set(key, parsed);
  if (tokenized.size > TOKENIZED_LIMIT) tokenized.delete(tokenized.keys().next().value!);
  return parsed;
}

/**
 * A command located through its script's map. One object per command with the mapping on the prototype,
 * rather than two closures per command: every command of every script is made again on each lint.
 */
class LocatedCommand<Host> implements ScriptCommand<Host> {
  readonly name: string;
  constructor(readonly command: ShellCommand, readonly run: Host, private readonly script: MappedText, private readonly document: TextDocument) {
    this.name = commandName(command);
  }

  offsetsOf(token?: ShellToken): { start: number; end: number } {
    const start = token ? token.start : this.command.start;
    const end = token ? token.end : this.command.end;
    const { script } = this;
    if (script.opaqueSpan) return { start: script.opaqueSpan[0], end: script.opaqueSpan[1] };
    const last = script.offsets.length - 1;
    const from = script.offsets[Math.max(0, Math.min(start, last))]!;
    // The end maps through the last character so a token ending a line does not run onto the next.
    const to = end > start ? script.offsets[Math.max(0, Math.min(end - 1, last))]! + 1 : from;
    return { start: from, end: Math.max(from, to) };
  }

  rangeOf(token?: ShellToken): Range {
    const offsets = this.offsetsOf(token);
    return { start: this.document.positionAt(offsets.start), end: this.document.positionAt(offsets.end) };
  }
}

function addCommands<Host extends ScriptAnalysis<Host>>(document: TextDocument, host: Host, parsed: ParsedScript, script: MappedText, wrapperDepth: number, templates?: TemplateSyntax): void {
  for (const command of parsed.commands) {
    host.commands.push(new LocatedCommand(command, host, script, document));
    if (wrapperDepth < MAX_WRAPPER_DEPTH) {
      const wrapped = wrappedScript(command, script);
      if (wrapped) addCommands(document, host, tokenize(wrapped.script.text, wrapped.shell, wrapperDepth + 1, templates), wrapped.script, wrapperDepth + 1, templates);
    }
  }
}

/** Parameters of powershell.exe that take a value (so the value is not the start of the command). */
const POWERSHELL_VALUE_PARAMETERS = /^-(executionpolicy|ex|ep|inputformat|inf|outputformat|of|windowstyle|w|configurationname|version|v|psconsolefile|workingdirectory|wd|settingsfile)$/i;

interface Wrapped {
  shell: ShellKind;
  script: MappedText;
}

/** Options of xargs written apart from their value (`-I {}`, `-n 1`); `--max-args=1` and `-n1` carry theirs. */
const XARGS_VALUE_OPTIONS = /^-[IdEnLPsa]$/;

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
  // `… | xargs -I {} cosign sign {}@$DIGEST`: the words after xargs' options are the command it runs per input.
  if (command.shell === 'posix' && runner === 'xargs') {
    const args = command.args;
    let i = 0;
    while (i < args.length && args[i]!.value.startsWith('-')) i += XARGS_VALUE_OPTIONS.test(args[i]!.value) ? 2 : 1;
    const rest = args.slice(i);
    if (rest.length === 0) return null;
    return { shell: 'posix', script: sliceMapped(script, rest[0]!.start, rest[rest.length - 1]!.end) };
  }
  // `pipenv run pip install x`, `poetry run …`: the words after `run` are a command in the project's environment.
  if (command.shell === 'posix' && (runner === 'pipenv' || runner === 'poetry')) {
    const args = command.args;
    const index = args.findIndex((a) => !a.value.startsWith('-'));
    if (index < 0 || args[index]!.value !== 'run') return null;
    let i = index + 1;
    while (i < args.length && args[i]!.value.startsWith('-')) i++;
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
        const offsets = new Array<number>(decoded.length + 1).fill(from);
        offsets[decoded.length] = to;
        return { shell, script: { text: decoded, offsets, opaqueSpan: [from, to] } };
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

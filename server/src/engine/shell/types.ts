// The shell model shared by the PowerShell, cmd and POSIX front ends. Rules look at commands and
// their parameters through these types, never at the raw RUN text.

export type ShellKind = 'powershell' | 'cmd' | 'posix';

export type TokenKind =
  /** A bare word: a command name, an argument, a path, a URL, a number. */
  | 'word'
  /** A PowerShell/cmd parameter (`-OutFile`, `-Uri:x`, `/S`, `/C`) or a POSIX option (`-k`, `--insecure`). */
  | 'parameter'
  /** A quoted string ('…', "…", here-strings). `value` holds the content without quotes. */
  | 'string'
  /** A PowerShell variable (`$x`, `${x}`, `$env:PATH`) or a cmd `%VAR%`/`!VAR!` reference standing alone. */
  | 'variable'
  /** A bracketed group: `(…)`, `$(…)`, `@(…)`, `{…}` (script block), `[type]` type literal. */
  | 'group'
  /** `.Member` or `::Member` access following a token, e.g. `.DownloadFile`, `::SecurityProtocol`. */
  | 'member'
  /** `=`, `+=`, `,`, `-eq`-style operators inside expressions, redirections (`>`, `2>&1`). */
  | 'operator';

export interface ShellToken {
  kind: TokenKind;
  /** The text as written, quotes and escapes included. */
  raw: string;
  /**
   * The value the shell would see: quotes removed, escapes resolved (PowerShell backtick, cmd caret,
   * POSIX backslash); variables and expressions are left as written.
   */
  value: string;
  /** Offsets into the tokenizer's input; `end` is exclusive. */
  start: number;
  end: number;
  /** For groups: the bracket pair (`(`, `$(`, `@(`, `{`, `[`). */
  open?: string;
  /** For groups (and strings with `$(…)` subexpressions): the commands inside, with depth + 1. */
  inner?: ShellCommand[];
}

export interface ShellCommand {
  shell: ShellKind;
  /** The first token: a command name, or the start of an expression statement (`$x`, `[Net.ServicePointManager]`, `(…)`). */
  name: ShellToken;
  /** The remaining tokens of the command, up to the next `;`, `|`, `&&`, `||`, `&`, newline or closing bracket. */
  args: ShellToken[];
  /** Offsets of the whole command (name to last argument). */
  start: number;
  end: number;
  /** The commands of the pipeline this one belongs to, in order (a single command is a pipeline of one). */
  pipeline: ShellCommand[];
  pipelineIndex: number;
  /** 0 for top level; +1 inside each group, script block, subexpression or wrapped script. */
  depth: number;
  /** `$x = Invoke-WebRequest …` (PowerShell) / `x=$(curl …)` (POSIX): the variable assigned, without `$`. */
  assignedTo?: string;
  /** How this command was joined to the previous one: `;`, `&&`, `||`, `&`, newline or none (first). */
  joinedBy?: ';' | '&&' | '||' | '&' | '\n';
  /** POSIX `X=1 Y=2 cmd …`: variable assignments that apply to this command only (`X=1` word tokens). */
  assignments?: ShellToken[];
  /** PowerShell `& 'C:\\x.exe'` (call) or `. .\\script.ps1` (dot-source): the name token was invoked. */
  calledWith?: '&' | '.';
}

/** What a tokenizer returns: every command found, in source order, nested ones included (flattened). */
export interface ParsedScript {
  shell: ShellKind;
  /** All commands, top level and nested, ordered by start offset. */
  commands: ShellCommand[];
  /** Problems such as an unterminated string; the tokenizer recovers and still returns what it could. */
  problems: Array<{ message: string; start: number; end: number }>;
}

/**
 * Case-insensitive name of a command without a directory or `.exe` (`C:\\Windows\\System32\\curl.exe` →
 * `curl`); empty for expression statements (`$x = …`, `(…).Method()`, `[Type]::Member`, and a bare
 * string in PowerShell, which is a value rather than a command unless called with `&`).
 */
export function commandName(command: ShellCommand): string {
  const name = command.name;
  if (name.kind === 'group' || name.kind === 'variable' || name.kind === 'operator' || name.kind === 'member') return '';
  if (command.shell === 'powershell' && name.kind === 'string' && !command.calledWith) return '';
  // `X=https://h/bin/sudo` (an assignment) and `$(curl …)` (a substitution) name no command.
  if (command.shell === 'posix' && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(name.value) || /^\$\(|^`/.test(name.raw))) return '';
  return lastPathSegment(name.value).replace(/\.(exe|cmd|bat|com)$/i, '').toLowerCase();
}

/** What follows the last `/` or `\\` (the whole value when there is none): without splitting the path. */
export function lastPathSegment(value: string): string {
  return value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1);
}

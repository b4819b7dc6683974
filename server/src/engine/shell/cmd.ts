// cmd.exe front end of the shell model: a character scanner that turns a RUN script, exactly as cmd receives
// it, into commands and tokens with exact offsets.
//
// Two layers decide what a cmd line means, and the scanner follows both in one pass:
// - cmd itself splits the line into commands at `&`, `&&`, `||`, `|`, line breaks and `( … )` blocks, and finds
//   redirections. Outside double quotes `^` escapes the next character (`^` + line break joins lines); every `"`
//   toggles cmd's quote state, inside which those characters are plain text.
// - The program then splits its command line into arguments. Almost every Windows program (powershell.exe
//   included) uses the Microsoft C runtime rules, so token boundaries and `value`s follow them: blanks outside
//   quotes separate arguments, quotes are removed, `""` inside quotes is one literal `"`, `\"` is a literal `"`
//   and backslashes before a quote are halved. So `powershell -Command "Write-Host \"hi\""` gives the argument
//   value `Write-Host "hi"`, which is what PowerShell runs. Built-ins such as `echo` see their raw text instead; `raw`
//   keeps it. (`cmd /S /C "…"` strips only the outer quotes of its line: use `raw` there when it matters.)
//
// Other decisions:
// - Parameters are arguments starting with `/` plus a letter or `?` (`/S`, `/add`, `/?`) or with `-` plus a letter,
//   `-` or `?` (`-y`, `--version`). `-1` is a word.
// - `%VAR%`, `!VAR!`, `%%i`, `%1`, `%~dp0` standing alone are variable tokens; inside words they stay as written.
// - `rem …` and `:: …` (any line starting with `:`, i.e. labels) produce no tokens.
// - `( … )` blocks at a command's start, and every `( … )` starting an argument of `if` / `for`, are groups whose
//   content is tokenized one level deeper (so the `in ( … )` set of `for` is too). An inline body (`if exist x del x`,
//   `for %i in (*) do echo %i`, `else echo y`) ends the `if` / `for` command and becomes a command of its own.
import type { ParsedScript, ShellCommand, ShellToken, TokenKind } from './types';

type Joiner = NonNullable<ShellCommand['joinedBy']>;
type Problem = ParsedScript['problems'][number];
type Control = 'if' | 'for' | undefined;

/** Blocks nested deeper than this are skipped with a problem, so hostile input cannot exhaust the stack. */
const MAX_NESTING = 100;
/** Beyond this many problems the rest is noise; the first ones locate the trouble. */
const MAX_PROBLEMS = 100;
/** Longer tokens are not looked at as variables; the bound keeps the check cheap on hostile input. */
const MAX_VARIABLE_LENGTH = 256;
const IF_OPERATORS: ReadonlySet<string> = new Set(['equ', 'neq', 'lss', 'leq', 'gtr', 'geq']);
const IF_UNARY: ReadonlySet<string> = new Set(['exist', 'defined', 'errorlevel', 'cmdextversion']);
const VARIABLE = /^(?:%[^%\s]+%|![^!\s]+!|%%?(?:~[a-z$:]*)?[a-z0-9*])$/i;

export function tokenizeCmd(script: string, depth = 0): ParsedScript {
  return new CmdScanner(script, depth).run();
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9' && c.length === 1;
}

function isAsciiLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f' || c === '\v';
}

function isParameter(raw: string): boolean {
  const [a, b] = [raw.charAt(0), raw.charAt(1)];
  if (a === '/') return isAsciiLetter(b) || b === '?';
  return a === '-' && (isAsciiLetter(b) || b === '-' || b === '?');
}

function isVariable(raw: string): boolean {
  return raw.length <= MAX_VARIABLE_LENGTH && VARIABLE.test(raw);
}

function controlOf(name: ShellToken): Control {
  if (name.kind === 'group') return undefined;
  const lower = name.value.toLowerCase();
  return lower === 'if' || lower === 'for' ? lower : undefined;
}

/**
 * Whether the lower-cased raw words after `if` form a whole condition: `[/i] [not] exist|defined|errorlevel x`,
 * `a==b` (also `a== b`, `a ==b`, `a == b`) or `a equ b`.
 */
function ifConditionComplete(words: readonly string[]): boolean {
  let i = 0;
  if (words[i] === '/i') i++;
  if (words[i] === 'not') i++;
  const first = words[i];
  if (first === undefined) return false;
  if (IF_UNARY.has(first)) return words.length >= i + 2;
  if (first.includes('==')) return !first.endsWith('==') || words.length >= i + 2;
  const op = words[i + 1];
  if (op === undefined) return false;
  if (op.startsWith('==')) return op !== '==' || words.length >= i + 3;
  if (IF_OPERATORS.has(op)) return words.length >= i + 3;
  return true; // not a condition cmd knows; stop looking for one
}

function strongest(current: Joiner | undefined, next: Joiner): Joiner {
  // `a &⏎b` was joined by `&`: an explicit separator wins over the line break around it.
  return current === undefined || current === '\n' ? next : current;
}

function append<T>(target: T[], source: readonly T[]): void {
  for (const item of source) target.push(item);
}

/** Builds an argument's value with the Microsoft C runtime rules (see the file comment). */
class ArgumentValue {
  value = '';
  /** Inside a quoted part, where blanks do not separate arguments. */
  inQuotes = false;
  /** Set once a character lands outside quotes: the argument is not one plain quoted string. */
  unquoted = false;
  private backslashes = 0;
  /** A quote just closed a quoted part: a quote right after it is a literal `"` (`"a""b"` → `a"b`). */
  private justClosed = false;

  add(c: string): void {
    if (c === '\\') {
      this.backslashes++;
      this.justClosed = false;
      return;
    }
    if (c === '"') {
      this.quote();
      return;
    }
    this.flushBackslashes();
    this.justClosed = false;
    this.text(c);
  }

  finish(): string {
    this.flushBackslashes();
    return this.value;
  }

  private quote(): void {
    const backslashes = this.backslashes;
    this.backslashes = 0;
    // 2n backslashes + quote: n backslashes and a quote that toggles; 2n+1: n backslashes and a literal quote.
    if (backslashes > 0) this.text('\\'.repeat(backslashes >> 1));
    if (backslashes % 2 === 1) {
      this.text('"');
      return;
    }
    if (this.justClosed) {
      this.justClosed = false;
      this.inQuotes = true;
      this.text('"');
      return;
    }
    this.justClosed = this.inQuotes;
    this.inQuotes = !this.inQuotes;
  }

  private flushBackslashes(): void {
    if (this.backslashes > 0) this.text('\\'.repeat(this.backslashes));
    this.backslashes = 0;
  }

  private text(s: string): void {
    this.value += s;
    if (!this.inQuotes) this.unquoted = true;
  }
}

class CmdScanner {
  private pos = 0;
  /** Open `( … )` blocks: inside one, an unquoted `)` ends it. */
  private blocks = 0;
  /** cmd's own quote state: every unescaped `"` toggles it; it can outlast a token (`\"a b"`) but not a line. */
  private quoted = false;
  private quoteStart = 0;
  private readonly commands: ShellCommand[] = [];
  private readonly problems: Problem[] = [];

  constructor(private readonly src: string, private readonly baseDepth: number) {}

  run(): ParsedScript {
    this.parseStatements(this.baseDepth, false, 0);
    this.commands.sort((a, b) => a.start - b.start);
    return { shell: 'cmd', commands: this.commands, problems: this.problems };
  }

  /** Statements up to the `)` of the block (consumed) or the end of input; returns the commands at this level. */
  private parseStatements(depth: number, inBlock: boolean, openStart: number): ShellCommand[] {
    const direct: ShellCommand[] = [];
    let joiner: Joiner | undefined;
    for (;;) {
      this.skipSpace();
      const c = this.ch(this.pos);
      const next = this.ch(this.pos + 1);
      if (c === '' || c === '\n') {
        this.closeQuoteAtLineEnd();
        if (c === '') {
          if (inBlock) this.problem("Missing closing ')'", openStart, this.pos);
          return direct;
        }
        joiner = strongest(joiner, '\n');
        this.pos++;
        continue;
      }
      if (!this.quoted) {
        if (c === '&') {
          joiner = strongest(joiner, next === '&' ? '&&' : '&');
          this.pos += next === '&' ? 2 : 1;
          continue;
        }
        if (c === '|') {
          if (next === '|') joiner = strongest(joiner, '||');
          else this.problem('Empty pipeline element before |', this.pos, this.pos + 1);
          this.pos += next === '|' ? 2 : 1;
          continue;
        }
        if (c === ')') {
          this.pos++;
          if (inBlock) return direct;
          this.problem("Unexpected ')'", this.pos - 1, this.pos);
          continue;
        }
        if (c === ':') {
          // `:label` and `:: comment`: nothing runs.
          this.skipToLineEnd();
          continue;
        }
      }
      const before = this.pos;
      const pipeline = this.parsePipeline(depth, joiner);
      append(direct, pipeline);
      if (pipeline.length > 0) joiner = undefined;
      if (this.pos === before) {
        // Nothing could be read here; skip the character so the scanner always moves on.
        this.problem(`Unexpected '${c}'`, this.pos, this.pos + 1);
        this.pos++;
      }
    }
  }

  private parsePipeline(depth: number, joiner: Joiner | undefined): ShellCommand[] {
    const pipeline: ShellCommand[] = [];
    let pipeAt = -1;
    for (;;) {
      const command = this.parseCommand(depth);
      if (!command) {
        if (pipeline.length > 0) this.problem('Missing command after |', pipeAt, pipeAt + 1);
        break;
      }
      pipeline.push(command);
      this.skipSpace();
      if (this.quoted || this.ch(this.pos) !== '|' || this.ch(this.pos + 1) === '|') break;
      pipeAt = this.pos++;
    }
    pipeline.forEach((command, index) => {
      command.pipeline = pipeline;
      command.pipelineIndex = index;
    });
    if (joiner !== undefined && pipeline.length > 0) pipeline[0]!.joinedBy = joiner;
    return pipeline;
  }

  private parseCommand(depth: number): ShellCommand | undefined {
    this.skipSpace();
    // `@echo off`: the `@` only silences the echo of the command; it is not part of its name.
    while (!this.quoted && this.ch(this.pos) === '@') {
      this.pos++;
      this.skipSpace();
    }
    // Redirections may come first (`>nul del x`); they are listed first in `args`.
    const leading: ShellToken[] = [];
    for (let length = this.redirectionLength(); length > 0; length = this.redirectionLength()) {
      const redirection = this.operator(length);
      leading.push(redirection);
      this.skipSpace();
      const target = /&\d$/.test(redirection.raw) || this.atArgumentsEnd() ? undefined : this.scanWord();
      if (target) leading.push(target);
      this.skipSpace();
    }
    if (this.atArgumentsEnd()) {
      return leading.length > 0 ? this.makeCommand(leading[0]!, leading.slice(1), depth) : undefined;
    }
    if (!this.quoted && this.atRem()) {
      this.skipToLineEnd();
      return undefined;
    }
    const name = !this.quoted && this.ch(this.pos) === '(' ? this.scanBlock(depth) : this.scanWord();
    if (!name) return undefined;
    const args = this.parseArguments(depth, controlOf(name));
    return this.makeCommand(name, [...leading, ...args], depth);
  }

  private parseArguments(depth: number, control: Control): ShellToken[] {
    const args: ShellToken[] = [];
    const condition: string[] = [];
    let conditionDone = control !== 'if';
    let expectBody = false;
    for (;;) {
      this.skipSpace();
      if (this.atArgumentsEnd()) return args;
      if (!this.quoted) {
        const redirection = this.redirectionLength();
        if (redirection > 0) {
          args.push(this.operator(redirection));
          continue;
        }
        if (control && this.ch(this.pos) === '(') {
          args.push(this.scanBlock(depth));
          expectBody = false;
          continue;
        }
      }
      // `if exist x del x`, `for … do echo %i`, `else echo y`: the body is a command of its own.
      if (expectBody) return args;
      const word = this.scanWord();
      if (!word) {
        // Unreachable: every character that stops a word is handled above. Move on regardless.
        this.problem(`Unexpected '${this.ch(this.pos)}'`, this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      if (word.kind === 'word' && isParameter(word.raw)) word.kind = 'parameter';
      args.push(word);
      const lower = word.value.toLowerCase();
      if (!conditionDone) {
        // The raw text, since quotes matter: `"%a%"==""` is a whole comparison although its value ends with `==`.
        condition.push(word.raw.toLowerCase());
        conditionDone = ifConditionComplete(condition);
        expectBody = conditionDone;
      } else if ((control === 'for' && lower === 'do') || (control === 'if' && lower === 'else')) {
        expectBody = true;
      }
    }
  }

  /** `( … )`: a block whose commands are one level deeper. */
  private scanBlock(depth: number): ShellToken {
    const start = this.pos++;
    let inner: ShellCommand[] = [];
    if (this.blocks >= MAX_NESTING) {
      this.problem(`Nesting deeper than ${MAX_NESTING} levels; the content was not tokenized`, start, start + 1);
      this.skipBalanced();
    } else {
      this.blocks++;
      inner = this.parseStatements(depth + 1, true, start);
      this.blocks--;
    }
    const raw = this.src.slice(start, this.pos);
    return { kind: 'group', raw, value: raw, start, end: this.pos, open: '(', inner };
  }

  /** Moves past the matching `)` without tokenizing (used only beyond the nesting limit). */
  private skipBalanced(): void {
    let open = 0;
    let quoted = false;
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos++);
      if (c === '"') quoted = !quoted;
      else if (c === '\n') quoted = false;
      else if (!quoted && c === '(') open++;
      else if (!quoted && c === ')' && open-- === 0) return;
    }
  }

  /** One argument (see the file comment for the two quoting layers); undefined at a character that ends words. */
  private scanWord(): ShellToken | undefined {
    const start = this.pos;
    const arg = new ArgumentValue();
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos);
      if (c === '\n') break;
      // Blanks end the argument unless the program's own quoting holds them; cmd drops carriage returns.
      if ((isBlank(c) || c === '\r') && !arg.inQuotes) break;
      if (c === '\r') {
        this.pos++;
        continue;
      }
      if (this.quoted) {
        if (c === '"') this.quoted = false;
        arg.add(c);
        this.pos++;
        continue;
      }
      if (c === '&' || c === '|' || c === '<' || c === '>' || (c === ')' && this.blocks > 0)) break;
      if (c === '^') {
        this.readCaret(arg);
        continue;
      }
      if (c === '"') {
        this.quoted = true;
        this.quoteStart = this.pos;
      }
      arg.add(c);
      this.pos++;
    }
    if (this.pos === start) return undefined;
    const raw = this.src.slice(start, this.pos);
    const value = arg.finish();
    const kind: TokenKind = raw.startsWith('"') && !arg.unquoted ? 'string' : isVariable(raw) ? 'variable' : 'word';
    return { kind, raw, value, start, end: this.pos };
  }

  /** `^x` outside quotes: `x` is plain text; `^` + line break joins the lines; a final `^` is dropped. */
  private readCaret(arg: ArgumentValue): void {
    const next = this.ch(this.pos + 1);
    if (next === '\n') this.pos += 2;
    else if (next === '\r' && this.ch(this.pos + 2) === '\n') this.pos += 3;
    else if (next === '') this.pos += 1;
    else {
      // An escaped quote reaches the program as a quote but does not toggle cmd's quote state.
      arg.add(next);
      this.pos += 2;
    }
  }

  /** `>`, `>>`, `<`, `2>`, `2>&1`, `>&2`: the length of the redirection at `pos`, or 0. */
  private redirectionLength(): number {
    if (this.quoted) return 0;
    let i = this.pos;
    if (isDigit(this.ch(i)) && (this.ch(i + 1) === '>' || this.ch(i + 1) === '<')) i++;
    const c = this.ch(i);
    if (c !== '>' && c !== '<') return 0;
    i++;
    if (c === '>' && this.ch(i) === '>') i++;
    if (this.ch(i) === '&' && isDigit(this.ch(i + 1))) i += 2;
    return i - this.pos;
  }

  /** `rem` (any case) followed by a non-word character starts a comment running to the end of the line. */
  private atRem(): boolean {
    if (this.src.slice(this.pos, this.pos + 3).toLowerCase() !== 'rem') return false;
    const after = this.ch(this.pos + 3);
    return !(isAsciiLetter(after) || isDigit(after) || after === '_' || after === '-');
  }

  private atArgumentsEnd(): boolean {
    const c = this.ch(this.pos);
    if (c === '' || c === '\n') {
      this.closeQuoteAtLineEnd();
      return true;
    }
    if (this.quoted) return false;
    return c === '&' || c === '|' || (c === ')' && this.blocks > 0);
  }

  /** A line break (or the end) ends cmd's quoting, so the next line starts fresh. */
  private closeQuoteAtLineEnd(): void {
    if (!this.quoted) return;
    this.problem('Unterminated quoted string', this.quoteStart, this.pos);
    this.quoted = false;
  }

  /** Skips blanks, carriage returns and `^` line continuations; stops at a line break. */
  private skipSpace(): void {
    for (;;) {
      const c = this.ch(this.pos);
      const next = this.ch(this.pos + 1);
      if (isBlank(c) || c === '\r') this.pos++;
      else if (c === '^' && !this.quoted && next === '\n') this.pos += 2;
      else if (c === '^' && !this.quoted && next === '\r' && this.ch(this.pos + 2) === '\n') this.pos += 3;
      else if (c === '^' && !this.quoted && next === '') this.pos++;
      else return;
    }
  }

  private skipToLineEnd(): void {
    const end = this.src.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.src.length : end;
  }

  private ch(index: number): string {
    return this.src.charAt(index);
  }

  private operator(length: number): ShellToken {
    const start = this.pos;
    this.pos += length;
    const raw = this.src.slice(start, this.pos);
    return { kind: 'operator', raw, value: raw, start, end: this.pos };
  }

  private makeCommand(name: ShellToken, args: ShellToken[], depth: number): ShellCommand {
    const last = args.length > 0 ? args[args.length - 1]! : name;
    const start = Math.min(name.start, args[0]?.start ?? name.start);
    const end = Math.max(name.end, last.end);
    const command: ShellCommand = { shell: 'cmd', name, args, start, end, pipeline: [], pipelineIndex: 0, depth };
    this.commands.push(command);
    return command;
  }

  private problem(message: string, start: number, end: number): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ message, start, end: Math.max(start, end) });
  }
}

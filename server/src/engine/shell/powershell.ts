// PowerShell front end of the shell model: a character scanner that turns a RUN script, exactly as
// PowerShell receives it, into commands and tokens with exact offsets.
//
// This is not a full PowerShell parser. It follows PowerShell's own split between two modes, which is what
// rules need to tell a command's parameters from the values handed to them:
// - *command mode*, a statement starting with a command name: `-Foo` is a parameter, `a.b` and
//   `$env:ProgramFiles\app` are single words, `(…)` / `{…}` / `$(…)` are groups;
// - *expression mode*, a statement starting with a value (variable, string, number, group, type literal,
//   unary operator), e.g. the content of `if (…)`: `-eq` is an operator, `.Foo` / `::Foo` are members.
//
// Decisions on ambiguous syntax:
// - `-word` in command mode is a parameter even when it spells an operator (`Where-Object Name -eq x`):
//   PowerShell does the same. In expression mode every `-word` is an operator token.
// - `-Name:value` is one parameter token whose value is the whole text with quotes and escapes resolved
//   (`-Uri:'https://x'` → `-Uri:https://x`). A bracket right after the colon (`-List:@(…)`) starts a separate group.
// - A command-mode argument starting with `/` plus a letter or `?` (`/quiet`, `/M`) is a parameter token too, so
//   native switches look the same under PowerShell and cmd. PowerShell itself passes them as plain words.
// - An argument that glues text, quotes and variables (`$env:ProgramFiles\app`, `a"b c"`) is one word, as PowerShell
//   passes one argument; its value resolves quotes and escapes but keeps `$x` and `$(…)` as written.
// - `$x = <command>` yields the command with `assignedTo: 'x'` (on the first command of its pipeline) and no separate
//   statement for `$x =`. Other targets (`$a.b = …`, `[T]::P = …`, hashtable keys) stay an expression statement
//   ending at `=`, and the command on the right follows as a statement of its own.
// - Member tokens (`.DownloadFile`, `::SecurityProtocol`) keep the `.` / `::` in their value.
// - Expression statements are ShellCommands too; their `name` is a variable, string, group or (for numbers and
//   hashtable keys) word token, so rules looking for commands should check `name.kind === 'word'`.
import type { ParsedScript, ShellCommand, ShellToken, TokenKind } from './types';

type Joiner = NonNullable<ShellCommand['joinedBy']>;
type Problem = ParsedScript['problems'][number];

/** Groups nested deeper than this are skipped with a problem, so hostile input cannot exhaust the stack. */
const MAX_NESTING = 100;
/** Beyond this many problems the rest is noise; the first ones locate the trouble. */
const MAX_PROBLEMS = 100;

/** Statement keywords that take a `{…}` body (`true`) or only arguments (`param(…)`). */
const BLOCK_KEYWORDS: ReadonlyMap<string, boolean> = new Map([
  ['if', true], ['elseif', true], ['else', true], ['switch', true], ['foreach', true], ['for', true],
  ['while', true], ['do', true], ['until', true], ['try', true], ['catch', true], ['finally', true],
  ['trap', true], ['function', true], ['filter', true], ['workflow', true], ['configuration', true],
  ['data', true], ['dynamicparam', true], ['class', true], ['enum', true], ['param', false],
]);
/** Keywords followed by an optional expression rather than by blocks. */
const FLOW_KEYWORDS: ReadonlySet<string> = new Set(['return', 'throw', 'exit', 'break', 'continue']);
const ASSIGNMENT_OPERATORS: ReadonlySet<string> = new Set(['=', '+=', '-=', '*=', '/=', '%=', '??=']);
/** Expression-mode symbol operators, longest first so `+=` wins over `+`. Dash operators are scanned separately. */
const SYMBOL_OPERATORS = ['??=', '??', '+=', '*=', '/=', '%=', '++', '..', '::', '=', '+', '*', '/', '%', '!', ',', '?', ':', '.'];
const NUMBER = /^(?:0x[0-9a-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(?:ul|us|uy|[lduyns])?(?:kb|mb|gb|tb|pb)?$/i;
/** Longer words are never number literals; the bound keeps the check cheap on hostile input. */
const MAX_NUMBER_LENGTH = 64;
const BACKTICK_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['0', '\0'], ['a', '\x07'], ['b', '\b'], ['e', '\x1b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'], ['v', '\v'],
]);

export function tokenizePowerShell(script: string, depth = 0): ParsedScript {
  return new PowerShellScanner(script, depth).run();
}

// ── character classes (every one is false for '', which `charAt` returns past the end) ──

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9' && c.length === 1;
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > '\x7f' && /\p{L}/u.test(c));
}

function isNameChar(c: string): boolean {
  return isLetter(c) || isDigit(c) || c === '_';
}

function isIdentStart(c: string): boolean {
  return isLetter(c) || c === '_';
}

/** PowerShell accepts typographic dashes and quotes (pasted from documents) like the ASCII ones. */
function isDash(c: string): boolean {
  return c === '-' || c === '\u2013' || c === '\u2014' || c === '\u2015';
}

function isSingleQuote(c: string): boolean {
  return c === "'" || c === '\u2018' || c === '\u2019' || c === '\u201a' || c === '\u201b';
}

function isDoubleQuote(c: string): boolean {
  return c === '"' || c === '\u201c' || c === '\u201d' || c === '\u201e';
}

function isQuote(c: string): boolean {
  return isSingleQuote(c) || isDoubleQuote(c);
}

function isHexDigit(c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** `c` is one of the characters of `set` (guards against `''.includes` being true). */
function isOneOf(c: string, set: string): boolean {
  return c !== '' && set.includes(c);
}

// ── token helpers ──

/** A value that starts with a typographic dash reads as `-` so rules compare one spelling. */
function normalizeDash(text: string): string {
  return isDash(text.charAt(0)) && text.charAt(0) !== '-' ? `-${text.slice(1)}` : text;
}

function looksLikeParameter(raw: string): boolean {
  const [a, b, c] = [raw.charAt(0), raw.charAt(1), raw.charAt(2)];
  if (isDash(a)) return isIdentStart(b) || b === '?' || (isDash(b) && isIdentStart(c));
  return a === '/' && (isLetter(b) || b === '?');
}

/** Operators after which an expression continues on the next line (`$a +⏎ $b`, `'x',⏎ 'y'`). */
function continuesOnNextLine(token: ShellToken): boolean {
  if (token.kind !== 'operator') return false;
  return !token.raw.includes('>') && token.raw !== '<' && token.raw !== '++' && token.raw !== '--' && token.raw !== '--%';
}

function isContinuation(keyword: string, word: string): boolean {
  if (keyword === 'do') return word === 'while' || word === 'until';
  return word === 'else' || word === 'elseif' || word === 'catch' || word === 'finally';
}

/** `${x}` → `x`, `$env:PATH` → `env:PATH`. */
function variableName(raw: string): string {
  return raw.startsWith('${') ? raw.slice(2, raw.endsWith('}') ? -1 : undefined) : raw.slice(1);
}

/**
 * The variable of `$x =` or `[string]$x =` (tokens end with the assignment operator), or undefined when the target
 * is anything else: a member, an index, a hashtable key, or more than one term.
 */
function simpleAssignmentTarget(tokens: ShellToken[]): string | undefined {
  const target = tokens.slice(0, -1);
  const variable = target[target.length - 1];
  if (!variable || variable.kind !== 'variable' || !variable.raw.startsWith('$')) return undefined;
  const castsOnly = target.slice(0, -1).every((t) => t.kind === 'group' && t.open === '[' && (t.inner ?? []).length === 0);
  return castsOnly ? variableName(variable.raw) : undefined;
}

function strongest(current: Joiner | undefined, next: Joiner): Joiner {
  // `a;⏎b` was joined by `;`: an explicit separator wins over the line break around it.
  return current === undefined || current === '\n' ? next : current;
}

function append<T>(target: T[], source: readonly T[]): void {
  for (const item of source) target.push(item);
}

class PowerShellScanner {
  private pos = 0;
  private nesting = 0;
  /** How many enclosing groups wait for each closing bracket: tells a stray `)` from one that ends an outer group. */
  private readonly waiting: Record<string, number> = { ')': 0, '}': 0, ']': 0 };
  private readonly commands: ShellCommand[] = [];
  private readonly problems: Problem[] = [];

  constructor(private readonly src: string, private readonly baseDepth: number) {}

  run(): ParsedScript {
    this.parseStatements(this.baseDepth, '', 0, false);
    this.commands.sort((a, b) => a.start - b.start);
    return { shell: 'powershell', commands: this.commands, problems: this.problems };
  }

  // ── statements and pipelines ──

  /**
   * Statements up to `closer` (consumed) or the end of input; returns the commands directly at this level.
   * `hashtable` is set inside `@{…}`, where a statement starts with a key rather than a command name.
   */
  private parseStatements(depth: number, closer: string, openStart: number, hashtable: boolean): ShellCommand[] {
    const direct: ShellCommand[] = [];
    let joiner: Joiner | undefined;
    for (;;) {
      this.skipSpace();
      const c = this.ch(this.pos);
      const next = this.ch(this.pos + 1);
      if (c === '') {
        if (closer) this.problem(`Missing closing '${closer}'`, openStart, this.pos);
        return direct;
      }
      if (c === '\n' || c === ';') {
        joiner = strongest(joiner, c);
        this.pos++;
        continue;
      }
      if ((c === '&' || c === '|') && next === c) {
        joiner = strongest(joiner, c === '&' ? '&&' : '||');
        this.pos += 2;
        continue;
      }
      if (c === '|') {
        this.problem('Empty pipeline element before |', this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      if (c === ')' || c === '}' || c === ']') {
        if (c === closer) {
          this.pos++;
          return direct;
        }
        if (this.waiting[c]! > 0) {
          // An outer group ends here: this one was never closed. Leave the bracket to that group.
          this.problem(`Missing closing '${closer}'`, openStart, this.pos);
          return direct;
        }
        this.problem(`Unexpected '${c}'`, this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      const before = this.pos;
      const pipeline = this.parsePipeline(depth, joiner, hashtable);
      append(direct, pipeline);
      if (pipeline.length > 0) joiner = undefined;
      this.skipSpace();
      // A single `&` after a pipeline runs it as a background job and ends the statement (PowerShell 7).
      if (this.ch(this.pos) === '&' && this.ch(this.pos + 1) !== '&') {
        joiner = '&';
        this.pos++;
      }
      if (this.pos === before) {
        // Nothing could be read here; skip the character so the scanner always moves on.
        this.problem(`Unexpected '${c}'`, this.pos, this.pos + 1);
        this.pos++;
      }
    }
  }

  private parsePipeline(depth: number, joiner: Joiner | undefined, hashtable: boolean): ShellCommand[] {
    const pipeline: ShellCommand[] = [];
    let pipeAt = -1;
    for (;;) {
      const first = pipeline.length === 0;
      const command = this.parseCommand(depth, first, hashtable && first);
      if (!command) {
        if (!first) this.problem('Missing command after |', pipeAt, pipeAt + 1);
        break;
      }
      pipeline.push(command);
      this.skipSpace();
      if (this.ch(this.pos) !== '|' || this.ch(this.pos + 1) === '|') break;
      pipeAt = this.pos++;
      this.skipSpaceAndNewlines(); // `a |⏎ b` continues on the next line
    }
    pipeline.forEach((command, index) => {
      command.pipeline = pipeline;
      command.pipelineIndex = index;
    });
    if (joiner !== undefined && pipeline.length > 0) pipeline[0]!.joinedBy = joiner;
    return pipeline;
  }

  /** One pipeline element: a command, a keyword statement or an expression statement. */
  private parseCommand(depth: number, first: boolean, hashtable: boolean): ShellCommand | undefined {
    let assignedTo: string | undefined;
    let keyPosition = hashtable;
    for (;;) {
      this.skipSpace();
      const c = this.ch(this.pos);
      const next = this.ch(this.pos + 1);
      if ((c === '&' && next !== '&') || (c === '.' && isSpace(next))) return this.parseInvocation(depth, assignedTo);
      if (this.atArgumentsEnd()) return undefined;
      if ((first || assignedTo !== undefined) && !keyPosition) {
        const keyword = this.peekKeyword();
        if (keyword) return this.parseKeywordStatement(depth, keyword, assignedTo);
      }
      if (!keyPosition && this.startsCommandWord()) return this.parseNamedCommand(depth, assignedTo);
      const { tokens, commandAfter } = this.parseExpression(depth);
      if (tokens.length === 0) return undefined;
      const target = commandAfter === 'assignment' && assignedTo === undefined ? simpleAssignmentTarget(tokens) : undefined;
      if (target !== undefined) {
        // `$x = Invoke-WebRequest …`: report the command, remembering where its output goes.
        assignedTo = target;
        keyPosition = false;
        continue;
      }
      return this.makeCommand(tokens[0]!, tokens.slice(1), depth, assignedTo);
    }
  }

  private parseNamedCommand(depth: number, assignedTo: string | undefined): ShellCommand {
    const name = this.scanCompound(depth);
    return this.makeCommand(name, this.parseArguments(depth), depth, assignedTo);
  }

  /** `& 'C:\x\y.exe' /q`, `& $exe`, `. .\script.ps1`: the token after the operator is the command name. */
  private parseInvocation(depth: number, assignedTo: string | undefined): ShellCommand | undefined {
    const operatorAt = this.pos++;
    this.skipSpace();
    if (this.atArgumentsEnd()) {
      this.problem('Missing command after the call operator', operatorAt, this.pos);
      return undefined;
    }
    const tokens: ShellToken[] = [];
    this.scanArgument(depth, tokens);
    const name = tokens[0]!;
    if (name.kind === 'parameter') name.kind = 'word';
    append(tokens, this.parseArguments(depth));
    const command = this.makeCommand(name, tokens.slice(1), depth, assignedTo);
    command.calledWith = this.src[operatorAt] === '&' ? '&' : '.';
    return command;
  }

  /** Command-mode arguments up to the end of the statement or pipeline element. */
  private parseArguments(depth: number): ShellToken[] {
    const args: ShellToken[] = [];
    for (;;) {
      this.skipSpace();
      const last = args[args.length - 1];
      if (last && last.kind === 'operator' && last.raw === ',') this.skipSpaceAndNewlines();
      if (this.atArgumentsEnd()) return args;
      this.scanArgument(depth, args);
    }
  }

  /**
   * Expression-mode tokens. Stops early where a command follows an assignment operator (`$x = iwr …`) or the `in` of
   * `foreach ($f in Get-ChildItem)`, so that the command is parsed as one.
   */
  private parseExpression(depth: number): { tokens: ShellToken[]; commandAfter?: 'assignment' | 'in' } {
    const tokens: ShellToken[] = [];
    for (;;) {
      this.skipSpace();
      const last = tokens[tokens.length - 1];
      if (last && continuesOnNextLine(last)) this.skipSpaceAndNewlines();
      if (this.atArgumentsEnd()) return { tokens };
      this.scanExpressionToken(depth, tokens);
      const added = tokens[tokens.length - 1]!;
      if (added.kind === 'operator' && ASSIGNMENT_OPERATORS.has(added.value) && this.commandFollows()) {
        return { tokens, commandAfter: 'assignment' };
      }
      if (added.kind === 'word' && added.value.toLowerCase() === 'in' && tokens.length > 1 && this.commandFollows()) {
        return { tokens, commandAfter: 'in' };
      }
    }
  }

  // ── keyword statements ──

  private parseKeywordStatement(depth: number, keyword: string, assignedTo: string | undefined): ShellCommand {
    const start = this.pos;
    this.pos += keyword.length;
    const name = this.token('word', start, this.src.slice(start, this.pos));
    const args = FLOW_KEYWORDS.has(keyword) ? this.parseFlowArguments(depth) : this.parseBlockArguments(depth, keyword);
    return this.makeCommand(name, args, depth, assignedTo);
  }

  /** `exit 1`, `throw "x"`, `return $x`. A command after the keyword (`return Get-X`) becomes its own statement. */
  private parseFlowArguments(depth: number): ShellToken[] {
    this.skipSpace();
    if (this.atArgumentsEnd() || this.startsCommandWord()) return [];
    return this.parseExpression(depth).tokens;
  }

  /**
   * `if (…) {…} elseif (…) {…} else {…}`, `try {…} catch [T] {…} finally {…}`, `foreach (…) {…}`, `do {…} while (…)`,
   * `function f {…}`, `switch -Regex (…) {…}`. Bodies may open on the next line, and `else`, `catch`… may follow
   * there too; any other word after a body starts a new statement.
   */
  private parseBlockArguments(depth: number, keyword: string): ShellToken[] {
    const args: ShellToken[] = [];
    let needsBody = BLOCK_KEYWORDS.get(keyword) ?? false;
    let afterBody = false;
    // `param(…)` and the `while (…)` of `do {…} while (…)` end with their parenthesis.
    let endsAfterParen = keyword === 'param';
    for (;;) {
      this.skipSpace();
      if (this.ch(this.pos) === '\n' && !this.keywordContinues(keyword, needsBody, afterBody)) return args;
      if (this.atArgumentsEnd()) return args;
      if (afterBody && !isContinuation(keyword, this.peekWord())) return args;
      const c = this.ch(this.pos);
      if (c === '{') {
        args.push(this.scanGroup(depth, '{', '}'));
        needsBody = false;
        afterBody = true;
        continue;
      }
      afterBody = false;
      if (c === '(') {
        args.push(this.scanGroup(depth, '(', ')'));
        if (endsAfterParen) return args;
      } else if (c === '[') args.push(this.scanTypeLiteral());
      else {
        const index = args.length;
        this.scanArgument(depth, args);
        const word = args[index]!;
        if (word.kind === 'word' && isContinuation(keyword, word.value.toLowerCase())) {
          needsBody = keyword !== 'do';
          endsAfterParen = keyword === 'do';
        }
      }
    }
  }

  /** At a line break inside a keyword statement: does the statement go on (a body, `else`, `catch`…)? */
  private keywordContinues(keyword: string, needsBody: boolean, afterBody: boolean): boolean {
    const saved = this.pos;
    this.skipSpaceAndNewlines();
    if (needsBody && this.ch(this.pos) === '{') return true;
    if (afterBody && isContinuation(keyword, this.peekWord())) return true;
    this.pos = saved;
    return false;
  }

  // ── command-mode tokens ──

  /** Scans one command-mode argument (plus member access after a variable or group) into `out`. */
  private scanArgument(depth: number, out: ShellToken[]): void {
    const c = this.ch(this.pos);
    const next = this.ch(this.pos + 1);
    const redirection = this.redirectionLength();
    if (redirection > 0) {
      out.push(this.operator(redirection));
      return;
    }
    if (c === ',') {
      out.push(this.operator(1));
      return;
    }
    if (isDash(c) && isDash(next) && this.ch(this.pos + 2) === '%' && this.endsStopParsingMarker(this.pos + 3)) {
      this.scanStopParsing(out);
      return;
    }
    let token: ShellToken | undefined;
    if (c === '(') token = this.scanGroup(depth, '(', ')');
    else if (c === '{') token = this.scanGroup(depth, '{', '}');
    else if (c === '@') token = this.scanAt(depth);
    if (!token) {
      token = this.scanCompound(depth);
      if (token.kind === 'word' && looksLikeParameter(token.raw)) {
        token.kind = 'parameter';
        token.value = normalizeDash(token.value);
      }
    }
    out.push(token);
    if (token.kind === 'variable' || token.kind === 'group') this.scanPostfix(depth, out);
  }

  /**
   * A command-mode word: text up to a blank or a PowerShell delimiter, where quoted parts, variables and `$(…)` may
   * be glued to plain text (`$env:ProgramFiles\app`, `--prefix="C:\x"`), since PowerShell passes that as one
   * argument. A word made of exactly one string, variable or subexpression is returned as that token.
   */
  private scanCompound(depth: number): ShellToken {
    const start = this.pos;
    let value = '';
    let sole: ShellToken | undefined;
    let parts = 0;
    let plain = false;
    const inner: ShellCommand[] = [];
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos);
      if (this.endsCommandWord(c)) break;
      if (c === '`') {
        if (this.isLineContinuation(this.pos)) break;
        value += this.readEscape();
        plain = true;
        continue;
      }
      // `-ArgumentList:@(…)`: the array is a group of its own.
      if (c === '@' && this.pos > start && isOneOf(this.ch(this.pos + 1), '({')) break;
      const part = isQuote(c) ? this.scanString(depth) : c === '$' ? this.scanDollar(depth) : undefined;
      if (!part) {
        value += c;
        this.pos++;
        plain = true;
        continue;
      }
      value += part.kind === 'string' ? part.value : part.raw;
      append(inner, part.inner ?? []);
      if (++parts === 1) sole = part;
      // `$x.Name`, `$x[0]`, `$x::Name` at the start of an argument are member access, not more text.
      if (parts === 1 && !plain && part.kind !== 'string' && this.startsPostfix()) break;
    }
    if (this.pos === start) {
      // Callers never start a word on a delimiter; if one ever does, take the character so scanning moves on.
      value = this.ch(this.pos);
      this.pos++;
      plain = true;
    }
    if (sole && parts === 1 && !plain) return sole;
    return this.token('word', start, value, inner.length > 0 ? { inner } : {});
  }

  /** `--%`: the rest of the line goes to a native program verbatim; split on blanks outside double quotes. */
  private scanStopParsing(out: ShellToken[]): void {
    out.push(this.operator(3));
    for (;;) {
      while (isSpace(this.ch(this.pos))) this.pos++;
      const c = this.ch(this.pos);
      if (c === '' || c === '\n' || c === '|') return;
      const start = this.pos;
      let value = '';
      let quoted = false;
      for (let d = c; d !== '' && d !== '\n' && (quoted || (!isSpace(d) && d !== '|')); d = this.ch(++this.pos)) {
        if (d === '"') quoted = !quoted;
        else value += d;
      }
      out.push(this.token('word', start, value));
    }
  }

  private endsStopParsingMarker(index: number): boolean {
    const c = this.ch(index);
    return c === '' || c === '\n' || c === '|' || isSpace(c);
  }

  // ── expression-mode tokens ──

  private scanExpressionToken(depth: number, out: ShellToken[]): void {
    const c = this.ch(this.pos);
    const next = this.ch(this.pos + 1);
    const redirection = this.redirectionLength();
    if (redirection > 0) {
      out.push(this.operator(redirection));
      return;
    }
    let value: ShellToken | undefined;
    if (c === '$') value = this.scanDollar(depth);
    else if (c === '@') value = this.scanAt(depth);
    else if (isQuote(c)) value = this.scanString(depth);
    else if (c === '(') value = this.scanGroup(depth, '(', ')');
    else if (c === '{') value = this.scanGroup(depth, '{', '}');
    else if (c === '[') value = this.scanTypeLiteral();
    if (value) {
      out.push(value);
      this.scanPostfix(depth, out);
      return;
    }
    if (isDigit(c) || (c === '.' && isDigit(next))) {
      out.push(this.scanNumber());
      return;
    }
    if (isDash(c)) {
      out.push(this.scanDashOperator(out[out.length - 1]));
      return;
    }
    const symbol = SYMBOL_OPERATORS.find((op) => this.src.startsWith(op, this.pos));
    if (symbol) {
      out.push(this.operator(symbol.length));
      return;
    }
    out.push(this.scanBareWord());
  }

  /** `-eq`, `-not`, `-match` (any `-letters`), `-=`, `--`, `-`, or a negative number where a value is expected. */
  private scanDashOperator(previous: ShellToken | undefined): ShellToken {
    const next = this.ch(this.pos + 1);
    if (isLetter(next)) {
      let end = this.pos + 1;
      while (isLetter(this.ch(end))) end++;
      return this.operator(end - this.pos);
    }
    const valueExpected = !previous || previous.kind === 'operator';
    if (valueExpected && (isDigit(next) || (next === '.' && isDigit(this.ch(this.pos + 2))))) return this.scanNumber();
    return this.operator(isDash(next) || next === '=' ? 2 : 1);
  }

  /** `42`, `0x1F`, `1.5e3`, `10MB`, `-1`: a word token. `1..10` stops before the range operator. */
  private scanNumber(): ShellToken {
    const start = this.pos;
    let i = isDash(this.ch(start)) ? start + 1 : start;
    for (;;) {
      const c = this.ch(i);
      const exponentSign = (c === '+' || c === '-') && (this.ch(i - 1) === 'e' || this.ch(i - 1) === 'E')
        && isDigit(this.ch(i + 1)) && !/x/i.test(this.src.slice(start, i));
      if (isNameChar(c) || (c === '.' && isDigit(this.ch(i + 1))) || exponentSign) i++;
      else break;
    }
    this.pos = i;
    return this.token('word', start, normalizeDash(this.src.slice(start, i)));
  }

  /** A bare word in expression mode: a hashtable key, `in` of `foreach`, a property name. */
  private scanBareWord(): ShellToken {
    const start = this.pos;
    let value = '';
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos);
      if (this.endsCommandWord(c) || isOneOf(c, '=+*/%!<>[],$') || isQuote(c)) break;
      if (c === '`') {
        if (this.isLineContinuation(this.pos)) break;
        value += this.readEscape();
        continue;
      }
      value += c;
      this.pos++;
    }
    if (this.pos === start) {
      value = this.ch(this.pos);
      this.pos++;
    }
    return this.token('word', start, value);
  }

  /** `.Name`, `::Name`, `[index]` and `(arguments)` of a method call, directly after a value. */
  private scanPostfix(depth: number, out: ShellToken[]): void {
    for (;;) {
      const c = this.ch(this.pos);
      if (c === '.' && isIdentStart(this.ch(this.pos + 1))) out.push(this.scanMember(1));
      else if (c === ':' && this.ch(this.pos + 1) === ':' && isIdentStart(this.ch(this.pos + 2))) out.push(this.scanMember(2));
      else if (c === '[') out.push(this.scanGroup(depth, '[', ']'));
      else if (c === '(' && out[out.length - 1]?.kind === 'member') out.push(this.scanGroup(depth, '(', ')'));
      else return;
    }
  }

  private startsPostfix(): boolean {
    const [c, next, third] = [this.ch(this.pos), this.ch(this.pos + 1), this.ch(this.pos + 2)];
    return (c === '.' && isIdentStart(next)) || (c === ':' && next === ':' && isIdentStart(third)) || c === '[';
  }

  private scanMember(prefixLength: number): ShellToken {
    const start = this.pos;
    this.pos += prefixLength;
    while (isNameChar(this.ch(this.pos))) this.pos++;
    return this.token('member', start, this.src.slice(start, this.pos));
  }

  // ── values shared by both modes ──

  /** `$x`, `$env:PATH`, `${a b}`, `$(…)`; undefined for a `$` that starts nothing (taken as text). */
  private scanDollar(depth: number): ShellToken | undefined {
    const start = this.pos;
    const next = this.ch(start + 1);
    if (next === '(') return this.scanGroup(depth, '$(', ')');
    if (next === '{') return this.scanBracedVariable();
    let end = start + 1;
    if (next === '$' || next === '?' || next === '^') end++;
    else {
      while (isNameChar(this.ch(end))) end++;
      // A scope or drive qualifier: `$env:PATH`, `$script:x`.
      if (end > start + 1 && this.ch(end) === ':' && isNameChar(this.ch(end + 1))) {
        end++;
        while (isNameChar(this.ch(end))) end++;
      }
    }
    if (end === start + 1) return undefined;
    this.pos = end;
    return this.token('variable', start, this.src.slice(start, end));
  }

  private scanBracedVariable(): ShellToken {
    const start = this.pos;
    this.pos += 2;
    for (;;) {
      const c = this.ch(this.pos);
      if (c === '') {
        this.problem('Missing closing } of the variable name', start, this.pos);
        break;
      }
      this.pos = Math.min(this.pos + (c === '`' ? 2 : 1), this.src.length);
      if (c === '}') break;
    }
    return this.token('variable', start, this.src.slice(start, this.pos));
  }

  /** `@(…)`, `@{…}`, here-strings and `@splat`; undefined when `@` starts none of them. */
  private scanAt(depth: number): ShellToken | undefined {
    const next = this.ch(this.pos + 1);
    if (next === '(') return this.scanGroup(depth, '@(', ')');
    if (next === '{') return this.scanGroup(depth, '@{', '}');
    if (isQuote(next)) return this.scanHereString(depth);
    if (isIdentStart(next)) {
      const start = this.pos++;
      while (isNameChar(this.ch(this.pos))) this.pos++;
      return this.token('variable', start, this.src.slice(start, this.pos));
    }
    return undefined;
  }

  private scanString(depth: number): ShellToken {
    return isSingleQuote(this.ch(this.pos)) ? this.scanSingleQuoted() : this.scanDoubleQuoted(depth);
  }

  /** `'…'`: no escapes except a doubled quote. */
  private scanSingleQuoted(): ShellToken {
    const start = this.pos++;
    let value = '';
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos);
      if (isSingleQuote(c)) {
        if (isSingleQuote(this.ch(this.pos + 1))) {
          value += c;
          this.pos += 2;
          continue;
        }
        this.pos++;
        return this.token('string', start, value);
      }
      value += c;
      this.pos++;
    }
    this.problem('Unterminated string', start, this.pos);
    return this.token('string', start, value);
  }

  /** `"…"`: backtick escapes, `""` for a quote, `$(…)` subexpressions (tokenized into `inner`). */
  private scanDoubleQuoted(depth: number): ShellToken {
    const start = this.pos++;
    let value = '';
    const inner: ShellCommand[] = [];
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos);
      if (isDoubleQuote(c)) {
        if (isDoubleQuote(this.ch(this.pos + 1))) {
          value += c;
          this.pos += 2;
          continue;
        }
        this.pos++;
        return this.token('string', start, value, inner.length > 0 ? { inner } : {});
      }
      value += this.readExpandablePiece(depth, inner);
    }
    this.problem('Unterminated string', start, this.pos);
    return this.token('string', start, value, inner.length > 0 ? { inner } : {});
  }

  /**
   * One piece of an expandable string ("…" or @"…"@): a backtick escape, a `$(…)` subexpression (whose
   * commands go to `inner`, written as-is into the value), or a plain character.
   */
  private readExpandablePiece(depth: number, inner: ShellCommand[]): string {
    const c = this.ch(this.pos);
    if (c === '`') return this.readEscape();
    if (c === '$' && this.ch(this.pos + 1) === '(') {
      const group = this.scanGroup(depth, '$(', ')');
      append(inner, group.inner ?? []);
      return group.raw;
    }
    this.pos++;
    return c;
  }

  /**
   * `@'⏎…⏎'@` and `@"⏎…⏎"@`: the header ends its line and the terminator starts one. Undefined when `@` and the quote
   * are not followed by a line break (then they are not a here-string).
   */
  private scanHereString(depth: number): ShellToken | undefined {
    const start = this.pos;
    const double = isDoubleQuote(this.ch(start + 1));
    let i = start + 2;
    while (this.ch(i) === ' ' || this.ch(i) === '\t') i++;
    if (this.ch(i) === '\r') i++;
    if (this.ch(i) !== '\n') return undefined;
    this.pos = i + 1;
    let value = '';
    const inner: ShellCommand[] = [];
    let lineStart = true;
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos);
      if (lineStart && (double ? isDoubleQuote(c) : isSingleQuote(c)) && this.ch(this.pos + 1) === '@') {
        this.pos += 2;
        // The line break before the terminator belongs to the syntax, not to the text.
        const text = value.endsWith('\r\n') ? value.slice(0, -2) : value.endsWith('\n') ? value.slice(0, -1) : value;
        return this.token('string', start, text, inner.length > 0 ? { inner } : {});
      }
      lineStart = c === '\n';
      if (double) {
        value += this.readExpandablePiece(depth, inner);
      } else {
        value += c;
        this.pos++;
      }
    }
    this.problem('Unterminated here-string (the closing quote and @ must start a line)', start, this.pos);
    return this.token('string', start, value, inner.length > 0 ? { inner } : {});
  }

  /** `(…)`, `$(…)`, `@(…)`, `@{…}`, `{…}`, `[index]`: the content is tokenized as statements one level deeper. */
  private scanGroup(depth: number, open: string, closer: string): ShellToken {
    const start = this.pos;
    this.pos += open.length;
    let inner: ShellCommand[] = [];
    if (this.nesting >= MAX_NESTING) {
      this.problem(`Nesting deeper than ${MAX_NESTING} levels; the content was not tokenized`, start, start + open.length);
      this.skipBalanced(closer);
    } else {
      this.nesting++;
      this.waiting[closer]!++;
      inner = this.parseStatements(depth + 1, closer, start, open === '@{');
      this.waiting[closer]!--;
      this.nesting--;
    }
    return this.token('group', start, this.src.slice(start, this.pos), { open, inner });
  }

  /** `[Net.ServicePointManager]`, `[string[]]`: kept whole; a type name holds no commands. */
  private scanTypeLiteral(): ShellToken {
    const start = this.pos;
    let open = 0;
    while (this.pos < this.src.length && this.ch(this.pos) !== '\n') {
      const c = this.ch(this.pos++);
      if (c === '[') open++;
      else if (c === ']' && --open === 0) return this.token('group', start, this.src.slice(start, this.pos), { open: '[', inner: [] });
    }
    this.problem("Missing closing ']'", start, this.pos);
    return this.token('group', start, this.src.slice(start, this.pos), { open: '[', inner: [] });
  }

  /** Moves past the matching `closer` without tokenizing (used only beyond the nesting limit). */
  private skipBalanced(closer: string): void {
    let open = 0;
    while (this.pos < this.src.length) {
      const c = this.ch(this.pos++);
      if (c === '(' || c === '{' || c === '[') open++;
      else if (c === ')' || c === '}' || c === ']') {
        if (open === 0) {
          if (c !== closer) this.pos--;
          return;
        }
        open--;
      }
    }
  }

  /** `>`, `>>`, `2>&1`, `*>`, `3>>`, `<`: the length of the redirection operator at `pos`, or 0. */
  private redirectionLength(): number {
    let i = this.pos;
    const c = this.ch(i);
    if (c === '<') return this.ch(i + 1) === '#' ? 0 : 1;
    if (c === '*' || (c >= '1' && c <= '6')) i++;
    if (this.ch(i) !== '>') return 0;
    i++;
    if (this.ch(i) === '>') i++;
    else if (this.ch(i) === '&' && isDigit(this.ch(i + 1))) i += 2;
    return i - this.pos;
  }

  /** Reads the backtick escape at `pos` (`n, `t, `u{263A}, `$ …) and returns the text it stands for. */
  private readEscape(): string {
    const c = this.ch(this.pos + 1);
    if (c === 'u' && this.ch(this.pos + 2) === '{') {
      let i = this.pos + 3;
      while (i - this.pos - 3 < 6 && isHexDigit(this.ch(i))) i++;
      const code = parseInt(this.src.slice(this.pos + 3, i), 16);
      if (i > this.pos + 3 && this.ch(i) === '}' && code <= 0x10ffff) {
        this.pos = i + 1;
        return String.fromCodePoint(code);
      }
    }
    this.pos += c === '' ? 1 : 2;
    return BACKTICK_ESCAPES.get(c) ?? c;
  }

  // ── look-ahead ──

  /** At the start of a pipeline element: is this a command name (not a value that starts an expression)? */
  private startsCommandWord(): boolean {
    const c = this.ch(this.pos);
    const next = this.ch(this.pos + 1);
    if (c === '' || c === '\n' || isSpace(c) || isQuote(c) || isDash(c)) return false;
    if (c === '.') return next === '\\' || next === '/' || next === '.' || isIdentStart(next);
    if (isDigit(c)) return !this.numberAhead();
    // `%` and `?` are the ForEach-Object and Where-Object aliases.
    return !isOneOf(c, '$@([{,!+*/=<>;|&)}]');
  }

  private numberAhead(): boolean {
    let end = this.pos;
    while (end < this.src.length && end - this.pos <= MAX_NUMBER_LENGTH && !this.endsCommandWord(this.ch(end))) end++;
    return end - this.pos <= MAX_NUMBER_LENGTH && NUMBER.test(this.src.slice(this.pos, end));
  }

  /** After an assignment operator: does a command follow? Moves to it (past line breaks) only if so. */
  private commandFollows(): boolean {
    const saved = this.pos;
    this.skipSpaceAndNewlines();
    const c = this.ch(this.pos);
    const next = this.ch(this.pos + 1);
    if ((c === '&' && next !== '&') || (c === '.' && isSpace(next)) || this.startsCommandWord()) return true;
    this.pos = saved;
    return false;
  }

  /** The statement keyword at `pos`, lower-cased, or undefined. */
  private peekKeyword(): string | undefined {
    const word = this.peekWord();
    const after = this.ch(this.pos + word.length);
    const delimited = after === '' || after === '\n' || isSpace(after) || isOneOf(after, '({;)}');
    return delimited && (BLOCK_KEYWORDS.has(word) || FLOW_KEYWORDS.has(word)) ? word : undefined;
  }

  /** The run of letters at `pos`, lower-cased ('' when none, or when it is only the start of a longer word). */
  private peekWord(): string {
    let end = this.pos;
    while (isLetter(this.ch(end))) end++;
    const after = this.ch(end);
    if (isNameChar(after) || isDash(after) || isOneOf(after, '.\\:/')) return '';
    return this.src.slice(this.pos, end).toLowerCase();
  }

  private atArgumentsEnd(): boolean {
    const c = this.ch(this.pos);
    if (c === '' || c === '\n' || c === ';' || c === '|' || c === '&' || c === ')' || c === '}') return true;
    return c === ']' && this.waiting[']']! > 0;
  }

  private endsCommandWord(c: string): boolean {
    if (c === '' || c === '\n' || isSpace(c) || isOneOf(c, ';|&(){},<>')) return true;
    return c === ']' && this.waiting[']']! > 0;
  }

  private isLineContinuation(index: number): boolean {
    const next = this.ch(index + 1);
    return this.ch(index) === '`' && (next === '\n' || (next === '\r' && this.ch(index + 2) === '\n'));
  }

  // ── blanks and comments ──

  /** Skips blanks, line continuations (backtick + line break) and comments; stops at a line break. */
  private skipSpace(): void {
    for (;;) {
      const c = this.ch(this.pos);
      if (isSpace(c)) this.pos++;
      else if (this.isLineContinuation(this.pos)) this.pos += this.ch(this.pos + 1) === '\r' ? 3 : 2;
      else if (c === '#') this.skipLineComment();
      else if (c === '<' && this.ch(this.pos + 1) === '#') this.skipBlockComment();
      else return;
    }
  }

  private skipSpaceAndNewlines(): void {
    for (;;) {
      this.skipSpace();
      if (this.ch(this.pos) !== '\n') return;
      this.pos++;
    }
  }

  private skipLineComment(): void {
    const end = this.src.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.src.length : end;
  }

  private skipBlockComment(): void {
    const end = this.src.indexOf('#>', this.pos + 2);
    if (end === -1) {
      this.problem('Unterminated block comment', this.pos, this.src.length);
      this.pos = this.src.length;
    } else this.pos = end + 2;
  }

  // ── output ──

  private ch(index: number): string {
    return this.src.charAt(index);
  }

  /** A token from `start` to the current position. */
  private token(kind: TokenKind, start: number, value: string, extra: Pick<ShellToken, 'open' | 'inner'> = {}): ShellToken {
    return { kind, raw: this.src.slice(start, this.pos), value, start, end: this.pos, ...extra };
  }

  private operator(length: number): ShellToken {
    const start = this.pos;
    this.pos += length;
    return this.token('operator', start, normalizeDash(this.src.slice(start, this.pos)));
  }

  private makeCommand(name: ShellToken, args: ShellToken[], depth: number, assignedTo: string | undefined): ShellCommand {
    const last = args.length > 0 ? args[args.length - 1]! : name;
    const command: ShellCommand = {
      shell: 'powershell', name, args, start: name.start, end: last.end, pipeline: [], pipelineIndex: 0, depth,
    };
    if (assignedTo !== undefined) command.assignedTo = assignedTo;
    this.commands.push(command);
    return command;
  }

  private problem(message: string, start: number, end: number): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ message, start, end: Math.max(start, end) });
  }
}

// Not part of the engine: a measuring tool. The issue on speed asked whether tree-sitter-powershell should
// replace the hand-written PowerShell front end; this adapter maps its tree to the engine's shell model so
// `npm run bench:powershell` can compare speed, agreement and findings (the hand-written one won).
// An alternative PowerShell front end: tree-sitter-powershell (the grammar VS Code ships in
// @vscode/tree-sitter-wasm) parses the script, and this adapter turns its concrete syntax tree into the
// same ShellCommand/ShellToken model that the hand-written scanner (powershell.ts) produces, so that the
// two can be compared on the same rules (test/src/bench/powershellGrammar.ts).
//
// The tree is first copied into plain objects with one iterative TreeCursor walk (so the WebAssembly
// tree can be freed at once), dropping the grammar's single-child precedence wrappers
// (logical_expression → bitwise_expression → … → unary_expression). Everything after that is
// iterative too: explicit stacks for sibling lists, and a job queue for the content of groups
// (`(…)`, `$(…)`, `{…}`, …), so that no recursion depth depends on the input.
//
// The conventions are those of powershell.ts: token kinds, `value` with quotes removed and backtick
// escapes resolved, groups with `open` and `inner` commands one level deeper, `assignedTo` for
// `$x = cmd …`, `calledWith` for `&` / `.`, `joinedBy`, expression statements whose name is a
// variable, string, group or word. Where the grammar reads a script differently from PowerShell
// (e.g. `a"b c"` as two arguments), the adapter reports what the grammar says.
import { withSyntaxTree, type SyntaxTree } from '../../../../server/out/engine/shell/treeSitter';
import type { ParsedScript, ShellCommand, ShellToken, TokenKind } from '../../../../server/out/engine/shell/types';

type Joiner = NonNullable<ShellCommand['joinedBy']>;
type Problem = ParsedScript['problems'][number];

/** A node of the copied tree. */
interface N {
  type: string;
  named: boolean;
  start: number;
  end: number;
  children: N[];
}

const MAX_PROBLEMS = 100;

/** Precedence levels and other wrappers that add nothing when they hold a single child. */
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'logical_expression', 'bitwise_expression', 'comparison_expression', 'additive_expression', 'multiplicative_expression',
  'format_expression', 'range_expression', 'array_literal_expression', 'unary_expression', 'argument_expression',
  'logical_argument_expression', 'bitwise_argument_expression', 'comparison_argument_expression',
  'additive_argument_expression', 'multiplicative_argument_expression', 'format_argument_expression',
  'range_argument_expression', 'left_assignment_expression', 'while_condition', 'for_initializer', 'for_condition',
  'for_iterator', 'key_expression', 'command_name_expr', 'redirected_file_name', 'label_expression', 'switch_filename',
  'switch_clause_condition', 'function_name', 'data_command', 'expression_with_unary_operator',
]);

/** Containers whose children are statements (walked through, never tokens themselves). */
const STATEMENT_CONTAINERS: ReadonlySet<string> = new Set([
  'program', 'statement_list', 'script_block', 'script_block_body', 'named_block_list', 'hash_literal_body', 'ERROR',
]);

/** Clause wrappers of keyword statements: their children continue the statement. */
const CLAUSES: ReadonlySet<string> = new Set([
  'elseif_clauses', 'elseif_clause', 'else_clause', 'catch_clauses', 'catch_clause', 'catch_type_list', 'finally_clause',
  'switch_parameters', 'switch_parameter', 'switch_condition', 'foreach_parameter', 'data_commands_allowed',
  'data_commands_list', 'named_block', 'block_name', 'data_name',
]);

const GROUP_OPEN: ReadonlyMap<string, string> = new Map([
  ['parenthesized_expression', '('], ['sub_expression', '$('], ['array_expression', '@('],
  ['script_block_expression', '{'], ['hash_literal_expression', '@{'], ['statement_block', '{'], ['switch_body', '{'],
  ['argument_list', '('],
]);

const OPERATOR_NODES: ReadonlySet<string> = new Set([
  'comparison_operator', 'format_operator', 'assignement_operator', 'file_redirection_operator', 'merging_redirection_operator',
]);

const BACKTICK_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['0', '\0'], ['a', '\x07'], ['b', '\b'], ['e', '\x1b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'], ['v', '\v'],
]);

export function tokenizePowerShellTreeSitter(script: string, depth = 0): ParsedScript {
  return withSyntaxTree('powershell', script, (tree) => adaptPowerShellTree(script, tree, depth));
}

/** The adapter alone, on a tree parsed by the caller (the bench times parsing and adapting apart). */
export function adaptPowerShellTree(script: string, tree: SyntaxTree, depth = 0): ParsedScript {
  const problems: Problem[] = [];
  const root = snapshot(tree, problems);
  return new Adapter(script, depth, problems).run(root);
}

/** Copies the tree into plain objects with one cursor walk; collapses single-child wrappers; records errors. */
function snapshot(tree: SyntaxTree, problems: Problem[]): N {
  const cursor = tree.walk();
  const make = (): N => {
    const node: N = { type: cursor.nodeType, named: cursor.nodeIsNamed, start: cursor.startIndex, end: cursor.endIndex, children: [] };
    if (problems.length < MAX_PROBLEMS) {
      if (cursor.nodeIsMissing) problems.push({ message: `Missing ${node.type}`, start: node.start, end: node.start });
      else if (node.type === 'ERROR') problems.push({ message: 'Syntax error', start: node.start, end: node.end });
    }
    return node;
  };
  const root = make();
  const stack: N[] = [root];
  try {
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const child = make();
        stack[stack.length - 1]!.children.push(child);
        stack.push(child);
        continue;
      }
      for (;;) {
        const done = stack.pop()!;
        const parent = stack[stack.length - 1];
        if (parent && PASS_THROUGH.has(done.type) && done.children.length === 1) parent.children[parent.children.length - 1] = done.children[0]!;
        if (!parent) return root;
        if (cursor.gotoNextSibling()) {
          const sibling = make();
          parent.children.push(sibling);
          stack.push(sibling);
          break;
        }
        cursor.gotoParent();
      }
    }
  } finally {
    cursor.delete();
  }
}

// ── characters and values ──

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff' || c === '\n';
}

function isDash(c: string): boolean {
  return c === '-' || c === '\u2013' || c === '\u2014' || c === '\u2015';
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > '\x7f' && /\p{L}/u.test(c));
}

function isIdentStart(c: string): boolean {
  return isLetter(c) || c === '_';
}

function isSingleQuote(c: string): boolean {
  return c === "'" || c === '\u2018' || c === '\u2019' || c === '\u201a' || c === '\u201b';
}

function isDoubleQuote(c: string): boolean {
  return c === '"' || c === '\u201c' || c === '\u201d' || c === '\u201e';
}

function normalizeDash(text: string): string {
  return isDash(text.charAt(0)) && text.charAt(0) !== '-' ? `-${text.slice(1)}` : text;
}

function looksLikeParameter(raw: string): boolean {
  const [a, b, c] = [raw.charAt(0), raw.charAt(1), raw.charAt(2)];
  if (isDash(a)) return isIdentStart(b) || b === '?' || (isDash(b) && isIdentStart(c));
  return a === '/' && (isLetter(b) || b === '?');
}

function variableName(raw: string): string {
  return raw.startsWith('${') ? raw.slice(2, raw.endsWith('}') ? -1 : undefined) : raw.slice(1);
}

/** The backtick escape at `i` of `src`: the text it stands for and the index after it. */
function readEscape(src: string, i: number, end: number): [string, number] {
  const c = i + 1 < end ? src.charAt(i + 1) : '';
  if (c === 'u' && src.charAt(i + 2) === '{') {
    let j = i + 3;
    while (j - i - 3 < 6 && j < end && /[0-9a-f]/i.test(src.charAt(j))) j++;
    const code = parseInt(src.slice(i + 3, j), 16);
    if (j > i + 3 && src.charAt(j) === '}' && code <= 0x10ffff) return [String.fromCodePoint(code), j + 1];
  }
  return [BACKTICK_ESCAPES.get(c) ?? c, c === '' ? i + 1 : i + 2];
}

/**
 * The value PowerShell passes for the text `src[from, to)` of a command-mode word: quoted parts unquoted,
 * backtick escapes resolved, variables and `$(…)` kept as written (`verbatim` ranges are copied as they are).
 */
function wordValue(src: string, from: number, to: number, verbatim: ReadonlyArray<readonly [number, number]>): string {
  let value = '';
  let v = 0;
  let i = from;
  let quote: 'single' | 'double' | undefined;
  while (i < to) {
    while (v < verbatim.length && verbatim[v]![1] <= i) v++;
    const range = verbatim[v];
    if (range && range[0] === i) {
      value += src.slice(range[0], range[1]);
      i = range[1];
      continue;
    }
    const c = src.charAt(i);
    if (quote === 'single') {
      if (isSingleQuote(c)) {
        if (i + 1 < to && isSingleQuote(src.charAt(i + 1))) { value += c; i += 2; continue; }
        quote = undefined;
      } else value += c;
      i++;
      continue;
    }
    if (c === '`') {
      const [text, next] = readEscape(src, i, to);
      value += text;
      i = next;
      continue;
    }
    if (quote === 'double') {
      if (isDoubleQuote(c)) {
        if (i + 1 < to && isDoubleQuote(src.charAt(i + 1))) { value += c; i += 2; continue; }
        quote = undefined;
      } else value += c;
      i++;
      continue;
    }
    if (isSingleQuote(c)) quote = 'single';
    else if (isDoubleQuote(c)) quote = 'double';
    else value += c;
    i++;
  }
  return value;
}

/** Expandable text (inside "…" or a @"…"@ here-string): escapes resolved, `""` a quote unless in a here-string. */
function expandableValue(src: string, from: number, to: number, verbatim: ReadonlyArray<readonly [number, number]>, here: boolean): string {
  let value = '';
  let v = 0;
  let i = from;
  while (i < to) {
    while (v < verbatim.length && verbatim[v]![1] <= i) v++;
    const range = verbatim[v];
    if (range && range[0] === i) {
      value += src.slice(range[0], range[1]);
      i = range[1];
      continue;
    }
    const c = src.charAt(i);
    if (c === '`') {
      const [text, next] = readEscape(src, i, to);
      value += text;
      i = next;
    } else if (!here && isDoubleQuote(c) && i + 1 < to && isDoubleQuote(src.charAt(i + 1))) {
      value += c;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  return value;
}

/** Drops the line break before a here-string's terminator. */
function trimHereEnd(src: string, from: number, to: number): number {
  if (to > from && src.charAt(to - 1) === '\n') to--;
  if (to > from && src.charAt(to - 1) === '\r') to--;
  return to;
}

// ── the adapter ──

interface Prefix {
  /** `$x =`, `[T]::P =`, `key =`, `$f in`: tokens that precede the statement's value. */
  tokens: ShellToken[];
  /** Set when the prefix assigns a plain variable: a command that follows gets `assignedTo`. */
  assignedTo?: string;
}

interface Frame {
  list: N[];
  i: number;
}

class Adapter {
  private readonly commands: ShellCommand[] = [];
  /** Group contents, tokenized after the statement holding them (no recursion). */
  private readonly jobs: Array<() => void> = [];
  /** Words glued from several pieces get their pieces' inner commands once every job has run. */
  private readonly merges: Array<() => void> = [];

  constructor(private readonly src: string, private readonly baseDepth: number, private readonly problems: Problem[]) {}

  run(root: N): ParsedScript {
    this.statements(root.children, this.baseDepth, [], root.start);
    while (this.jobs.length > 0) this.jobs.pop()!();
    for (const merge of this.merges) merge();
    this.commands.sort((a, b) => a.start - b.start);
    return { shell: 'powershell', commands: this.commands, problems: this.problems };
  }

  private text(node: N): string {
    return this.src.slice(node.start, node.end);
  }

  private token(kind: TokenKind, start: number, end: number, value: string, extra: Pick<ShellToken, 'open' | 'inner'> = {}): ShellToken {
    return { kind, raw: this.src.slice(start, end), value, start, end, ...extra };
  }

  private makeCommand(tokens: ShellToken[], depth: number, out: ShellCommand[]): ShellCommand {
    const name = tokens[0]!;
    const last = tokens[tokens.length - 1]!;
    const command: ShellCommand = {
      shell: 'powershell', name, args: tokens.slice(1), start: name.start, end: last.end, pipeline: [], pipelineIndex: 0, depth,
    };
    command.pipeline = [command];
    this.commands.push(command);
    out.push(command);
    return command;
  }

  private setPipeline(pipeline: ShellCommand[], joiner: Joiner | undefined): void {
    pipeline.forEach((command, index) => {
      command.pipeline = pipeline;
      command.pipelineIndex = index;
    });
    if (joiner !== undefined && pipeline.length > 0) pipeline[0]!.joinedBy = joiner;
  }

  // ── statements ──

  /** Statements among `nodes` (containers walked through); the commands directly at this level go to `out`. */
  private statements(nodes: N[], depth: number, out: ShellCommand[], from: number): void {
    const stack: Frame[] = [{ list: nodes, i: 0 }];
    let joiner: Joiner | undefined;
    let gapFrom = from;
    const noteGap = (to: number): void => {
      if (joiner === undefined && this.src.slice(gapFrom, to).includes('\n')) joiner = '\n';
    };
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.list.length) {
        stack.pop();
        continue;
      }
      const node = frame.list[frame.i++]!;
      if (STATEMENT_CONTAINERS.has(node.type) || node.type === 'param_block') {
        if (node.type === 'param_block') {
          noteGap(node.start);
          gapFrom = node.end;
          const before = out.length;
          this.keywordStatement(node, depth, joiner, undefined, out);
          if (out.length > before) joiner = undefined;
          continue;
        }
        stack.push({ list: node.type === 'ERROR' ? this.recoverCommands(node.children) : node.children, i: 0 });
        continue;
      }
      noteGap(node.start);
      gapFrom = node.end;
      if (node.type === 'comment') continue;
      if (node.type === 'empty_statement' || node.type === ';') {
        if (joiner === undefined || joiner === '\n') joiner = ';';
        continue;
      }
      if (node.type === '&&' || node.type === '||') {
        joiner = node.type;
        continue;
      }
      if (!node.named) continue;
      const before = out.length;
      this.statement(node, depth, joiner, undefined, out);
      if (out.length > before) joiner = undefined;
      // A hash entry holds its own `;` terminator.
      if (node.children[node.children.length - 1]?.type === ';') joiner = ';';
    }
  }

  /**
   * Error recovery leaves a command followed by the pieces it could not place (`mkdir $env:A\b` → a command ending
   * at `$env:A`, then `\`, `b`): a command and the loose pieces after it make one pipeline again.
   */
  private recoverCommands(children: N[]): N[] {
    const list: N[] = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child.type !== 'command') {
        list.push(child);
        continue;
      }
      const run: N[] = [child];
      while (i + 1 < children.length && isLoose(children[i + 1]!)) run.push(children[++i]!);
      list.push({ type: 'pipeline_chain', named: true, start: child.start, end: run[run.length - 1]!.end, children: run });
    }
    return list;
  }

  private statement(node: N, depth: number, joiner: Joiner | undefined, prefix: Prefix | undefined, out: ShellCommand[]): void {
    switch (node.type) {
      case 'pipeline':
        this.pipeline(node, depth, joiner, prefix, out);
        return;
      case 'assignment_expression':
        this.assignment(node, depth, joiner, prefix, out);
        return;
      case 'pipeline_chain':
      case 'command':
        this.chain(node.type === 'command' ? [node] : node.children, depth, joiner, prefix, out);
        return;
      case 'hash_entry':
        this.hashEntry(node, depth, joiner, out);
        return;
      case 'switch_clause':
        this.expressionStatement(node.children, depth, joiner, prefix, out);
        return;
    }
    if (node.type.endsWith('_statement')) {
      this.keywordStatement(node, depth, joiner, prefix, out);
      return;
    }
    this.expressionStatement([node], depth, joiner, prefix, out);
  }

  private expressionStatement(nodes: N[], depth: number, joiner: Joiner | undefined, prefix: Prefix | undefined, out: ShellCommand[]): void {
    const tokens = prefix ? [...prefix.tokens] : [];
    this.flatten(nodes, depth, tokens);
    if (tokens.length === 0) return;
    this.setPipeline([this.makeCommand(tokens, depth, out)], joiner);
  }

  private pipeline(node: N, depth: number, joiner: Joiner | undefined, prefix: Prefix | undefined, out: ShellCommand[]): void {
    if (!node.children.some((c) => c.type === 'pipeline_chain' || c.type === 'assignment_expression')) {
      this.chain(node.children, depth, joiner, prefix, out);
      return;
    }
    let next = joiner;
    let first = true;
    for (const child of node.children) {
      if (child.type === 'pipeline_chain_tail') {
        next = (child.children.find((c) => c.type === '&&' || c.type === '||')?.type ?? this.text(child).trim()) as Joiner;
        continue;
      }
      if (child.type === 'comment' || !child.named) continue;
      const before = out.length;
      this.statement(child, depth, next, first ? prefix : undefined, out);
      if (out.length > before) {
        first = false;
        next = undefined;
      }
    }
  }

  /**
   * `$x = <statement>`, chains of them and other targets: with a plain variable and a command on the right,
   * the command gets `assignedTo`; with another target, the target statement ends at `=` and the command follows
   * as a statement of its own; with an expression on the right, the whole is one expression statement.
   */
  private assignment(node: N, depth: number, joiner: Joiner | undefined, prefix: Prefix | undefined, out: ShellCommand[]): void {
    const tokens = prefix ? [...prefix.tokens] : [];
    let current: N = node;
    for (;;) {
      const operatorIndex = current.children.findIndex((c) => c.type === 'assignement_operator');
      if (operatorIndex < 0) {
        this.expressionStatement([current], depth, joiner, prefix, out);
        return;
      }
      this.flatten(current.children.slice(0, operatorIndex), depth, tokens);
      const operator = current.children[operatorIndex]!;
      tokens.push(this.token('operator', operator.start, operator.end, this.text(operator)));
      const value = current.children.slice(operatorIndex + 1).find((c) => c.named && c.type !== 'comment');
      if (!value) {
        this.expressionStatement([], depth, joiner, { tokens }, out);
        return;
      }
      const inner = value.type === 'pipeline' && value.children.length === 1 && value.children[0]!.type === 'assignment_expression' ? value.children[0]! : value;
      if (inner.type === 'assignment_expression') {
        current = inner;
        continue;
      }
      const target = this.startsWithCommand(inner) ? simpleAssignmentTarget(tokens) : undefined;
      this.statement(inner, depth, joiner, { tokens, ...(target !== undefined ? { assignedTo: target } : {}) }, out);
      return;
    }
  }

  private hashEntry(node: N, depth: number, joiner: Joiner | undefined, out: ShellCommand[]): void {
    const equals = node.children.findIndex((c) => c.type === '=');
    if (equals < 0) {
      this.expressionStatement(node.children, depth, joiner, undefined, out);
      return;
    }
    const tokens: ShellToken[] = [];
    this.flatten(node.children.slice(0, equals), depth, tokens);
    const operator = node.children[equals]!;
    tokens.push(this.token('operator', operator.start, operator.end, '='));
    const value = node.children.slice(equals + 1).find((c) => c.named && c.type !== 'comment');
    if (!value) this.expressionStatement([], depth, joiner, { tokens }, out);
    else this.statement(value, depth, joiner, { tokens }, out);
  }

  /** Does this statement start with a command (or keyword statement), as `$x = <it>` would see it? */
  private startsWithCommand(node: N): boolean {
    let current: N | undefined = node;
    while (current) {
      if (current.type === 'command' || (current.type.endsWith('_statement') && current.type !== 'empty_statement')) return true;
      if (current.type !== 'pipeline' && current.type !== 'pipeline_chain') return false;
      current = current.children.find((c) => c.named && c.type !== 'comment');
    }
    return false;
  }

  /** A pipeline: elements split at `|`; each is a command or an expression (with redirections). */
  private chain(nodes: N[], depth: number, joiner: Joiner | undefined, prefix: Prefix | undefined, out: ShellCommand[]): void {
    // Error recovery may wrap elements in ERROR nodes: take their children as elements.
    const items: N[] = [];
    const stack: Frame[] = [{ list: nodes, i: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.list.length) { stack.pop(); continue; }
      const node = frame.list[frame.i++]!;
      if (node.type === 'ERROR' && node.children.some((c) => c.type === 'command' || c.type === '|')) stack.push({ list: node.children, i: 0 });
      else items.push(node);
    }
    const elements: N[][] = [];
    let current: N[] = [];
    for (const item of items) {
      if (item.type === '|') {
        if (current.length > 0) elements.push(current);
        current = [];
        continue;
      }
      if (item.type === 'command' && current.length > 0) {
        elements.push(current);
        current = [];
      }
      if (item.type !== 'comment') current.push(item);
    }
    if (current.length > 0) elements.push(current);
    const pipeline: ShellCommand[] = [];
    let pipelineJoiner = joiner;
    elements.forEach((element, index) => {
      const first = index === 0;
      const head = element[0]!;
      if (head.type === 'command') {
        const tokens = this.commandTokens(head, depth, element.slice(1));
        if (!tokens) return;
        if (first && prefix && prefix.tokens.length > 0 && prefix.assignedTo === undefined) {
          // `$a.b = iwr …`: the target is a statement of its own.
          this.setPipeline([this.makeCommand(prefix.tokens, depth, out)], pipelineJoiner);
          pipelineJoiner = undefined;
        }
        const command = this.makeCommand(tokens.tokens, depth, out);
        if (tokens.calledWith) command.calledWith = tokens.calledWith;
        if (first && prefix?.assignedTo !== undefined) command.assignedTo = prefix.assignedTo;
        pipeline.push(command);
        return;
      }
      const tokens = first && prefix ? [...prefix.tokens] : [];
      this.flatten(element, depth, tokens);
      if (tokens.length === 0) return;
      const command = this.makeCommand(tokens, depth, out);
      pipeline.push(command);
    });
    if (pipeline.length === 0 && prefix && prefix.tokens.length > 0) {
      this.setPipeline([this.makeCommand(prefix.tokens, depth, out)], pipelineJoiner);
      return;
    }
    this.setPipeline(pipeline, pipelineJoiner);
  }

  /** The name and arguments of a `command` node; `calledWith` for `&` / `.`. */
  private commandTokens(node: N, depth: number, trailing: N[]): { tokens: ShellToken[]; calledWith?: '&' | '.' } | undefined {
    const tokens: ShellToken[] = [];
    let calledWith: '&' | '.' | undefined;
    let elements: N | undefined;
    const nameNodes: N[] = [];
    // `ForEach-Object {…}` / `% {…}` has a node of its own: an anonymous name and the elements after it.
    const foreach = node.children.length === 1 && node.children[0]!.type === 'foreach_command' ? node.children[0]! : undefined;
    if (foreach && foreach.children.length > 0 && !foreach.children[0]!.named) {
      const [name, ...rest] = foreach.children;
      tokens.push(this.token('word', name!.start, name!.end, this.text(name!)));
      const all = [...rest, ...trailing];
      if (all.length > 0) this.commandElements(all, depth, tokens);
      return { tokens };
    }
    for (const child of node.children) {
      if (child.type === 'command_invokation_operator') calledWith = this.text(child).trim() === '.' ? '.' : '&';
      else if (child.type === 'command_elements') elements = child;
      else if (child.type !== 'comment' && child.type !== 'command_argument_sep') nameNodes.push(child);
    }
    if (nameNodes.length === 1 && (nameNodes[0]!.type === 'command_name' || nameNodes[0]!.type === 'path_command_name')) {
      tokens.push(this.word(nameNodes[0]!, depth, false));
    } else {
      this.flatten(nameNodes, depth, tokens);
    }
    if (tokens.length === 0) return undefined;
    if (tokens[0]!.kind === 'parameter') tokens[0]!.kind = 'word';
    const all = elements ? [...elements.children, ...trailing] : trailing;
    if (all.length > 0) this.commandElements(all, depth, tokens);
    return { tokens, ...(calledWith ? { calledWith } : {}) };
  }

  /**
   * Command-mode arguments. The grammar separates arguments with `command_argument_sep` nodes; pieces with no
   * separator (or blank) between them are one argument, as PowerShell passes them (`-Uri:"x"`, `$env:A\b`).
   */
  private commandElements(nodes: N[], depth: number, out: ShellToken[]): void {
    // Expand ERROR nodes, so that their pieces are arguments like any other.
    const items: N[] = [];
    const stack: Frame[] = [{ list: nodes, i: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.list.length) { stack.pop(); continue; }
      const node = frame.list[frame.i++]!;
      if (node.type === 'ERROR') stack.push({ list: node.children, i: 0 });
      else items.push(node);
    }
    let pieces: N[] = [];
    const flush = (): void => {
      if (pieces.length > 0) this.argument(pieces, depth, out);
      pieces = [];
    };
    for (const item of items) {
      if (item.type === 'comment') { flush(); continue; }
      if (item.type === 'command_argument_sep') {
        if (this.text(item).trim() === ':' && pieces.length > 0) pieces.push(item);
        else flush();
        continue;
      }
      const last = pieces[pieces.length - 1];
      const start = this.trimmedStart(item);
      if (last && (start > last.end || /\s/.test(this.src.slice(last.end, start)))) flush();
      // `New-Object T($x)`, `a{…}`: a bracket after text starts an argument of its own (PowerShell does the same).
      else if (last && last.type !== 'command_argument_sep' && GROUP_OPEN.has(item.type) && item.type !== 'sub_expression') flush();
      if (item.type === ',' || item.type === 'verbatim_command_argument') {
        flush();
        this.flatten([item], depth, out);
        continue;
      }
      pieces.push(item);
    }
    flush();
  }

  /** Error recovery can hand out nodes that start with blanks; the argument starts after them. */
  private trimmedStart(node: N): number {
    let start = node.start;
    while (start < node.end && isSpace(this.src.charAt(start))) start++;
    return start;
  }

  /** One command-mode argument made of `pieces` (usually one node). */
  private argument(pieces: N[], depth: number, out: ShellToken[]): void {
    const head = pieces[0]!;
    if (pieces.length === 1) {
      if (head.type === 'generic_token' || head.type === 'command_parameter') {
        out.push(this.word(head, depth, true));
        return;
      }
      // A value the grammar could not read (`$Env:Temp\x.zip`): one word, as PowerShell passes it.
      if (GROUP_OPEN.has(head.type) || !containsError(head)) {
        this.flatten(pieces, depth, out);
        return;
      }
    }
    // `-Name:value`: one parameter token, unless the value is a bracketed group (`-List:@(…)`).
    if (head.type === 'command_parameter' && pieces[1]!.type === 'command_argument_sep') {
      const rest = pieces.slice(2);
      if (rest.length === 0 || GROUP_OPEN.has(rest[0]!.type)) {
        out.push(this.token('parameter', head.start, pieces[1]!.end, normalizeDash(this.src.slice(head.start, pieces[1]!.end))));
        this.flatten(rest, depth, out);
        return;
      }
    }
    // Pieces glued together: one word whose value unquotes strings and keeps variables and `$(…)` as written.
    const parts: ShellToken[] = [];
    this.flatten(pieces, depth, parts);
    if (parts.length === 0) return;
    const start = parts[0]!.start;
    const end = parts[parts.length - 1]!.end;
    if (parts.length === 1) {
      out.push(parts[0]!);
      return;
    }
    const verbatim = parts.filter((p) => p.kind === 'group' && p.open === '$(').map((p) => [p.start, p.end] as const);
    let value = wordValue(this.src, start, end, verbatim);
    let kind: TokenKind = 'word';
    if (looksLikeParameter(this.src.slice(start, end))) {
      kind = 'parameter';
      value = normalizeDash(value);
    }
    const token = this.token(kind, start, end, value);
    const withInner = parts.filter((p) => p.inner !== undefined);
    if (withInner.length > 0) {
      token.inner = [];
      this.merges.push(() => {
        for (const part of withInner) token.inner!.push(...part.inner!);
        token.inner!.sort((a, b) => a.start - b.start);
      });
    }
    out.push(token);
  }

  /** A command-mode word (`command_name`, `generic_token`, `command_parameter`): glued quotes resolved. */
  private word(node: N, depth: number, argument: boolean): ShellToken {
    const subexpressions = this.subexpressionsIn(node);
    const verbatim = subexpressions.map((s) => [s.start, s.end] as const);
    let value = wordValue(this.src, node.start, node.end, verbatim);
    let kind: TokenKind = 'word';
    if (argument && looksLikeParameter(this.text(node))) {
      kind = 'parameter';
      value = normalizeDash(value);
    }
    const token = this.token(kind, node.start, node.end, value);
    if (subexpressions.length > 0) {
      token.inner = [];
      for (const sub of subexpressions) this.groupJob(sub, depth, token.inner);
    }
    return token;
  }

  /** `$(…)` nodes inside a word or string (not inside another `$(…)`). */
  private subexpressionsIn(node: N): N[] {
    const found: N[] = [];
    const stack: N[] = [...node.children].reverse();
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (current.type === 'sub_expression') found.push(current);
      else for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]!);
    }
    return found;
  }

  // ── keyword statements ──

  /**
   * `if (…) {…} else {…}`, `foreach ($f in …) {…}`, `try {…} catch [T] {…}`, `function f {…}`, `exit 1`…: a command
   * named by the keyword, whose arguments are the words, groups and values that follow.
   */
  private keywordStatement(node: N, depth: number, joiner: Joiner | undefined, prefix: Prefix | undefined, out: ShellCommand[]): void {
    const tokens: ShellToken[] = [];
    const after: Array<() => void> = [];
    const keyword = node.children.find((c) => !c.named)?.type.toLowerCase() ?? '';
    const stack: Frame[] = [{ list: node.children, i: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.list.length) { stack.pop(); continue; }
      const child = frame.list[frame.i++]!;
      if (child.type === 'comment') continue;
      if (CLAUSES.has(child.type)) {
        stack.push({ list: child.children, i: 0 });
        continue;
      }
      if (child.type === '(' || child.type === '{') {
        const closer = child.type === '(' ? ')' : '}';
        let close = -1;
        for (let i = frame.i; i < frame.list.length; i++) if (frame.list[i]!.type === closer) { close = i; break; }
        const end = close >= 0 ? frame.list[close]!.end : (frame.list[frame.list.length - 1]?.end ?? child.end);
        const content = frame.list.slice(frame.i, close >= 0 ? close : undefined);
        frame.i = close >= 0 ? close + 1 : frame.list.length;
        const group = this.token('group', child.start, end, this.src.slice(child.start, end), { open: child.type, inner: [] });
        tokens.push(group);
        const inner = group.inner!;
        if (keyword === 'foreach' && child.type === '(') {
          this.jobs.push(() => this.foreachHeader(content, depth + 1, inner));
        } else if (keyword === 'param' || content.some((c) => c.type === 'parameter_list')) {
          this.jobs.push(() => this.expressionStatement(content, depth + 1, undefined, undefined, inner));
        } else {
          this.jobs.push(() => this.statements(content, depth + 1, inner, child.end));
        }
        continue;
      }
      if (!child.named) {
        if (/^[a-z]/i.test(child.type)) tokens.push(this.token('word', child.start, child.end, this.text(child)));
        else if (isDash(child.type.charAt(0))) tokens.push(this.token('parameter', child.start, child.end, normalizeDash(this.text(child))));
        else if (child.type.trim() !== '' && child.type !== ')' && child.type !== '}' && child.type !== ';') tokens.push(this.token('operator', child.start, child.end, this.text(child)));
        continue;
      }
      if (child.type === 'pipeline' && node.type === 'flow_control_statement') {
        if (this.startsWithCommand(child)) after.push(() => this.statement(child, depth, undefined, undefined, out));
        else this.flatten([child], depth, tokens);
        continue;
      }
      if (child.type === 'switch_body') {
        const group = this.token('group', child.start, child.end, this.text(child), { open: '{', inner: [] });
        tokens.push(group);
        const clauses = child.children.filter((c) => c.type !== '{' && c.type !== '}');
        this.jobs.push(() => this.statements(clauses, depth + 1, group.inner!, child.start + 1));
        continue;
      }
      this.flatten([child], depth, tokens);
    }
    if (tokens.length === 0) return;
    if (prefix && prefix.tokens.length > 0 && prefix.assignedTo === undefined) {
      this.setPipeline([this.makeCommand(prefix.tokens, depth, out)], joiner);
      joiner = undefined;
    }
    const command = this.makeCommand(tokens, depth, out);
    if (prefix?.assignedTo !== undefined) command.assignedTo = prefix.assignedTo;
    this.setPipeline([command], joiner);
    for (const task of after) task();
  }

  /** `($f in <pipeline>)`: `$f in` prefixes the pipeline; a command there is a statement of its own. */
  private foreachHeader(content: N[], depth: number, out: ShellCommand[]): void {
    const index = content.findIndex((c) => c.type === 'pipeline');
    if (index < 0) {
      this.expressionStatement(content, depth, undefined, undefined, out);
      return;
    }
    const tokens: ShellToken[] = [];
    for (const node of content.slice(0, index)) {
      if (node.type === 'in') tokens.push(this.token('word', node.start, node.end, this.text(node)));
      else this.flatten([node], depth, tokens);
    }
    this.statement(content[index]!, depth, undefined, tokens.length > 0 ? { tokens } : undefined, out);
  }

  // ── expressions ──

  /** Schedules the statements inside a group node (after its brackets) into `inner`. */
  private groupJob(node: N, depth: number, inner: ShellCommand[]): void {
    const content = node.children.filter((c) => c.named || !/^[$@]?[({[]$|^[)}\]]$/.test(c.type));
    this.jobs.push(() => {
      if (node.type === 'argument_list') {
        const list = content.filter((c) => c.type !== 'comment');
        if (list.length > 0) this.expressionStatement(list, depth + 1, undefined, undefined, inner);
      } else this.statements(content, depth + 1, inner, node.start + (GROUP_OPEN.get(node.type)?.length ?? 1));
    });
  }

  /** Tokens of expression nodes, in source order: values, members, groups, operators. */
  private flatten(nodes: N[], depth: number, out: ShellToken[]): void {
    const stack: Frame[] = [{ list: nodes, i: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.list.length) { stack.pop(); continue; }
      const node = frame.list[frame.i++]!;
      const type = node.type;
      const open = GROUP_OPEN.get(type);
      if (open !== undefined) {
        const group = this.token('group', node.start, node.end, this.text(node), { open, inner: [] });
        out.push(group);
        this.groupJob(node, depth, group.inner!);
        continue;
      }
      switch (type) {
        case 'comment':
        case 'command_argument_sep':
          continue;
        case 'type_literal':
          out.push(this.token('group', node.start, node.end, this.text(node), { open: '[', inner: [] }));
          continue;
        case 'string_literal':
        case 'expandable_string_literal':
        case 'verbatim_string_characters':
        case 'expandable_here_string_literal':
        case 'verbatim_here_string_characters':
          out.push(this.string(node, depth));
          continue;
        case 'variable':
        case 'braced_variable':
          out.push(this.token('variable', node.start, node.end, this.text(node)));
          continue;
        case 'integer_literal':
        case 'real_literal':
        case 'decimal_integer_literal':
        case 'hexadecimal_integer_literal':
          out.push(this.token('word', node.start, node.end, this.text(node)));
          continue;
        case 'generic_token':
        case 'command_parameter':
        case 'command_name':
        case 'path_command_name':
          out.push(this.word(node, depth, type !== 'command_name' && type !== 'path_command_name'));
          continue;
        case 'verbatim_command_argument':
          this.stopParsing(node, out);
          continue;
        case 'expression_with_unary_operator': {
          // `-1`: a negative number is one word, as PowerShell reads it.
          const [sign, operand] = node.children;
          if (node.children.length === 2 && sign!.type === '-' && sign!.end === operand!.start
            && (operand!.type === 'integer_literal' || operand!.type === 'real_literal')) {
            out.push(this.token('word', node.start, node.end, normalizeDash(this.text(node))));
            continue;
          }
          break;
        }
      }
      if (OPERATOR_NODES.has(type)) {
        out.push(this.token('operator', node.start, node.end, normalizeDash(this.text(node))));
        continue;
      }
      if (!node.named) {
        const text = this.text(node);
        if (text.trim() === '' || text.startsWith('`')) continue;
        const next = frame.list[frame.i];
        if ((type === '.' || type === '::' || type === '.foreach') && next?.type === 'member_name') {
          frame.i++;
          out.push(this.token('member', node.start, next.end, this.src.slice(node.start, next.end)));
          continue;
        }
        if (type === '.foreach') {
          out.push(this.token('member', node.start, node.end, text));
          continue;
        }
        if (type === '[' || type === '(' || type === '{') {
          const closer = type === '[' ? ']' : type === '(' ? ')' : '}';
          let close = -1;
          for (let i = frame.i; i < frame.list.length; i++) if (frame.list[i]!.type === closer) { close = i; break; }
          if (close >= 0) {
            const content = frame.list.slice(frame.i, close);
            frame.i = close + 1;
            const end = frame.list[close]!.end;
            const group = this.token('group', node.start, end, this.src.slice(node.start, end), { open: type, inner: [] });
            out.push(group);
            const inner = group.inner!;
            this.jobs.push(() => this.expressionStatement(content, depth + 1, undefined, undefined, inner));
            continue;
          }
        }
        out.push(this.token('operator', node.start, node.end, normalizeDash(text)));
        continue;
      }
      if (node.children.length === 0) {
        const start = this.trimmedStart(node);
        if (start < node.end) out.push(this.token('word', start, node.end, wordValue(this.src, start, node.end, [])));
        continue;
      }
      stack.push({ list: node.children, i: 0 });
    }
  }

  /** A string token: value without quotes (escapes resolved in expandable strings), `$(…)` commands in `inner`. */
  private string(node: N, depth: number): ShellToken {
    let literal = node;
    while (literal.type === 'string_literal' && literal.children.length === 1) literal = literal.children[0]!;
    const raw = this.text(literal);
    const subexpressions = literal.type.startsWith('expandable') ? this.subexpressionsIn(literal) : [];
    const verbatim = subexpressions.map((s) => [s.start, s.end] as const);
    let value: string;
    switch (literal.type) {
      case 'verbatim_string_characters':
        value = raw.slice(1, raw.length > 1 && isSingleQuote(raw.charAt(raw.length - 1)) ? -1 : undefined).replace(/''/g, "'");
        break;
      case 'expandable_string_literal': {
        const closed = raw.length > 1 && isDoubleQuote(raw.charAt(raw.length - 1));
        value = expandableValue(this.src, literal.start + 1, literal.end - (closed ? 1 : 0), verbatim, false);
        break;
      }
      case 'expandable_here_string_literal':
      case 'verbatim_here_string_characters': {
        const bodyStart = literal.start + raw.indexOf('\n') + 1;
        const closed = /\n\s*['"]@$/.test(raw);
        const bodyEnd = closed ? trimHereEnd(this.src, bodyStart, literal.start + raw.lastIndexOf('\n') + 1) : literal.end;
        value = literal.type === 'verbatim_here_string_characters'
          ? this.src.slice(bodyStart, bodyEnd)
          : expandableValue(this.src, bodyStart, bodyEnd, verbatim, true);
        break;
      }
      default:
        value = wordValue(this.src, literal.start, literal.end, verbatim);
    }
    const token = this.token('string', node.start, node.end, value);
    if (subexpressions.length > 0) {
      token.inner = [];
      for (const sub of subexpressions) this.groupJob(sub, depth, token.inner);
    }
    return token;
  }

  /** `--% a "b c"`: the rest of the line, split on blanks outside double quotes. */
  private stopParsing(node: N, out: ShellToken[]): void {
    const marker = this.src.indexOf('--%', node.start);
    out.push(this.token('operator', marker, marker + 3, '--%'));
    let i = marker + 3;
    while (i < node.end) {
      while (i < node.end && isSpace(this.src.charAt(i))) i++;
      if (i >= node.end) break;
      const start = i;
      let value = '';
      let quoted = false;
      for (; i < node.end; i++) {
        const d = this.src.charAt(i);
        if (!quoted && (isSpace(d) || d === '|')) break;
        if (d === '"') quoted = !quoted;
        else value += d;
      }
      out.push(this.token('word', start, i, value));
    }
  }
}

function containsError(node: N): boolean {
  const stack: N[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'ERROR') return true;
    for (const child of current.children) stack.push(child);
  }
  return false;
}

/** Pieces error recovery leaves after a command, which belong to its arguments. */
function isLoose(node: N): boolean {
  if (node.type === ';' || node.type === 'empty_statement' || node.type === 'comment' || node.type === 'command') return false;
  if (node.type === 'pipeline' || node.type === 'pipeline_chain' || node.type.endsWith('_statement') || node.type === 'statement_list') return false;
  return !['&&', '||', '{', '}', ')'].includes(node.type);
}

/** The variable of `$x =` or `[string]$x =` (tokens end with the operator), else undefined. */
function simpleAssignmentTarget(tokens: ShellToken[]): string | undefined {
  const target = tokens.slice(0, -1);
  const operator = tokens[tokens.length - 1];
  if (!operator || operator.kind !== 'operator' || !['=', '+=', '-=', '*=', '/=', '%=', '??='].includes(operator.value)) return undefined;
  const variable = target[target.length - 1];
  if (!variable || variable.kind !== 'variable' || !variable.raw.startsWith('$')) return undefined;
  const castsOnly = target.slice(0, -1).every((t) => t.kind === 'group' && t.open === '[' && (t.inner ?? []).length === 0);
  return castsOnly ? variableName(variable.raw) : undefined;
}

// POSIX sh front end: tree-sitter's bash grammar builds the syntax tree; this adapter turns it into the
// shared ShellCommand model. tree-sitter recovers from errors, so a half-typed or unusual script still
// yields its commands (with ERROR nodes around what it could not read) instead of no analysis at all.
//
// The walk uses an explicit work list, never recursion, so no stack depth depends on the input (a RUN
// of ten thousand nested `$(…)` is just a longer loop). It walks a copy of the tree in plain objects:
// asking web-tree-sitter's nodes for their children, types and text calls into WebAssembly each time, and
// those calls cost several times the parse (a 1 MB line: parse 160 ms, walk through nodes ~800 ms).
import { copySyntaxTree, withSyntaxTree, type CopiedSyntaxNode as SyntaxNode, type SyntaxTree } from './treeSitter';
import type { ParsedScript, ShellCommand, ShellToken } from './types';

type JoinedBy = ShellCommand['joinedBy'];

interface Work {
  node: SyntaxNode;
  depth: number;
  joinedBy?: JoinedBy;
  /** `x=$(curl …)`: commands made directly for this work item assign their output to `x`. */
  assignedTo?: string;
  /**
   * Redirections that belong to the last command of this node: tree-sitter-bash attaches `> f` in
   * `a && curl x > f` to the whole list, but the shell applies it to `curl x` alone.
   */
  redirects?: SyntaxNode[];
  /**
   * `cat <<EOF | sh`: tree-sitter-bash hangs `| sh` inside the here-document's redirect. The first simple
   * command made for this work item continues the pipeline of this command.
   */
  pipeFrom?: ShellCommand;
}

/** Nodes whose named children are statements run one after another. The number is the depth they add. */
const STATEMENT_LISTS: Readonly<Record<string, number>> = {
  program: 0,
  ERROR: 0,
  do_group: 0,
  else_clause: 0,
  elif_clause: 0,
  case_item: 0,
  subshell: 1,
  compound_statement: 1,
  if_statement: 1,
  while_statement: 1,
  for_statement: 1,
  c_style_for_statement: 1,
  case_statement: 1,
  command_substitution: 1,
  process_substitution: 1,
};

/** Nodes read as one command (with their arguments, assignments and redirections). */
const SIMPLE_COMMANDS = new Set(['redirected_statement', 'command', 'declaration_command', 'unset_command', 'variable_assignment', 'variable_assignments', 'test_command']);

/** Inside `[ … ]` / `[[ … ]]`: expression nodes whose leaves are the words the test command receives. */
const TEST_EXPRESSIONS = new Set(['binary_expression', 'unary_expression', 'parenthesized_expression', 'ternary_expression', 'postfix_expression', 'negated_expression']);

/** The node types whose fields the walk reads (`body`, `redirect`, `name`, `value`, `destination`, `right`…). */
const FIELD_PARENTS: ReadonlySet<string> = new Set(['redirected_statement', 'variable_assignment', 'file_redirect', 'heredoc_redirect', 'herestring_redirect']);

/** Parts of statement lists that are not statements run in order (a `case` pattern, a loop's word list). */
const NOT_STATEMENTS = new Set(['comment', 'heredoc_body', 'heredoc_start', 'heredoc_end']);

/**
 * `parseText`: what tree-sitter reads, when it differs from the script only inside same-length spans
 * (pipeline template expressions masked, scriptModel.maskTemplateExpressions); tokens are cut from `script`.
 */
export function tokenizePosix(script: string, depth = 0, parseText = script): ParsedScript {
  return withSyntaxTree('bash', parseText, (tree) => {
    const commands: ShellCommand[] = [];
    const work: Work[] = [{ node: copySyntaxTree(tree, script, FIELD_PARENTS), depth }];
    while (work.length > 0) visit(work.pop()!, work, commands);
    // Stable: a command and a nested one never share a start except through redirections written first.
    commands.sort((a, b) => a.start - b.start);
    const problems = tree.rootNode.hasError ? [syntaxProblem(tree.rootNode, script)] : [];
    return { shell: 'posix', commands, problems };
  });
}

/** Where the first error is, for the problem list (the commands around it are still read). */
function syntaxProblem(root: SyntaxTree['rootNode'], script: string): ParsedScript['problems'][number] {
  // A cursor lives in the WebAssembly heap, which never shrinks: freed as soon as the error is found.
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) {
        return { message: node.isMissing ? `missing ${node.type}` : 'syntax error', start: node.startIndex, end: Math.max(node.startIndex, node.endIndex) };
      }
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { message: 'syntax error', start: 0, end: script.length };
      }
    }
  } finally {
    cursor.delete();
  }
}

function namedChildrenOf(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren;
}

function visit(item: Work, work: Work[], out: ShellCommand[]): void {
  const { node, depth } = item;
  const listDepth = STATEMENT_LISTS[node.type];
  if (listDepth !== undefined) {
    pushStatements(item, depth + listDepth, work);
    // `{ …; } > f`, `( … ) > f`: the redirection is the group's; only its substitutions run commands.
    for (const redirect of item.redirects ?? []) work.push({ node: redirect, depth });
    return;
  }
  switch (node.type) {
    case 'list': {
      // `a && b || c` is left-associative: list(list(a && b) || c); the right side is joined by the operator.
      const [left, right] = [node.namedChild(0), node.namedChild(node.namedChildCount - 1)];
      const operator = node.children.find((child) => child !== null && !child.isNamed && (child.type === '&&' || child.type === '||'));
      if (right && right !== left) work.push({ node: right, depth, joinedBy: (operator?.type ?? ';') as JoinedBy, assignedTo: item.assignedTo, ...(item.redirects ? { redirects: item.redirects } : {}) });
      if (left) work.push({ node: left, depth, joinedBy: item.joinedBy, assignedTo: item.assignedTo, ...(item.pipeFrom ? { pipeFrom: item.pipeFrom } : {}) });
      return;
    }
    case 'pipeline': {
      const members: ShellCommand[] = item.pipeFrom ? [item.pipeFrom] : [];
      const parts = namedChildrenOf(node).filter((child) => !NOT_STATEMENTS.has(child.type));
      for (const part of parts) {
        const first = members.length === 0 || (item.pipeFrom !== undefined && members.length === 1);
        const joinedBy = members.length === 0 ? item.joinedBy : undefined;
        const redirects = part === parts[parts.length - 1] ? item.redirects : undefined;
        // `! curl … | sh`: the negation applies to the whole pipeline; its command is a member.
        let child = part;
        while (child.type === 'negated_command' && child.lastNamedChild) child = child.lastNamedChild;
        // Only a simple command at this level is a pipeline member; a `( … )` member keeps its own commands.
        if (!SIMPLE_COMMANDS.has(child.type)) {
          work.push({ node: child, depth, joinedBy, ...(redirects ? { redirects } : {}), ...(first && item.pipeFrom ? { pipeFrom: item.pipeFrom } : {}) });
          continue;
        }
        const member = simpleCommand(child, depth, joinedBy, item.assignedTo, work, out, redirects);
        if (member) members.push(member);
      }
      linkPipeline(members);
      return;
    }
    case 'negated_command': {
      const body = node.namedChild(node.namedChildCount - 1);
      if (body) work.push({ ...item, node: body });
      return;
    }
    default:
      if (SIMPLE_COMMANDS.has(node.type)) {
        // Handled whole, also when it names no command: its substitutions are already on the work list.
        const command = simpleCommand(node, depth, item.joinedBy, item.assignedTo, work, out, item.redirects);
        if (command && item.pipeFrom) linkPipeline([item.pipeFrom, command]);
        return;
      }
      break;
  }
  for (const redirect of item.redirects ?? []) work.push({ node: redirect, depth });
  // Anything else (a test, an arithmetic expansion, a string, a loop's word list…) runs no command itself
  // but may hold command substitutions: look inside at the same depth.
  for (const child of namedChildrenOf(node)) work.push({ node: child, depth });
}

/** Makes the commands one pipeline, in order. */
function linkPipeline(members: ShellCommand[]): void {
  members.forEach((member, index) => {
    member.pipeline = members;
    member.pipelineIndex = index;
  });
}

/** The statements of a list in order: the first keeps the list's join, the others follow `;`/newline or `&`. */
function pushStatements(item: Work, depth: number, work: Work[]): void {
  const statements: Work[] = [];
  let separator: JoinedBy;
  for (const child of item.node.children) {
    if (!child) continue;
    if (!child.isNamed) {
      if (child.type === '&' || child.type === ';' || child.type === ';;' || child.type === '\n') separator = child.type === '&' ? '&' : ';';
      continue;
    }
    if (NOT_STATEMENTS.has(child.type)) continue;
    const joinedBy = statements.length === 0 ? item.joinedBy : separator ?? ';';
    // Only the commands directly in `$(…)` produce the assigned value.
    statements.push({ node: child, depth, joinedBy, assignedTo: item.node.type === 'command_substitution' ? item.assignedTo : undefined });
    separator = undefined;
  }
  // The work list is a stack: push in reverse so statements are visited in order.
  for (let i = statements.length - 1; i >= 0; i--) work.push(statements[i]!);
}

/**
 * A simple command as a ShellCommand (with its redirections when it is the body of a redirected
 * statement); nested command substitutions go on the work list. Returns null for anything else.
 */
function simpleCommand(
  node: SyntaxNode, depth: number, joinedBy: JoinedBy, assignedTo: string | undefined, work: Work[], out: ShellCommand[], outerRedirects: SyntaxNode[] = [],
): ShellCommand | null {
  let redirects = outerRedirects;
  if (node.type === 'redirected_statement') {
    const body = node.childForFieldName('body');
    // The statement's own redirections come first in the text, the enclosing ones after.
    redirects = [...node.childrenForFieldName('redirect').filter((r): r is SyntaxNode => r !== null), ...outerRedirects];
    if (!body || !['command', 'declaration_command', 'unset_command', 'test_command'].includes(body.type)) {
      if (body) work.push({ node: body, depth, joinedBy, assignedTo, redirects });
      else for (const redirect of redirects) work.push({ node: redirect, depth });
      return null;
    }
    node = body;
  }
  let name: ShellToken | undefined;
  const args: ShellToken[] = [];
  const assignments: ShellToken[] = [];
  /** `cat <<EOF | sh`: what the here-document's redirect holds after `|`. */
  const pipedOn: SyntaxNode[] = [];
  switch (node.type) {
    case 'command':
      for (const child of namedChildrenOf(node)) {
        if (child.type === 'variable_assignment') {
          const assignment = tokenOf(child, 'word');
          if (name) args.push(assignment);
          else assignments.push(assignment);
          lookInsideAssignment(child, depth, work);
        } else if (child.type === 'command_name') {
          name = tokenOf(child);
          lookInside(child, depth, work);
        } else if (child.type.endsWith('_redirect')) {
          addRedirect(child, args, depth, work, pipedOn);
        } else if (!NOT_STATEMENTS.has(child.type)) {
          args.push(tokenOf(child));
          lookInside(child, depth, work);
        }
      }
      // `X=1 Y=2` alone: the assignment itself is the statement (`x=$(curl …)` carries the substitution).
      if (!name) name = assignments.shift();
      break;
    case 'declaration_command':
    case 'unset_command': {
      const keyword = node.child(0);
      if (keyword) name = { kind: 'word', raw: keyword.text, value: keyword.text, start: keyword.startIndex, end: keyword.endIndex };
      for (const child of namedChildrenOf(node)) {
        args.push(tokenOf(child, child.type === 'variable_assignment' ? 'word' : undefined));
        if (child.type === 'variable_assignment') lookInsideAssignment(child, depth, work);
        else lookInside(child, depth, work);
      }
      break;
    }
    case 'variable_assignment':
      name = tokenOf(node, 'word');
      lookInsideAssignment(node, depth, work);
      break;
    case 'test_command': {
      // `[ "$(sha256sum f)" = "$SUM" ]` is the command `[` with its words, as the shell runs it.
      const words: SyntaxNode[] = [];
      const pending = node.children.filter((child): child is SyntaxNode => child !== null).reverse();
      while (pending.length > 0) {
        const part = pending.pop()!;
        if (TEST_EXPRESSIONS.has(part.type)) {
          for (let i = part.childCount - 1; i >= 0; i--) {
            const child = part.child(i);
            if (child) pending.push(child);
          }
        } else {
          words.push(part);
        }
      }
      const [opening, ...rest] = words;
      if (!opening) return null;
      name = tokenOf(opening, 'word');
      for (const word of rest) {
        args.push(tokenOf(word, word.isNamed ? undefined : 'word'));
        lookInside(word, depth, work);
      }
      break;
    }
    case 'variable_assignments': {
      const parts = namedChildrenOf(node);
      const first = parts[0];
      if (!first) return null;
      name = tokenOf(first, 'word');
      for (const part of parts) {
        if (part !== first) args.push(tokenOf(part, 'word'));
        lookInsideAssignment(part, depth, work);
      }
      break;
    }
    default:
      return null;
  }
  if (!name) return null;
  for (const redirect of redirects) addRedirect(redirect, args, depth, work, pipedOn);
  // A redirection may come before the name (`>log cmd`): the command spans every token it owns.
  let start = name.start;
  let end = name.end;
  for (const arg of args) {
    start = Math.min(start, arg.start);
    end = Math.max(end, arg.end);
  }
  const command: ShellCommand = {
    shell: 'posix', name, args, start, end,
    pipeline: [], pipelineIndex: 0, depth,
    ...(joinedBy ? { joinedBy } : {}), ...(assignments.length > 0 ? { assignments } : {}), ...(assignedTo ? { assignedTo } : {}),
  };
  command.pipeline = [command];
  out.push(command);
  for (const pipeline of pipedOn) work.push({ node: pipeline, depth, pipeFrom: command });
  return command;
}

/** Command substitutions inside a word run too (`curl "https://x/$(uname -m)"`): one level deeper. */
function lookInside(node: SyntaxNode, depth: number, work: Work[]): void {
  if (node.childCount > 0) work.push({ node, depth });
}

/** `x=$(curl …)`: the commands of the substitution assign their output to `x`. */
function lookInsideAssignment(node: SyntaxNode, depth: number, work: Work[], assignedVariable?: string): void {
  // Called on the assignment, or (one level down) on a quoted part of its value.
  const value = assignedVariable === undefined ? node.childForFieldName('value') : node;
  if (!value) return;
  const variable = assignedVariable ?? node.childForFieldName('name')?.text;
  // `x=$(curl …)`, `x="$(curl …)"`, `x=pre"$(curl …)"`: the substitution's output lands in `x`.
  const parts = value.type === 'command_substitution' ? [value] : value.type === 'string' || value.type === 'concatenation' ? namedChildrenOf(value) : [];
  if (parts.length === 0) {
    lookInside(value, depth, work);
    return;
  }
  for (const part of parts) {
    if (part.type === 'command_substitution') work.push({ node: part, depth, ...(variable ? { assignedTo: variable } : {}) });
    else if (part.type === 'string') lookInsideAssignment(part, depth, work, variable);
    else lookInside(part, depth, work);
  }
}

/**
 * `> file`, `2>&1`, `<<EOF`, `<<< word`: the operator (with its descriptor) and the target become arguments
 * of the command. tree-sitter-bash hangs the words that follow a redirection in the middle of a command on
 * the redirection (`curl 2>/dev/null -k URL`: `-k` and `URL` are extra destinations): they are the
 * command's arguments. After a here-document's first line it also hangs further redirections, the `&&`
 * command (queued as the next statement) and a `| sh` pipeline (returned in `pipedOn`). The body of a
 * here-document with an unquoted delimiter expands `$(…)`, so its substitutions run too.
 */
function addRedirect(redirect: SyntaxNode, args: ShellToken[], depth: number, work: Work[], pipedOn: SyntaxNode[]): void {
  const destinations = redirect.childrenForFieldName('destination').filter((node): node is SyntaxNode => node !== null);
  const firstDestination = destinations[0];
  let operatorStart = -1;
  let operatorEnd = -1;
  for (const child of redirect.children) {
    if (!child || (child.isNamed && child.type !== 'file_descriptor') || (firstDestination && child.startIndex >= firstDestination.startIndex)) break;
    if (operatorStart < 0) operatorStart = child.startIndex;
    operatorEnd = child.endIndex;
  }
  if (operatorStart >= 0) {
    const raw = redirect.text.slice(operatorStart - redirect.startIndex, operatorEnd - redirect.startIndex);
    args.push({ kind: 'operator', raw, value: raw, start: operatorStart, end: operatorEnd });
  }
  if (redirect.type === 'herestring_redirect') {
    for (const content of namedChildrenOf(redirect)) {
      args.push(tokenOf(content));
      lookInside(content, depth, work);
    }
    return;
  }
  if (redirect.type !== 'heredoc_redirect') {
    for (const destination of destinations) {
      args.push(tokenOf(destination));
      lookInside(destination, depth, work);
    }
    return;
  }
  const delimiter = namedChildrenOf(redirect).find((child) => child.type === 'heredoc_start');
  if (delimiter) args.push(tokenOf(delimiter, 'word'));
  // `<<'EOF'`, `<<"EOF"`, `<<\EOF`: the body is taken literally; otherwise it is expanded like a string.
  const expandsBody = delimiter !== undefined && !/['"\\]/.test(delimiter.text);
  for (const child of namedChildrenOf(redirect)) {
    if (child.type === 'pipeline') pipedOn.push(child);
    else if (child.type === 'heredoc_body' && expandsBody) lookInside(child, depth, work);
  }
  for (const nested of redirect.childrenForFieldName('redirect')) if (nested) addRedirect(nested, args, depth, work, pipedOn);
  const right = redirect.childForFieldName('right');
  const operator = redirect.childForFieldName('operator')?.type;
  if (right) work.push({ node: right, depth, joinedBy: (operator === '&&' || operator === '||' ? operator : ';') as JoinedBy });
}

function tokenOf(node: SyntaxNode, kind?: ShellToken['kind']): ShellToken {
  const raw = node.text;
  const value = wordValue(node);
  // A word that is one quoted string (`'…'`, `"…"`, `$'…'`, `$"…"`) is a string; `pre"mid"` is a word.
  const inner = node.type === 'command_name' && node.namedChildCount === 1 ? node.firstNamedChild : node;
  const fullyQuoted = inner !== null && ['string', 'raw_string', 'ansi_c_string', 'translated_string'].includes(inner.type) && inner.text.length === raw.length;
  const resolved: ShellToken['kind'] = kind ?? (fullyQuoted ? 'string' : value.startsWith('-') ? 'parameter' : 'word');
  return { kind: resolved, raw, value, start: node.startIndex, end: node.endIndex };
}

/**
 * The word the command receives: quotes removed and backslash escapes resolved; expansions and command
 * substitutions stay as written (their value is not known before run time).
 */
function wordValue(node: SyntaxNode): string {
  switch (node.type) {
    case 'command_name':
    case 'concatenation': {
      // Parts of a word are strings, words and expansions: a shallow loop, never deeper than a string.
      let value = '';
      for (const part of node.children) if (part) value += part.type === 'concatenation' || part.type === 'command_name' ? part.text : wordValue(part);
      return value;
    }
    case 'word':
      return unescapeWord(node.text);
    case 'raw_string':
      return node.text.slice(1, node.text.endsWith('\'') && node.text.length >= 2 ? -1 : undefined);
    case 'ansi_c_string':
      return node.text.slice(2, node.text.endsWith('\'') && node.text.length >= 3 ? -1 : undefined);
    case 'string':
    case 'translated_string': {
      const open = node.type === 'string' ? 1 : 2;
      const text = node.text;
      const inner = text.slice(open, text.endsWith('"') && text.length > open ? -1 : undefined);
      return inner.replace(/\\(["\\$`])/g, '$1').replace(/\\\n/g, '');
    }
    default:
      return node.text;
  }
}

/** Outside quotes a backslash keeps the next character literally (`a\ b` is one word `a b`). */
function unescapeWord(text: string): string {
  if (!text.includes('\\')) return text;
  let value = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      if (next !== '\n') value += next;
    } else {
      value += ch;
    }
  }
  return value;
}

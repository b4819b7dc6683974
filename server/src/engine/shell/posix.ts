// POSIX sh front end: @ericcornelissen/bash-parser (a maintained fork of bash-parser) builds the AST;
// this adapter turns its commands into the shared ShellCommand model. A script the parser rejects
// (half-typed, or bash it does not know) falls back to splitting on separators and white space, so
// rules still see the commands while the user types.
import parse, { type BashNode } from '@ericcornelissen/bash-parser';
import type { ParsedScript, ShellCommand, ShellToken } from './types';

export function tokenizePosix(script: string, depth = 0): ParsedScript {
  try {
    const ast = parse(script, { insertLOC: true, mode: 'bash' });
    const commands: ShellCommand[] = [];
    collect(ast, script, depth, commands, undefined);
    commands.sort((a, b) => a.start - b.start);
    return { shell: 'posix', commands, problems: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { shell: 'posix', commands: fallback(script, depth), problems: [{ message, start: 0, end: script.length }] };
  }
}

function token(node: BashNode, script: string, kind: ShellToken['kind'] = 'word'): ShellToken | null {
  if (!node.loc) return null;
  const start = node.loc.start.char;
  const end = Math.min(script.length, node.loc.end.char + 1);
  const raw = script.slice(start, end);
  // A fully quoted word is a string: its value starts one character after the opening quote.
  const quoted = raw.length >= 2 && (raw[0] === '\'' || raw[0] === '"') && raw[raw.length - 1] === raw[0];
  let value = node.text ?? raw;
  // bash-parser keeps the quotes of a quoted word that holds an expansion (`"$(curl …)"`).
  if (quoted && value.length >= 2 && value[0] === raw[0] && value[value.length - 1] === raw[0]) value = value.slice(1, -1);
  return { kind: kind === 'word' && quoted ? 'string' : kind === 'word' && /^-/.test(value) ? 'parameter' : kind, raw, value, start, end };
}

function collect(node: BashNode | undefined, script: string, depth: number, out: ShellCommand[], joinedBy: ShellCommand['joinedBy']): void {
  if (!node) return;
  switch (node.type) {
    case 'Script':
    case 'CompoundList':
      node.commands?.forEach((child, index) => collect(child, script, depth, out, index === 0 ? joinedBy : ';'));
      return;
    case 'LogicalExpression':
      collect(node.left, script, depth, out, joinedBy);
      collect(node.right, script, depth, out, node.op === 'and' ? '&&' : '||');
      return;
    case 'Pipeline': {
      const pipeline: ShellCommand[] = [];
      for (const child of node.commands ?? []) {
        const before = out.length;
        collect(child, script, depth, out, pipeline.length === 0 ? joinedBy : undefined);
        // Only the simple command at this level is a pipeline member; nested ones keep their own.
        const member = out.slice(before).find((c) => c.depth === depth);
        if (member) pipeline.push(member);
      }
      pipeline.forEach((member, index) => {
        member.pipeline = pipeline;
        member.pipelineIndex = index;
      });
      return;
    }
    case 'Command': {
      const name = node.name ? token(node.name, script) : null;
      const args: ShellToken[] = [];
      for (const part of node.suffix ?? []) {
        if (part.type === 'Redirect') {
          const op = typeof part.op === 'object' ? token(part.op, script, 'operator') : null;
          if (op) args.push(op);
          if (part.file) {
            const file = token(part.file, script);
            if (file) args.push(file);
          }
          continue;
        }
        const arg = token(part, script);
        if (arg) args.push(arg);
      }
      const assignment = node.prefix?.find((p) => p.type === 'AssignmentWord');
      if (name) {
        const last = args[args.length - 1];
        const assignments = (node.prefix ?? []).filter((p) => p.type === 'AssignmentWord').map((p) => token(p, script)).filter((t): t is ShellToken => t !== null);
        const command: ShellCommand = {
          shell: 'posix', name, args, start: name.start, end: last ? last.end : name.end,
          pipeline: [], pipelineIndex: 0, depth, ...(joinedBy ? { joinedBy } : {}), ...(assignments.length > 0 ? { assignments } : {}),
        };
        command.pipeline = [command];
        out.push(command);
      } else if (assignment) {
        // `x=$(curl …)`: the assignment itself carries the command substitution.
        const word = token(assignment, script);
        if (word) {
          const command: ShellCommand = { shell: 'posix', name: word, args: [], start: word.start, end: word.end, pipeline: [], pipelineIndex: 0, depth };
          command.pipeline = [command];
          out.push(command);
        }
      }
      // Command substitutions inside words run too: `$(curl …)`, `` `wget …` ``.
      for (const part of [...(node.prefix ?? []), node.name, ...(node.suffix ?? [])]) {
        for (const expansion of part?.expansion ?? []) {
          if (expansion.type !== 'CommandExpansion' || !expansion.commandAST || !part?.loc) continue;
          const inner = tokenizeSubstitution(part, script, depth + 1);
          const assignedTo = part.type === 'AssignmentWord' ? part.text?.split('=')[0] : undefined;
          inner.forEach((c) => { if (assignedTo && c.depth === depth + 1) c.assignedTo = assignedTo; });
          out.push(...inner);
        }
      }
      return;
    }
    case 'Subshell':
    case 'BraceGroup':
      collect(node.list, script, depth + 1, out, joinedBy);
      return;
    case 'If':
      collect(node.clause, script, depth + 1, out, joinedBy);
      collect(node.then, script, depth + 1, out, ';');
      collect(node.else, script, depth + 1, out, ';');
      return;
    case 'While':
    case 'Until':
      collect(node.clause, script, depth + 1, out, joinedBy);
      collect(node.do, script, depth + 1, out, ';');
      return;
    case 'For':
    case 'Case':
    case 'Function':
      collect(node.do ?? node.list, script, depth + 1, out, joinedBy);
      return;
    default:
      return;
  }
}

/** Re-tokenize `$(…)` inside a word from the script text, so inner commands get real offsets. */
function tokenizeSubstitution(part: BashNode, script: string, depth: number): ShellCommand[] {
  const start = part.loc!.start.char;
  const end = Math.min(script.length, part.loc!.end.char + 1);
  const text = script.slice(start, end);
  const results: ShellCommand[] = [];
  const open = text.indexOf('$(');
  if (open < 0) return results;
  let level = 0;
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '(') level++;
    else if (text[i] === ')' && --level === 0) {
      const innerStart = start + open + 2;
      const inner = tokenizePosix(script.slice(innerStart, start + i), depth);
      for (const command of inner.commands) results.push(shift(command, innerStart));
      break;
    }
  }
  return results;
}

function shift(command: ShellCommand, by: number): ShellCommand {
  const move = (t: ShellToken): ShellToken => ({ ...t, start: t.start + by, end: t.end + by });
  const moved: ShellCommand = { ...command, name: move(command.name), args: command.args.map(move), start: command.start + by, end: command.end + by };
  moved.pipeline = [moved];
  return moved;
}

/** Half-typed or unsupported syntax: split on `;`, `&&`, `||`, `|` and white space, honouring quotes. */
function fallback(script: string, depth: number): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let tokens: ShellToken[] = [];
  let pipeline: ShellCommand[] = [];
  let joinedBy: ShellCommand['joinedBy'];
  const flush = (endsPipeline: boolean, nextJoin: ShellCommand['joinedBy']) => {
    if (tokens.length > 0) {
      const [name, ...args] = tokens;
      const command: ShellCommand = {
        shell: 'posix', name: name!, args, start: name!.start, end: tokens[tokens.length - 1]!.end, pipeline, pipelineIndex: pipeline.length, depth,
        ...(joinedBy && pipeline.length === 0 ? { joinedBy } : {}),
      };
      pipeline.push(command);
      commands.push(command);
    }
    tokens = [];
    if (endsPipeline) {
      pipeline = [];
      joinedBy = nextJoin;
    }
  };
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||') { flush(true, two); i += 2; continue; }
    if (ch === ';' || ch === '\n') { flush(true, ';'); i++; continue; }
    if (ch === '|') { flush(false, undefined); i++; continue; }
    const start = i;
    let value = '';
    while (i < script.length && !/[\s;|&]/.test(script[i]!)) {
      const c = script[i]!;
      if (c === '\'' || c === '"') {
        const close = script.indexOf(c, i + 1);
        const stop = close < 0 ? script.length : close;
        value += script.slice(i + 1, stop);
        i = close < 0 ? script.length : close + 1;
      } else if (c === '\\' && i + 1 < script.length) {
        value += script[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    if (i === start) { i++; continue; }
    tokens.push({ kind: value.startsWith('-') ? 'parameter' : 'word', raw: script.slice(start, i), value, start, end: i });
  }
  flush(true, undefined);
  return commands;
}

// PowerShell expression statements that configure .NET: `[Net.ServicePointManager]::X = …`. The tokenizer
// gives them as a command whose name is the `[Type]` group (or a variable), followed by `::Member` / `.Member`,
// `=` and the value.
import type { ShellCommand, ShellToken } from '../../types';
import { spanOf } from './tokens';

export interface MemberAssignment {
  /** Member name, lower-cased, without `.` or `::`. */
  member: string;
  /** For `[Type]::Member = …`: the type name, lower-cased, without brackets and a leading `System.` (`net.servicepointmanager`). */
  type: string | undefined;
  /** The assignment target (`[Type]::Member`, `$handler.Member`) as one token. */
  target: ShellToken;
  /** Tokens right of `=`; empty when a command follows (`= New-Object X` is a statement of its own). */
  value: ShellToken[];
}

/** `[Type]` → `type` (lower-case, no `System.`), for a type-literal group; undefined for anything else. */
export function typeName(token: ShellToken | undefined): string | undefined {
  if (!token || token.kind !== 'group' || token.open !== '[') return undefined;
  return token.value.replace(/^\[|\]$/g, '').replace(/\s+/g, '').toLowerCase().replace(/^system\./, '');
}

/** `[Net.ServicePointManager]::SecurityProtocol = …`, `$handler.ServerCertificateCustomValidationCallback = …` */
export function memberAssignment(command: ShellCommand): MemberAssignment | undefined {
  if (command.shell !== 'powershell') return undefined;
  const assign = command.args.findIndex((t) => t.kind === 'operator' && t.value === '=');
  const member = command.args[assign - 1];
  if (assign < 1 || member?.kind !== 'member') return undefined;
  const isStatic = assign === 1 && member.value.startsWith('::');
  return {
    member: member.value.replace(/^(::|\.)/, '').toLowerCase(),
    type: isStatic ? typeName(command.name) : undefined,
    target: spanOf(command.name, member),
    value: command.args.slice(assign + 1),
  };
}

/** The tokens of an expression with the contents of its groups (`(…)`, `$(…)`), depth first, in order. */
export function expressionTokens(tokens: readonly ShellToken[]): ShellToken[] {
  const out: ShellToken[] = [];
  for (const token of tokens) {
    out.push(token);
    if (token.kind === 'group' && token.open !== '{') {
      for (const inner of token.inner ?? []) out.push(...expressionTokens([inner.name, ...inner.args]));
    }
  }
  return out;
}

/**
 * `{ $true }`, `{ return $true }`, `{ param($s, $c, $ch, $e) $true }`: a script block whose last statement
 * yields `$true` whatever its arguments — a certificate callback that accepts every certificate.
 */
export function scriptBlockReturnsTrue(token: ShellToken): boolean {
  if (token.kind !== 'group' || token.open !== '{') return false;
  const statements = token.inner ?? [];
  const last = statements[statements.length - 1];
  if (!last) return false;
  const isTrue = (t: ShellToken | undefined) => t?.kind === 'variable' && t.value.toLowerCase() === '$true';
  if (isTrue(last.name) && last.args.length === 0) return true;
  const keyword = last.name.kind === 'word' ? last.name.value.toLowerCase() : '';
  // `return $true`; `param(…) $true` and `param(…) return $true` read as one statement (`param` takes arguments).
  const values = last.args.filter((a) => !(a.kind === 'group' && a.open === '(') && !(a.kind === 'word' && a.value.toLowerCase() === 'return'));
  return (keyword === 'return' || keyword === 'param') && values.length === 1 && isTrue(values[0]);
}

// The shell model's one PowerShell parameter binder: which value went to which cmdlet parameter, the
// way PowerShell binds them — named (`-Name x`, `-Name:x`, unique prefixes, aliases), arrays (`a, b`,
// `@('a','b')`), then positional arguments in order. Every rule family asks through this one interface
// (`bindCmdlet(command, spec).values('OutFile')`) and never cares how the user spelled it. Native
// programs (curl, choco, dism…) have their own option syntax: nativeOptions.ts.
import { programArguments } from './nativeOptions';
import type { ShellCommand, ShellToken } from './types';

export interface CmdletSpec {
  /** Parameters that take a value, in their canonical spelling. */
  values?: readonly string[];
  /** Switch parameters: they take no value unless written `-Switch:$false`. */
  switches?: readonly string[];
  /** Alias → canonical name (`drtm` → `DisableRealtimeMonitoring`). */
  aliases?: Readonly<Record<string, string>>;
  /** Canonical names of the positional parameters, in position order. */
  positional?: readonly string[];
}

export interface BoundParameter {
  /** Canonical name from the spec, or the name as written for a parameter the spec does not know. */
  name: string;
  /** The `-Name` token; undefined when bound by position. */
  parameter?: ShellToken;
  /** One token per value (array elements separately); empty for a switch written without a value. */
  values: ShellToken[];
}

/** Parameters every cmdlet has, so they are never mistaken for a positional value's owner. */
const COMMON_SWITCHES = ['Force', 'PassThru', 'Confirm', 'WhatIf', 'Verbose', 'Debug', 'UseTransaction'];
const COMMON_VALUES = ['ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable', 'WarningVariable',
  'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable'];

export class BoundCmdlet {
  constructor(readonly parameters: readonly BoundParameter[]) {}

  get(name: string): BoundParameter | undefined {
    const lower = name.toLowerCase();
    return this.parameters.find((p) => p.name.toLowerCase() === lower);
  }

  values(name: string): ShellToken[] {
    return this.get(name)?.values ?? [];
  }

  /** The first value of the first of these parameters that is bound (by name or by position). */
  value(...names: string[]): ShellToken | undefined {
    for (const name of names) {
      const value = this.get(name)?.values[0];
      if (value) return value;
    }
    return undefined;
  }

  /** A switch that is on: present, and not written `-Switch:$false`. Returns its token. */
  switchOn(name: string): ShellToken | undefined {
    const bound = this.get(name);
    if (!bound?.parameter) return undefined;
    const value = bound.values[0];
    return value && /^(\$false|0)$/i.test(value.value) ? undefined : bound.parameter;
  }
}

/** What to underline for a bound parameter: `-Enabled False`, `-Name:value`, or the value bound by position. */
export function parameterSpan(bound: BoundParameter): ShellToken {
  // Bound by name, a parameter has its token; bound by position, it has at least one value.
  const first = bound.parameter ?? bound.values[0]!;
  const last = bound.values[bound.values.length - 1] ?? first;
  return { ...first, end: Math.max(first.end, last.end) };
}

interface CompiledSpec {
  /** Lower-cased switch names, the common ones included. */
  switches: ReadonlySet<string>;
  resolve: (written: string) => string;
}

/** Specs are constants of the rules: their name tables are built once, not per command bound. */
const compiled = new WeakMap<CmdletSpec, CompiledSpec>();

function compile(spec: CmdletSpec): CompiledSpec {
  let result = compiled.get(spec);
  if (!result) {
    result = { switches: new Set([...(spec.switches ?? []), ...COMMON_SWITCHES].map((s) => s.toLowerCase())), resolve: nameResolver(spec) };
    compiled.set(spec, result);
  }
  return result;
}

export function bindCmdlet(command: ShellCommand, spec: CmdletSpec): BoundCmdlet {
  const { switches, resolve } = compile(spec);
  const args = programArguments(command.args);
  const named: BoundParameter[] = [];
  const positional: ShellToken[][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (isParameterToken(arg)) {
      const colon = arg.value.indexOf(':');
      const written = (colon >= 0 ? arg.value.slice(1, colon) : arg.value.slice(1));
      const name = resolve(written);
      const bound: BoundParameter = { name, parameter: arg, values: [] };
      named.push(bound);
      if (colon >= 0 && colon < arg.value.length - 1) {
        bound.values.push(inlineValue(arg, colon));
        continue;
      }
      // `-Switch` takes nothing; `-Switch:` and every other parameter take the next value (and its array).
      const takesValue = colon >= 0 || !switches.has(name.toLowerCase());
      const next = args[i + 1];
      if (takesValue && next && !isParameterToken(next) && !isComma(next)) i = collectValues(args, i + 1, bound.values);
      continue;
    }
    if (isComma(arg) || isPostfix(arg, args[i - 1])) continue;
    const values: ShellToken[] = [];
    i = collectValues(args, i, values);
    positional.push(values);
  }
  const positionalNames = (spec.positional ?? []).filter((name) => !named.some((b) => b.name.toLowerCase() === name.toLowerCase()));
  const byPosition = positional.slice(0, positionalNames.length).map((values, index) => ({ name: positionalNames[index]!, values }));
  return new BoundCmdlet([...named, ...byPosition]);
}

/** Exact names and aliases first, then a unique prefix (PowerShell accepts `-SkipC` for `-SkipCertificateCheck`). */
function nameResolver(spec: CmdletSpec): (written: string) => string {
  const canonical = new Map<string, string>();
  for (const name of [...(spec.values ?? []), ...(spec.switches ?? []), ...COMMON_SWITCHES, ...COMMON_VALUES]) canonical.set(name.toLowerCase(), name);
  for (const [alias, name] of Object.entries(spec.aliases ?? {})) canonical.set(alias.toLowerCase(), name);
  const prefixes = new Map<string, string | null>();
  return (written) => {
    const lower = written.toLowerCase();
    const exact = canonical.get(lower);
    if (exact) return exact;
    let resolved = prefixes.get(lower);
    if (resolved === undefined) {
      const candidates = new Set([...canonical.entries()].filter(([key]) => key.startsWith(lower)).map(([, name]) => name));
      resolved = candidates.size === 1 && lower.length > 0 ? [...candidates][0]! : null;
      if (prefixes.size < 1_000) prefixes.set(lower, resolved);
    }
    return resolved ?? written;
  };
}

/** Only `-Name` binds by name: a `/x` word is a value to a cmdlet (the tokenizer marks it for native programs). */
function isParameterToken(token: ShellToken): boolean {
  return token.kind === 'parameter' && token.value.startsWith('-');
}

function isComma(token: ShellToken): boolean {
  return token.kind === 'operator' && token.value === ',';
}

/** `.Member` / `[index]` glued to the previous value (`$key.Path`) belong to it, not to the argument list. */
function isPostfix(token: ShellToken, previous: ShellToken | undefined): boolean {
  return (token.kind === 'member' || (token.kind === 'group' && token.open === '[')) && previous !== undefined && previous.end === token.start;
}

/** Reads a value at `start` and any `, more` after it; returns the index of the last token used. */
function collectValues(args: readonly ShellToken[], start: number, out: ShellToken[]): number {
  let i = start;
  out.push(...arrayElements(args[i]!));
  for (;;) {
    while (args[i + 1] && isPostfix(args[i + 1]!, args[i])) i++;
    if (!(args[i + 1] && isComma(args[i + 1]!) && args[i + 2])) return i;
    out.push(...arrayElements(args[i + 2]!));
    i += 2;
  }
}

/** `@('a', 'b')` and `('a', 'b')` are arrays of literals; any other group is one computed value. */
function arrayElements(token: ShellToken): ShellToken[] {
  if (token.kind !== 'group' || (token.open !== '@(' && token.open !== '(') || token.inner?.length !== 1) return [token];
  const statement = token.inner[0]!;
  const items = [statement.name, ...statement.args];
  const wellFormed = items.every((item, index) => (index % 2 === 1 ? isComma(item) : item.kind !== 'operator'));
  return wellFormed ? items.filter((item) => !isComma(item)).flatMap(arrayElements) : [token];
}

/** `-Name:value` as a token of its own, pointing at the value part. */
function inlineValue(arg: ShellToken, colon: number): ShellToken {
  const value = arg.value.slice(colon + 1);
  const rawColon = arg.raw.indexOf(':');
  return {
    kind: /^\$(true|false)$/i.test(value) ? 'variable' : 'word',
    raw: rawColon >= 0 ? arg.raw.slice(rawColon + 1) : value,
    value,
    start: rawColon >= 0 ? arg.start + rawColon + 1 : arg.start,
    end: arg.end,
  };
}

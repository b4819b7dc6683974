// Reading single tokens the way the three shells would: literal values, booleans, numbers, spans.
// Rules compare these, never the raw RUN text.
import type { ShellToken } from '../../types';

/** A token covering `first` to `last`, for findings that underline several tokens (`-Enabled False`). */
export function spanOf(first: ShellToken, last: ShellToken = first): ShellToken {
  return { ...first, end: Math.max(first.end, last.end) };
}

/** Variables (`$x`, `%X%`, `${X}`) and expressions are decided at build time: rules cannot read them. */
export function isDynamic(token: ShellToken): boolean {
  if (token.kind === 'variable') return !isPowerShellBoolean(token);
  if (token.kind === 'group') return true;
  return /\$[{(A-Za-z_]|%[^%\s]+%|![^!\s]+!/.test(token.value);
}

/** The literal text a token passes, or undefined when it is computed (variables, groups, operators). */
export function literal(token: ShellToken | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'word' || token.kind === 'string' || token.kind === 'parameter') return token.value;
  if (isPowerShellBoolean(token)) return token.value.toLowerCase();
  return undefined;
}

function isPowerShellBoolean(token: ShellToken): boolean {
  return token.kind === 'variable' && /^\$(true|false)$/i.test(token.value);
}

const TRUE_SPELLINGS = new Set(['$true', 'true', '1', 'yes', 'on']);
const FALSE_SPELLINGS = new Set(['$false', 'false', '0', 'no', 'off']);

/** `$true`, `1`, `true`, `yes`, `on` (any case): what PowerShell [bool] parameters and tool configs read as on. */
export function isTrueText(text: string | undefined): boolean {
  return text !== undefined && TRUE_SPELLINGS.has(text.trim().toLowerCase());
}

export function isFalseText(text: string | undefined): boolean {
  return text !== undefined && FALSE_SPELLINGS.has(text.trim().toLowerCase());
}

/** A literal token that reads as on (quoted or not); never a variable other than `$true`. */
export function isTrue(token: ShellToken | undefined): boolean {
  return isTrueText(literal(token));
}

export function isFalse(token: ShellToken | undefined): boolean {
  return isFalseText(literal(token));
}

/** `0`, `1`, `0x1`, `0xffffffff` as registry data; `$true`/`$false` as 1/0 (PowerShell converts them). */
export function numberValue(token: ShellToken | undefined): number | undefined {
  const value = literal(token)?.trim().toLowerCase();
  if (value === undefined) return undefined;
  if (value === '$true') return 1;
  if (value === '$false') return 0;
  if (/^0x[0-9a-f]+$/.test(value)) return parseInt(value.slice(2), 16);
  if (/^-?\d+$/.test(value)) return parseInt(value, 10);
  return undefined;
}

export { programArguments } from '../../nativeOptions';

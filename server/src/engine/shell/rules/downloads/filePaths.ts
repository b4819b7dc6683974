// Deciding whether a download and a later check name the same file, when each is written in its own
// shell: `-OutFile C:\tmp\node.zip` (PowerShell), `certutil -hashfile %TEMP%\node.zip` (cmd),
// `Get-FileHash $env:TEMP/node.zip`, `sha256sum -c` with `node.zip` relative to the working directory.
import { lastPathSegment } from '../../types';

/**
 * A comparable form of a path: quotes removed, `\` as `/`, `./` and doubled separators dropped, environment
 * variables in one spelling (`$env:TEMP`, `${env:TEMP}`, `%TEMP%`, `$TEMP`, `${TEMP}` → `%temp%` on Windows), and
 * lower-cased where the file system ignores case.
 */
export function normalizePath(path: string, caseInsensitive: boolean): string {
  let text = path.trim().replace(/^(['"])(.*)\1$/s, '$2');
  text = text
    .replace(/\$\{env:(\w+)\}|\$env:(\w+)/gi, (_m, braced: string | undefined, plain: string | undefined) => `%${braced ?? plain}%`)
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/\.(?=\/)/g, '');
  if (caseInsensitive) text = text.toLowerCase();
  return text;
}

/** POSIX `$NAME` / `${NAME}` read as environment variables, to compare with cmd and PowerShell spellings. */
export function normalizePosixVariables(path: string): string {
  return path.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, braced: string | undefined, plain: string | undefined) => `%${braced ?? plain}%`);
}

export function basenameOf(path: string): string {
  return lastPathSegment(path);
}

/** A path that depends on the working directory: no root, drive, home or variable at its start. */
export function isRelative(normalized: string): boolean {
  return !/^(\/|[a-z]:|%\w+%|\$|~)/i.test(normalized);
}

/**
 * How two normalized paths relate: the same text, or the same file name where at least one of them is
 * relative (it may be the other one after a `cd`/`WORKDIR`). Callers accept `basename` matches only when
 * no other downloaded file has that name.
 */
export function pathMatch(a: string, b: string): 'exact' | 'basename' | null {
  if (a === b) return 'exact';
  const name = basenameOf(a);
  if (name === '' || name !== basenameOf(b)) return null;
  return isRelative(a) || isRelative(b) ? 'basename' : null;
}

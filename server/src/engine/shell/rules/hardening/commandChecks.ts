// The loop every hardening rule shares: visit each command of each script (RUN, pipeline step; wrapped
// scripts included), let the rule's checks for that command name find problems, and report each once
// with its exact range.
import { allCommands, type HostedCommand, type ScriptHost } from '../../scriptHost';
import type { ShellToken } from '../../types';
import type { Fix, Severity } from '../../../types';
import type { Report } from '../../../rules/rule';

export interface Detection {
  /** What to underline: the offending parameter, value or package. */
  token: ShellToken;
  message: string;
  /** A severity other than the rule's default for this finding (e.g. `info` for advice). */
  severity?: Severity;
  fixes?: Fix[];
}

export interface CommandCheck {
  /**
   * Lower-cased command names (no path, no `.exe`) the check applies to. Omitted: every command, including
   * PowerShell expression statements (`[Net.ServicePointManager]::… = …`, `$env:X = …`), whose name is ''.
   */
  names?: readonly string[];
  detect(command: HostedCommand): Detection[];
}

/** A rule's checks by the command name they apply to; `any`: the checks of every command, in rule order. */
interface CheckIndex {
  byName: Map<string, readonly CommandCheck[]>;
  any: readonly CommandCheck[];
}

/** Built once per rule's check list (module constants): most commands match no name, and skip every named check at once. */
const indexes = new WeakMap<readonly CommandCheck[], CheckIndex>();

function indexOf(checks: readonly CommandCheck[]): CheckIndex {
  let index = indexes.get(checks);
  if (index) return index;
  const names = new Set(checks.flatMap((check) => check.names ?? []));
  const byName = new Map<string, readonly CommandCheck[]>();
  // Each name's list keeps the rule's order, unnamed checks included, so findings come out as before.
  for (const name of names) byName.set(name, checks.filter((check) => !check.names || check.names.includes(name)));
  index = { byName, any: checks.filter((check) => !check.names) };
  indexes.set(checks, index);
  return index;
}

export function runCommandChecks(host: ScriptHost, report: Report, checks: readonly CommandCheck[]): void {
  const reported = new Set<string>();
  const index = indexOf(checks);
  for (const command of allCommands(host)) {
    for (const check of index.byName.get(command.name) ?? index.any) {
      for (const detection of check.detect(command)) {
        const range = command.rangeOf(detection.token);
        // A wrapper and the script it runs can point at the same text; one finding per place and message.
        const key = `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}:${detection.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report({
          range,
          message: detection.message,
          ...(detection.fixes ? { fixes: hostFixes(command, detection.fixes) } : {}),
          ...(detection.severity ? { severity: detection.severity } : {}),
        });
      }
    }
  }
}

/** The fixes as the command's host can write them (none where a pipeline's YAML quoting could break). */
function hostFixes(command: HostedCommand, fixes: readonly Fix[]): Fix[] {
  return fixes.flatMap((fix) => command.run.host.fix(command.run, fix) ?? []);
}

/** Where a setting made by a command stays in force, for messages: the image, or the runner. */
export function imageOrRunner(command: HostedCommand): string {
  return command.run.host.kind === 'dockerfile' ? 'in this image' : 'on this runner';
}

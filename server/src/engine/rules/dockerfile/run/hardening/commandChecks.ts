// The loop every hardening rule shares: visit each command of each RUN (wrapped scripts included), let
// the rule's checks for that command name find problems, and report each once with its exact range.
import type { DockerfileModel } from '../../../../dockerfile/model';
import { runAnalyses, type LocatedCommand } from '../../../../shell/runAnalysis';
import type { ShellToken } from '../../../../shell/types';
import type { Fix, Severity } from '../../../../types';
import type { Report } from '../../../rule';

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
  detect(command: LocatedCommand): Detection[];
}

const commandLists = new WeakMap<DockerfileModel, LocatedCommand[]>();

/** Every command of every RUN instruction, in document order; one list per model, shared by the rules (never mutated). */
export function allCommands(model: DockerfileModel): readonly LocatedCommand[] {
  let commands = commandLists.get(model);
  if (!commands) {
    commands = runAnalyses(model).flatMap((run) => run.commands);
    commandLists.set(model, commands);
  }
  return commands;
}

export function runCommandChecks(model: DockerfileModel, report: Report, checks: readonly CommandCheck[]): void {
  const reported = new Set<string>();
  for (const command of allCommands(model)) {
    for (const check of checks) {
      if (check.names && !check.names.includes(command.name)) continue;
      for (const detection of check.detect(command)) {
        const range = command.rangeOf(detection.token);
        // A wrapper and the script it runs can point at the same text; one finding per place and message.
        const key = `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}:${detection.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report({
          range,
          message: detection.message,
          ...(detection.fixes ? { fixes: detection.fixes } : {}),
          ...(detection.severity ? { severity: detection.severity } : {}),
        });
      }
    }
  }
}

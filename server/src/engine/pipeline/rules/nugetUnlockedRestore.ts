import type { PipelineRule } from '../../rules/rule';
import type { PipelineJob } from '../model';
import { pipelineScriptHost, type StepScript } from '../scriptHosts';
import type { HostedScript } from '../../shell/scriptHost';
import type { Range } from '../../types';
import { azureTasksOf, taskInput, type AzureTask } from './azureTasks';
import { scriptCommandsOf, wordArgs } from './pipelineNodes';

// A restore without locked mode resolves version ranges, floating versions (`1.*`) and transitive
// dependencies again on every run: the build can take a newer (or a substituted) package than the one the
// repository tested, and `packages.lock.json` — when there is one — is silently rewritten instead of
// failing the build. In CI the restore should fail when the lock file and the projects disagree.
//
// What this rule adds to `unpinned-package-install` (which checks explicit `dotnet restore`, `nuget
// restore` and `msbuild -t:restore` in every script, Dockerfiles included): the restores a pipeline runs
// without saying so — `dotnet build`/`test`/`publish`/`pack`/`run` without `--no-restore` in a job that has
// no explicit restore before them — and the Azure tasks `DotNetCoreCLI@2` and `NuGetCommand@2`, which no
// script rule sees. Explicit script restores stay with that rule (one finding per place).

/** dotnet verbs that restore first unless `--no-restore`. */
const IMPLICIT_RESTORE_VERBS = new Set(['build', 'test', 'publish', 'pack', 'run']);
/** DotNetCoreCLI@2 commands that restore (its default command is build). */
const TASK_RESTORE_COMMANDS = new Set(['restore', 'build', 'test', 'publish', 'pack', 'run']);

const LOCKED_WORD = /^(?:--locked-mode|-lockedmode)$/i;
const LOCKED_PROPERTY = /^(?:-|--|\/)(?:p|property):(.*)$/i;
const LOCKED_TEXT = /(?:^|[\s"'])(?:--locked-mode|-lockedmode)(?=$|[\s"'])|(?:^|[;:\s"'])RestoreLockedMode\s*=\s*true\b/i;

function lockedByArguments(values: readonly string[]): boolean {
  return values.some((value) => {
    if (LOCKED_WORD.test(value)) return true;
    const property = LOCKED_PROPERTY.exec(value);
    return property !== null && property[1]!.split(/[;,]/).some((p) => /^\s*RestoreLockedMode\s*=\s*true\s*$/i.test(p));
  });
}

interface Restore {
  /** Document offset, to order the scripts and tasks of a job. */
  offset: number;
  job: PipelineJob | null;
  jobPath: string;
  /** An explicit restore (`dotnet restore`, `nuget restore`, a restore task). */
  explicit: boolean;
  locked: boolean;
  /** Reported by this rule (explicit script restores are `unpinned-package-install`'s). */
  report: { range: Range; what: string; flag: string } | null;
}

export const nugetUnlockedRestore: PipelineRule = {
  meta: {
    id: 'pipeline-nuget-unlocked-restore',
    title: 'A pipeline restores NuGet packages without locked mode (implicitly in dotnet build/test/publish, or in an Azure task)',
    fileKind: 'pipeline',
    defaultSeverity: 'info',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.5', 'pipeline-check ADO-021, GL-021', 'OpenSSF Scorecard Pinned-Dependencies (nugetCommand)'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 3.0,
  },
  check(model, report) {
    const pipeline = model.model;
    const host = pipelineScriptHost(model);
    if (!pipeline || !host) return;
    const { document } = model;
    // `RestoreLockedMode: true` in env:/variables: MSBuild reads environment variables as properties
    // (names ignore case), so every restore that sees it is locked.
    const lockedByEnvironment = (script: HostedScript) => /^\s*true\s*$/i.test(host.environmentValue(script, 'RestoreLockedMode', true)?.value ?? '');
    const restores: Restore[] = [];

    for (const command of scriptCommandsOf(model)) {
      const step: StepScript = command.run;
      const words = wordArgs(command.command);
      const verb = words[0]?.value.toLowerCase() ?? '';
      const values = command.command.args.map((arg) => arg.value);
      const base = { offset: command.offsetsOf().start, job: step.script.job, jobPath: step.script.jobPath };
      if (command.name === 'dotnet' && verb === 'restore') {
        restores.push({ ...base, explicit: true, locked: lockedByArguments(values) || lockedByEnvironment(step), report: null });
      } else if (command.name === 'nuget' && verb === 'restore') {
        restores.push({ ...base, explicit: true, locked: lockedByArguments(values) || lockedByEnvironment(step), report: null });
      } else if (command.name === 'dotnet' && IMPLICIT_RESTORE_VERBS.has(verb)) {
        if (values.some((value) => /^--no-restore$/i.test(value))) continue;
        // `dotnet test x.dll` runs built tests; `--no-build` implies `--no-restore` (test, publish, pack, run).
        if (verb === 'test' && words.slice(1).some((word) => /\.dll$/i.test(word.value))) continue;
        if (values.some((value) => /^--no-build$/i.test(value))) continue;
        const range = { start: command.rangeOf(command.command.name).start, end: command.rangeOf(words[0]).end };
        restores.push({ ...base, explicit: false, locked: lockedByArguments(values) || lockedByEnvironment(step), report: { range, what: `\`dotnet ${verb}\` restores packages first (no \`--no-restore\`)`, flag: '`--locked-mode`' } });
      }
    }

    for (const task of azureTasksOf(model)) {
      const restore = taskRestore(task);
      if (!restore) continue;
      // The task's own env:, its job's and the file's variables, as a script step of the same place sees them.
      const place = { script: { stepRange: task.range, job: task.job } } as unknown as HostedScript;
      restores.push({
        offset: document.offsetAt(task.range.start),
        job: task.job,
        jobPath: task.job?.path ?? '',
        explicit: restore.explicit,
        locked: restore.locked || lockedByEnvironment(place),
        report: { range: task.taskRange, what: restore.what, flag: restore.flag },
      });
    }

    restores.sort((a, b) => a.offset - b.offset);
    // Per job: the first restore that resolves packages. An implicit restore after an explicit one
    // (locked or not; an unlocked explicit one is reported where it is) finds the assets up to date.
    const restoredJobs = new Set<string>();
    for (const restore of restores) {
      const key = restore.job ? `job:${restore.job.path}` : `path:${restore.jobPath}`;
      const after = restoredJobs.has(key);
      if (restore.explicit) restoredJobs.add(key);
      if (!restore.report || restore.locked || (after && !restore.explicit)) continue;
      if (!restore.explicit) restoredJobs.add(key);
      report({
        range: restore.report.range,
        message: `${restore.report.what} without locked mode, so each run may resolve other package versions than the ones tested; add ${restore.report.flag} (or set \`RestoreLockedMode\` to true). A repository without \`packages.lock.json\` first sets \`RestorePackagesWithLockFile\` and commits the lock files.`,
      });
    }
  },
};

interface TaskRestore {
  explicit: boolean;
  locked: boolean;
  what: string;
  flag: string;
}

function taskRestore(task: AzureTask): TaskRestore | null {
  if (task.name === 'dotnetcorecli@2') {
    let command = (taskInput(task, 'command') ?? 'build').toLowerCase();
    const argumentsText = taskInput(task, 'arguments') ?? '';
    if (command === 'custom') command = (taskInput(task, 'custom') ?? '').toLowerCase();
    if (!TASK_RESTORE_COMMANDS.has(command)) return null;
    const restoreArguments = taskInput(task, 'restoreArguments') ?? '';
    if (command === 'restore') {
      return { explicit: true, locked: LOCKED_TEXT.test(restoreArguments) || LOCKED_TEXT.test(argumentsText), what: `\`${task.written}\` (restore)`, flag: '`--locked-mode` to `restoreArguments`' };
    }
    if (/(?:^|\s)--no-restore(?=$|\s)/i.test(argumentsText)) return null;
    if (/(?:^|\s)--no-build(?=$|\s)/i.test(argumentsText) || (command === 'pack' && /^true$/i.test(taskInput(task, 'nobuild') ?? ''))) return null;
    return { explicit: false, locked: LOCKED_TEXT.test(argumentsText), what: `\`${task.written}\` (${command}) restores packages first (no \`--no-restore\` in \`arguments\`)`, flag: '`--locked-mode` to `arguments`' };
  }
  if (task.name === 'nugetcommand@2') {
    const command = (taskInput(task, 'command') ?? 'restore').toLowerCase();
    if (command === 'restore') {
      // The restore command takes no free arguments: locked mode comes from the projects or the environment.
      return { explicit: true, locked: false, what: `\`${task.written}\` (restore)`, flag: 'a `RestoreLockedMode: true` variable, or use `command: custom` with `arguments: restore … -LockedMode`' };
    }
    const argumentsText = taskInput(task, 'arguments') ?? '';
    if (command !== 'custom' || !/^restore\b/i.test(argumentsText)) return null;
    return { explicit: true, locked: LOCKED_TEXT.test(argumentsText), what: `\`${task.written}\` (custom restore)`, flag: '`-LockedMode` to `arguments`' };
  }
  return null;
}

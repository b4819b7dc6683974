import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../dockerfile/model';
import { finalStage } from '../../dockerfile/model';
import { isPrivilegedUser } from '../../dockerfile/platform';
import { fullRepository } from '../../dockerfile/imageReference';
import { indentationOf, lineBreakOf, lineText } from '../../text';
import type { Fix, Range } from '../../types';
import type { DockerfileRule } from '../rule';
import { runAnalyses } from '../../shell/runAnalysis';
import { adminGroupAddition, createdUser } from './run/privilege/accounts';

const LEAST_PRIVILEGED_WINDOWS_USER = 'ContainerUser';

export const privilegedUser: DockerfileRule = {
  meta: {
    id: 'privileged-user',
    title: 'Final stage runs as a privileged user',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [250],
    references: ['NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.1'],
    ruleSets: ['recommended', 'strict'],
    hadolintIds: ['DL3002'],
    securitySeverity: 6.5,
  },
  check(model, report) {
    const stage = finalStage(model);
    if (!stage) return;
    const { user, source, instruction } = stage.effectiveUser;
    if (!user || !isPrivilegedUser(user)) return;
    const windows = stage.platform.os === 'windows';
    const serviceMonitor = runsIisServiceMonitor(stage);

    let range: Range;
    let message: string;
    if (source === 'USER' && instruction) {
      range = instruction.getArgumentsRange() ?? instruction.getRange();
      message = `The final stage runs as \`${user}\`, an administrator inside the container.`;
    } else if (source === 'parent-stage' && instruction) {
      range = stage.from.getImageRange() ?? stage.from.getRange();
      message = `The final stage inherits \`USER ${user}\` from stage \`${stage.parentStage?.name ?? ''}\` (line ${instruction.getRange().start.line + 1}).`;
    } else {
      range = stage.from.getImageRange() ?? stage.from.getRange();
      message = `The final stage sets no USER, so it runs as the image default \`${user}\` (Server Core–based images run as ContainerAdministrator; Nano Server as ContainerUser).`;
    }
    const fixes: Fix[] = [];
    if (serviceMonitor) {
      message += ' IIS ServiceMonitor needs ContainerAdministrator to start; the application pools themselves run under low-privilege identities. If the service does not need IIS, end the stage with `USER ContainerUser`.';
    } else if (windows) {
      message += ` Do privileged setup first, then end the stage with \`USER ${LEAST_PRIVILEGED_WINDOWS_USER}\` (or a dedicated non-admin account).`;
      fixes.push(insertUserFix(model, stage, LEAST_PRIVILEGED_WINDOWS_USER, true));
      for (const account of nonAdminAccounts(model, stage)) fixes.push(insertUserFix(model, stage, account, false));
    } else {
      message += ' Create an unprivileged user (e.g. `RUN useradd --system app`) and end the stage with `USER app` (or a numeric UID).';
    }
    report({ range, message, fixes });
  },
};

/**
 * Insert `USER ContainerUser` after the last RUN/USER of the final stage (so privileged build steps keep
 * working) and before the CMD/ENTRYPOINT that follows it, keeping comments that document that
 * instruction attached to it.
 */
function insertUserFix(model: DockerfileModel, stage: Stage, user: string, preferred: boolean): Fix {
  const document = model.document;
  const eol = lineBreakOf(document.getText());
  const instructions = stage.instructions;
  let lastBlocking = -1;
  instructions.forEach((instruction, index) => {
    const keyword = instruction.getKeyword();
    if (keyword === 'RUN' || keyword === 'USER') lastBlocking = index;
  });
  const before = instructions.slice(lastBlocking + 1).find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
  const newInstruction = `USER ${/\s/.test(user) ? `"${user}"` : user}`;
  // ContainerUser exists in every Windows image, so that fix is safe unattended; an account the
  // Dockerfile creates is the user's choice to make.
  const title = `Run the final stage as ${user}`;
  if (before) {
    let line = before.getRange().start.line;
    while (line > 0 && /^\s*#/.test(lineText(document, line - 1)) && !isDirectiveOrOtherInstruction(model, line - 1)) line--;
    const indentation = indentationOf(document, before.getRange().start.line);
    return {
      title,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indentation}${newInstruction}${eol}` }],
      safeForFixAll: preferred,
      preferred,
    };
  }
  const last: Instruction = instructions[instructions.length - 1] ?? stage.from;
  const end = last.getRange().end;
  return { title, edits: [{ range: { start: end, end }, newText: `${eol}${newInstruction}` }], safeForFixAll: preferred, preferred };
}

/** Accounts the stage (or the stages it builds on) creates with `net user … /add` or `New-LocalUser`, unless made administrators. */
function nonAdminAccounts(model: DockerfileModel, stage: Stage): string[] {
  const lineage = new Set<Stage>();
  for (let current: Stage | null = stage; current; current = current.parentStage) lineage.add(current);
  const runs = runAnalyses(model).filter((run) => lineage.has(run.stage));
  const created = new Map<string, string>();
  const admins = new Set<string>();
  for (const run of runs) {
    for (const located of run.commands) {
      const user = createdUser(located, run.commands)?.user.value;
      if (user && !/[$%]/.test(user)) created.set(user.toLowerCase(), user);
      const member = adminGroupAddition(located)?.member?.value;
      if (member) admins.add(member.toLowerCase());
    }
  }
  return [...created].filter(([key]) => !admins.has(key)).map(([, user]) => user);
}

/** True when `line` lies inside an instruction: binary search over the instructions, which are in document order. */
function isDirectiveOrOtherInstruction(model: DockerfileModel, line: number): boolean {
  const instructions = model.ast.getInstructions();
  let low = 0;
  let high = instructions.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = instructions[middle]!.getRange();
    if (line < range.start.line) high = middle - 1;
    else if (line > range.end.line) low = middle + 1;
    else return true;
  }
  return false;
}

/** IIS images start through ServiceMonitor.exe, which must run as ContainerAdministrator. */
function runsIisServiceMonitor(stage: Stage): boolean {
  for (let current: Stage | null = stage; current; current = current.parentStage) {
    const explicit = [...current.instructions].reverse().find((i) => i.getKeyword() === 'ENTRYPOINT');
    if (explicit) return /servicemonitor/i.test(explicit.getRawArgumentsContent() ?? '');
    if (current.instructions.some((i) => i.getKeyword() === 'CMD' && /servicemonitor/i.test(i.getRawArgumentsContent() ?? ''))) return true;
    const reference = current.baseImage?.reference;
    if (reference) {
      const repository = fullRepository(reference);
      return repository === 'mcr.microsoft.com/dotnet/framework/aspnet' || repository === 'mcr.microsoft.com/windows/servercore/iis'
        || repository === 'microsoft/aspnet' || repository === 'microsoft/iis';
    }
  }
  return false;
}

import { JSONInstruction, type Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model';
import { finalStage } from '../model';
import { isPrivilegedUser } from '../platform';
import { fullRepository } from '../imageReference';
import { excerpt } from '../../excerpt';
import { indentationOf, lineBreakOf, lineText } from '../../text';
import type { Fix, Range } from '../../types';
import type { DockerfileRule } from '../../rules/rule';
import { runAnalyses } from '../../shell/runAnalysis';
import { adminGroupAddition, createdUser } from '../../shell/rules/privilege/accounts';

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
    // ContainerAdministrator names a Windows image even where the base image does not tell (`FROM $BASE`).
    const windows = stage.platform.os === 'windows' || user.toLowerCase() === 'containeradministrator';
    const service = windows ? knownService(stage) ?? installedService(model, stage) : null;

    let range: Range;
    let problem: string;
    if (source === 'USER' && instruction) {
      range = instruction.getArgumentsRange() ?? instruction.getRange();
      problem = `The final stage runs as \`${user}\``;
    } else if (source === 'parent-stage' && instruction) {
      range = stage.from.getImageRange() ?? stage.from.getRange();
      problem = `The final stage inherits \`USER ${user}\` from stage \`${excerpt(stage.parentStage?.name ?? '')}\` (line ${instruction.getRange().start.line + 1})`;
    } else {
      range = stage.from.getImageRange() ?? stage.from.getRange();
      const base = baseImageOf(stage);
      // An image outside the catalog (`jenkins/agent:…-windowsservercore-…`) may set its own USER.
      problem = stage.platform.defaultUserAssumed && base
        ? `The final stage sets no USER, so it runs as \`${user}\` unless \`${excerpt(base)}\` sets another`
        : `The final stage sets no USER, so it runs as \`${user}\``;
    }
    // Switching the user changes what the container may do: always a quick fix a person chooses.
    const fixes: Fix[] = [];
    if (service) {
      // A service that needs an administrator: the finding says so, at a severity a maintainer accepts.
      if (service.containerUserWorks) fixes.push(insertUserFix(model, stage, LEAST_PRIVILEGED_WINDOWS_USER, true));
      report({ range, message: `${problem}: ${service.message}`, severity: 'info', fixes });
      return;
    }
    if (windows) {
      fixes.push(insertUserFix(model, stage, LEAST_PRIVILEGED_WINDOWS_USER, true));
      for (const account of nonAdminAccounts(model, stage)) fixes.push(insertUserFix(model, stage, account, false));
      report({ range, message: `${problem}; end it with \`USER ${LEAST_PRIVILEGED_WINDOWS_USER}\` after the setup steps.`, fixes });
    } else {
      report({ range, message: `${problem}; create an unprivileged user and end the stage with \`USER\` set to it.`, fixes });
    }
  },
};

/** The repository the stage's image comes from, through the stages it is built FROM. */
function baseImageOf(stage: Stage): string | null {
  let current: Stage | null = stage;
  while (current && !current.baseImage) current = current.parentStage;
  const reference = current?.baseImage?.reference;
  return reference ? fullRepository(reference) : null;
}

/** A known service the final stage runs, which needs (or may need) an administrator in a Windows container. */
interface KnownService {
  /** What to say after the problem: why it runs as an administrator and the least-privileged alternative that exists. */
  message: string;
  /** ContainerUser is a real option for it (a CI agent whose jobs install nothing); offered as a quick fix. */
  containerUserWorks: boolean;
}

const IIS_REPOSITORIES = new Set(['mcr.microsoft.com/dotnet/framework/aspnet', 'mcr.microsoft.com/windows/servercore/iis', 'microsoft/aspnet', 'microsoft/iis']);
const IIS: KnownService = { message: 'IIS ServiceMonitor needs it; keep the application pools on low-privilege identities.', containerUserWorks: false };
const SQL_SERVER: KnownService = { message: "SQL Server's start script needs it to start the service; keep SQL Server on its service account, not LocalSystem.", containerUserWorks: false };
const SSHD: KnownService = { message: 'sshd needs it to open logon sessions; let clients log in as a non-administrator account.', containerUserWorks: false };
const DOCKER_PIPE: KnownService = { message: "it opens the Docker engine's named pipe, which only administrators may use unless the pipe's ACL grants another account.", containerUserWorks: false };
const agent = (name: string): KnownService => ({ message: `the ${name} needs it only if its jobs install software; otherwise end the stage with \`USER ContainerUser\`.`, containerUserWorks: true });

/**
 * The service the final stage's process is, recognised from the words of its ENTRYPOINT and CMD (the
 * nearest of each up the chain of stages it builds on) and, while no stage sets an ENTRYPOINT, from the
 * base image whose own entrypoint then runs (IIS images start ServiceMonitor).
 */
function knownService(stage: Stage): KnownService | null {
  let command: Instruction | undefined;
  let root: Stage = stage;
  for (let current: Stage | null = stage; current; current = current.parentStage) {
    root = current;
    command ??= lastInstruction(current, 'CMD');
    const entrypoint = lastInstruction(current, 'ENTRYPOINT');
    if (entrypoint) return serviceOfWords([...wordsOf(entrypoint), ...wordsOf(command)]);
  }
  return serviceOfWords(wordsOf(command)) ?? serviceOfImage(root);
}

/** Matched by the file name a word ends with (`C:\ServiceMonitor.exe`, also when the escape character ate the `\`). */
function serviceOfWords(words: readonly string[]): KnownService | null {
  const names = words.map((word) => word.toLowerCase().split(/[\\/]/).pop()!.replace(/^["']|["']$/g, '').replace(/^[a-z]:/, ''));
  const has = (...candidates: string[]): boolean => names.some((name) => candidates.includes(name));
  if (has('servicemonitor.exe', 'servicemonitor')) return IIS;
  if (has('sqlservr.exe', 'sqlservr', '-sa_password')) return SQL_SERVER;
  if (has('sshd', 'sshd.exe')) return SSHD;
  if (has('jenkins-agent', 'jenkins-agent.ps1', 'jenkins-agent.cmd', 'jenkins-agent.bat', 'agent.jar', 'jenkins-slave', 'jenkins-slave.ps1', 'jenkins-outbound-agent')) return agent('Jenkins agent');
  if (has('agent.listener.exe', 'agent.listener')) return agent('Azure Pipelines agent');
  if (has('buildagent.exe', 'teamcity-agent')) return agent('TeamCity agent');
  if (has('portainer', 'portainer.exe') || words.some((word) => /npipe:|docker_engine/i.test(word))) return DOCKER_PIPE;
  return null;
}

function serviceOfImage(stage: Stage): KnownService | null {
  const reference = stage.baseImage?.reference;
  if (!reference) return null;
  const repository = fullRepository(reference);
  if (IIS_REPOSITORIES.has(repository)) return IIS;
  if (/^microsoft\/mssql-server-windows/.test(repository)) return SQL_SERVER;
  if (/^jenkins\/(ssh-agent|ssh-slave)$/.test(repository)) return SSHD;
  if (/^jenkins\/(inbound-agent|jnlp-slave|agent)$/.test(repository)) return agent('Jenkins agent');
  if (/^jetbrains\/teamcity-agent$/.test(repository)) return agent('TeamCity agent');
  return null;
}

function lastInstruction(stage: Stage, keyword: string): Instruction | undefined {
  for (let index = stage.instructions.length - 1; index >= 0; index--) {
    if (stage.instructions[index]!.getKeyword() === keyword) return stage.instructions[index];
  }
  return undefined;
}

/** The words of an ENTRYPOINT/CMD: its JSON strings in exec form, its arguments in shell form. */
function wordsOf(instruction: Instruction | undefined): string[] {
  if (!instruction) return [];
  if (instruction instanceof JSONInstruction && instruction.getJSONStrings().length > 0) {
    return instruction.getJSONStrings().flatMap((argument) => argument.getJSONValue().split(/\s+/));
  }
  return instruction.getArguments().map((argument) => argument.getValue());
}

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
  // ContainerUser exists in every Windows image, so it is the preferred choice; but a different user
  // changes what the running container may do, so no user switch is ever applied by fix-all.
  const title = `Run the final stage as ${user}`;
  if (before) {
    let line = before.getRange().start.line;
    while (line > 0 && /^\s*#/.test(lineText(document, line - 1)) && !isDirectiveOrOtherInstruction(model, line - 1)) line--;
    const indentation = indentationOf(document, before.getRange().start.line);
    return {
      title,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indentation}${newInstruction}${eol}` }],
      safeForFixAll: false,
      preferred,
    };
  }
  const last: Instruction = instructions[instructions.length - 1] ?? stage.from;
  const end = last.getRange().end;
  return { title, edits: [{ range: { start: end, end }, newText: `${eol}${newInstruction}` }], safeForFixAll: false, preferred };
}

/** The stage and the stages it is built FROM. */
function lineageOf(stage: Stage): Set<Stage> {
  const lineage = new Set<Stage>();
  for (let current: Stage | null = stage; current; current = current.parentStage) lineage.add(current);
  return lineage;
}

/**
 * A service the stage (or a stage it builds on) installs, when its CMD names none we know: SQL Server's own
 * setup (`setup.exe /q /ACTION=Install /FEATURES=SQLEngine …`), after which the image's start script
 * (`CMD .\start -Verbose`, under any name) starts that service.
 */
function installedService(model: DockerfileModel, stage: Stage): KnownService | null {
  const lineage = lineageOf(stage);
  for (const run of runAnalyses(model)) {
    if (!lineage.has(run.stage)) continue;
    for (const located of run.commands) {
      const words = located.command.args.map((arg) => arg.value.replace(/^['"]|['"]$/g, '').toLowerCase());
      const installs = words.includes('/action=install') || words.includes('-action=install');
      if (installs && words.some((word) => /^[/-]features=(?:.*,)?sqlengine(?:,|$)/.test(word))) return SQL_SERVER;
    }
  }
  return null;
}

/** Accounts the stage (or the stages it builds on) creates with `net user … /add` or `New-LocalUser`, unless made administrators. */
function nonAdminAccounts(model: DockerfileModel, stage: Stage): string[] {
  const lineage = lineageOf(stage);
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

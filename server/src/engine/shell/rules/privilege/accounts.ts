// Recognising account management in RUN commands: `net user`, `New-LocalUser`, `net localgroup`,
// `Add-LocalGroupMember`, and their POSIX counterparts. Shared by the privilege rules.
import type { HostedCommand } from '../../scriptHost';
import { parseCommandLine } from '../../nativeOptions';
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import type { ShellToken } from '../../types';

/** A value that is a reference resolved at build or run time, not a literal written in the Dockerfile. */
export function isReference(token: ShellToken): boolean {
  const value = token.value.trim();
  return value === '' || value === '*' || /^\$|^%[^%]+%$|^!\w+!$|\$\{?\w|\$\(|%\w+%/.test(value) || token.kind === 'variable' || (token.kind === 'group' && token.open !== '[');
}

export interface CreatedUser {
  command: HostedCommand;
  /** The account name token. */
  user: ShellToken;
  /** The password token when one is given literally on the command line. */
  literalPassword: ShellToken | null;
}

const NEW_LOCAL_USER: CmdletSpec = {
  values: ['Name', 'Password', 'Description', 'FullName', 'AccountExpires'],
  switches: ['NoPassword', 'AccountNeverExpires', 'Disabled', 'PasswordNeverExpires', 'UserMayNotChangePassword'],
  positional: ['Name'],
};
const CONVERT_TO_SECURE_STRING: CmdletSpec = { values: ['String', 'SecureKey', 'Key'], switches: ['AsPlainText', 'Force'], positional: ['String'] };
const ADD_LOCAL_GROUP_MEMBER: CmdletSpec = { values: ['Group', 'Name', 'SID', 'Member'], positional: ['Group', 'Member'] };
/** usermod options that take a value, so `-G`/`--groups` is read the way usermod does. */
const USERMOD_VALUE_OPTIONS = ['c', 'd', 'e', 'f', 'g', 'G', 'l', 'p', 's', 'u', 'R', 'P', 'Z',
  'comment', 'home', 'expiredate', 'inactive', 'gid', 'groups', 'login', 'password', 'shell', 'uid', 'root', 'prefix', 'selinux-user'];

/** `net user <name> <password> /add` and `New-LocalUser -Name x -Password (ConvertTo-SecureString 'p' -AsPlainText -Force)`. */
export function createdUser(located: HostedCommand, all: readonly HostedCommand[]): CreatedUser | null {
  const { command, name } = located;
  if (name === 'net' && command.args[0]?.value.toLowerCase() === 'user' && command.args.some((a) => a.value.toLowerCase() === '/add')) {
    const positional = command.args.slice(1).filter((a) => !a.value.startsWith('/') && a.kind !== 'operator');
    const [user, password] = positional;
    if (!user) return null;
    return { command: located, user, literalPassword: password && !isReference(password) ? password : null };
  }
  if (name === 'new-localuser') {
    const bound = bindCmdlet(command, NEW_LOCAL_USER);
    const user = bound.value('Name');
    if (!user) return null;
    const password = bound.value('Password');
    return { command: located, user, literalPassword: password ? literalSecureString(password, all) : null };
  }
  return null;
}

/**
 * The literal inside `(ConvertTo-SecureString 'p@ss' -AsPlainText -Force)` when `-Password` is such a
 * group: the tokenizer lists the inner command among all commands, inside the group's offsets.
 */
function literalSecureString(password: ShellToken, all: readonly HostedCommand[]): ShellToken | null {
  if (password.kind !== 'group') return null;
  const inner = all.find((c) => c.name === 'convertto-securestring' && c.command.start >= password.start && c.command.end <= password.end);
  return inner ? plainTextOfSecureString(inner) : null;
}

/** `ConvertTo-SecureString 'literal' -AsPlainText`: the literal, when it is one. */
export function plainTextOfSecureString(located: HostedCommand): ShellToken | null {
  const { command } = located;
  if (!command.args.some((a) => /^-asplaintext$/i.test(a.value))) return null;
  const value = bindCmdlet(command, CONVERT_TO_SECURE_STRING).value('String');
  return value && value.kind === 'string' && !isReference(value) ? value : null;
}

/** Group names that grant administrator rights. */
const ADMIN_GROUPS = new Set(['administrators', 'sudo', 'wheel', 'admin', 'root']);

export interface GroupAddition {
  command: HostedCommand;
  group: ShellToken;
  member: ShellToken | null;
}

/** `net localgroup Administrators x /add`, `Add-LocalGroupMember -Group Administrators -Member x`, `usermod -aG sudo x`, `adduser x sudo`. */
export function adminGroupAddition(located: HostedCommand): GroupAddition | null {
  const { command, name } = located;
  if (name === 'net' && command.args[0]?.value.toLowerCase() === 'localgroup' && command.args.some((a) => a.value.toLowerCase() === '/add')) {
    const [group, member] = command.args.slice(1).filter((a) => !a.value.startsWith('/'));
    return group && ADMIN_GROUPS.has(group.value.toLowerCase()) ? { command: located, group, member: member ?? null } : null;
  }
  if (name === 'add-localgroupmember') {
    const bound = bindCmdlet(command, ADD_LOCAL_GROUP_MEMBER);
    const group = bound.value('Group', 'Name', 'SID');
    const member = bound.value('Member') ?? null;
    return group && (ADMIN_GROUPS.has(group.value.toLowerCase()) || group.value === 'S-1-5-32-544') ? { command: located, group, member } : null;
  }
  if (name === 'usermod' || name === 'gpasswd') {
    const groups = command.args.find((_, i) => i > 0 && /^-[a-zA-Z]*G$/.test(command.args[i - 1]!.value))
      ?? parseCommandLine(command.args, { valueOptions: USERMOD_VALUE_OPTIONS }).find('groups')?.value;
    const hit = groups?.value.split(',').find((g) => ADMIN_GROUPS.has(g.toLowerCase()));
    return groups && hit ? { command: located, group: groups, member: command.args[command.args.length - 1] ?? null } : null;
  }
  if (name === 'adduser' && command.args.length === 2 && ADMIN_GROUPS.has(command.args[1]!.value.toLowerCase())) {
    return { command: located, group: command.args[1]!, member: command.args[0]! };
  }
  return null;
}

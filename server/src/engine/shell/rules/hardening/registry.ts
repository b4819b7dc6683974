// Registry values written by a RUN step, whichever way they are written: `reg add KEY /v NAME /d DATA`
// (cmd or PowerShell) or `Set-ItemProperty` / `New-ItemProperty -Path HKLM:\… -Name … -Value …`. Several
// Windows protections (UAC, Defender policy, firewall, SCHANNEL protocols, execution policy) live there.
import type { HostedCommand } from '../../scriptHost';
import type { ShellCommand, ShellToken } from '../../types';
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import { parseCommandLine } from '../../nativeOptions';
import { literal, numberValue, spanOf } from './tokens';

export interface RegistryWrite {
  /** The key, normalized: lower-case, `hklm\software\…`, single backslashes, no trailing one. */
  key: string;
  /** The value name, lower-case. */
  valueName: string;
  /** The data token; undefined when none is given (`reg add KEY /v NAME` writes an empty value). */
  data: ShellToken | undefined;
  /** What to underline: from the value name to the data. */
  token: ShellToken;
}

export const REGISTRY_COMMANDS: readonly string[] = ['reg', 'set-itemproperty', 'sp', 'new-itemproperty'];

const SET_ITEM_PROPERTY: CmdletSpec = {
  values: ['Path', 'LiteralPath', 'Name', 'Value', 'Type', 'Filter', 'Include', 'Exclude', 'Credential', 'InputObject'],
  aliases: { PSPath: 'LiteralPath', LP: 'LiteralPath', PSProperty: 'Name' },
  positional: ['Path', 'Name', 'Value'],
};

const NEW_ITEM_PROPERTY: CmdletSpec = {
  values: ['Path', 'LiteralPath', 'Name', 'Value', 'PropertyType', 'Filter', 'Include', 'Exclude', 'Credential'],
  aliases: { PSPath: 'LiteralPath', LP: 'LiteralPath', PSProperty: 'Name', Type: 'PropertyType' },
  // -Value is named-only for New-ItemProperty.
  positional: ['Path', 'Name'],
};

/** The registry values one command writes (one at most today; a list keeps callers simple). */
export function registryWrites(located: HostedCommand): RegistryWrite[] {
  if (located.name === 'reg') return regAdd(located.command);
  if (located.command.shell !== 'powershell') return [];
  if (located.name === 'set-itemproperty' || located.name === 'sp') return itemProperty(located.command, SET_ITEM_PROPERTY);
  if (located.name === 'new-itemproperty') return itemProperty(located.command, NEW_ITEM_PROPERTY);
  return [];
}

function regAdd(command: ShellCommand): RegistryWrite[] {
  const line = parseCommandLine(command.args, { windows: true, valueOptions: ['v', 't', 's', 'd'] });
  const [verb, key] = line.operands;
  const valueName = line.find('v')?.value;
  if (verb?.value.toLowerCase() !== 'add' || !key || !valueName) return [];
  const data = line.find('d')?.value;
  return [{ key: normalizeKey(key.value), valueName: valueName.value.toLowerCase(), data, token: spanOf(valueName, data ?? valueName) }];
}

function itemProperty(command: ShellCommand, spec: CmdletSpec): RegistryWrite[] {
  const bound = bindCmdlet(command, spec);
  const path = literal(bound.values('Path')[0] ?? bound.values('LiteralPath')[0]);
  const name = bound.values('Name')[0];
  const valueName = literal(name);
  if (path === undefined || !name || valueName === undefined) return [];
  const data = bound.values('Value')[0];
  return [{ key: normalizeKey(path), valueName: valueName.toLowerCase(), data, token: spanOf(name, data ?? name) }];
}

/** The data is the number 0 (`0`, `0x0`, `$false`); false when there is no data or it is not a number. */
export function writesZero(write: RegistryWrite): boolean {
  return numberValue(write.data) === 0;
}

/** The data is a number other than 0 (`1`, `0xffffffff`, `$true`). */
export function writesNonZero(write: RegistryWrite): boolean {
  const value = numberValue(write.data);
  return value !== undefined && value !== 0;
}

const HIVES: Readonly<Record<string, string>> = {
  hkey_local_machine: 'hklm', hkey_current_user: 'hkcu', hkey_users: 'hku', hkey_classes_root: 'hkcr', hkey_current_config: 'hkcc',
};

/** `HKLM:\SOFTWARE\X`, `Registry::HKEY_LOCAL_MACHINE\SOFTWARE\X`, `HKLM\SOFTWARE\X\` → `hklm\software\x`. */
export function normalizeKey(path: string): string {
  const lower = path.trim().toLowerCase()
    .replace(/^(microsoft\.powershell\.core\\)?registry::/, '')
    .replace(/\//g, '\\')
    .replace(/\\+/g, '\\')
    .replace(/\\$/, '');
  const [hive = '', ...rest] = lower.split('\\');
  // `HKLM:SOFTWARE\X` is a drive-relative path: the part after the colon is the first subkey.
  const [drive = '', first] = hive.split(':', 2) as [string, string | undefined];
  const parts = first ? [first, ...rest] : rest;
  return [HIVES[drive] ?? drive, ...parts].join('\\');
}

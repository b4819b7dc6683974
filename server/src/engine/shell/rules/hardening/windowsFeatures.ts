// Windows features a RUN step turns on or off: `Enable-/Disable-WindowsOptionalFeature -FeatureName …`,
// `Install-/Uninstall-WindowsFeature …` (and their Add-/Remove- aliases), `dism /enable-feature /featurename:…`.
import type { HostedCommand } from '../../scriptHost';
import type { ShellToken } from '../../types';
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import { parseCommandLine } from '../../nativeOptions';
import { literal } from './tokens';

export interface FeatureChange {
  action: 'enable' | 'disable';
  /** Feature name, lower-case. */
  feature: string;
  /** Feature name as written, for messages. */
  written: string;
  token: ShellToken;
}

const OPTIONAL_FEATURE: CmdletSpec = {
  values: ['FeatureName', 'PackageName', 'Path', 'WindowsDirectory', 'SystemDrive', 'LogPath', 'ScratchDirectory', 'LogLevel', 'Source'],
  switches: ['Online', 'All', 'LimitAccess', 'NoRestart', 'Remove'],
  positional: ['FeatureName'],
};

const SERVER_FEATURE: CmdletSpec = {
  values: ['Name', 'Source', 'ComputerName', 'Credential', 'ConfigurationFilePath', 'Vhd', 'LogPath'],
  switches: ['IncludeAllSubFeature', 'IncludeManagementTools', 'Restart', 'Remove'],
  positional: ['Name'],
};

const CMDLETS: ReadonlyMap<string, { action: FeatureChange['action']; spec: CmdletSpec; parameter: string }> = new Map([
  ['enable-windowsoptionalfeature', { action: 'enable', spec: OPTIONAL_FEATURE, parameter: 'FeatureName' }],
  ['disable-windowsoptionalfeature', { action: 'disable', spec: OPTIONAL_FEATURE, parameter: 'FeatureName' }],
  ['install-windowsfeature', { action: 'enable', spec: SERVER_FEATURE, parameter: 'Name' }],
  ['add-windowsfeature', { action: 'enable', spec: SERVER_FEATURE, parameter: 'Name' }],
  ['uninstall-windowsfeature', { action: 'disable', spec: SERVER_FEATURE, parameter: 'Name' }],
  ['remove-windowsfeature', { action: 'disable', spec: SERVER_FEATURE, parameter: 'Name' }],
]);

export const FEATURE_COMMANDS: readonly string[] = [...CMDLETS.keys(), 'dism'];

export function featureChanges(located: HostedCommand): FeatureChange[] {
  if (located.name === 'dism') return dismFeatures(located);
  const cmdlet = CMDLETS.get(located.name);
  if (!cmdlet || located.command.shell !== 'powershell') return [];
  return bindCmdlet(located.command, cmdlet.spec).values(cmdlet.parameter).flatMap((token) => {
    const feature = literal(token);
    return feature === undefined ? [] : [{ action: cmdlet.action, feature: feature.toLowerCase(), written: feature, token }];
  });
}

/** `dism /online /enable-feature /featurename:SMB1Protocol [/featurename:…] [/all]` */
function dismFeatures(located: HostedCommand): FeatureChange[] {
  const line = parseCommandLine(located.command.args, { windows: true, valueOptions: [] });
  const action = line.find('enable-feature') ? 'enable' : line.find('disable-feature') ? 'disable' : undefined;
  if (!action) return [];
  return line.findAll('featurename').flatMap((option) => {
    const feature = literal(option.value);
    return feature === undefined ? [] : [{ action, feature: feature.toLowerCase(), written: feature, token: option.token }];
  });
}

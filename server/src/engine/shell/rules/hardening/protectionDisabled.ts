// protection-disabled: a RUN or pipeline step switches off a Windows protection for the whole image (runner) — Defender,
// the firewall, UAC, or the machine-wide PowerShell execution policy.
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { bindCmdlet, parameterSpan, type CmdletSpec } from '../../parameters';
import type { HostedCommand } from '../../scriptHost';
import { imageOrRunner, runCommandChecks, type CommandCheck, type Detection } from './commandChecks';
import { registryWrites, REGISTRY_COMMANDS, writesNonZero, writesZero, type RegistryWrite } from './registry';
import { isDynamic, isFalse, isTrue, literal, spanOf } from './tokens';
import { featureChanges, FEATURE_COMMANDS } from './windowsFeatures';

export const protectionDisabled: ScriptRule = {
  meta: {
    id: 'protection-disabled',
    title: 'Windows protection (Defender, firewall, UAC, execution policy) turned off',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [693],
    references: ['NIST SP 800-190 §4.1.2', 'NIST SP 800-190 §4.4.3'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.0,
  },
  checkScripts(host, report) {
    runCommandChecks(host, report, CHECKS);
  },
};

/** Set-MpPreference parameter aliases (Defender module docs), so `-drtm $true` reads as `-DisableRealtimeMonitoring $true`. */
const DEFENDER_ALIASES: Readonly<Record<string, string>> = {
  drtm: 'DisableRealtimeMonitoring', dbm: 'DisableBehaviorMonitoring', dbaf: 'DisableBlockAtFirstSeen', dioavp: 'DisableIOAVProtection',
  dscrptsc: 'DisableScriptScanning', darchsc: 'DisableArchiveScanning', demsc: 'DisableEmailScanning', drdsc: 'DisableRemovableDriveScanning',
  dips: 'DisableIntrusionPreventionSystem', dtlsp: 'DisableTlsParsing', dhttpp: 'DisableHttpParsing', ddnsp: 'DisableDnsParsing',
  ddnstcpp: 'DisableDnsOverTcpParsing', dsshp: 'DisableSshParsing', drdpp: 'DisableRdpParsing', dicf: 'DisableInboundConnectionFiltering',
  ddtgp: 'DisableDatagramProcessing', dae: 'DisableAutoExclusions', dpm: 'DisablePrivacyMode', dgr: 'DisableGradualRelease',
  dcfsc: 'DisableCatchupFullScan', dcqsc: 'DisableCatchupQuickScan', dsmndfsc: 'DisableScanningMappedNetworkDrivesForFullScan',
};

/**
 * `-Disable*` settings that do not weaken protection: switching off automatic exclusions scans more; the others
 * are privacy, performance or update-timing settings, or Microsoft's defaults (catch-up scans, network files).
 */
const HARMLESS_DEFENDER_SETTINGS = new Set([
  'disableautoexclusions', 'disableprivacymode', 'disablecputhrottleonidlescans', 'disablegradualrelease', 'disablecatchupfullscan',
  'disablecatchupquickscan', 'disablescanningmappednetworkdrivesforfullscan', 'disablescanningnetworkfiles', 'disablerestorepoint',
  'disablenetworkprotectionperftelemetry', 'disablecoreservicetelemetry', 'disablecoreserviceecsintegration', 'disablecachemaintenance',
]);

const SET_MP_PREFERENCE: CmdletSpec = { values: ['ExclusionPath', 'ExclusionProcess', 'ExclusionExtension', 'ExclusionIpAddress', ...Object.values(DEFENDER_ALIASES)], aliases: DEFENDER_ALIASES };

const defenderPreference: CommandCheck = {
  names: ['set-mppreference', 'add-mppreference'],
  detect(located) {
    const { command } = located;
    const bound = bindCmdlet(command, SET_MP_PREFERENCE);
    const detections: Detection[] = [];
    for (const parameter of bound.parameters) {
      const setting = parameter.name.toLowerCase();
      if (setting.startsWith('disable') && !HARMLESS_DEFENDER_SETTINGS.has(setting) && isTrue(parameter.values[0])) {
        detections.push({ token: parameterSpan(parameter), message: `\`${parameter.name} $true\` switches off Defender for everything that later runs ${imageOrRunner(located)}; remove it (exclude only a slow tool's folder).` });
      }
    }
    for (const value of bound.values('ExclusionPath').filter(isWholeDrive)) {
      detections.push({ token: value, message: `\`${command.name.value} -ExclusionPath ${value.value}\` excludes a whole drive from Defender scanning, which is the same as switching it off. Exclude only the folders a build tool needs, if any.` });
    }
    return detections;
  },
};

/** `C:\`, `C:`, `D:\*`, `*`, `\`, `$env:SystemDrive\`, `%SystemDrive%\`. */
function isWholeDrive(token: { value: string }): boolean {
  const value = token.value.trim().replace(/\\+$/, '\\');
  return /^([A-Za-z]:\\?|\\|\*|[A-Za-z]:\\\*)$/.test(value) || /^(\$env:SystemDrive|%SystemDrive%)\\?\*?$/i.test(value);
}

const SET_NET_FIREWALL_PROFILE: CmdletSpec = { values: ['Name', 'Profile', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction', 'PolicyStore', 'GPOSession', 'CimSession'], switches: ['All', 'AsJob'], positional: ['Name'] };

const firewallProfile: CommandCheck = {
  names: ['set-netfirewallprofile'],
  detect(located) {
    const bound = bindCmdlet(located.command, SET_NET_FIREWALL_PROFILE);
    const enabled = bound.get('Enabled');
    const ports = located.run.host.kind === 'dockerfile' ? ' (container ports are published by the host anyway)' : '';
    return enabled && isFalse(enabled.values[0]) ? [{ token: parameterSpan(enabled), message: `\`Set-NetFirewallProfile -Enabled False\` turns the Windows firewall off. Leave it on; open only the ports the service needs with \`New-NetFirewallRule\`${ports}.` }] : [];
  },
};

/** `netsh advfirewall set allprofiles state off`, legacy `netsh firewall set opmode disable` / `mode=disable`. */
const netshFirewall: CommandCheck = {
  names: ['netsh'],
  detect({ command }) {
    const args = command.args;
    const words = args.map((a) => a.value.toLowerCase());
    const message = 'This `netsh` command turns the Windows firewall off. Leave it on; allow only the ports the service needs (`netsh advfirewall firewall add rule …`).';
    if (words[0] === 'advfirewall' && words[1] === 'set' && /profile(s)?$/.test(words[2] ?? '') && words[3] === 'state' && words[4] === 'off') {
      return [{ token: spanOf(args[2]!, args[4]), message }];
    }
    if (words[0] === 'firewall' && words[1] === 'set' && words[2] === 'opmode' && (words[3] === 'disable' || words[3] === 'mode=disable')) {
      return [{ token: spanOf(args[2]!, args[3]), message }];
    }
    return [];
  },
};

/**
 * `Set-ExecutionPolicy Bypass|Unrestricted` for the machine or user. `-Scope Process` is not flagged: it lasts only
 * for that PowerShell process, exactly like `powershell -ExecutionPolicy Bypass -File x.ps1`.
 */
const SET_EXECUTION_POLICY: CmdletSpec = { values: ['ExecutionPolicy', 'Scope'], switches: ['Force'], positional: ['ExecutionPolicy', 'Scope'] };

const executionPolicy: CommandCheck = {
  names: ['set-executionpolicy'],
  detect(located) {
    const { command } = located;
    const bound = bindCmdlet(command, SET_EXECUTION_POLICY);
    const policy = bound.values('ExecutionPolicy')[0];
    const scope = bound.values('Scope')[0];
    if (!policy || !/^(bypass|unrestricted)$/i.test(literal(policy) ?? '')) return [];
    if (scope && (isDynamic(scope) || /^process$/i.test(literal(scope) ?? ''))) return [];
    const where = scope ? `scope ${scope.value}` : 'the whole machine (the default scope is LocalMachine)';
    return [{ token: policy, message: `\`Set-ExecutionPolicy ${policy.value}\` lets every script run unsigned, for ${where} and ${laterSteps(located)}. Add \`-Scope Process\` (only this PowerShell process), or run one script with \`powershell -ExecutionPolicy Bypass -File …\`.` }];
  },
};

interface ProtectedValue {
  /** Matches the normalized key. */
  key: RegExp;
  valueNames: ReadonlySet<string>;
  /** True when the data written weakens the protection. */
  weakens(write: RegistryWrite): boolean;
  message(command: HostedCommand): string;
}

const PROTECTED_VALUES: readonly ProtectedValue[] = [
  {
    key: /\\microsoft\\windows\\currentversion\\policies\\system$/,
    valueNames: new Set(['enablelua']),
    weakens: writesZero,
    message: () => '`EnableLUA = 0` turns User Account Control off: every administrator process runs fully elevated. Leave UAC on.',
  },
  {
    key: /\\microsoft\\windows defender(\\real-time protection|\\spynet)?$/,
    valueNames: new Set(['disableantispyware', 'disableantivirus', 'disablerealtimemonitoring', 'disablebehaviormonitoring', 'disableonaccessprotection',
      'disablescanonrealtimeenable', 'disableioavprotection', 'disablescriptscanning', 'disableblockatfirstseen', 'disableintrusionpreventionsystem']),
    weakens: writesNonZero,
    message: (command) => `This Defender policy value switches off a Microsoft Defender protection for everything that later runs ${imageOrRunner(command)}. Remove it.`,
  },
  {
    key: /\\(services\\sharedaccess\\parameters\\firewallpolicy|policies\\microsoft\\windowsfirewall)\\\w+profile$/,
    valueNames: new Set(['enablefirewall']),
    weakens: writesZero,
    message: () => '`EnableFirewall = 0` turns the Windows firewall off for that profile. Leave it on; open only the ports the service needs.',
  },
  {
    key: /\\(microsoft\\powershell\\1\\shellids\\microsoft\.powershell|policies\\microsoft\\windows\\powershell)$/,
    valueNames: new Set(['executionpolicy']),
    weakens: (write) => /^(bypass|unrestricted)$/i.test(literal(write.data) ?? ''),
    message: (command) => `Writing \`ExecutionPolicy\` Bypass/Unrestricted to the registry lets every script run unsigned for ${laterSteps(command)}. Use \`-ExecutionPolicy Bypass\` on the one \`powershell\` call that needs it.`,
  },
];

const protectionRegistry: CommandCheck = {
  names: REGISTRY_COMMANDS,
  detect(located) {
    return registryWrites(located).flatMap((write) => {
      const match = PROTECTED_VALUES.find((p) => p.key.test(write.key) && p.valueNames.has(write.valueName) && p.weakens(write));
      return match ? [{ token: write.token, message: match.message(located) }] : [];
    });
  },
};

const DEFENDER_FEATURES = new Set(['windows-defender', 'windows-defender-features']);

const defenderRemoval: CommandCheck = {
  names: FEATURE_COMMANDS,
  detect(located) {
    return featureChanges(located)
      .filter((change) => change.action === 'disable' && DEFENDER_FEATURES.has(change.feature))
      .map((change) => ({ token: change.token, message: `Removing the \`${change.written}\` feature takes Microsoft Defender ${located.run.host.kind === 'dockerfile' ? 'out of the image' : 'off the runner'}. Keep it; exclude only specific build folders if scanning slows the build.` }));
  },
};

/** What a machine-wide setting reaches after the command: later steps and containers of the image, later steps on the runner. */
function laterSteps(command: HostedCommand): string {
  return command.run.host.kind === 'dockerfile' ? 'every later step and container' : 'every later step on the runner';
}

/** The checks in reporting order: one list for the life of the process (runCommandChecks indexes it by command name once). */
const CHECKS: readonly CommandCheck[] = [defenderPreference, firewallProfile, netshFirewall, executionPolicy, protectionRegistry, defenderRemoval];

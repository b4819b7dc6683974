// legacy-protocol-enabled: a RUN or pipeline step turns on SMB1 or makes TLS fall back to SSL 3.0 / TLS 1.0 / TLS 1.1,
// protocols with known attacks that Windows Server images ship disabled.
import type { ShellToken } from '../../types';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { bindCmdlet, parameterSpan, type CmdletSpec } from '../../parameters';
import { imageOrRunner, runCommandChecks, type CommandCheck } from './commandChecks';
import { expressionTokens, memberAssignment, typeName } from './powershellExpressions';
import { registryWrites, REGISTRY_COMMANDS, writesNonZero, writesZero, type RegistryWrite } from './registry';
import { isDynamic, isTrue, numberValue, spanOf } from './tokens';
import { featureChanges, FEATURE_COMMANDS } from './windowsFeatures';

export const legacyProtocolEnabled: ScriptRule = {
  meta: {
    id: 'legacy-protocol-enabled',
    title: 'Legacy protocol (SMB1, SSL 3.0, TLS 1.0/1.1) turned on',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [327],
    references: ['NIST SP 800-190 §4.1.2', 'NIST SP 800-190 §4.1.1'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.9,
  },
  checkScripts(host, report) {
    runCommandChecks(host, report, CHECKS);
  },
};

const SMB1_FEATURES = new Set(['smb1protocol', 'smb1protocol-client', 'smb1protocol-server', 'fs-smb1', 'fs-smb1-client', 'fs-smb1-server']);
const SMB1_ADVICE = 'SMB1 has no pre-authentication integrity or encryption and was the way in for WannaCry/EternalBlue; Windows Server has not installed it since 1709. Use SMB 2/3 (enabled by default).';

const smb1Feature: CommandCheck = {
  names: FEATURE_COMMANDS,
  detect(located) {
    return featureChanges(located)
      .filter((change) => change.action === 'enable' && SMB1_FEATURES.has(change.feature))
      .map((change) => ({ token: change.token, message: `This installs \`${change.written}\`. ${SMB1_ADVICE}` }));
  },
};

const SET_SMB_SERVER_CONFIGURATION: CmdletSpec = { values: ['EnableSMB1Protocol', 'EnableSMB2Protocol', 'CimSession', 'ThrottleLimit'], switches: ['Force', 'AsJob'] };

const smb1ServerConfiguration: CommandCheck = {
  names: ['set-smbserverconfiguration'],
  detect({ command }) {
    const bound = bindCmdlet(command, SET_SMB_SERVER_CONFIGURATION);
    const smb1 = bound.get('EnableSMB1Protocol');
    return smb1 && isTrue(smb1.values[0]) ? [{ token: parameterSpan(smb1), message: `\`-EnableSMB1Protocol $true\` turns the SMB1 server on. ${SMB1_ADVICE}` }] : [];
  },
};

/** `[Net.SecurityProtocolType]` members and their flag values. */
const PROTOCOLS: ReadonlyMap<string, { bits: number; legacy: boolean; label: string }> = new Map([
  ['ssl3', { bits: 48, legacy: true, label: 'SSL 3.0' }],
  ['tls', { bits: 192, legacy: true, label: 'TLS 1.0' }],
  ['tls11', { bits: 768, legacy: true, label: 'TLS 1.1' }],
  ['tls12', { bits: 3072, legacy: false, label: 'TLS 1.2' }],
  ['tls13', { bits: 12288, legacy: false, label: 'TLS 1.3' }],
  ['systemdefault', { bits: 0, legacy: false, label: 'the system default' }],
]);

interface ProtocolChoice {
  /** Tokens naming SSL 3.0 / TLS 1.0 / TLS 1.1, with the protocol labels. */
  legacy: Array<{ token: ShellToken; label: string }>;
  /** TLS 1.2, TLS 1.3 or SystemDefault is among them. */
  modern: boolean;
  /** The value depends on something unknown here: the current setting (`… -bor [Net.ServicePointManager]::SecurityProtocol`) or a variable. */
  open: boolean;
}

/**
 * `[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls` (or `'Tls'`, `192`, `Ssl3`, `Tls11`):
 * forcing only legacy protocols. Any combination that includes TLS 1.2/1.3, or keeps the current value, is fine.
 */
const securityProtocol: CommandCheck = {
  detect({ command }) {
    const assignment = memberAssignment(command);
    if (assignment?.type !== 'net.servicepointmanager' || assignment.member !== 'securityprotocol') return [];
    const choice = protocolsOf(assignment.value);
    if (choice.legacy.length === 0 || choice.modern || choice.open) return [];
    const labels = [...new Set(choice.legacy.map((l) => l.label))].join(' / ');
    return [{
      token: choice.legacy[0]!.token,
      message: `This limits every later .NET web request of this PowerShell session to ${labels}, with known attacks (RFC 8996 deprecates TLS 1.0 and 1.1; SSL 3.0 falls to POODLE). Use \`[Net.SecurityProtocolType]::Tls12\` (with \`-bor [Net.SecurityProtocolType]::Tls13\` where available), or leave the system default.`,
    }];
  },
};

function protocolsOf(value: readonly ShellToken[]): ProtocolChoice {
  const choice: ProtocolChoice = { legacy: [], modern: false, open: false };
  const tokens = expressionTokens(value);
  const add = (name: string, token: ShellToken) => {
    const protocol = PROTOCOLS.get(name.trim().toLowerCase());
    if (!protocol) return;
    if (protocol.legacy) choice.legacy.push({ token, label: protocol.label });
    else choice.modern = true;
  };
  tokens.forEach((token, index) => {
    const previous = tokens[index - 1];
    if (token.kind === 'member' && token.value.startsWith('::')) {
      const member = token.value.slice(2);
      const owner = typeName(previous);
      if (owner === 'net.servicepointmanager' && member.toLowerCase() === 'securityprotocol') choice.open = true;
      if (owner === 'net.securityprotocoltype') add(member, spanOf(previous!, token));
    } else if (token.kind === 'string') {
      // `'Tls11, Tls12'` converts to the enum flags it names.
      for (const name of token.value.split(',')) add(name, token);
    } else if (token.kind === 'word' && numberValue(token) !== undefined) {
      addFlags(numberValue(token)!, token, add);
    } else if (isDynamic(token) && token.kind !== 'group') {
      choice.open = true;
    }
  });
  return choice;
}

/** `3072`, `0xC00`, `192 -bor 768`: each set flag names a protocol. */
function addFlags(flags: number, token: ShellToken, add: (name: string, token: ShellToken) => void): void {
  if (flags === 0) add('systemdefault', token);
  for (const [name, protocol] of PROTOCOLS) if (protocol.bits !== 0 && (flags & protocol.bits) === protocol.bits) add(name, token);
}

const LEGACY_SCHANNEL_KEY = /\\control\\securityproviders\\schannel\\protocols\\(ssl 2\.0|ssl 3\.0|tls 1\.0|tls 1\.1)\\(server|client)$/;

/** SCHANNEL `Enabled = 1` / `DisabledByDefault = 0` under SSL 2.0/3.0 or TLS 1.0/1.1; `SMB1 = 1` for the SMB server. */
const legacyRegistry: CommandCheck = {
  names: REGISTRY_COMMANDS,
  detect(located) {
    return registryWrites(located).flatMap((write) => {
      const schannel = LEGACY_SCHANNEL_KEY.exec(write.key);
      if (schannel && enablesProtocol(write)) {
        return [{ token: write.token, message: `This turns ${schannel[1]!.toUpperCase()} on for SCHANNEL (${schannel[2]} side), for every program ${imageOrRunner(located)}. Leave legacy protocols off; enable only TLS 1.2/1.3.` }];
      }
      if (/\\services\\lanmanserver\\parameters$/.test(write.key) && write.valueName === 'smb1' && writesNonZero(write)) {
        return [{ token: write.token, message: `\`SMB1 = 1\` turns the SMB1 server on. ${SMB1_ADVICE}` }];
      }
      return [];
    });
  },
};

function enablesProtocol(write: RegistryWrite): boolean {
  return (write.valueName === 'enabled' && writesNonZero(write)) || (write.valueName === 'disabledbydefault' && writesZero(write));
}

/** The checks in reporting order: one list for the life of the process (runCommandChecks indexes it by command name once). */
const CHECKS: readonly CommandCheck[] = [smb1Feature, smb1ServerConfiguration, securityProtocol, legacyRegistry];

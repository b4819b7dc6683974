// service-runs-as-localsystem: a script installs or configures a Windows service (SQL Server, an IIS
// application pool, sc.exe, New-Service) to run as LocalSystem. `USER ContainerUser` does not reach
// services: their account comes from the service configuration (windows-base-images.md §4).
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import type { ShellToken } from '../../types';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { runCommandChecks, type CommandCheck, type Detection } from '../hardening/commandChecks';
import { literal, spanOf } from '../hardening/tokens';

export const serviceRunsAsLocalSystem: ScriptRule = {
  meta: {
    id: 'service-runs-as-localsystem',
    title: 'A service or IIS application pool is set up to run as LocalSystem',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [250],
    references: ['NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.1'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  checkScripts(host, report) {
    runCommandChecks(host, report, CHECKS);
  },
};

/** `NT AUTHORITY\System`, `LocalSystem`, `.\LocalSystem` in any case, quotes removed. */
export function isLocalSystem(account: string): boolean {
  const name = account.trim().replace(/^["']|["']$/g, '').toLowerCase();
  return ['nt authority\\system', 'nt authority\\localsystem', 'localsystem', '.\\localsystem'].includes(name);
}

/** An IIS `identityType`: LocalSystem by name, or its enum value 0. */
function isLocalSystemIdentityType(value: string): boolean {
  return isLocalSystem(value) || value.trim().replace(/^["']|["']$/g, '') === '0';
}

// ── SQL Server setup: /SQLSVCACCOUNT (and the other *SVCACCOUNT options: Agent, Analysis, Reporting…) ──

const sqlSetupAccount: CommandCheck = {
  // Any command: `setup.exe /SQLSVCACCOUNT=…` and `Start-Process setup.exe -ArgumentList '/SQLSVCACCOUNT=…'` alike.
  detect(located) {
    const detections: Detection[] = [];
    for (const token of located.command.args) {
      const match = /^[/-](\w*SVCACCOUNT)=(.+)$/i.exec(token.value);
      if (match && isLocalSystem(match[2]!)) detections.push({ token, message: `SQL Server setup runs its service as LocalSystem (\`/${match[1]}\`); use \`NT AUTHORITY\\NETWORK SERVICE\` or a virtual account.` });
    }
    return detections;
  },
};

// ── IIS application pools ──

const POOL_ADVICE = 'keep `ApplicationPoolIdentity` (or `NetworkService` for a gMSA).';

function poolDetection(token: ShellToken): Detection {
  return { token, message: `The IIS application pool runs as LocalSystem (\`identityType\`); ${POOL_ADVICE}` };
}

/** `appcmd set apppool X /processModel.identityType:LocalSystem`, `appcmd set config /section:applicationPools /[name='X'].processModel.identityType:0`. */
const appcmdIdentity: CommandCheck = {
  names: ['appcmd'],
  detect({ command }) {
    return command.args.flatMap((token) => {
      const match = /^[/-](?:.*\.)?processModel\.identityType:(.+)$/i.exec(token.value);
      return match && isLocalSystemIdentityType(match[1]!) ? [poolDetection(token)] : [];
    });
  },
};

const SET_ITEM_PROPERTY: CmdletSpec = {
  values: ['Path', 'LiteralPath', 'Name', 'Value', 'Type', 'Filter', 'Include', 'Exclude', 'Credential'],
  aliases: { PSPath: 'LiteralPath', LP: 'LiteralPath', PropertyType: 'Type' },
  positional: ['Path', 'Name', 'Value'],
};

/** `Set-ItemProperty IIS:\AppPools\X -Name processModel.identityType -Value LocalSystem` (or `0`). */
const itemPropertyIdentity: CommandCheck = {
  names: ['set-itemproperty', 'sp'],
  detect({ command }) {
    const bound = bindCmdlet(command, SET_ITEM_PROPERTY);
    const path = literal(bound.value('Path', 'LiteralPath')) ?? '';
    const name = literal(bound.value('Name')) ?? '';
    const value = bound.value('Value');
    if (!/^IIS:\\+AppPools\\/i.test(path) || !/^processModel\.identityType$/i.test(name) || !value) return [];
    return isLocalSystemIdentityType(literal(value) ?? '') ? [poolDetection(value)] : [];
  },
};

const SET_WEB_CONFIGURATION_PROPERTY: CmdletSpec = {
  values: ['Filter', 'Name', 'Value', 'PSPath', 'Location', 'Clr', 'AtElement', 'AtIndex', 'AtName', 'Credential'],
  positional: ['Filter', 'Name', 'Value'],
};

/**
 * `Set-WebConfigurationProperty -Filter "system.applicationHost/applicationPools/add[@name='X']/processModel" -Name identityType -Value LocalSystem`,
 * and the `applicationPoolDefaults/processModel` or `-Name processModel.identityType` spellings.
 */
const webConfigurationIdentity: CommandCheck = {
  names: ['set-webconfigurationproperty'],
  detect({ command }) {
    const bound = bindCmdlet(command, SET_WEB_CONFIGURATION_PROPERTY);
    const filter = literal(bound.value('Filter')) ?? '';
    const name = literal(bound.value('Name')) ?? '';
    const value = bound.value('Value');
    const pools = /applicationPool/i.test(filter) || /^IIS:\\+AppPools\\/i.test(literal(bound.value('PSPath')) ?? '');
    if (!pools || !/processModel[./]identityType$/i.test(`${filter}/${name}`) || !value) return [];
    return isLocalSystemIdentityType(literal(value) ?? '') ? [poolDetection(value)] : [];
  },
};

// ── sc.exe and New-Service ──

const SC_ADVICE = 'use `obj= "NT AUTHORITY\\NetworkService"` or a virtual account `NT SERVICE\\<name>`';

/** `sc config X obj= LocalSystem`; `sc create X binPath= …` without `obj=` (sc's default account is LocalSystem). */
const scObject: CommandCheck = {
  names: ['sc'],
  detect(located) {
    const { command } = located;
    // In PowerShell, `sc` is Set-Content (Windows PowerShell): only `sc.exe` is the service tool there.
    if (command.shell === 'powershell' && !/\.exe$/i.test(literal(command.name) ?? command.name.value)) return [];
    const verb = literal(command.args[0])?.toLowerCase();
    if (verb !== 'config' && verb !== 'create') return [];
    const objIndex = command.args.findIndex((token) => /^obj=/i.test(token.value));
    if (objIndex < 0) {
      return verb === 'create' ? [defaultAccount(command.args[0]!, '`sc create` without `obj=`', SC_ADVICE)] : [];
    }
    const obj = command.args[objIndex]!;
    const inline = obj.value.slice('obj='.length);
    const valueToken = inline ? obj : command.args[objIndex + 1];
    const account = inline || (literal(valueToken) ?? '');
    if (!valueToken || !isLocalSystem(account)) return [];
    return [{ token: spanOf(obj, valueToken), message: `\`sc ${verb}\` runs the service as LocalSystem; ${SC_ADVICE}.` }];
  },
};

const NEW_SERVICE: CmdletSpec = {
  values: ['Name', 'BinaryPathName', 'DisplayName', 'Description', 'StartupType', 'Credential', 'DependsOn', 'SecurityDescriptorSddl'],
  aliases: { ServiceName: 'Name', Path: 'BinaryPathName' },
  positional: ['Name', 'BinaryPathName'],
};

/** `New-Service` without `-Credential`: the service runs as LocalSystem. Info: it is the default, and often unnoticed. */
const newService: CommandCheck = {
  names: ['new-service'],
  detect(located) {
    if (bindCmdlet(located.command, NEW_SERVICE).get('Credential')) return [];
    return [defaultAccount(located.command.name, '`New-Service` without `-Credential`', 'pass `-Credential` with a less privileged account (NetworkService, a virtual or managed account)')];
  },
};

function defaultAccount(token: ShellToken, what: string, advice: string): Detection {
  return { token, severity: 'info', message: `${what} runs the service as LocalSystem; ${advice}.` };
}

/** The checks in reporting order: one list for the life of the process (runCommandChecks indexes it by command name once). */
const CHECKS: readonly CommandCheck[] = [sqlSetupAccount, appcmdIdentity, itemPropertyIdentity, webConfigurationIdentity, scObject, newService];

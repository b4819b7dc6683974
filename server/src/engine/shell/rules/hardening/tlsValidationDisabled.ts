// tls-validation-disabled: a RUN or pipeline step (or ENV/ARG, a pipeline's env:) switches off certificate validation, so whoever sits on
// the network path can serve the build different code. PowerShell, cmd and sh spellings alike.
import type { HostedCommand } from '../../scriptHost';
import type { ShellToken } from '../../types';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import { runCommandChecks, type CommandCheck, type Detection } from './commandChecks';
import { environmentAssignments } from './environment';
import { downloadsOf, isFromLoopback } from '../downloads/webDownloads';
import { parseCommandLine } from '../../nativeOptions';
import { configSet, pipArguments } from './packageTools';
import { memberAssignment, scriptBlockReturnsTrue } from './powershellExpressions';
import { isFalse, isFalseText, spanOf } from './tokens';

const TRUST_STORE_ADVICE = 'If the server uses a private CA, trust that CA instead (Windows: `Import-Certificate -CertStoreLocation Cert:\\LocalMachine\\Root`; Linux: add it to the system store).';

export const tlsValidationDisabled: ScriptRule = {
  meta: {
    id: 'tls-validation-disabled',
    title: 'Certificate (TLS) validation turned off in the build',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'error',
    cwe: [295],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.4,
  },
  checkScripts(host, report) {
    runCommandChecks(host, report, CHECKS);
    // ENV/ARG in a Dockerfile; `env:`/`variables:` in a pipeline.
    for (const setting of host.environmentSettings()) {
      const why = setting.value === null ? undefined : dangerousVariable(setting.name, setting.value);
      if (why) report({ range: setting.range, message: `\`${setting.written}\` ${why}, and ${setting.reach}. Remove it. ${TRUST_STORE_ADVICE}` });
    }
  },
};

const CALLBACK_MEMBERS = new Set(['servercertificatevalidationcallback', 'servercertificatecustomvalidationcallback']);

/**
 * `[Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }`, the same on an HttpClientHandler,
 * `= [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator`, and the older
 * `[Net.ServicePointManager]::CertificatePolicy = New-Object TrustAllCertsPolicy`.
 */
const certificateCallback: CommandCheck = {
  detect({ command }) {
    const assignment = memberAssignment(command);
    if (!assignment) return [];
    if (assignment.type === 'net.servicepointmanager' && assignment.member === 'certificatepolicy') {
      return [{ token: assignment.target, message: `Setting \`ServicePointManager::CertificatePolicy\` replaces certificate validation with custom code (typically a "TrustAllCertsPolicy" that accepts every certificate) for every later request of this PowerShell session. Remove it. ${TRUST_STORE_ADVICE}` }];
    }
    if (!CALLBACK_MEMBERS.has(assignment.member)) return [];
    const acceptsAll = assignment.value.find((t) => scriptBlockReturnsTrue(t) || (t.kind === 'member' && /^::DangerousAcceptAnyServerCertificateValidator$/i.test(t.value)));
    return acceptsAll ? [{
      token: acceptsAll,
      message: `This certificate validation callback accepts every certificate, so every later HTTPS request of this PowerShell session trusts any server. Remove it. ${TRUST_STORE_ADVICE}`,
    }] : [];
  },
};

const WEB_CMDLET: CmdletSpec = {
  values: ['Uri', 'OutFile', 'Method', 'Headers', 'Body', 'ContentType', 'Proxy', 'Credential', 'Certificate', 'SslProtocol', 'Authentication', 'Token'],
  switches: ['SkipCertificateCheck', 'SkipHeaderValidation', 'SkipHttpErrorCheck', 'UseBasicParsing', 'UseDefaultCredentials', 'DisableKeepAlive',
    'AllowUnencryptedAuthentication', 'AllowInsecureRedirect', 'NoProxy', 'PreserveAuthorizationOnRedirect', 'Resume', 'ProxyUseDefaultCredentials'],
  positional: ['Uri'],
    };

/** `Invoke-WebRequest -SkipCertificateCheck` (PowerShell 6+). */
const webCmdlet: CommandCheck = {
  names: ['invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm'],
  detect({ command }) {
    const bound = bindCmdlet(command, WEB_CMDLET);
    const token = bound.switchOn('SkipCertificateCheck');
    return token ? [{ token, message: `\`${command.name.value} -SkipCertificateCheck\` accepts any certificate: anyone on the network path can serve a different file. Remove the switch. ${TRUST_STORE_ADVICE}` }] : [];
  },
};

/**
 * Every URL the command fetches is the machine itself (`curl -k https://localhost:8081/` waiting for a
 * local emulator with a self-signed certificate): no network path for anyone to sit on.
 */
function onlyFromLoopback(located: HostedCommand): boolean {
  const downloads = downloadsOf(located.run.host).filter((download) => download.placed.located === located);
  return downloads.length > 0 && downloads.every(isFromLoopback);
}

/** curl's short options that take a value, so `-o kfile` or `-okfile` is not read as `-k`. */
const CURL_VALUE_OPTIONS = ['o', 'd', 'H', 'u', 'A', 'e', 'b', 'c', 'T', 'w', 'x', 'X', 'r', 'm', 'C', 'E', 'K', 'F', 'Y', 'y', 'z', 't', 'Q', 'P', 'U', 'D',
  'output', 'data', 'header', 'user', 'user-agent', 'referer', 'cookie', 'cookie-jar', 'upload-file', 'write-out', 'proxy', 'request', 'range',
  'max-time', 'continue-at', 'cert', 'config', 'form', 'speed-limit', 'speed-time', 'time-cond', 'telnet-option', 'quote', 'ftp-port', 'proxy-user',
  'dump-header', 'cacert', 'capath', 'url', 'connect-timeout', 'retry', 'retry-delay', 'retry-max-time', 'resolve', 'connect-to'];

const curl: CommandCheck = {
  names: ['curl'],
  detect(located) {
    const { command } = located;
    if (onlyFromLoopback(located)) return [];
    // In Windows PowerShell 5.1 plain `curl` is Invoke-WebRequest: `-SkipHeaderValidation` is not a cluster of letters.
    const powershellAlias = command.shell === 'powershell' && !/\.exe$/i.test(command.name.value);
    const args = powershellAlias ? command.args.filter((a) => !/^-[A-Z][a-z]{2,}/.test(a.value)) : command.args;
    const option = parseCommandLine(args, { valueOptions: CURL_VALUE_OPTIONS }).find('k', 'insecure');
    return option ? [{ token: option.token, message: `\`curl ${option.token.value}\`${option.name === 'k' ? ' (`--insecure`)' : ''} accepts any certificate: anyone on the network path can serve a different file. Remove it; for a private CA pass \`--cacert <ca.pem>\`.` }] : [];
  },
};

const wget: CommandCheck = {
  names: ['wget'],
  detect(located) {
    const { command } = located;
    if (onlyFromLoopback(located)) return [];
    const option = parseCommandLine(command.args, { valueOptions: ['O', 'o', 'a', 'P', 'output-document', 'output-file', 'directory-prefix', 'header', 'user', 'password'] }).find('no-check-certificate');
    return option ? [{ token: option.token, message: `\`wget --no-check-certificate\` accepts any certificate: anyone on the network path can serve a different file. Remove it; for a private CA pass \`--ca-certificate=<ca.pem>\`.` }] : [];
  },
};

/** `npm config set strict-ssl false`, `npm install --strict-ssl=false`, `--no-strict-ssl`, `yarn config set strict-ssl false`, yarn 2+ `enableStrictSsl`. */
const nodePackageManagers: CommandCheck = {
  names: ['npm', 'pnpm', 'yarn'],
  detect(located) {
    const { command, name } = located;
    const line = parseCommandLine(command.args, { valueOptions: ['prefix', 'registry', 'cache', 'loglevel', 'userconfig', 'globalconfig', 'location', 'cwd'] });
    const setting = configSet(line.operands, name === 'npm');
    if (setting && (setting.key === 'strict-ssl' || setting.key === 'enablestrictssl') && isFalseText(setting.valueText)) {
      return [{ token: setting.token, message: `\`${name} config set ${setting.key} false\` makes ${name} accept any registry certificate from now on, for every later install ${located.run.host.kind === 'dockerfile' ? 'in the image' : 'on the runner'}. Remove it; for a private CA set \`cafile\` instead.` }];
    }
    const detections: Detection[] = [];
    for (const option of line.options) {
      const off = option.name === 'no-strict-ssl' || (option.name === 'strict-ssl' && isFalse(option.value ?? nextArgument(command.args, option.token)));
      if (off) detections.push({ token: spanOf(option.token, option.value ?? option.token), message: `\`--${option.name === 'no-strict-ssl' ? 'no-strict-ssl' : 'strict-ssl=false'}\` makes ${name} accept any registry certificate for this command. Remove it; for a private CA use \`--cafile\`.` });
    }
    return detections;
  },
};

function nextArgument(args: readonly ShellToken[], token: ShellToken): ShellToken | undefined {
  return args[args.indexOf(token) + 1];
}

/** `pip install --trusted-host host`, `pip config set global.trusted-host host` */
const pip: CommandCheck = {
  detect(located: HostedCommand) {
    const args = pipArguments(located);
    if (!args) return [];
    const line = parseCommandLine(args, { valueOptions: ['r', 'c', 'e', 't', 'i', 'f', 'requirement', 'constraint', 'editable', 'target', 'index-url', 'extra-index-url', 'find-links', 'trusted-host'] });
    const option = line.find('trusted-host');
    const message = 'pip accepts any certificate (and plain http) from a `--trusted-host`: anyone on the network path can serve different packages. Remove it; for a private CA pass `--cert <ca.pem>`.';
    if (option) return [{ token: spanOf(option.token, option.value ?? option.token), message }];
    const setting = configSet(line.operands, false);
    return setting && /(^|\.)trusted-host$/.test(setting.key) ? [{ token: setting.token, message }] : [];
  },
};

/** `git config --global http.sslVerify false`, `git -c http.sslVerify=false clone …` (also `http.<url>.sslVerify`). */
const git: CommandCheck = {
  names: ['git'],
  detect({ command }) {
    const line = parseCommandLine(command.args, { valueOptions: ['c', 'C', 'git-dir', 'work-tree', 'namespace', 'file', 'f', 'type', 'default', 'blob'] });
    const message = 'Git accepts any HTTPS certificate with `http.sslVerify` off: anyone on the network path can serve different source code. Remove it; for a private CA set `http.sslCAInfo`.';
    const detections: Detection[] = [];
    for (const option of line.findAll('c')) {
      const [key = '', value] = (option.value?.value ?? '').split(/=(.*)/s, 2);
      // `-c http.sslVerify` without a value means true.
      if (option.value && isSslVerifyKey(key) && isFalseText(value)) detections.push({ token: option.value, message });
    }
    const operands = line.operands;
    const words = line.words();
    const at = words[0] === 'config' ? (words[1] === 'set' ? 2 : 1) : -1;
    const key = operands[at];
    const value = operands[at + 1];
    if (at > 0 && key && isSslVerifyKey(key.value) && isFalse(value)) detections.push({ token: spanOf(key, value), message });
    return detections;
  },
};

function isSslVerifyKey(key: string): boolean {
  return /^http\.(.+\.)?sslverify$/i.test(key);
}

const environment: CommandCheck = {
  detect(located) {
    return environmentAssignments(located).flatMap((assignment) => {
      const why = assignment.value === undefined ? undefined : dangerousVariable(assignment.name, assignment.value);
      return why ? [{ token: assignment.token, message: `Setting \`${assignment.name}=${assignment.value}\` ${why}. Remove it. ${TRUST_STORE_ADVICE}` }] : [];
    });
  },
};

/** Why setting this variable to this value turns certificate checks off, or undefined when it does not. */
function dangerousVariable(name: string, value: string): string | undefined {
  const v = value.trim().toLowerCase();
  switch (name.toUpperCase()) {
    case 'GIT_SSL_NO_VERIFY':
      // Git checks only that the variable is set: even `GIT_SSL_NO_VERIFY=0` turns verification off.
      return v !== '' ? 'makes Git skip certificate verification (Git only checks that it is set: any value does, even `0` or `false`)' : undefined;
    case 'NODE_TLS_REJECT_UNAUTHORIZED':
      return v === '0' ? 'makes Node.js (and npm, yarn, every Node tool) accept any certificate' : undefined;
    case 'PYTHONHTTPSVERIFY':
      return v === '0' ? 'makes Python\'s standard library skip certificate verification' : undefined;
    case 'NPM_CONFIG_STRICT_SSL':
      return isFalseText(v) ? 'makes npm accept any registry certificate' : undefined;
    case 'PIP_TRUSTED_HOST':
      return v !== '' ? 'makes pip accept any certificate (and plain http) from those hosts' : undefined;
    default:
      return undefined;
  }
}

/** The checks in reporting order: one list for the life of the process (runCommandChecks indexes it by command name once). */
const CHECKS: readonly CommandCheck[] = [certificateCallback, webCmdlet, curl, wget, nodePackageManagers, pip, git, environment];

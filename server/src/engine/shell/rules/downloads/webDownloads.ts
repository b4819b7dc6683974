// Recognising downloads in script commands (RUN, pipeline steps), whatever the shell: the PowerShell web cmdlets and their
// aliases, WebClient methods, BITS, certutil, bitsadmin, curl and wget. Each download says where its
// bytes go (a file, standard output, or a PowerShell value), which the three download rules need.
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import type { ScriptHost } from '../../scriptHost';
import type { ShellCommand, ShellToken } from '../../types';
import { commandTreeOf, type PlacedCommand } from './commandTree';
import { literalBehind, type Literal } from './literals';
import { hasOption, optionValues, parseArguments, type ParsedArguments } from './nativeOptions';
import { plainValue } from './tokens';
import { hostOf, isLoopbackHost, mayBeUrl, urlBasename } from './urls';

export type DownloadTarget =
  /** Saved to a file; `token` is null when the name comes from the URL (`wget <url>`, `curl -O`). */
  | { kind: 'file'; token: ShellToken | null; path: string }
  /** Written to standard output: piped, redirected or discarded (`curl <url>`, `wget -qO- <url>`). */
  | { kind: 'stdout' }
  /** Returned as a PowerShell value (`iwr <url>` without `-OutFile`, `.DownloadString(…)`). */
  | { kind: 'memory' };

export interface Download {
  placed: PlacedCommand;
  /** The command as the user wrote it, for messages: `Invoke-WebRequest`, `curl.exe`, `.DownloadFile`. */
  tool: string;
  /** Where the download comes from: a URL, or a variable or expression that holds one. */
  url: ShellToken | null;
  /** The URL as written literally, when it is (`'https://…'`, the format string of `('…{0}' -f $v)`, `$url = '…'` earlier). */
  literal: Literal | null;
  target: DownloadTarget;
}

/** What a recognizer sees before the URL is resolved: the file may be named after the URL. */
interface Recognized {
  tool: string;
  url: ShellToken | null;
  target: DownloadTarget | UrlNamedFile;
}

/** `wget <url>`, `curl -O <url>`, `certutil … <url>`: saved under the URL's last path segment. */
interface UrlNamedFile {
  kind: 'named-after-url';
  directory?: ShellToken | undefined;
  /** wget's name for a URL that ends in `/`. */
  fallbackName?: string;
}

const cache = new WeakMap<ScriptHost, Download[]>();

/** Every download in the document's scripts, in run order, each listed once. */
export function downloadsOf(host: ScriptHost): Download[] {
  let downloads = cache.get(host);
  if (!downloads) {
    const tree = commandTreeOf(host);
    const seen = new Set<string>();
    downloads = [];
    for (const placed of tree.commands) {
      for (const { tool, url, target } of recognizeDownloads(placed)) {
        // A script inside a script block can be seen twice (as a group and as a wrapped script): list it once.
        // The same text read in two shells (a GitLab template run by Windows and Linux jobs) is two readings.
        const key = `${placed.located.command.shell}:${placed.start}:${placed.end}:${url ? tree.offsetsOf(placed.located, url).start : ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const literal = url ? literalBehind(tree, placed, url) : null;
        downloads.push({ placed, tool, url, literal, target: target.kind === 'named-after-url' ? urlNamedTarget(target, literal) : target });
      }
    }
    cache.set(host, downloads);
  }
  return downloads;
}

function recognizeDownloads(placed: PlacedCommand): Recognized[] {
  const { command, name } = placed.located;
  switch (name) {
    case 'invoke-webrequest':
    case 'iwr':
    case 'invoke-restmethod':
    case 'irm':
      return [webCmdletDownload(placed)];
    case 'curl':
      return isWebCmdletAlias(command) ? [webCmdletDownload(placed)] : curlDownloads(placed);
    case 'wget':
      return isWebCmdletAlias(command) ? [webCmdletDownload(placed)] : wgetDownloads(placed);
    case 'start-bitstransfer':
      return [bitsTransferDownload(placed)];
    case 'certutil':
      return certutilDownloads(placed);
    case 'bitsadmin':
      return bitsadminDownloads(placed);
    case 'aria2c':
      return aria2Downloads(placed);
    default:
      return webClientDownloads(placed);
  }
}

// ── PowerShell ──

/** Parameters of Invoke-WebRequest / Invoke-RestMethod (PowerShell 5.1 and 7) that take a value (so the value is not the URL). */
const WEB_CMDLET_VALUE_PARAMETERS = [
  'Uri', 'OutFile', 'Method', 'Headers', 'Body', 'ContentType', 'Credential', 'Proxy', 'ProxyCredential', 'WebSession',
  'SessionVariable', 'TimeoutSec', 'MaximumRedirection', 'MaximumRetryCount', 'RetryIntervalSec', 'UserAgent', 'InFile',
  'TransferEncoding', 'Certificate', 'CertificateThumbprint', 'Form', 'Authentication', 'Token', 'CustomMethod',
  'SslProtocol', 'HttpVersion', 'ConnectionTimeoutSeconds', 'OperationTimeoutSeconds', 'UnixSocket',
  'ResponseHeadersVariable', 'StatusCodeVariable', 'MaximumFollowRelLink',
];
const WEB_CMDLET_SWITCHES = [
  'UseBasicParsing', 'PassThru', 'UseDefaultCredentials', 'SkipCertificateCheck', 'DisableKeepAlive', 'Resume',
  'SkipHeaderValidation', 'SkipHttpErrorCheck', 'AllowUnencryptedAuthentication', 'AllowInsecureRedirect', 'NoProxy',
  'PreserveAuthorizationOnRedirect', 'PreserveHttpMethodOnRedirect', 'FollowRelLink',
];
const WEB_CMDLET: CmdletSpec = { values: WEB_CMDLET_VALUE_PARAMETERS, switches: WEB_CMDLET_SWITCHES, positional: ['Uri'] };
/** What tells the cmdlet alias from the native curl/wget (the common parameters included, as before). */
const WEB_CMDLET_PARAMETER_NAMES = [
  'Uri', 'OutFile', 'Method', 'Headers', 'Body', 'ContentType', 'Credential', 'Proxy', 'ProxyCredential', 'WebSession',
  'SessionVariable', 'TimeoutSec', 'MaximumRedirection', 'MaximumRetryCount', 'RetryIntervalSec', 'UserAgent', 'InFile',
  'TransferEncoding', 'Certificate', 'CertificateThumbprint', 'Form', 'Authentication', 'Token', 'CustomMethod',
  'ErrorAction', 'ErrorVariable', 'OutVariable', 'OutBuffer', 'WarningAction', 'InformationAction',
  'UseBasicParsing', 'PassThru', 'UseDefaultCredentials', 'SkipCertificateCheck', 'DisableKeepAlive', 'Resume',
].map((p) => p.toLowerCase());

/**
 * In Windows PowerShell, `curl` and `wget` are aliases of Invoke-WebRequest; in PowerShell 7 and every other
 * shell they are the native programs. Decide by the parameters: cmdlet parameters (`-Uri`, `-OutFile`,
 * `-UseBasicParsing`) mean the alias, anything else (`-o`, `-fsSL`, `--output`) the native program.
 */
function isWebCmdletAlias(command: ShellCommand): boolean {
  if (command.shell !== 'powershell' || /\.exe$/i.test(command.name.value)) return false;
  const parameters = command.args.filter((a) => a.kind === 'parameter' && a.value.startsWith('-') && !a.value.startsWith('--'));
  if (parameters.length === 0) return true;
  return parameters.some((p) => {
    const bare = p.value.slice(1).split(':')[0]!.toLowerCase();
    return bare.length >= 3 && WEB_CMDLET_PARAMETER_NAMES.some((name) => name.startsWith(bare));
  });
}

function webCmdletDownload(placed: PlacedCommand): Recognized {
  const { command } = placed.located;
  const bound = bindCmdlet(command, WEB_CMDLET);
  const outFile = bound.value('OutFile');
  return { tool: command.name.value, url: bound.value('Uri') ?? null, target: outFile ? namedTarget(outFile) : { kind: 'memory' } };
}

const BITS_TRANSFER: CmdletSpec = {
  values: [
    'Source', 'Destination', 'DisplayName', 'Description', 'Priority', 'TransferType', 'Credential', 'ProxyAuthentication',
    'ProxyBypass', 'ProxyCredential', 'ProxyList', 'ProxyUsage', 'RetryInterval', 'RetryTimeout', 'Authentication',
    'CustomHeaders', 'MaxDownloadTime', 'SecurityFlags', 'CertStoreLocation', 'CertStoreName', 'CertHash',
    'TransferPolicy', 'UseStoredCredential', 'ACLFlags', 'NotifyFlags', 'NotifyCmdLine', 'HttpMethod',
  ],
  switches: ['Asynchronous', 'Suspended', 'Dynamic'],
  positional: ['Source', 'Destination'],
};

/** `Start-BitsTransfer -Source <url> -Destination <file>` (both also positional). */
function bitsTransferDownload(placed: PlacedCommand): Recognized {
  const { command } = placed.located;
  const bound = bindCmdlet(command, BITS_TRANSFER);
  return { tool: command.name.value, url: bound.value('Source') ?? null, target: fileTarget(bound.value('Destination') ?? null) };
}

/** WebClient / HttpClient methods: the ones that save a file, and the ones that return the content. */
const SAVING_METHODS = new Set(['.downloadfile', '.downloadfileasync', '.downloadfiletaskasync']);
const RETURNING_METHODS = new Set(['.downloadstring', '.downloadstringasync', '.downloadstringtaskasync', '.downloaddata', '.downloaddatataskasync', '.openread', '.getstringasync', '.getbytearrayasync']);

/** `(New-Object Net.WebClient).DownloadFile('url', 'file')`, `$wc.DownloadString($url)`: a method call in a statement. */
function webClientDownloads(placed: PlacedCommand): Recognized[] {
  const { command } = placed.located;
  const downloads: Recognized[] = [];
  command.args.forEach((token, index) => {
    if (token.kind !== 'member') return;
    const method = token.value.toLowerCase();
    const saves = SAVING_METHODS.has(method);
    if (!saves && !RETURNING_METHODS.has(method)) return;
    const call = command.args[index + 1];
    const [url, file] = call?.kind === 'group' && call.open === '(' ? callArguments(call) : [];
    downloads.push({ tool: token.value, url: url ?? null, target: saves ? fileTarget(file ?? null) : { kind: 'memory' } });
  });
  return downloads;
}

/** The first token of each comma-separated argument of a method call `(a, b)`. */
function callArguments(call: ShellToken): ShellToken[] {
  const statement = call.inner?.[0];
  if (!statement) return [];
  const firsts: ShellToken[] = [];
  let startsArgument = true;
  for (const token of [statement.name, ...statement.args]) {
    if (token.kind === 'operator' && token.value === ',') startsArgument = true;
    else if (startsArgument) {
      firsts.push(token);
      startsArgument = false;
    }
  }
  return firsts;
}

// ── native programs ──

const CURL_OPTIONS = {
  shortWithValue: 'AbcCdDeEFHKmoPQrTtuUwxXyYz',
  longWithValue: [
    'output', 'url', 'header', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'data-ascii', 'user', 'user-agent',
    'referer', 'proxy', 'proxy-user', 'request', 'cookie', 'cookie-jar', 'write-out', 'upload-file', 'form', 'range',
    'continue-at', 'config', 'cert', 'cacert', 'capath', 'key', 'pass', 'retry', 'retry-delay', 'retry-max-time',
    'connect-timeout', 'max-time', 'max-filesize', 'limit-rate', 'proto', 'proto-redir', 'proto-default', 'resolve',
    'interface', 'dns-servers', 'output-dir', 'max-redirs', 'speed-time', 'speed-limit', 'netrc-file', 'dump-header',
    'ciphers', 'tls-max', 'keepalive-time', 'expect100-timeout', 'unix-socket', 'oauth2-bearer', 'pinnedpubkey',
    'cert-type', 'key-type', 'noproxy', 'time-cond', 'trace', 'trace-ascii', 'stderr', 'variable', 'json',
    'create-file-mode', 'connect-to', 'happy-eyeballs-timeout-ms', 'local-port', 'socks5', 'socks5-hostname',
  ],
};

/** curl: one download per URL, paired in order with `-o file` / `-O`; without one it writes to standard output. */
function curlDownloads(placed: PlacedCommand): Recognized[] {
  const parsed = parseArguments(placed.located.command, CURL_OPTIONS);
  const urls = [...parsed.positionals, ...optionValues(parsed, 'url')];
  const outputs = parsed.options.filter((o) => ['o', 'output', 'O', 'remote-name', 'J', 'remote-header-name'].includes(o.name));
  const remoteNameAll = hasOption(parsed, 'remote-name-all');
  const directory = optionValues(parsed, 'output-dir')[0];
  const fileOptions = outputs.filter((o) => o.name !== 'J' && o.name !== 'remote-header-name');
  return urls.map((url, index) => {
    const output = fileOptions[index];
    let target: Recognized['target'];
    if (output && (output.name === 'o' || output.name === 'output')) {
      target = output.value ? namedTarget(output.value) : { kind: 'stdout' };
    } else if (output || remoteNameAll) {
      target = { kind: 'named-after-url', directory };
    } else {
      target = redirectedTarget(parsed);
    }
    return { tool: placed.located.command.name.value, url, target };
  });
}

const WGET_OPTIONS = {
  shortWithValue: 'oaeiBtOTwQPUlARDXI',
  longWithValue: [
    'output-document', 'directory-prefix', 'output-file', 'append-output', 'tries', 'timeout', 'wait', 'user-agent', 'header',
    'user', 'password', 'http-user', 'http-password', 'post-data', 'post-file', 'load-cookies', 'save-cookies',
    'ca-certificate', 'certificate', 'private-key', 'progress', 'limit-rate', 'input-file', 'base', 'execute', 'level',
    'accept', 'reject', 'domains', 'quota', 'dns-timeout', 'connect-timeout', 'read-timeout', 'waitretry', 'bind-address',
    'restrict-file-names', 'method', 'body-data', 'referer', 'ca-directory', 'secure-protocol', 'max-redirect',
  ],
};

/** wget: `-O file` (`-O -` is standard output), else the URL's file name under `-P dir`. */
function wgetDownloads(placed: PlacedCommand): Recognized[] {
  const parsed = parseArguments(placed.located.command, WGET_OPTIONS);
  const document = optionValues(parsed, 'O', 'output-document')[0];
  const directory = optionValues(parsed, 'P', 'directory-prefix')[0];
  return parsed.positionals.filter((token) => mayBeUrl(plainValue(token)) || plainValue(token).includes('.')).map((url) => {
    const target: Recognized['target'] = document ? namedTarget(document) : { kind: 'named-after-url', directory, fallbackName: 'index.html' };
    return { tool: placed.located.command.name.value, url, target };
  });
}

/** aria2c options that take a value (short letters, and long names also written apart from their value). */
const ARIA2_OPTIONS = {
  shortWithValue: 'doijsxkltmUTM',
  longWithValue: [
    'dir', 'out', 'input-file', 'max-concurrent-downloads', 'split', 'max-connection-per-server', 'min-split-size', 'log',
    'timeout', 'max-tries', 'user-agent', 'header', 'http-user', 'http-passwd', 'ftp-user', 'ftp-passwd', 'checksum',
    'torrent-file', 'metalink-file', 'referer', 'all-proxy', 'http-proxy', 'https-proxy', 'ca-certificate', 'certificate',
    'private-key', 'retry-wait', 'connect-timeout', 'max-download-limit', 'load-cookies', 'save-cookies', 'log-level', 'console-log-level',
  ],
};

/**
 * aria2c: each URL positional is a download, saved as `-o name` (inside `-d dir`) or under the URL's file
 * name. `--checksum=sha-256=…` makes aria2c verify the file itself (it fails on a mismatch): not an
 * unchecked download. (qBittorrent's Windows CI fetches its Boost sources with aria2c.)
 */
function aria2Downloads(placed: PlacedCommand): Recognized[] {
  const parsed = parseArguments(placed.located.command, ARIA2_OPTIONS);
  if (hasOption(parsed, 'checksum')) return [];
  const output = optionValues(parsed, 'o', 'out')[0];
  const directory = optionValues(parsed, 'd', 'dir')[0];
  const urls = parsed.positionals.filter((token) => mayBeUrl(plainValue(token)));
  return urls.map((url) => {
    if (output && urls.length === 1) {
      const target = namedTarget(output);
      const prefix = directory ? `${plainValue(directory).replace(/[\\/]+$/, '')}/` : '';
      return { tool: placed.located.command.name.value, url, target: target.kind === 'file' ? { ...target, path: `${prefix}${target.path}` } : target };
    }
    return { tool: placed.located.command.name.value, url, target: { kind: 'named-after-url', directory } };
  });
}

/** `certutil -urlcache -split -f <url> [file]`: the Windows tool malware droppers like, also used in Dockerfiles. */
function certutilDownloads(placed: PlacedCommand): Recognized[] {
  const { command } = placed.located;
  if (!command.args.some((a) => /^[-/]urlcache$/i.test(a.value))) return [];
  const positional = command.args.filter((a) => a.kind !== 'operator' && !/^[-/][a-z]+$/i.test(a.value));
  const [url, file] = positional;
  if (!url || !mayBeUrl(plainValue(url))) return [];
  return [{ tool: command.name.value, url, target: fileTarget(file ?? null) }];
}

/** `bitsadmin /transfer <job> [/download] [/priority p] <url> <file> [<url> <file>…]` and `/addfile <job> <url> <file>`. */
function bitsadminDownloads(placed: PlacedCommand): Recognized[] {
  const { command } = placed.located;
  const verb = command.args.findIndex((a) => /^\/(transfer|addfile)$/i.test(a.value));
  if (verb < 0) return [];
  const positional: ShellToken[] = [];
  for (let i = verb + 1; i < command.args.length; i++) {
    const arg = command.args[i]!;
    if (arg.kind === 'operator') break;
    if (/^\/priority$/i.test(arg.value)) i++;
    else if (!/^\/[a-z]+$/i.test(arg.value)) positional.push(arg);
  }
  const downloads: Recognized[] = [];
  // The job name comes first, then URL/file pairs.
  for (let i = 1; i < positional.length; i += 2) {
    const url = positional[i]!;
    downloads.push({ tool: command.name.value, url, target: fileTarget(positional[i + 1] ?? null) });
  }
  return downloads;
}

// ── targets ──

/** A file named by `-o` / `-O` / `>`; `-`, `/dev/stdout` and the null devices mean the bytes are not saved. */
function namedTarget(token: ShellToken): DownloadTarget {
  if (/^(-|\/dev\/stdout|\/dev\/null|nul|\$null)$/i.test(plainValue(token))) return { kind: 'stdout' };
  return { kind: 'file', token, path: plainValue(token) };
}

/** Where curl's standard output goes: a file after `>`, or a pipe or the terminal. */
function redirectedTarget(parsed: ParsedArguments): DownloadTarget {
  const redirect = parsed.redirections.find((r) => /^1?>>?$/.test(r.operator.value) && r.target);
  return redirect?.target ? namedTarget(redirect.target) : { kind: 'stdout' };
}

/** The file given, or (when none is) the one named after the URL. */
function fileTarget(token: ShellToken | null): Recognized['target'] {
  return token ? namedTarget(token) : { kind: 'named-after-url' };
}

/** The URL's last path segment, inside the directory when given; an empty path when the URL is not known. */
function urlNamedTarget(target: UrlNamedFile, literal: Literal | null): DownloadTarget {
  const name = literal && !literal.partial ? urlBasename(literal.value) || target.fallbackName || '' : '';
  const prefix = target.directory ? `${plainValue(target.directory).replace(/[\\/]+$/, '')}/` : '';
  return { kind: 'file', token: null, path: name ? `${prefix}${name}` : '' };
}

/** Served by the machine itself (`http://localhost:8080/…`, `127.0.0.1`): nothing crosses a network to tamper with. */
export function isFromLoopback(download: Download): boolean {
  return download.literal !== null && isLoopbackHost(hostOf(download.literal.value));
}

/**
 * The CI server's own API, named by the variable the platform sets (`$CI_API_V4_URL/…/jobs/<id>/artifacts`,
 * `$GITHUB_API_URL`, `$(System.CollectionUri)`): the project's own build artifacts, fetched over the
 * platform's authenticated HTTPS. Nobody publishes a hash for them to compare with.
 */
const OWN_CI_SERVER = /^(?:\$\{?(?:CI_API_V4_URL|CI_API_GRAPHQL_URL|CI_SERVER_URL|GITHUB_API_URL|GITHUB_SERVER_URL|SYSTEM_COLLECTIONURI|SYSTEM_TEAMFOUNDATIONCOLLECTIONURI)\b|\$env:(?:SYSTEM_COLLECTIONURI|SYSTEM_TEAMFOUNDATIONCOLLECTIONURI|GITHUB_API_URL|GITHUB_SERVER_URL|CI_API_V4_URL|CI_SERVER_URL)\b|\$\((?:System\.CollectionUri|System\.TeamFoundationCollectionUri)\)|\$\{\{\s*github\.(?:api_url|server_url)\s*\}\})/i;

export function isFromOwnCiServer(download: Download): boolean {
  const url = download.literal?.value ?? (download.url ? plainValue(download.url) : '');
  return OWN_CI_SERVER.test(url);
}

/**
 * A URL that names content by its git commit (`raw.githubusercontent.com/<owner>/<repo>/<40-hex commit>/…`,
 * `github.com/…/raw/<commit>/…`, GitLab `/-/raw/<commit>/…`): the content cannot change under it, like an
 * image pinned by digest or an action pinned by commit.
 */
const COMMIT_PINNED = /^https:\/\/(?:raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\/|github\.com\/[^/]+\/[^/]+\/raw\/[0-9a-f]{40}\/|gitlab\.com\/(?:[^/]+\/)+-\/raw\/[0-9a-f]{40}\/)/i;

export function isCommitPinned(download: Download): boolean {
  return download.literal !== null && !download.literal.partial && COMMIT_PINNED.test(download.literal.value);
}

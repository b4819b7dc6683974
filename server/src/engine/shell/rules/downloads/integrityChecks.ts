// Recognising integrity checks of downloaded files: a hash compared with an expected value
// (`Get-FileHash`, `certutil -hashfile`, `sha256sum -c`), or a signature verified (`gpg --verify`,
// `Get-AuthenticodeSignature`). A hash that is only printed checks nothing, so `Get-FileHash` counts
// only when its result is compared with something.
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import type { ScriptHost } from '../../scriptHost';
import type { ShellToken } from '../../types';
import { EXPECTED_HASH_PLACEHOLDER, PLACEHOLDER_WORD } from './checkTemplates';
import { commandTreeOf, type CommandTree, type PlacedCommand } from './commandTree';
import { hasOption, parseArguments } from './nativeOptions';
import { assignedVariable, plainValue, readsVariable } from './tokens';

export interface IntegrityCheck {
  placed: PlacedCommand;
  /** The files the check covers, as written: the file hashed or verified, and files it compares with (a downloaded `.sha256`, a signature). */
  files: string[];
  /** Reads a list of files it does not name here (`sha256sum -c SHA256SUMS`): it covers the earlier downloads of its RUN. */
  coversUnnamedFiles: boolean;
  /** Document offsets of the quick fix's placeholder, while it still stands where the expected hash belongs. */
  placeholder: { start: number; end: number } | null;
}

const cache = new WeakMap<ScriptHost, IntegrityCheck[]>();

/** Every integrity check in the document's scripts, each listed once. */
export function integrityChecksOf(host: ScriptHost): IntegrityCheck[] {
  let checks = cache.get(host);
  if (!checks) {
    const tree = commandTreeOf(host);
    const seen = new Set<string>();
    checks = [];
    for (const placed of tree.commands) {
      const check = recognizeCheck(tree, placed);
      const key = `${placed.start}:${placed.end}`;
      if (!check || seen.has(key)) continue;
      seen.add(key);
      checks.push(check);
    }
    cache.set(host, checks);
  }
  return checks;
}

function recognizeCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const { name } = placed.located;
  switch (name) {
    case 'get-filehash':
      return comparedCheck(tree, placed, cmdletFile(placed, GET_FILE_HASH));
    case 'get-authenticodesignature':
      return comparedCheck(tree, placed, cmdletFile(placed, GET_AUTHENTICODE_SIGNATURE));
    case 'get-content':
    case 'gc':
    case 'cat':
    case 'type':
      return hashFileRead(tree, placed, cmdletFile(placed, GET_CONTENT));
    case 'certutil':
      return certutilHashCheck(tree, placed);
    case 'sha1sum':
    case 'sha224sum':
    case 'sha256sum':
    case 'sha384sum':
    case 'sha512sum':
    case 'shasum':
    case 'b2sum':
      return hashSumCheck(tree, placed);
    case 'gpg':
    case 'gpg2':
    case 'gpgv':
    case 'gpgv2':
      return signatureCheck(tree, placed) ?? pinnedKeyImport(tree, placed);
    case 'rpm':
    case 'rpmkeys':
      return rpmSignatureCheck(placed);
    case 'openssl':
      return opensslDigestCheck(tree, placed);
    case 'cosign':
      return cosignBlobCheck(placed);
    default:
      return helperScriptCheck(placed);
  }
}

/** A parameter of a project's own checking script or function that takes the expected hash. */
const EXPECTED_HASH_PARAMETER = /^(?:--?|\/)(?:expected-?)?(?:hash|checksum|sha256|sha384|sha512|digest)(?:value)?(?:[=:](.*))?$/i;
/** A variable that holds a pinned hash by its name (`GIT_AMD64_CHECKSUM`, `NODE_SHA256`, `$env:Hash`). */
const HASH_VARIABLE = /^(?:\$\{?(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}?|%([A-Za-z_][A-Za-z0-9_]*)%)$/i;
// `SHA` only as a word of the name (`NODE_SHA256`, `sha512sum`), so `SHARE_PATH` is no hash.
const HASH_NAME = /(?:^|[_-])sha\d*(?:sum)?(?:[_-]|$)|checksum|hash|digest/i;

/**
 * A project's own checking step, `.\checksum.ps1 -TargetFile git.zip -ExpectedHash ${Env:GIT_SHA256}`
 * (gitlab-runner's Windows images), `verify.sh --sha256 <digest> tool.zip`: a command handed both a file and
 * a pinned expected hash — a hex digest, or a variable named for one — is taken to check that file. What the
 * script does is not read (it may live in another file); a command given an expected hash is there to check.
 */
function helperScriptCheck(placed: PlacedCommand): IntegrityCheck | null {
  const args = placed.located.command.args;
  for (let i = 0; i < args.length; i++) {
    const option = EXPECTED_HASH_PARAMETER.exec(args[i]!.value);
    if (!option) continue;
    const valueToken = option[1] === undefined ? args[i + 1] : undefined;
    const value = option[1] ?? (valueToken ? plainValue(valueToken) : '');
    if (!isPinnedHash(value)) continue;
    const files = args
      .filter((arg, k) => k !== i && arg !== valueToken && !/^(?:-|\/[A-Za-z?]+$)/.test(arg.value))
      .map(plainValue)
      .filter((file) => file !== '' && !isPinnedHash(file));
    return files.length > 0 ? namedCheck(placed, files) : null;
  }
  return null;
}

function isPinnedHash(value: string): boolean {
  const digest = value.replace(/^sha(?:256|384|512):/i, '');
  if (/^[0-9a-f]{64}(?:[0-9a-f]{32}){0,2}$/i.test(digest)) return true;
  const variable = HASH_VARIABLE.exec(value);
  return variable !== null && HASH_NAME.test(variable[1] ?? variable[2]!);
}

/** A check of named files (most checks name them). */
function namedCheck(placed: PlacedCommand, files: string[], placeholder: IntegrityCheck['placeholder'] = null): IntegrityCheck {
  return { placed, files, coversUnnamedFiles: false, placeholder };
}

/**
 * A hash or signature of `files` whose result is compared (and, when `accepts` says so, with the right thing);
 * one that is only printed checks nothing.
 */
function comparedCheck(tree: CommandTree, placed: PlacedCommand, files: string[], accepts: (comparison: PlacedCommand) => boolean = () => true): IntegrityCheck | null {
  if (files.length === 0) return null;
  const comparison = comparisonOf(tree, placed, true);
  if (!comparison || !accepts(comparison)) return null;
  return namedCheck(placed, files, placeholderIn(tree, [comparison]));
}

/** The cmdlets that read a file, with the parameters naming it first (the first is also positional). */
interface FileCmdlet {
  spec: CmdletSpec;
  file: readonly string[];
}
const GET_FILE_HASH: FileCmdlet = { spec: { values: ['Path', 'LiteralPath', 'Algorithm', 'InputStream'], positional: ['Path'] }, file: ['Path', 'LiteralPath'] };
const GET_AUTHENTICODE_SIGNATURE: FileCmdlet = {
  spec: { values: ['FilePath', 'LiteralPath', 'Content', 'SourcePathOrExtension'], positional: ['FilePath'] },
  file: ['FilePath', 'LiteralPath'],
};
const GET_CONTENT: FileCmdlet = {
  spec: {
    values: ['Path', 'LiteralPath', 'Encoding', 'TotalCount', 'Tail', 'Delimiter', 'ReadCount', 'Filter', 'Include', 'Exclude', 'Credential', 'Stream'],
    switches: ['Raw', 'Wait', 'AsByteStream', 'NoNewline'],
    positional: ['Path'],
  },
  file: ['Path', 'LiteralPath'],
};

/** The file a cmdlet names by parameter or first position, as a list for `comparedCheck`. */
function cmdletFile(placed: PlacedCommand, cmdlet: FileCmdlet): string[] {
  const file = bindCmdlet(placed.located.command, cmdlet.spec).value(...cmdlet.file);
  return file ? [plainValue(file)] : [];
}

/** Commands that compute a hash: a file read and compared with one of them holds the expected hash. */
const HASH_COMMANDS = new Set(['get-filehash', 'certutil', 'openssl', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'shasum', 'b2sum']);

/**
 * `(Get-FileHash f).Hash -ne (Get-Content f.sha512)`, `$expected = (Get-Content sums.txt | Where-Object …)`: a
 * downloaded hash file read into a comparison, in a RUN that computes a hash, is part of the check. A file read
 * and compared in a RUN that hashes nothing (`(Get-Content config.json) -match 'x'`) is not checked.
 */
function hashFileRead(tree: CommandTree, placed: PlacedCommand, files: string[]): IntegrityCheck | null {
  const hashes = tree.commandsOf(placed.run).some((c) => HASH_COMMANDS.has(c.located.name));
  return hashes ? comparedCheck(tree, placed, files) : null;
}

const COMPARISON_OPERATOR = /^-[ci]?(eq|ne|match|notmatch|like|notlike|contains|notcontains|in|notin)$/i;
const CONDITION_KEYWORDS = new Set(['if', 'elseif', 'while', 'until', 'switch']);
const TEST_COMMANDS = new Set(['[', '[[', 'test']);
/** Pipeline stages that fail or filter when the hash differs: `… | findstr /i <hash>`, `… | grep -q <hash>`. */
const MATCHING_CONSUMERS = new Set(['findstr', 'grep', 'egrep', 'fgrep', 'select-string', 'sls', 'diff', 'cmp']);

/**
 * Where the result of `placed` is compared with something: the enclosing comparison
 * (`(Get-FileHash f).Hash -ne $x`), condition (`if ((Get-FileHash f).Hash -eq …)`, `[ "$(sha256sum f)" = … ]`),
 * pipeline stage (`| findstr`, `| Where-Object { $_.Hash -ne … }`), or — when the result is stored in a
 * variable (`$h = Get-FileHash f`) — a later statement that compares that variable.
 */
function comparisonOf(tree: CommandTree, placed: PlacedCommand, followVariables: boolean): PlacedCommand | null {
  const chain = tree.selfAndAncestors(placed);
  for (let i = 0; i < chain.length; i++) {
    const current = chain[i]!;
    if (comparesValues(current)) return current;
    if (i > 0 && isConditionHolding(tree, current, chain[i - 1]!)) return current;
    if (current.located.command.shell === 'posix' && TEST_COMMANDS.has(current.located.name)) return current;
    const consumer = tree.laterInPipeline(current).find((member) => MATCHING_CONSUMERS.has(member.located.name)
      || tree.commandsInArguments(member).some(comparesValues));
    if (consumer) return consumer;
  }
  if (!followVariables) return null;
  const statement = tree.statementOf(placed);
  const variable = assignedVariable(placed.located.command) ?? assignedVariable(statement.located.command);
  if (!variable) return null;
  for (const later of tree.laterInRun(statement)) {
    if (!readsVariable(later.located.command, variable)) continue;
    const comparison = comparisonOf(tree, later, false);
    if (comparison) return comparison;
  }
  return null;
}

function comparesValues(placed: PlacedCommand): boolean {
  return placed.located.command.args.some((arg) => arg.kind === 'operator' && COMPARISON_OPERATOR.test(arg.value));
}

/** `if (<child>) {…}`: the child sits in the condition, not in the body. */
function isConditionHolding(tree: CommandTree, keyword: PlacedCommand, child: PlacedCommand): boolean {
  if (!CONDITION_KEYWORDS.has(keyword.located.name) || keyword.located.command.name.kind !== 'word') return false;
  return keyword.located.command.args.some((arg) => arg.kind === 'group' && arg.open === '(' && tree.commandsInside(keyword, arg).includes(child));
}

/** `certutil -hashfile <file> [algorithm]`, usually piped to `findstr` with the expected hash. */
function certutilHashCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const args = placed.located.command.args;
  const index = args.findIndex((a) => /^[-/]hashfile$/i.test(a.value));
  const file = index >= 0 ? args[index + 1] : undefined;
  if (!file) return null;
  const comparison = comparisonOf(tree, placed, true);
  return namedCheck(placed, [plainValue(file)], placeholderIn(tree, [placed, ...tree.laterInPipeline(placed), ...(comparison ? [comparison] : [])]));
}

const HEX_DIGEST = /^[0-9a-f]{32,}$/i;
const FILE_READERS = new Set(['cat', 'type', 'get-content', 'gc']);

/**
 * `sha256sum -c`: the expected hashes and file names come from a list file (`-c SHA256SUMS`) or from standard
 * input (`echo "<hash>  <file>" | sha256sum -c -`). `sha256sum <file>` without `-c` counts when compared.
 */
function hashSumCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const parsed = parseArguments(placed.located.command, { shortWithValue: 'al', longWithValue: ['algorithm', 'length'] });
  if (!hasOption(parsed, 'c', 'check')) return comparedCheck(tree, placed, parsed.positionals.filter((t) => t.value !== '-').map(plainValue));
  const lists = parsed.positionals.filter((t) => t.value !== '-').map(plainValue);
  const feeders = tree.earlierInPipeline(placed);
  const hereStrings = parsed.redirections.filter((r) => r.operator.value === '<<<' && r.target).map((r) => r.target!);
  const inputFiles = parsed.redirections.filter((r) => r.operator.value === '<' && r.target).map((r) => plainValue(r.target!));
  const echoed = feeders.filter((f) => f.located.name === 'echo' || f.located.name === 'printf');
  const named = [...echoed.flatMap((f) => [f.located.command.name, ...f.located.command.args]), ...hereStrings].flatMap(fileNamesInHashLines);
  // A list read from a file or produced by another command (`grep node.tar.xz SHASUMS256.txt |`) names files we cannot see.
  const unnamed = lists.length > 0 || inputFiles.length > 0 || feeders.length > echoed.length || named.length === 0;
  const fromFeeders = feeders.filter((f) => !echoed.includes(f)).flatMap((f) => f.located.command.args.flatMap(fileNamesInHashLines));
  // `echo "$(cat x.sha256)  x" | sha256sum -c -`: the downloaded hash file is read into the line that is checked.
  const hashFiles = echoed.flatMap((f) => tree.commandsInArguments(f)).filter((c) => FILE_READERS.has(c.located.name))
    .flatMap((c) => c.located.command.args.filter((a) => !a.value.startsWith('-')).map(plainValue));
  return {
    placed,
    files: [...lists, ...inputFiles, ...named, ...fromFeeders, ...hashFiles],
    coversUnnamedFiles: unnamed,
    placeholder: placeholderIn(tree, [placed, ...feeders]),
  };
}

/** Candidate file names in `<hash>  <file>` lines (`*file` in binary mode), and in a grep pattern (`" file\$"`). */
function fileNamesInHashLines(token: ShellToken): string[] {
  return plainValue(token).split(/\s+/)
    .map((word) => word.replace(/["']/g, '').replace(/^\*/, '').replace(/\\?\$$/, '').replace(/^\^/, ''))
    .filter((word) => word !== '' && !word.startsWith('-') && !HEX_DIGEST.test(word) && !word.includes(PLACEHOLDER_WORD) && !/%s/.test(word));
}

/** `gpg --verify file.asc [file]`, `gpgv file.sig file`, `gpg --decrypt file.asc`: the signed file and the signature itself. */
function signatureCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const { command, name } = placed.located;
  // `--decrypt` of a clear-signed file (`SHASUMS256.txt.asc`) verifies its signature on the way.
  const verify = command.args.findIndex((a) => a.value === '--verify' || a.value === '--verify-files' || a.value === '--decrypt');
  if (verify < 0 && !name.startsWith('gpgv')) return null;
  const parsed = parseArguments({ ...command, args: command.args.slice(verify + 1) }, { longWithValue: ['keyring', 'homedir', 'status-fd', 'logger-fd', 'output', 'weak-digest'] });
  const files = parsed.positionals.map(plainValue);
  if (files.length === 0) return null;
  // A detached signature alone (`gpg --verify x.tar.gz.asc`) verifies the file named like it without the extension.
  if (files.length === 1) files.push(files[0]!.replace(/\.(asc|sig|gpg|sign)$/i, ''));
  return namedCheck(placed, files, placeholderIn(tree, [placed]));
}

const KEY_FINGERPRINT = /^(0x)?[0-9a-f]{40}$/i;

/**
 * `gpg --import KEYS` followed, in the same RUN, by `gpg --export <40-hex fingerprint>`: only the pinned key is
 * kept, so a replaced key file would break the build.
 */
function pinnedKeyImport(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const args = placed.located.command.args;
  const importAt = args.findIndex((a) => a.value === '--import');
  const files = args.slice(importAt + 1).filter((a) => !a.value.startsWith('-') && a.kind !== 'operator').map(plainValue);
  if (importAt < 0 || files.length === 0) return null;
  const pinned = tree.laterInRun(placed).some((later) => /^gpg2?$/.test(later.located.name)
    && later.located.command.args.some((a) => a.value === '--export') && later.located.command.args.some((a) => KEY_FINGERPRINT.test(plainValue(a))));
  return pinned ? namedCheck(placed, files) : null;
}

/** `rpm -K file.rpm`, `rpm --checksig`, `rpmkeys -K`: the package's signature against the imported keys. */
function rpmSignatureCheck(placed: PlacedCommand): IntegrityCheck | null {
  const parsed = parseArguments(placed.located.command, {});
  if (!parsed.options.some((o) => o.name === 'K' || o.name === 'checksig')) return null;
  const files = parsed.positionals.map(plainValue);
  return files.length > 0 ? namedCheck(placed, files) : null;
}

/** `openssl dgst -sha256 file`, `openssl sha512 -r file`: a hash like `sha256sum`, so it counts when compared. */
function opensslDigestCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const [subcommand, ...rest] = placed.located.command.args;
  if (!subcommand || !/^(dgst|sha(1|224|256|384|512))$/i.test(subcommand.value)) return null;
  const parsed = parseArguments({ ...placed.located.command, args: rest }, {});
  return comparedCheck(tree, placed, parsed.positionals.map(plainValue));
}

/** `cosign verify-blob --key … --signature … <file>`: a Sigstore signature of the file. */
function cosignBlobCheck(placed: PlacedCommand): IntegrityCheck | null {
  const [subcommand, ...rest] = placed.located.command.args;
  if (subcommand?.value !== 'verify-blob') return null;
  const parsed = parseArguments({ ...placed.located.command, args: rest }, {
    longWithValue: ['key', 'signature', 'certificate', 'bundle', 'certificate-identity', 'certificate-identity-regexp', 'certificate-oidc-issuer', 'certificate-oidc-issuer-regexp', 'rekor-url'],
  });
  const files = [...parsed.positionals, ...parsed.options.filter((o) => o.name === 'signature' || o.name === 'bundle').map((o) => o.value!).filter(Boolean)].map(plainValue);
  return files.length > 0 ? namedCheck(placed, files) : null;
}

/** The placeholder among the tokens of the given commands, as document offsets covering `<sha256-of-the-download>`. */
function placeholderIn(tree: CommandTree, commands: PlacedCommand[]): IntegrityCheck['placeholder'] {
  const text = tree.document.getText();
  for (const placed of commands) {
    const { command } = placed.located;
    for (const token of [command.name, ...command.args]) {
      if (!token.raw.includes(PLACEHOLDER_WORD)) continue;
      const { start, end } = tree.offsetsOf(placed.located, token);
      const written = text.slice(start, end);
      const full = written.indexOf(EXPECTED_HASH_PLACEHOLDER);
      if (full >= 0) return { start: start + full, end: start + full + EXPECTED_HASH_PLACEHOLDER.length };
      const word = written.indexOf(PLACEHOLDER_WORD);
      if (word < 0) return { start, end };
      // cmd splits `<…>` into redirections around the word: cover the brackets too.
      const from = start + word;
      const to = from + PLACEHOLDER_WORD.length;
      return { start: text[from - 1] === '<' ? from - 1 : from, end: text[to] === '>' ? to + 1 : to };
    }
  }
  return null;
}

// Recognising integrity checks of downloaded files: a hash compared with an expected value
// (`Get-FileHash`, `certutil -hashfile`, `sha256sum -c`), or a signature verified (`gpg --verify`,
// `Get-AuthenticodeSignature`). A hash that is only printed checks nothing, so `Get-FileHash` counts
// only when its result is compared with something.
import type { DockerfileModel } from '../../../../dockerfile/model';
import { parameterValue, positionalArguments } from '../../../../shell/runAnalysis';
import type { ShellToken } from '../../../../shell/types';
import { PLACEHOLDER_WORD, EXPECTED_HASH_PLACEHOLDER } from './checkTemplates';
import { assignedVariable, commandTreeOf, plainValue, readsVariable, type CommandTree, type PlacedCommand } from './commandTree';
import { hasOption, parseArguments } from './nativeOptions';

export interface IntegrityCheck {
  placed: PlacedCommand;
  /** The files the check covers, as written: the file hashed or verified, and files it compares with (a downloaded `.sha256`, a signature). */
  files: string[];
  /** Reads a list of files it does not name here (`sha256sum -c SHA256SUMS`): it covers the earlier downloads of its RUN. */
  coversUnnamedFiles: boolean;
  /** Document offsets of the quick fix's placeholder, while it still stands where the expected hash belongs. */
  placeholder: { start: number; end: number } | null;
}

const cache = new WeakMap<DockerfileModel, IntegrityCheck[]>();

/** Every integrity check in the Dockerfile's RUN instructions, each listed once. */
export function integrityChecksOf(model: DockerfileModel): IntegrityCheck[] {
  let checks = cache.get(model);
  if (!checks) {
    const tree = commandTreeOf(model);
    const seen = new Set<string>();
    checks = [];
    for (const placed of tree.commands) {
      const check = recognizeCheck(tree, placed);
      const key = `${placed.start}:${placed.end}`;
      if (!check || seen.has(key)) continue;
      seen.add(key);
      checks.push(check);
    }
    cache.set(model, checks);
  }
  return checks;
}

function recognizeCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const { command, name } = placed.located;
  switch (name) {
    case 'get-filehash':
      return comparedCheck(tree, placed, parameterValue(command, 'Path', 'LiteralPath') ?? positionalArguments(command, ['Path', 'LiteralPath', 'Algorithm', 'InputStream'])[0]);
    case 'get-authenticodesignature':
      return comparedCheck(tree, placed, parameterValue(command, 'FilePath', 'LiteralPath') ?? positionalArguments(command, ['FilePath', 'LiteralPath', 'Content', 'SourcePathOrExtension'])[0]);
    // Reading a downloaded `.sha256` file to compare with makes that download part of the check.
    case 'get-content':
    case 'gc':
    case 'cat':
    case 'type':
      return comparedCheck(tree, placed, parameterValue(command, 'Path', 'LiteralPath') ?? positionalArguments(command, ['Path', 'LiteralPath', 'Encoding', 'TotalCount', 'Tail', 'Delimiter'])[0]);
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
      return signatureCheck(tree, placed);
    default:
      return null;
  }
}

/** A hash or signature whose result is compared; without a comparison it is only printed. */
function comparedCheck(tree: CommandTree, placed: PlacedCommand, file: ShellToken | undefined): IntegrityCheck | null {
  if (!file) return null;
  const comparison = comparisonOf(tree, placed, true);
  if (!comparison) return null;
  return { placed, files: [plainValue(file)], coversUnnamedFiles: false, placeholder: placeholderIn(tree, [comparison]) };
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
  return { placed, files: [plainValue(file)], coversUnnamedFiles: false, placeholder: placeholderIn(tree, [placed, ...tree.laterInPipeline(placed), ...(comparison ? [comparison] : [])]) };
}

const HEX_DIGEST = /^[0-9a-f]{32,}$/i;

/**
 * `sha256sum -c`: the expected hashes and file names come from a list file (`-c SHA256SUMS`) or from standard
 * input (`echo "<hash>  <file>" | sha256sum -c -`). `sha256sum <file>` without `-c` counts when compared.
 */
function hashSumCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const parsed = parseArguments(placed.located.command, { shortWithValue: 'al', longWithValue: ['algorithm', 'length'] });
  if (!hasOption(parsed, 'c', 'check')) {
    const comparison = comparisonOf(tree, placed, true);
    const files = parsed.positionals.filter((t) => t.value !== '-').map(plainValue);
    return comparison && files.length > 0 ? { placed, files, coversUnnamedFiles: false, placeholder: placeholderIn(tree, [comparison]) } : null;
  }
  const lists = parsed.positionals.filter((t) => t.value !== '-').map(plainValue);
  const feeders = tree.earlierInPipeline(placed);
  const hereStrings = parsed.redirections.filter((r) => r.operator.value === '<<<' && r.target).map((r) => r.target!);
  const inputFiles = parsed.redirections.filter((r) => r.operator.value === '<' && r.target).map((r) => plainValue(r.target!));
  const echoed = feeders.filter((f) => f.located.name === 'echo' || f.located.name === 'printf');
  const named = [...echoed.flatMap((f) => [f.located.command.name, ...f.located.command.args]), ...hereStrings].flatMap(fileNamesInHashLines);
  // A list read from a file or produced by another command (`grep node.tar.xz SHASUMS256.txt |`) names files we cannot see.
  const unnamed = lists.length > 0 || inputFiles.length > 0 || feeders.length > echoed.length || named.length === 0;
  const fromFeeders = feeders.filter((f) => !echoed.includes(f)).flatMap((f) => f.located.command.args.flatMap(fileNamesInHashLines));
  return {
    placed,
    files: [...lists, ...inputFiles, ...named, ...fromFeeders],
    coversUnnamedFiles: unnamed,
    placeholder: placeholderIn(tree, [placed, ...feeders]),
  };
}

/** Candidate file names in `<hash>  <file>` lines (`*file` in binary mode), and in a grep pattern (`" file\$"`). */
function fileNamesInHashLines(token: ShellToken): string[] {
  return plainValue(token).split(/\s+/)
    .map((word) => word.replace(/^\*/, '').replace(/\\?\$$/, '').replace(/^\^/, ''))
    .filter((word) => word !== '' && !word.startsWith('-') && !HEX_DIGEST.test(word) && !word.includes(PLACEHOLDER_WORD) && !/%s/.test(word));
}

/** `gpg --verify file.asc [file]`, `gpgv file.sig file`: the signed file and the signature itself. */
function signatureCheck(tree: CommandTree, placed: PlacedCommand): IntegrityCheck | null {
  const { command, name } = placed.located;
  const verify = command.args.findIndex((a) => a.value === '--verify' || a.value === '--verify-files');
  if (verify < 0 && !name.startsWith('gpgv')) return null;
  const parsed = parseArguments({ ...command, args: command.args.slice(verify + 1) }, { longWithValue: ['keyring', 'homedir', 'status-fd', 'logger-fd', 'output', 'weak-digest'] });
  const files = parsed.positionals.map(plainValue);
  if (files.length === 0) return null;
  // A detached signature alone (`gpg --verify x.tar.gz.asc`) verifies the file named like it without the extension.
  if (files.length === 1) files.push(files[0]!.replace(/\.(asc|sig|gpg|sign)$/i, ''));
  return { placed, files, coversUnnamedFiles: false, placeholder: placeholderIn(tree, [placed]) };
}

/** The placeholder among the tokens of the given commands, as document offsets covering `<sha256-of-the-download>`. */
function placeholderIn(tree: CommandTree, commands: PlacedCommand[]): IntegrityCheck['placeholder'] {
  const text = tree.model.document.getText();
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

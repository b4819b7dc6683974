// `container-guard lint`: reads, lints and reports one file at a time (in sorted path order), so the
// memory a run needs does not grow with the number of files; see report.ts for the streamed formats.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAllToFixpoint, lintModel, lintText } from '../engine/lint';
import { documentKind } from '../engine/kinds/index';
import { createDocument } from '../engine/text';
import { isIgnored, mergeSettings, type EngineSettings } from '../engine/settings';
import { loadShellGrammars } from '../engine/shell/treeSitter';
import { SEVERITY_ORDER } from '../engine/types';
import { loadTeamConfig, TeamConfigFinder } from '../node/teamConfigFile';
import type { LintCommand } from './args';
import { fileOutput, stdoutOutput, type ReportOutput } from './output';
import { reporterFor, type PinReport, type RuleFailure } from './report';
import { DEFAULT_MAX_FILE_SIZE, encode, readInput, type TextEncoding } from './readInput';
import { safeLine, safeLines } from './safeText';
import { findFiles, withIncludedFiles, InputError } from './walk';
import { relatedReader, repositoryRoot } from '../node/relatedFiles';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
/** Usage, configuration or I/O errors, and rules that failed (their findings are missing). */
export const EXIT_ERROR = 2;

export class ConfigError extends Error {}

interface FileSettings {
  settings: EngineSettings;
  /** Folder the ignore globs are relative to. */
  base: string;
}

/**
 * Settings per file: `--config` for every file, otherwise the nearest team file above the file (so a
 * monorepo folder can carry its own), otherwise the defaults. Loaded once per team file.
 */
class SettingsResolver {
  private readonly byFile = new Map<string, FileSettings>();
  private readonly finder = new TeamConfigFinder();

  constructor(private readonly explicitConfig: string | null) {
    if (explicitConfig && !fs.existsSync(explicitConfig)) throw new ConfigError(`${explicitConfig}: no such configuration file`);
  }

  forFile(absolute: string): FileSettings {
    const directory = path.dirname(absolute);
    let file = this.explicitConfig;
    if (!file) file = this.finder.find(directory);
    if (!file) return { settings: mergeSettings(), base: process.cwd() };
    let resolved = this.byFile.get(file);
    if (!resolved) {
      resolved = load(file);
      this.byFile.set(file, resolved);
    }
    return resolved;
  }
}

function load(file: string): FileSettings {
  let loaded;
  try {
    loaded = loadTeamConfig(file);
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (loaded.problems.length > 0) {
    const shown = path.relative(process.cwd(), file) || file;
    const lines = loaded.problems.map((p) => `${shown}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return { settings: mergeSettings(loaded.layer), base: loaded.directory };
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

export interface LintIo {
  /** Diagnostics for people (pins, rule stack traces); standard error by default. */
  stderr?: (text: string) => void;
  /** Where the report goes when there is no `--output`; standard output by default. */
  stdout?: ReportOutput;
  /** Called after each file is reported (the CLI bounds its heap there; see memory.ts). */
  afterFile?: () => void;
}

/**
 * Lints every file `command` names and writes the report as it goes. Returns the exit code; throws
 * InputError or ConfigError for I/O and configuration errors (exit code 2 in main).
 */
export async function lint(command: LintCommand, io: LintIo = {}): Promise<number> {
  const write = io.stderr ?? ((text: string) => { process.stderr.write(text); });
  // Paths, image names and errors on these lines come from the repository (or a registry): each is one
  // safe line (see safeText.ts), like the text report; only a rule's stack trace takes more lines.
  const stderr = (line: string, stack?: string): void => write(`${safeLine(line)}\n${stack ? `${safeLines(stack)}\n` : ''}`);
  // The shell front ends parse with tree-sitter, whose WebAssembly loads asynchronously: once, before any lint.
  await loadShellGrammars();
  const resolver = new SettingsResolver(command.config);
  const cwd = process.cwd();
  // Only the paths are collected up front (sorted, whatever order the folders list them in), then the files
  // they include whatever their names (a GitLab pipeline's `local:` includes).
  const output = command.output ? fileOutput(command.output) : io.stdout ?? stdoutOutput();
  const reporter = reporterFor(command.format, cwd);
  const ruleFailures: RuleFailure[] = [];
  const pins: PinReport = { pinned: [], unresolved: [] };
  let linted = 0;
  // The repository root of each folder, found once: every pipeline in a folder asks for it (a walk up
  // the tree testing each level for `.git`), and no run creates or removes a repository.
  const roots = new Map<string, string>();
  const rootOf = (file: string): string => {
    const folder = path.dirname(file);
    let root = roots.get(folder);
    if (root === undefined) {
      root = repositoryRoot(file);
      roots.set(folder, root);
    }
    return root;
  };
  const files = withIncludedFiles(findFiles(command.paths), command.paths, rootOf, (file) => {
    try {
      return readInput(file, command.maxFileSize ?? DEFAULT_MAX_FILE_SIZE).text;
    } catch {
      return null;
    }
  });
  let fixedFiles = 0;
  let failing = false;
  // The registry client is loaded only for --resolve (see main.ts on lazy loading).
  const resolving = command.resolve ? { ...await import('./registry.js'), ...await import('./resolve.js'), ...await import('./resolvePipeline.js') } : null;
  const client = resolving ? resolving.cliRegistryClient(command.registry) : null;
  // Pipelines: images through the same client, `uses:` refs over git's smart HTTP (one cache for the run).
  const pipelinePinner = resolving && client ? new resolving.PipelinePinner(client, resolving.cliGitTransport(command.registry), command.gitHubUrl ?? 'https://github.com') : null;
  try {
    await output.write(reporter.begin());
    for (const file of files) {
      // One file that cannot be linted (unreadable, a broken team file for its folder, a fix that cannot
      // be written) is reported and the run goes on: the report stays a whole document, the exit code 2.
      try {
        // Found by the walk but not lintable (a broken symlink, an unreadable folder): said where it stands.
        if (file.problem) throw new InputError(file.problem);
        await lintOneFile(file);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const relativePath = toPosix(path.relative(cwd, path.resolve(file.path)));
        stderr(`container-guard: ${file.path}: ${message}`);
        ruleFailures.push({ relativePath, error: message });
      }
    }
    await output.write(reporter.end({ files: linted, fixedFiles, ...(command.resolve ? { pins } : {}), ruleFailures }));
  } finally {
    client?.dispose();
    pipelinePinner?.dispose();
    await output.close();
  }
  // A rule that failed leaves its findings out: the run cannot pass, whatever --no-fail says.
  if (ruleFailures.some((failure) => failure.level !== 'warning')) return EXIT_ERROR;
  return failing && !command.noFail ? EXIT_FINDINGS : EXIT_CLEAN;

  async function lintOneFile(file: (typeof files)[number]): Promise<void> {
    const absolute = path.resolve(file.path);
    const { settings, base } = resolver.forFile(absolute);
    if (isIgnored(toPosix(path.relative(base, absolute)), settings)) return;
    const relativePath = toPosix(path.relative(cwd, absolute));
    let input: ReturnType<typeof readInput>;
    try {
      input = readInput(absolute, command.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
    } catch (error) {
      // A file only its content could have made lintable (any YAML) is no report's business if unreadable.
      if (file.byContent) return;
      throw error;
    }
    let text = input.text;
    const kind = documentKind(file.kind);
    const readRelated = kind.readsRelatedFiles ? relatedReader(rootOf(absolute), { document: absolute }) : undefined;
    // Recognised by its content only: the model is built once, to recognise the file and to lint it.
    let recognised: { text: string; model: unknown } | null = null;
    if (file.byContent) {
      const model = kind.buildModel(createDocument(text), absolute, readRelated);
      if (kind.recognisesModel && !kind.recognisesModel(model)) return;
      recognised = { text, model };
    }
    // A file linted anyway (invalid UTF-8) or left unfixed (read-only): a warning line, the run goes on.
    const warn = (message: string): void => {
      stderr(`container-guard: ${file.path}: warning: ${message}`);
      ruleFailures.push({ relativePath, error: message, level: 'warning' });
    };
    if (input.warning) warn(input.warning);
    // Writing back text decoded with U+FFFD would destroy the bytes it stands for.
    const writable = !input.warning;
    // Dockerfiles (FROM) and pipelines (images, uses:) name what can be pinned; nuget.config is linted as it is.
    if (resolving && client && (file.kind === 'dockerfile' || (file.kind === 'pipeline' && pipelinePinner))) {
      const result = file.kind === 'dockerfile' ? await resolving.pinBaseImages(text, client) : await pipelinePinner!.pin(text, absolute, settings);
      for (const pin of result.pinned) {
        pins.pinned.push({ file: relativePath, ...pin });
        stderr(`${relativePath}:${pin.line}: pinned ${pin.image} to ${'to' in pin ? String(pin.to) : `${pin.image}@${pin.digest}`}`);
      }
      for (const miss of result.unresolved) {
        pins.unresolved.push({ file: relativePath, ...miss });
        stderr(`${relativePath}:${miss.line}: left ${miss.image} as it is: cannot resolve it (${miss.reason})`);
      }
      if (result.text !== text && writable) {
        const problem = writeFixed(absolute, result.text, input.encoding);
        if (problem) warn(problem);
        else text = result.text;
      }
    }
    if (command.fix) {
      const fixed = fixAllToFixpoint(text, file.kind, settings, { path: absolute, ...(file.includedAs ? { includedAs: file.includedAs } : {}) });
      if (fixed.text !== text && writable) {
        const problem = writeFixed(absolute, fixed.text, input.encoding);
        if (problem) {
          warn(problem);
        } else {
          text = fixed.text;
          fixedFiles++;
        }
      }
    }
    const options = { path: absolute, ...(readRelated ? { readRelated } : {}), ...(file.includedAs ? { includedAs: file.includedAs } : {}) };
    const result = recognised && recognised.text === text ? lintModel(kind, recognised.model, settings, options) : lintText(text, file.kind, settings, options);
    linted++;
    for (const { ruleId, error } of result.ruleErrors) {
      const [message, ...stack] = error.split('\n');
      stderr(`container-guard: rule ${ruleId} failed on ${file.path}: ${message}`, stack.join('\n'));
      ruleFailures.push({ relativePath, ruleId, error });
    }
    if (!failing) failing = result.findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[command.threshold]);
    await output.write(reporter.file({ relativePath, findings: result.findings, ruleErrors: result.ruleErrors }));
    io.afterFile?.();
  }
}

/**
 * Writes a fixed file in the encoding it was read in, to the file a symlink points at (the link stays a
 * link), keeping its mode and owner. Returns why it was not written (a read-only file: left alone), or
 * throws InputError when writing failed.
 *
 * Normally a temporary file beside the target is renamed over it: a crash never leaves half a Dockerfile.
 * A file with several hard links is written in place instead: a rename would give this name a new inode
 * and leave the other links with the unfixed text. That write is not atomic (a crash in the middle can
 * leave it truncated); keeping the links was judged the lesser risk for files this small.
 */
function writeFixed(file: string, text: string, encoding: TextEncoding): string | null {
  const failed = (error: unknown): InputError => new InputError(`cannot write the fixed file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  let target: string;
  let stat: fs.Stats;
  try {
    target = fs.realpathSync(file);
    stat = fs.statSync(target);
  } catch (error) {
    throw failed(error);
  }
  // Checked on the mode, not with access(): root may write anything, but a read-only file says "leave me".
  if ((stat.mode & 0o222) === 0) return 'read-only: --fix left it as it is';
  const bytes = encode(text, encoding);
  if (stat.nlink > 1) {
    try {
      fs.writeFileSync(target, bytes);
    } catch (error) {
      throw failed(error);
    }
    return null;
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.container-guard-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, bytes, { mode: stat.mode & 0o7777, flag: 'wx' });
    // writeFileSync's mode is filtered by the umask; the fixed file keeps exactly the original mode.
    fs.chmodSync(temporary, stat.mode & 0o7777);
    try {
      fs.chownSync(temporary, stat.uid, stat.gid);
    } catch {
      // Only root may give a file away; otherwise the owner is the user running --fix, as with any editor.
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw failed(error);
  }
  return null;
}

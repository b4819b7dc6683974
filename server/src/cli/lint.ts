// `container-guard lint`: reads, lints and reports one file at a time (in sorted path order), so the
// memory a run needs does not grow with the number of files; see report.ts for the streamed formats.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAllToFixpoint, lintText } from '../engine/lint';
import { isIgnored, mergeSettings, type EngineSettings } from '../engine/settings';
import { loadShellGrammars } from '../engine/shell/treeSitter';
import { SEVERITY_ORDER } from '../engine/types';
import { findTeamConfig, loadTeamConfig } from '../node/teamConfigFile';
import type { LintCommand } from './args';
import { fileOutput, stdoutOutput, type ReportOutput } from './output';
import { reporterFor, type PinReport, type RuleFailure } from './report';
import { safeLine, safeLines } from './safeText';
import { findFiles, InputError } from './walk';

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
  private readonly byDirectory = new Map<string, string | null>();

  constructor(private readonly explicitConfig: string | null) {
    if (explicitConfig && !fs.existsSync(explicitConfig)) throw new ConfigError(`${explicitConfig}: no such configuration file`);
  }

  forFile(absolute: string): FileSettings {
    const directory = path.dirname(absolute);
    let file = this.explicitConfig;
    if (!file) {
      if (!this.byDirectory.has(directory)) this.byDirectory.set(directory, findTeamConfig(directory));
      file = this.byDirectory.get(directory) ?? null;
    }
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
  // Only the paths are collected up front (sorted, whatever order the folders list them in).
  const files = findFiles(command.paths);
  const output = command.output ? fileOutput(command.output) : io.stdout ?? stdoutOutput();
  const reporter = reporterFor(command.format, cwd);
  const ruleFailures: RuleFailure[] = [];
  const pins: PinReport = { pinned: [], unresolved: [] };
  let linted = 0;
  let fixedFiles = 0;
  let failing = false;
  // The registry client is loaded only for --resolve (see main.ts on lazy loading).
  const resolving = command.resolve ? { ...await import('./registry.js'), ...await import('./resolve.js') } : null;
  const client = resolving ? resolving.cliRegistryClient(command.registry) : null;
  try {
    await output.write(reporter.begin());
    for (const file of files) {
      // One file that cannot be linted (unreadable, a broken team file for its folder, a fix that cannot
      // be written) is reported and the run goes on: the report stays a whole document, the exit code 2.
      try {
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
    await output.close();
  }
  // A rule that failed leaves its findings out: the run cannot pass, whatever --no-fail says.
  if (ruleFailures.length > 0) return EXIT_ERROR;
  return failing && !command.noFail ? EXIT_FINDINGS : EXIT_CLEAN;

  async function lintOneFile(file: (typeof files)[number]): Promise<void> {
    const absolute = path.resolve(file.path);
    const { settings, base } = resolver.forFile(absolute);
    if (isIgnored(toPosix(path.relative(base, absolute)), settings)) return;
    const relativePath = toPosix(path.relative(cwd, absolute));
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    // Only Dockerfiles name images to pin; other kinds are linted as they are.
    if (resolving && client && file.kind === 'dockerfile') {
      const result = await resolving.pinBaseImages(text, client);
      for (const pin of result.pinned) {
        pins.pinned.push({ file: relativePath, ...pin });
        stderr(`${relativePath}:${pin.line}: pinned ${pin.image} to ${pin.image}@${pin.digest}`);
      }
      for (const miss of result.unresolved) {
        pins.unresolved.push({ file: relativePath, ...miss });
        stderr(`${relativePath}:${miss.line}: left ${miss.image} as it is: cannot resolve it (${miss.reason})`);
      }
      if (result.text !== text) {
        writeAtomically(absolute, result.text);
        text = result.text;
      }
    }
    if (command.fix) {
      const fixed = fixAllToFixpoint(text, file.kind, settings, { path: absolute });
      if (fixed.text !== text) {
        writeAtomically(absolute, fixed.text);
        text = fixed.text;
        fixedFiles++;
      }
    }
    const result = lintText(text, file.kind, settings, { path: absolute });
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

/** Write to a temporary file beside the target, then rename: a crash never leaves half a Dockerfile. */
function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.container-guard-${process.pid}.tmp`);
  const mode = fs.statSync(file).mode;
  try {
    fs.writeFileSync(temporary, text, { mode });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new InputError(`${file}: cannot write the fixed file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

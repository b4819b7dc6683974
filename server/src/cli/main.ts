// `container-guard`: the engine on the command line, for CI. Same rules, settings and fixes as the editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAllToFixpoint, lintText } from '../engine/lint';
import { ALL_RULES } from '../engine/rules/index';
import { isIgnored, mergeSettings, type EngineSettings } from '../engine/settings';
import { loadShellGrammars } from '../engine/shell/treeSitter';
import { SEVERITY_ORDER, type Finding, type Severity } from '../engine/types';
import { findTeamConfig, loadTeamConfig } from '../node/teamConfigFile';
import { parseCommandLine, USAGE, UsageError, type LintCommand } from './args';
import { cliRegistryClient } from './registry';
import { pinBaseImages, type Pin, type Unresolved } from './resolve';
import { toSarif, type FileReport } from './sarif';
import { verify } from './verify';
import { TOOL_VERSION } from './version';
import { findFiles, InputError } from './walk';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`container-guard: ${error.message}\n\n${USAGE}`);
      return EXIT_ERROR;
    }
    throw error;
  }
  switch (command.command) {
    case 'help':
      process.stdout.write(USAGE);
      return EXIT_CLEAN;
    case 'version':
      process.stdout.write(`container-guard ${TOOL_VERSION}\n`);
      return EXIT_CLEAN;
    case 'rules':
      printRules(command.format);
      return EXIT_CLEAN;
    case 'verify':
      try {
        return await verify(command);
      } catch (error) {
        if (error instanceof InputError) {
          process.stderr.write(`container-guard: ${error.message}\n`);
          return EXIT_ERROR;
        }
        throw error;
      }
    case 'lint':
      try {
        return await lint(command);
      } catch (error) {
        if (error instanceof InputError || error instanceof ConfigError) {
          process.stderr.write(`container-guard: ${error.message}\n`);
          return EXIT_ERROR;
        }
        throw error;
      }
  }
}

class ConfigError extends Error {}

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

interface PinReport {
  pinned: Array<Pin & { file: string }>;
  unresolved: Array<Unresolved & { file: string }>;
}

async function lint(command: LintCommand): Promise<number> {
  // The shell front ends parse with tree-sitter (WebAssembly, loaded asynchronously) before any lint.
  await loadShellGrammars();
  const resolver = new SettingsResolver(command.config);
  const cwd = process.cwd();
  const reports: FileReport[] = [];
  let fixedFiles = 0;
  const pins: PinReport = { pinned: [], unresolved: [] };
  const client = command.resolve ? cliRegistryClient(command.registry) : null;
  try {
    for (const file of findFiles(command.paths)) {
      const absolute = path.resolve(file.path);
      const { settings, base } = resolver.forFile(absolute);
      if (isIgnored(toPosix(path.relative(base, absolute)), settings)) continue;
      let text: string;
      try {
        text = fs.readFileSync(absolute, 'utf8');
      } catch (error) {
        throw new InputError(`${file.path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      // Only Dockerfiles name images to pin; other kinds are linted as they are.
      if (client && file.kind === 'dockerfile') {
        const relative = toPosix(path.relative(cwd, absolute));
        const result = await pinBaseImages(text, client);
        for (const pin of result.pinned) {
          pins.pinned.push({ file: relative, ...pin });
          process.stderr.write(`${relative}:${pin.line}: pinned ${pin.image} to ${pin.image}@${pin.digest}\n`);
        }
        for (const miss of result.unresolved) {
          pins.unresolved.push({ file: relative, ...miss });
          process.stderr.write(`${relative}:${miss.line}: left ${miss.image} as it is: cannot resolve it (${miss.reason})\n`);
        }
        if (result.text !== text) {
          writeAtomically(absolute, result.text);
          text = result.text;
        }
      }
      if (command.fix) {
        const fixed = fixAllToFixpoint(text, file.kind, settings);
        if (fixed.text !== text) {
          writeAtomically(absolute, fixed.text);
          text = fixed.text;
          fixedFiles++;
        }
      }
      const result = lintText(text, file.kind, settings);
      for (const { ruleId, error } of result.ruleErrors) process.stderr.write(`container-guard: rule ${ruleId} failed on ${file.path}: ${error}\n`);
      reports.push({ relativePath: toPosix(path.relative(cwd, absolute)), findings: result.findings });
    }
  } finally {
    client?.dispose();
  }

  const output = render(command, reports, cwd, fixedFiles, pins);
  if (command.output) {
    try {
      fs.writeFileSync(command.output, output);
    } catch (error) {
      throw new InputError(`${command.output}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  } else {
    process.stdout.write(output);
  }
  const failing = reports.some((r) => r.findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[command.threshold]));
  return failing && !command.noFail ? EXIT_FINDINGS : EXIT_CLEAN;
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

function render(command: LintCommand, reports: FileReport[], cwd: string, fixedFiles: number, pins: PinReport): string {
  switch (command.format) {
    case 'sarif':
      return `${JSON.stringify(toSarif(reports, cwd), null, 2)}\n`;
    case 'json':
      return `${JSON.stringify({
        version: TOOL_VERSION,
        files: reports.length,
        fixedFiles,
        ...(command.resolve ? { pinned: pins.pinned, unresolved: pins.unresolved } : {}),
        findings: reports.flatMap((r) => r.findings.map((f) => jsonFinding(r.relativePath, f))),
      }, null, 2)}\n`;
    case 'text':
      return textReport(reports, fixedFiles);
  }
}

function jsonFinding(file: string, finding: Finding): object {
  return {
    file,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    severity: finding.severity,
    ruleId: finding.ruleId,
    message: finding.message,
    fixable: finding.fixes.some((fix) => fix.safeForFixAll),
  };
}

function textReport(reports: FileReport[], fixedFiles: number): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    for (const finding of report.findings) {
      counts[finding.severity]++;
      lines.push(`${report.relativePath}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.severity} [${finding.ruleId}] ${finding.message}`);
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const fixable = reports.reduce((n, r) => n + r.findings.filter((f) => f.fixes.some((x) => x.safeForFixAll)).length, 0);
  lines.push('');
  lines.push(`${total} finding${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info, ${counts.hint} hint) in ${reports.length} file${reports.length === 1 ? '' : 's'}`
    + (fixable > 0 ? `; ${fixable} fixable with --fix` : '')
    + (fixedFiles > 0 ? `; fixed ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}` : ''));
  return `${lines.join('\n')}\n`;
}

function printRules(format: 'text' | 'json'): void {
  const rows = ALL_RULES.map((rule) => rule.meta);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  for (const meta of rows) {
    process.stdout.write(`${meta.id.padEnd(30)} ${meta.defaultSeverity.padEnd(8)} ${meta.cwe.map((c) => `CWE-${c}`).join(',').padEnd(9)} ${meta.title.replace(/`/g, '')}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`container-guard: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);

// Command-line parsing with node:util's parseArgs (no hand-written option parser).
import { parseArgs } from 'node:util';
import type { Severity } from '../engine/types';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface LintCommand {
  command: 'lint';
  paths: string[];
  format: OutputFormat;
  fix: boolean;
  config: string | null;
  threshold: Severity;
  output: string | null;
  /** Exit 0 even with findings (for demos and report-only CI steps); errors still exit 2. */
  noFail: boolean;
}

export type Command = LintCommand | { command: 'help' } | { command: 'version' } | { command: 'rules'; format: 'text' | 'json' };

export class UsageError extends Error {}

export const USAGE = `Usage: container-guard <command> [options]

Commands:
  lint [paths...]     Lint Dockerfiles (files or folders; default: the current folder)
  rules               List the rules with their ids, severities and CWEs
  help, --help        Show this help
  --version           Print the version

lint options:
  --format <text|json|sarif>    Output format (default: text)
  --output <file>               Write the report to a file instead of standard output
  --fix                         Apply all safe fixes in place (atomically per file), then report what is left
  --config <file>               Team settings file (default: the nearest .container-guard.yaml from the current folder up)
  --threshold <error|warning|info|hint>
                                Lowest severity that makes the exit code 1 (default: warning)
  --no-fail                     Exit 0 even when there are findings (errors still exit 2)

Exit codes: 0 no findings at or above the threshold, 1 findings at or above it, 2 usage, configuration or I/O error.
`;

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const THRESHOLDS: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export function parseCommandLine(argv: string[]): Command {
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv[0] === '--version' || argv[0] === 'version') return { command: 'version' };
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        fix: { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        threshold: { type: 'string' },
        'no-fail': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (command === 'rules') {
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`rules: --format must be text or json, not "${format}"`);
    return { command: 'rules', format };
  }
  if (command !== 'lint') throw new UsageError(`unknown command "${command}" (expected lint or rules)`);
  const format = (values.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const threshold = (values.threshold ?? 'warning') as Severity;
  if (!THRESHOLDS.includes(threshold)) throw new UsageError(`--threshold must be one of ${THRESHOLDS.join(', ')}, not "${values.threshold}"`);
  return {
    command: 'lint',
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    fix: values.fix ?? false,
    config: values.config ?? null,
    threshold,
    output: values.output ?? null,
    noFail: values['no-fail'] ?? false,
  };
}

// `container-guard`: the engine on the command line, for CI. Same rules, settings and fixes as the editor.
import { ALL_RULES } from '../engine/rules/index';
import { parseCommandLine, USAGE, UsageError } from './args';
import { ConfigError, EXIT_CLEAN, EXIT_ERROR, lint } from './lint';
import { heapBudget, tuneForBatch } from './memory';
import { safeLines } from './safeText';
import { TOOL_VERSION } from './version';
import { InputError } from './walk';

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
        // Loaded only when asked for: the registry and signature code (Sigstore, PKI, HTTP) is most of
        // the bundle and would otherwise be parsed and initialised on every lint run.
        const { verify } = await import('./verify.js');
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
        tuneForBatch();
        return await lint(command, { afterFile: heapBudget() });
      } catch (error) {
        if (error instanceof InputError || error instanceof ConfigError) {
          // Paths and configuration problems quote what the repository holds (see safeText.ts).
          process.stderr.write(`${safeLines(`container-guard: ${error.message}`)}\n`);
          return EXIT_ERROR;
        }
        throw error;
      }
  }
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

// `container-guard rules | head`: a reader that stops early closes the pipe; stop quietly, as `cat` does,
// instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`container-guard: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);

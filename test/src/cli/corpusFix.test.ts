// Fix-all on every real-world corpus Dockerfile, through the CLI: the result still parses, keeps every
// original line (fixes only add or change tokens), and a second `--fix` changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';

const repo = path.resolve(__dirname, '../../..');
const corpus = path.resolve(repo, '../shared/corpus');

function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(root, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/**
 * Every line of `before` appears in `after`, in order: fixes insert lines or extend them. FROM lines are
 * the exception (a retired image name is rewritten); their stage names are compared instead.
 */
function keepsLines(before: string, after: string): boolean {
  const stages = (text: string) => DockerfileParser.parse(text).getFROMs().map((from) => from.getBuildStage());
  if (JSON.stringify(stages(before)) !== JSON.stringify(stages(after))) return false;
  const isFrom = (line: string) => /^\s*FROM\s/i.test(line);
  const afterLines = after.split('\n').filter((line) => !isFrom(line));
  let at = 0;
  for (const line of before.split('\n').filter((l) => !isFrom(l))) {
    const core = line.trim();
    while (at < afterLines.length && !afterLines[at]!.includes(core)) at++;
    if (at === afterLines.length) return false;
    at++;
  }
  return true;
}

test('fix-all on every corpus Dockerfile: parses, loses nothing, idempotent', { skip: !fs.existsSync(corpus) && 'shared/corpus is absent', timeout: 300_000 }, (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-corpus-fix-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  for (const folder of ['dockerfiles-windows', 'dockerfiles-linux']) fs.cpSync(path.join(corpus, folder), path.join(work, folder), { recursive: true });
  // The shared corpus is read-only, and --fix leaves read-only files alone: make the copies writable.
  const writable = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      fs.chmodSync(full, entry.isDirectory() ? 0o755 : 0o644);
      if (entry.isDirectory()) writable(full);
    }
  };
  writable(work);
  fs.writeFileSync(path.join(work, '.container-guard.yaml'), 'ruleSet: strict\n');
  const before = snapshot(work);
  const cli = path.join(repo, 'dist', 'cli.js');
  const first = spawnSync(process.execPath, [cli, 'lint', '--fix', '--no-fail', '--format', 'json', '.'], { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(first.status, 0, first.stderr);
  const report = JSON.parse(first.stdout) as { files: number; fixedFiles: number };
  assert.ok(report.files > 500, `linted ${report.files} files`);
  // Fix-all renames retired image names to their MCR names (it never switches the user).
  assert.ok(report.fixedFiles > 30, `fixed ${report.fixedFiles} files`);
  const after = snapshot(work);
  for (const [file, text] of after) {
    const original = before.get(file)!;
    if (text === original) continue;
    assert.ok(keepsLines(original, text), `${file}: a fix dropped user content`);
    const parsed = DockerfileParser.parse(text);
    assert.ok(parsed.getInstructions().length >= DockerfileParser.parse(original).getInstructions().length, `${file}: fewer instructions after fixing`);
  }
  const second = spawnSync(process.execPath, [cli, 'lint', '--fix', '--no-fail', '--format', 'json', '.'], { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(second.status, 0, second.stderr);
  assert.equal((JSON.parse(second.stdout) as { fixedFiles: number }).fixedFiles, 0);
  assert.deepEqual(snapshot(work), after, 'a second --fix changed files');
});

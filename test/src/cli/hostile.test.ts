// A hostile repository and the CLI (issue 14): document text and file names that try to forge CI
// workflow commands or terminal escapes, and files that are not what their names say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist', 'cli.js');

function run(args: string[], cwd: string, timeout = 60_000): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout });
  assert.equal(result.error, undefined, `the CLI did not finish: ${String(result.error)}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFolder(t: { after: (fn: () => void) => void }, prefix: string): string {
  const directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.after(() => fs.rmSync(directory, { recursive: true, force: true }));
  return directory;
}

// What a source key may hold: a line break followed by GitHub and Azure workflow commands, a carriage
// return, ESC (clear screen), CSI as a C1 control, a right-to-left override, a line separator.
const FORGED_KEY = 'feed&#10;::error file=x.cs,line=1::forged&#13;  ::add-mask::x&#10;##vso[task.complete result=Succeeded]&#27;[2J&#x9b;31m&#x202e;txe.exe&#x2028;##[error]x';
const FORGED_KEY_TEXT = 'feed\n::error file=x.cs,line=1::forged\r  ::add-mask::x\n##vso[task.complete result=Succeeded]\u001b[2J\u009b31m\u202etxe.exe\u2028##[error]x';
const FORGED_CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="${FORGED_KEY}" value="http://feed.example.com/v3/index.json" />
  </packageSources>
</configuration>
`;
/** A folder name that is a workflow command on its own, and one with a line break in it. */
const FORGED_FOLDERS = ['::error file=y::folder', 'a\n::warning::folder'];

/** Characters that must never reach a report raw. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function assertNoForgedLine(output: string, what: string): void {
  assert.doesNotMatch(output, RAW, `${what}: a raw control, separator or bidi character`);
  for (const line of output.split('\n')) {
    assert.doesNotMatch(line, /^\s*::/, `${what}: a line that GitHub reads as a workflow command: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /##(vso)?\[/i, `${what}: an Azure Pipelines logging command: ${JSON.stringify(line)}`);
  }
}

function forgedRepository(t: { after: (fn: () => void) => void }): string {
  const directory = tempFolder(t, 'cg-forge-');
  fs.writeFileSync(path.join(directory, 'nuget.config'), FORGED_CONFIG);
  for (const folder of FORGED_FOLDERS) {
    fs.mkdirSync(path.join(directory, folder));
    fs.writeFileSync(path.join(directory, folder, 'Dockerfile'), 'FROM ubuntu\n');
  }
  return directory;
}

test('text output: document text and file names cannot start a workflow command or reach the terminal raw', (t) => {
  const directory = forgedRepository(t);
  const { code, stdout, stderr } = run(['lint', '.'], directory);
  assert.equal(code, 1, stderr);
  assertNoForgedLine(stdout, 'stdout');
  assertNoForgedLine(stderr, 'stderr');
  // Still readable: the key is there, escaped, on the finding's own line.
  assert.match(stdout, /^nuget\.config:\d+:\d+: warning \[nuget-sources-not-cleared\] .*"feed\\n::error file=x\.cs,line=1::forged\\r  ::add-mask::x\\n\\x23#vso\[task\.complete result=Succeeded\]\\x1b\[2J\\x9b31m\\u202etxe\.exe\\u2028\\x23#\[error\]x"/m);
  assert.match(stdout, /^\.\/::error file=y::folder\/Dockerfile:1:\d+: /m, 'a path that starts with :: is shown as ./…');
  assert.match(stdout, /^a\\n::warning::folder\/Dockerfile:1:\d+: /m);
});

test('JSON and SARIF: the same text, escaped by JSON (C1, separators and bidi too), reads back unchanged', (t) => {
  const directory = forgedRepository(t);
  const json = run(['lint', '--format', 'json', '.'], directory);
  assertNoForgedLine(json.stdout, 'json');
  const report = JSON.parse(json.stdout) as { findings: Array<{ file: string; ruleId: string; message: string }> };
  assert.ok(report.findings.some((f) => f.ruleId === 'nuget-sources-not-cleared' && f.message.includes(`"${FORGED_KEY_TEXT}"`)));
  assert.deepEqual([...new Set(report.findings.map((f) => f.file))].sort(), [...FORGED_FOLDERS.map((f) => `${f}/Dockerfile`), 'nuget.config'].sort());

  const sarif = run(['lint', '--format', 'sarif', '.'], directory);
  assertNoForgedLine(sarif.stdout, 'sarif');
  const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }> };
  assert.ok(log.runs[0]!.results.some((r) => r.ruleId === 'nuget-sources-not-cleared' && r.message.text.includes(`"${FORGED_KEY_TEXT}"`)));
});

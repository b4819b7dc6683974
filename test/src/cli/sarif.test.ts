// The CLI's streamed reports, in process: the streamed JSON/SARIF text is the one-shot document, files
// come in path order, every file is written as soon as it is linted, and a rule that throws fails the
// run (exit code 2) while the other findings are still reported (SARIF: toolExecutionNotifications).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { LintCommand } from '../../../server/out/cli/args';
import { StreamedJsonArray } from '../../../server/out/cli/jsonStream';
import { lint } from '../../../server/out/cli/lint';
import type { ReportOutput } from '../../../server/out/cli/output';
import { reporterFor } from '../../../server/out/cli/report';
import { toSarif, type FileReport } from '../../../server/out/cli/sarif';
import { ALL_RULES } from '../../../server/out/engine/rules/index';
import type { Rule } from '../../../server/out/engine/rules/rule';

const repo = path.resolve(__dirname, '../../..');
const VALIDATOR = path.join(repo, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
const SCHEMA = path.join(repo, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'sarif-2.1.0.json');

const SERVER_CORE = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nRUN echo hi\nCMD ["app.exe"]\n';
const LINUX = 'FROM ubuntu:24.04\nRUN curl -fsSL -o /tmp/x.sh https://example.com/x.sh && sh /tmp/x.sh\n';

function command(paths: string[], overrides: Partial<LintCommand> = {}): LintCommand {
  return {
    command: 'lint', paths, format: 'text', fix: false, config: null, threshold: 'warning', output: null,
    noFail: false, resolve: false, registry: { plainHttp: [], caCerts: [] }, ...overrides,
  };
}

/** Captures what lint() writes, one entry per write. */
function capture(): { output: ReportOutput; chunks: string[] } {
  const chunks: string[] = [];
  return { chunks, output: { write: async (text) => { chunks.push(text); }, close: async () => undefined } };
}

function tempFolder(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-stream-')));
  t.after(() => fs.rmSync(directory, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    fs.writeFileSync(path.join(directory, name), text);
  }
  return directory;
}

/** Runs lint() with the working directory set to `cwd` (report paths are relative to it). */
async function lintIn(cwd: string, cmd: LintCommand): Promise<{ code: number; text: string; chunks: string[]; stderr: string }> {
  const previous = process.cwd();
  const { output, chunks } = capture();
  let stderr = '';
  process.chdir(cwd);
  try {
    const code = await lint(cmd, { stdout: output, stderr: (text) => { stderr += text; } });
    return { code, text: chunks.join(''), chunks, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** Makes one rule throw for the duration of a test. */
function breakRule(t: { after: (fn: () => void) => void }, ruleId: string): void {
  const rule = ALL_RULES.find((r) => r.meta.id === ruleId) as Rule & { check: (...args: unknown[]) => void };
  assert.ok(rule, `no rule ${ruleId}`);
  const original = rule.check;
  rule.check = () => { throw new Error(`boom in ${ruleId}`); };
  t.after(() => { rule.check = original; });
}

test('a streamed JSON array reads exactly like JSON.stringify of the whole document', () => {
  const skeleton = (findings: unknown) => ({ version: '1', nested: { a: [1, { b: 2 }], findings } });
  for (const items of [[], [{ x: 1 }], [{ x: 1, y: [1, 2] }, 'two', null, { z: { deep: true } }]]) {
    const stream = new StreamedJsonArray(skeleton);
    let text = stream.begin();
    for (const item of items) text += stream.item(item);
    text += stream.end({ files: 3, list: [1] });
    const expected = { version: '1', nested: { a: [1, { b: 2 }], findings: items, files: 3, list: [1] } };
    assert.equal(text, `${JSON.stringify(expected, null, 2)}\n`);
  }
  assert.throws(() => new StreamedJsonArray((hole) => ({ a: hole, b: 1 })), /last member/);
});

test('streamed SARIF is the one-shot SARIF document, file by file', () => {
  const finding = (line: number, ruleId: string) => ({
    ruleId, severity: 'warning' as const, message: `m${line}`,
    range: { start: { line, character: 0 }, end: { line, character: 4 } },
    fixes: [{ title: 'fix', safeForFixAll: true, edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: 'x' }] }],
  });
  const reports: FileReport[] = [
    { relativePath: 'a/Dockerfile', findings: [finding(0, 'privileged-user'), finding(2, 'base-image-latest')] },
    { relativePath: 'b/Dockerfile', findings: [] },
    { relativePath: 'c d/Dockerfile', findings: [finding(1, 'privileged-user')] },
  ];
  const failures = [{ relativePath: 'b/Dockerfile', ruleId: 'privileged-user', error: 'Error: boom\n    at x' }];
  const reporter = reporterFor('sarif', repo);
  let text = reporter.begin();
  for (const report of reports) text += reporter.file({ ...report, ruleErrors: [] });
  text += reporter.end({ files: 3, fixedFiles: 0, ruleFailures: failures });
  assert.deepEqual(JSON.parse(text), toSarif(reports, repo, failures));
});

test('lint writes every file as soon as it is linted, in path order whatever order the folder lists', async (t) => {
  // Created out of order; the report must list them sorted by path, folder by folder.
  const names = ['z/Dockerfile', 'a-b/Dockerfile', 'a/Dockerfile', 'M/Dockerfile', 'a/sub/Dockerfile', 'b.Dockerfile'];
  const directory = tempFolder(t, Object.fromEntries(names.map((name) => [name, SERVER_CORE])));
  const { code, chunks } = await lintIn(directory, command(['.'], { format: 'json' }));
  assert.equal(code, 1);
  // begin, one chunk per file, end: nothing is held back until the end.
  assert.equal(chunks.length, names.length + 2);
  const report = JSON.parse(chunks.join('')) as { files: number; findings: Array<{ file: string }>; ruleErrors: unknown[] };
  assert.equal(report.files, names.length);
  assert.deepEqual(report.ruleErrors, []);
  const files = [...new Set(report.findings.map((f) => f.file))];
  assert.deepEqual(files, ['M/Dockerfile', 'a/Dockerfile', 'a/sub/Dockerfile', 'a-b/Dockerfile', 'b.Dockerfile', 'z/Dockerfile']);
  for (const [index, name] of files.entries()) assert.ok(chunks[index + 1]!.includes(`"file": "${name}"`), `chunk ${index + 1} holds ${name}`);
});

test('a rule that throws: exit code 2 (even with --no-fail), the other findings still reported, a line per rule error', async (t) => {
  const directory = tempFolder(t, { 'win/Dockerfile': SERVER_CORE, 'linux/Dockerfile': LINUX });
  breakRule(t, 'privileged-user');

  const text = await lintIn(directory, command(['.'], { noFail: true }));
  assert.equal(text.code, 2);
  assert.match(text.text, /^win\/Dockerfile:1:43: info \[base-image-unpinned-digest\]/m, 'other rules still report');
  assert.doesNotMatch(text.text, /: (error|warning|info|hint) \[privileged-user\]/);
  for (const file of ['linux/Dockerfile', 'win/Dockerfile']) {
    assert.match(text.text, new RegExp(`^${file}: rule error \\[privileged-user\\] the rule failed, so its findings for this file are missing: Error: boom in privileged-user$`, 'm'));
  }
  assert.match(text.text, /; 2 rule errors \(findings may be missing\)\n$/);
  assert.match(text.stderr, /container-guard: rule privileged-user failed on .*Dockerfile: Error: boom in privileged-user\n\s+at /, 'the stack goes to stderr');

  const json = await lintIn(directory, command(['.'], { format: 'json' }));
  assert.equal(json.code, 2);
  const report = JSON.parse(json.text) as { findings: Array<{ ruleId: string }>; ruleErrors: Array<{ file: string; ruleId: string; message: string }> };
  assert.ok(report.findings.length > 0);
  assert.deepEqual(report.ruleErrors, [
    { file: 'linux/Dockerfile', ruleId: 'privileged-user', message: 'Error: boom in privileged-user' },
    { file: 'win/Dockerfile', ruleId: 'privileged-user', message: 'Error: boom in privileged-user' },
  ]);
});

test('a rule that throws shows in SARIF as an error notification of an unsuccessful invocation; the log stays valid', async (t) => {
  const directory = tempFolder(t, { 'win/Dockerfile': SERVER_CORE });
  breakRule(t, 'privileged-user');
  const file = path.join(directory, 'out.sarif');
  const { code } = await lintIn(directory, command(['win'], { format: 'sarif', output: file }));
  assert.equal(code, 2);
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  const run0 = log.runs[0];
  assert.ok(run0.results.length > 0, 'the other findings are there');
  assert.ok(run0.results.every((r: { ruleId: string }) => r.ruleId !== 'privileged-user'));
  const ruleIndex = run0.tool.driver.rules.findIndex((r: { id: string }) => r.id === 'privileged-user');
  assert.deepEqual(run0.invocations, [{
    executionSuccessful: false,
    toolExecutionNotifications: [{
      level: 'error',
      message: { text: 'Rule privileged-user failed on win/Dockerfile, so its findings for this file are missing: Error: boom in privileged-user' },
      descriptor: { id: 'privileged-user' },
      associatedRule: { id: 'privileged-user', index: ruleIndex },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'win/Dockerfile', uriBaseId: '%SRCROOT%' } } }],
    }],
  }]);

  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  assert.equal(validate(log), true, JSON.stringify(validate.errors?.slice(0, 3)));
  const output = `${file}.validation`;
  const checked = spawnSync(VALIDATOR, ['validate', file, '--json-schema', SCHEMA, '--output', output], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  const problems = (JSON.parse(fs.readFileSync(output, 'utf8')).runs[0].results as Array<{ level?: string; ruleId: string; message: unknown }>)
    .filter((p) => p.level === 'error').map((p) => `${p.ruleId} ${JSON.stringify(p.message)}`);
  assert.deepEqual(problems, []);
});

test('a clean run says so in SARIF: executionSuccessful true, no notifications', async (t) => {
  const directory = tempFolder(t, { Dockerfile: `FROM mcr.microsoft.com/windows/nanoserver:ltsc2025@sha256:${'a'.repeat(64)}\nCMD ["x.exe"]\n` });
  const { code, text } = await lintIn(directory, command(['.'], { format: 'sarif' }));
  assert.equal(code, 0);
  const run0 = JSON.parse(text).runs[0];
  assert.deepEqual(run0.results, []);
  assert.deepEqual(run0.invocations, [{ executionSuccessful: true }]);
});

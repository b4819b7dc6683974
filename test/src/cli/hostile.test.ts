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

// What source keys may hold (each short enough to be quoted whole, see excerpt.ts): a line break followed
// by GitHub and Azure workflow commands, a carriage return, ESC (clear screen), CSI as a C1 control, a
// right-to-left override, a line separator.
const FORGED_KEYS = [
  'a\n::error file=x.cs,line=1::forged',
  'b\r  ::add-mask::x',
  'c\n##vso[task.complete result=Succeeded]',
  'd\u001b[2J\u009b31m\u202etxe.exe\u2028##[error]x',
];
/** How the text report shows them. */
const SHOWN_KEYS = [
  'a\\n::error file=x.cs,line=1::forged',
  'b\\r  ::add-mask::x',
  'c\\n\\x23#vso[task.complete result=Succeeded]',
  'd\\x1b[2J\\x9b31m\\u202etxe.exe\\u2028\\x23#[error]x',
];
/** Written with XML character references, as a hostile nuget.config would. */
const xmlKey = (key: string): string => key.replace(/[^ -~]/g, (c) => `&#${c.codePointAt(0)};`);
const FORGED_CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
${FORGED_KEYS.map((key, i) => `    <add key="${xmlKey(key)}" value="http://feed${i}.example.com/v3/index.json" />`).join('\n')}
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
  // Still readable: each key is there, escaped, on its finding's own line.
  for (const shown of SHOWN_KEYS) {
    assert.ok(stdout.split('\n').some((line) => line.startsWith('nuget.config:') && line.includes('[nuget-http-source]') && line.includes(`"${shown}"`)), `${shown}\n${stdout}`);
  }
  assert.match(stdout, /^\.\/::error file=y::folder\/Dockerfile:1:\d+: /m, 'a path that starts with :: is shown as ./…');
  assert.match(stdout, /^a\\n::warning::folder\/Dockerfile:1:\d+: /m);
});

test('JSON and SARIF: the same text, escaped by JSON (C1, separators and bidi too), reads back unchanged', (t) => {
  const directory = forgedRepository(t);
  const json = run(['lint', '--format', 'json', '.'], directory);
  assertNoForgedLine(json.stdout, 'json');
  const report = JSON.parse(json.stdout) as { findings: Array<{ file: string; ruleId: string; message: string }> };
  for (const key of FORGED_KEYS) assert.ok(report.findings.some((f) => f.ruleId === 'nuget-http-source' && f.message.includes(`"${key}"`)), key);
  assert.deepEqual([...new Set(report.findings.map((f) => f.file))].sort(), [...FORGED_FOLDERS.map((f) => `${f}/Dockerfile`), 'nuget.config'].sort());

  const sarif = run(['lint', '--format', 'sarif', '.'], directory);
  assertNoForgedLine(sarif.stdout, 'sarif');
  const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }> };
  for (const key of FORGED_KEYS) assert.ok(log.runs[0]!.results.some((r) => r.ruleId === 'nuget-http-source' && r.message.text.includes(`"${key}"`)), key);
});

/** One line of stderr per file, naming it. */
function stderrLine(stderr: string, file: string): string {
  const line = stderr.split('\n').find((l) => l.startsWith(`container-guard: ${file}: `));
  assert.ok(line, `no line for ${file} in:\n${stderr}`);
  return line;
}

test('files that are not text: each reported in one line, never opened when not a file, the rest still linted, nothing hangs', (t) => {
  const directory = tempFolder(t, 'cg-hostile-');
  const made = (name: string): string => {
    fs.mkdirSync(path.join(directory, name), { recursive: true });
    return path.join(directory, name);
  };
  fs.writeFileSync(path.join(made('good'), 'Dockerfile'), 'FROM ubuntu\n');
  fs.writeFileSync(path.join(made('binary'), 'Dockerfile'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x46, 0x52, 0x4f, 0x4d]));
  const fifo = spawnSync('mkfifo', [path.join(made('fifo'), 'Dockerfile')]);
  assert.equal(fifo.status, 0, 'mkfifo');
  fs.symlinkSync('/dev/zero', path.join(made('device'), 'Dockerfile'));
  fs.symlinkSync('Dockerfile', path.join(made('loop'), 'Dockerfile'));
  fs.symlinkSync('missing', path.join(made('broken'), 'Dockerfile'));
  // 50 MB without writing 50 MB (sparse): the size alone settles it.
  const huge = path.join(made('huge'), 'Dockerfile');
  fs.writeFileSync(huge, 'FROM ubuntu\n');
  fs.truncateSync(huge, 50 * 1024 * 1024);
  fs.writeFileSync(path.join(made('linked'), 'target.txt'), 'FROM alpine\n');
  fs.symlinkSync('target.txt', path.join(directory, 'linked', 'Dockerfile'));

  const started = Date.now();
  const sarif = run(['lint', '--format', 'sarif', '.'], directory, 30_000);
  assert.ok(Date.now() - started < 30_000);
  assert.equal(sarif.code, 2, sarif.stderr);
  const expected: Record<string, RegExp> = {
    'binary/Dockerfile': /not linted: binary content \(a NUL byte at offset 6\)/,
    'fifo/Dockerfile': /not linted: a FIFO \(named pipe\), not a file/,
    'device/Dockerfile': /not linted: a device, not a file/,
    'loop/Dockerfile': /not linted: a symlink loop/,
    'broken/Dockerfile': /not linted: a broken symlink \(to missing\)/,
    'huge/Dockerfile': /not linted: 50 MB, over the 2 MB limit \(--max-file-size\)/,
  };
  for (const [file, message] of Object.entries(expected)) assert.match(stderrLine(sarif.stderr, file), message);
  const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>; invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> };
  const notifications = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
  assert.deepEqual(notifications.map((n) => n.message.text.split(' was not linted')[0]).sort(), Object.keys(expected).sort());
  assert.ok(notifications.every((n) => n.level === 'error'));
  const linted = new Set(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
  assert.deepEqual([...linted].sort(), ['good/Dockerfile', 'linked/Dockerfile'], 'the rest is linted; a symlink to a file is linted as that file');

  const json = JSON.parse(run(['lint', '--format', 'json', '.'], directory, 30_000).stdout) as { files: number; ruleErrors: Array<{ file: string; message: string }> };
  assert.equal(json.files, 2);
  assert.deepEqual(json.ruleErrors.map((e) => e.file).sort(), Object.keys(expected).sort());
  const text = run(['lint', '.'], directory, 30_000);
  assert.match(text.stdout, /in 2 files; 6 files not linted\n$/);
  // The limit is a flag.
  const raised = run(['lint', '--format', 'json', '--max-file-size', '10B', 'good'], directory);
  assert.match(stderrLine(raised.stderr, 'good/Dockerfile'), /not linted: 12 bytes, over the 10 bytes limit/);
  assert.equal(run(['lint', '--max-file-size', 'lots', 'good'], directory).code, 2);
});

test('UTF-16 (PowerShell\'s >) and UTF-8 with a BOM are decoded by their BOM; invalid UTF-8 is linted with a warning', (t) => {
  const directory = tempFolder(t, 'cg-encoding-');
  const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const utf16be = (text: string): Buffer => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  for (const folder of ['le', 'be', 'bom', 'latin1']) fs.mkdirSync(path.join(directory, folder));
  fs.writeFileSync(path.join(directory, 'le', 'Dockerfile'), utf16le('FROM ubuntu\r\nRUN echo hi\r\n'));
  fs.writeFileSync(path.join(directory, 'be', 'Dockerfile'), utf16be('FROM ubuntu\n'));
  fs.writeFileSync(path.join(directory, 'bom', 'Dockerfile'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('FROM ubuntu\n')]));
  fs.writeFileSync(path.join(directory, 'le', 'nuget.config'), utf16le('<?xml version="1.0" encoding="utf-16"?>\r\n<configuration>\r\n  <packageSources>\r\n    <add key="feed" value="http://feed.example.com/v3/index.json" />\r\n  </packageSources>\r\n</configuration>\r\n'));
  // Windows-1252: "é" is 0xE9, not UTF-8.
  fs.writeFileSync(path.join(directory, 'latin1', 'Dockerfile'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nFROM ubuntu\n')]));

  const { code, stdout, stderr } = run(['lint', '--format', 'json', '.'], directory);
  assert.equal(code, 1, stderr);
  const report = JSON.parse(stdout) as { files: number; findings: Array<{ file: string; ruleId: string; line: number; column: number }>; ruleErrors: unknown[]; warnings?: Array<{ file: string; message: string }> };
  assert.equal(report.files, 5);
  for (const file of ['le/Dockerfile', 'be/Dockerfile', 'bom/Dockerfile', 'latin1/Dockerfile']) {
    assert.ok(report.findings.some((f) => f.file === file && f.ruleId === 'base-image-latest'), `${file} linted`);
  }
  const nuget = report.findings.filter((f) => f.file === 'le/nuget.config').map((f) => f.ruleId);
  assert.ok(nuget.includes('nuget-http-source'), nuget.join());
  assert.ok(!nuget.includes('nuget-malformed-xml'), 'UTF-16 XML is not malformed');
  assert.deepEqual(report.ruleErrors, []);
  assert.deepEqual(report.warnings?.map((w) => w.file), ['latin1/Dockerfile']);
  assert.match(report.warnings![0]!.message, /not valid UTF-8 \(first invalid byte near offset 5\): linted with U\+FFFD/);
  assert.match(stderrLine(stderr, 'latin1/Dockerfile'), /warning: not valid UTF-8/);
  const sarif = JSON.parse(run(['lint', '--format', 'sarif', '.'], directory).stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string }> }> }> };
  assert.equal(sarif.runs[0]!.invocations[0]!.executionSuccessful, true, 'a warning does not fail the run');
  assert.deepEqual(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.level), ['warning']);
});

const FIXABLE = '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <clear />\n    <add key="nuget.org" value="http://www.nuget.org/api/v2/" />\n  </packageSources>\n</configuration>\n';
const FIXED = FIXABLE.replace('http://www.nuget.org', 'https://www.nuget.org');

test('--fix writes through a symlink to its target, keeps hard links, mode and encoding, and leaves read-only files alone', (t) => {
  const directory = tempFolder(t, 'cg-fix-');
  for (const folder of ['symlink', 'shared', 'hardlink', 'readonly', 'utf16']) fs.mkdirSync(path.join(directory, folder));
  // A symlink named nuget.config to a file elsewhere: the target is fixed, the link stays a link.
  const target = path.join(directory, 'shared', 'feeds.xml');
  fs.writeFileSync(target, FIXABLE, { mode: 0o640 });
  fs.chmodSync(target, 0o640);
  fs.symlinkSync('../shared/feeds.xml', path.join(directory, 'symlink', 'nuget.config'));
  // A hard link: both names see the fix.
  fs.writeFileSync(path.join(directory, 'hardlink', 'nuget.config'), FIXABLE);
  fs.linkSync(path.join(directory, 'hardlink', 'nuget.config'), path.join(directory, 'hardlink', 'other-name.xml'));
  // Read-only: reported, not written.
  fs.writeFileSync(path.join(directory, 'readonly', 'nuget.config'), FIXABLE);
  fs.chmodSync(path.join(directory, 'readonly', 'nuget.config'), 0o444);
  // UTF-16LE stays UTF-16LE.
  fs.writeFileSync(path.join(directory, 'utf16', 'nuget.config'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIXABLE, 'utf16le')]));

  const { stdout, stderr } = run(['lint', '--fix', '--format', 'json', '.'], directory);
  const report = JSON.parse(stdout) as { fixedFiles: number; warnings?: Array<{ file: string; message: string }>; ruleErrors: unknown[] };
  assert.equal(report.fixedFiles, 3, stderr);
  assert.deepEqual(report.ruleErrors, []);
  assert.ok(fs.lstatSync(path.join(directory, 'symlink', 'nuget.config')).isSymbolicLink(), 'still a symlink');
  assert.equal(fs.readFileSync(target, 'utf8'), FIXED);
  assert.equal(fs.statSync(target).mode & 0o777, 0o640, 'mode kept');
  assert.equal(fs.readFileSync(path.join(directory, 'hardlink', 'other-name.xml'), 'utf8'), FIXED, 'the other hard link sees the fix');
  assert.equal(fs.statSync(path.join(directory, 'hardlink', 'nuget.config')).nlink, 2);
  assert.equal(fs.readFileSync(path.join(directory, 'readonly', 'nuget.config'), 'utf8'), FIXABLE, 'read-only file untouched');
  assert.deepEqual(report.warnings, [{ file: 'readonly/nuget.config', message: 'read-only: --fix left it as it is' }]);
  assert.deepEqual(fs.readFileSync(path.join(directory, 'utf16', 'nuget.config')), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIXED, 'utf16le')]));
  for (const folder of ['symlink', 'shared', 'hardlink', 'readonly', 'utf16']) {
    assert.deepEqual(fs.readdirSync(path.join(directory, folder)).filter((name) => name.includes('container-guard')), [], 'no temporary files left');
  }
});

test('--fix leaves a file with invalid UTF-8 alone (writing U+FFFD back would destroy its bytes)', (t) => {
  const directory = tempFolder(t, 'cg-fix-latin1-');
  const bytes = Buffer.concat([Buffer.from('<!-- caf'), Buffer.from([0xe9]), Buffer.from(` -->\n${FIXABLE.slice(FIXABLE.indexOf('<configuration>'))}`)]);
  fs.writeFileSync(path.join(directory, 'nuget.config'), bytes);
  const report = JSON.parse(run(['lint', '--fix', '--format', 'json', '.'], directory).stdout) as { fixedFiles: number };
  assert.equal(report.fixedFiles, 0);
  assert.deepEqual(fs.readFileSync(path.join(directory, 'nuget.config')), bytes);
});

test('--output into a folder that does not exist: one line, exit 2', (t) => {
  const directory = tempFolder(t, 'cg-output-');
  fs.writeFileSync(path.join(directory, 'Dockerfile'), 'FROM ubuntu\n');
  const { code, stdout, stderr } = run(['lint', '--output', 'missing/report.sarif', '--format', 'sarif', '.'], directory);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.equal(stderr, 'container-guard: missing/report.sarif: cannot write: the folder missing does not exist\n');
});

test('XML entity declarations in nuget.config are never expanded or fetched: a local file they name never reaches any report', (t) => {
  const directory = tempFolder(t, 'cg-xxe-');
  const secret = path.join(directory, 'secret.txt');
  fs.writeFileSync(secret, 'XXE-MARKER-7f3a\n');
  const url = `file://${secret}`;
  const laughs = Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
  const configs: Record<string, string> = {
    'internal/nuget.config': `<?xml version="1.0"?>\n<!DOCTYPE configuration [\n  <!ENTITY xxe SYSTEM "${url}">\n  <!ENTITY lol0 "lol">\n${laughs}\n  <!ENTITY % remote SYSTEM "${url}"> %remote;\n]>\n<configuration><packageSources><add key="&xxe;" value="http://feed.example.com/&xxe;&lol9;" /></packageSources><config><add key="signatureValidationMode" value="&xxe;" /></config></configuration>\n`,
    'external/nuget.config': `<?xml version="1.0"?>\n<!DOCTYPE configuration SYSTEM "${url}">\n<configuration><packageSources><add key="&xxe;" value="http://feed.example.com/&xxe;" /></packageSources></configuration>\n`,
  };
  for (const [name, text] of Object.entries(configs)) {
    fs.mkdirSync(path.dirname(path.join(directory, name)));
    fs.writeFileSync(path.join(directory, name), text);
  }
  for (const format of ['text', 'json', 'sarif']) {
    const started = Date.now();
    const { code, stdout, stderr } = run(['lint', '--format', format, 'internal', 'external'], directory, 30_000);
    assert.ok(Date.now() - started < 30_000, 'no expansion');
    assert.equal(code, 1, stderr);
    assert.match(stdout, /nuget-malformed-xml/, 'reported as XML NuGet cannot read');
    assert.doesNotMatch(stdout + stderr, /XXE-MARKER/, format);
    assert.doesNotMatch(stdout, /lollol/, `${format}: no expansion`);
  }
});

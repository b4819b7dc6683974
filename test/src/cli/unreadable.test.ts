// Unreadable files and folders, in process. Tests run as root, for whom chmod 000 changes nothing, so the
// permission error is injected: fs.openSync and fs.readdirSync fail with EACCES for the chosen paths, as
// they would for another user. The run reports each in one line and lints the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LintCommand } from '../../../server/out/cli/args';
import { lint } from '../../../server/out/cli/lint';

function eacces(syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, ${syscall} '${file}'`), { code: 'EACCES', syscall, path: file });
}

test('an unreadable file and an unreadable folder: one line each, the rest linted, exit 2', async (t) => {
  const directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-unreadable-')));
  t.after(() => {
    t.mock.restoreAll();
    fs.rmSync(directory, { recursive: true, force: true });
  });
  for (const folder of ['locked', 'closed', 'open']) fs.mkdirSync(path.join(directory, folder));
  for (const folder of ['locked', 'open']) fs.writeFileSync(path.join(directory, folder, 'Dockerfile'), 'FROM ubuntu\n');
  fs.writeFileSync(path.join(directory, 'closed', 'Dockerfile'), 'FROM ubuntu\n');
  const lockedFile = path.join(directory, 'locked', 'Dockerfile');
  const closedFolder = path.join(directory, 'closed');

  // The module object itself (the compiled code reads its functions through it at call time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs = require('node:fs') as typeof fs;
  const { openSync, readdirSync } = nodeFs;
  t.mock.method(nodeFs, 'openSync', ((file: fs.PathLike, ...rest: unknown[]) => {
    if (String(file) === lockedFile) throw eacces('open', lockedFile);
    return (openSync as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync);
  t.mock.method(nodeFs, 'readdirSync', ((folder: fs.PathLike, ...rest: unknown[]) => {
    if (String(folder) === closedFolder) throw eacces('scandir', closedFolder);
    return (readdirSync as (...args: unknown[]) => unknown)(folder, ...rest);
  }) as typeof fs.readdirSync);

  const chunks: string[] = [];
  let stderr = '';
  const command: LintCommand = {
    command: 'lint', paths: [directory], format: 'json', fix: false, config: null, threshold: 'warning', output: null,
    noFail: false, resolve: false, registry: { plainHttp: [], caCerts: [] },
  };
  const code = await lint(command, { stdout: { write: async (text) => { chunks.push(text); }, close: async () => undefined }, stderr: (text) => { stderr += text; } });
  assert.equal(code, 2);
  const report = JSON.parse(chunks.join('')) as { files: number; findings: Array<{ file: string }>; ruleErrors: Array<{ file: string; message: string }> };
  assert.equal(report.files, 1);
  assert.ok(report.findings.every((f) => f.file.endsWith('open/Dockerfile')));
  assert.deepEqual(report.ruleErrors.map((e) => [e.file.endsWith('/closed') ? 'closed' : e.file.split('/').slice(-2).join('/'), e.message]).sort(), [
    ['closed', 'cannot read folder (EACCES)'],
    ['locked/Dockerfile', 'cannot read (EACCES)'],
  ].sort());
  assert.equal(stderr.trim().split('\n').length, 2, stderr);
});

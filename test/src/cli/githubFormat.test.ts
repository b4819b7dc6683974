// `--format github`: workflow annotations, escaped as GitHub's toolkit escapes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeGithubData, escapeGithubProperty, githubAnnotation } from '../../../server/out/cli/githubFormat';
import type { Finding } from '../../../server/out/engine/types';

const cli = path.resolve(__dirname, '../../..', 'dist', 'cli.js');

test('escaping: data %, CR, LF; properties also : and ,', () => {
  assert.equal(escapeGithubData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
  assert.equal(escapeGithubProperty('C:\\a,b%\n'), 'C%3A\\a%2Cb%25%0A');
  // A forged command cannot start a line, and other controls and Azure's ##vso[ are written visibly.
  const forged = escapeGithubData('x\n::add-mask::secret\u001b[31m ##vso[task.setvariable]');
  assert.ok(!/[\r\n\u001b]/.test(forged), forged);
  assert.ok(!forged.includes('##vso['), forged);
});

test('one annotation per finding with position, end and title', () => {
  const finding = {
    ruleId: 'base-image-latest', severity: 'warning', message: 'Pin the image: "latest", moves',
    range: { start: { line: 0, character: 5 }, end: { line: 0, character: 18 } }, fixes: [],
  } as unknown as Finding;
  assert.equal(githubAnnotation('sub,dir/Dockerfile', finding),
    '::warning file=sub%2Cdir/Dockerfile,line=1,col=6,endLine=1,endColumn=19,title=container-guard base-image-latest::Pin the image: "latest", moves');
  assert.match(githubAnnotation('D', { ...finding, severity: 'info' } as Finding), /^::notice /);
  assert.match(githubAnnotation('D', { ...finding, severity: 'error' } as Finding), /^::error /);
});

test('container-guard lint --format github on a Dockerfile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-github-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:latest\nRUN apk add curl && curl -fsSL https://get.example.com/i.sh | sh\n');
    const run = spawnSync(process.execPath, [cli, 'lint', '--format', 'github', 'Dockerfile'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    const annotations = lines.filter((line) => line.startsWith('::'));
    assert.ok(annotations.length >= 2, run.stdout);
    for (const line of annotations) assert.match(line, /^::(error|warning|notice) file=Dockerfile,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=container-guard [a-z0-9-]+::\S/);
    assert.ok(annotations.some((line) => line.includes('title=container-guard download-and-execute') && line.includes('line=2,')), run.stdout);
    assert.match(lines.at(-1)!, /^container-guard: \d+ findings in 1 file$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// GitLab inheritance seen through the rules: a template's script runs in the shell of the jobs that
// extend it (`iex (iwr …)` is a download-and-execute only when read as PowerShell), and a finding in it
// is reported once, where the text is written, however many jobs inherit it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../lint';
import { mergeSettings } from '../settings';
import { REVIEW_DATE, textAt } from '../testing';

const lint = (text: string) => {
  const result = lintText(text, 'pipeline', mergeSettings({ ruleSet: 'strict' }), { now: REVIEW_DATE, path: '/repo/.gitlab-ci.yml' });
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.filter((finding) => finding.ruleId === 'download-and-execute');
};

const TEMPLATE = [
  '.windows:',
  '  tags: [saas-windows-medium-amd64]',
  '.setup:',
  '  before_script:',
  '    - iex (iwr https://example.com/install.ps1 -UseBasicParsing)',
  '  script: [echo]',
];

test('a template without tags inherited by three Windows jobs: read as PowerShell, its download-and-execute reported once, on the template', () => {
  const text = [...TEMPLATE, 'a:', '  extends: [.windows, .setup]', 'b:', '  extends: [.windows, .setup]', 'c:', '  extends: .setup', '  tags: [windows]', ''].join('\n');
  const found = lint(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0]!.range.start.line, 4);
  assert.match(textAt(text, found[0]!.range), /iex|iwr/);
});

test('the same template run only by a Linux job: a POSIX script, no PowerShell finding', () => {
  const text = [...TEMPLATE, 'a:', '  extends: .setup', '  image: alpine:3', ''].join('\n');
  assert.deepEqual(lint(text), []);
});

test('through a merge key: the anchored script of Windows jobs is PowerShell, reported once', () => {
  const text = ['.setup: &setup', '  before_script:', '    - iex (iwr https://example.com/install.ps1 -UseBasicParsing)', '  script: [echo]', 'a:', '  <<: *setup', '  tags: [windows]', 'b:', '  <<: *setup', '  tags: [windows]', ''].join('\n');
  const found = lint(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0]!.range.start.line, 2);
});

test('a template shared by Windows and Linux jobs: read in both shells, the PowerShell finding once', () => {
  const text = [...TEMPLATE, 'win:', '  extends: [.windows, .setup]', 'lin:', '  extends: .setup', '  image: alpine:3', ''].join('\n');
  assert.equal(lint(text).length, 1);
});

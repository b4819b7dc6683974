import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDocument } from '../text';
import { fileKindFor, fileKindForPath } from '../kinds/index';
import { pipelineKind } from './kind';

test('pipeline files are recognised by path, and YAML elsewhere only by a pipeline content', () => {
  assert.equal(fileKindForPath('/repo/.github/workflows/ci.yml'), 'pipeline');
  assert.equal(fileKindForPath('/repo/.gitlab-ci.yml'), 'pipeline');
  assert.equal(fileKindForPath('/repo/eng/build.yml'), null);
  assert.equal(fileKindFor('/repo/eng/build.yml', 'steps:\n- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: echo hi\n'), 'pipeline');
  assert.equal(fileKindFor('/repo/k8s/deploy.yml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n'), null);
  assert.equal(fileKindFor('/repo/Dockerfile', 'FROM alpine'), 'dockerfile');
});

test('suppression comments: on their own line they cover the next line, after code their own line, global the file', () => {
  const text = [
    'on: push',
    '# container-guard global ignore=rule-a',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      # container-guard ignore=rule-b',
    '      - uses: actions/checkout@v4',
    '      - run: echo hi  # container-guard ignore=rule-c,rule-d',
  ].join('\n');
  const model = pipelineKind.buildModel(createDocument(text), '/repo/.github/workflows/ci.yml');
  assert.equal(model.kind, 'github-workflow');
  const suppressions = pipelineKind.suppressions(model, {} as never);
  assert.deepEqual([...suppressions.fileLevel], ['rule-a']);
  assert.deepEqual(suppressions.instructions.map((s) => [s.startLine, [...s.ruleIds]]), [[7, ['rule-b']], [8, ['rule-c', 'rule-d']]]);
  const fix = pipelineKind.suppressionFix(model, 'rule-e', 8);
  assert.equal(fix.edits[0]!.newText, '      # container-guard ignore=rule-e\n');
});

test('YAML that is no pipeline builds no model, and half-typed YAML never throws', () => {
  assert.equal(pipelineKind.buildModel(createDocument('services:\n  web:\n    image: nginx\n'), '/repo/docker-compose.yml').model, null);
  const text = 'on: [push\njobs:\n  b:\n    runs-on: windows-latest\n    steps:\n      - run: |\n          iwr https://x';
  for (let i = 0; i <= text.length; i++) pipelineKind.buildModel(createDocument(text.slice(0, i)), '/repo/.github/workflows/ci.yml');
});

test('a finding inside a multi-line scalar: the ignore comment goes above the line the scalar starts on and covers all of it', () => {
  const text = [
    'on: issues',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Greet',
    '        run: |',
    '          echo one',
    '          echo "${{ github.event.issue.title }}"',
    '      - run: echo two',
  ].join('\n');
  const model = pipelineKind.buildModel(createDocument(text), '/repo/.github/workflows/ci.yml');
  const fix = pipelineKind.suppressionFix(model, 'rule-a', 8);
  assert.equal(fix.title, 'Ignore rule-a for this value');
  assert.deepEqual(fix.edits[0]!.range.start, { line: 6, character: 0 });
  assert.equal(fix.edits[0]!.newText, '        # container-guard ignore=rule-a\n');
  // Outside a multi-line scalar: the line itself, as before.
  assert.deepEqual(pipelineKind.suppressionFix(model, 'rule-a', 9).edits[0]!.range.start, { line: 9, character: 0 });

  const lines = text.split('\n');
  lines.splice(6, 0, '        # container-guard ignore=rule-a');
  const suppressed = pipelineKind.buildModel(createDocument(lines.join('\n')), '/repo/.github/workflows/ci.yml');
  const spans = pipelineKind.suppressions(suppressed, {} as never).instructions.map((s) => [s.startLine, s.endLine]);
  assert.deepEqual(spans, [[7, 9]], 'the run: line through the last line of its script');
});

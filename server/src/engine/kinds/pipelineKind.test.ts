import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDocument } from '../text';
import { fileKindFor, fileKindForPath } from './index';
import { pipelineKind } from './pipelineKind';

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

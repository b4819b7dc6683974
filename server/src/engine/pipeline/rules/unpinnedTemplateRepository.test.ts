import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-unpinned-template-repository';
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };
const pipeline = (repositories: string, uses = 'extends:\n  template: v1/pipeline.yml@templates\n') => `resources:\n  repositories:\n${repositories}${uses}`;

test('template repositories without a ref or on a branch: reported on the ref (or the alias)', () => {
  const noRef = pipeline('  - repository: templates\n    type: git\n    name: Tools/Templates\n');
  const findings = findingsOf(id, noRef, AZURE);
  assert.deepEqual(findings.map((f) => textAt(noRef, f.range)), ['templates']);
  assert.equal(findings[0]!.message, 'Templates from `templates` come from the tip of its default branch; pin the resource with `ref: refs/tags/<version>` (or a commit).');
  const branch = pipeline('  - repository: templates\n    type: github\n    name: org/templates\n    endpoint: gh\n    ref: refs/heads/main\n');
  assert.deepEqual(findingsOf(id, branch, AZURE).map((f) => textAt(branch, f.range)), ['refs/heads/main']);
});

test('negative: tags, commits, expressions, repositories only checked out, pipelines resources', () => {
  for (const ref of ['refs/tags/v1.2', 'a'.repeat(40), '${{ parameters.ref }}']) {
    assert.deepEqual(findingsOf(id, pipeline(`  - repository: templates\n    type: git\n    name: T/T\n    ref: ${ref}\n`), AZURE), [], ref);
  }
  const checkoutOnly = pipeline('  - repository: tools\n    type: git\n    name: T/T\n', 'steps:\n- checkout: tools\n');
  assert.deepEqual(findingsOf(id, checkoutOnly, AZURE), []);
});

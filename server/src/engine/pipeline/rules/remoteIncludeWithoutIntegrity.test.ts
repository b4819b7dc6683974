import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-remote-include-without-integrity';
const GITLAB = { kind: 'pipeline' as const, path: '/repo/.gitlab-ci.yml' };

test('remote includes without integrity: string URLs, remote: entries; reported on the URL', () => {
  const text = "include:\n  - 'https://example.com/ci/a.yml'\n  - remote: https://example.com/ci/b.yml\n  - remote: https://example.com/ci/c.yml\n    integrity: 'sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8='\n  - local: /ci/d.yml\n  - project: group/ci\n    file: e.yml\nbuild:\n  script: make\n";
  const findings = findingsOf(id, text, GITLAB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['https://example.com/ci/a.yml', 'https://example.com/ci/b.yml']);
  assert.equal(findings[0]!.message, 'This remote include is fetched without a hash, so whoever controls the URL decides what runs; add `integrity: sha256-…` of the reviewed file.');
  assert.deepEqual(findingsOf(id, 'include:\n  remote: https://x.example/ci.yml\nbuild:\n  script: make\n', GITLAB).length, 1);
});

test('negative: local and template includes, a single local string, other platforms', () => {
  assert.deepEqual(findingsOf(id, "include: '/templates/.gitlab-ci-template.yml'\nbuild:\n  script: make\n", GITLAB), []);
  assert.deepEqual(findingsOf(id, 'include:\n  - template: Auto-DevOps.gitlab-ci.yml\nbuild:\n  script: make\n', GITLAB), []);
});

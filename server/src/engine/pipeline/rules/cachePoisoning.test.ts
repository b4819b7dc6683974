import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-cache-poisoning';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/release.yml' };
const job = (steps: string, extra = '') => `jobs:\n  publish:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;

test('release-only triggers: caching steps reported on uses (enabled inputs, default-on actions, gha layer cache)', () => {
  const steps = [
    '      - uses: actions/setup-node@v4', '        with:', '          cache: npm',
    '      - uses: actions/setup-go@v5', '      - uses: Swatinem/rust-cache@v2',
    '      - uses: docker/build-push-action@v6', '        with:', '          cache-from: type=gha', '',
  ].join('\n');
  const text = `on:\n  release:\n    types: [published]\n${job(steps)}`;
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['actions/setup-node@v4', 'actions/setup-go@v5', 'Swatinem/rust-cache@v2', 'docker/build-push-action@v6']);
  assert.equal(findings[0]!.message, 'This workflow runs on `release` events and `actions/setup-node` restores the shared cache, which other runs can poison; disable caching in release jobs.');
  const tags = `on:\n  push:\n    tags: ['v*']\n${job('      - uses: actions/cache@v4\n        with: { path: x, key: y }\n')}`;
  assert.equal(findingsOf(id, tags, GITHUB).length, 1);
});

test('CI workflows: only publishing jobs count; opt-outs and caching off are not reported', () => {
  const ci = (extra: string) => `on:\n  pull_request:\n  push:\n    branches: [main]\n    tags: ['v*']\n${job('      - uses: actions/setup-go@v5\n', extra)}`;
  assert.deepEqual(findingsOf(id, ci(''), GITHUB), []);
  assert.equal(findingsOf(id, ci("    if: startsWith(github.ref, 'refs/tags/')\n"), GITHUB).length, 1);
  const off = `on: release\n${job('      - uses: actions/setup-go@v5\n        with: { cache: false }\n      - uses: actions/setup-java@v4\n      - uses: Swatinem/rust-cache@v2\n        with:\n          lookup-only: true\n')}`;
  assert.deepEqual(findingsOf(id, off, GITHUB), []);
});

test('actions/setup-go caches by default from v4 on; v1-v3 only with cache: true', () => {
  // caddyserver/caddy release.yml: `actions/setup-go@v3` without `cache:` caches nothing.
  const text = (ref: string, extra = '') => `on: release\n${job(`      - uses: actions/setup-go@${ref}\n${extra}`)}`;
  assert.deepEqual(findingsOf(id, text('v3'), GITHUB), []);
  assert.deepEqual(findingsOf(id, text('v3.5.0'), GITHUB), []);
  assert.equal(findingsOf(id, text('v3', '        with: { cache: true }\n'), GITHUB).length, 1);
  assert.equal(findingsOf(id, text('v4'), GITHUB).length, 1);
  assert.equal(findingsOf(id, text('0aaccfd150d50ccaeb58ebd88d36e91967a5f35b'), GITHUB).length, 1, 'a commit names no version: current behaviour');
});

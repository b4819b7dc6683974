// The pins behind "Pin to digest" / "Pin to commit" for pipelines: which findings can be pinned, and
// that the edits keep comments and formatting, read back as the same YAML except the pinned value, and
// leave nothing to pin when applied (a second application changes nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPipelineDocument } from '../document';
import { applyEdits, createDocument } from '../../text';
import { findingsOf, textAt } from '../../testing';
import { actionPinEdits, imagePinEdits, pinTargets, readsAsBeforeExcept, type ActionPinTarget, type ImagePinTarget } from './pinTargets';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const GITHUB = '/repo/.github/workflows/ci.yml';
const GITLAB = '/repo/.gitlab-ci.yml';
const AZURE = '/repo/azure-pipelines.yml';

const model = (text: string, path: string) => buildPipelineDocument(createDocument(text), path);

/** Pins every target (images to DIGEST, actions to SHA) one at a time, as a user applying each quick fix would. */
function pinAll(text: string, path: string): string {
  for (;;) {
    const doc = model(text, path);
    const target = pinTargets(doc)[0];
    if (!target) return text;
    const edits = target.kind === 'image' ? imagePinEdits(doc, target, DIGEST) : actionPinEdits(doc, target, SHA)?.edits;
    assert.ok(edits, `no edit for ${target.value}`);
    text = applyEdits(text, edits);
  }
}

test('GitHub: container string and image:, services, quoted values, docker:// steps and actions are targets', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    container: node:20 # build image',
    '    services:',
    '      db:',
    "        image: 'postgres:15'",
    '      cache: { image: "redis" }',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: docker://alpine:3.19',
    '      - uses: ./local',
    '      - uses: "octo/repo/sub/dir@v1.2.0"  # keep me',
    '  b:',
    '    uses: octo/workflows/.github/workflows/build.yml@main',
    '',
  ].join('\n');
  const targets = pinTargets(model(text, GITHUB));
  assert.deepEqual(targets.map((t) => [t.kind, t.ruleId, t.value]), [
    ['image', 'pipeline-image-without-digest', 'node:20'],
    ['image', 'pipeline-image-without-digest', 'postgres:15'],
    ['image', 'pipeline-image-without-digest', 'redis'],
    ['action', 'pipeline-unpinned-action', 'octo/workflows/.github/workflows/build.yml@main'],
    ['action', 'pipeline-unpinned-action', 'actions/checkout@v4'],
    ['image', 'pipeline-unpinned-action', 'docker://alpine:3.19'],
    ['action', 'pipeline-unpinned-action', 'octo/repo/sub/dir@v1.2.0'],
  ]);
  // Each target's finding range is the rule's own.
  const ranges = [...findingsOf('pipeline-image-without-digest', text, { kind: 'pipeline', path: GITHUB }), ...findingsOf('pipeline-unpinned-action', text, { kind: 'pipeline', path: GITHUB })].map((f) => textAt(text, f.range));
  for (const target of targets) assert.ok(ranges.includes(textAt(text, target.findingRange)), target.value);
  const docker = targets[5] as ImagePinTarget;
  assert.equal(docker.reference, 'alpine:3.19');
  const action = targets[6] as ActionPinTarget;
  assert.deepEqual([action.owner, action.repo, action.ref], ['octo', 'repo', 'v1.2.0']);

  assert.equal(pinAll(text, GITHUB), [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    `    container: node:20@${DIGEST} # build image`,
    '    services:',
    '      db:',
    `        image: 'postgres:15@${DIGEST}'`,
    `      cache: { image: "redis:latest@${DIGEST}" }`,
    '    steps:',
    `      - uses: actions/checkout@${SHA} # v4`,
    `      - uses: docker://alpine:3.19@${DIGEST}`,
    '      - uses: ./local',
    `      - uses: "octo/repo/sub/dir@${SHA}"  # v1.2.0 # keep me`,
    '  b:',
    `    uses: octo/workflows/.github/workflows/build.yml@${SHA} # main`,
    '',
  ].join('\n'));
});

test('GitLab: image and services as strings and name:, CRLF kept', () => {
  const text = [
    'image: ruby:3.2',
    'default:',
    '  image:',
    '    name: "registry.example.com/ci/tools:1"',
    '    entrypoint: [""]',
    'test:',
    '  script: [rake]',
    '  services:',
    '    - postgres:15 # db',
    '    - name: redis:7',
    '      alias: cache',
    '',
  ].join('\r\n');
  assert.deepEqual(pinTargets(model(text, GITLAB)).map((t) => t.value), ['ruby:3.2', 'registry.example.com/ci/tools:1', 'postgres:15', 'redis:7']);
  const pinned = pinAll(text, GITLAB);
  assert.equal(pinned, text.replace('ruby:3.2', `ruby:3.2@${DIGEST}`).replace('tools:1"', `tools:1@${DIGEST}"`).replace('postgres:15 #', `postgres:15@${DIGEST} #`).replace('redis:7', `redis:7@${DIGEST}`));
  assert.deepEqual(findingsOf('pipeline-image-without-digest', pinned, { kind: 'pipeline', path: GITLAB }), []);
});

test('Azure: resources.containers image and job container: image / string; aliases are not images', () => {
  const text = [
    'resources:',
    '  containers:',
    '    - container: build',
    '      image: mcr.microsoft.com/dotnet/sdk:8.0   # sdk',
    'jobs:',
    '  - job: a',
    '    pool: { vmImage: ubuntu-22.04 }',
    '    container: build',
    '  - job: b',
    '    pool: { vmImage: ubuntu-22.04 }',
    "    container: 'ubuntu:22.04'",
    '  - job: c',
    '    pool: { vmImage: ubuntu-22.04 }',
    '    container:',
    '      image: node:20',
    '      options: --user 0',
    '',
  ].join('\n');
  assert.deepEqual(pinTargets(model(text, AZURE)).map((t) => t.value), ['mcr.microsoft.com/dotnet/sdk:8.0', 'ubuntu:22.04', 'node:20']);
  const pinned = pinAll(text, AZURE);
  assert.ok(pinned.includes(`      image: mcr.microsoft.com/dotnet/sdk:8.0@${DIGEST}   # sdk\n`), pinned);
  assert.ok(pinned.includes(`    container: 'ubuntu:22.04@${DIGEST}'\n`), pinned);
  assert.ok(pinned.includes('    container: build\n'));
  assert.deepEqual(findingsOf('pipeline-image-without-digest', pinned, { kind: 'pipeline', path: AZURE }), []);
});

test('uses: comments: the ref goes before an existing comment, one that already names the ref stays, flow mappings get it at the line end', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4 # v4 is what we tested',
    '      - uses: actions/setup-node@v4 # needs node 20',
    '      - { uses: actions/cache@v4, with: { path: x } }',
    '      - uses: actions/upload-artifact@v4\t',
    '',
  ].join('\n');
  assert.equal(pinAll(text, GITHUB), [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: actions/checkout@${SHA} # v4 is what we tested`,
    `      - uses: actions/setup-node@${SHA} # v4 # needs node 20`,
    `      - { uses: actions/cache@${SHA}, with: { path: x } } # v4`,
    `      - uses: actions/upload-artifact@${SHA} # v4\t`,
    '',
  ].join('\n'));
});

test('a comment that cannot go on the line (a multi-line flow value) falls back to the bare pin', () => {
  const text = ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - { uses: actions/cache@v4, with: { path: "a', '          b" } }', ''].join('\n');
  const doc = model(text, GITHUB);
  const target = pinTargets(doc)[0] as ActionPinTarget;
  const pin = actionPinEdits(doc, target, SHA);
  assert.ok(pin);
  assert.equal(pin.comment, false);
  assert.equal(applyEdits(text, pin.edits), text.replace('cache@v4', `cache@${SHA}`));
});

test('not pinned: block scalars, escapes, values with expressions, no ref, invalid digests and SHAs', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    container: >-',
    '      node:20',
    '    services:',
    '      db:',
    '        image: "postgres\\x3a15"',
    '    steps:',
    '      - uses: actions/checkout',
    '      - uses: ${{ matrix.action }}',
    '',
  ].join('\n');
  assert.deepEqual(pinTargets(model(text, GITHUB)), []);
  const ok = ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    container: node:20', '    steps:', '      - uses: actions/checkout@v4', ''].join('\n');
  const doc = model(ok, GITHUB);
  const [image, action] = pinTargets(doc) as [ImagePinTarget, ActionPinTarget];
  assert.equal(imagePinEdits(doc, image, 'sha256:abc'), null);
  assert.equal(imagePinEdits(doc, image, `sha512:${'0'.repeat(128)}`), null);
  assert.equal(actionPinEdits(doc, action, SHA.slice(1)), null);
  assert.equal(actionPinEdits(doc, action, SHA.toUpperCase()), null);
  assert.equal(actionPinEdits(doc, action, `${SHA.slice(0, 39)}g`), null);
});

test('readsAsBeforeExcept: a changed key, a lost scalar or a new error is not "the same file"', () => {
  const before = 'a: 1\nb: [x, y]\n';
  assert.ok(readsAsBeforeExcept(before, 'a: 1 # c\nb: [x, y]\n', []));
  assert.ok(readsAsBeforeExcept(before, 'a: 2\nb: [x, y]\n', [{ from: '1', to: '2' }]));
  assert.ok(!readsAsBeforeExcept(before, 'a: 2\nb: [x, y]\n', []));
  assert.ok(!readsAsBeforeExcept(before, 'a: 1\nb: [x]\n', []));
  assert.ok(!readsAsBeforeExcept(before, 'a: 1\nb: [x, y\n', []));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-image-without-digest';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const GITLAB = { kind: 'pipeline' as const, path: '/repo/.gitlab-ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const texts = (text: string, options: typeof GITHUB) => findingsOf(id, text, options).map((f) => textAt(text, f.range));

test('GitHub: job container (string and image:) and service images', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    container: node:20',
    '    services:',
    '      db:',
    "        image: 'postgres:15'",
    '      cache:',
    `        image: redis@${DIGEST}`,
    '  b:',
    '    runs-on: ubuntu-latest',
    '    container:',
    '      image: "mcr.microsoft.com/windows/servercore:ltsc2022"',
    '',
  ].join('\n');
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['node:20', 'postgres:15', 'mcr.microsoft.com/windows/servercore:ltsc2022']);
  assert.equal(findings[0]!.severity, 'warning');
  assert.match(findings[0]!.message, /^The image `node:20` is not pinned by digest; append `@sha256:…` of the image you tested/);
});

test('GitHub negative: digests, expressions, empty service images', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    `    container: ghcr.io/o/img:1.2@${DIGEST}`,
    '    services:',
    '      db:',
    "        image: ${{ matrix.db == 'pg' && 'postgres:15' || '' }}",
    '      cache:',
    "        image: ''",
    '  b:',
    '    runs-on: ubuntu-latest',
    '    container: ${{ matrix.image }}',
    '',
  ].join('\n');
  assert.deepEqual(texts(text, GITHUB), []);
});

test('GitLab: top-level, default and job images (string and name:), services strings and name:', () => {
  const text = [
    'image: ruby:3.2',
    'default:',
    '  image:',
    '    name: debian:bookworm',
    '  services:',
    '    - postgres:15',
    'build:',
    '  image: "registry.example.com/group/builder"',
    '  services:',
    '    - name: redis:7',
    '      alias: cache',
    `    - docker:dind@${DIGEST}`,
    '  script: make',
    '.template:',
    '  image: alpine:3.20',
    '',
  ].join('\n');
  assert.deepEqual(texts(text, GITLAB), ['ruby:3.2', 'debian:bookworm', 'postgres:15', 'registry.example.com/group/builder', 'redis:7', 'alpine:3.20']);
});

test('GitLab negative: variables, digests, macOS VM images, variables: values named image', () => {
  const text = [
    'variables:',
    '  image: alpine:3',
    'build:',
    '  image: $CI_REGISTRY_IMAGE/builder:latest',
    '  script: make',
    'mac:',
    '  image: macos-14-xcode-15',
    '  tags: [saas-macos-medium-m1]',
    '  script: make',
    'pinned:',
    `  image: { name: "alpine:3@${DIGEST}" }`,
    '  services: [ "${SERVICE_IMAGE}" ]',
    '  script: make',
    '',
  ].join('\n');
  assert.deepEqual(texts(text, GITLAB), []);
});

test('Azure: container resources once, job container images; aliases of resources not again', () => {
  const text = [
    'resources:',
    '  containers:',
    '  - container: linux',
    '    image: mcr.microsoft.com/dotnet-buildtools/prereqs:azurelinux-3.0',
    `  - container: pinned`,
    `    image: ubuntu@${DIGEST}`,
    'jobs:',
    '- job: A',
    '  container: linux',
    '  pool: { vmImage: ubuntu-latest }',
    '- job: B',
    '  container: ubuntu:22.04',
    '- job: C',
    '  container:',
    '    image: node:20',
    '- job: D',
    '  container: pinned',
    '- job: E',
    '  container: $(containerImage)',
    '- job: F',
    '  container: ${{ parameters.container }}',
    '- job: G',
    '  container: callerAlias',
    '  steps:',
    '  - script: echo',
    '    target:',
    '      container: host',
    '',
  ].join('\n');
  assert.deepEqual(texts(text, AZURE), ['mcr.microsoft.com/dotnet-buildtools/prereqs:azurelinux-3.0', 'ubuntu:22.04', 'node:20']);
});

test('Azure negative: pool images are VM images, not containers', () => {
  const text = 'pool:\n  name: 1es-pool\n  image: windows.vs2026.amd64\n  os: windows\nsteps:\n- script: echo\n';
  assert.deepEqual(texts(text, AZURE), []);
});

test('half-typed YAML never throws', () => {
  const samples = [
    ['on: push\njobs:\n  a:\n    container:\n      image: node:20\n    services:\n      db:\n        image: postgres:15\n', GITHUB],
    ['image: ruby:3\nservices:\n  - name: postgres:15\nbuild:\n  image:\n    name: x:1\n  script: make\n', GITLAB],
    ['resources:\n  containers:\n  - container: a\n    image: b:1\njobs:\n- job: x\n  container: c:1\n', AZURE],
  ] as const;
  for (const [full, options] of samples) for (let cut = 0; cut <= full.length; cut += 3) findingsOf(id, full.slice(0, cut), options);
  findingsOf(id, 'jobs: {a: {container: {image: [1]}, services: {x: [1], y: {image: {z: 1}}}}}', GITHUB);
  findingsOf(id, 'image: [x]\nservices: {a: b}\njob: {image: {name: [1]}, services: [[1], {name: {}}]}', GITLAB);
});

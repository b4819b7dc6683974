import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../lint';
import { mergeSettings } from '../../settings';
import { REVIEW_DATE, textAt } from '../../testing';
import { relatedReader } from '../../../node/relatedFiles';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const id = 'pipeline-cross-file-ltsc';
const GITHUB = '/repo/.github/workflows/ci.yml';
const AZURE = '/repo/azure-pipelines.yml';

function findings(text: string, file: string, files: Record<string, string>) {
  const readRelated = (relative: string) => (relative in files ? { text: files[relative]!, path: relative } : null);
  const result = lintText(text, 'pipeline', mergeSettings({ ruleSet: 'strict' }), { now: REVIEW_DATE, path: file, readRelated });
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.filter((f) => f.ruleId === id);
}

const LTSC2022 = 'FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022 AS build\nRUN echo\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n';
const LTSC2025 = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n';

test('GitHub: windows-2025 runner builds docker/Dockerfile FROM ltsc2022 (process isolation): warning on the label naming both builds', () => {
  const text = 'on: push\njobs:\n  image:\n    runs-on: windows-2025\n    steps:\n      - run: |\n          docker build -f docker/Dockerfile -t app .\n';
  const found = findings(text, GITHUB, { 'docker/Dockerfile': LTSC2022 });
  assert.deepEqual(found.map((f) => textAt(text, f.range)), ['windows-2025']);
  assert.match(found[0]!.message, /build 26100.*docker\/Dockerfile.*build 20348.*--isolation=hyperv/);
  // A long image name is quoted by its end: the tag stays readable.
  // By whole path segments: `…/windows/servercore:ltsc2022`, never a cut host name.
  assert.match(found[0]!.message, /`…\/windows\/servercore:ltsc2022` \(build 20348\)/);
});

test('negative: same build, --isolation=hyperv, no reader, unreadable file, a Linux runner', () => {
  const job = (runner: string, run: string) => `on: push\njobs:\n  image:\n    runs-on: ${runner}\n    steps:\n      - run: ${run}\n`;
  assert.deepEqual(findings(job('windows-2022', 'docker build -f docker/Dockerfile .'), GITHUB, { 'docker/Dockerfile': LTSC2022 }), []);
  assert.deepEqual(findings(job('windows-2025', 'docker build --isolation=hyperv -f docker/Dockerfile .'), GITHUB, { 'docker/Dockerfile': LTSC2022 }), []);
  assert.deepEqual(findings(job('windows-2025', 'docker build -f missing/Dockerfile .'), GITHUB, {}), []);
  assert.deepEqual(findings(job('ubuntu-24.04', 'docker build -f docker/Dockerfile .'), GITHUB, { 'docker/Dockerfile': LTSC2022 }), []);
  const result = lintText(job('windows-2025', 'docker build -f docker/Dockerfile .'), 'pipeline', mergeSettings({ ruleSet: 'strict' }), { now: REVIEW_DATE, path: GITHUB });
  assert.deepEqual(result.findings.filter((f) => f.ruleId === id), []);
});

test('default Dockerfile in the context folder; docker/build-push-action file:/context:; windows-latest resolves to windows-2025', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: docker build -t x src/app\n  b:\n    runs-on: windows-2022\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: web\n';
  const found = findings(text, GITHUB, { 'src/app/Dockerfile': LTSC2022, 'web/Dockerfile': LTSC2025 });
  assert.deepEqual(found.map((f) => [textAt(text, f.range), f.range.start.line]), [['windows-latest', 3], ['windows-2022', 7]]);
  assert.match(found[1]!.message, /^`windows-2022` runs Windows build 20348.*build 26100.*Move the runner/);
});

test('Azure Docker@2 Dockerfile input; the **/Dockerfile default glob is skipped', () => {
  const text = 'pool:\n  vmImage: windows-2019\nsteps:\n- task: Docker@2\n  inputs:\n    command: build\n    Dockerfile: ./images/Dockerfile\n- task: Docker@2\n  inputs:\n    command: build\n';
  const found = findings(text, AZURE, { 'images/Dockerfile': LTSC2022, Dockerfile: LTSC2025 });
  assert.deepEqual(found.map((f) => textAt(text, f.range)), ['windows-2019']);
});

/** Findings with a reader that knows the linted file's own path (templates are relative to it). */
function findingsAt(text: string, file: string, documentPath: string, files: Record<string, string>, asked: string[] = []) {
  const readRelated = Object.assign((relative: string) => {
    asked.push(relative);
    return relative in files ? { text: files[relative]!, path: relative } : null;
  }, { documentPath });
  const result = lintText(text, 'pipeline', mergeSettings({ ruleSet: 'strict' }), { now: REVIEW_DATE, path: file, readRelated });
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.filter((f) => f.ruleId === id);
}

const STEPS_TEMPLATE = 'parameters:\n- name: tag\n  default: x\nsteps:\n- script: docker build -f docker/Dockerfile -t app:${{ parameters.tag }} .\n';

test('Azure templates: a steps template\'s docker build runs on the calling job\'s pool (relative to the caller, /… from the root, nested)', () => {
  const text = 'jobs:\n- job: win\n  pool:\n    vmImage: windows-2025\n  steps:\n  - template: templates/build.yml\n    parameters:\n      tag: v1\n- job: lin\n  pool:\n    vmImage: ubuntu-24.04\n  steps:\n  - template: templates/build.yml\n';
  const asked: string[] = [];
  const found = findingsAt(text, '/repo/eng/ci.yml', 'eng/ci.yml', { 'eng/templates/build.yml': STEPS_TEMPLATE, 'docker/Dockerfile': LTSC2022 }, asked);
  assert.deepEqual(found.map((f) => [textAt(text, f.range), f.range.start.line]), [['windows-2025', 3]]);
  assert.match(found[0]!.message, /`docker\/Dockerfile` \(built by the template `eng\/templates\/build\.yml`\) builds on/);
  // A template used twice is read once per depth; the Dockerfile once.
  assert.deepEqual(asked.filter((entry) => entry.endsWith('build.yml')), ['eng/templates/build.yml']);
  // Nested, and from the root: jobs template (no pool of its own) → steps template.
  const root = 'pool:\n  vmImage: windows-2019\njobs:\n- template: /eng/jobs.yml\n';
  const jobs = 'jobs:\n- job: build\n  steps:\n  - template: steps/build.yml@self\n';
  const nested = findingsAt(root, '/repo/azure-pipelines.yml', 'azure-pipelines.yml', { 'eng/jobs.yml': jobs, 'eng/steps/build.yml': STEPS_TEMPLATE, 'docker/Dockerfile': LTSC2022 });
  assert.deepEqual(nested.map((f) => textAt(root, f.range)), ['windows-2019']);
  assert.match(nested[0]!.message, /template `eng\/steps\/build\.yml`/);
});

test('Azure templates, negative: the template\'s job has its own pool, another repository, an expression, a Linux caller, no reader path for a relative template', () => {
  const caller = (template: string, image = 'windows-2025') => `pool:\n  vmImage: ${image}\njobs:\n- template: ${template}\n`;
  const ownPool = 'jobs:\n- job: b\n  pool:\n    vmImage: windows-2022\n  steps:\n  - script: docker build -f docker/Dockerfile .\n';
  const files = { 'eng/own.yml': ownPool, 'eng/steps.yml': 'jobs:\n- job: b\n  steps:\n  - script: docker build -f docker/Dockerfile .\n', 'docker/Dockerfile': LTSC2022 };
  assert.deepEqual(findingsAt(caller('eng/own.yml'), '/repo/azure-pipelines.yml', 'azure-pipelines.yml', files), []);
  const asked: string[] = [];
  assert.deepEqual(findingsAt(caller('eng/steps.yml@templates'), '/repo/azure-pipelines.yml', 'azure-pipelines.yml', files, asked), []);
  assert.deepEqual(findingsAt(caller('${{ parameters.jobs }}'), '/repo/azure-pipelines.yml', 'azure-pipelines.yml', files, asked), []);
  assert.deepEqual(asked, [], 'nothing is read for another repository or an expression');
  assert.deepEqual(findingsAt(caller('eng/steps.yml', 'ubuntu-24.04'), '/repo/azure-pipelines.yml', 'azure-pipelines.yml', files), []);
  // Without the caller's own path a relative template cannot be placed: not read.
  assert.deepEqual(findings(caller('eng/steps.yml'), AZURE, files), []);
  // With it: found (the same files).
  assert.equal(findingsAt(caller('eng/steps.yml'), '/repo/azure-pipelines.yml', 'azure-pipelines.yml', files).length, 1);
});

test('the CLI reader: relative to the root only, no absolute paths, no .., no symlinks out, 20 files per document', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-related-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-outside-'));
  fs.writeFileSync(path.join(root, 'Dockerfile'), LTSC2022);
  fs.writeFileSync(path.join(outside, 'secret'), 'x');
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'link'));
  const read = relatedReader(root);
  assert.equal(read('Dockerfile')?.text, LTSC2022);
  assert.equal(read('./Dockerfile')?.path, 'Dockerfile');
  assert.equal(read(path.join(outside, 'secret')), null);
  assert.equal(read(`../${path.basename(outside)}/secret`), null);
  assert.equal(read('link'), null);
  for (let i = 0; i < 20; i++) read('Dockerfile');
  assert.equal(read('Dockerfile'), null);
});

test('the reader: the linted document\'s own path, editor text before the disk, every path asked for recorded', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-related-'));
  fs.mkdirSync(path.join(root, 'eng'));
  fs.writeFileSync(path.join(root, 'Dockerfile'), LTSC2022);
  const real = fs.realpathSync(root);
  const asked: string[] = [];
  const read = relatedReader(root, { document: path.join(root, 'eng', 'ci.yml'), overlay: (file) => (file === path.join(real, 'Dockerfile') ? LTSC2025 : null), onRead: (file) => asked.push(file) });
  assert.equal(read.documentPath, 'eng/ci.yml');
  assert.equal(read('Dockerfile')!.text, LTSC2025);
  assert.equal(read('missing/Dockerfile'), null);
  assert.equal(read('../outside'), null);
  assert.deepEqual(asked, [path.join(real, 'Dockerfile'), path.join(real, 'missing', 'Dockerfile')]);
  fs.rmSync(root, { recursive: true, force: true });
});

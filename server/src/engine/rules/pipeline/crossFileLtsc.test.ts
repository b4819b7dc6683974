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

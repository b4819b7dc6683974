import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixAllToFixpoint, lintText, minimalEdit } from './lint';
import { mergeSettings } from './settings';
import { applyEdits, createDocument } from './text';
import { fileKindForPath } from './fileKinds';
import { CORPUS, corpusDockerfiles } from './testing';
import type { Range } from './types';

const settings = mergeSettings({ ruleSet: 'strict' });

test('global suppression, hadolint global pragma and honourHadolintPragmas=false', () => {
  const text = '# container-guard global ignore=base-image-latest\nFROM ubuntu\nFROM debian\n';
  assert.equal(lintText(text, 'dockerfile', settings).findings.filter((f) => f.ruleId === 'base-image-latest').length, 0);
  const hadolint = '# hadolint global ignore=DL3006\nFROM ubuntu\n';
  assert.equal(lintText(hadolint, 'dockerfile', settings).findings.filter((f) => f.ruleId === 'base-image-latest').length, 0);
  const off = mergeSettings({ honourHadolintPragmas: false });
  assert.equal(lintText(hadolint, 'dockerfile', off).findings.filter((f) => f.ruleId === 'base-image-latest').length, 1);
});

test('the "ignore for this instruction" fix silences exactly that finding, also inside multi-line instructions', () => {
  const text = 'FROM alpine:3.20\nENV A=1 \\\n    DB_PASSWORD=x\nENV API_TOKEN=y\n';
  const findings = lintText(text, 'dockerfile', settings).findings.filter((f) => f.ruleId === 'secret-in-env-arg');
  assert.equal(findings.length, 2);
  const ignore = findings[0]!.fixes.find((f) => f.title.startsWith('Ignore'))!;
  assert.deepEqual(ignore.edits[0]!.range.start, { line: 1, character: 0 }, 'above the ENV, not inside its continuation');
  const after = applyEdits(text, ignore.edits);
  const left = lintText(after, 'dockerfile', settings).findings.filter((f) => f.ruleId === 'secret-in-env-arg');
  assert.deepEqual(left.map((f) => f.message.slice(0, 30)), [findings[1]!.message.slice(0, 30)]);
});

test('fix-all reaches a fixpoint, keeps user content and is idempotent', () => {
  // A retired name: fix-all renames it to the same image under its MCR name (switching the user is never fix-all).
  const text = '# escape=`\nFROM microsoft/windowsservercore:ltsc2019\nRUN echo one\n# keep me\nCMD ["a.exe"]\n';
  const once = fixAllToFixpoint(text, 'dockerfile', settings);
  assert.equal(once.passes, 1);
  assert.equal(once.text, text.replace('microsoft/windowsservercore', 'mcr.microsoft.com/windows/servercore'));
  const twice = fixAllToFixpoint(once.text, 'dockerfile', settings);
  assert.equal(twice.passes, 0);
  assert.equal(twice.text, once.text);
});

test('minimalEdit turns one text into the other with a single edit', () => {
  for (const [a, b] of [['abc', 'abXc'], ['line1\nline2\n', 'line1\nUSER x\nline2\n'], ['same', 'same'], ['', 'new'], ['old', '']]) {
    const edit = minimalEdit(a!, b!);
    assert.equal(edit ? applyEdits(a!, [edit]) : a, b);
  }
});

test('file kinds by name', () => {
  for (const name of ['Dockerfile', 'dockerfile', 'Dockerfile.windows', 'Dockerfile-windows', 'Dockerfile_1809', 'app.Dockerfile', 'Containerfile', 'build/Containerfile.prod', 'x.dockerfile']) {
    assert.equal(fileKindForPath(name), 'dockerfile', name);
  }
  for (const name of ['nuget.config', 'NuGet.Config', 'src/.nuget/NuGet.config', 'C:\\repo\\NUGET.CONFIG']) {
    assert.equal(fileKindForPath(name), 'nuget-config', name);
  }
  for (const name of ['Dockerfile.txt.bak/README', 'docker-compose.yml', 'nuget.config.bak', 'packages.config', 'app.config', 'MyDockerfileNotes.md', 'Dockerfile.md', 'Dockerfile-build.sh', 'x-Dockerfile.approved.txt']) {
    assert.equal(fileKindForPath(name), null, name);
  }
});

function inside(text: string, range: Range): boolean {
  const document = createDocument(text);
  const endOffset = document.offsetAt(range.end);
  const roundTrip = (p: Range['start']) => {
    const q = document.positionAt(document.offsetAt(p));
    return q.line === p.line && q.character === p.character;
  };
  return roundTrip(range.start) && roundTrip(range.end) && document.offsetAt(range.start) <= endOffset && endOffset <= text.length;
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test('half-typed documents: every prefix of tricky inputs lints without throwing, ranges inside', () => {
  const samples = [
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025 AS build\nSHELL ["powershell", "-Command"]\nRUN Write-Host `\n  hi\nADD https://x.example/a.zip C:/a.zip\nENV TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nUSER ContainerAdministrator\n',
    'ARG BASE=${X:-ubuntu}\nFROM ${BASE}:${TAG:-latest} AS a\nFROM a\nUSER 0:0\nADD --checksum=sha256:zz http://h/x /x\n',
    'FROM\nFROM --platform=\nFROM @sha256:\nFROM :tag\nUSER\nENV\nARG =\nADD\n\\\n',
    '\u0000\uFFFF\uD800 FROM x\r\nRUN \\\r\n',
  ];
  for (const sample of samples) {
    for (let cut = 0; cut <= sample.length; cut++) {
      const text = sample.slice(0, cut);
      const result = lintText(text, 'dockerfile', settings);
      assert.deepEqual(result.ruleErrors, [], JSON.stringify(text));
      for (const finding of result.findings) assert.ok(inside(text, finding.range), `${finding.ruleId} ${JSON.stringify(finding.range)} in ${JSON.stringify(text)}`);
    }
  }
});

test('real-world corpus and random truncations of it: no rule error, no range outside the document', { skip: !fs.existsSync(CORPUS) && 'shared/corpus is absent' }, () => {
  const next = random(2026);
  let files = 0;
  let findings = 0;
  for (const { path: full, text } of corpusDockerfiles()) {
    files++;
    for (const candidate of [text, text.slice(0, Math.floor(next() * text.length)), text.slice(0, Math.floor(next() * text.length))]) {
      const result = lintText(candidate, 'dockerfile', settings);
      assert.deepEqual(result.ruleErrors, [], full);
      for (const finding of result.findings) assert.ok(inside(candidate, finding.range), `${full}: ${finding.ruleId}`);
      findings += result.findings.length;
    }
    // Fix-all on a real file: a second run changes nothing.
    const fixed = fixAllToFixpoint(text, 'dockerfile', settings);
    assert.equal(fixAllToFixpoint(fixed.text, 'dockerfile', settings).passes, 0, full);
  }
  assert.ok(files > 100, `read ${files} corpus files`);
  assert.ok(findings > 0);
});

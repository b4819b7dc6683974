// Fix-all (on save, `lint --fix`) may apply only fixes that keep what the image does (ESLint's "fix",
// not "suggestion"). Checked over the whole rule registry: every Dockerfile of the shared corpus, the
// bundled examples and documents written to trigger every rule that has a fix, linted with the strict
// rule set; each fix marked safeForFixAll, and fix-all to its fixed point, must leave USER, SHELL,
// ENTRYPOINT, CMD, every RUN and the Windows release of every FROM exactly as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stageImageFacts } from '../catalog/stageImage';
import { buildDockerfileModel } from '../dockerfile/model';
import { fixAllToFixpoint, lintText } from '../lint';
import { mergeSettings, DEFAULT_SETTINGS } from '../settings';
import { applyEdits, createDocument } from '../text';
import { corpusDockerfiles } from '../testing';

const STRICT = mergeSettings(DEFAULT_SETTINGS, { ruleSet: 'strict' });
const NOW = new Date('2026-12-05T00:00:00Z');
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Documents that give every Dockerfile rule with a fix something to fix. */
const TRIGGERS = [
  'FROM microsoft/windowsservercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n',
  'FROM microsoft/nanoserver:1809\nUSER ContainerAdministrator\n',
  'FROM microsoft/dotnet-framework:4.7.2-sdk-windowsservercore-ltsc2019 AS build\nRUN msbuild\nFROM microsoft/aspnet:4.7.2-windowsservercore-ltsc2019\nCOPY --from=build C:/out C:/inetpub/wwwroot\n',
  'FROM mcr.microsoft.com/windows/servercore:1903\nSHELL ["powershell", "-Command"]\nRUN Invoke-WebRequest https://example.com/a.zip -OutFile a.zip; Expand-Archive a.zip\nENTRYPOINT ["a.exe"]\n',
  'FROM mcr.microsoft.com/dotnet/framework/sdk:latest\nADD http://example.com/tool.zip C:/tool.zip\nENV PASSWORD=hunter22\n',
  'FROM mcr.microsoft.com/windows/servercore:ltsc2016\nRUN choco install git -y\nUSER ContainerAdministrator\n',
  'FROM debian:latest\nUSER root\nRUN curl -sSL https://example.com/install.sh | sh\nRUN apt-get install -y curl\n',
];

function dockerfiles(): Array<{ name: string; text: string }> {
  const examples: Array<{ name: string; text: string }> = [];
  const walk = (directory: string): void => {
    if (!fs.existsSync(directory)) return;
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/dockerfile/i.test(entry.name)) examples.push({ name: path.relative(REPO_ROOT, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(REPO_ROOT, 'examples'));
  return [
    ...TRIGGERS.map((text, index) => ({ name: `trigger ${index}`, text })),
    ...examples,
    ...corpusDockerfiles().map((file) => ({ name: file.name, text: file.text })),
  ];
}

/** What the image does, as far as fix-all must keep it: the instructions that decide it, and each FROM's Windows release. */
function behaviour(text: string): string[] {
  const model = buildDockerfileModel(createDocument(text));
  const kept: string[] = [];
  for (const stage of model.stages) {
    // A retired name (`microsoft/windowsservercore:ltsc2019`) has the release of the image it moved to.
    const facts = stageImageFacts(stage);
    const release = facts?.resolution?.release ?? facts?.movedTo?.resolution.release;
    kept.push(`FROM release=${release ? release.key : '-'}`);
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (['USER', 'SHELL', 'ENTRYPOINT', 'CMD', 'RUN'].includes(keyword)) kept.push(`${keyword} ${instruction.getRawArgumentsContent() ?? ''}`);
    }
  }
  return kept;
}

test('no fix that fix-all can reach changes USER, SHELL, ENTRYPOINT, CMD, a RUN or the Windows release of a FROM', () => {
  const files = dockerfiles();
  let safeFixes = 0;
  let fixedFiles = 0;
  const fixingRules = new Set<string>();
  for (const { name, text } of files) {
    const before = behaviour(text);
    for (const finding of lintText(text, 'dockerfile', STRICT, { now: NOW }).findings) {
      for (const fix of finding.fixes.filter((candidate) => candidate.safeForFixAll)) {
        safeFixes++;
        fixingRules.add(finding.ruleId);
        assert.deepEqual(behaviour(applyEdits(text, fix.edits)), before, `${name}: ${finding.ruleId} fix "${fix.title}" changes what the image does`);
      }
    }
    const fixed = fixAllToFixpoint(text, 'dockerfile', STRICT, { now: NOW });
    if (fixed.passes > 0) fixedFiles++;
    assert.deepEqual(behaviour(fixed.text), before, `${name}: fix-all changes what the image does`);
  }
  // The test must have checked something: the triggers alone give rename fixes that fix-all applies.
  assert.ok(safeFixes > 0 && fixedFiles > 0, `checked ${safeFixes} fix-all fixes in ${fixedFiles} files`);
  console.log(`# ${files.length} Dockerfiles, ${safeFixes} fix-all fixes (rules: ${[...fixingRules].sort().join(', ')}), fix-all changed ${fixedFiles} files; none changed behaviour`);
});

test('switching the user is offered as a quick fix, never through fix-all', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo hi\nCMD ["app.exe"]\n';
  const finding = lintText(text, 'dockerfile', STRICT, { now: NOW }).findings.find((f) => f.ruleId === 'privileged-user')!;
  assert.ok(finding.fixes.some((fix) => /USER ContainerUser/.test(fix.edits.map((edit) => edit.newText).join(''))));
  assert.equal(finding.fixes.filter((fix) => fix.safeForFixAll).length, 0);
});

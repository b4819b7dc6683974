import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAllToFixpoint, lintText } from '../../lint';
import { buildNuGetConfigModel } from '../model';
import { CORPUS, corpusDockerfiles, REVIEW_DATE } from '../../testing';
import { createDocument } from '../../text';
import type { Range } from '../../types';
import { strictSettings } from './nugetTesting';

// Real nuget.config files (shared/corpus/nuget-config): lint, fix-all and the warning/error findings, pinned so
// that a change in what the rules report shows up here. Each pinned finding was reviewed by reading the file;
// they are true positives (historical versions of some repositories committed clear-text feed passwords).
const FOLDER = path.join(CORPUS, 'nuget-config');
const settings = strictSettings();

const PINNED = [
  'AArnott__Library.Template@f43e638831/nuget.config:7:nuget-unmapped-sources',
  'AArnott__Library.Template@f43e638831/nuget.config:22:nuget-trusted-signers-incomplete',
  'ArduPilot__MissionPlanner/ExtLibs/Xamarin/nuget.config:3:nuget-sources-not-cleared',
  'Azure__azure-functions-host/NuGet.config:3:nuget-unmapped-sources',
  'MicrosoftDocs__Virtualization-Documentation@d9224f1aac/Tools/NuGet/Nuget.Config:16:nuget-unmapped-sources',
  'MicrosoftDocs__Virtualization-Documentation@d9224f1aac/Tools/NuGet/Nuget.Config:17:nuget-http-source',
  'NuGet__NuGet.Client@2be9f38d95/NuGet.Config:3:nuget-unmapped-sources',
  'NuGet__NuGet.Client@2be9f38d95/NuGet.Config:29:nuget-trusted-signers-incomplete',
  'PowerShell__PSScriptAnalyzer@378159d0e5/nuget.config:7:nuget-unmapped-sources',
  'PowerShell__PSScriptAnalyzer@378159d0e5/nuget.config:9:nuget-http-source',
  'PowerShell__PSScriptAnalyzer@378159d0e5/nuget.config:12:nuget-http-source',
  'PowerShell__PSScriptAnalyzer@378159d0e5/nuget.config:20:nuget-cleartext-password',
  'PowerShell__PSScriptAnalyzer@378159d0e5/nuget.config:24:nuget-cleartext-password',
  'PowerShell__PowerShell@2f303f3822/nuget.config:7:nuget-unmapped-sources',
  'PowerShell__PowerShell@2f303f3822/nuget.config:10:nuget-http-source',
  'PowerShell__PowerShell@2f303f3822/nuget.config:13:nuget-http-source',
  'PowerShell__PowerShell@2f303f3822/nuget.config:20:nuget-cleartext-password',
  'PowerShell__PowerShell@c69bd842bc/nuget.config:7:nuget-unmapped-sources',
  'PowerShell__PowerShell@c69bd842bc/nuget.config:15:nuget-cleartext-password',
  'dotnet__templating/test/Microsoft.TemplateEngine.TestTemplates/test_templates/TemplateWithConditions/nuget.config:3:nuget-malformed-xml',
  'dotnet__templating@75f79c26fe/build/nuget.config:3:nuget-unmapped-sources',
  'microsoft__CLRInstrumentationEngine@f99a716027/NuGet.config:5:nuget-unmapped-sources',
  'microsoft__CLRInstrumentationEngine@f99a716027/NuGet.config:20:nuget-cleartext-password',
  'reactiveui__ReactiveUI@181c1202b1/nuget.config:2:nuget-malformed-xml',
  'reactiveui__ReactiveUI@181c1202b1/nuget.config:5:nuget-committed-api-key',
  'reactiveui__ReactiveUI@181c1202b1/nuget.config:6:nuget-committed-api-key',
  'reactiveui__ReactiveUI@51168c881c/NuGet.Config:3:nuget-sources-not-cleared',
  'reactiveui__ReactiveUI@51168c881c/NuGet.Config:4:nuget-http-source',
];

function inside(text: string, range: Range): boolean {
  const document = createDocument(text);
  const ok = (p: Range['start']): boolean => p.line < document.lineCount && document.positionAt(document.offsetAt(p)).line === p.line && document.positionAt(document.offsetAt(p)).character === p.character;
  return ok(range.start) && ok(range.end);
}

const files = (): Array<{ name: string; text: string }> =>
  corpusDockerfiles(['nuget-config']).map((file) => ({ name: path.relative(FOLDER, file.path).split(path.sep).join('/'), text: file.text })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

test('corpus: every file lints without rule errors and with ranges inside the document', { skip: !fs.existsSync(FOLDER) && 'shared/corpus is absent' }, () => {
  const all = files();
  assert.ok(all.length >= 60, `read ${all.length} files`);
  for (const { name, text } of all) {
    const result = lintText(text, 'nuget-config', settings, { now: REVIEW_DATE });
    assert.deepEqual(result.ruleErrors, [], name);
    for (const finding of result.findings) assert.ok(inside(text, finding.range), `${name}: ${finding.ruleId}`);
  }
});

test('corpus: the warning and error findings are the reviewed ones', { skip: !fs.existsSync(FOLDER) && 'shared/corpus is absent' }, () => {
  const found: string[] = [];
  for (const { name, text } of files()) {
    for (const finding of lintText(text, 'nuget-config', settings, { now: REVIEW_DATE }).findings) {
      if (finding.severity === 'warning' || finding.severity === 'error') found.push(`${name}:${finding.range.start.line + 1}:${finding.ruleId}`);
    }
  }
  assert.deepEqual(found, PINNED);
});

test('corpus: fix-all keeps the XML well-formed and every source key, and is idempotent', { skip: !fs.existsSync(FOLDER) && 'shared/corpus is absent' }, () => {
  let changed = 0;
  for (const { name, text } of files()) {
    const before = buildNuGetConfigModel(createDocument(text));
    const fixed = fixAllToFixpoint(text, 'nuget-config', settings, { now: REVIEW_DATE });
    if (fixed.passes > 0) changed++;
    const after = buildNuGetConfigModel(createDocument(fixed.text));
    if (!before.xml.problem) assert.equal(after.xml.problem, undefined, `${name}: ${after.xml.problem?.message}`);
    const keys = (model: typeof before): string[] => [...model.packageSources.sources, ...model.auditSources.sources].map((s) => `${s.section}:${s.key}`);
    assert.deepEqual(keys(after), keys(before), name);
    assert.equal(fixAllToFixpoint(fixed.text, 'nuget-config', settings, { now: REVIEW_DATE }).passes, 0, `${name}: fix-all is idempotent`);
  }
  assert.ok(changed > 0, 'fix-all changed some corpus files');
});

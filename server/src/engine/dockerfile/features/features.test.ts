import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDockerfileModel } from '../model';
import { mergeSettings } from '../../settings';
import { createDocument } from '../../text';
import { REVIEW_DATE } from '../../testing';
import { imageHover } from './imageHover';
import { imageCompletion } from './imageCompletion';

const model = (text: string) => buildDockerfileModel(createDocument(text));

test('hover on a Server Core image: build, lifecycle with dates, default user, host, signing, sources', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["x.exe"]\n';
  const hover = imageHover(model(text), { line: 0, character: 30 }, mergeSettings({ windowsHost: 'ltsc2025' }), REVIEW_DATE)!;
  assert.deepEqual(hover.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 50 } });
  for (const expected of [
    'Windows Server Core', 'Windows Server 2022, build 20348', 'extended support until 2031-10-14 (security fixes only)',
    '`ContainerAdministrator`', 'Windows Server 2025 (process isolation): can run this image', '**Recommended LTSC** `ltsc2025`',
    'Notary Project (Notation) signatures published since 2023-04-11', 'by tag only', 'catalog reviewed 2026-11-29',
    '(https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/base-image-lifecycle)',
  ]) assert.ok(hover.markdown.includes(expected), `${expected}\n---\n${hover.markdown}`);
  assert.doesNotMatch(hover.markdown, /unknown/i);
  // Compact: each fact once, a few lines, one line of links (2,077 characters and a table of 9 rows before).
  const visible = hover.markdown.replace(/\]\([^)]*\)/g, ']');
  assert.ok(visible.length < 900, `${visible.length} visible characters:\n${hover.markdown}`);
  assert.equal(hover.markdown.match(/ContainerAdministrator/g)!.length, 1, 'the default user is said once');
  assert.ok(hover.markdown.split('\n').length <= 12, hover.markdown);
  // The registry check's state, from the caller, goes on the Signing line.
  const withState = imageHover(model(text), { line: 0, character: 30 }, mergeSettings(), REVIEW_DATE, '⚠️ not checked: the registry could not be reached')!;
  assert.match(withState.markdown, /\*\*Signing\*\* Notary Project \(Notation\) signatures published since 2023-04-11 · ⚠️ not checked: the registry could not be reached/);
});

test('hover on KB, EOL, retired, nonexistent, non-catalog, stage and ARG references', () => {
  const text = [
    'ARG TAG=1809-KB4493509',
    'FROM mcr.microsoft.com/windows/nanoserver:${TAG} AS a',
    'FROM microsoft/windowsservercore:1909 AS b',
    'FROM mcr.microsoft.com/windows:ltsc2022 AS c',
    'FROM node:22 AS d',
    'FROM a',
    'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2025',
    '',
  ].join('\n');
  const m = model(text);
  const settings = mergeSettings();
  const at = (line: number) => imageHover(m, { line, character: 5 }, settings, REVIEW_DATE)!.markdown;
  assert.match(at(1), /KB4493509 update of 1809/);
  assert.match(at(1), /with ARG defaults/);
  assert.match(at(1), /`ContainerUser`/);
  assert.match(at(2), /\*\*Retired name\*\* moved to `mcr.microsoft.com\/windows\/servercore:1909`/);
  assert.match(at(2), /end of life since 2021-05-11/);
  assert.match(at(3), /Does not exist/);
  assert.match(at(4), /\*\*Registry\*\* `docker.io`, repository `library\/node`/);
  assert.match(at(4), /not known without pulling it/);
  assert.match(at(5), /Stage `a`/);
  assert.match(at(6), /ServiceMonitor.exe w3svc/);
  assert.match(at(6), /publishes no signatures/);
  assert.equal(imageHover(m, { line: 0, character: 3 }, settings, REVIEW_DATE), null, 'not on an image');
});

test('completion: repositories after mcr.microsoft.com/, supported tags recommended first', () => {
  const repos = imageCompletion(model('FROM mcr.microsoft.com/win\n'), { line: 0, character: 26 }, REVIEW_DATE);
  assert.ok(repos.some((i) => i.label === 'mcr.microsoft.com/windows/servercore'));
  assert.deepEqual(repos[0]!.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 26 } });

  const text = 'FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:lt\n';
  const tags = imageCompletion(model(text), { line: 0, character: text.length - 1 }, REVIEW_DATE);
  // The recommended multi-arch tag first and preselected; single-architecture tags only after every multi-arch one.
  assert.equal(tags[0]!.label, 'ltsc2025');
  assert.equal(tags[0]!.preselect, true);
  assert.equal(tags.filter((t) => t.preselect).length, 1);
  const firstArchitectureSpecific = tags.findIndex((t) => /-(arm64|amd64)$/.test(t.label));
  assert.ok(firstArchitectureSpecific > 0 && tags.slice(firstArchitectureSpecific).every((t) => /-(arm64|amd64)$/.test(t.label)), tags.map((t) => t.label).join(' '));
  assert.match(tags[0]!.detail, /recommended/);
  assert.ok(tags.some((t) => t.label === 'ltsc2022' && /extended support/.test(t.detail)));
  assert.ok(!tags.some((t) => ['1909', '20H2', '1709', 'sac2016'].includes(t.label)));
  assert.deepEqual(tags[0]!.range, { start: { line: 0, character: 67 }, end: { line: 0, character: 69 } });

  const dotnet = imageCompletion(model('FROM mcr.microsoft.com/dotnet/aspnet:\n'), { line: 0, character: 37 }, REVIEW_DATE).map((t) => t.label);
  assert.ok(dotnet.includes('10.0-nanoserver-ltsc2025'));
  assert.ok(!dotnet.some((t) => t.startsWith('8.0') || t === '10.0' || t === 'latest'));
  // Never a tag the extension itself flags: `latest` (base-image-latest) is not offered for the .NET Framework SDK.
  const sdk = imageCompletion(model('FROM mcr.microsoft.com/dotnet/framework/sdk:\n'), { line: 0, character: 45 }, REVIEW_DATE).map((t) => t.label);
  assert.ok(sdk.length > 0 && !sdk.includes('latest'), sdk.join(' '));
  assert.equal(sdk[0], '4.8.1-windowsservercore-ltsc2025');

  assert.deepEqual(imageCompletion(model('FROM node:2\n'), { line: 0, character: 11 }, REVIEW_DATE), []);
  assert.deepEqual(imageCompletion(model('RUN mcr.microsoft.com/\n'), { line: 0, character: 22 }, REVIEW_DATE), []);
  assert.deepEqual(imageCompletion(model('FROM x AS y\n'), { line: 0, character: 11 }, REVIEW_DATE), [], 'past the image');
});

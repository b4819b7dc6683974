import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import {
  CATALOG_REVIEWED, DEPRECATED_NAMES, NONEXISTENT_TAGS, PRODUCTS, RELEASES, REPOSITORIES, completableTags, recommendedLtsc,
  releaseLifecycle, repository, resolveTag, source, suggestReference, tagStatus,
} from './catalog';

const at = (date: string) => new Date(`${date}T12:00:00Z`);
const here = path.resolve(__dirname, '../../../src/engine/catalog');

test('the catalog validates against its schema and every fact cites a known source', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(here, 'catalog.schema.json'), 'utf8'));
  const data = JSON.parse(fs.readFileSync(path.join(here, 'windows-images.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);
  assert.equal(validate(data), true, JSON.stringify(validate.errors));
  const cited = [
    ...[...RELEASES.values()].flatMap((r) => r.sources), ...[...PRODUCTS.values()].flatMap((p) => p.sources),
    ...REPOSITORIES.flatMap((r) => [...r.sources, ...r.tags.flatMap((t) => t.sources), ...(r.signing?.sources ?? [])]),
    ...DEPRECATED_NAMES.flatMap((d) => d.sources), ...NONEXISTENT_TAGS.flatMap((n) => n.sources),
  ];
  for (const id of cited) assert.ok(source(id), `unknown source ${id}`);
  for (const repo of REPOSITORIES) for (const tag of repo.tags) if (tag.os) assert.ok(RELEASES.has(tag.os), `${repo.name}:${tag.tag} → ${tag.os}`);
  assert.equal(CATALOG_REVIEWED, '2026-11-29');
});

test('the recommended LTSC follows from the dates, not from code', () => {
  assert.equal(recommendedLtsc(at('2026-11-29')).key, 'ltsc2025');
  assert.equal(recommendedLtsc(at('2026-10-12')).key, 'ltsc2025', 'both in mainstream: the newest');
  assert.equal(recommendedLtsc(at('2029-11-14')).key, 'ltsc2025', 'none in mainstream: the newest still supported');
});

test('lifecycles move with the clock', () => {
  const ltsc2022 = RELEASES.get('ltsc2022')!;
  assert.equal(releaseLifecycle(ltsc2022, at('2026-10-12')).phase, 'mainstream');
  assert.equal(releaseLifecycle(ltsc2022, at('2026-10-13')).phase, 'extended');
  assert.equal(releaseLifecycle(ltsc2022, at('2031-10-14')).phase, 'end-of-life');
  const servercore = repository('mcr.microsoft.com/windows/servercore')!;
  assert.equal(tagStatus(resolveTag(servercore, 'ltsc2016'), at('2026-11-29')).kind, 'ending-soon');
  assert.equal(tagStatus(resolveTag(servercore, 'ltsc2016'), at('2026-06-01')).kind, 'extended');
  assert.equal(tagStatus(resolveTag(servercore, 'ltsc2016'), at('2027-01-12')).kind, 'end-of-life');
  assert.equal(tagStatus(resolveTag(servercore, '1909'), at('2026-11-29')).kind, 'end-of-life');
  const aspnet = repository('mcr.microsoft.com/dotnet/aspnet')!;
  assert.equal(tagStatus(resolveTag(aspnet, '8.0-nanoserver-ltsc2025'), at('2026-11-09')).kind, 'current');
  assert.equal(tagStatus(resolveTag(aspnet, '8.0-nanoserver-ltsc2025'), at('2026-11-10')).kind, 'end-of-life');
});

test('a host-dependent tag is judged by its best image, and names the older hosts whose image ends first', () => {
  const sdk = repository('mcr.microsoft.com/dotnet/framework/sdk')!;
  const status = tagStatus(resolveTag(sdk, '4.8'), at('2026-12-06'));
  assert.equal(status.kind, 'extended');
  assert.match(status.summary, /Windows Server 2019 is in extended support \(security fixes only\) until 2029-01-09 \(ltsc2016 on Windows Server 2016 hosts: until 2027-01-12 — 37 days left\)$/);
  // Once 2016 is out of support the tag is still judged by 2019, and says so of 2016's image.
  assert.match(tagStatus(resolveTag(sdk, '4.8'), at('2027-02-01')).summary, /\(ltsc2016 on Windows Server 2016 hosts: out of support since 2027-01-12\)$/);
  // A single-release tag has nothing to add.
  assert.doesNotMatch(tagStatus(resolveTag(sdk, '4.8-windowsservercore-ltsc2019'), at('2026-12-06')).summary, / hosts: /);
});

test('KB, full-build, dated and patch-version tags resolve to their family', () => {
  const nano = repository('mcr.microsoft.com/windows/nanoserver')!;
  assert.equal(resolveTag(nano, '1809-KB4493509').entry?.tag, '1809');
  // With the architecture after the KB, as the retired Docker Hub tags were written.
  assert.equal(resolveTag(repository('mcr.microsoft.com/windows')!, '1909-KB5003169-amd64').entry?.tag, '1909');
  assert.equal(resolveTag(repository('mcr.microsoft.com/windows/servercore')!, 'ltsc2019-KB5003171-amd64').entry?.tag, 'ltsc2019');
  assert.equal(resolveTag(repository('mcr.microsoft.com/windows/servercore')!, '1809-KB5003171-amd64').entry?.tag, '1809');
  // A full build with the architecture after it (seen in the wild: `10.0.17134.1304-amd64`, a 1803 build).
  const fullBuild = resolveTag(repository('mcr.microsoft.com/windows/servercore')!, '10.0.17134.1304-amd64');
  assert.equal(fullBuild.release?.key, '1803');
  assert.equal(fullBuild.variant, 'build 10.0.17134.1304-amd64');
  assert.equal(resolveTag(nano, '10.0.17763.437').entry?.tag, '1809', 'Nano Server 2019 is tagged 1809');
  const servercore = repository('mcr.microsoft.com/windows/servercore')!;
  assert.equal(resolveTag(servercore, '10.0.20348.2461').entry?.tag, 'ltsc2022');
  const runtime = repository('mcr.microsoft.com/dotnet/framework/runtime')!;
  assert.equal(resolveTag(runtime, '4.8.1-20260714-windowsservercore-ltsc2025').entry?.tag, '4.8.1-windowsservercore-ltsc2025');
  assert.equal(resolveTag(runtime, '4.7.2-windowsservercore-ltsc2019').removedPattern?.removedOn, '2025-10-14');
  const sdk = repository('mcr.microsoft.com/dotnet/sdk')!;
  assert.equal(resolveTag(sdk, '10.0.400-nanoserver-ltsc2025').entry?.tag, '10.0-nanoserver-ltsc2025');
  assert.equal(resolveTag(sdk, '10.0.11').entry?.tag, '10.0');
  assert.equal(resolveTag(sdk, 'no-such-tag').entry, null);
});

test('suggestions keep product line and flavour, and fall back to supported ones', () => {
  const now = at('2026-11-29');
  const aspnet = repository('mcr.microsoft.com/dotnet/aspnet')!;
  const eight = resolveTag(aspnet, '8.0-nanoserver-1809').entry;
  assert.equal(suggestReference(aspnet, eight, 'ltsc2025', now), 'mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2025');
  const core = resolveTag(aspnet, '10.0-windowsservercore-ltsc2022').entry;
  assert.equal(suggestReference(aspnet, core, 'ltsc2025', now), 'mcr.microsoft.com/dotnet/aspnet:10.0-windowsservercore-ltsc2025');
  const runtime = repository('mcr.microsoft.com/dotnet/framework/runtime')!;
  assert.equal(suggestReference(runtime, resolveTag(runtime, '4.8-windowsservercore-ltsc2022').entry, 'ltsc2025', now), 'mcr.microsoft.com/dotnet/framework/runtime:4.8.1-windowsservercore-ltsc2025');
  assert.equal(suggestReference(runtime, null, 'ltsc2019', now), 'mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2019');
  const windows = repository('mcr.microsoft.com/windows')!;
  assert.equal(suggestReference(windows, null, 'ltsc2025', now), 'mcr.microsoft.com/windows/server:ltsc2025', 'the successor repository');
});

test('completion offers supported tags only, recommended first', () => {
  const tags = completableTags(repository('mcr.microsoft.com/windows/servercore')!, at('2026-11-29'));
  const names = tags.map((t) => t.tag.tag);
  assert.equal(tags[0]!.recommended, true);
  assert.ok(names.indexOf('ltsc2025') < names.indexOf('ltsc2022'));
  for (const eol of ['1909', '20H2', '1709']) assert.ok(!names.includes(eol), eol);
  const aspnet = completableTags(repository('mcr.microsoft.com/dotnet/aspnet')!, at('2026-11-29')).map((t) => t.tag.tag);
  assert.ok(aspnet.includes('10.0-nanoserver-ltsc2025'));
  assert.ok(!aspnet.some((t) => t.startsWith('8.0') || t.startsWith('9.0') || t === '10.0' || t === 'latest'));
});

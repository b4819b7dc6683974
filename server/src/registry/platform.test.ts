import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexEntry, choosePlatform, normalizeArchitecture, windowsCompatible } from './platform';

const entry = (os: string, arch: string, version?: string, extra: Partial<IndexEntry> = {}): IndexEntry => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:' + (os + arch + (version ?? '')).padEnd(64, '0').replace(/[^0-9a-f]/g, '1').slice(0, 64),
  size: 100,
  platform: { os, architecture: arch, ...(version ? { 'os.version': version } : {}) },
  ...extra,
});

test('Windows compatibility follows containerd: exact build below 20348, a window from 20348', () => {
  assert.equal(windowsCompatible('10.0.17763', '10.0.17763.5000'), true);
  assert.equal(windowsCompatible('10.0.17763', '10.0.14393.1'), false);
  assert.equal(windowsCompatible('20348', '10.0.20348.2700'), true);
  assert.equal(windowsCompatible('20348', '10.0.17763.1'), false);
  assert.equal(windowsCompatible('20348', '10.0.26100.1'), false);
  assert.equal(windowsCompatible('26100', '10.0.20348.1'), true);
  assert.equal(windowsCompatible('26100', '10.0.26100.2894'), true);
  assert.equal(windowsCompatible('10.0.26100', '6.3.26100.1'), false);
});

test('the highest compatible os.version wins, compared numerically; attestations are skipped', () => {
  const manifests = [
    entry('windows', 'amd64', '10.0.20348.999'),
    entry('windows', 'amd64', '10.0.20348.1000'),
    entry('windows', 'amd64', '10.0.17763.1'),
    entry('linux', 'amd64'),
    entry('unknown', 'unknown', undefined, { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } }),
  ];
  const choice = choosePlatform(manifests, { osVersion: '10.0.20348' });
  assert.equal(choice.chosen?.platform?.['os.version'], '10.0.20348.1000');
  assert.equal(choice.entries.length, 4);
  const none = choosePlatform(manifests, { osVersion: '10.0.14393' });
  assert.equal(none.chosen, undefined);
  assert.equal(none.entries.length, 4);
  assert.match(none.reason, /listing every entry/);
  assert.equal(choosePlatform(manifests, {}).chosen, undefined);
  assert.equal(choosePlatform(manifests, { os: 'linux', architecture: 'x86_64' }).chosen?.platform?.os, 'linux');
});

test('architecture names are normalised', () => {
  assert.deepEqual(normalizeArchitecture('x86_64'), { architecture: 'amd64', variant: '' });
  assert.deepEqual(normalizeArchitecture('aarch64', 'v8'), { architecture: 'arm64', variant: '' });
  assert.deepEqual(normalizeArchitecture('armhf'), { architecture: 'arm', variant: 'v7' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidHost, isValidRepository, normalizeReference } from './reference';

const D = 'sha256:' + 'a'.repeat(64);

test('Docker Hub short names get docker.io, library/ and latest; the API host is registry-1.docker.io', () => {
  assert.deepEqual(normalizeReference('ubuntu'), {
    domain: 'docker.io', registry: 'registry-1.docker.io', repository: 'library/ubuntu', tag: 'latest', canonical: 'docker.io/library/ubuntu:latest',
  });
  const org = normalizeReference('myorg/my.app:1');
  assert.equal(org?.domain, 'docker.io');
  assert.equal(org?.repository, 'myorg/my.app');
  assert.equal(org?.tag, '1');
  assert.equal(normalizeReference('index.docker.io/library/alpine:3')?.registry, 'registry-1.docker.io');
  assert.equal(normalizeReference('docker.io/alpine')?.repository, 'library/alpine');
});

test('explicit registries, ports, localhost and IPv6 are kept as written', () => {
  const mcr = normalizeReference('mcr.microsoft.com/windows/servercore:ltsc2022');
  assert.equal(mcr?.registry, 'mcr.microsoft.com');
  assert.equal(mcr?.repository, 'windows/servercore');
  assert.equal(mcr?.tag, 'ltsc2022');
  const local = normalizeReference('localhost:5000/team/app');
  assert.equal(local?.registry, 'localhost:5000');
  assert.equal(local?.repository, 'team/app');
  assert.equal(local?.tag, 'latest');
  assert.equal(normalizeReference('localhost/app:2')?.registry, 'localhost');
  assert.equal(normalizeReference('registry.example.com:8443/a/b/c:v1')?.repository, 'a/b/c');
  const v6 = normalizeReference('[::1]:5000/app:1');
  assert.equal(v6?.registry, '[::1]:5000');
  assert.equal(v6?.repository, 'app');
});

test('digests: digest only has no tag; tag and digest keep both', () => {
  const byDigest = normalizeReference(`alpine@${D}`);
  assert.equal(byDigest?.digest, D);
  assert.equal(byDigest?.tag, undefined);
  assert.equal(byDigest?.canonical, `docker.io/library/alpine@${D}`);
  const both = normalizeReference(`127.0.0.1:5000/app:1.0@${D}`);
  assert.equal(both?.tag, '1.0');
  assert.equal(both?.digest, D);
  assert.equal(both?.registry, '127.0.0.1:5000');
});

test('invalid references are rejected with null', () => {
  for (const bad of ['', '  ', 'UPPER/case', 'Ubuntu', 'a b', 'app:', 'app@sha256:abc', 'a'.repeat(64), '/app', 'app//x', 'app:-bad', 'host:5000/', 'exa mple.com/app', `app@${'x'.repeat(70)}`, 'app:' + 't'.repeat(129)]) {
    assert.equal(normalizeReference(bad), null, bad);
  }
});

test('repository and host guards for caller-built RepositoryRefs', () => {
  assert.equal(isValidRepository('team/app'), true);
  assert.equal(isValidRepository('../etc'), false);
  assert.equal(isValidRepository('a/b?x=1'), false);
  assert.equal(isValidHost('127.0.0.1:5000'), true);
  assert.equal(isValidHost('user:pw@host'), false);
});

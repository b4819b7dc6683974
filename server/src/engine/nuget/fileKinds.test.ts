import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileKindForPath } from '../fileKinds';

test('nuget.config in any letter case, in any folder', () => {
  for (const path of ['nuget.config', 'NuGet.Config', 'NuGet.config', 'NUGET.CONFIG', '.nuget/NuGet.Config', 'src/nuget.config', 'C:\\repo\\.nuget\\NuGet.Config', '/home/me/repo/NuGet.Config']) {
    assert.equal(fileKindForPath(path), 'nuget-config', path);
  }
});

test('not nuget.config: backups, packages.config, other configs', () => {
  for (const path of ['nuget.config.bak', 'packages.config', 'nuget.config.orig', 'my.nuget.config', 'nuget.configx', 'NuGet.targets', 'web.config', 'nuget.config/readme.md']) {
    assert.notEqual(fileKindForPath(path), 'nuget-config', path);
  }
  assert.equal(fileKindForPath('packages.config'), null);
  assert.equal(fileKindForPath('nuget.config.bak'), null);
});

test('Dockerfiles are still Dockerfiles', () => {
  assert.equal(fileKindForPath('Dockerfile'), 'dockerfile');
  assert.equal(fileKindForPath('.nuget/Dockerfile.windows'), 'dockerfile');
});

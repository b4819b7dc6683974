import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-nuget-unlocked-restore';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };
const GITLAB = { kind: 'pipeline' as const, path: '/repo/.gitlab-ci.yml' };
const under = (text: string, options: typeof GITHUB) => findingsOf(id, text, options).map((f) => textAt(text, f.range));

test('GitHub: implicit restore of dotnet build in a block scalar (bash and PowerShell), exact range, info, one per job', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: |\n          echo start\n          dotnet build -c Release\n          dotnet test\n  b:\n    runs-on: windows-2022\n    steps:\n      - shell: pwsh\n        run: |\n          Write-Host hi\n          dotnet publish src/App.csproj -c Release\n';
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => [textAt(text, f.range), f.range.start.line, f.severity]), [['dotnet build', 7, 'info'], ['dotnet publish', 15, 'info']]);
  assert.match(findings[0]!.message, /`dotnet build` restores packages first .*add `--locked-mode`.*RestorePackagesWithLockFile/);
});

test('negative: --no-restore, --locked-mode, -p:RestoreLockedMode=true, env RestoreLockedMode, explicit restore before (left to unpinned-package-install)', () => {
  const cases = [
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet build --no-restore\n',
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet build --locked-mode\n',
    'on: push\njobs:\n  a:\n    runs-on: windows-2022\n    steps:\n      - run: dotnet build "/p:Configuration=Release;RestoreLockedMode=true"\n',
    'on: push\nenv:\n  RestoreLockedMode: true\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet test\n',
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    env:\n      RESTORELOCKEDMODE: "true"\n    steps:\n      - run: dotnet test\n',
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet restore --locked-mode\n      - run: dotnet build\n      - run: dotnet test bin/x.dll\n',
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet restore\n      - run: dotnet build\n',
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet pack --no-build\n      - run: dotnet tool restore\n',
    // Corpus (microsoft/CsWin32 build.yml): `--no-build` implies `--no-restore`, in a PowerShell block with backtick continuations.
    'on: push\njobs:\n  a:\n    runs-on: windows-2022\n    steps:\n      - shell: pwsh\n        run: |\n          dotnet test --no-build -c Release `\n            --filter "TestCategory!=HighMemory"\n',
  ];
  for (const text of cases) assert.deepEqual(under(text, GITHUB), [], text);
});

test('explicit script restores are unpinned-package-install\'s: no second finding here', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: dotnet restore\n';
  assert.deepEqual(under(text, GITHUB), []);
  assert.equal(findingsOf('unpinned-package-install', text, GITHUB).length, 1);
});

test('Azure: DotNetCoreCLI@2 (default build, restore, test) and NuGetCommand@2 (default restore); the task value is underlined', () => {
  const text = [
    'pool:', '  vmImage: windows-2022', 'steps:',
    '- task: NuGetCommand@2', '  inputs:', '    restoreSolution: "**/*.sln"',
    '- task: DotNetCoreCLI@2', '  inputs:', '    command: test',
    '', 'jobs:',
  ].slice(0, 9).join('\n') + '\n';
  const findings = findingsOf(id, text, AZURE);
  // The test task runs after the explicit NuGet restore in the same step list: only the restore is reported.
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['NuGetCommand@2']);
  assert.match(findings[0]!.message, /RestoreLockedMode: true` variable, or use `command: custom`/);
  const alone = 'steps:\n- task: DotNetCoreCLI@2\n  displayName: Build\n- task: DotNetCoreCLI@2\n  inputs:\n    command: restore\n';
  // The build restores first (default command build), and the explicit restore after it is unlocked too.
  assert.deepEqual(findingsOf(id, alone, AZURE).map((f) => [textAt(alone, f.range), f.range.start.line]), [['DotNetCoreCLI@2', 1], ['DotNetCoreCLI@2', 3]]);
});

test('Azure: a task named by its id (classic exports, templates) is the task: NuGetCommand as 333b11bd-…@2', () => {
  const text = 'steps:\n- task: 333b11bd-d341-40d9-afcf-b32d5ce6f23b@2\n  inputs:\n    command: restore\n    restoreSolution: OpenConsole.sln\n';
  assert.deepEqual(findingsOf(id, text, AZURE).map((f) => textAt(text, f.range)), ['333b11bd-d341-40d9-afcf-b32d5ce6f23b@2']);
  // An id the engine does not know names no task it judges.
  assert.deepEqual(findingsOf(id, text.replace('333b11bd', '433b11bd'), AZURE), []);
});

test('Azure negative: restoreArguments --locked-mode, arguments --no-restore, variables RestoreLockedMode (list form), push/pack nobuild', () => {
  const cases = [
    'steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: restore\n    restoreArguments: --locked-mode\n',
    'steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: build\n    arguments: -c Release --no-restore\n',
    'variables:\n- name: RestoreLockedMode\n  value: true\nsteps:\n- task: NuGetCommand@2\n',
    'steps:\n- task: NuGetCommand@2\n  env:\n    RestoreLockedMode: "true"\n- task: DotNetCoreCLI@2\n  inputs:\n    command: build\n',
    'steps:\n- task: DotNetCoreCLI@2\n  inputs:\n    command: push\n- task: DotNetCoreCLI@2\n  inputs:\n    command: pack\n    nobuild: true\n',
    'steps:\n- task: NuGetCommand@2\n  inputs:\n    command: custom\n    arguments: restore x.sln -LockedMode\n',
  ];
  for (const text of cases) assert.deepEqual(under(text, AZURE), [], text);
});

test('GitLab: dotnet publish in a script list; one finding per job', () => {
  const text = 'build:\n  script:\n    - dotnet publish -c Release\n    - dotnet test\nother:\n  script:\n    - echo\n';
  assert.deepEqual(under(text, GITLAB), ['dotnet publish']);
});

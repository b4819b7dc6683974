import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createDocument } from '../text';
import { CORPUS, corpusDockerfiles } from '../testing';
import { analyseShellScript, type ScriptAnalysis } from '../shell/scriptModel';
import { buildPipelineModel, type PipelineModel } from './model';
import { pipelineKindOf, type PipelineKind } from './recognise';

const model = (kind: PipelineKind, text: string) => buildPipelineModel(createDocument(text, 'untitled:x.yml'), kind);
const shells = (m: PipelineModel) => m.scripts.map((s) => `${s.jobName}:${s.shell}/${s.shellName}/${s.shellFrom}/${s.runnerOs}`);
/** Every script's characters map back onto the document text they came from. */
function checkMapping(text: string, m: PipelineModel): void {
  for (const script of [...m.scripts, ...m.otherScripts]) {
    assert.equal(script.script.offsets.length, script.script.text.length + 1);
    for (const offset of script.script.offsets) assert.ok(offset >= 0 && offset <= text.length);
  }
}

test('GitHub: step shell, then job defaults, then workflow defaults, then the runner platform', () => {
  const text = [
    'on: push',
    'defaults:',
    '  run:',
    '    shell: bash',
    'jobs:',
    '  win:',
    '    runs-on: windows-2022',
    '    defaults: {run: {shell: cmd}}',
    '    steps:',
    '    - run: echo job default',
    '    - run: Write-Host step',
    '      shell: pwsh',
    '  lin:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '    - run: echo workflow default',
    '    - run: print(1)',
    '      shell: python',
    '',
  ].join('\n');
  const m = model('github-workflow', text);
  assert.deepEqual(shells(m), ['win:cmd/cmd/job/windows', 'win:powershell/pwsh/step/windows', 'lin:posix/bash/workflow/linux']);
  assert.equal(m.otherScripts.length, 1);
  assert.equal(m.otherScripts[0]!.shellName, 'python');
  const first = m.scripts[0]!;
  assert.equal(first.script.text, 'echo job default');
  assert.equal(text.slice(first.script.offsets[0], first.script.offsets[first.script.text.length]), 'echo job default');
  assert.deepEqual(first.keyRange, { start: { line: 9, character: 6 }, end: { line: 9, character: 9 } });
  assert.deepEqual(m.jobs.map((job) => [job.name, job.runnerOs, job.runner.map((r) => `${r.key}=${r.value}`).join()]), [['win', 'windows', 'runs-on=windows-2022'], ['lin', 'linux', 'runs-on=ubuntu-latest']]);
  checkMapping(text, m);
});

test('GitHub: platform defaults by runner, matrix and self-hosted labels unknown (posix assumed)', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a: {runs-on: windows-latest, steps: [{run: dir}]}',
    '  b:',
    '    runs-on: [self-hosted, Windows, X64]',
    '    steps: [{run: dir}]',
    '  c:',
    '    runs-on: ${{ matrix.os }}',
    '    steps:',
    '    - run: |',
    '        ls',
    '  d:',
    '    runs-on: {group: big, labels: [macos-14]}',
    '    steps: [{run: ls}]',
    '  e:',
    '    runs-on: [self-hosted, gpu]',
    '    container: {image: "mcr.microsoft.com/x:1"}',
    '    steps: [{run: ls, shell: "bash -e {0}"}, {run: x, shell: "${{ matrix.shell }}"}]',
    '',
  ].join('\n');
  const m = model('github-workflow', text);
  assert.deepEqual(shells(m), [
    'a:powershell/pwsh/platform/windows', 'b:powershell/pwsh/platform/windows', 'c:posix/bash/platform/unknown', 'd:posix/bash/platform/macos',
    'e:posix/bash -e {0}/step/unknown', 'e:posix/${{ matrix.shell }}/step/unknown',
  ]);
  assert.equal(m.scripts[2]!.osKnown, false);
  assert.ok(m.jobs[4]!.runner.some((r) => r.key === 'container' && r.value === 'mcr.microsoft.com/x:1'));
  checkMapping(text, m);
});

test('GitHub: a runs-on matrix value whose every value names one OS decides it; mixed or unwritten values leave it unknown', () => {
  // xmake-io/xmake windows.yml: `runs-on: ${{ matrix.os }}` over windows-2019/2022 read its PowerShell as bash.
  const text = [
    'on: push',
    'jobs:',
    '  win:',
    '    strategy: {matrix: {os: [windows-2022, windows-2025], include: [{os: windows-2019, arch: x86}]}}',
    '    runs-on: ${{ matrix.os }}',
    '    steps: [{run: dir}]',
    '  mixed:',
    '    strategy: {matrix: {os: [windows-2022, ubuntu-24.04]}}',
    '    runs-on: ${{ matrix.os }}',
    '    steps: [{run: ls}]',
    '  json:',
    '    strategy: {matrix: {os: "${{ fromJSON(inputs.oses) }}"}}',
    '    runs-on: ${{ matrix.os }}',
    '    steps: [{run: ls}]',
    '  included:',
    '    strategy: {matrix: {include: [{os: macos-14}, {os: "${{ inputs.os }}"}]}}',
    '    runs-on: ${{ matrix.os }}',
    '    steps: [{run: ls}]',
    '',
  ].join('\n');
  const m = model('github-workflow', text);
  assert.deepEqual(shells(m), ['win:powershell/pwsh/platform/windows', 'mixed:posix/bash/platform/unknown', 'json:posix/bash/platform/unknown', 'included:posix/bash/platform/unknown']);
});

test('GitHub composite actions: runs.steps[].run with its shell; anchors resolved', () => {
  const text = 'name: a\nruns:\n  using: composite\n  steps:\n  - run: &s echo hi\n    shell: bash\n  - run: *s\n    shell: pwsh\n  - uses: actions/checkout@v4\n';
  const m = model('github-action', text);
  assert.deepEqual(shells(m), [':posix/bash/step/unknown', ':powershell/pwsh/step/unknown']);
  assert.equal(m.scripts[1]!.script.text, 'echo hi');
  assert.equal(m.scripts[1]!.script.offsets[0], text.indexOf('echo hi'));
});

test('Azure: script by pool OS, bash/pwsh/powershell steps, tasks, templates and conditionals', () => {
  const text = [
    'pool:',
    '  vmImage: windows-2022',
    'stages:',
    '- stage: Build',
    '  jobs:',
    '  - job: Win',
    '    steps:',
    '    - script: dir',
    '    - bash: ls',
    '    - pwsh: Get-ChildItem',
    '    - ${{ if eq(parameters.x, true) }}:',
    '      - powershell: Write-Host ${{ parameters.x }}',
    '    - task: PowerShell@2',
    '      inputs:',
    '        targetType: inline',
    '        pwsh: true',
    '        script: Write-Host task',
    '    - task: PowerShell@2',
    '      inputs: {targetType: filePath, filePath: x.ps1}',
    '    - task: CmdLine@2',
    '      inputs: {script: echo cmdline}',
    '    - task: Bash@3',
    '      inputs: {targetType: inline, script: echo bash}',
    '    - task: AzureCLI@2',
    '      inputs: {scriptType: pscore, scriptLocation: inlineScript, inlineScript: az account show}',
    '  - job: Lin',
    '    pool:',
    '      name: Azure Pipelines',
    '      vmImage: ubuntu-22.04',
    '    steps:',
    '    - script: ls',
    '  - deployment: Deploy',
    '    pool: {name: NetCore1ESPool, demands: ImageOverride -equals windows.vs2022.amd64}',
    '    strategy:',
    '      runOnce:',
    '        deploy:',
    '          steps:',
    '          - script: deploy.cmd',
    '  - template: jobs/x.yml',
    '    parameters:',
    '      steps:',
    '      - script: from parameters',
    '',
  ].join('\n');
  const m = model('azure-pipelines', text);
  assert.deepEqual(shells(m), [
    'Win:cmd/cmd/platform/windows', 'Win:posix/bash/step/windows', 'Win:powershell/pwsh/step/windows', 'Win:powershell/powershell/step/windows',
    'Win:powershell/pwsh/task/windows', 'Win:cmd/cmd/task/windows', 'Win:posix/bash/task/windows', 'Win:powershell/pwsh/task/windows',
    'Lin:posix/bash/platform/linux', 'Deploy:cmd/cmd/platform/windows', ':cmd/cmd/platform/windows',
  ]);
  const task = m.scripts[4]!;
  assert.equal(task.task, 'PowerShell@2');
  assert.equal(task.script.text, 'Write-Host task');
  assert.equal(text.slice(task.script.offsets[0]).startsWith('Write-Host task'), true);
  assert.equal(m.scripts[3]!.script.text, 'Write-Host ${{ parameters.x }}');
  assert.deepEqual(m.jobs.map((job) => `${job.name}@${job.path}:${job.runnerOs}`), ['Win@stages[0].jobs[0]:windows', 'Lin@stages[0].jobs[1]:linux', 'Deploy@stages[0].jobs[2]:windows']);
  assert.ok(m.jobs[1]!.runner.some((r) => r.key === 'pool.vmImage' && r.value === 'ubuntu-22.04'));
  checkMapping(text, m);
});

test('Azure: a steps template without a pool has an unknown OS; script is then bash (guess)', () => {
  const m = model('azure-pipelines', 'parameters:\n- name: a\nsteps:\n- script: echo ${{ parameters.a }}\n- template: other.yml\n');
  assert.deepEqual(shells(m), [':posix/bash/platform/unknown']);
  assert.equal(m.scripts[0]!.osKnown, false);
});

test('GitLab: scripts joined by line, defaults inherited, Windows by tags or image', () => {
  const text = [
    'default:',
    '  image: alpine:3.20',
    '  before_script:',
    '    - echo default',
    'stages: [build]',
    'variables: {A: b}',
    'linux:',
    '  script:',
    '    - apk add curl',
    '    - - nested one',
    '    - !reference [.setup, script]',
    'windows:',
    '  tags: [saas-windows-medium-amd64]',
    '  script: Write-Host hi',
    'servercore:',
    '  image: mcr.microsoft.com/windows/servercore:ltsc2022',
    '  after_script: ["dir"]',
    '  script: ["dir"]',
    '.hidden:',
    '  script: echo hidden',
    '',
  ].join('\n');
  const m = model('gitlab-ci', text);
  // The default before_script runs in every job without its own: in PowerShell on the Windows-tagged one.
  assert.deepEqual(shells(m), [
    'default:posix/bash/platform/linux', 'default:powershell/pwsh/platform/windows', 'linux:posix/bash/platform/linux', 'windows:powershell/pwsh/platform/windows',
    'servercore:powershell/pwsh/platform/windows', 'servercore:powershell/pwsh/platform/windows', '.hidden:posix/bash/platform/linux',
  ]);
  assert.deepEqual(m.scripts[0]!.runsIn!.map((job) => job.name), ['linux']);
  assert.deepEqual(m.scripts[1]!.runsIn!.map((job) => job.name), ['windows', 'servercore']);
  const linux = m.scripts[2]!;
  assert.equal(linux.script.text, 'apk add curl\nnested one');
  assert.equal(linux.lines!.length, 2);
  assert.equal(linux.script.offsets[12], text.indexOf('nested one'));
  assert.equal(m.jobs.find((job) => job.name === '.hidden')!.hidden, true);
  assert.equal(m.jobs.find((job) => job.name === 'windows')!.runner[0]!.value, 'saas-windows-medium-amd64');
  checkMapping(text, m);
});

test('GitLab extends: multi-level, lists (later wins), hidden templates; a template script is modelled once, in its jobs\' shell', () => {
  const text = [
    '.windows:',
    '  tags: [windows, shared]',
    '.build:',
    '  extends: .windows',
    '  before_script:',
    '    - Invoke-WebRequest https://example.com/x.zip -OutFile x.zip',
    '  script:',
    '    - msbuild',
    'build-a:',
    '  extends: .build',
    'build-b:',
    '  extends: [.build]',
    '  script: [nmake]',
    'linux:',
    '  extends: [.windows, .linux]',
    '.linux:',
    '  tags: [linux]',
    '  script: make',
    '',
  ].join('\n');
  const m = model('gitlab-ci', text);
  const job = (name: string) => m.jobs.find((entry) => entry.name === name)!;
  assert.deepEqual(['.windows', '.build', 'build-a', 'build-b', 'linux', '.linux'].map((name) => job(name).runnerOs), ['windows', 'windows', 'windows', 'windows', 'linux', 'linux']);
  // The template's tags are located where they are written.
  assert.equal(job('build-a').runner[0]!.range.start.line, 1);
  // Each script text once: .build's before_script and script (run by build-a, build-b), build-b's own script, .linux's script (run by linux).
  const described = m.scripts.map((script) => `${script.jobName}.${script.key}:${script.shell}:${script.runsIn!.map((entry) => entry.name).join('+')}`);
  assert.deepEqual(described, ['.build.before_script:powershell:build-a+build-b', '.build.script:powershell:build-a', 'build-b.script:powershell:build-b', '.linux.script:posix:linux']);
  assert.equal(m.scripts[0]!.script.offsets[0], text.indexOf('Invoke-WebRequest'));
  checkMapping(text, m);
});

test('GitLab extends: a template shared by Windows and Linux jobs is read once per shell', () => {
  const text = ['.common:', '  script: [curl -fsSL https://example.com/i.sh | sh]', 'win:', '  extends: .common', '  tags: [windows]', 'lin:', '  extends: .common', '  image: alpine:3', ''].join('\n');
  const m = model('gitlab-ci', text);
  assert.deepEqual(m.scripts.map((script) => `${script.jobName}:${script.shell}:${script.runnerOs}:${script.runsIn!.map((entry) => entry.name)}`), ['.common:posix:linux:lin', '.common:powershell:windows:win']);
});

test('GitLab extends: hashes merge key by key (image), cycles and chains deeper than GitLab allows stop, inherit: default', () => {
  const text = [
    'default:',
    '  image: mcr.microsoft.com/windows/servercore:ltsc2022',
    '  before_script: [echo hi]',
    '.base:',
    '  image: {name: alpine:3}',
    'entry:',
    '  extends: .base',
    '  image: {entrypoint: [""]}',
    '  script: [ls]',
    'a:',
    '  extends: b',
    '  script: [x]',
    'b:',
    '  extends: a',
    '  script: [y]',
    'own:',
    '  inherit: {default: false}',
    '  script: [z]',
    'listed:',
    '  inherit: {default: [before_script]}',
    '  script: [w]',
    '',
  ].join('\n');
  const m = model('gitlab-ci', text);
  const job = (name: string) => m.jobs.find((entry) => entry.name === name)!;
  // `image: {entrypoint}` over `image: {name: alpine}`: the name stays; a job without image takes the default's.
  assert.equal(job('entry').runnerOs, 'linux');
  assert.equal(job('a').runnerOs, 'windows');
  assert.equal(job('own').runnerOs, 'unknown');
  assert.equal(job('listed').runnerOs, 'unknown');
  // The default before_script runs in a, b, listed (not in own: inherit default false; entry has the default image? it inherits before_script).
  const before = m.scripts.filter((script) => script.key === 'before_script');
  assert.deepEqual(before.map((script) => `${script.shell}:${script.runsIn!.map((entry) => entry.name)}`), ['posix:entry,listed', 'powershell:a,b']);
  // A chain of 13 levels: the first 11 ancestors are followed (GitLab refuses the file; nothing hangs).
  const deep = ['.l12:', '  tags: [windows]', ...Array.from({ length: 12 }, (_, i) => [`.l${i}:`, `  extends: .l${i + 1}`]).flat(), 'job:', '  extends: .l0', '  script: [dir]', ''].join('\n');
  assert.equal(model('gitlab-ci', deep).jobs.find((entry) => entry.name === 'job')!.runnerOs, 'unknown');
  const shallow = deep.replace('  extends: .l11\n', '  tags: [windows]\n');
  assert.equal(model('gitlab-ci', shallow).jobs.find((entry) => entry.name === 'job')!.runnerOs, 'windows');
  // A diamond of extends lists 11 deep stays fast.
  const diamond = [...Array.from({ length: 11 }, (_, i) => [`.d${i}:`, `  extends: [.d${i + 1}, .d${i + 1}, .d${i + 1}]`]).flat(), '.d11:', '  tags: [windows]', 'job:', '  extends: .d0', '  script: [dir]', ''].join('\n');
  const started = Date.now();
  assert.equal(model('gitlab-ci', diamond).jobs.find((entry) => entry.name === 'job')!.runnerOs, 'windows');
  assert.ok(Date.now() - started < 1000);
});

test('GitLab merge keys: `<<: *anchor` keys are the job\'s, located in the anchored text, modelled once', () => {
  const text = [
    '.win: &win',
    '  tags: [windows]',
    '  script:',
    '    - Write-Host one',
    'a:',
    '  <<: *win',
    'b:',
    '  <<: [*win]',
    '  tags: [docker]',
    '',
  ].join('\n');
  const m = model('gitlab-ci', text);
  const job = (name: string) => m.jobs.find((entry) => entry.name === name)!;
  assert.equal(job('a').runnerOs, 'windows');
  assert.equal(job('a').runner[0]!.range.start.line, 1);
  assert.equal(job('b').runnerOs, 'unknown');
  // The anchored script: once, written in .win, run by a (Windows) and b (unknown OS: POSIX guess).
  assert.deepEqual(m.scripts.map((script) => `${script.jobName}:${script.shell}:${script.runsIn!.map((entry) => entry.name)}`), ['.win:posix:b', '.win:powershell:a']);
  assert.equal(m.scripts[0]!.script.offsets[0], text.indexOf('Write-Host'));
});

test('GitLab include: local: templates of an included file decide the OS when a reader is given; their scripts are not this file\'s', () => {
  const text = ['include:', '  - local: /ci/windows.yml', '  - remote: https://example.com/x.yml', '  - ci/more.yml', 'build:', '  extends: .windows-template', '  script: [dir]', 'other:', '  extends: .more', '  script: [ls]', ''].join('\n');
  const files: Record<string, string> = {
    'ci/windows.yml': '.windows-template:\n  tags: [saas-windows-medium-amd64]\n  before_script: [choco install x]\n',
    'ci/more.yml': 'include: ci/nested.yml\n.more:\n  extends: .nested\n',
    'ci/nested.yml': '.nested:\n  image: mcr.microsoft.com/windows/servercore:ltsc2022\n',
  };
  const read: string[] = [];
  const readRelated = (path: string) => {
    read.push(path);
    return path in files ? { text: files[path]!, path } : null;
  };
  const withReader = buildPipelineModel(createDocument(text, 'untitled:x.yml'), 'gitlab-ci', undefined, { readRelated });
  assert.deepEqual(read, ['ci/windows.yml', 'ci/more.yml', 'ci/nested.yml']);
  assert.deepEqual(withReader.jobs.map((job) => `${job.name}:${job.runnerOs}:${job.runner.length}`), ['build:windows:0', 'other:windows:0']);
  assert.deepEqual(withReader.scripts.map((script) => `${script.jobName}.${script.key}:${script.shell}`), ['build.script:powershell', 'other.script:powershell']);
  const without = model('gitlab-ci', text);
  assert.deepEqual(without.jobs.map((job) => job.runnerOs), ['unknown', 'unknown']);
});

test('half-typed and hostile input: no throw', () => {
  const samples = ['', 'jobs:', 'jobs:\n  a:\n    steps:\n    - run: |', 'steps:\n- task: PowerShell@2\n  inputs:\n    script: [', 'stages:\n- stage: a\n  jobs: *x', `steps: ${'['.repeat(10_000)}`, 'a: &a [*a]\nsteps: *a'];
  for (const text of samples) for (const kind of ['github-workflow', 'github-action', 'azure-pipelines', 'gitlab-ci'] as const) assert.doesNotThrow(() => checkMapping(text, model(kind, text)), text);
});

test('corpus: every pipeline file builds a model; script steps per kind', { skip: !fs.existsSync(CORPUS) && 'shared/corpus is absent' }, () => {
  const counts: Record<string, { files: number; scripts: number; other: number; jobs: number; windows: number }> = {};
  for (const file of corpusDockerfiles(['github-workflows', 'azure-pipelines', 'gitlab-ci'])) {
    const kind = pipelineKindOf(file.name.split('/').slice(2).join('/'), file.text);
    if (!kind) continue;
    const m = buildPipelineModel(createDocument(file.text), kind);
    checkMapping(file.text, m);
    const entry = (counts[kind] ??= { files: 0, scripts: 0, other: 0, jobs: 0, windows: 0 });
    entry.files++;
    entry.scripts += m.scripts.length;
    entry.other += m.otherScripts.length;
    entry.jobs += m.jobs.length;
    entry.windows += m.scripts.filter((s) => s.runnerOs === 'windows').length;
    for (const script of m.scripts) assert.equal(script.script.opaqueSpan, undefined, file.name);
    // Prefixes of the file (as typed): no throw.
    for (let end = 0; end < file.text.length; end += Math.max(1, Math.ceil(file.text.length / 20))) buildPipelineModel(createDocument(file.text.slice(0, end)), kind);
  }
  console.log('pipeline model corpus:', JSON.stringify(counts));
  assert.ok(counts['github-workflow']!.scripts > 1000);
  assert.ok(counts['azure-pipelines']!.scripts > 100);
  assert.ok(counts['gitlab-ci']!.scripts > 100);
});

interface StepHost extends ScriptAnalysis<StepHost> {}

test('corpus: every script goes through the shared script model, commands inside the document', { skip: !fs.existsSync(CORPUS) && 'shared/corpus is absent' }, () => {
  let commands = 0;
  for (const file of corpusDockerfiles(['github-workflows', 'azure-pipelines', 'gitlab-ci'])) {
    const kind = pipelineKindOf(file.name.split('/').slice(2).join('/'), file.text);
    if (!kind) continue;
    const document = createDocument(file.text);
    const lines = document.lineCount;
    for (const script of buildPipelineModel(document, kind).scripts) {
      const host: StepHost = { shell: script.shell, form: 'shell', commands: [] };
      analyseShellScript(document, host, script.script, script.shell);
      for (const command of host.commands) {
        const range = command.rangeOf();
        assert.ok(range.start.line >= 0 && range.end.line < lines, file.name);
        commands++;
      }
    }
  }
  console.log(`pipeline scripts through the script model: ${commands} commands`);
  assert.ok(commands > 3000);
});

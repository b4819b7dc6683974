import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CORPUS, corpusDockerfiles } from '../testing';
import { pipelineKindByPath, pipelineKindOf, type PipelineKind } from './recognise';

test('by path: the names the platforms and their editors read', () => {
  const cases: Array<[string, PipelineKind | null]> = [
    ['.github/workflows/ci.yml', 'github-workflow'],
    ['repo\\.github\\workflows\\release.yaml', 'github-workflow'],
    ['/home/u/r/.github/workflows/sub/ci.yml', null],
    ['action.yml', 'github-action'],
    ['tools/setup/action.yaml', 'github-action'],
    ['.gitlab-ci.yml', 'gitlab-ci'],
    ['ci/build.gitlab-ci.yml', 'gitlab-ci'],
    ['azure-pipelines.yml', 'azure-pipelines'],
    ['azure-pipelines-pr.yaml', 'azure-pipelines'],
    ['.azure-pipelines/build.yml', 'azure-pipelines'],
    ['.pipelines/templates/steps.yml', 'azure-pipelines'],
    ['build/azure-pipelines/linux/build.yml', 'azure-pipelines'],
    ['.vsts-ci.yml', 'azure-pipelines'],
    ['.github/workflows/README.md', null],
    ['docker-compose.yml', null],
    ['eng/pipelines/build.yml', null],
  ];
  for (const [path, kind] of cases) assert.equal(pipelineKindByPath(path), kind, path);
});

test('by content: Azure Pipelines pipelines and templates with any name', () => {
  const azure = (text: string) => assert.equal(pipelineKindOf('eng/ci/x.yml', text), 'azure-pipelines', text);
  azure('steps:\n- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: Write-Host hi\n');
  azure('steps:\n- script: echo hi\n  displayName: Say hi\n');
  azure('parameters:\n- name: x\n  type: string\nsteps:\n- ${{ if eq(parameters.x, \'a\') }}:\n  - pwsh: ./build.ps1\n');
  azure('parameters:\n  name: ""\nsteps:\n- ${{ each step in parameters.steps }}:\n  - ${{ step }}\n- template: /eng/steps/sign.yml@self\n');
  azure('jobs:\n- job: Build\n  pool:\n    vmImage: windows-2022\n  steps:\n  - checkout: self\n');
  azure('jobs:\n- template: jobs/build.yml\n  parameters: {a: 1}\n');
  azure('stages:\n- stage: Build\n  jobs: []\n');
  azure('resources:\n  repositories:\n  - repository: t\n    type: git\n    name: x/y\nextends:\n  template: v1/pipeline.yml@t\n');
  azure('variables:\n- group: secrets\n- name: a\n  value: b\n');
  azure('parameters:\n  feed: default\nvariables:\n- name: a\n  value: b\n');
  azure('trigger:\n  branches:\n    include: [main]\npool:\n  vmImage: ubuntu-latest\n');
  azure('trigger: none\npr: none\nphases:\n- phase: Build\n  steps:\n  - script: make\n');
});

test('by content: GitHub workflows and actions outside their usual paths only when clearly one', () => {
  assert.equal(pipelineKindOf('fixtures/wf.yml', 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: make\n'), 'github-workflow');
  assert.equal(pipelineKindOf('workflow-templates/call.yml', 'on: [push]\njobs:\n  call:\n    uses: org/repo/.github/workflows/x.yml@v1\n'), 'github-workflow');
  assert.equal(pipelineKindOf('samples/setup.yml', 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n  - run: echo\n    shell: bash\n'), 'github-action');
  // A `jobs:` mapping without triggers, or jobs without steps, runners or calls: not clearly a workflow.
  assert.equal(pipelineKindOf('x.yml', 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: make\n'), null);
  assert.equal(pipelineKindOf('x.yml', 'on: push\njobs:\n  build:\n    name: x\n'), null);
  // GitLab CI is known by name only: an included file is not recognised by content.
  assert.equal(pipelineKindOf('ci/jobs.yml', 'stages: [build]\nbuild:\n  stage: build\n  script:\n    - make\n'), null);
});

test('by content: other YAML is never a pipeline', () => {
  const none: Record<string, string> = {
    'deploy/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        command: ["sh", "-c"]\n        args: ["echo hi"]\n',
    'tekton/task.yaml': 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n  - name: build\n    image: alpine\n    script: |\n      echo hi\n',
    'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n  db:\n    image: postgres\n',
    'chart/values.yaml': 'replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\nservice:\n  type: ClusterIP\n  port: 80\njobs:\n- name: migrate\n  schedule: "0 * * * *"\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    '.github/ISSUE_TEMPLATE/bug.yml': 'name: Bug\ndescription: File a bug\nbody:\n- type: textarea\n  attributes:\n    label: What happened?\n',
    '.github/dependabot.yml': 'version: 2\nupdates:\n- package-ecosystem: github-actions\n  directory: /\n  schedule:\n    interval: weekly\n',
    'mkdocs.yml': 'site_name: Docs\nnav:\n- Home: index.md\ntheme:\n  name: material\n',
    'cloudbuild.yaml': 'steps:\n- name: ubuntu\n  script: echo hello\n- name: gcr.io/cloud-builders/docker\n  args: [build, -t, x, .]\n',
    '.circleci/config.yml': 'version: 2.1\njobs:\n  build:\n    docker:\n    - image: cimg/base:stable\n    steps:\n    - checkout\n    - run: make\n',
    'bitbucket-pipelines.yml': 'pipelines:\n  default:\n  - step:\n      script:\n      - make\n',
    '.drone.yml': 'kind: pipeline\ntype: docker\nname: default\nsteps:\n- name: test\n  image: golang\n  commands:\n  - go test\n',
    'openapi.yaml': 'openapi: 3.0.0\ninfo:\n  title: x\npaths: {}\n',
    'empty.yml': '',
    'broken.yml': 'steps:\n  - task: [\n',
    'notes.txt': 'steps:\n- script: echo\n',
  };
  for (const [path, text] of Object.entries(none)) assert.equal(pipelineKindOf(path, text), null, path);
});

const haveCorpus = fs.existsSync(CORPUS);
/** Corpus names are `<folder>/<owner>__<repo>/<path in the repository>`. */
const repositoryPath = (name: string) => name.split('/').slice(2).join('/');
const expected: Record<string, PipelineKind[]> = {
  'github-workflows': ['github-workflow', 'github-action'],
  'azure-pipelines': ['azure-pipelines'],
  'gitlab-ci': ['gitlab-ci'],
};
/**
 * zizmor's fixtures of unreadable input: not YAML (`lol`), inconsistent indentation, blank and
 * comment-only files. Outside `.github/workflows/` nothing says they are workflows.
 */
const NOT_RECOGNISABLE = new Set(['bad-yaml-1.yml', 'bad-yaml-2.yml', 'blank.yml', 'comment-only.yml'].map((name) => `github-workflows/zizmorcore__zizmor/crates/zizmor/tests/integration/test-data/invalid/${name}`));

test('corpus: every pipeline file gets the kind of its folder (by its path in its repository)', { skip: !haveCorpus && 'shared/corpus is absent' }, () => {
  const counts: Record<string, number> = {};
  const misses: string[] = [];
  for (const file of corpusDockerfiles(Object.keys(expected))) {
    const folder = file.name.split('/')[0]!;
    const kind = pipelineKindOf(repositoryPath(file.name), file.text);
    counts[`${folder}: ${kind}`] = (counts[`${folder}: ${kind}`] ?? 0) + 1;
    if (NOT_RECOGNISABLE.has(file.name)) assert.equal(kind, null, file.name);
    else if (!expected[folder]!.includes(kind!)) misses.push(`${file.name}: ${kind}`);
  }
  console.log('recognise corpus:', JSON.stringify(counts));
  assert.deepEqual(misses, []);
});

test('corpus: Azure files are recognised by content alone, renamed; GitLab files are not', { skip: !haveCorpus && 'shared/corpus is absent' }, () => {
  for (const file of corpusDockerfiles(['azure-pipelines', 'gitlab-ci'])) {
    const renamed = `elsewhere/renamed-${file.name.split('/').pop()!.replace(/^\.?(azure-pipelines|gitlab-ci)/, 'x')}`;
    const folder = file.name.split('/')[0]!;
    assert.equal(pipelineKindOf(renamed, file.text), folder === 'azure-pipelines' ? 'azure-pipelines' : null, file.name);
  }
});

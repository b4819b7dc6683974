// The pre-parse test for YAML the path does not settle: it must never hide a pipeline (every content the
// recognisers accept passes it: the recognisers' own examples, edge spellings, the whole corpus) and
// should spare the parse of most other YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipelineKindByContent } from './recognise';
import { parseYaml } from './yamlDocument';
import { CORPUS } from '../testing';
import { mayBePipelineByContent } from './contentSniff';

const byContent = (text: string): boolean => pipelineKindByContent(parseYaml(text)) !== null;

const PIPELINES = [
  'steps:\n- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: Write-Host hi\n',
  'parameters:\n- name: x\n  type: string\nsteps:\n- ${{ if eq(parameters.x, \'a\') }}:\n  - pwsh: ./build.ps1\n',
  'jobs:\n- job: Build\n  pool:\n    vmImage: windows-2022\n  steps:\n  - checkout: self\n',
  'stages:\n- stage: Build\n  jobs: []\n',
  'resources:\n  repositories:\n  - repository: t\n    type: git\n    name: x/y\nextends:\n  template: v1/pipeline.yml@t\n',
  'variables:\n- group: secrets\n- name: a\n  value: b\n',
  'trigger:\n  branches:\n    include: [main]\npool:\n  vmImage: ubuntu-latest\n',
  'trigger: none\npr: none\nphases:\n- phase: Build\n  steps:\n  - script: make\n',
  'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: make\n',
  'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n  - run: echo\n    shell: bash\n',
  // Spellings a line-start test could miss: a byte-order mark, CRLF, quoted, tagged and anchored keys, a
  // space before the colon, an indented root, a flow root, an explicit key, content on the `---` line, a
  // later document of a stream, a comment and a directive first.
  '\ufeffsteps:\n- script: echo hi\n',
  'steps:\r\n- script: echo hi\r\n',
  '"steps":\n- script: echo hi\n',
  "'steps' :\n- script: echo hi\n",
  '!!str steps:\n- script: echo hi\n',
  'name: x\n&s steps:\n- script: echo hi\n',
  '  steps:\n  - script: echo hi\n',
  '{steps: [{script: echo hi}]}\n',
  '? steps\n: - script: echo hi\n',
  '--- {steps: [{script: echo hi}]}\n',
  'apiVersion: v1\nkind: ConfigMap\n---\nsteps:\n- script: echo hi\n',
  '# build steps\n%YAML 1.2\n---\nsteps:\n- script: echo hi\n',
  'parameters: {}\n\n# the steps\n\nsteps:\n  - bash: make\n',
];

const OTHERS = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n',
  'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n',
  'replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\nworker:\n  jobs: 4\n  steps: []\n',
  'site_name: Docs\nnav:\n- Home: index.md\n',
  'openapi: 3.0.0\ninfo:\n  title: x\nservers:\n- url: https://{host}\n  variables:\n    host:\n      default: example.com\npaths: {}\n',
  '',
  '# only a comment\n',
];

test('never false for YAML the recognisers take as a pipeline', () => {
  for (const text of PIPELINES) {
    assert.ok(byContent(text), `the recogniser takes ${JSON.stringify(text)}`);
    assert.ok(mayBePipelineByContent(text), JSON.stringify(text));
  }
});

test('false for common YAML without a pipeline root key, so it is not parsed', () => {
  for (const text of OTHERS) {
    assert.ok(!byContent(text), JSON.stringify(text));
    assert.equal(mayBePipelineByContent(text), false, JSON.stringify(text));
  }
});

test('corpus: every YAML file the recognisers take by content passes; the YAML files of node_modules neither', { skip: !fs.existsSync(CORPUS) && 'shared/corpus is absent' }, () => {
  const files: string[] = [];
  const walk = (directory: string, depth: number): void => {
    if (depth > 12 || !fs.existsSync(directory)) return;
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) files.push(full);
    }
  };
  walk(CORPUS, 0);
  const corpusCount = files.length;
  walk(path.resolve(__dirname, '../../../../node_modules'), 0);
  let pipelines = 0;
  let spared = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (byContent(text)) {
      pipelines++;
      assert.ok(mayBePipelineByContent(text), `${file} is a pipeline by content but the sniff says no`);
    } else if (!mayBePipelineByContent(text)) {
      spared++;
    }
  }
  assert.ok(corpusCount > 400 && pipelines > 400, `${corpusCount} corpus files, ${pipelines} pipelines by content`);
  console.log(`# ${files.length} YAML files (${corpusCount} corpus), ${pipelines} pipelines by content (all pass), ${spared} of ${files.length - pipelines} others spared a parse`);
});

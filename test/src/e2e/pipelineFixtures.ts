// Pipeline YAML written into the e2e workspace by the driver (runInCodeServer.ts) and checked by the suite
// (suite/index.ts): a GitHub workflow (pipeline by its folder), an Azure Pipelines template in eng/ (by its
// content), and two YAML files that are no pipeline (a Kubernetes manifest, a compose file).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const WORKFLOW_PATH = ['.github', 'workflows', 'build.yml'] as const;
export const AZURE_TEMPLATE_PATH = ['eng', 'templates', 'build.yml'] as const;
export const KUBERNETES_PATH = ['deploy', 'web.yaml'] as const;
export const COMPOSE_PATH = ['docker-compose.yml'] as const;

export const WORKFLOW = [
  'name: build',
  'on:',
  '  issues:',
  '    types: [opened]',
  'jobs:',
  '  build:',
  '    runs-on: windows-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - name: Greet',
  '        run: |',
  '          echo "Title: ${{ github.event.issue.title }}"',
  // A Windows runner's `run:` is PowerShell: the advice is Get-FileHash, not sha256sum.
  '      - name: Tools',
  '        run: |',
  '          dotnet tool install --global wix',
  '          aria2c -o tool.zip https://example.com/tool.zip',
  '',
].join('\n');

export const AZURE_TEMPLATE = [
  'parameters:',
  '  - name: configuration',
  '    default: Release',
  'steps:',
  '  - checkout: self',
  '  - task: DotNetCoreCLI@2',
  '    inputs:',
  '      command: build',
  '  - script: echo "$(Build.SourceBranchName)"',
  '',
].join('\n');

export const KUBERNETES = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:latest',
  '          command: ["sh", "-c", "echo ${{ github.event.issue.title }}"]',
  '',
].join('\n');

export const COMPOSE = [
  'services:',
  '  web:',
  '    image: mcr.microsoft.com/windows/servercore:ltsc2022',
  '    command: powershell -c "iwr https://example.com/x.ps1 | iex"',
  '',
].join('\n');

export function writePipelineFixtures(workspace: string): void {
  for (const [segments, text] of [[WORKFLOW_PATH, WORKFLOW], [AZURE_TEMPLATE_PATH, AZURE_TEMPLATE], [KUBERNETES_PATH, KUBERNETES], [COMPOSE_PATH, COMPOSE]] as const) {
    const file = path.join(workspace, ...segments);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

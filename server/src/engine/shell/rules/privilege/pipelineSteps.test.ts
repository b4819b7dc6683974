// The privilege rules on pipeline steps: the same rules as on RUN, through the pipeline's script view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { azureStep, azureTask, github, gitlab, pipelineFindings, underlinedIn } from '../pipelineFixtures';

const secret = 'secret-in-run';
const password = 'local-user-with-password';
const administrators = 'user-added-to-administrators';

test('secret-in-run: a literal API key in a pwsh step and a password in a GitLab item, with pipeline advice', () => {
  const pipeline = github('windows-latest', [['nuget push pkg.nupkg -ApiKey oy2abcdefghijklmnopqrstuvwxyz0123456789abcdefg -Source https://api.nuget.org/v3/index.json']]);
  const [finding] = pipelineFindings(secret, pipeline);
  assert.deepEqual(underlinedIn(secret, pipeline), ['oy2abcdefghijklmnopqrstuvwxyz0123456789abcdefg']);
  assert.match(finding!.message, /NuGet API key/);
  assert.match(finding!.message, /secrets\.NAME/);
  assert.doesNotMatch(finding!.message, /RUN|image/);
  const list = gitlab(['"helm repo add charts https://charts.example.com --password Winter2026!"']);
  assert.deepEqual(underlinedIn(secret, list), ['Winter2026!']);
  assert.match(pipelineFindings(secret, list)[0]!.message, /masked CI\/CD variable/);
});

test('secret-in-run: secrets passed by reference are not flagged', () => {
  assert.deepEqual(pipelineFindings(secret, github('windows-latest', [['nuget push pkg.nupkg -ApiKey ${{ secrets.NUGET_API_KEY }}', 'nuget push pkg.nupkg -ApiKey $env:NUGET_API_KEY']])), []);
  assert.deepEqual(pipelineFindings(secret, azureTask(['nuget push pkg.nupkg -ApiKey $(NuGetApiKey)'])), []);
});

test('local-user-with-password: net user in an Azure script: step on a Windows pool, New-LocalUser in a pwsh >- block', () => {
  const cmd = azureStep('windows-2022', 'script', ['net user app P@ssw0rd! /add']);
  assert.deepEqual(underlinedIn(password, cmd), ['P@ssw0rd!']);
  assert.match(pipelineFindings(password, cmd)[0]!.message, /written in the pipeline file/);
  const folded = github('windows-latest', [["New-LocalUser -Name app -Password (ConvertTo-SecureString 'S3cret!' -AsPlainText -Force)"]], '>-');
  assert.deepEqual(underlinedIn(password, folded), ["'S3cret!'"]);
});

test('local-user-with-password: a password from a secret variable is not flagged', () => {
  assert.deepEqual(pipelineFindings(password, azureStep('windows-2022', 'script', ['net user app %APP_PASSWORD% /add', 'net user svc $(ServicePassword) /add'])), []);
});

test('user-added-to-administrators: a GitLab Windows job and a bash step on ubuntu name the runner', () => {
  const windows = gitlab(['net localgroup Administrators app /add'], { tags: 'windows' });
  assert.deepEqual(underlinedIn(administrators, windows), ['Administrators']);
  assert.match(pipelineFindings(administrators, windows)[0]!.message, /of the runner/);
  assert.deepEqual(underlinedIn(administrators, github('ubuntu-latest', [['sudo useradd tester', 'sudo usermod -aG sudo tester']])), ['sudo']);
});

test('user-added-to-administrators: other groups are not flagged', () => {
  assert.deepEqual(pipelineFindings(administrators, github('ubuntu-latest', [['sudo usermod -aG docker $USER']])), []);
  assert.deepEqual(pipelineFindings(administrators, gitlab(['net localgroup Users app /add'], { tags: 'windows' })), []);
});

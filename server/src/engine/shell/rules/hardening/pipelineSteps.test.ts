// The hardening rules on pipeline steps: the same rules as on RUN, through the pipeline's script view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, azureStep, azureTask, github, gitlab, pipelineFindings, ruleFixes, underlinedIn } from '../pipelineFixtures';

const tls = 'tls-validation-disabled';
const protection = 'protection-disabled';
const legacy = 'legacy-protocol-enabled';
const unpinned = 'unpinned-package-install';

test('tls-validation-disabled: curl -k in a bash | block, a trust-all callback in Azure powershell:, git sslVerify in a quoted scalar', () => {
  assert.deepEqual(underlinedIn(tls, github('ubuntu-latest', [['set -e', 'curl -k -fsSL -o x.tgz https://example.com/x.tgz']])), ['-k']);
  const azure = azureStep('windows-latest', 'powershell', ['[Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }', 'iwr https://example.com/x -OutFile x']);
  assert.deepEqual(underlinedIn(tls, azure), ['{ $true }']);
  const quoted = github('ubuntu-latest', [['git config --global http.sslVerify false']], '\'');
  assert.deepEqual(underlinedIn(tls, quoted), ['http.sslVerify false']);
});

test('tls-validation-disabled: -k against the machine itself (a local emulator\'s self-signed certificate) is not flagged', () => {
  const pipeline = github('ubuntu-latest', [['endpoint="https://localhost:8081/"', 'curl --silent --insecure "${endpoint}" > /dev/null']]);
  assert.deepEqual(pipelineFindings(tls, pipeline), []);
  assert.deepEqual(pipelineFindings(tls, gitlab(['curl -fsSL https://example.com/x -o x'])), []);
});

test('protection-disabled: Set-MpPreference on a Windows agent names the runner, not an image', () => {
  const pipeline = azureStep('windows-2022', 'pwsh', ['Set-MpPreference -DisableRealtimeMonitoring $true']);
  assert.deepEqual(underlinedIn(protection, pipeline), ['-DisableRealtimeMonitoring $true']);
  assert.match(pipelineFindings(protection, pipeline)[0]!.message, /later runs on this runner/);
  const gitlabWindows = gitlab(['netsh advfirewall set allprofiles state off'], { tags: 'windows, shared-windows' });
  assert.deepEqual(underlinedIn(protection, gitlabWindows), ['allprofiles state off']);
});

test('protection-disabled: an execution policy for this process only is not flagged', () => {
  assert.deepEqual(pipelineFindings(protection, azureTask(['Set-ExecutionPolicy Bypass -Scope Process -Force', './build.ps1'])), []);
});

test('legacy-protocol-enabled: TLS 1.0 forced in a pwsh step on windows-latest; TLS 1.2 is not flagged', () => {
  const pipeline = github('windows-latest', [['[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls', 'iwr https://example.com/x -OutFile x']]);
  assert.deepEqual(underlinedIn(legacy, pipeline), ['[Net.SecurityProtocolType]::Tls']);
  assert.deepEqual(pipelineFindings(legacy, github('windows-latest', [['[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12']])), []);
});

test('unpinned-package-install: pip in a GitLab list, choco in PowerShell@2, npm install in a plain run: with the npm ci fix', () => {
  const list = gitlab(['pip3 install --user meson ninja==1.11.1']);
  assert.deepEqual(underlinedIn(unpinned, list), ['meson']);
  assert.match(pipelineFindings(unpinned, list)[0]!.message, /newest when the job runs/);
  assert.deepEqual(underlinedIn(unpinned, azureTask(['choco install git -y'])), ['git']);
  const plain = github('ubuntu-latest', [['npm install']], 'plain');
  assert.deepEqual(underlinedIn(unpinned, plain), ['npm install']);
  const [fix] = ruleFixes(pipelineFindings(unpinned, plain)[0]!);
  assert.match(applyFix(plain, fix!), /- run: npm ci\n/);
});

test('unpinned-package-install: pinned versions and npm ci are not flagged', () => {
  assert.deepEqual(pipelineFindings(unpinned, gitlab(['pip install requests==2.32.3', 'npm ci'])), []);
  assert.deepEqual(pipelineFindings(unpinned, azureTask(['choco install git --version 2.47.1 -y'])), []);
});

test('tls-validation-disabled: env: and variables: that switch certificate checks off, at every level', () => {
  const workflow = {
    path: '/repo/.github/workflows/ci.yml',
    text: 'on: push\nenv:\n  GIT_SSL_NO_VERIFY: "true"\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      NODE_TLS_REJECT_UNAUTHORIZED: 0\n    steps:\n      - run: npm ci\n        env:\n          NODE_TLS_REJECT_UNAUTHORIZED: 1\n',
  };
  assert.deepEqual(underlinedIn(tls, workflow), ['GIT_SSL_NO_VERIFY: "true"', 'NODE_TLS_REJECT_UNAUTHORIZED: 0']);
  const [file, job] = pipelineFindings(tls, workflow);
  assert.match(file!.message, /`GIT_SSL_NO_VERIFY: true` makes Git skip certificate verification .* and applies to every job of the file/);
  assert.match(job!.message, /applies to every step of the job/);
  const azure = { path: '/repo/azure-pipelines.yml', text: 'variables:\n- name: PIP_TRUSTED_HOST\n  value: pypi.example.com\npool:\n  vmImage: ubuntu-latest\nsteps:\n- script: pip install -r requirements.txt\n' };
  assert.deepEqual(underlinedIn(tls, azure), ['PIP_TRUSTED_HOST\n  value: pypi.example.com']);
  const gitlabFile = { path: '/repo/.gitlab-ci.yml', text: 'variables:\n  GIT_SSL_NO_VERIFY: ""\nbuild:\n  image: alpine\n  variables:\n    NODE_TLS_REJECT_UNAUTHORIZED:\n      value: "0"\n      description: x\n  script:\n    - npm ci\n' };
  assert.deepEqual(underlinedIn(tls, gitlabFile), ['NODE_TLS_REJECT_UNAUTHORIZED:\n      value: "0"']);
});

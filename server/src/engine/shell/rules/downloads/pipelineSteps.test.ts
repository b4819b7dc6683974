// The download rules on pipeline steps: the same rules as on RUN, through the pipeline's script view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, azureStep, azureTask, github, gitlab, pipelineFindings, ruleFixes, underlinedIn } from '../pipelineFixtures';

const unchecked = 'download-without-integrity-check';
const execute = 'download-and-execute';
const cleartext = 'cleartext-download';

test('download-without-integrity-check: pwsh on windows-latest in a | block, with an insertable check; a GitLab plain item gets no fix', () => {
  const pipeline = github('windows-latest', [['$ErrorActionPreference = "Stop"', 'Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile tool.zip', 'Expand-Archive tool.zip']]);
  const [finding] = pipelineFindings(unchecked, pipeline);
  assert.equal(underlinedIn(unchecked, pipeline)[0], 'https://example.com/tool.zip');
  assert.match(finding!.message, /nothing checks it/);
  const [fix] = ruleFixes(finding!);
  const fixed = applyFix(pipeline, fix!);
  assert.match(fixed, /-OutFile tool\.zip; if \(\(Get-FileHash 'tool\.zip' -Algorithm SHA256\)\.Hash -ne '<sha256-of-the-download>'\) \{ throw 'tool\.zip: unexpected SHA256' \}\n/);
  // Once inserted, the placeholder is what is left to do.
  assert.deepEqual(underlinedIn(unchecked, { ...pipeline, text: fixed }), ['<sha256-of-the-download>']);

  const list = gitlab(['curl -fsSL -o tool.tgz https://example.com/tool.tgz', 'tar -xzf tool.tgz']);
  const [item] = pipelineFindings(unchecked, list);
  assert.equal(underlinedIn(unchecked, list)[0], 'https://example.com/tool.tgz');
  assert.match(item!.message, /sha256sum -c/);
  // A plain YAML scalar: `"…" | sha256sum` could change how the line parses; no fix.
  assert.deepEqual(ruleFixes(item!), []);
});

test('download-without-integrity-check: a check in a later step of the same job covers the download; another job does not', () => {
  const checked = github('ubuntu-latest', [
    ['curl -fsSL -o tool.tgz https://example.com/tool.tgz'],
    ['echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  tool.tgz" | sha256sum -c -'],
  ]);
  assert.deepEqual(pipelineFindings(unchecked, checked), []);
  const otherJob = {
    path: '/repo/.github/workflows/ci.yml',
    text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL -o tool.tgz https://example.com/tool.tgz\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  tool.tgz" | sha256sum -c -\n',
  };
  assert.deepEqual(underlinedIn(unchecked, otherJob), ['https://example.com/tool.tgz']);
  // GitLab: before_script runs before script.
  const gitlabChecked = gitlab(['echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  tool.tgz" | sha256sum -c -'], { before: ['curl -fsSL -o tool.tgz https://example.com/tool.tgz'] });
  assert.deepEqual(pipelineFindings(unchecked, gitlabChecked), []);
});

test('download-without-integrity-check: the CI server\'s own artifacts and commit-pinned raw files are not flagged', () => {
  const pipeline = gitlab([
    'curl --fail "${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/jobs/42/artifacts" -o artifacts.zip',
    'curl https://raw.githubusercontent.com/matus-chochlik/ctcache/e33c063ca6e52b48bcefbc45d46d8c150ffa81ca/src/ctcache/clang_tidy_cache.py -o cache.py',
  ]);
  assert.deepEqual(pipelineFindings(unchecked, pipeline), []);
});

test('download-and-execute: Azure powershell: iex of DownloadString, bash in a >- block and in a double-quoted scalar', () => {
  const azure = azureStep('windows-latest', 'powershell', ["iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))"]);
  assert.deepEqual(underlinedIn(execute, azure), ['iex']);
  assert.match(pipelineFindings(execute, azure)[0]!.message, /Get-FileHash/);
  const folded = github('ubuntu-latest', [['curl --proto "=https" -sSf https://sh.rustup.rs', '| sh -s -- -y']], '>-');
  assert.deepEqual(underlinedIn(execute, folded), ['sh']);
  const quoted = github('ubuntu-latest', [['curl -sSL https://example.com/install.sh | sudo bash']], '"');
  assert.deepEqual(underlinedIn(execute, quoted), ['bash']);
});

test('download-and-execute: a download piped into a program that does not run it is not flagged', () => {
  assert.deepEqual(pipelineFindings(execute, github('ubuntu-latest', [['curl -fsSL https://api.example.com/v1/release.json | jq -r .tag']])), []);
  assert.deepEqual(pipelineFindings(execute, azureTask(["$release = Invoke-RestMethod https://api.example.com/v1/release.json", 'Write-Host $release.tag'])), []);
});

test('cleartext-download: PowerShell@2 inline with an https fix inside the block, a single-quoted GitLab item without one', () => {
  const task = azureTask(['Invoke-WebRequest -Uri http://github.com/Kitware/CMake/releases/download/v3.30.0/cmake.zip -OutFile cmake.zip']);
  assert.deepEqual(underlinedIn(cleartext, task), ['http://github.com/Kitware/CMake/releases/download/v3.30.0/cmake.zip']);
  const [fix] = ruleFixes(pipelineFindings(cleartext, task)[0]!);
  assert.match(applyFix(task, fix!), /-Uri https:\/\/github\.com\/Kitware/);

  const item = gitlab(["'curl -fsSL -o x.tgz http://example.com/x.tgz'"]);
  assert.deepEqual(underlinedIn(cleartext, item), ['http://example.com/x.tgz']);
  assert.deepEqual(ruleFixes(pipelineFindings(cleartext, item)[0]!), []);
});

test('cleartext-download: https and the machine itself are not flagged', () => {
  const pipeline = github('ubuntu-latest', [['curl -fsSL -o x.tgz https://example.com/x.tgz', 'curl -fsS http://localhost:8080/health']]);
  assert.deepEqual(pipelineFindings(cleartext, pipeline), []);
});

test('cleartext-download: a URL in the step\'s or job\'s env:, reported where it is written, with the https fix there', () => {
  const pipeline = {
    path: '/repo/.github/workflows/ci.yml',
    text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      TOOL_URL: http://github.com/example/tool/releases/download/v1/tool.tgz\n    steps:\n      - run: curl -fsSL -o tool.tgz "$TOOL_URL"\n',
  };
  assert.deepEqual(underlinedIn(cleartext, pipeline), ['http://github.com/example/tool/releases/download/v1/tool.tgz']);
  const [fix] = ruleFixes(pipelineFindings(cleartext, pipeline)[0]!);
  assert.match(applyFix(pipeline, fix!), /TOOL_URL: https:\/\/github\.com/);
  // The download names the file, so the unchecked download is reported on the command as usual.
  assert.deepEqual(underlinedIn(unchecked, pipeline), ['"$TOOL_URL"']);
  // Another job's env does not reach this step.
  const other = { ...pipeline, text: pipeline.text.replace('    env:\n      TOOL_URL', '    environment: x\n    outputs:\n      TOOL_URL') };
  assert.deepEqual(pipelineFindings(cleartext, other), []);
});

test('download-without-integrity-check: the inserted check keeps a file name with a variable expanding (double quotes)', () => {
  const pipeline = github('windows-latest', [['Invoke-WebRequest -Uri https://example.com/promu-$($Env:V).zip -OutFile promu-$($Env:V).zip']]);
  const [fix] = ruleFixes(pipelineFindings(unchecked, pipeline)[0]!);
  assert.match(applyFix(pipeline, fix!), /Get-FileHash "promu-\$\(\$Env:V\)\.zip" -Algorithm SHA256/);
});

test('download-without-integrity-check: aria2c downloads (qBittorrent\'s Windows CI); --checksum makes aria2c verify the file itself', () => {
  const pipeline = github('ubuntu-latest', [[
    'aria2c "https://boostorg.jfrog.io/artifactory/main/release/1.79.0/source/boost_1_79_0.7z" -d "${{ runner.temp }}" -o "boost.7z"',
    '7z x "${{ runner.temp }}/boost.7z"',
    'aria2c --checksum=sha-256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef https://example.com/tool.tar.gz',
  ]]);
  assert.deepEqual(underlinedIn(unchecked, pipeline), ['"https://boostorg.jfrog.io/artifactory/main/release/1.79.0/source/boost_1_79_0.7z"']);
  assert.match(pipelineFindings(unchecked, pipeline)[0]!.message, /`aria2c` saves `\$\{\{ runner\.temp \}\}\/boost\.7z`/);
});

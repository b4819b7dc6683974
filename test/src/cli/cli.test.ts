// The bundled CLI (dist/cli.js) as CI runs it: output formats, exit codes, --fix, walking, config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist', 'cli.js');
const examples = path.join(repo, 'examples');
const VALIDATOR = path.join(repo, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
const SCHEMA = path.join(repo, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'sarif-2.1.0.json');

function run(args: string[], cwd = repo): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempCopyOfExamples(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-'));
  fs.cpSync(examples, directory, { recursive: true });
  return directory;
}

test('text output lists precise findings and exits 1', () => {
  const { code, stdout } = run(['lint', 'examples/']);
  assert.equal(code, 1);
  assert.match(stdout, /^examples\/windows\/servercore-app\/Dockerfile:3:6: warning \[privileged-user\] The final stage sets no USER/m);
  assert.match(stdout, /^examples\/windows\/servercore-app\/Dockerfile:10:5: warning \[add-remote-without-checksum\]/m);
  assert.match(stdout, /^examples\/windows\/legacy-framework\/NuGet\.Config:13:43: error \[nuget-cleartext-password\] The password for "contoso internal" is committed in clear text/m);
  assert.match(stdout, /^examples\/\.github\/workflows\/windows-image\.yml:28:61: error \[pipeline-script-injection\]/m);
  assert.match(stdout, /findings \(\d+ error, \d+ warning, \d+ info, \d+ hint\) in 8 files; 3 fixable with --fix/);
  assert.doesNotMatch(stdout, /nanoserver-api\/nuget\.config/, 'the model config passes every rule');
});

test('json output carries 1-based positions, severities and fixability', () => {
  const { code, stdout } = run(['lint', '--format', 'json', 'examples/windows/servercore-app']);
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as { files: number; findings: Array<Record<string, unknown>> };
  assert.equal(report.files, 1);
  const privileged = report.findings.find((f) => f.ruleId === 'privileged-user')!;
  assert.deepEqual(
    { line: privileged.line, column: privileged.column, endLine: privileged.endLine, endColumn: privileged.endColumn, severity: privileged.severity, fixable: privileged.fixable },
    // Switching the user is a quick fix a person chooses: nothing `--fix` applies.
    { line: 3, column: 6, endLine: 3, endColumn: 51, severity: 'warning', fixable: false },
  );
});

test('SARIF output is valid for Microsoft\'s SARIF validator and tags CWEs', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-sarif-'));
  const file = path.join(directory, 'out.sarif');
  const { code, stdout } = run(['lint', '--format', 'sarif', 'examples/']);
  assert.equal(code, 1);
  fs.writeFileSync(file, stdout);
  const log = JSON.parse(stdout);
  const run0 = log.runs[0];
  assert.equal(log.version, '2.1.0');
  const privileged = run0.tool.driver.rules.find((r: { id: string }) => r.id === 'privileged-user');
  assert.deepEqual(privileged.properties.tags, ['security', 'external/cwe/cwe-250']);
  assert.equal(privileged.properties['security-severity'], '6.5');
  assert.match(privileged.help.markdown, /^# privileged-user/);
  const mismatch = run0.tool.driver.rules.find((r: { id: string }) => r.id === 'windows-version-mismatch');
  assert.deepEqual(mismatch.properties.tags, ['correctness'], 'no CWE: not a security alert');
  assert.equal(mismatch.properties['security-severity'], undefined);
  const result = run0.results.find((r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.ruleId === 'privileged-user' && r.locations[0].physicalLocation.artifactLocation.uri.includes('servercore-app'));
  assert.deepEqual(result.locations[0].physicalLocation, {
    artifactLocation: { uri: 'examples/windows/servercore-app/Dockerfile', uriBaseId: '%SRCROOT%' },
    region: { startLine: 3, startColumn: 6, endLine: 3, endColumn: 51 },
  });
  assert.equal(run0.results[0].ruleIndex, run0.tool.driver.rules.findIndex((r: { id: string }) => r.id === run0.results[0].ruleId));

  // Microsoft's validator (schema + SARIF rules), with the final 2.1.0 schema it ships.
  const errorsIn = (sarifFile: string): string[] => {
    const output = `${sarifFile}.validation`;
    const checked = spawnSync(VALIDATOR, ['validate', sarifFile, '--json-schema', SCHEMA, '--output', output], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    const validation = JSON.parse(fs.readFileSync(output, 'utf8')).runs[0];
    assert.equal(validation.invocations[0].executionSuccessful, true);
    return (validation.results as Array<{ level?: string; ruleId: string; message: unknown }>)
      .filter((p) => p.level === 'error')
      .map((p) => `${p.ruleId} ${JSON.stringify(p.message)}`);
  };
  assert.deepEqual(errorsIn(file), []);
  // Negative control: the validator does catch a schema violation in this environment.
  const broken = path.join(directory, 'broken.sarif');
  fs.writeFileSync(broken, stdout.replace(/"startLine": \d+/, '"startLine": 0'));
  assert.ok(errorsIn(broken).some((e) => e.startsWith('JSON1008')), 'validator found the broken startLine');

  // The same schema through Ajv, which also checks enums the validator cannot deserialize.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  assert.equal(validate(log), true, JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(validate(JSON.parse(stdout.replace('"level": "warning"', '"level": "bogus"'))), false);
});

test('exit codes: clean 0, threshold, missing path 2, bad usage 2', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-exit-'));
  fs.writeFileSync(path.join(directory, 'Dockerfile'), `FROM mcr.microsoft.com/windows/nanoserver:ltsc2025@sha256:${'a'.repeat(64)}\nCMD ["x.exe"]\n`);
  const clean = run(['lint', directory]);
  assert.equal(clean.code, 0, clean.stdout);
  assert.match(clean.stdout, /0 findings .* in 1 file/);
  assert.equal(run(['lint', '--threshold', 'error', 'examples/windows/nanoserver-api']).code, 0, 'no error-level finding there');
  assert.equal(run(['lint', '--threshold', 'error', 'examples/']).code, 1, 'examples hold error-level findings');
  const noFail = run(['lint', '--no-fail', 'examples/']);
  assert.equal(noFail.code, 0);
  assert.match(noFail.stdout, /findings/);
  const missing = run(['lint', 'no/such/place']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/place: no such file or folder/);
  const format = run(['lint', '--format', 'xml', '.']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format must be one of text, json, sarif/);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['lint', '--config', path.join(directory, 'missing.yaml'), directory]).code, 2);
});

test('--fix applies safe fixes atomically and a second run changes nothing', () => {
  const directory = tempCopyOfExamples();
  const target = path.join(directory, 'windows', 'servercore-app', 'Dockerfile');
  const before = fs.readFileSync(target, 'utf8');
  const nugetConfig = path.join(directory, 'windows', 'legacy-framework', 'NuGet.Config');
  const nugetBefore = fs.readFileSync(nugetConfig, 'utf8');
  // A retired image name renamed to the same image under its MCR name is a fix that keeps behaviour.
  const retired = path.join(directory, 'windows', 'retired-name', 'Dockerfile');
  fs.mkdirSync(path.dirname(retired));
  fs.writeFileSync(retired, 'FROM microsoft/windowsservercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n');
  const first = run(['lint', '--fix', '--format', 'json', '.'], directory);
  assert.ok(JSON.parse(first.stdout).fixedFiles >= 2, first.stdout);
  assert.equal(fs.readFileSync(retired, 'utf8'), 'FROM mcr.microsoft.com/windows/servercore:ltsc2019\nRUN echo hi\nCMD ["app.exe"]\n');
  // No USER is inserted: switching the user changes what the container may do.
  const after = fs.readFileSync(target, 'utf8');
  assert.equal(after, before);
  assert.deepEqual(fs.readdirSync(path.dirname(target)), ['Dockerfile'], 'no temporary files left behind');
  // nuget.config: https for the two hosts known to serve it and the now useless allowInsecureConnections
  // removed; <clear />, the password and the mapping wait for a person.
  const nugetAfter = fs.readFileSync(nugetConfig, 'utf8');
  assert.equal(nugetAfter, nugetBefore
    .replace('"http://www.nuget.org/api/v2/"', '"https://www.nuget.org/api/v2/"')
    .replace('"http://www.myget.org/F/contoso-legacy/api/v3/index.json" allowInsecureConnections="true"', '"https://www.myget.org/F/contoso-legacy/api/v3/index.json"'));
  const second = run(['lint', '--fix', '--format', 'json', '.'], directory);
  assert.equal(JSON.parse(second.stdout).fixedFiles, 0);
  assert.equal(fs.readFileSync(target, 'utf8'), after);
  assert.equal(fs.readFileSync(nugetConfig, 'utf8'), nugetAfter);
});

test('walks dot-folders but not .git or node_modules; explicit files are linted whatever their name', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-walk-'));
  for (const folder of ['.github/docker', '.git', 'node_modules/pkg', 'src']) fs.mkdirSync(path.join(directory, folder), { recursive: true });
  for (const file of ['.github/docker/Dockerfile', '.git/Dockerfile', 'node_modules/pkg/Dockerfile', 'src/api.Dockerfile', 'src/Containerfile', 'src/notes.txt']) {
    fs.writeFileSync(path.join(directory, file), 'FROM ubuntu\n');
  }
  const { stdout } = run(['lint', '--format', 'json', '.'], directory);
  const files = [...new Set((JSON.parse(stdout).findings as Array<{ file: string }>).map((f) => f.file))].sort();
  assert.deepEqual(files, ['.github/docker/Dockerfile', 'src/Containerfile', 'src/api.Dockerfile']);
  assert.equal(JSON.parse(run(['lint', '--format', 'json', 'src/notes.txt'], directory).stdout).files, 1);
});

test('the nearest team file sets severities and ignore globs; an invalid one is a usage error with its position', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-config-'));
  fs.mkdirSync(path.join(directory, 'legacy'));
  fs.writeFileSync(path.join(directory, 'Dockerfile'), 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n');
  fs.writeFileSync(path.join(directory, 'legacy', 'Dockerfile'), 'FROM ubuntu\n');
  fs.writeFileSync(path.join(directory, '.container-guard.yaml'), 'rules:\n  privileged-user: error\n  base-image-unpinned-digest: "off"\nignore: ["legacy/**"]\n');
  const report = JSON.parse(run(['lint', '--format', 'json', '.'], directory).stdout) as { files: number; findings: Array<{ ruleId: string; severity: string }> };
  assert.equal(report.files, 1);
  assert.deepEqual(report.findings.map((f) => [f.ruleId, f.severity]), [['privileged-user', 'error']]);

  fs.writeFileSync(path.join(directory, '.container-guard.yaml'), 'rules:\n  privileged-usr: error\n');
  const invalid = run(['lint', '.'], directory);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /\.container-guard\.yaml:2:3: rules: unknown rule id `privileged-usr`/);
});

test('a file that cannot be linted is reported and the rest of the run goes on, the report staying whole (exit 2)', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-partial-'));
  fs.mkdirSync(path.join(directory, 'broken'));
  fs.writeFileSync(path.join(directory, 'Dockerfile'), 'FROM alpine:3.20\nRUN curl -fsSL https://example.com/i.sh | sh\n');
  fs.writeFileSync(path.join(directory, 'broken', 'Dockerfile'), 'FROM alpine:3.20\n');
  // A team file that is wrong for one folder only: that folder's file cannot be linted with the team's settings.
  fs.writeFileSync(path.join(directory, 'broken', '.container-guard.yaml'), 'ruleSet: nonsense\n');
  const sarif = run(['lint', '--format', 'sarif', '.'], directory);
  assert.equal(sarif.code, 2);
  assert.match(sarif.stderr, /broken[\\/]Dockerfile: invalid configuration/);
  const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string }>; invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
  assert.ok(log.runs[0]!.results.some((r) => r.ruleId === 'download-and-execute'));
  assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, false);
  assert.match(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text, /^broken\/Dockerfile was not linted: invalid configuration/);
  const json = run(['lint', '--format', 'json', '.'], directory);
  assert.equal(json.code, 2);
  const report = JSON.parse(json.stdout) as { files: number; ruleErrors: Array<{ file: string; ruleId?: string }> };
  assert.equal(report.files, 1);
  assert.deepEqual(report.ruleErrors.map((e) => [e.file, e.ruleId]), [['broken/Dockerfile', undefined]]);
});

test('pipelines are walked: workflows by their folder, Azure templates anywhere by their content, other YAML left alone', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-pipelines-'));
  fs.mkdirSync(path.join(directory, '.github', 'workflows'), { recursive: true });
  fs.mkdirSync(path.join(directory, 'eng'));
  fs.mkdirSync(path.join(directory, 'k8s'));
  fs.writeFileSync(path.join(directory, '.github', 'workflows', 'ci.yml'), 'on: push\njobs:\n  b:\n    runs-on: windows-2022\n    steps:\n      - run: echo hi\n');
  fs.writeFileSync(path.join(directory, 'eng', 'build.yml'), 'steps:\n- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: Write-Host hi\n');
  fs.writeFileSync(path.join(directory, 'k8s', 'deploy.yml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
  fs.writeFileSync(path.join(directory, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
  // A root `variables:` key passes the line scan (it may be Azure); the parse says it is not, and the file is skipped.
  fs.mkdirSync(path.join(directory, 'config'));
  fs.writeFileSync(path.join(directory, 'config', 'settings.yml'), 'variables:\n  colour: blue\nreplicas: 3\n');
  const linted = run(['lint', '--format', 'sarif', '--no-fail', '.'], directory);
  assert.equal(linted.code, 0, linted.stderr);
  const log = JSON.parse(linted.stdout) as { runs: Array<{ artifacts?: Array<{ location: { uri: string } }>; results: unknown[] }> };
  const json = JSON.parse(run(['lint', '--format', 'json', '--no-fail', '.'], directory).stdout) as { files: number };
  assert.equal(json.files, 2);
  // Named explicitly, the same file is still no pipeline: nothing linted, nothing said.
  const explicit = run(['lint', '--format', 'json', '--no-fail', 'config/settings.yml'], directory);
  assert.equal(explicit.stderr, '');
  assert.equal((JSON.parse(explicit.stdout) as { files: number }).files, 0);
  assert.ok(Array.isArray(log.runs[0]!.results));
});

test('GitLab files a .gitlab-ci.yml includes with local: are linted as GitLab files whatever their names (nested too); linting the root file alone lints that file', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-gitlab-'));
  fs.mkdirSync(path.join(directory, '.git'));
  fs.mkdirSync(path.join(directory, '.gitlab', 'jobs'), { recursive: true });
  fs.writeFileSync(path.join(directory, '.gitlab-ci.yml'), "include:\n  - local: '/.gitlab/Windows-CI.yml'\nstages: [build]\n");
  fs.writeFileSync(path.join(directory, '.gitlab', 'Windows-CI.yml'), 'include: .gitlab/jobs/push.yml\nwin:\n  stage: build\n  tags: [windows]\n  image: mcr.microsoft.com/windows/servercore:ltsc2022\n  script:\n    - Write-Host hi\n');
  fs.writeFileSync(path.join(directory, '.gitlab', 'jobs', 'push.yml'), 'push:\n  stage: build\n  image: docker:27\n  script:\n    - docker push registry.example.com/app:1\n');
  // Not included by anything: plain YAML, left alone.
  fs.writeFileSync(path.join(directory, '.gitlab', 'other.yml'), 'push:\n  image: docker:27\n  script:\n    - docker push registry.example.com/app:2\n');
  const report = JSON.parse(run(['lint', '--format', 'json', '--no-fail', '.'], directory).stdout) as { files: number; findings: Array<{ file: string; ruleId: string; line: number }> };
  const byFile = (file: string) => report.findings.filter((f) => f.file === file).map((f) => f.ruleId).sort();
  assert.equal(report.files, 3, JSON.stringify(report.findings));
  assert.deepEqual(byFile('.gitlab/Windows-CI.yml'), ['pipeline-image-without-digest']);
  assert.deepEqual(byFile('.gitlab/jobs/push.yml'), ['pipeline-image-without-digest', 'pipeline-push-without-signing']);
  assert.deepEqual(byFile('.gitlab/other.yml'), []);
  const alone = JSON.parse(run(['lint', '--format', 'json', '--no-fail', '.gitlab-ci.yml'], directory).stdout) as { files: number };
  assert.equal(alone.files, 1);
});

test('a reader that stops early (`| head`) ends the CLI quietly, without an EPIPE stack trace', async () => {
  // The read end of the CLI's stdout is closed before the CLI writes anything (it takes ~0.2 s to start),
  // so every write meets a closed pipe: deterministic, unlike racing `| head`.
  const child = spawn(process.execPath, [cli, 'rules'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.doesNotMatch(stderr, /EPIPE|Error|\bat /);
  assert.equal(code, 0, stderr);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-secret-literal';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };
const GITLAB = { kind: 'pipeline' as const, path: '/repo/.gitlab-ci.yml' };
const underlined = (text: string, options: typeof GITHUB) => findingsOf(id, text, options).map((f) => textAt(text, f.range));

test('GitHub env, with and container credentials: errors on the value, without the value in the message', () => {
  const text = [
    'on: push', 'env:', '  API_KEY: s3cr3tValue99', 'jobs:', '  build:', '    runs-on: ubuntu-latest',
    '    container:', '      image: registry.example.com/app', '      credentials:', '        username: bot', '        password: hunter2hunter2',
    '    steps:', '      - uses: some/deploy@v1', '        with:', '          token: "abcd1234efgh"', '', ].join('\n');
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['s3cr3tValue99', 'hunter2hunter2', '"abcd1234efgh"']);
  for (const finding of findings) {
    assert.equal(finding.severity, 'error');
    assert.ok(!/s3cr3t|hunter2|abcd1234/.test(finding.message), finding.message);
    assert.match(finding.message, /secrets\.NAME/);
  }
});

test('a recognisable credential value is reported whatever its name', () => {
  const token = `ghp_${'a'.repeat(36)}`;
  const text = `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n        env:\n          GH: ${token}\n`;
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), [token]);
  assert.match(findings[0]!.message, /^`GH` holds a GitHub token, which is written literally/);
});

test('Azure variables (mapping and name/value list) and GitLab variables (plain and value:)', () => {
  const azure = 'variables:\n  dbPassword: P@ssw0rd!23\n  buildConfiguration: Release\n  - name: clientSecret\n    value: abc123abc123\n';
  // A mapping and a list cannot share a key: test them as two files.
  assert.deepEqual(underlined('variables:\n  dbPassword: P@ssw0rd!23\n  buildConfiguration: Release\nsteps:\n- script: make\n', AZURE), ['P@ssw0rd!23']);
  assert.deepEqual(underlined('variables:\n- name: clientSecret\n  value: abc123abc123\n- group: shared\nsteps:\n- script: make\n', AZURE), ['abc123abc123']);
  assert.ok(azure);
  const gitlab = 'variables:\n  DEPLOY_TOKEN: tok_live_98765\n  OTHER:\n    value: x\nbuild:\n  script: make\n  variables:\n    DB_PASSWORD:\n      value: "letmein99"\n      description: db\n';
  const findings = findingsOf(id, gitlab, GITLAB);
  assert.deepEqual(findings.map((f) => textAt(gitlab, f.range)), ['tok_live_98765', '"letmein99"']);
  assert.match(findings[0]!.message, /masked CI\/CD variable/);
});

test('docker login -p / --password / --password= with a literal in scripts: the password token', () => {
  const text = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          docker login -u me -p hunter2hunter2 registry.example.com\n          docker login --password=opensesame1 -u me r.example.com\n          docker login -u me --password "${{ secrets.REG }}" r\n          echo "$P" | docker login -u me --password-stdin r\n';
  assert.deepEqual(underlined(text, GITHUB), ['hunter2hunter2', '--password=opensesame1']);
  // One finding per literal: secret-in-run leaves a pipeline's registry-login passwords to this rule.
  const spaced = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker login -u me --password "Winter2026!x" r.example.com\n';
  assert.deepEqual(underlined(spaced, GITHUB), ['"Winter2026!x"']);
  assert.deepEqual(findingsOf('secret-in-run', spaced, GITHUB), []);
});

test('negative: a with: input listing secret names for a reusable workflow (AL-Go\'s `secrets:`)', () => {
  const text = "on: pull_request\njobs:\n  build:\n    uses: ./.github/workflows/_BuildALGoProject.yaml\n    with:\n      secrets: 'licenseFileUrl,keyVaultCertificateUrl,*keyVaultCertificatePassword,keyVaultClientId'\n";
  assert.deepEqual(underlined(text, GITHUB), []);
  // A credential-shaped value under the same key still is one.
  assert.equal(underlined(text.replace("'licenseFileUrl,keyVaultCertificateUrl,*keyVaultCertificatePassword,keyVaultClientId'", 'ghp_R8x2mQ7vLp4sT9wZ3kN6cJ1fH5dB0aY'), GITHUB).length, 1);
});

test('negative: references, placeholders, empty values, names about a secret, service containers, local test services', () => {
  const text = [
    'on: push', 'env:',
    '  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}', '  NPM_TOKEN: $NPM_TOKEN', '  AZ_TOKEN: $(AZ_TOKEN)', '  X_TOKEN: ${X_TOKEN}', '  EMPTY_PASSWORD: ""',
    '  PLACEHOLDER_TOKEN: <your-token>', '  STARS_PASSWORD: "********"', '  TOKEN_FILE: /run/secrets/token', '  SECRET_NAME: prod-db',
    '  GH_AW_TOKEN_USAGE_SUMMARY_TITLE: Threat Detection Token Usage', '  SecretsFilter: "ESRP-PKI,esrp-aad-password"', '  tokenPattern: custom',
    '  DB_CONNECTION_STRING: "Server=localhost;User Id=sa;Password=yourWeak(!)Password"',
    '# [SuppressMessage("Microsoft.Security", "CS002:SecretInNextLine", Justification="Not a secret")]', '  AWS_SECRET_ACCESS_KEY: pass1234',
    'jobs:', '  b:', '    runs-on: ubuntu-latest',
    '    services:', '      postgres:', '        image: postgres:15', '        env:', '          POSTGRES_PASSWORD: postgres',
    '    steps:', '      - run: make', '        env:', '          POSTGRES_HOST: localhost', '          POSTGRES_PASSWORD: guacguac',
    '      - uses: actions/setup-node@v4', '        with:', '          token: ${{ github.token }}', '', ].join('\n');
  assert.deepEqual(underlined(text, GITHUB), []);
  assert.deepEqual(underlined('steps:\n- task: PowerShell@2\n  inputs:\n    publishFeedCredentials: PowerShellGallery\n    targetType: inline\n    script: echo\n', AZURE), []);
  assert.deepEqual(underlined('variables:\n  runtimeFeedToken: default\n  HelixAccessToken: \'\'\n  acrsecret: k8sexamplesacrauth\nsteps:\n- script: make\n', AZURE), []);
});

test('half-typed YAML never throws', () => {
  const full = 'on: push\nenv:\n  API_KEY: s3cr3tValue99\njobs:\n  b:\n    container:\n      credentials:\n        password: hunter2hunter2\n    steps:\n      - run: docker login -p hunter2 r\n';
  for (let cut = 0; cut <= full.length; cut += 5) findingsOf(id, full.slice(0, cut), GITHUB);
  findingsOf(id, 'variables:\n- name: token\n  value: [', AZURE);
  findingsOf(id, 'variables: {TOKEN: {value: ', GITLAB);
});

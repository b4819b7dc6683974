import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'secret-in-env-arg';

test('flags secret-looking names on the name', () => {
  const text = 'FROM alpine:3.20\nARG NPM_TOKEN\nENV DB_PASSWORD=changeme API_KEY=x\nENV nugetApiKey=y\n';
  const findings = findingsOf(id, text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['NPM_TOKEN', 'DB_PASSWORD', 'API_KEY', 'nugetApiKey']);
  assert.match(findings[0]!.message, /image history/);
});

test('flags credential-shaped values whatever the name, on the value', () => {
  const text = `FROM mcr.microsoft.com/windows/servercore:ltsc2025\nENV CONN="Server=db;User Id=sa;Password=Hunter2!;"\nARG FEED=https://bot:s3cr3t@pkgs.example.com/feed\nENV GH=ghp_${'A1b2C3d4E5'.repeat(4)}\n`;
  const findings = findingsOf(id, text);
  assert.deepEqual(findings.map((f) => f.message.match(/looks like ([^:]+)/)?.[1]), ['a connection string with a password', 'a URL with an embedded password', 'a GitHub token']);
  assert.match(findings[0]!.message, /pass it at run time instead/, 'Windows builds have no secret mounts');
  assert.equal(textAt(text, findings[1]!.range), 'https://bot:s3cr3t@pkgs.example.com/feed');
});

test('does not flag metadata about secrets or public keys', () => {
  for (const text of [
    'FROM python:3.12\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D\n',
    'FROM alpine\nENV TOKEN_FILE=/run/secrets/token PASSWORD_LENGTH=32 SECRET_NAME=db\n',
    'FROM alpine\nARG PUBLIC_KEY_URL\nENV TOKENIZERS_PARALLELISM=false PWD=/app\n',
    'FROM alpine\nENV CONN="Server=db;Password=$DB_PASSWORD_FROM_RUNTIME"\n',
    'FROM alpine\nENV\n',
  ]) {
    assert.deepEqual(findingsOf(id, text), [], text);
  }
});

test('an empty ENV value, a placeholder or a reference stores no secret; a literal still does', () => {
  for (const value of ['""', '"_"', '_', '-', '"<password>"', '"${SA_PASSWORD}"', '$SA_PASSWORD', '"***"']) {
    const text = `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV sa_password=${value} ACCEPT_EULA=Y\n`;
    assert.deepEqual(findingsOf(id, text), [], text);
  }
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV SA_PASSWORD="Str0ng!Passw0rd" `\n    ACCEPT_EULA=Y\n';
  const [finding, ...rest] = findingsOf(id, `# escape=\`\n${text}`);
  assert.equal(rest.length, 0);
  assert.match(finding!.message, /^`ENV SA_PASSWORD` is named like a secret .* holds a literal value/);
  assert.ok(finding!.message.length <= 200, finding!.message);
  // The legacy `ENV name value` form too.
  assert.equal(findingsOf(id, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV sa_password DockerOnW!nd0ws\n').length, 1);
  assert.deepEqual(findingsOf(id, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV sa_password _\n'), []);
});

test('a build argument named like a secret is flagged whatever its default: the passed value lands in the history', () => {
  for (const text of ['FROM alpine\nARG NPM_TOKEN\n', 'FROM alpine\nARG NPM_TOKEN=""\n', 'FROM alpine\nARG NPM_TOKEN=<token>\n']) {
    const [finding] = findingsOf(id, text);
    assert.match(finding!.message, /recorded in the image history; use a secret mount or pass it at run time\.$/, text);
  }
});

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
  assert.match(findings[0]!.message, /RUN --mount=type=secret/);
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

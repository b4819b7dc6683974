import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeSecretValue } from './secrets';

test('the shortest credential of each shape is still recognised (the length shortcut drops none)', () => {
  assert.equal(looksLikeSecretValue('xoxb-ABCDEFGHIJ'), 'a Slack token'); // 15 characters, the shortest token shape
  assert.equal(looksLikeSecretValue('Pwd=x'), 'a connection string with a password');
  assert.equal(looksLikeSecretValue('a://b:c@h'), 'a URL with an embedded password');
  assert.equal(looksLikeSecretValue('AKIAABCDEFGHIJKLMNOP'), 'an AWS access key id');
});

test('short words, variables and almost-tokens are not secrets', () => {
  for (const word of ['-y', 'install', 'xoxb-ABCDEFGHI', 'AKIAABCDEF', 'Pwd=$PASSWORD', 'https://x.example/a', '$TOKEN', '%SECRET%']) {
    assert.equal(looksLikeSecretValue(word), null, word);
  }
});

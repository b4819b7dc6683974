// RUN rules on POSIX scripts whose shape tree-sitter-bash reads in its own way (redirections hung on the
// wrong node, quoted substitutions, here-documents piped on): the findings a person expects, end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf } from '../../testing';

const rulesOf = (text: string, ...ruleIds: string[]) => ruleIds.map((id) => findingsOf(id, text).length);

test('a redirection in the middle of curl hides none of its options from the rules', () => {
  const text = 'FROM alpine:3.20\nRUN curl 2>/dev/null -fsSL -k https://example.com/i.tgz -o /tmp/i.tgz\n';
  assert.deepEqual(rulesOf(text, 'tls-validation-disabled', 'download-without-integrity-check'), [1, 1]);
  assert.deepEqual(rulesOf('FROM alpine:3.20\nRUN curl -fsSL 2>&1 https://example.com/i.sh | sh\n', 'download-and-execute'), [1]);
});

test('a hash taken into a quoted variable and compared is a check of the download', () => {
  const text = 'FROM alpine:3.20\nRUN curl -fsSL https://example.com/i.tgz -o /tmp/i.tgz && actual="$(sha256sum /tmp/i.tgz | cut -d" " -f1)" && test "$actual" = "abc"\n';
  assert.deepEqual(rulesOf(text, 'download-without-integrity-check'), [0]);
  assert.deepEqual(rulesOf(text.replace('"$(sha256sum /tmp/i.tgz | cut -d" " -f1)"', '$(sha256sum /tmp/i.tgz | cut -d" " -f1)'), 'download-without-integrity-check'), [0]);
});

test('a negated download piped into a shell is still download-and-execute', () => {
  assert.deepEqual(rulesOf('FROM alpine:3.20\nRUN ! curl -fsSL https://example.com/i.sh | sh\n', 'download-and-execute'), [1]);
});

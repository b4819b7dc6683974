import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'pipeline-secrets-exposed';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };

test('toJSON(secrets), the whole secrets context, a run-time index and secrets: inherit', () => {
  const text = [
    'on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:',
    '      - run: echo "$ALL"', '        env:', '          ALL: ${{ toJSON(secrets) }}', '          X: ${{ secrets }}', '          Y: ${{ secrets[inputs.name] }}',
    '  call:', '    uses: ./.github/workflows/deploy.yml', '    secrets: inherit', '',
  ].join('\n');
  const findings = findingsOf(id, text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['toJSON(secrets)', 'secrets', 'secrets[', 'inherit']);
  assert.equal(findings[0]!.message, '`toJSON(secrets)` puts every secret into one value; reference only the secrets this step needs (`secrets.NAME`).');
  assert.equal(findings[3]!.message, '`secrets: inherit` hands every secret to the called workflow; pass the ones it needs by name under `secrets:`.');
});

test('negative: named secrets, literal and matrix indexes, toJSON of other contexts, inherit outside a call', () => {
  const text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    secrets: inherit\n    strategy: { matrix: { pat: [A, B] } }\n    steps:\n      - run: echo ${{ toJSON(github) }} ${{ secrets.TOKEN }} ${{ secrets['NPM'] }} ${{ secrets[matrix.pat] }}\n";
  assert.deepEqual(findingsOf(id, text, GITHUB), []);
});

// The short seeded slice of `npm run fuzz` that `npm test` runs: a few hundred in-process cases per
// document kind with a fixed seed (a few seconds), so a regression of an invariant shows in every test
// run; the full run (≥ 100,000 cases per kind, the stdio driver, scaling) is `npm run fuzz`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusMissing, KINDS } from './corpus';
import { formatFailure, runKind } from './inProcess';
import { knownSignatures } from './knownIssues';

const SEED = 20261129;
const CASES = Number(process.env.FUZZ_SLICE_CASES ?? 100);
const missing = corpusMissing();

for (const kind of KINDS) {
  test(`fuzz slice: ${CASES} ${kind} cases (seed ${SEED})`, { skip: missing ?? false }, () => {
    // Known open issues of other areas (knownIssues.ts) have their own todo regression tests.
    const run = runKind(kind, { seed: SEED, cases: CASES, batch: CASES, known: knownSignatures() });
    assert.equal(run.cases, CASES);
    assert.deepEqual(run.failures.map(formatFailure), []);
  });
}

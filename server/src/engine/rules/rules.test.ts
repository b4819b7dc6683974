import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from './index';

const docs = path.resolve(__dirname, '../../../../docs/rules');
const CWE_VOCABULARY = new Set([250, 732, 798, 522, 494, 295, 319, 693, 327, 1104, 829, 427, 347, 345, 94]);

test('every rule has complete metadata from the shared vocabulary', () => {
  const ids = new Set<string>();
  for (const { meta } of ALL_RULES) {
    assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, meta.id);
    assert.ok(!ids.has(meta.id), `duplicate id ${meta.id}`);
    ids.add(meta.id);
    assert.ok(meta.title.length > 10);
    assert.ok(meta.ruleSets.includes('strict'), `${meta.id}: strict holds every rule`);
    for (const cwe of meta.cwe) assert.ok(CWE_VOCABULARY.has(cwe), `${meta.id}: CWE-${cwe} is not in shared/docs/cwe-map.md`);
    assert.ok(meta.references.some((r) => r.startsWith('NIST SP 800-190')), `${meta.id}: NIST reference`);
    assert.ok(meta.securitySeverity > 0 && meta.securitySeverity <= 10);
  }
});

test('every rule has a documentation page that names its id, CWE and sources', () => {
  for (const { meta } of ALL_RULES) {
    const file = path.join(docs, `${meta.id}.md`);
    assert.ok(fs.existsSync(file), `missing ${file}`);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith(`# ${meta.id} `), `${meta.id}: title line`);
    for (const cwe of meta.cwe) assert.ok(text.includes(`CWE-${cwe}`), `${meta.id}: CWE-${cwe}`);
    assert.match(text, /## Sources/);
    assert.match(text, /NIST SP 800-190/);
  }
});

test('every rule about base images cites NIST SP 800-190 §4.1 and CIS 4.2 in its metadata and page', () => {
  for (const { meta } of ALL_RULES.filter((r) => /image|registry|windows-version/.test(r.meta.id))) {
    assert.ok(meta.references.some((r) => r.startsWith('NIST SP 800-190 §4.1')), meta.id);
    assert.ok(meta.references.includes('CIS Docker Benchmark 4.2'), meta.id);
    const text = fs.readFileSync(path.join(docs, `${meta.id}.md`), 'utf8');
    assert.match(text, /NIST SP 800-190 §4\.1/, meta.id);
    assert.match(text, /CIS Docker Benchmark (v1\.6\.0 )?§?4\.2/, meta.id);
  }
});

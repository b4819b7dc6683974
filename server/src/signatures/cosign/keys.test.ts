import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keysForRepository, normalizeRepository, parseCosignKeyConfig, scopeMatch, verifyWithKey } from './keys';
import { loadCosignKeyConfig } from './loadKeys';
import { p256 } from './testing';

test('scope matching: exact, prefix wildcard, global, Docker Hub normalisation', () => {
  assert.ok(scopeMatch('ghcr.io/org/app', 'ghcr.io/org/app') > 0);
  assert.equal(scopeMatch('ghcr.io/org/app', 'ghcr.io/org/app2'), -1);
  assert.ok(scopeMatch('ghcr.io/org/*', 'ghcr.io/org/app') > 0);
  assert.ok(scopeMatch('ghcr.io/org/*', 'ghcr.io/org/team/app') > 0);
  assert.equal(scopeMatch('ghcr.io/org/*', 'ghcr.io/organisation/app'), -1);
  assert.equal(scopeMatch('ghcr.io/org/*', 'ghcr.io/org'), -1);
  assert.equal(scopeMatch('*', 'anything.example/x'), 0);
  assert.ok(scopeMatch('docker.io/*', 'nginx') > 0);
  assert.ok(scopeMatch('nginx', 'docker.io/library/nginx:1.25') > 0);
  assert.ok(scopeMatch('library/*', 'index.docker.io/library/nginx') > 0);
  assert.equal(normalizeRepository('Registry-1.Docker.io/Library/Nginx@sha256:abc'), 'docker.io/library/nginx');
  assert.equal(normalizeRepository('localhost:5000/a/b:tag'), 'localhost:5000/a/b');
});

test('keysForRepository: most specific scope wins, same level accumulates', () => {
  const [a, b, c, d] = [p256(), p256(), p256(), p256()];
  const cfg = parseCosignKeyConfig({
    cosign: {
      keys: [
        { scope: '*', publicKey: a.publicPem, name: 'global' },
        { scope: 'ghcr.io/org/*', publicKey: b.publicPem, name: 'org' },
        { scope: 'ghcr.io/org/app', publicKey: c.publicPem, name: 'app1' },
        { scope: 'ghcr.io/org/app', publicKey: d.publicPem, name: 'app2' },
      ],
    },
  });
  assert.deepEqual(cfg.errors, []);
  assert.deepEqual(keysForRepository(cfg, 'ghcr.io/org/app').map((k) => k.name), ['app1', 'app2']);
  assert.deepEqual(keysForRepository(cfg, 'ghcr.io/org/other').map((k) => k.name), ['org']);
  assert.deepEqual(keysForRepository(cfg, 'mcr.microsoft.com/windows/servercore').map((k) => k.name), ['global']);
  assert.deepEqual(keysForRepository(parseCosignKeyConfig({}), 'x.io/y'), []);
});

test('key config: errors reported, not thrown; fingerprint and algorithms', () => {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const ed = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const k1 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cfg = parseCosignKeyConfig(
    {
      keys: [
        { scope: '*', publicKey: rsa },
        { scope: '*', publicKey: ed },
        { scope: '*', publicKey: p384 },
        { scope: '*', publicKey: k1 },
        { scope: '*', publicKey: 'garbage' },
        { scope: 'a/*/b', publicKey: ed },
        { publicKey: ed },
        { scope: '*' },
        { scope: '*', path: '/nope.pem' },
        'x',
      ],
    },
    undefined,
  );
  assert.deepEqual(cfg.keys.map((k) => k.algorithm), ['RSA 2048', 'Ed25519', 'ECDSA P-384']);
  assert.equal(cfg.errors.length, 7);
  assert.match(cfg.errors.join('\n'), /secp256k1|unsupported key type/);
  assert.match(cfg.errors.join('\n'), /was not read/);
  for (const k of cfg.keys) assert.match(k.fingerprint, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(parseCosignKeyConfig({ cosign: { keys: 'x' } }).errors, ['cosign.keys must be an array']);
});

test('signature algorithms: ECDSA P-384 (SHA-384 and legacy SHA-256), RSA PKCS#1 v1.5 and PSS, Ed25519', () => {
  const data = Buffer.from('payload');
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
  assert.ok(verifyWithKey(ec.publicKey, data, crypto.sign('sha384', data, ec.privateKey)));
  assert.ok(verifyWithKey(ec.publicKey, data, crypto.sign('sha256', data, ec.privateKey)));
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.ok(verifyWithKey(rsa.publicKey, data, crypto.sign('sha256', data, rsa.privateKey)));
  const pss = crypto.sign('sha256', data, { key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  assert.ok(verifyWithKey(rsa.publicKey, data, pss));
  const ed = crypto.generateKeyPairSync('ed25519');
  assert.ok(verifyWithKey(ed.publicKey, data, crypto.sign(null, data, ed.privateKey)));
  assert.equal(verifyWithKey(ed.publicKey, Buffer.from('other'), crypto.sign(null, data, ed.privateKey)), false);
  assert.equal(verifyWithKey(ec.publicKey, data, Buffer.from('not der')), false);
});

test('loadCosignKeyConfig reads path entries relative to a base directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosign-keys-'));
  try {
    const k = p256();
    fs.writeFileSync(path.join(dir, 'cosign.pub'), k.publicPem);
    const cfg = loadCosignKeyConfig({ cosign: { keys: [{ scope: '*', path: 'cosign.pub' }, { scope: '*', path: 'missing.pub' }, { scope: '*', path: dir }] } }, dir);
    assert.equal(cfg.keys.length, 1);
    assert.equal(cfg.errors.length, 2);
    assert.match(cfg.errors[0] ?? '', /missing\.pub could not be read/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

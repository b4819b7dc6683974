// The on-disk verification store: round trip across instances (a restart), separation by trust
// configuration hash and repository, the entry bound, a corrupt file, atomic writes, and that no
// credential (the Basic password of a test) ever reaches the file.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ImageStatus } from '../supplyChain/imageStatus';
import { configurationHash, scrub, STORE_FILE_NAME, VerificationStore } from './verificationStore';

const REPO = 'registry.example:5000/app';
const digestOf = (text: string): string => `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`;
const PASSWORD = 'S3cr3t-Pa55w0rd-xyz';
const USER = 'ci-bot';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-store-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function status(digest: string, verdict: ImageStatus['verdict'] = 'verified'): ImageStatus {
  return {
    reference: `${REPO}:1.0`,
    canonical: `${REPO}:1.0`,
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    subjects: [{
      descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 123 },
      role: 'image',
      signatures: [{
        format: 'notation', envelope: 'jws', status: 'verified', reason: 'the signature is valid and the signer is trusted',
        signer: 'CN=Contoso Signing, O=Contoso, ST=Washington, C=US', root: 'CN=Test Root, O=Test, C=US',
        signatureDigest: digestOf('sig'), foundVia: 'tag-schema',
      }],
      searched: ['referrers API (not supported: 404) → tag schema', 'cosign .sig tag'],
      notes: [],
    }],
    verdict,
    summary: `${verdict}: notation signature by CN=Contoso Signing — ok`,
  };
}

describe('VerificationStore', () => {
  it('round trip: a new instance (a restart) reads what another wrote, tag mappings included', (t) => {
    const dir = tempDir(t);
    const digest = digestOf('image');
    const writer = new VerificationStore(dir);
    assert.equal(writer.get(digest, REPO, 'trust-a'), undefined, 'empty before any write (no file yet)');
    assert.ok(writer.put(REPO, 'trust-a', status(digest), 1_000, `${REPO}:1.0`));
    const reader = new VerificationStore(dir);
    const hit = reader.get(digest, REPO, 'trust-a');
    assert.ok(hit);
    assert.equal(hit.checkedAt, 1_000);
    assert.equal(hit.status.verdict, 'verified');
    assert.equal(hit.status.digest, digest);
    assert.equal(hit.status.subjects[0]?.signatures[0]?.signer, 'CN=Contoso Signing, O=Contoso, ST=Washington, C=US');
    assert.deepEqual(reader.tag(`${REPO}:1.0`), { digest, seenAt: 1_000 });
    assert.equal(reader.tag(`${REPO}:2.0`), undefined);
  });

  it('errors and results without a digest are not stored', (t) => {
    const dir = tempDir(t);
    const store = new VerificationStore(dir);
    const failed: ImageStatus = { reference: `${REPO}:1.0`, subjects: [], verdict: 'error', summary: 'network: down', error: { kind: 'network', message: 'down' } };
    assert.equal(store.put(REPO, 'trust-a', failed, 1), false);
    assert.equal(store.put(REPO, 'trust-a', { ...status(digestOf('x')), digest: undefined } as unknown as ImageStatus, 1), false);
    assert.ok(!fs.existsSync(path.join(dir, STORE_FILE_NAME)));
  });

  it('a result is only found with the same trust configuration hash and repository', (t) => {
    const dir = tempDir(t);
    const digest = digestOf('image');
    const policyA = { trust: { policy: { version: '1.0', trustPolicies: [{ name: 'a', trustedIdentities: ['x509.subject: O=Contoso'] }] } }, cosignKeys: { keys: [] } };
    const policyB = { trust: { policy: { version: '1.0', trustPolicies: [{ name: 'a', trustedIdentities: ['*'] }] } }, cosignKeys: { keys: [] } };
    const hashA = configurationHash(policyA);
    assert.equal(hashA, configurationHash(JSON.parse(JSON.stringify(policyA))), 'stable');
    assert.notEqual(hashA, configurationHash(policyB), 'a changed policy changes the hash');
    const cert = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    assert.notEqual(configurationHash({ key: cert }), configurationHash({ key: other }), 'keys are hashed by their bytes');
    new VerificationStore(dir).put(REPO, hashA, status(digest), 1);
    const store = new VerificationStore(dir);
    assert.ok(store.get(digest, REPO, hashA));
    assert.equal(store.get(digest, REPO, configurationHash(policyB)), undefined);
    assert.equal(store.get(digest, 'registry.example:5000/other', hashA), undefined);
  });

  it('keeps at most maxEntries results, dropping the oldest', (t) => {
    const dir = tempDir(t);
    const store = new VerificationStore(dir, { maxEntries: 3 });
    for (let i = 0; i < 5; i++) store.put(REPO, 't', status(digestOf(`image ${i}`)), 1_000 + i, `${REPO}:${i}`);
    const reader = new VerificationStore(dir, { maxEntries: 3 });
    const kept = [0, 1, 2, 3, 4].filter((i) => reader.get(digestOf(`image ${i}`), REPO, 't'));
    assert.deepEqual(kept, [2, 3, 4]);
    assert.equal(reader.tag(`${REPO}:0`), undefined);
    assert.ok(reader.tag(`${REPO}:4`));
    const json = JSON.parse(fs.readFileSync(path.join(dir, STORE_FILE_NAME), 'utf8')) as { results: unknown[]; tags: unknown[] };
    assert.equal(json.results.length, 3);
    assert.equal(json.tags.length, 3);
  });

  it('a corrupt file is ignored, logged, and replaced by the next write', (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, STORE_FILE_NAME);
    fs.writeFileSync(file, '{"version":1,"results":[{"digest":');
    const logs: string[] = [];
    const store = new VerificationStore(dir, { log: (m) => logs.push(m) });
    const digest = digestOf('image');
    assert.equal(store.get(digest, REPO, 't'), undefined);
    assert.ok(logs.some((m) => /corrupt/.test(m)), logs.join('\n'));
    assert.ok(store.put(REPO, 't', status(digest), 5));
    assert.ok(new VerificationStore(dir).get(digest, REPO, 't'));
    // Valid JSON of the wrong shape, and entries with bad fields, are skipped too.
    fs.writeFileSync(file, JSON.stringify({ version: 1, results: [{ status: { digest: 'not-a-digest', verdict: 'verified' }, repository: REPO, trust: 't', checkedAt: 1 }, 42, null], tags: 'x' }));
    assert.equal(new VerificationStore(dir).get(digest, REPO, 't'), undefined);
    fs.writeFileSync(file, '[]');
    assert.equal(new VerificationStore(dir).get(digest, REPO, 't'), undefined);
  });

  it('writes atomically: no temp file is left, and the folder is created when missing', (t) => {
    const parent = tempDir(t);
    const dir = path.join(parent, 'globalStorage', 'container-guard');
    const store = new VerificationStore(dir);
    for (let i = 0; i < 3; i++) store.put(REPO, 't', status(digestOf(`image ${i}`)), i);
    assert.deepEqual(fs.readdirSync(dir), [STORE_FILE_NAME]);
    // A write that cannot happen (the folder is a file) is logged, not thrown, and leaves nothing behind.
    const blocked = path.join(parent, 'blocked');
    fs.writeFileSync(blocked, 'not a folder');
    const logs: string[] = [];
    assert.doesNotThrow(() => new VerificationStore(blocked, { log: (m) => logs.push(m) }).put(REPO, 't', status(digestOf('y')), 1));
    assert.ok(logs.some((m) => /could not be written/.test(m)), logs.join('\n'));
    assert.deepEqual(fs.readdirSync(parent).sort(), ['blocked', 'globalStorage']);
  });

  it('merges with entries another window wrote meanwhile', (t) => {
    const dir = tempDir(t);
    const one = new VerificationStore(dir);
    const two = new VerificationStore(dir);
    assert.equal(one.get(digestOf('a'), REPO, 't'), undefined); // both loaded (empty) before either writes
    assert.equal(two.get(digestOf('b'), REPO, 't'), undefined);
    one.put(REPO, 't', status(digestOf('a')), 1);
    two.put(REPO, 't', status(digestOf('b')), 2);
    const reader = new VerificationStore(dir);
    assert.ok(reader.get(digestOf('a'), REPO, 't'));
    assert.ok(reader.get(digestOf('b'), REPO, 't'));
  });

  it('never writes credentials: URL user-info, query tokens and Authorization values are scrubbed', (t) => {
    const dir = tempDir(t);
    const digest = digestOf('image');
    const leaky = status(digest, 'unverifiable');
    const subject = leaky.subjects[0]!;
    subject.notes.push(
      `referrers lookup via https://${USER}:${PASSWORD}@registry.example:5000/v2/app/referrers/${digest}?access_token=${PASSWORD}`,
      `the registry answered 401 to Authorization: Basic ${BASIC}`,
      `docker config {"auths":{"registry.example:5000":{"auth":"${BASIC}","password":"${PASSWORD}"}}}`,
      `token=${PASSWORD} and Bearer eyJhbGciOiJFUzI1NiJ9.${PASSWORD}.sig`,
    );
    subject.signatures[0]!.reason = `certificate fetched from http://${USER}:${PASSWORD}@ca.example/root.crt (basic constraints ok)`;
    leaky.summary = `unverifiable: see https://${USER}:${PASSWORD}@registry.example:5000/token?scope=x&password=${PASSWORD}`;
    (leaky as unknown as Record<string, unknown>)['credentials'] = { username: USER, password: PASSWORD };
    assert.ok(new VerificationStore(dir).put(REPO, 't', leaky, 1, `${REPO}:1.0`));
    // Tag references that are not plain image references (user-info, URLs) are never kept.
    new VerificationStore(dir).put(REPO, 't', status(digestOf('other')), 2, `https://${USER}:${PASSWORD}@registry.example:5000/app:1.0`);
    new VerificationStore(dir).put(`${USER}:${PASSWORD}@registry.example:5000/app`, 't', status(digestOf('third')), 3);
    const text = fs.readFileSync(path.join(dir, STORE_FILE_NAME), 'utf8');
    for (const secret of [PASSWORD, BASIC, Buffer.from(PASSWORD).toString('base64')]) assert.ok(!text.includes(secret), `${secret} found in\n${text}`);
    assert.ok(!text.includes(`${USER}:`), 'no user-info');
    assert.ok(!text.includes('credentials'));
    // What is useful stays: digests, verdict, signer subject, the non-secret part of reasons.
    assert.ok(text.includes(digest));
    assert.ok(text.includes('unverifiable'));
    assert.ok(text.includes('CN=Contoso Signing'));
    assert.ok(text.includes('https://registry.example:5000/v2/app/referrers/'));
    assert.ok(text.includes('basic constraints ok'), 'ordinary words after "basic" are kept');
    const mode = fs.statSync(path.join(dir, STORE_FILE_NAME)).mode & 0o777;
    if (process.platform !== 'win32') assert.equal(mode, 0o600);
  });

  it('scrub keeps ordinary messages', () => {
    assert.equal(scrub('unsigned: no Notation or cosign signature found (referrers API, cosign .sig tag)'), 'unsigned: no Notation or cosign signature found (referrers API, cosign .sig tag)');
    assert.equal(scrub('auth-required: authentication required'), 'auth-required: authentication required');
  });
});

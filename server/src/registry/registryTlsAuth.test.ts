// docker-registry over TLS with a test CA, and with htpasswd Basic auth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from './client';
import { RegistryError } from './errors';
import { StaticCredentials } from './credentials';
import { RegistryFixture, startRegistry } from './registryFixture';
import { SampleImage, pushSampleImage } from './sampleContent';

describe('TLS registry with a private CA', () => {
  let fixture: RegistryFixture;
  let sample: SampleImage;
  before(async () => {
    fixture = await startRegistry({ tls: true });
    sample = await pushSampleImage(fixture, 'secure/app');
  });
  after(async () => {
    await fixture?.close();
  });

  test('trusting the CA through extraCa resolves over https', async () => {
    const client = new RegistryClient({ transport: { extraCa: fixture.caPem!, timeoutMs: 5000 } });
    const resolved = await client.resolve(`${fixture.host}/secure/app:multi`);
    assert.equal(resolved.digest, sample.index.digest);
    client.dispose();
  });

  test('without the CA the failure is typed tls', async () => {
    const client = new RegistryClient({ transport: { timeoutMs: 5000 } });
    await assert.rejects(client.resolve(`${fixture.host}/secure/app:multi`), (error: RegistryError) => {
      assert.equal(error.kind, 'tls');
      assert.match(error.message, /CA/);
      return true;
    });
    client.dispose();
  });
});

describe('Basic auth registry (htpasswd, bcrypt)', () => {
  const password = 'S3cret-Passw0rd-xyzzy';
  let fixture: RegistryFixture;
  let sample: SampleImage;
  before(async () => {
    fixture = await startRegistry({ basic: { username: 'guard', password } });
    sample = await pushSampleImage(fixture, 'private/app');
  });
  after(async () => {
    await fixture?.close();
  });

  test('with credentials the Basic challenge is answered and the tag resolves', async () => {
    const client = new RegistryClient({ plainHttpHosts: [fixture.host], credentials: new StaticCredentials({ username: 'guard', password }) });
    const resolved = await client.resolve(`${fixture.host}/private/app:multi`);
    assert.equal(resolved.digest, sample.index.digest);
    const found = await client.signatures(resolved.reference, resolved.digest);
    assert.equal(found.referrers.length, 2);
    client.dispose();
  });

  test('without credentials: auth-required; with a wrong password: auth-required without the password in the message', async () => {
    const anonymous = new RegistryClient({ plainHttpHosts: [fixture.host] });
    await assert.rejects(anonymous.resolve(`${fixture.host}/private/app:multi`), (error: RegistryError) => error.kind === 'auth-required');
    anonymous.dispose();
    const wrongPassword = 'Wr0ng-Passw0rd-plugh';
    const wrong = new RegistryClient({ plainHttpHosts: [fixture.host], credentials: new StaticCredentials({ username: 'guard', password: wrongPassword }) });
    await assert.rejects(wrong.resolve(`${fixture.host}/private/app:multi`), (error: RegistryError) => {
      assert.equal(error.kind, 'auth-required');
      assert.ok(!error.message.includes(wrongPassword) && !error.message.includes(Buffer.from(`guard:${wrongPassword}`).toString('base64')));
      assert.ok(!(error.stack ?? '').includes(wrongPassword));
      return true;
    });
    wrong.dispose();
  });
});

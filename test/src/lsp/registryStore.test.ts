// Verification results kept in the client's storage folder (initializationOptions.storageDir), over a
// real stdio connection against Debian's docker-registry: a hover with lookups on stores the answer;
// after a restart with the registry stopped and offline mode on, the hover shows the stored digest and
// verdict as "cached". A different trust configuration, no storage folder, or an untrusted workspace
// never gets (or touches) the stored answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pushWindowsImage, startRegistry, type RegistryFixture } from '../../../server/out/registry/registryFixture';
import { fileUri, pullClientCapabilities, settledHover, withServer } from './lspClient';
import { tempDir } from './tempFiles';

const STORE_FILE = 'verification-results.json';

async function pushImage(fixture: RegistryFixture, repository: string): Promise<string> {
  return (await pushWindowsImage(fixture, repository)).digest;
}

/** One server session: settings, initialize (trusted unless told), open the Dockerfile, a settled hover. */
async function hoverInSession(folder: string, text: string, settings: unknown, initializationOptions: Record<string, unknown>): Promise<string> {
  const uri = fileUri(path.join(folder, 'Dockerfile'));
  return withServer(async (client) => {
    client.setSettings(settings);
    await client.initialize({ capabilities: pullClientCapabilities(), workspaceFolders: [folder], initializationOptions });
    await client.didOpen(uri, text);
    return settledHover(client, uri);
  });
}

test('verification results kept in the storage folder across restarts', async (t) => {
  const fixture = await startRegistry();
  let running = true;
  t.after(async () => { if (running) await fixture.close(); });
  const digest = await pushImage(fixture, 'app');
  const host = fixture.host;
  const folder = tempDir(t, 'cg-store-lsp-ws-');
  const storageDir = path.join(tempDir(t, 'cg-store-lsp-storage-'), 'globalStorage', 'container-guard');
  const storeFile = path.join(storageDir, STORE_FILE);
  const tagged = `FROM ${host}/app:1.0\nCMD ["app.exe"]\n`;
  const pinned = `FROM ${host}/app@${digest}\n`;
  const online = { registry: { lookups: true, plainHttpHosts: [host] } };
  const offline = { registry: { lookups: true, offline: true, plainHttpHosts: [host] } };

  await t.test('lookups on: the hover verifies against the registry and the answer is stored', async () => {
    const text = await hoverInSession(folder, tagged, online, { trusted: true, storageDir });
    assert.ok(text.includes(`\`${digest}\``), text);
    assert.ok(text.includes('**Unsigned**'), text);
    assert.ok(!text.includes('(cached '), `a fresh answer is not marked cached:\n${text}`);
    const stored = fs.readFileSync(storeFile, 'utf8');
    const json = JSON.parse(stored) as { results: Array<{ digest: string; repository: string; status: { verdict: string } }>; tags: Array<{ reference: string; digest: string }> };
    assert.equal(json.results.length, 1);
    assert.equal(json.results[0]?.digest, digest);
    assert.equal(json.results[0]?.repository, `${host}/app`);
    assert.equal(json.results[0]?.status.verdict, 'unsigned');
    assert.deepEqual(json.tags.map((e) => [e.reference, e.digest]), [[`${host}/app:1.0`, digest]]);
    assert.deepEqual(fs.readdirSync(storageDir), [STORE_FILE], 'no temp file left');
  });

  await t.test('an untrusted workspace neither reads nor writes the store', async () => {
    const before = fs.readFileSync(storeFile);
    const mtime = fs.statSync(storeFile).mtimeMs;
    const text = await hoverInSession(folder, tagged, offline, { trusted: false, storageDir });
    assert.ok(text.includes('untrusted workspace'), text);
    assert.ok(!text.includes(digest), text);
    assert.deepEqual(fs.readFileSync(storeFile), before);
    assert.equal(fs.statSync(storeFile).mtimeMs, mtime);
  });

  await fixture.close();
  running = false;

  await t.test('restart, registry stopped, offline mode: the hover shows the stored digest and verdict as cached', async () => {
    const text = await hoverInSession(folder, tagged, offline, { trusted: true, storageDir });
    assert.ok(text.includes(`\`${digest}\``), text);
    assert.ok(text.includes('**Unsigned**'), text);
    assert.match(text, /\(cached \d{4}-\d\d-\d\dT[\d:.]+Z; offline: the tag was last seen pointing at this digest/, text);
    assert.ok(!text.includes('**offline**'), text);
  });

  await t.test('a digest-pinned FROM uses the stored result without the tag mapping', async () => {
    const text = await hoverInSession(folder, pinned, offline, { trusted: true, storageDir });
    assert.ok(text.includes('**Unsigned**'), text);
    assert.match(text, /\(cached \d{4}-\d\d-\d\dT[\d:.]+Z\)/, text);
    assert.ok(!text.includes('tag was last seen'), text);
  });

  await t.test('a changed trust configuration never reuses the stored verdict', async () => {
    const key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const text = await hoverInSession(folder, tagged, { ...offline, trust: { cosignKeys: [{ scope: `${host}/app`, publicKey: key }] } }, { trusted: true, storageDir });
    assert.ok(text.includes('**offline**'), text);
    assert.ok(!text.includes('(cached '), text);
  });

  await t.test('without a storage folder (other LSP clients) results are kept in memory only', async () => {
    const text = await hoverInSession(folder, tagged, offline, { trusted: true });
    assert.ok(text.includes('**offline**'), text);
  });

  await t.test('a corrupt store is ignored without crashing the server', async () => {
    fs.writeFileSync(storeFile, '{ not json');
    const text = await hoverInSession(folder, tagged, offline, { trusted: true, storageDir });
    assert.ok(text.includes('**offline**'), text);
  });
});

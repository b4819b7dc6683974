// The workspace registry commands of the editor (server/src/lsp/editorProtocol.ts) against Debian's
// docker-registry: "Pin Every Image to Its Digest" and "Verify Signatures" on files that are not open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextDocumentEdit } from 'vscode-languageserver-protocol';
import { fileUri, withServer } from './lspClient';
import * as serverProtocol from '../../../server/out/lsp/editorProtocol';
import { pushWindowsImage, startRegistry } from '../../../server/out/registry/registryFixture';
import { tempDir, writeFile as write } from './tempFiles';

test('pinDigests and verifyImages against docker-registry: closed Dockerfiles pinned in one edit, verdicts listed', async (t) => {
  const fixture = await startRegistry();
  t.after(() => fixture.close());
  const { digest } = await pushWindowsImage(fixture, 'app', '1.0');
  const dir = tempDir(t, 'cg-editor-registry-');
  const a = write(dir, 'a/Dockerfile', `FROM ${fixture.host}/app:1.0\nUSER ContainerUser\n`);
  const b = write(dir, 'b/Dockerfile', `ARG TAG=1.0\nFROM ${fixture.host}/app:\${TAG}\nFROM ${fixture.host}/app:1.0@${digest}\n`);
  await withServer(async (client) => {
    await client.initialize({ workspaceFolders: [dir], initializationOptions: { trusted: true } });
    client.setSettings({ registry: { lookups: true } });
    const pin = await client.request<{ edit: { documentChanges: TextDocumentEdit[] }; pinned: number; notPinned: Array<{ reference: string; reason: string }>; refused?: string }>(
      serverProtocol.PIN_DIGESTS_REQUEST, { uris: [a, b].map(fileUri) }, 30_000);
    assert.equal(pin.refused, undefined);
    assert.equal(pin.pinned, 1);
    assert.deepEqual(pin.edit.documentChanges.map((c) => [c.textDocument.uri, c.textDocument.version, c.edits.map((e) => e.newText)]), [[fileUri(a), null, [`${fixture.host}/app:1.0@${digest}`]]]);
    assert.deepEqual(pin.notPinned.map((n) => n.reason), ['the image is built from ARG values']);
    const verify = await client.request<{ images: Array<{ reference: string; verdict: string; summary: string }> }>(serverProtocol.VERIFY_IMAGES_REQUEST, { uris: [a, b].map(fileUri) }, 30_000);
    assert.deepEqual(verify.images.map((i) => i.verdict), ['unsigned', 'not checked (ARG)', 'unsigned']);
  });
});

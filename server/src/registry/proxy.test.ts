// Proxy selection rules, and an https request really tunnelled through a CONNECT proxy on loopback
// (the target name `registry.test` is resolved only by the proxy, which forwards to 127.0.0.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { proxyFor } from './proxy';
import { Transport } from './transport';
import { makeCertificates } from './registryFixture';
import { startServer } from './testServers';

test('proxy choice: environment, NO_PROXY, explicit setting, null, loopback never proxied', () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.internal.corp,registry.local:5000,10.1.2.3' };
  assert.equal(proxyFor(new URL('https://ghcr.io/v2/'), { env }), 'http://proxy.corp:3128');
  assert.equal(proxyFor(new URL('https://a.internal.corp/v2/'), { env }), undefined);
  assert.equal(proxyFor(new URL('https://internal.corp/v2/'), { env }), undefined);
  assert.equal(proxyFor(new URL('https://registry.local:5000/v2/'), { env }), undefined);
  assert.equal(proxyFor(new URL('https://registry.local:6000/v2/'), { env }), 'http://proxy.corp:3128');
  assert.equal(proxyFor(new URL('https://10.1.2.3/v2/'), { env }), undefined);
  assert.equal(proxyFor(new URL('https://127.0.0.1:5000/v2/'), { env }), undefined);
  assert.equal(proxyFor(new URL('https://localhost/v2/'), { proxy: 'http://p:1', env: {} }), undefined);
  assert.equal(proxyFor(new URL('https://ghcr.io/v2/'), { proxy: null, env }), undefined);
  assert.equal(proxyFor(new URL('https://ghcr.io/v2/'), { proxy: 'http://explicit:8080', env: {} }), 'http://explicit:8080');
  assert.equal(proxyFor(new URL('https://ghcr.io/v2/'), { env: { https_proxy: 'http://lower:1', NO_PROXY: '*' } }), undefined);
});

test('https through an explicit CONNECT proxy, trusting the test CA', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-proxy-'));
  const certs = makeCertificates(dir);
  const target = await startServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"ok":true}');
  }, { key: certs.key, cert: certs.cert });
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const proxy = http.createServer();
  proxy.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(String(request.url));
    sockets.add(client);
    const upstream = net.connect(target.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const transport = new Transport({ proxy: proxyUrl, extraCa: certs.caPem, timeoutMs: 3000, env: {} });
  try {
    const response = await transport.request({ url: 'https://registry.test/v2/' });
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), '{"ok":true}');
    assert.deepEqual(connects, ['registry.test:443']);
  } finally {
    transport.dispose();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await target.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

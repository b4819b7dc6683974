// Loopback registries as Docker treats them (issue 13): `verify localhost:5000/app:1` works against a
// plain-http registry without --plain-http (https first, then http); elsewhere plain http stays
// opt-in, and a registry that answers https in plain http is reported with "use --plain-http HOST",
// not with CA-certificate advice. Debian's docker-registry on 127.0.0.1, the bundled CLI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, pushWindowsImage, type RegistryFixture } from '../../../server/out/registry/registryFixture';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist', 'cli.js');

interface Image { reference: string; digest: string | null; verdict: string; error: { kind: string; message: string } | null }

let home: string;
// Asynchronous: the fake registry of the second suite runs in this process and must keep answering.
async function verify(args: string[]): Promise<{ code: number | null; images: Image[]; stderr: string }> {
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [cli, 'verify', '--format', 'json', ...args], {
      cwd: home, encoding: 'utf8', timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), XDG_CONFIG_HOME: path.join(home, '.config') },
    }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
  let images: Image[];
  try {
    images = (JSON.parse(result.stdout) as { images: Image[] }).images;
  } catch {
    assert.fail(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, images, stderr: result.stderr };
}

describe('loopback registries: https first, then plain http', () => {
  let plain: RegistryFixture;
  let secure: RegistryFixture;
  let plainDigest: string;
  let secureDigest: string;

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-loopback-'));
    plain = await startRegistry();
    secure = await startRegistry({ tls: true });
    plainDigest = (await pushWindowsImage(plain, 'app', '1')).digest;
    secureDigest = (await pushWindowsImage(secure, 'app', '1')).digest;
  });
  after(async () => {
    await plain?.close();
    await secure?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('localhost:PORT without --plain-http reaches the plain-http registry', async () => {
    const port = plain.host.split(':')[1];
    const { images } = await verify([`localhost:${port}/app:1`]);
    assert.equal(images[0]!.error, null, JSON.stringify(images[0]));
    assert.equal(images[0]!.digest, plainDigest);
    assert.equal(images[0]!.verdict, 'unsigned');
  });

  it('127.0.0.1:PORT without --plain-http, two images of the same host', async () => {
    const { images } = await verify([`${plain.host}/app:1`, `${plain.host}/app@${plainDigest}`]);
    assert.deepEqual(images.map((i) => [i.digest, i.error]), [[plainDigest, null], [plainDigest, null]]);
  });

  it('a TLS loopback registry is spoken to over https (its CA given)', async () => {
    const ca = path.join(home, 'ca.pem');
    fs.writeFileSync(ca, secure.caPem!);
    const { images } = await verify([`${secure.host}/app:1`, '--ca-cert', ca]);
    assert.equal(images[0]!.error, null, JSON.stringify(images[0]));
    assert.equal(images[0]!.digest, secureDigest);
  });

  it('an untrusted certificate on loopback is a TLS error with --ca-cert advice, not a fall back to http', async () => {
    const { images } = await verify([`${secure.host}/app:1`]);
    assert.equal(images[0]!.verdict, 'error');
    assert.equal(images[0]!.error?.kind, 'tls', JSON.stringify(images[0]));
    assert.match(images[0]!.error!.message, /--ca-cert/);
    assert.doesNotMatch(images[0]!.error!.message, /--plain-http/);
  });
});

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe('non-loopback registries: plain http stays opt-in', () => {
  const address = externalAddress();
  let server: http.Server;
  let host: string;

  before(async () => {
    if (!address) return;
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-nonloopback-'));
    // Enough of a registry to tell http from https: /v2/ answers, manifests are not found.
    server = http.createServer((request, response) => {
      response.writeHead(request.url === '/v2/' ? 200 : 404, { 'Content-Type': 'application/json' });
      response.end(request.url === '/v2/' ? '{}' : '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    host = `${address}:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    if (!address) return;
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('an https request answered in plain http says "use --plain-http HOST"', { skip: address ? false : 'no non-loopback IPv4 address' }, async () => {
    const { images } = await verify([`${host}/app:1`]);
    assert.equal(images[0]!.verdict, 'error');
    assert.equal(images[0]!.error?.kind, 'plain-http', JSON.stringify(images[0]));
    assert.match(images[0]!.error!.message, new RegExp(`use --plain-http ${host.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(images[0]!.error!.message, /CA certificate|--ca-cert/);
  });

  it('with --plain-http HOST the same registry is spoken to over http', { skip: address ? false : 'no non-loopback IPv4 address' }, async () => {
    const { images } = await verify([`${host}/app:1`, '--plain-http', host]);
    assert.equal(images[0]!.error?.kind, 'not-found', JSON.stringify(images[0]));
  });
});

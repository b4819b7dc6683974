// Test helper: Debian's `docker-registry` (distribution 2.8.2, no referrers API) on 127.0.0.1 with a
// temp storage dir; optional TLS (CA + server cert made with the openssl CLI) and htpasswd Basic auth
// (bcrypt via `htpasswd -Bbn`, the only hash distribution accepts). Also raw push helpers that speak
// the registry API directly, so test content is real registry content.

import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './testServers';

export interface RegistryFixture {
  host: string;
  url: string;
  /** PEM of the CA that signed the server certificate (TLS variant). */
  caPem?: string;
  /** Credentials for raw pushes (auth variant). */
  basic?: { username: string; password: string };
  dir: string;
  close(): Promise<void>;
}

export interface FixtureOptions {
  tls?: boolean;
  basic?: { username: string; password: string };
}

function requireTool(tool: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed; install the Debian package ${pkg} (scripts/system-deps.sh does it) to run the registry tests`);
  }
}

export function makeCertificates(dir: string): { caPem: string; key: string; cert: string } {
  requireTool('openssl', 'openssl');
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '2', '-subj', '/CN=Container Guard Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:registry.test\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  return {
    caPem: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    key: fs.readFileSync(path.join(dir, 'server.key'), 'utf8'),
    cert: fs.readFileSync(path.join(dir, 'server.crt'), 'utf8'),
  };
}

export async function startRegistry(options: FixtureOptions = {}): Promise<RegistryFixture> {
  requireTool('docker-registry', 'docker-registry');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: container-guard-test',
  ];
  let caPem: string | undefined;
  if (options.tls) {
    const certs = makeCertificates(dir);
    caPem = certs.caPem;
    lines.push('  tls:', `    certificate: ${path.join(dir, 'server.crt')}`, `    key: ${path.join(dir, 'server.key')}`);
  }
  if (options.basic) {
    requireTool('htpasswd', 'apache2-utils');
    const entry = execFileSync('htpasswd', ['-Bbn', options.basic.username, options.basic.password], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'htpasswd'), entry.trim() + '\n');
    lines.push('auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${path.join(dir, 'htpasswd')}`);
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, lines.join('\n') + '\n');
  // Own process group, so teardown can kill the registry and anything it spawned.
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 2000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`docker-registry exited early (code ${child.exitCode}): ${stderr}`);
    }
    try {
      const response = await raw({ method: 'GET', url: `${url}/v2/`, ...(caPem ? { ca: caPem } : {}) });
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`docker-registry did not answer /v2/ within 15 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const fixture: RegistryFixture = { host: `127.0.0.1:${port}`, url, dir, close };
  if (caPem) fixture.caPem = caPem;
  if (options.basic) fixture.basic = options.basic;
  return fixture;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function raw(request: { method: string; url: string; headers?: Record<string, string>; body?: Buffer | string; ca?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: request.method, headers: request.headers ?? {}, ...(request.ca ? { ca: request.ca } : {}), agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(request.body);
  });
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function authHeaders(fixture: RegistryFixture): Record<string, string> {
  return fixture.basic ? { Authorization: `Basic ${Buffer.from(`${fixture.basic.username}:${fixture.basic.password}`).toString('base64')}` } : {};
}

/** Monolithic blob upload: POST /blobs/uploads/ then PUT <Location>?digest=. Returns the digest. */
export async function pushBlob(fixture: RegistryFixture, repository: string, bytes: Buffer | string): Promise<string> {
  const digest = sha256(bytes);
  const ca = fixture.caPem ? { ca: fixture.caPem } : {};
  const start = await raw({ method: 'POST', url: `${fixture.url}/v2/${repository}/blobs/uploads/`, headers: authHeaders(fixture), ...ca });
  if (start.status !== 202) throw new Error(`upload start: ${start.status} ${start.body.toString()}`);
  const location = new URL(String(start.headers.location), fixture.url);
  location.searchParams.set('digest', digest);
  const body = Buffer.from(bytes);
  const done = await raw({
    method: 'PUT', url: location.toString(), body, ...ca,
    headers: { ...authHeaders(fixture), 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) },
  });
  if (done.status !== 201) throw new Error(`upload finish: ${done.status} ${done.body.toString()}`);
  return digest;
}

/** PUT a manifest under a tag or digest; returns the sha256 of the exact bytes pushed. */
export async function pushManifest(fixture: RegistryFixture, repository: string, reference: string, mediaType: string, manifest: object | string): Promise<{ digest: string; size: number; bytes: Buffer }> {
  const bytes = Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  const response = await raw({
    method: 'PUT', url: `${fixture.url}/v2/${repository}/manifests/${reference}`, body: bytes,
    headers: { ...authHeaders(fixture), 'Content-Type': mediaType, 'Content-Length': String(bytes.length) },
    ...(fixture.caPem ? { ca: fixture.caPem } : {}),
  });
  if (response.status !== 201) throw new Error(`manifest PUT ${reference}: ${response.status} ${response.body.toString()}`);
  return { digest: sha256(bytes), size: bytes.length, bytes };
}

const OCI_IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A one-layer Windows image (OCI manifest, not an index) tagged `tag`: enough for lookup tests. */
export async function pushWindowsImage(fixture: RegistryFixture, repository: string, tag = '1.0'): Promise<{ digest: string; size: number; bytes: Buffer }> {
  const layer = Buffer.from(`layer of ${repository}`);
  const layerDigest = await pushBlob(fixture, repository, layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'windows', 'os.version': '10.0.26100.2894', rootfs: { type: 'layers', diff_ids: [] } }));
  const configDigest = await pushBlob(fixture, repository, config);
  return pushManifest(fixture, repository, tag, OCI_IMAGE_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_IMAGE_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
  });
}

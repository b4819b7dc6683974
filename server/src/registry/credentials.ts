// Where registry credentials come from. They are looked up lazily, only after a registry answered 401,
// and never logged. Docker's config.json is read as the docker CLI does (docs §2.3): credHelpers[key] →
// credsStore → auths[key]. Credential helpers are external programs, so they run only when the caller
// says the workspace is trusted (`allowHelpers`), with a time limit; a missing helper means "anonymous,
// with a note", as docker itself fails confusingly there (e.g. `credsStore: desktop` inside WSL/CI).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Credentials {
  username: string;
  password: string;
}

/** An identity (refresh) token from a helper that answered Username `<token>`; used with OAuth2 POST. */
export interface IdentityToken {
  identityToken: string;
}

export interface CredentialLookup {
  credentials?: Credentials | IdentityToken;
  /** Why there are none, or where they came from, for the hover (never the secret). */
  note?: string;
}

export interface CredentialsProvider {
  /** `host` is the host as contacted (`registry-1.docker.io`, `localhost:5000`). */
  lookup(host: string): Promise<CredentialLookup>;
}

/** Fixed credentials, for the CLI's flags and for tests. `hosts` limits where they are sent. */
export class StaticCredentials implements CredentialsProvider {
  constructor(private readonly credentials: Credentials, private readonly hosts?: string[]) {}

  async lookup(host: string): Promise<CredentialLookup> {
    if (this.hosts && !this.hosts.includes(host)) return {};
    return { credentials: this.credentials, note: 'credentials from settings' };
  }
}

export interface DockerConfigOptions {
  /** Path to config.json; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  configPath?: string;
  /** Run `docker-credential-*` helpers; pass workspace trust here. */
  allowHelpers: boolean;
  /** Helper time limit (default 5 s; helpers can prompt). */
  helperTimeoutMs?: number;
  /** Environment (PATH, DOCKER_CONFIG, DOCKER_AUTH_CONFIG); default process.env. */
  env?: NodeJS.ProcessEnv;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** The config key docker uses for a host. */
export function dockerConfigKey(host: string): string {
  return host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB_KEY : host;
}

/** Legacy keys may be URLs (`https://host/v1/`); docker reduces them to the host (ConvertToHostname). */
function keyHost(key: string): string {
  if (key === DOCKER_HUB_KEY) return key;
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? key;
}

export class DockerConfigCredentials implements CredentialsProvider {
  private readonly cache = new Map<string, Promise<CredentialLookup>>();

  constructor(private readonly options: DockerConfigOptions) {}

  lookup(host: string): Promise<CredentialLookup> {
    let pending = this.cache.get(host);
    if (!pending) {
      pending = this.lookupUncached(host);
      this.cache.set(host, pending);
    }
    return pending;
  }

  private async lookupUncached(host: string): Promise<CredentialLookup> {
    const env = this.options.env ?? process.env;
    const key = dockerConfigKey(host);
    // DOCKER_AUTH_CONFIG (docker CLI ≥ 28.3) takes precedence over the file.
    const fromEnv = env.DOCKER_AUTH_CONFIG ? safeJson(env.DOCKER_AUTH_CONFIG) as DockerConfigFile | undefined : undefined;
    const envAuth = fromEnv?.auths ? findAuth(fromEnv.auths, key) : undefined;
    if (envAuth?.auth) {
      const decoded = decodeAuth(envAuth.auth);
      if (decoded) return { credentials: decoded, note: 'credentials from DOCKER_AUTH_CONFIG' };
    }
    const file = this.readConfig(env);
    if (!file) return {};
    const helper = findHelper(file.credHelpers, key) ?? file.credsStore;
    let helperNote: string | undefined;
    if (helper) {
      if (!this.options.allowHelpers) {
        return { note: `credential helper docker-credential-${helper} not run (workspace not trusted); trying anonymously` };
      }
      const result = await this.runHelper(helper, key, env);
      if (result.credentials || !file.auths) return result;
      helperNote = result.note;
      // Fall through to plain auths when the helper had nothing (docker does the same for credHelpers misses).
    }
    const entry = file.auths ? findAuth(file.auths, key) : undefined;
    if (entry) {
      if (entry.identitytoken) return { credentials: { identityToken: entry.identitytoken }, note: 'identity token from Docker config' };
      if (entry.auth) {
        const decoded = decodeAuth(entry.auth);
        if (decoded) return { credentials: decoded, note: 'credentials from Docker config' };
        return { note: 'unreadable `auth` entry in Docker config; trying anonymously' };
      }
      if (entry.username && entry.password) return { credentials: { username: entry.username, password: entry.password }, note: 'credentials from Docker config' };
    }
    return helperNote ? { note: helperNote } : {};
  }

  private readConfig(env: NodeJS.ProcessEnv): DockerConfigFile | undefined {
    const file = this.options.configPath
      ?? path.join(env.DOCKER_CONFIG ?? path.join(env.HOME ?? env.USERPROFILE ?? os.homedir(), '.docker'), 'config.json');
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? parsed as DockerConfigFile : undefined;
    } catch {
      return undefined;
    }
  }

  private async runHelper(name: string, key: string, env: NodeJS.ProcessEnv): Promise<CredentialLookup> {
    // The name comes from a config file; refuse anything that could be a path.
    if (!/^[A-Za-z0-9._-]+$/.test(name)) return { note: 'invalid credential helper name in Docker config; trying anonymously' };
    const program = findOnPath(`docker-credential-${name}`, env);
    if (!program) return { note: `credential helper docker-credential-${name} not found on PATH; trying anonymously` };
    const timeout = this.options.helperTimeoutMs ?? 5000;
    return new Promise((resolve) => {
      const child = execFile(program, ['get'], { timeout, env, maxBuffer: 64 * 1024, windowsHide: true }, (error, stdout) => {
        // Helper stderr may echo secrets; it is never read into messages.
        if (error) {
          resolve({ note: `credential helper docker-credential-${name} found no credentials; trying anonymously` });
          return;
        }
        const parsed = safeJson(stdout) as { Username?: unknown; Secret?: unknown } | undefined;
        if (!parsed || typeof parsed.Secret !== 'string' || typeof parsed.Username !== 'string') {
          resolve({ note: `credential helper docker-credential-${name} gave an unreadable answer; trying anonymously` });
        } else if (parsed.Username === '<token>') {
          resolve({ credentials: { identityToken: parsed.Secret }, note: `identity token from docker-credential-${name}` });
        } else {
          resolve({ credentials: { username: parsed.Username, password: parsed.Secret }, note: `credentials from docker-credential-${name}` });
        }
      });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(key);
    });
  }
}

function findAuth<T>(auths: Record<string, T>, key: string): T | undefined {
  if (auths[key]) return auths[key];
  for (const [candidate, value] of Object.entries(auths)) if (keyHost(candidate) === key) return value;
  return undefined;
}

function findHelper(helpers: Record<string, string> | undefined, key: string): string | undefined {
  return helpers ? findAuth(helpers, key) : undefined;
}

/** `auth` = base64(`user:password`), split at the first ':', NULs trimmed, empty user invalid. */
export function decodeAuth(auth: string): Credentials | undefined {
  const text = Buffer.from(auth, 'base64').toString('utf8').replace(/\0+$/, '');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function findOnPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === 'win32' ? [`${program}.exe`, `${program}.cmd`, `${program}.bat`] : [program];
  for (const directory of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!directory) continue;
    for (const name of names) {
      const candidate = path.join(directory, name);
      try {
        fs.accessSync(candidate, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

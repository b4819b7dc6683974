// Registry authentication (docs §2.1): send the request; on 401 read the challenge, get a Bearer token
// (anonymous, Basic-authenticated, or via an identity token) or use Basic credentials, and retry ONCE.
// A second 401 is 'auth-required' — never a loop, whatever the token server does. Tokens are cached in
// memory per (host, scope) until shortly before they expire; nothing is written to disk.

import { RegistryError, displayUrl } from './errors';
import { Challenge, parseChallenges } from './challenge';
import { Credentials, CredentialsProvider, IdentityToken } from './credentials';
import { HttpRequest, HttpResponse, Transport } from './transport';

const EXPIRY_MARGIN_MS = 10_000;
const DEFAULT_TOKEN_SECONDS = 60;

interface CachedAuth {
  header: string;
  expiresAt: number;
}

export class Authenticator {
  private readonly cache = new Map<string, CachedAuth>();
  private readonly notes = new Map<string, string>();

  constructor(private readonly transport: Transport, private readonly credentials?: CredentialsProvider) {}

  /** A note about credentials for `host` (helper missing, not trusted, …) for the hover. */
  noteFor(host: string): string | undefined {
    return this.notes.get(host);
  }

  /**
   * Sends `request` to `host` with the cached authorization for `scope` (e.g. `repository:a/b:pull`),
   * handling one 401 round. Returns the final response; 401 after the retry becomes 'auth-required'.
   */
  async send(host: string, scope: string, request: HttpRequest): Promise<HttpResponse> {
    const key = `${host} ${scope}`;
    const cached = this.cache.get(key);
    const withAuth = (header: string | undefined): HttpRequest => (header ? { ...request, headers: { ...request.headers, Authorization: header } } : request);
    const first = await this.transport.request(withAuth(cached && cached.expiresAt > Date.now() ? cached.header : undefined));
    if (first.status !== 401) return first;

    const challenges = parseChallenges(first.headerAll('www-authenticate'));
    const header = await this.authorize(host, scope, challenges);
    if (!header) {
      throw new RegistryError('auth-required', `${host} requires authentication and no usable credentials were found${this.suffix(host)}`, 401);
    }
    const second = await this.transport.request(withAuth(header.header));
    if (second.status === 401 || second.status === 403) {
      this.cache.delete(key);
      throw new RegistryError('auth-required', `${host} rejected the ${header.header.startsWith('Basic') ? 'credentials' : 'token'} (${second.status})${this.suffix(host)}`, second.status);
    }
    this.cache.set(key, header);
    return second;
  }

  private suffix(host: string): string {
    const note = this.notes.get(host);
    return note ? `; ${note}` : '';
  }

  private async lookup(host: string): Promise<Credentials | IdentityToken | undefined> {
    if (!this.credentials) return undefined;
    const result = await this.credentials.lookup(host);
    if (result.note) this.notes.set(host, result.note);
    return result.credentials;
  }

  private async authorize(host: string, scope: string, challenges: Challenge[]): Promise<CachedAuth | undefined> {
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    if (bearer) return this.bearerToken(host, scope, bearer);
    const basic = challenges.find((challenge) => challenge.scheme === 'basic');
    if (basic) {
      const credentials = await this.lookup(host);
      if (!credentials || !('username' in credentials)) return undefined;
      // Basic credentials do not expire; keep them for the session.
      return { header: basicHeader(credentials), expiresAt: Number.POSITIVE_INFINITY };
    }
    return undefined;
  }

  private async bearerToken(host: string, scope: string, challenge: Challenge): Promise<CachedAuth> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('auth-required', `${host} sent a Bearer challenge without a realm`, 401);
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new RegistryError('auth-required', `${host} sent an invalid token realm`, 401);
    }
    const service = challenge.params.service;
    // The challenge's scope is what the registry wants; ours is the fallback (it may omit it).
    const scopes = (challenge.params.scope ?? scope).split(' ').filter((entry) => entry.length > 0);
    const credentials = await this.lookup(host);

    let response: HttpResponse;
    if (credentials && 'identityToken' in credentials) {
      // OAuth2 refresh-token grant (docs §2.1), only when holding an identity token.
      const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: 'container-guard', refresh_token: credentials.identityToken });
      if (service) form.set('service', service);
      form.set('scope', scopes.join(' '));
      response = await this.transport.request({ method: 'POST', url: realmUrl.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), maxBytes: 1024 * 1024 });
    } else {
      if (service) realmUrl.searchParams.set('service', service);
      for (const entry of scopes) realmUrl.searchParams.append('scope', entry);
      const headers: Record<string, string> = {};
      if (credentials) headers.Authorization = basicHeader(credentials);
      response = await this.transport.request({ method: 'GET', url: realmUrl.toString(), headers, maxBytes: 1024 * 1024 });
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError('auth-required', `token server ${displayUrl(realmUrl)} refused ${credentials ? 'the credentials' : 'anonymous access'} (${response.status})${this.suffix(host)}`, response.status);
    }
    if (response.status !== 200) {
      throw new RegistryError('http-status', `token server ${displayUrl(realmUrl)} answered ${response.status}`, response.status);
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      body = JSON.parse(response.body.toString('utf8')) as typeof body;
    } catch {
      throw new RegistryError('bad-json', `token server ${displayUrl(realmUrl)} returned invalid JSON`);
    }
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new RegistryError('auth-required', `token server ${displayUrl(realmUrl)} returned no token`);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : NaN;
    const start = Number.isFinite(issued) && issued <= Date.now() ? issued : Date.now();
    return { header: `Bearer ${token}`, expiresAt: start + seconds * 1000 - EXPIRY_MARGIN_MS };
  }
}

function basicHeader(credentials: Credentials | IdentityToken): string {
  if (!('username' in credentials)) return '';
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

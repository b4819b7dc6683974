// The HTTP layer every registry call goes through. It exists so that no caller can forget a safety
// rule: each request has a deadline (AbortController), each body a byte cap enforced while streaming,
// redirects are followed by hand (at most 5, never from https down to http, never carrying
// Authorization to another origin), plain http is refused except for loopback and allow-listed
// hosts, and every failure becomes a typed RegistryError whose message holds no credentials.

import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import fetch from 'node-fetch';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { RegistryError, displayUrl } from './errors';
import { hostName, isLoopbackHost } from './reference';
import { ProxySettings, proxyFor } from './proxy';

export interface TransportOptions extends ProxySettings {
  /** Whole-request deadline, headers and body, in ms (default 15 000). */
  timeoutMs?: number;
  /** Default body cap in bytes (default 4 MiB); requests may set their own. */
  maxBodyBytes?: number;
  /** Redirects followed per request (default 5). */
  maxRedirects?: number;
  /** Hosts (`host` or `host:port`) that may be contacted over plain http, besides loopback. */
  plainHttpHosts?: string[];
  /** Extra PEM CA certificates trusted in addition to Node's built-in roots. */
  extraCa?: string | string[];
  /** How the front end (CLI flags, editor settings) tells users to fix TLS failures. */
  remedies?: RegistryRemedies;
}

/** Advice in TLS error messages, in the words of the front end that configures the client. */
export interface RegistryRemedies {
  /** For a registry that answered https in plain http, e.g. `use --plain-http localhost:5000`. */
  plainHttp(host: string): string;
  /** For a certificate that is not trusted, e.g. `pass its CA certificate with --ca-cert`. */
  extraCa: string;
}

export const DEFAULT_REMEDIES: RegistryRemedies = {
  plainHttp: (host) => `allow plain http for ${host} if it has no TLS`,
  extraCa: "add the registry's CA certificate to the trusted extra CAs if it uses a private CA",
};

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Body cap for this request. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Final URL after redirects. */
  url: string;
  /** Header lookup (case-insensitive); `getAll` for repeated headers such as WWW-Authenticate. */
  header(name: string): string | undefined;
  headerAll(name: string): string[];
  body: Buffer;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;

// TLS failures deserve their own label: "certificate not trusted" needs a different fix (extra CA)
// than "connection refused".
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH|EPROTO/;

export class Transport {
  private readonly options: TransportOptions;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly proxyAgents = new Map<string, ProxyAgent>();
  private readonly ca: string[] | undefined;

  constructor(options: TransportOptions = {}) {
    this.options = options;
    const extra = options.extraCa === undefined ? [] : Array.isArray(options.extraCa) ? options.extraCa : [options.extraCa];
    // Setting `ca` replaces Node's roots, so keep them and add the extras.
    this.ca = extra.length > 0 ? [...tls.rootCertificates, ...extra] : undefined;
    this.httpAgent = new http.Agent({ keepAlive: true });
    this.httpsAgent = new https.Agent({ keepAlive: true, ...(this.ca ? { ca: this.ca } : {}) });
  }

  /** True when `host` may be contacted over plain http. */
  allowsPlainHttp(host: string): boolean {
    if (isLoopbackHost(host)) return true;
    const list = (this.options.plainHttpHosts ?? []).map((entry) => entry.toLowerCase());
    const lower = host.toLowerCase();
    return list.includes(lower) || list.includes(hostName(lower));
  }

  /** Closes pooled connections (keep-alive sockets are unref'd, so this is tidiness, not a must). */
  dispose(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    for (const agent of this.proxyAgents.values()) agent.destroy();
    this.proxyAgents.clear();
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const maxRedirects = this.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let url = parseUrl(request.url);
    let method = request.method ?? 'GET';
    let headers = { ...(request.headers ?? {}) };
    let body = request.body;
    const origin = url.origin;
    for (let hop = 0; ; hop++) {
      this.checkScheme(url);
      const response = await this.once(url, method, headers, body, request.maxBytes);
      const location = response.status >= 300 && response.status < 400 ? response.header('location') : undefined;
      if (location === undefined) return response;
      if (hop >= maxRedirects) {
        throw new RegistryError('redirect-loop', `more than ${maxRedirects} redirects starting at ${displayUrl(request.url)}`);
      }
      const next = parseUrl(location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new RegistryError('redirect-loop', `refused redirect from https to ${next.protocol.replace(':', '')} (${displayUrl(next)})`);
      }
      // Blob redirects go to CDNs with their own signed URLs; our token must not leak there.
      if (next.origin !== origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  }

  private checkScheme(url: URL): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && this.allowsPlainHttp(url.host)) return;
    throw new RegistryError('network', `refused plain ${url.protocol.replace(':', '')} to ${url.host}: only loopback and hosts allowed in the settings may be contacted without TLS`);
  }

  private agentFor(url: URL): http.Agent {
    const proxy = proxyFor(url, this.options);
    if (proxy !== undefined) {
      let agent = this.proxyAgents.get(proxy);
      if (!agent) {
        agent = new ProxyAgent(proxy, this.ca);
        this.proxyAgents.set(proxy, agent);
      }
      return agent;
    }
    return url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  private async once(url: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, maxBytes: number | undefined): Promise<HttpResponse> {
    const cap = maxBytes ?? this.options.maxBodyBytes ?? DEFAULT_MAX_BYTES;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const where = displayUrl(url);
    try {
      const response = await fetch(url.toString(), {
        method,
        headers,
        body,
        redirect: 'manual',
        agent: this.agentFor(url),
        // node-fetch's AbortSignal type predates the DOM one; the runtime object is compatible.
        signal: controller.signal as unknown as NonNullable<Parameters<typeof fetch>[1]>['signal'],
        compress: true,
      });
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (method !== 'HEAD' && Number.isFinite(declared) && declared > cap) {
        controller.abort();
        throw new RegistryError('too-large', `${where}: response of ${declared} bytes exceeds the ${cap}-byte limit`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      if (method !== 'HEAD') {
        for await (const chunk of response.body as AsyncIterable<Buffer | string>) {
          const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          total += buffer.length;
          if (total > cap) {
            controller.abort();
            throw new RegistryError('too-large', `${where}: response exceeds the ${cap}-byte limit`);
          }
          chunks.push(buffer);
        }
      }
      const raw = response.headers.raw();
      return {
        status: response.status,
        url: url.toString(),
        header: (name) => response.headers.get(name) ?? undefined,
        headerAll: (name) => raw[name.toLowerCase()] ?? [],
        body: Buffer.concat(chunks),
      };
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      if (timedOut) throw new RegistryError('timeout', `${where}: no complete answer within ${timeoutMs} ms`);
      throw classify(error, where, url.host, this.options.remedies ?? DEFAULT_REMEDIES);
    } finally {
      clearTimeout(timer);
    }
  }
}

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/**
 * HttpsProxyAgent v7 drops agent options for the tunnelled TLS connection (it resets `this.options`),
 * and node-fetch passes no `ca` per request, so the extra CAs are injected into each connect here.
 */
class ProxyAgent extends HttpsProxyAgent<string> {
  constructor(proxy: string, private readonly trustedCa: string[] | undefined) {
    super(proxy, { keepAlive: true, ...(trustedCa ? { ca: trustedCa } : {}) });
  }

  override connect(request: http.ClientRequest, options: ConnectOptions): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(request, this.trustedCa ? { ...options, ca: this.trustedCa } as ConnectOptions : options);
  }
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new RegistryError('network', `invalid URL ${base ? 'in redirect' : ''}`.trim());
  }
}

// OpenSSL's errors when the peer answers the ClientHello with plain text (an HTTP response).
const PLAIN_TEXT_ANSWER = /WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|packet length too long|HTTP_REQUEST|http request/;

function classify(error: unknown, where: string, host: string, remedies: RegistryRemedies): RegistryError {
  const record = (error ?? {}) as { code?: unknown; errno?: unknown; message?: unknown };
  const code = String(record.code ?? record.errno ?? '');
  if (TLS_CODES.test(code)) {
    // The OpenSSL text is inspected, never quoted (it could carry the URL).
    if (PLAIN_TEXT_ANSWER.test(code) || PLAIN_TEXT_ANSWER.test(String(record.message ?? ''))) {
      return new RegistryError('plain-http', `${where}: TLS failure (${code}): the registry answers in plain http; ${remedies.plainHttp(host)}`);
    }
    return new RegistryError('tls', `${where}: TLS failure (${code}); ${remedies.extraCa}`);
  }
  // Error messages from the socket layer carry host and code, never our headers; keep only the code
  // when present, otherwise a generic sentence.
  return new RegistryError('network', `${where}: ${code ? `connection failed (${code})` : 'connection failed'}`);
}

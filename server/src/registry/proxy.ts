// Proxy selection. An explicit setting wins; otherwise HTTPS_PROXY / HTTP_PROXY (either case) as the
// docker CLI and curl read them, minus NO_PROXY. Loopback never goes through a proxy: a corporate proxy
// cannot reach the developer's own machine, and the tests must not depend on the environment.

import { hostName, isLoopbackHost } from './reference';

export interface ProxySettings {
  /** Proxy URL; `null` disables proxies even when the environment sets one; undefined = environment. */
  proxy?: string | null;
  /** Extra NO_PROXY entries (same syntax as the variable). */
  noProxy?: string[];
  /** Environment to read (defaults to process.env); injectable for tests. */
  env?: NodeJS.ProcessEnv;
}

/** The proxy URL to use for `url`, or undefined for a direct connection. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  if (settings.proxy === null) return undefined;
  const host = url.host;
  if (isLoopbackHost(host)) return undefined;
  const env = settings.env ?? process.env;
  const noProxy = [
    ...(settings.noProxy ?? []),
    ...(env.NO_PROXY ?? env.no_proxy ?? '').split(','),
  ].map((entry) => entry.trim().toLowerCase()).filter((entry) => entry.length > 0);
  if (matchesNoProxy(host.toLowerCase(), noProxy)) return undefined;
  if (settings.proxy !== undefined) return settings.proxy;
  const fromEnv = url.protocol === 'https:'
    ? env.HTTPS_PROXY ?? env.https_proxy
    : env.HTTP_PROXY ?? env.http_proxy;
  return fromEnv && fromEnv.length > 0 ? fromEnv : undefined;
}

function matchesNoProxy(host: string, entries: string[]): boolean {
  const name = hostName(host);
  for (const entry of entries) {
    if (entry === '*') return true;
    // An entry with a port matches only that port; without, any port.
    const entryHasPort = /:\d+$/.test(entry) && !entry.endsWith(']');
    const candidate = entryHasPort ? host : name;
    const bare = entry.startsWith('*.') ? entry.slice(1) : entry;
    if (bare.startsWith('.')) {
      if (candidate.endsWith(bare) || candidate === bare.slice(1)) return true;
    } else if (candidate === bare || candidate.endsWith(`.${bare}`)) {
      return true;
    }
  }
  return false;
}

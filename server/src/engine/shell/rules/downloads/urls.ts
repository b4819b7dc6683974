// Recognising URLs in single tokens: whether a value is a URL, whether it travels in clear text, and
// whether its host is known to serve the same content over HTTPS.

/**
 * Hosts that serve their downloads over HTTPS at the same path, so rewriting `http://` to `https://` is a
 * safe suggestion. Kept short on purpose: vendors' download hosts and the package registries named in the
 * rules. Any other host gets the advice without a rewrite (its HTTPS URL may differ or not exist).
 */
export const HTTPS_HOSTS: ReadonlySet<string> = new Set([
  'download.microsoft.com',
  'go.microsoft.com',
  'aka.ms',
  'download.visualstudio.microsoft.com',
  'builds.dotnet.microsoft.com',
  'nodejs.org',
  'www.python.org',
  'github.com',
  'objects.githubusercontent.com',
  'raw.githubusercontent.com',
  'dist.nuget.org',
  'api.nuget.org',
  'www.nuget.org',
  'community.chocolatey.org',
  'chocolatey.org',
  'registry.npmjs.org',
  'pypi.org',
  'files.pythonhosted.org',
  'www.powershellgallery.com',
  'dl.google.com',
  'storage.googleapis.com',
  'download.docker.com',
  'golang.org',
  'go.dev',
  'static.rust-lang.org',
  'sh.rustup.rs',
]);

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//i;

export function isUrl(value: string): boolean {
  return URL_PATTERN.test(value);
}

/** Looks like a URL or could hold one at build time (`$url`, `%URL%`, `${URL}/x`). */
export function mayBeUrl(value: string): boolean {
  return isUrl(value) || /^(\$|%\w+%|!\w+!|\()/.test(value);
}

export function isHttpUrl(value: string): boolean {
  return /^http:\/\//i.test(value);
}

/** The host of a URL, lower-cased, without credentials or port; empty when it is built from a variable. */
export function hostOf(url: string): string {
  const authority = url.replace(URL_PATTERN, '').split(/[/?#]/)[0] ?? '';
  const host = authority.replace(/^.*@/, '');
  const withoutPort = host.startsWith('[') ? host.replace(/\]:\d+$/, ']') : host.replace(/:\d*$/, '');
  return /[$%!`{}]/.test(withoutPort) ? '' : withoutPort.toLowerCase();
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine (or the build container). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '::1';
}

/** The file name a URL downloads to when no name is given (`wget <url>`, `curl -O`, `certutil … <url>`). */
export function urlBasename(url: string): string {
  const path = url.replace(URL_PATTERN, '').split(/[?#]/)[0] ?? '';
  const segments = path.split('/');
  return segments.length > 1 ? segments[segments.length - 1] ?? '' : '';
}

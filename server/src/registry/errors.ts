// Typed registry errors. The hover and the CLI show `kind` as a short label and `message` as the
// sentence, so messages are written for users and must never carry credentials: URLs are stripped of
// user-info and query strings before they are quoted, and request headers are never quoted at all.

export type RegistryErrorKind =
  | 'timeout'
  | 'too-large'
  | 'redirect-loop'
  | 'tls'
  /** An https request was answered in plain http: the registry has no TLS (fix: allow plain http for it). */
  | 'plain-http'
  | 'network'
  | 'http-status'
  | 'bad-json'
  | 'bad-digest'
  | 'auth-required'
  | 'not-found'
  | 'offline';

export class RegistryError extends Error {
  readonly kind: RegistryErrorKind;
  /** HTTP status when the error came from a response. */
  readonly status?: number;

  constructor(kind: RegistryErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'RegistryError';
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}

export function isRegistryError(value: unknown): value is RegistryError {
  return value instanceof RegistryError;
}

/** A URL safe to show: no user-info (could hold a password), no query (token endpoints may echo secrets). */
export function displayUrl(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}

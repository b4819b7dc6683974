// Recognising secrets by name and by value. Shared by every file kind (Dockerfile ENV/ARG now;
// RUN lines, pipelines and nuget.config later) so the same value is judged the same way everywhere.

/** Words that make a variable name sensitive on their own (after splitting on `_`, `-`, `.` and camelCase). */
const SENSITIVE_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'credential', 'credentials',
  'apikey', 'accesstoken', 'authtoken', 'privatekey', 'accesskey', 'secretkey', 'connectionstring', 'pat',
]);
/** Word pairs that are sensitive together although each word alone is not (`GPG_KEY` is a public key id). */
const SENSITIVE_PAIRS: ReadonlyArray<[string, string]> = [
  ['api', 'key'], ['access', 'key'], ['secret', 'key'], ['private', 'key'], ['auth', 'key'], ['account', 'key'],
  ['signing', 'key'], ['encryption', 'key'], ['client', 'secret'], ['connection', 'string'], ['sas', 'token'],
  ['master', 'key'], ['shared', 'key'],
];
/**
 * A final word that turns the name into metadata about a secret rather than the secret itself:
 * `TOKEN_FILE`, `PASSWORD_PATH`, `SECRET_NAME`, `API_KEY_ID`, `TOKEN_URL`, `PASSWORD_LENGTH`.
 */
const NON_SECRET_LAST_WORDS = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'url', 'uri', 'endpoint', 'host', 'name', 'names', 'user',
  'username', 'id', 'type', 'length', 'len', 'enabled', 'disabled', 'env', 'var', 'header', 'version', 'kind', 'mode',
  'policy', 'location', 'ref', 'method', 'format', 'expiry', 'expires', 'ttl', 'timeout', 'count', 'size',
  'prefix', 'scope', 'scopes', 'source', 'provider', 'store', 'vault', 'hash', 'sha', 'sha256', 'checksum',
]);
/** Whole names that look sensitive but are standard non-secret variables. */
const NON_SECRET_NAMES = new Set(['pwd', 'oldpwd', 'gpg_key', 'gpg_keys', 'public_key', 'pubkey']);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Why a variable name looks like it holds a secret, or null. */
export function sensitiveNameReason(name: string): string | null {
  if (NON_SECRET_NAMES.has(name.toLowerCase())) return null;
  const words = nameWords(name);
  if (words.length === 0) return null;
  if (NON_SECRET_LAST_WORDS.has(words[words.length - 1]!)) return null;
  if (words.includes('public')) return null;
  const word = words.find((w) => SENSITIVE_WORDS.has(w));
  if (word) return `is named like a secret (\`${word}\`)`;
  for (let i = 0; i + 1 < words.length; i++) {
    if (SENSITIVE_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b)) {
      return `is named like a secret (\`${words[i]}_${words[i + 1]}\`)`;
    }
  }
  return null;
}

/** Formats of credentials with recognisable shapes; each is documented by its issuer. */
const SECRET_VALUE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/, 'a private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}\b/, 'a GitHub fine-grained token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab personal access token'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/\bsk_live_[A-Za-z0-9]{16,}\b/, 'a Stripe secret key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm access token'],
  [/\boy2[a-z0-9]{43}\b/, 'a NuGet API key'],
  [/(?:^|;)\s*AccountKey=[A-Za-z0-9+/=]{20,}/i, 'an Azure storage account key'],
  [/(?:^|[;?&])(?:SharedAccessSignature=|sig=)[A-Za-z0-9%+/=]{20,}/i, 'an Azure shared access signature'],
  [/(?:^|;)\s*(?:Password|Pwd)\s*=\s*(?![$%{])[^;]+/i, 'a connection string with a password'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:(?![$%{])[^/\s@]+@/i, 'a URL with an embedded password'],
];

/** The shortest text a token-shaped pattern above matches (`xoxb-` and ten characters). */
const SHORTEST_TOKEN_SHAPE = 15;

/** What kind of credential the value looks like, or null. Variable references (`$X`, `%X%`) are not secrets. */
export function looksLikeSecretValue(value: string): string | null {
  // Every shape above is at least 15 characters long, except the password (`Pwd=x`) and URL (`a://b:c@h`)
  // ones, which need `=` or `@`: most words of a script (`-y`, `install`) are out without fifteen regexes.
  if (value.length < SHORTEST_TOKEN_SHAPE && !value.includes('=') && !value.includes('@')) return null;
  for (const [pattern, kind] of SECRET_VALUE_PATTERNS) {
    if (pattern.test(value)) return kind;
  }
  return null;
}

/** What to do instead of writing a secret into a Dockerfile; Windows builds have no secret mounts. */
/**
 * A value that stands where a credential goes without being one: `<token>`, `[password]`, `{secret}`,
 * `***`, `xxxx`, `changeme`, `your-token`, `YOUR_LICENSE_KEY`, `encrypted_api_key` (words naming the secret).
 * Shared by the rules that report credentials written in a file, so none of them reports a template's blank.
 */
export function looksLikePlaceholder(value: string): boolean {
  const text = value.trim();
  if (/^[<[{].*[>\]}]$/.test(text) || /^[*x.\u2022-]+$/i.test(text)) return true;
  if (/^(?:change[-_ ]?me|placeholder|dummy|example|sample|test|testing|secret|password|token|redacted|unused|not[-_]?set|todo|tbd|fake|default)\b/i.test(text)) return true;
  if (/^(?:your|my|insert|enter|replace|put)[-_ ]/i.test(text)) return true;
  // Letters joined by `_`/`-` that name the secret they stand for (`encrypted_api_key`, `API-TOKEN-HERE`).
  return /^[A-Za-z]+(?:[-_][A-Za-z]+)+$/.test(text) && /key|pass(?:word)?|pwd|token|secret|credential/i.test(text);
}

/**
 * `docker login …` and the other container and chart CLIs' registry logins: their password is this rule's
 * to report in pipelines (secret-in-run leaves it, so one literal gets one finding, with the login advice).
 */
export function isRegistryLogin(name: string, args: readonly { value: string }[]): boolean {
  return ['docker', 'podman', 'buildah', 'helm', 'oras', 'nerdctl'].includes(name) && args.some((arg) => arg.value === 'login' || arg.value === 'registry');
}

export function secretAdvice(windows: boolean): string {
  return windows
    ? 'Windows builds cannot use `RUN --mount=type=secret`: pass the secret at run time (environment or a mounted file), or fetch what needs it in a build stage whose output alone is copied into the final image.'
    : 'Use `RUN --mount=type=secret,id=…` for build-time secrets, or pass them at run time.';
}

import { isVariableReference } from '../model';
import { classifySource } from '../sourceUrl';
import type { XmlAttribute } from '../xml';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';

// `https://user:token@host/…` puts the secret into the file, into logs that print source URLs and into
// every error message NuGet writes about the source. NuGet has a credentials section for this.
/** MyGet's pre-authenticated feed URLs carry an access token (a GUID) in the path: `/F/<feed>/auth/<token>/…`. */
const MYGET_PREAUTHENTICATED = /^https?:\/\/(?:www\.)?myget\.org\/F\/[^/]+\/auth\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\/|$)/i;

export const credentialsInUrl: NuGetConfigRule = {
  meta: {
    id: 'nuget-credentials-in-url',
    title: 'A source or proxy URL carries a user name and password',
    fileKind: 'nuget-config',
    defaultSeverity: 'error',
    cwe: [798],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 8.1,
  },
  check(model, report) {
    const targets: Array<{ value: XmlAttribute | undefined; what: string }> = [
      // Sources dropped by a later <clear /> too: NuGet ignores them, but the secret is in the file.
      ...[model.packageSources, model.auditSources].flatMap((list) => [...list.sources, ...list.cancelled]).map((s) => ({ value: s.valueAttribute, what: `source "${excerpt(s.key)}"` })),
      { value: model.config.get('http_proxy')?.valueAttribute, what: 'http_proxy' },
      { value: model.config.get('defaultpushsource')?.valueAttribute, what: 'defaultPushSource' },
    ];
    for (const { value, what } of targets) {
      if (!value) continue;
      if (MYGET_PREAUTHENTICATED.test(value.value.trim())) {
        report({
          range: value.valueRange,
          message: `The URL of ${what} is a MyGet pre-authenticated feed URL: the token in its path ends up in the repository and in logs. Use the plain feed URL with <packageSourceCredentials> and a %VARIABLE%, and rotate the token.`,
        });
        continue;
      }
      const userInfo = classifySource(value.value).credentialsInUrl;
      if (!userInfo) continue;
      const secret = value.value.trim().slice(userInfo.start, userInfo.end - 1);
      // A user name alone (`https://user@host`) is not a secret; `user:password` or a lone token is.
      const password = secret.includes(':') ? secret.slice(secret.indexOf(':') + 1) : secret;
      const hasSecret = secret.includes(':') ? password !== '' : /[A-Za-z0-9]{20,}/.test(secret);
      // `%NUGET_PAT%` is expanded by NuGet at restore time: the secret is not in the file.
      if (!hasSecret || isVariableReference(password)) continue;
      report({
        range: value.valueRange,
        message: `The URL of ${what} carries credentials: they end up in the repository, in logs and in NuGet's error messages. Move them to <packageSourceCredentials> with a %VARIABLE% reference, and rotate them.`,
      });
    }
  },
};

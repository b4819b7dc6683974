import { isVariableReference } from '../model';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';
import { looksLikePlaceholder } from '../../secrets';

// `<apikeys>` is where `nuget setapikey` stores push keys, encrypted for the local user. Committed, the file
// hands the key to whoever runs as that user on that machine; NuGet 7.6+ reads NUGET_API_KEY instead.
export const committedApiKey: NuGetConfigRule = {
  meta: {
    id: 'nuget-committed-api-key',
    title: 'A package push API key is stored in nuget.config',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [522],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.5,
  },
  check(model, report) {
    for (const entry of model.apiKeys) {
      const value = entry.valueAttribute;
      // A template's blank (`encrypted_api_key`, `<your-key>`) is no committed key.
      if (!value || value.value.trim() === '' || isVariableReference(value.value) || looksLikePlaceholder(value.value)) continue;
      report({
        range: value.valueRange,
        message: `A push API key for ${excerpt(entry.key || 'a source')} is stored in this file. Keep push keys out of repositories: pass them to \`dotnet nuget push --api-key\` from a secret, or set NUGET_API_KEY.`,
      });
    }
  },
};

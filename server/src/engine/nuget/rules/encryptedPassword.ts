import { isVariableReference } from '../model';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';

// `Password` holds a DPAPI-encrypted value (`nuget sources add -Password` on Windows). It decrypts only for
// the same Windows user on the same machine: in a container build or CI it fails authentication, and on the
// machine that made it anyone running as that user can read the password back.
export const encryptedPassword: NuGetConfigRule = {
  meta: {
    id: 'nuget-encrypted-password',
    title: 'A DPAPI-encrypted feed password is committed in nuget.config',
    fileKind: 'nuget-config',
    defaultSeverity: 'info',
    cwe: [522],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 3.7,
  },
  check(model, report) {
    for (const credentials of model.credentials) {
      const value = credentials.password?.valueAttribute;
      if (!value || value.value.trim() === '' || isVariableReference(value.value)) continue;
      report({
        range: value.valueRange,
        message: `The password for "${excerpt(credentials.sourceKey)}" is DPAPI-encrypted: it decrypts only for the same Windows user on the same machine, so builds elsewhere (containers, CI) fail to authenticate. Prefer a credential provider or a %VARIABLE% reference.`,
      });
    }
  },
};

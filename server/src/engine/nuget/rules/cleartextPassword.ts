import { replaceValue } from '../edits';
import { isVariableReference } from '../model';
import type { Fix } from '../../types';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';
import { looksLikePlaceholder } from '../../secrets';

/** `$NAME` / `${NAME}` / `$env:NAME`: never expanded by NuGet, so the password is that literal text. */
const SHELL_VARIABLE = /^\$(?:env:)?(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

// A ClearTextPassword committed with the config is a credential anyone with the repository (or the image
// layer the file was copied into) can use. NuGet's docs put it last in their order of preference, after
// credential providers, encrypted passwords and `%ENV%` references.
export const cleartextPassword: NuGetConfigRule = {
  meta: {
    id: 'nuget-cleartext-password',
    title: 'A feed password is written in clear text in nuget.config',
    fileKind: 'nuget-config',
    defaultSeverity: 'error',
    cwe: [798],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 8.1,
  },
  check(model, report) {
    for (const credentials of model.credentials) {
      const entry = credentials.clearTextPassword;
      const value = entry?.valueAttribute;
      if (!entry || !value) continue;
      const password = value.value.trim();
      // `%NAME%` is the only variable syntax NuGet expands in config values (on every OS).
      // A template's blank (`YOUR_PASSWORD`, `<password>`) is no committed password.
      if (password === '' || isVariableReference(password) || looksLikePlaceholder(password)) continue;
      const match = SHELL_VARIABLE.exec(password);
      const shell = match ? [match[0], match[1] ?? match[2]] : undefined;
      if (shell) {
        report({
          range: value.valueRange,
          severity: 'warning',
          message: `NuGet does not expand ${excerpt(password)}: the password sent to "${excerpt(credentials.sourceKey)}" is that literal text. Write %${shell[1]}%.`,
          // Not unattended: `${NAME}` may be a placeholder a pipeline step (envsubst, replace-tokens) fills in
          // before restore; after the rewrite that step finds nothing to replace.
          fixes: [{ title: `Use %${shell[1]}%`, edits: [replaceValue(value, `%${shell[1]}%`)], safeForFixAll: false, preferred: true }],
        });
        continue;
      }
      const variable = environmentVariableFor(credentials.sourceKey);
      const fixes: Fix[] = [{
        title: `Read the password from %${variable}% (set it in the environment or the pipeline's secrets first)`,
        edits: [replaceValue(value, `%${variable}%`)],
        // The literal is removed from the file: the user must have it stored elsewhere first.
        safeForFixAll: false,
      }];
      report({
        range: value.valueRange,
        message: `The password for "${excerpt(credentials.sourceKey)}" is committed in clear text. Use a credential provider, or a %VARIABLE% reference filled from a secret store, and rotate this password.`,
        fixes,
      });
    }
  },
};

/** `NUGET_<SOURCE>_PASSWORD`, with the source name reduced to what environment variable names allow. */
export function environmentVariableFor(sourceKey: string): string {
  const name = sourceKey.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `NUGET_${name || 'FEED'}_PASSWORD`;
}

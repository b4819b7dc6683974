import { isRegistryLogin, looksLikeSecretValue } from '../../../secrets';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { isReference } from './accounts';

/** Parameters whose value is a credential: `nuget push -ApiKey x`, `--password x`, `--password=x`, `/p:Password=x`. */
const SECRET_PARAMETER = /^(?:-{1,2}|\/)(?:p:)?(?:password|passwd|pwd|apikey|api-key|api_key|token|access-token|auth-token|client-secret|secret|sas-token)$/i;
const SECRET_PARAMETER_INLINE = /^((?:-{1,2}|\/)(?:p:)?(?:password|passwd|pwd|apikey|api-key|api_key|token|access-token|auth-token|client-secret|secret|sas-token))[:=](.+)$/i;

export const secretInRun: ScriptRule = {
  meta: {
    id: 'secret-in-run',
    title: 'A script command passes a credential written in the file',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [798],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.5,
  },
  checkScripts(host, report) {
    const advice = host.secretAdvice();
    for (const run of host.scripts) {
      // Starts of tokens already reported (a wrapped command's tokens are also its wrapper's); made on the first finding.
      let seen: Set<number> | null = null;
      for (const located of run.commands) {
        const { name, args } = located.command;
        // In a pipeline, a registry login's password is pipeline-secret-literal's (its advice: --password-stdin).
        const loginPassword = host.kind === 'pipeline' && isRegistryLogin(located.name, args);
        // The name, then each argument (an index loop: this runs on every token of every script per lint).
        for (let index = -1; index < args.length; index++) {
          const token = index < 0 ? name : args[index]!;
          if (token.kind === 'group' || seen?.has(token.start)) continue;
          if (loginPassword && (/^--password=/.test(token.value) || (index > 0 && /^(?:-p|--password)$/.test(args[index - 1]!.value)))) continue;
          const kind = looksLikeSecretValue(token.value);
          const previous = index < 0 ? undefined : index === 0 ? name : args[index - 1];
          const inline = SECRET_PARAMETER_INLINE.exec(token.value);
          const named = previous && SECRET_PARAMETER.test(previous.value) && token.kind !== 'parameter' && !isReference(token) ? previous.value : null;
          const inlineName = inline && !isReference({ ...token, value: inline[2]! }) ? inline[1]! : null;
          if (!kind && !named && !inlineName) continue;
          (seen ??= new Set<number>()).add(token.start);
          report({
            range: located.rangeOf(token),
            message: `${kind ? `This looks like ${kind}` : `\`${named ?? inlineName}\` is given a literal value`}: ${advice}`,
          });
        }
      }
    }
  },
};

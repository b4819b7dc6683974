import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { createdUser, plainTextOfSecureString } from './accounts';

export const localUserWithPassword: ScriptRule = {
  meta: {
    id: 'local-user-with-password',
    title: 'A script creates an account (or secure string) with a password written in the file',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'error',
    cwe: [798],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 8.0,
  },
  checkScripts(host, report) {
    for (const run of host.scripts) {
      const reported = new Set<number>();
      for (const located of run.commands) {
        const created = createdUser(located, run.commands);
        const literal = created?.literalPassword ?? (located.name === 'convertto-securestring' ? plainTextOfSecureString(located) : null);
        if (!literal || reported.has(literal.start)) continue;
        reported.add(literal.start);
        const who = created ? `account \`${created.user.value}\`` : 'a secure string';
        report({
          range: located.rangeOf(literal),
          message: host.kind === 'dockerfile'
            ? `The password of ${who} is written in the Dockerfile: it stays in the image history for anyone who can pull the image. Run the service as \`ContainerUser\` (no password needed), use a gMSA for domain access, or set the password at run time from a secret.`
            : `The password of ${who} is written in the pipeline file. ${host.secretAdvice()}`,
        });
      }
    }
  },
};

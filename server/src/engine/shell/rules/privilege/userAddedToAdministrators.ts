import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { adminGroupAddition } from './accounts';

export const userAddedToAdministrators: ScriptRule = {
  meta: {
    id: 'user-added-to-administrators',
    title: 'A script adds an account to Administrators (or sudo/wheel)',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [250],
    references: ['NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.1'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  checkScripts(host, report) {
    for (const run of host.scripts) {
      for (const located of run.commands) {
        const addition = adminGroupAddition(located);
        if (!addition) continue;
        const member = addition.member ? `\`${addition.member.value}\`` : 'an account';
        report({
          range: located.rangeOf(addition.group),
          message: host.kind === 'dockerfile'
            ? `${member} becomes an administrator (\`${addition.group.value}\`): a container running as it has full control of the container. Run as \`ContainerUser\` or a dedicated account outside Administrators; do privileged setup as ContainerAdministrator in the build and switch away before the final CMD.`
            : `${member} becomes an administrator (\`${addition.group.value}\`) of the runner: whatever runs as it later (a test, a service, a later job on a self-hosted runner) has full control of the machine. Give the account only the groups its task needs.`,
        });
      }
    }
  },
};

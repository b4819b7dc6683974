import { runAnalyses } from '../../../../shell/runAnalysis';
import type { DockerfileRule } from '../../../rule';
import { adminGroupAddition } from './accounts';

export const userAddedToAdministrators: DockerfileRule = {
  meta: {
    id: 'user-added-to-administrators',
    title: 'RUN adds an account to Administrators (or sudo/wheel)',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [250],
    references: ['NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.1'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  check(model, report) {
    for (const run of runAnalyses(model)) {
      for (const located of run.commands) {
        const addition = adminGroupAddition(located);
        if (!addition) continue;
        const member = addition.member ? `\`${addition.member.value}\`` : 'an account';
        report({
          range: located.rangeOf(addition.group),
          message: `${member} becomes an administrator (\`${addition.group.value}\`): a container running as it has full control of the container. Run as \`ContainerUser\` or a dedicated account outside Administrators; do privileged setup as ContainerAdministrator in the build and switch away before the final CMD.`,
        });
      }
    }
  },
};

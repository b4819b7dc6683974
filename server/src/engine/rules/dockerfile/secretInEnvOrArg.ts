import { PropertyInstruction } from 'dockerfile-ast';
import { excerpt } from '../../excerpt';
import type { DockerfileRule } from '../rule';
import { looksLikeSecretValue, secretAdvice, sensitiveNameReason } from '../../secrets';

export const secretInEnvOrArg: DockerfileRule = {
  meta: {
    id: 'secret-in-env-arg',
    title: 'Secret in `ENV` or `ARG`',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [798],
    references: ['NIST SP 800-190 §4.1.4', 'CIS Docker Benchmark 4.10'],
    ruleSets: ['recommended', 'strict'],
    hadolintIds: ['DL3064'],
    securitySeverity: 7.5,
  },
  check(model, report) {
    const advice = secretAdvice(model.stages.some((stage) => stage.platform.os === 'windows'));
    for (const instruction of model.ast.getInstructions()) {
      const keyword = instruction.getKeyword();
      if ((keyword !== 'ENV' && keyword !== 'ARG') || !(instruction instanceof PropertyInstruction)) continue;
      for (const property of instruction.getProperties()) {
        const name = property.getName();
        const value = property.getValue();
        const valueRange = property.getValueRange();
        const valueKind = value ? looksLikeSecretValue(value) : null;
        if (valueKind && valueRange) {
          report({
            range: valueRange,
            message: `The value of ${keyword} \`${excerpt(name)}\` looks like ${valueKind}: it is stored in the image and its history for anyone who can pull it. Remove it and revoke it. ${advice}`,
          });
          continue;
        }
        const reason = sensitiveNameReason(name);
        if (!reason) continue;
        const where = keyword === 'ARG'
          ? `Build argument \`${excerpt(name)}\` ${reason}: build arguments are recorded in the image history (\`docker history\`) of every step that uses them.`
          : `\`ENV ${excerpt(name)}\` ${reason}: environment variables are stored in the image config for anyone who can pull it.`;
        report({ range: property.getNameRange(), message: `${where} ${advice}` });
      }
    }
  },
};

import { PropertyInstruction } from 'dockerfile-ast';
import { excerpt } from '../../excerpt';
import type { DockerfileRule } from '../../rules/rule';
import { looksLikeSecretValue, sensitiveNameReason } from '../../secrets';

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
    const windows = model.stages.some((stage) => stage.platform.os === 'windows');
    // Windows builds have no secret mounts: the only way out is at run time. (The long form is on the rule page.)
    const instead = windows ? 'pass it at run time instead' : 'use a secret mount or pass it at run time';
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
            message: `The value of ${keyword} \`${excerpt(name)}\` looks like ${valueKind}: it is stored in the image; remove and revoke it, and ${instead}.`,
          });
          continue;
        }
        const reason = sensitiveNameReason(name);
        if (!reason) continue;
        if (keyword === 'ARG') {
          // Whatever its default, the value given with --build-arg is recorded in the history of every step that uses it.
          report({ range: property.getNameRange(), message: `Build argument \`${excerpt(name)}\` ${reason}: values passed to it are recorded in the image history; ${instead}.` });
        } else if (value !== null && !storesNoSecret(value)) {
          report({ range: property.getNameRange(), message: `\`ENV ${excerpt(name)}\` ${reason} and holds a literal value stored in the image config; ${instead}.` });
        }
      }
    }
  },
};

/**
 * An ENV value that stores no secret: empty, an obvious placeholder (`_`, `-`, `<password>`, `***`), or
 * only a reference to another variable (`${SA_PASSWORD}`: the build argument it names is judged itself).
 */
export function storesNoSecret(value: string): boolean {
  const text = value.trim();
  return text === '' || /^[_\-*.]+$/.test(text) || /^<[^<>]*>$/.test(text) || /^\$\{[^{}]+\}$|^\$[A-Za-z_]\w*$/.test(text);
}

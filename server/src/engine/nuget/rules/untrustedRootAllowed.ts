import { replaceValue } from '../edits';
import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';

// `allowUntrustedRoot="true"` on a trusted signer certificate accepts signatures whose chain ends at a root
// the machine does not trust: the fingerprint alone then decides, and any chain an attacker builds to a
// self-made root passes NuGet's trust check (NU3018 is suppressed).
export const untrustedRootAllowed: NuGetConfigRule = {
  meta: {
    id: 'nuget-untrusted-root-allowed',
    title: 'A trusted signer certificate allows an untrusted root',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [295],
    references: ['NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.9,
  },
  check(model, report) {
    for (const signer of model.trustedSigners.signers) {
      for (const certificate of signer.certificates) {
        const flag = certificate.allowUntrustedRoot;
        if (!flag) continue;
        report({
          range: flag.range,
          message: `The ${signer.kind} signer "${excerpt(signer.name)}" accepts certificate ${certificate.fingerprint.slice(0, 12)}… even when its chain ends at a root this machine does not trust.`,
          fixes: [{
            title: 'Set allowUntrustedRoot="false"',
            edits: [replaceValue(flag, 'false')],
            // A signer whose root is really private stops verifying (NU3018): the user decides.
            safeForFixAll: false,
          }],
        });
      }
    }
  },
};

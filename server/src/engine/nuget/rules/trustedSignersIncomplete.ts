import { insertChild } from '../edits';
import type { TrustedSigner } from '../model';
import type { NuGetConfigRule } from '../../rules/rule';
import { NUGET_ORG_REPOSITORY_FINGERPRINTS, OWNERS_PLACEHOLDER } from './nugetFacts';

// Trusted signers that do not do what `require` promises: none at all (every restore fails with NU3034), a
// nuget.org repository entry without all of nuget.org's certificates (packages signed before a rotation
// fail), an `<owners>` placeholder left by a fix, or a nuget.org repository entry without owners, which
// accepts every package on nuget.org — typosquats included — because nuget.org repository-signs them all.
export const trustedSignersIncomplete: NuGetConfigRule = {
  meta: {
    id: 'nuget-trusted-signers-incomplete',
    title: 'Trusted signers are missing, incomplete or accept every nuget.org package',
    fileKind: 'nuget-config',
    defaultSeverity: 'warning',
    cwe: [347],
    references: ['NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 4.3,
  },
  check(model, report) {
    const mode = model.config.get('signaturevalidationmode');
    const requireMode = mode?.value.trim().toLowerCase() === 'require';
    const signers = model.trustedSigners.signers;
    if (requireMode && !signers.some((s) => s.certificates.some((c) => c.fingerprint !== ''))) {
      report({
        range: mode!.valueAttribute?.valueRange ?? mode!.element.nameRange,
        message: 'signatureValidationMode is "require" but no trusted signer lists a certificate: restore rejects every package (NU3034).',
      });
    }
    for (const signer of signers) {
      if (signer.kind !== 'repository' || !isNuGetOrgSigner(signer)) continue;
      const missing = NUGET_ORG_REPOSITORY_FINGERPRINTS.filter((f) => !signer.certificates.some((c) => c.fingerprint === f));
      if (missing.length > 0) {
        report({
          range: signer.element.nameRange,
          message: `The nuget.org repository signer lacks ${missing.length} of nuget.org's ${NUGET_ORG_REPOSITORY_FINGERPRINTS.length} repository certificates: packages signed with ${missing.length === 1 ? 'it' : 'them'} fail restore under "require".`,
          fixes: [{
            title: 'Add the missing nuget.org repository certificates',
            edits: [insertChild(model.document, model.root, signer.element,
              missing.map((f) => `<certificate fingerprint="${f}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`).join('\n'),
              signer.certificates.length ? 'first' : 'last')],
            // A quick fix, never fix-all: nuget.org's own published certificates, but added trust all the
            // same — restores of packages signed with them stop failing, which is what a person decides.
            safeForFixAll: false,
          }],
        });
      }
      if (signer.owners && signer.ownerNames.includes(OWNERS_PLACEHOLDER)) {
        report({ range: signer.owners.textRange ?? signer.owners.range, message: 'Replace the placeholder with the nuget.org accounts whose packages you use, separated by ";" (e.g. microsoft;aspnet;nuget).' });
      } else if (requireMode && signer.ownerNames.length === 0) {
        report({
          range: signer.element.nameRange,
          severity: 'info',
          message: 'The nuget.org repository signer has no <owners>: nuget.org signs every package it hosts, so any package from nuget.org — a typosquat too — passes "require". List the owners you rely on.',
        });
      }
    }
  },
};

/** A repository signer for nuget.org: by name, or by its service index. */
export function isNuGetOrgSigner(signer: TrustedSigner): boolean {
  const index = signer.serviceIndex?.value.trim().toLowerCase() ?? '';
  return signer.name.trim().toLowerCase() === 'nuget.org' || /^https?:\/\/api\.nuget\.org\//.test(index);
}

import { insertChild } from '../edits';
import { replaceValue } from '../edits';
import type { NuGetConfigModel } from '../model';
import { comparePositions } from '../../text';
import type { TextEdit } from '../../types';
import type { NuGetConfigRule } from '../../rules/rule';
import { nugetOrgRepositorySigner } from './nugetFacts';
import { isNuGetOrgSigner } from './trustedSignersIncomplete';
import { excerpt } from '../../excerpt';

// NuGet's default `signatureValidationMode` is `accept`: unsigned packages and packages signed by anyone
// install. With `require`, only packages signed by a `<trustedSigners>` entry do (NU3004/NU3034 otherwise).
// Reported when the team requires signed packages (setting `requireSignedPackages`, on by default), as
// information: NuGet's own default is `accept`, and correct configs from Microsoft's repositories use it.
export const signatureValidationNotRequired: NuGetConfigRule = {
  meta: {
    id: 'nuget-signature-validation-not-required',
    title: 'Packages are not required to be signed by trusted signers (signatureValidationMode is not "require")',
    fileKind: 'nuget-config',
    defaultSeverity: 'info',
    cwe: [347],
    references: ['NIST SP 800-190 §4.1.5', 'NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 4.3,
  },
  check(model, report, context) {
    if (!context.settings.requireSignedPackages || !model.root) return;
    const entry = model.config.get('signaturevalidationmode');
    const mode = entry?.value.trim().toLowerCase();
    if (mode === 'require') return;
    // Only configs that declare sources decide how restore trusts packages; a config of other settings does not.
    const anchor = entry?.valueAttribute?.valueRange ?? model.packageSources.sections[0]?.nameRange;
    if (!anchor) return;
    report({
      range: anchor,
      message: `${entry ? `signatureValidationMode is "${excerpt(entry.value)}"` : 'signatureValidationMode is not set (NuGet\'s default is "accept")'}: restore accepts unsigned packages; set it to "require" and list trusted signers.`,
      fixes: [{ title: 'Require signed packages and trust the nuget.org repository signature (fill in <owners>)', edits: requireEdits(model), safeForFixAll: false }],
    });
  },
};

function requireEdits(model: NuGetConfigModel): TextEdit[] {
  const root = model.root!;
  const edits: TextEdit[] = [];
  const entry = model.config.get('signaturevalidationmode');
  if (entry?.valueAttribute) edits.push(replaceValue(entry.valueAttribute, 'require'));
  else if (model.configSections[0]) edits.push(insertChild(model.document, root, model.configSections[0], '<add key="signatureValidationMode" value="require" />', 'last'));
  else edits.push(insertChild(model.document, root, root, '<config>\n\t<add key="signatureValidationMode" value="require" />\n</config>', 'first'));
  const hasNuGetOrgSigner = model.trustedSigners.signers.some((s) => s.kind === 'repository' && isNuGetOrgSigner(s));
  if (!hasNuGetOrgSigner) {
    const section = model.trustedSigners.sections[0];
    const signer = nugetOrgRepositorySigner();
    edits.push(section
      ? insertChild(model.document, root, section, signer, 'last')
      : insertChild(model.document, root, root, `<trustedSigners>\n${signer.split('\n').map((line) => `\t${line}`).join('\n')}\n</trustedSigners>`, 'last'));
  }
  // In a root with nothing inside it yet (a half-typed `<configuration><packageSources<config`), its first
  // and last child positions are one point: two insertions there have no order, so they become one edit.
  const [first, second] = edits;
  if (second && comparePositions(first!.range.start, first!.range.end) === 0
    && comparePositions(first!.range.start, second.range.start) === 0 && comparePositions(second.range.start, second.range.end) === 0) {
    return [{ range: first!.range, newText: first!.newText + second.newText }];
  }
  return edits;
}

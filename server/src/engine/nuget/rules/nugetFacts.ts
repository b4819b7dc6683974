// Facts about nuget.org that fixes write into configs (shared/docs/landscape-pipelines-nuget.md §6.3, from
// NuGet's own docs): the repository signing certificates, in the order NuGet documented them. A
// `trustedSigners` entry for nuget.org must hold all three, or packages signed before the newest
// rotation fail restore under `require`.
export const NUGET_ORG_REPOSITORY_FINGERPRINTS = [
  '0E5F38F57DC1BCC806D8494F4F90FBCEDD988B46760709CBEEC6F4219AA6157D',
  '5A2901D6ADA3D18260B9C6DFE2133C95D74B9EEF6AE0E5DC334C8454D1477DF4',
  '1F4B311D9ACC115C8DC8018B5A49E00FCE6DA8E2855F9F014CA6F34570BC482D',
] as const;

/** Placeholders fixes insert where only the user knows the value; rules keep reporting them until edited. */
export const OWNERS_PLACEHOLDER = 'REPLACE-WITH-NUGET-ORG-OWNERS';
export const PATTERN_PLACEHOLDER = 'REPLACE-WITH-PACKAGE-PREFIX.*';

/** The nuget.org repository signer as a snippet for `insertChild` (one tab per nesting level). */
export function nugetOrgRepositorySigner(): string {
  return [
    '<repository name="nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">',
    ...NUGET_ORG_REPOSITORY_FINGERPRINTS.map((fingerprint) => `\t<certificate fingerprint="${fingerprint}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`),
    `\t<owners>${OWNERS_PLACEHOLDER}</owners>`,
    '</repository>',
  ].join('\n');
}

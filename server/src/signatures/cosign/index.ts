// Public API of the cosign signature verifier. Pure (bytes + configured keys in, verdict out) except
// `loadCosignKeyConfig` and `loadSigstoreTrustConfig`, which read the files they name with node:fs.
//
//   const keys = loadCosignKeyConfig(settings, workspaceDir);            // or parseCosignKeyConfig(settings)
//   const sigstore = loadSigstoreTrustConfig({ trustedRoot: 'trusted_root.json',
//     identities: [{ scope: 'ghcr.io/org/*', identity: 'dev@example.com', issuer: 'https://accounts.google.com' }] }, workspaceDir);
//   const verdict = verifySimpleSigning({ imageDigest, repository, keys, sigstore, manifest: sigManifestJson,
//                                         blobs: new Map([[layer.digest, layerBytes]]) });
//   const v3 = verifySigstoreBundle({ imageDigest, repository, keys, sigstore, bundle: bundleBytes, descriptor: layer });
//   // fill in verdict.signatureDigest / foundVia ('cosign-tag' | 'referrers-api' | 'tag-schema') yourself
export {
  parseCosignKeyConfig,
  keysForRepository,
  scopeMatch,
  normalizeRepository,
  parsePublicKeyPem,
  keyFingerprint,
  type CosignKeyConfig,
  type CosignKeySetting,
  type CosignPublicKey,
  type ReadKeyFile,
} from './keys';
export { loadCosignKeyConfig } from './loadKeys';
export {
  verifySimpleSigning,
  verifySimpleSigningManifest,
  verifySimpleSigningLayer,
  SIMPLE_SIGNING_MEDIA_TYPE,
  SIGNATURE_ANNOTATION,
  CERTIFICATE_ANNOTATION,
  type SimpleSigningOptions,
  type SimpleSigningLayerInput,
  type SimpleSigningManifestInput,
} from './simpleSigning';
export { verifySigstoreBundle, dssePae, SIGSTORE_BUNDLE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE, COSIGN_SIGN_PREDICATE, type SigstoreBundleInput } from './bundle';
export { bestVerdict } from './common';
export {
  parseSigstoreTrustConfig,
  emptySigstoreTrust,
  identitiesForRepository,
  sigstoreTrustFingerprint,
  type SigstoreTrustConfig,
  type SigstoreIdentity,
  type SigstoreIdentitySetting,
  type ReadTrustedRootFile,
} from './sigstoreTrust';
export { loadSigstoreTrustConfig } from './loadSigstoreTrust';
export { verifyKeyless, hasTrustedRoot, type KeylessInput, type KeylessOutcome } from './sigstoreVerify';
export { legacyKeylessBundle, type LegacyKeylessLayer } from './legacyBundle';

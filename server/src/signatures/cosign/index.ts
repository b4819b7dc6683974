// Public API of the cosign signature verifier. Pure (bytes + configured keys in, verdict out) except
// `loadCosignKeyConfig`, which reads `path` key entries with node:fs.
//
//   const keys = loadCosignKeyConfig(settings, workspaceDir);            // or parseCosignKeyConfig(settings)
//   const verdict = verifySimpleSigning({ imageDigest, repository, keys, manifest: sigManifestJson,
//                                         blobs: new Map([[layer.digest, layerBytes]]) });
//   const v3 = verifySigstoreBundle({ imageDigest, repository, keys, bundle: bundleBytes, descriptor: layer });
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

// Public API of the cosign signature verifier.
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

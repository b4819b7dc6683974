// Notary Project (Notation) signature verification: public API.
export { verifyNotationSignature } from './verify';
export type { NotationVerifyInput } from './verify';
export type { TrustConfiguration, TrustPolicyDocument, TrustPolicyStatement, TrustStores, TrustStoreType, VerificationLevel } from './trust';
export { validateTrustPolicy, selectTrustPolicy, parseTrustedIdentity, emptyTrustStores, TrustPolicyError } from './trust';
export {
  notationConfigDir, loadTrustConfiguration, loadTrustStores, loadTrustPolicyFile, readCertificates,
  mcrTrustConfiguration, MCR_SIGNING_IDENTITY, MCR_DEFAULT_REPOSITORIES,
} from './config';
export type { LoadOptions, LoadResult, McrPolicyOptions } from './config';
export { parseEnvelope, MEDIA_TYPE_COSE, MEDIA_TYPE_JWS, NOTARY_PAYLOAD_CTY } from './envelope';
export type { ParsedEnvelope } from './envelope';
export { parseDn, formatDn } from './dn';

// What registry lookups and pins run on, and nothing else in the server needs: the registry client with
// its HTTP stack (node-fetch and its URL tables), the Notation and cosign verifiers (X.509, CMS,
// Sigstore) and the trust settings that feed them. Lookups are off unless the user turns them on
// (`containerGuard.registry.lookups`), so these modules are loaded on the first lookup or pin
// (`registryModules()` below), not when the server starts: loading them costs about 15 MB resident and
// 0.1 s, which most sessions never need.
export { DockerConfigCredentials, EDITOR_REMEDIES, isRegistryError, RegistryClient } from '../registry/index';
export { Transport } from '../registry/transport';
export { imageStatus } from '../supplyChain/imageStatus';
export { sigstoreTrustFingerprint } from '../signatures/cosign/index';
export { loadVerificationSettings } from '../supplyChain/settings';

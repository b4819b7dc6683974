// Public surface of the registry client; other folders import from here only.
export { RegistryError, RegistryErrorKind, isRegistryError } from './errors';
export { NormalizedReference, normalizeReference, apiHost, isLoopbackHost } from './reference';
export { CLI_REMEDIES, EDITOR_REMEDIES } from './remedies';
export { Transport, TransportOptions, HttpRequest, HttpResponse, RegistryRemedies, DEFAULT_REMEDIES } from './transport';
export { Credentials, CredentialsProvider, CredentialLookup, StaticCredentials, DockerConfigCredentials, DockerConfigOptions, dockerConfigKey } from './credentials';
export { Authenticator } from './auth';
export { Platform, IndexEntry, PlatformTarget, PlatformChoice, choosePlatform, windowsCompatible, WINDOWS_BUILD_NAMES } from './platform';
export {
  RegistryClient, RegistryClientOptions, RepositoryRef, ResolvedImage, Manifest, ManifestJson,
  DiscoveredReferrer, SignatureDiscovery, ReferrerKind, kindOf,
} from './client';
export { computeDigest, verifyDigest, parseDigest } from './digest';
export * from './mediaTypes';

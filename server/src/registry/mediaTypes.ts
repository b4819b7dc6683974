// Media types the client negotiates and recognises (docs §3.1, §5.3).

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

/**
 * One Accept header with all four types: distribution 2.8 answers 404 for an OCI index when the OCI
 * type is missing, and for a Docker list fetched by tag without the list type it serves the
 * linux/amd64 entry instead — a different digest.
 */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');

export const NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';
export const SIGSTORE_BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle';
export const COSIGN_OCI11_SIGNATURE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
export const COSIGN_SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
}

/** `Content-Type` without parameters. */
export function bareMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

// Test helper: pushes a realistic image set into a registry through the API — a windows/amd64 image
// (os.version 10.0.26100.x), a linux/amd64 image, an OCI index over both tagged `multi`, a Notation-style
// signature artifact whose `subject` is the index (reachable only through the `sha256-<hex>` tag
// schema on distribution 2.8), and a cosign-style `sha256-<hex>.sig` manifest.

import { RegistryFixture, pushBlob, pushManifest } from './registryFixture';
import { COSIGN_SIMPLE_SIGNING, NOTATION_SIGNATURE, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST } from './mediaTypes';

export interface SampleImage {
  repository: string;
  index: { digest: string; size: number; bytes: Buffer };
  windows: { digest: string; size: number };
  linux: { digest: string; size: number };
  layerDigest: string;
  layerBytes: Buffer;
  notation: { digest: string; size: number };
  cosign: { digest: string; size: number };
}

export async function pushSampleImage(fixture: RegistryFixture, repository: string): Promise<SampleImage> {
  const layerBytes = Buffer.from('container guard test layer ' + repository);
  const layerDigest = await pushBlob(fixture, repository, layerBytes);
  const emptyDigest = await pushBlob(fixture, repository, '{}');
  const image = async (os: string, version?: string) => {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os, ...(version ? { 'os.version': version } : {}), rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = await pushBlob(fixture, repository, config);
    return pushManifest(fixture, repository, `${os}-only`, OCI_MANIFEST, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layerBytes.length }],
    });
  };
  const windows = await image('windows', '10.0.26100.2894');
  const linux = await image('linux');
  const index = await pushManifest(fixture, repository, 'multi', OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: windows.digest, size: windows.size, platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.26100.2894' } },
      { mediaType: OCI_MANIFEST, digest: linux.digest, size: linux.size, platform: { architecture: 'amd64', os: 'linux' } },
    ],
  });
  const hex = index.digest.slice('sha256:'.length);

  // Notation-style signature artifact pointing at the index; the signature blob is placeholder bytes.
  const envelope = Buffer.from('{"payload":"not a real JWS"}');
  const envelopeDigest = await pushBlob(fixture, repository, envelope);
  const notation = await pushManifest(fixture, repository, `notation-${hex.slice(0, 12)}`, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: NOTATION_SIGNATURE,
    config: { mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 },
    layers: [{ mediaType: 'application/jose+json', digest: envelopeDigest, size: envelope.length }],
    subject: { mediaType: OCI_INDEX, digest: index.digest, size: index.size },
    annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '["00"]' },
  });
  // Tag schema: an OCI index under `sha256-<hex>` listing the referrer.
  await pushManifest(fixture, repository, `sha256-${hex}`, OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ mediaType: OCI_MANIFEST, digest: notation.digest, size: notation.size, artifactType: NOTATION_SIGNATURE }],
  });

  // cosign legacy `.sig` tag: one simple-signing layer per signature.
  const payload = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': repository }, image: { 'docker-manifest-digest': index.digest }, type: 'cosign container image signature' }, optional: null }));
  const payloadDigest = await pushBlob(fixture, repository, payload);
  const cosign = await pushManifest(fixture, repository, `sha256-${hex}.sig`, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: emptyDigest, size: 2 },
    layers: [{ mediaType: COSIGN_SIMPLE_SIGNING, digest: payloadDigest, size: payload.length, annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQ==' } }],
  });
  return {
    repository,
    index,
    windows: { digest: windows.digest, size: windows.size },
    linux: { digest: linux.digest, size: linux.size },
    layerDigest,
    layerBytes,
    notation: { digest: notation.digest, size: notation.size },
    cosign: { digest: cosign.digest, size: cosign.size },
  };
}

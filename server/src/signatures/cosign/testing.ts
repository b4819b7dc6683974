// Test helpers: real keys and signatures made with node:crypto (no fixtures from the network).

import * as crypto from 'node:crypto';
import type { Descriptor } from '../types';
import { parseCosignKeyConfig, type CosignKeyConfig } from './keys';
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from './simpleSigning';

export const IMAGE_DIGEST = 'sha256:' + crypto.createHash('sha256').update('test image manifest').digest('hex');
export const OTHER_DIGEST = 'sha256:' + crypto.createHash('sha256').update('another image').digest('hex');
export const REPO = 'ghcr.io/org/app';

export interface TestKey {
  privateKey: crypto.KeyObject;
  publicPem: string;
}

export function p256(): TestKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Signs like cosign: ECDSA with the curve's default hash (SHA-256 for P-256), DER; RSA PKCS#1 v1.5; Ed25519 pure. */
export function sign(key: crypto.KeyObject, data: Uint8Array, hash = 'sha256'): Buffer {
  return crypto.sign(key.asymmetricKeyType === 'ed25519' ? null : hash, data, key);
}

export function payload(digest = IMAGE_DIGEST, ref = REPO, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': ref }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional: extra,
    }),
  );
}

export function layerFor(blob: Uint8Array, signature: string, annotations: Record<string, string> = {}): Descriptor {
  return {
    mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
    digest: 'sha256:' + crypto.createHash('sha256').update(blob).digest('hex'),
    size: blob.length,
    annotations: { [SIGNATURE_ANNOTATION]: signature, ...annotations },
  };
}

export function config(...entries: Array<{ scope: string; publicKey: string; name?: string }>): CosignKeyConfig {
  const c = parseCosignKeyConfig({ cosign: { keys: entries } });
  if (c.errors.length) throw new Error(c.errors.join('; '));
  return c;
}

/** A self-signed "Fulcio-like" leaf (SAN email, issuer extensions …57264.1.1 and .1.8) and its P-256 key. */
export const KEYLESS_CERT = `-----BEGIN CERTIFICATE-----
MIIB8DCCAZWgAwIBAgIUY/YLlh075LInMB/t/f56aHpV2I4wCgYIKoZIzj0EAwIw
FzEVMBMGA1UECgwMc2lnc3RvcmUuZGV2MCAXDTI2MTEyOTIyMjczOVoYDzIxMjYx
MTA1MjIyNzM5WjAXMRUwEwYDVQQKDAxzaWdzdG9yZS5kZXYwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAR8J6CmIH39F7ydTH32JGPFLj8DI92GhUiAuyIjRt3kfKcZ
2C8/Mk1ZtmlDSB6h3zSBdfFnP4l8C9f/B4AToYUro4G8MIG5MBoGA1UdEQQTMBGB
D2RldkBleGFtcGxlLmNvbTAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYB
BQUHAwMwKQYKKwYBBAGDvzABAQQbDBlodHRwczovL3Rva2VuLmV4YW1wbGUuY29t
MCwGCisGAQQBg78wAQgEHgwcaHR0cHM6Ly9hY2NvdW50cy5leGFtcGxlLmNvbTAd
BgNVHQ4EFgQU4UjU1dGDvkXOdRYQDva/VvcPN7UwCgYIKoZIzj0EAwIDSQAwRgIh
ALq6hEjGHsfSwNhYSn3gpSxsBh+sntvt76hWO8HVKsxmAiEA+JsnVIl029XFSnsp
Gm8iewfUjl0KEIBDmk7BGBwAcH8=
-----END CERTIFICATE-----
`;
export const KEYLESS_KEY = crypto.createPrivateKey(`-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPOX/KdPrFWyuyeWS
MX8L3y/6y558xivLGvzujaNl4UyhRANCAAR8J6CmIH39F7ydTH32JGPFLj8DI92G
hUiAuyIjRt3kfKcZ2C8/Mk1ZtmlDSB6h3zSBdfFnP4l8C9f/B4AToYUr
-----END PRIVATE KEY-----
`);

// Keyless (Fulcio) certificate helpers. Only what is needed to describe the signer and to check that the
// signature was made by the certificate's key; the Fulcio chain, SCT and Rekor proof are NOT checked here
// (sigstoreVerify.ts does that with @sigstore/verify when a Sigstore trusted root is configured).

import * as crypto from 'node:crypto';
import { verifyWithKey } from './keys';

export interface KeylessSigner {
  cert: crypto.X509Certificate;
  /** Subject alternative name(s) without their type, e.g. `a@b.c` or `https://github.com/o/r/.github/workflows/x.yml@refs/heads/main`. */
  identity: string;
  /** OIDC issuer from extension 1.3.6.1.4.1.57264.1.8 (or legacy …1.1). */
  issuer?: string;
}

/** Parses a PEM or DER certificate; undefined when unreadable. */
export function parseCertificate(input: string | Uint8Array): KeylessSigner | undefined {
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(typeof input === 'string' ? input : Buffer.from(input));
  } catch {
    return undefined;
  }
  // Node writes `email:a@b.c, URI:https://…`; the bare values are what cosign and @sigstore/verify show and match.
  const identity = cert.subjectAltName?.split(', ').map((entry) => entry.replace(/^(?:email|URI):/, '')).join(', ').trim()
    || cert.subject.replace(/\n/g, ', ') || 'unknown identity';
  const issuer = fulcioIssuer(cert.raw);
  return { cert, identity, ...(issuer ? { issuer } : {}) };
}

/** `identity (issuer)` for reasons and the `signer` field. */
export function describeKeyless(s: KeylessSigner): string {
  return s.issuer ? `${s.identity} (OIDC issuer ${s.issuer})` : s.identity;
}

/** Whether the signature over `data` was made with the certificate's key. */
export function verifyWithCertificate(s: KeylessSigner, data: Uint8Array, signature: Uint8Array): boolean {
  return verifyWithKey(s.cert.publicKey, data, signature);
}

// OID 1.3.6.1.4.1.57264.1.8 (issuer v2, DER UTF8String) and 1.3.6.1.4.1.57264.1.1 (issuer v1, raw bytes).
const OID_PREFIX = [0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01];

function readLength(buf: Buffer, at: number): { len: number; next: number } | undefined {
  const first = buf[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { len: first, next: at + 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 3 || at + 1 + n > buf.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (buf[at + 1 + i] ?? 0);
  return { len, next: at + 1 + n };
}

/** Extension value (contents of the OCTET STRING) for the Fulcio OID ending in `last`. */
function extensionValue(der: Buffer, last: number): Buffer | undefined {
  const oid = Buffer.from([...OID_PREFIX, last]);
  const at = der.indexOf(oid);
  if (at === -1) return undefined;
  let p = at + oid.length;
  if (der[p] === 0x01) p += 3; // critical BOOLEAN
  if (der[p] !== 0x04) return undefined;
  const l = readLength(der, p + 1);
  if (!l || l.next + l.len > der.length) return undefined;
  return der.subarray(l.next, l.next + l.len);
}

function fulcioIssuer(der: Buffer): string | undefined {
  const v2 = extensionValue(der, 0x08);
  if (v2 && v2[0] === 0x0c) {
    const l = readLength(v2, 1);
    if (l && l.next + l.len <= v2.length) return v2.subarray(l.next, l.next + l.len).toString('utf8');
  }
  const v1 = extensionValue(der, 0x01);
  return v1 && v1.length ? v1.toString('utf8') : undefined;
}

// Test helpers (not a test file): a real X.509 PKI built with pkijs + node:crypto, and real JWS / COSE
// Notation envelopes signed with node:crypto. Used only by *.test.ts.

import { emptyTrustStores, type TrustConfiguration, type TrustPolicyDocument } from './trust';
import { KeyObject, constants, createHash, generateKeyPairSync, sign, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type * as CborX from 'cbor-x' with { 'resolution-mode': 'import' };
import type { Descriptor } from '../types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Decoder, Encoder, Tag } = require('cbor-x') as typeof CborX;

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }));

export type KeyKind = 'rsa2048' | 'rsa3072' | 'rsa4096' | 'rsa1024' | 'p256' | 'p384' | 'p521';

export interface KeyPair { kind: KeyKind; privateKey: KeyObject; publicKey: KeyObject }

export function makeKey(kind: KeyKind): KeyPair {
  if (kind.startsWith('rsa')) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: Number(kind.slice(3)) });
    return { kind, privateKey, publicKey };
  }
  const namedCurve = { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1' }[kind as 'p256'];
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return { kind, privateKey, publicKey };
}

const ATTR_OID: Record<string, string> = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

/** `[['C','US'],['ST','WA'],['O','Test'],['CN','Leaf']]` in encoding order. */
export type Name = [string, string][];

function toRdn(name: Name): pkijs.RelativeDistinguishedNames {
  // One SET per attribute (pkijs would put all attributes into a single multi-valued RDN).
  const seq = new asn1js.Sequence({
    value: name.map(([t, v]) => new asn1js.Set({
      value: [new pkijs.AttributeTypeAndValue({
        type: ATTR_OID[t],
        value: t === 'C' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
      }).toSchema()],
    })),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER(false));
}

export interface Issued { der: Buffer; key: KeyPair; name: Name }

export interface CertOptions {
  name: Name;
  key: KeyPair;
  issuer?: Issued; // self-signed when absent
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: 'ca' | 'leaf' | 'none' | number; // number = first byte of the BIT STRING
  eku?: string[];
  ekuCritical?: boolean;
}

let serial = 1;

export async function makeCert(o: CertOptions): Promise<Issued> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  cert.subject = toRdn(o.name);
  cert.issuer = toRdn(o.issuer ? o.issuer.name : o.name);
  cert.notBefore.value = o.notBefore ?? new Date('2024-01-01T00:00:00Z');
  cert.notAfter.value = o.notAfter ?? new Date('2040-01-01T00:00:00Z');
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(o.key.publicKey.export({ type: 'spki', format: 'der' }));
  const exts: pkijs.Extension[] = [];
  if (o.ca !== undefined) {
    const bc = new pkijs.BasicConstraints({ cA: o.ca, ...(o.pathLen !== undefined ? { pathLenConstraint: o.pathLen } : {}) });
    exts.push(new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: bc.toSchema().toBER(false) }));
  }
  const ku = o.keyUsage ?? (o.ca ? 'ca' : 'leaf');
  if (ku !== 'none') {
    const byte = ku === 'ca' ? 0x06 : ku === 'leaf' ? 0x80 : ku;
    const bs = new asn1js.BitString({ valueHex: new Uint8Array([byte]).buffer, unusedBits: 0 });
    exts.push(new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: bs.toBER(false) }));
  }
  if (o.eku) {
    exts.push(new pkijs.Extension({ extnID: '2.5.29.37', critical: o.ekuCritical === true, extnValue: new pkijs.ExtKeyUsage({ keyPurposes: o.eku }).toSchema().toBER(false) }));
  }
  cert.extensions = exts;
  const signer = o.issuer ? o.issuer.key : o.key;
  const pkcs8 = signer.privateKey.export({ type: 'pkcs8', format: 'der' });
  const algo = signer.kind.startsWith('rsa')
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: { p256: 'P-256', p384: 'P-384', p521: 'P-521' }[signer.kind as 'p256'] };
  const cryptoKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algo, false, ['sign']);
  await cert.sign(cryptoKey as unknown as Parameters<typeof cert.sign>[0], 'SHA-256');
  return { der: Buffer.from(cert.toSchema().toBER(false)), key: o.key, name: o.name };
}

export const SUBJECT: Descriptor = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:' + 'ab'.repeat(32),
  size: 1234,
};

export interface SignOptions {
  alg: string; // JWS name (PS384, ES256, RS256 for "unsupported")
  key: KeyPair;
  chain: Buffer[];
  target?: Descriptor;
  signingTime?: Date;
  expiry?: Date;
  scheme?: string;
  cty?: string;
  extraCrit?: string[];
  timestamp?: Buffer;
}

const HASH: Record<string, string> = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

export function rawSign(alg: string, key: KeyPair, data: Buffer): Buffer {
  const hash = HASH[alg.slice(2)] ?? 'sha256';
  if (alg.startsWith('PS')) {
    return sign(hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
  }
  if (alg.startsWith('ES')) return sign(hash, data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return sign(hash, data, key.privateKey);
}

export function payloadFor(target: Descriptor = SUBJECT): Buffer {
  return Buffer.from(JSON.stringify({ targetArtifact: target }));
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signJws(o: SignOptions): Buffer {
  const ph: Record<string, unknown> = {
    alg: o.alg,
    cty: o.cty ?? 'application/vnd.cncf.notary.payload.v1+json',
    crit: ['io.cncf.notary.signingScheme', ...(o.expiry ? ['io.cncf.notary.expiry'] : []), ...(o.extraCrit ?? [])],
    'io.cncf.notary.signingScheme': o.scheme ?? 'notary.x509',
    'io.cncf.notary.signingTime': (o.signingTime ?? new Date('2025-06-01T12:00:00Z')).toISOString(),
  };
  if (o.expiry) ph['io.cncf.notary.expiry'] = o.expiry.toISOString();
  const protectedB64 = b64u(JSON.stringify(ph));
  const payloadB64 = b64u(payloadFor(o.target));
  const signature = rawSign(o.alg, o.key, Buffer.from(`${protectedB64}.${payloadB64}`));
  const header: Record<string, unknown> = { x5c: o.chain.map((c) => c.toString('base64')), 'io.cncf.notary.signingAgent': 'test/1.0' };
  if (o.timestamp) header['io.cncf.notary.timestampSignature'] = o.timestamp.toString('base64');
  return Buffer.from(JSON.stringify({ payload: payloadB64, protected: protectedB64, header, signature: b64u(signature) }));
}

const COSE_ALG: Record<string, number> = { PS256: -37, PS384: -38, PS512: -39, ES256: -7, ES384: -35, ES512: -36, RS256: -257 };
const enc = new Encoder({ mapsAsObjects: false, useRecords: false });

export function signCose(o: SignOptions): Buffer {
  const ph = new Map<unknown, unknown>([
    [1, COSE_ALG[o.alg]],
    [2, ['io.cncf.notary.signingScheme', ...(o.expiry ? ['io.cncf.notary.expiry'] : []), ...(o.extraCrit ?? [])]],
    [3, o.cty ?? 'application/vnd.cncf.notary.payload.v1+json'],
    ['io.cncf.notary.signingScheme', o.scheme ?? 'notary.x509'],
    ['io.cncf.notary.signingTime', new Tag(Math.floor((o.signingTime ?? new Date('2025-06-01T12:00:00Z')).getTime() / 1000), 1)],
  ]);
  if (o.expiry) ph.set('io.cncf.notary.expiry', new Tag(Math.floor(o.expiry.getTime() / 1000), 1));
  const protectedBytes = Buffer.from(enc.encode(ph));
  const payload = payloadFor(o.target);
  // Sig_structure encoded with the CBOR library (independent of the verifier's hand encoder).
  const toBeSigned = Buffer.from(enc.encode(['Signature1', protectedBytes, Buffer.alloc(0), payload]));
  const signature = rawSign(o.alg, o.key, toBeSigned);
  const unprotected = new Map<unknown, unknown>([[33, o.chain], ['io.cncf.notary.signingAgent', 'test/1.0']]);
  if (o.timestamp) unprotected.set('io.cncf.notary.timestampSignature', o.timestamp);
  return Buffer.from(enc.encode(new Tag([protectedBytes, unprotected, payload, signature], 18)));
}

// ---------------------------------------------------------------- RFC 3161 timestamp tokens

const OID_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const HASH_OID: Record<string, string> = { sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3' };

export interface TimestampOptions {
  /** The envelope signature bytes being timestamped. */
  signature: Buffer;
  /** TSA signing certificate and key. */
  tsa: Issued;
  /** Certificates embedded in the SignedData (normally the TSA leaf and its chain). */
  certs: Buffer[];
  genTime: Date;
  hash?: 'sha256' | 'sha384' | 'sha512';
  /** Overrides the messageImprint value (tampering). */
  imprint?: Buffer;
  accuracySeconds?: number;
  /** Include signing-certificate-v2 (default true). */
  signingCertV2?: boolean;
}

/** A real RFC 3161 TimeStampToken: TSTInfo in a CMS SignedData signed by the TSA key with pkijs. */
export async function makeTimestampToken(o: TimestampOptions): Promise<Buffer> {
  const hash = o.hash ?? 'sha256';
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.99999.1',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash], algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(o.imprint ?? createHash(hash).update(o.signature).digest()) }),
    }),
    serialNumber: new asn1js.Integer({ value: serial++ }),
    genTime: o.genTime,
    ...(o.accuracySeconds !== undefined ? { accuracy: new pkijs.Accuracy({ seconds: o.accuracySeconds }) } : {}),
  });
  const tstDer = new Uint8Array(tst.toSchema().toBER(false));
  const attributes = [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: OID_TSTINFO })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: new Uint8Array(createHash('sha256').update(tstDer).digest()) })] }),
  ];
  if (o.signingCertV2 !== false) {
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with default SHA-256.
    const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(createHash('sha256').update(o.tsa.der).digest()) })] });
    attributes.push(new pkijs.Attribute({
      type: '1.2.840.113549.1.9.16.2.47',
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })],
    }));
  }
  const tsaCert = pkijs.Certificate.fromBER(o.tsa.der);
  const sd = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_TSTINFO, eContent: new asn1js.OctetString({ valueHex: tstDer }) }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: tsaCert.issuer, serialNumber: tsaCert.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    })],
    certificates: o.certs.map((c) => pkijs.Certificate.fromBER(c)),
  });
  const signer = o.tsa.key;
  const pkcs8 = signer.privateKey.export({ type: 'pkcs8', format: 'der' });
  const algo = signer.kind.startsWith('rsa')
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: { p256: 'P-256', p384: 'P-384', p521: 'P-521' }[signer.kind as 'p256'] };
  const cryptoKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algo, false, ['sign']);
  await sd.sign(cryptoKey as unknown as Parameters<typeof sd.sign>[0], 0, 'SHA-256');
  const ci = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return Buffer.from(ci.toSchema().toBER(false));
}

const dec = new Decoder({ mapsAsObjects: false, useRecords: false });

/** The signature bytes of a JWS / COSE envelope (what a timestamp covers). */
export function envelopeSignature(envelope: Buffer, type: 'jws' | 'cose'): Buffer {
  if (type === 'jws') return Buffer.from(JSON.parse(envelope.toString()).signature, 'base64url');
  const t = dec.decode(envelope) as { value: unknown[] };
  return Buffer.from(t.value[3] as Uint8Array);
}

/** Puts a timestamp token into the unprotected header (the signature does not cover it). */
export function withTimestamp(envelope: Buffer, type: 'jws' | 'cose', token: Buffer): Buffer {
  if (type === 'jws') {
    const o = JSON.parse(envelope.toString());
    o.header['io.cncf.notary.timestampSignature'] = token.toString('base64');
    return Buffer.from(JSON.stringify(o));
  }
  const t = dec.decode(envelope) as { value: unknown[] };
  const [p, u, payload, sig] = t.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
  u.set('io.cncf.notary.timestampSignature', token);
  return Buffer.from(enc.encode(new Tag([Buffer.from(p), u, Buffer.from(payload), Buffer.from(sig)], 18)));
}

/** The repository the test policies scope and the test signatures claim. */
export const TEST_REPOSITORY = 'registry.test/app';

/** A one-statement trust policy for TEST_REPOSITORY trusting the Contoso test signer; `over` replaces fields. */
export function testPolicy(trustStores: string[], over: Partial<TrustPolicyDocument['trustPolicies'][number]> = {}): TrustPolicyDocument {
  return {
    version: '1.0',
    trustPolicies: [{
      name: 'test',
      registryScopes: [TEST_REPOSITORY],
      signatureVerification: { level: 'strict' },
      trustStores,
      trustedIdentities: ['x509.subject: O=Contoso, S=Washington, C=US'],
      ...over,
    }],
  };
}

/** Trust configuration with a `ca:test` store and a `tsa:tsa` store holding the given roots. */
export function testTrust(policy: unknown, caRoot: Issued, tsaRoot: Issued): TrustConfiguration {
  const stores = emptyTrustStores();
  stores.ca.test = [caRoot.der];
  stores.tsa.tsa = [tsaRoot.der];
  return { policy, stores };
}

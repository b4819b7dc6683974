// Test helpers (not a test file): a complete offline Sigstore PKI made with node:crypto + pkijs — a Fulcio-like root
// and intermediate CA, short-lived leaf certificates with a SAN, the OIDC issuer extensions and an embedded SCT
// signed by a test CT log, a Rekor key signing SETs and checkpoints, an RFC 3161 timestamp authority (TSA CA + TSA
// leaf with the timeStamping EKU), and the TrustedRoot JSON naming them — plus real keyless signatures in the three
// layouts cosign writes: v0.3 DSSE bundle, v0.3 message-signature bundle and the legacy `.sig` layer annotations, and
// real RFC 3161 timestamps over a bundle's signature (`timestampVerificationData.rfc3161Timestamps`). Everything is
// built independently of @sigstore/verify (own canonical JSON, Merkle hashing, SCT and note encodings; the timestamp
// tokens are the Notation tests' pkijs ones) so the tests check the verifier rather than mirror it.

import * as crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { IN_TOTO_PAYLOAD_TYPE, SIGSTORE_BUNDLE_MEDIA_TYPE, dssePae } from './bundle';
import { CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, REKOR_BUNDLE_ANNOTATION, SIGNATURE_ANNOTATION } from './simpleSigning';
import { EKU } from '../notation/certs';
import { makeCert, makeKey, makeTimestampToken, type Issued } from '../notation/testPki';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: crypto.webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] }));

export const EMAIL = 'dev@example.com';
export const EMAIL_ISSUER = 'https://accounts.example.com';
export const WORKFLOW = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** Default signing moment: leaves are valid 10 minutes from here, Rekor integrates one minute in. */
export const SIGNING_TIME = new Date('2026-03-01T12:00:00Z');

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const u16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number): Buffer => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const pem = (der: Uint8Array): string => `-----BEGIN CERTIFICATE-----\n${(b64(der).match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;

/** A transparency or CT log: its key and RFC 6962 log id (SHA-256 of the DER SubjectPublicKeyInfo). */
export interface LogKey {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  spki: Buffer;
  logId: Buffer;
  baseUrl: string;
}

export function makeLog(baseUrl: string): LogKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, spki, logId: sha256(spki), baseUrl };
}

export interface CaCert {
  der: Buffer;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  name: pkijs.RelativeDistinguishedNames;
}

export interface Leaf {
  der: Buffer;
  pem: string;
  privateKey: crypto.KeyObject;
}

function rdn(entries: Array<[string, string]>): pkijs.RelativeDistinguishedNames {
  const oid: Record<string, string> = { O: '2.5.4.10', CN: '2.5.4.3' };
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: entries.map(([t, v]) => new pkijs.AttributeTypeAndValue({ type: oid[t]!, value: new asn1js.Utf8String({ value: v }) })),
  });
}

let serial = 1000;

interface CertSpec {
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.RelativeDistinguishedNames;
  publicKey: crypto.KeyObject;
  signer: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: pkijs.Extension[];
  /** Called with the finished pre-certificate TBS (DER); returns extensions appended before the final signature. */
  late?: (tbs: Buffer) => pkijs.Extension[];
}

async function signCert(spec: CertSpec): Promise<Buffer> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  cert.subject = spec.subject;
  cert.issuer = spec.issuer;
  cert.notBefore.value = spec.notBefore;
  cert.notAfter.value = spec.notAfter;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spec.publicKey.export({ type: 'spki', format: 'der' }));
  cert.extensions = [...spec.extensions];
  const key = await crypto.webcrypto.subtle.importKey('pkcs8', spec.signer.export({ type: 'pkcs8', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  await cert.sign(key as unknown as Parameters<typeof cert.sign>[0], 'SHA-256');
  if (spec.late) {
    // The TBS as signed so far (signature algorithm filled in by sign()) is the RFC 6962 pre-certificate.
    const tbs = Buffer.from(cert.encodeTBS().toBER(false));
    cert.extensions = [...spec.extensions, ...spec.late(tbs)];
    await cert.sign(key as unknown as Parameters<typeof cert.sign>[0], 'SHA-256');
  }
  return Buffer.from(cert.toSchema().toBER(false));
}

const ext = (extnID: string, critical: boolean, value: ArrayBuffer): pkijs.Extension => new pkijs.Extension({ extnID, critical, extnValue: value });

async function makeCa(cn: string, issuer?: CaCert): Promise<CaCert> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = rdn([['O', 'sigstore.test'], ['CN', cn]]);
  const der = await signCert({
    subject: name, issuer: issuer ? issuer.name : name, publicKey, signer: issuer ? issuer.privateKey : privateKey,
    notBefore: new Date('2020-01-01Z'), notAfter: new Date('2040-01-01Z'),
    extensions: [
      ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: true, ...(issuer ? { pathLenConstraint: 0 } : {}) }).toSchema().toBER(false)),
      ext('2.5.29.15', true, new asn1js.BitString({ valueHex: new Uint8Array([0x06]).buffer, unusedBits: 1 }).toBER(false)),
    ],
  });
  return { der, privateKey, publicKey, name };
}

export interface LeafOptions {
  /** SAN: an email (rfc822Name) or a URI (e.g. a GitHub workflow). Default EMAIL. */
  email?: string;
  uri?: string;
  /** OIDC issuer written into 1.3.6.1.4.1.57264.1.8 (and the legacy …1.1). Default EMAIL_ISSUER. */
  issuer?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Issue from another PKI's intermediate (a CA the trusted root does not list). */
  issuedBy?: SigstorePki;
  /** Log that signs the SCT (default this PKI's CT log); another one's is "unknown". */
  ctlog?: LogKey;
  /** Flip a bit of the SCT signature. */
  tamperSct?: boolean;
  /** No SCT extension at all, as in Fulcio's earliest certificates. */
  noSct?: boolean;
}

export interface EntryOptions {
  /** Seconds since the epoch (default SIGNING_TIME + 60 s). */
  integratedTime?: number;
  logIndex?: number;
  /** Log that signs the SET and checkpoint (default this PKI's Rekor). */
  rekor?: LogKey;
  /** Record this signature in the Rekor body instead of the bundle's (an entry for another signature). */
  bodySignature?: Buffer;
  /** Flip a bit of the SET. */
  tamperSet?: boolean;
  /**
   * No inclusion promise (SET) and integratedTime 0, as Rekor v2 writes: the entry then proves inclusion only and
   * gives no verified time, so the bundle needs an RFC 3161 timestamp (v0.3 bundles only).
   */
  noPromise?: boolean;
}

/** An RFC 3161 timestamp authority: a self-signed TSA CA and the TSA signing leaf it issued. */
export interface TimestampAuthority {
  root: Issued;
  leaf: Issued;
  /** The `uri` written into the trusted root. */
  uri: string;
}

/** A TSA CA and leaf (P-256; the leaf with the critical timeStamping EKU unless `eku: false`), valid 2024–2040. */
export async function makeTimestampAuthority(label: string, o: { eku?: boolean } = {}): Promise<TimestampAuthority> {
  const root = await makeCert({ name: [['O', 'sigstore.test'], ['CN', `sigstore ${label} TSA root`]], key: makeKey('p256'), ca: true });
  const leaf = await makeCert({
    name: [['O', 'sigstore.test'], ['CN', `sigstore ${label} TSA`]], key: makeKey('p256'), issuer: root,
    ...(o.eku === false ? {} : { eku: [EKU.timeStamping], ekuCritical: true }),
  });
  return { root, leaf, uri: `https://tsa.${label}.invalid` };
}

export interface BundleTimestampOptions {
  /** The TSA's time (default SIGNING_TIME + 30 s, inside the leaf's 10-minute validity). */
  genTime?: Date;
  /** The authority that signs the token (default this PKI's TSA). */
  tsa?: TimestampAuthority;
  /** Timestamp these bytes instead of the bundle's signature (a token over another signature). */
  signature?: Buffer;
}

/** DER TLV of a constructed SEQUENCE holding already-encoded parts. */
function derSequence(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : n < 0x10000 ? Buffer.from([0x82, n >> 8, n & 0xff]) : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([0x30]), len, body]);
}

/**
 * The token with its encapsulated TSTInfo in a primitive OCTET STRING, as DER (and every TSA) has it. pkijs's
 * EncapsulatedContentInfo constructor splits eContent into a constructed (BER) OCTET STRING, which @sigstore/core's
 * parser does not read. The TSA signature covers the signed attributes (messageDigest of the TSTInfo), not this
 * wrapping, so re-encoding it keeps the token valid.
 */
function derEContent(token: Buffer): Buffer {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(token));
  const sd = new pkijs.SignedData({ schema: info.content });
  const content = sd.encapContentInfo.eContent;
  if (!content) throw new Error('timestamp token without eContent');
  const pieces = content.idBlock.isConstructed ? (content.valueBlock.value as asn1js.OctetString[]) : [content];
  const tstInfo = Buffer.concat(pieces.map((p) => Buffer.from(p.valueBlock.valueHexView)));
  sd.encapContentInfo.eContent = new asn1js.OctetString({ valueHex: new Uint8Array(tstInfo) });
  return Buffer.from(new pkijs.ContentInfo({ contentType: info.contentType, content: sd.toSchema(true) }).toSchema().toBER(false));
}

/**
 * RFC 3161 §2.4.2 TimeStampResp { status PKIStatusInfo { granted (0) }, timeStampToken } around a token: what a TSA
 * answers and what a Sigstore bundle's `signedTimestamp` holds.
 */
export function timeStampResponse(token: Buffer): Buffer {
  return derSequence(derSequence(Buffer.from([0x02, 0x01, 0x00])), derEContent(token));
}

/** RFC 8785-style canonical JSON for the plain objects Rekor bodies and SET payloads are made of. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export class SigstorePki {
  private constructor(
    readonly root: CaCert,
    readonly intermediate: CaCert,
    readonly ctlog: LogKey,
    readonly rekor: LogKey,
    readonly tsa: TimestampAuthority,
  ) {}

  static async create(label = 'test'): Promise<SigstorePki> {
    const root = await makeCa(`sigstore ${label} root`);
    const intermediate = await makeCa(`sigstore ${label} intermediate`, root);
    return new SigstorePki(root, intermediate, makeLog(`https://ctfe.${label}.invalid`), makeLog(`https://rekor.${label}.invalid`), await makeTimestampAuthority(label));
  }

  /**
   * The TrustedRoot JSON object (what `cosign trusted-root create` writes) listing this PKI's CA, logs and TSA
   * (`timestampAuthorities` replaces the TSA list: `[]` for a root without any).
   */
  trustedRoot(o: { timestampAuthorities?: TimestampAuthority[] } = {}): Record<string, unknown> {
    const log = (l: LogKey) => ({
      baseUrl: l.baseUrl,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: b64(l.spki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2020-01-01T00:00:00Z' } },
      logId: { keyId: b64(l.logId) },
    });
    return {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [log(this.rekor)],
      certificateAuthorities: [{
        subject: { organization: 'sigstore.test', commonName: 'sigstore' },
        uri: 'https://fulcio.test.invalid',
        certChain: { certificates: [{ rawBytes: b64(this.intermediate.der) }, { rawBytes: b64(this.root.der) }] },
        validFor: { start: '2020-01-01T00:00:00Z' },
      }],
      ctlogs: [log(this.ctlog)],
      timestampAuthorities: (o.timestampAuthorities ?? [this.tsa]).map((t) => ({
        subject: { organization: 'sigstore.test', commonName: `${t.uri} TSA` },
        uri: t.uri,
        certChain: { certificates: [{ rawBytes: b64(t.leaf.der) }, { rawBytes: b64(t.root.der) }] },
        validFor: { start: '2020-01-01T00:00:00Z' },
      })),
    };
  }

  /**
   * The bundle with one more real RFC 3161 timestamp (a TimeStampResp whose TSTInfo messageImprint is the SHA-256 of
   * the bundle's signature — the DSSE signature or the message signature — signed by the TSA leaf) in
   * `verificationMaterial.timestampVerificationData.rfc3161Timestamps`, as `cosign sign --timestamp-server-url` writes.
   */
  async timestamp(bundle: Buffer, o: BundleTimestampOptions = {}): Promise<Buffer> {
    const json = JSON.parse(bundle.toString('utf8')) as {
      verificationMaterial: { timestampVerificationData?: { rfc3161Timestamps?: Array<{ signedTimestamp: string }> } };
      dsseEnvelope?: { signatures: Array<{ sig: string }> };
      messageSignature?: { signature: string };
    };
    const signed = o.signature ?? Buffer.from(json.dsseEnvelope?.signatures[0]?.sig ?? json.messageSignature?.signature ?? '', 'base64');
    const tsa = o.tsa ?? this.tsa;
    const token = await makeTimestampToken({
      signature: signed, tsa: tsa.leaf, certs: [tsa.leaf.der, tsa.root.der], genTime: o.genTime ?? new Date(SIGNING_TIME.getTime() + 30_000),
    });
    const data = json.verificationMaterial.timestampVerificationData ?? {};
    data.rfc3161Timestamps = [...(data.rfc3161Timestamps ?? []), { signedTimestamp: b64(timeStampResponse(token)) }];
    json.verificationMaterial.timestampVerificationData = data;
    return Buffer.from(JSON.stringify(json));
  }

  /** A Fulcio-style leaf: empty subject, critical SAN, code signing, OIDC issuer extensions, embedded SCT. */
  async issueLeaf(o: LeafOptions = {}): Promise<Leaf> {
    const ca = (o.issuedBy ?? this).intermediate;
    const ctlog = o.ctlog ?? this.ctlog;
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const notBefore = o.notBefore ?? SIGNING_TIME;
    const issuer = o.issuer ?? EMAIL_ISSUER;
    const san = o.uri !== undefined ? new pkijs.GeneralName({ type: 6, value: o.uri }) : new pkijs.GeneralName({ type: 1, value: o.email ?? EMAIL });
    const der = await signCert({
      subject: new pkijs.RelativeDistinguishedNames(), issuer: ca.name, publicKey, signer: ca.privateKey,
      notBefore, notAfter: o.notAfter ?? new Date(notBefore.getTime() + 10 * 60_000),
      extensions: [
        ext('2.5.29.15', true, new asn1js.BitString({ valueHex: new Uint8Array([0x80]).buffer, unusedBits: 7 }).toBER(false)),
        ext('2.5.29.37', false, new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.3'] }).toSchema().toBER(false)),
        ext('2.5.29.17', true, new pkijs.GeneralNames({ names: [san] }).toSchema().toBER(false)),
        ext('1.3.6.1.4.1.57264.1.1', false, new Uint8Array(Buffer.from(issuer)).buffer),
        ext('1.3.6.1.4.1.57264.1.8', false, new asn1js.Utf8String({ value: issuer }).toBER(false)),
      ],
      late: (tbs) => (o.noSct ? [] : [ext('1.3.6.1.4.1.11129.2.4.2', false, sctExtension(ctlog, tbs, ca, notBefore, o.tamperSct === true))]),
    });
    return { der, pem: pem(der), privateKey };
  }

  /** A v0.3 bundle with a DSSE envelope (what `cosign sign` v3 writes) over an in-toto statement. */
  dsseBundle(leaf: Leaf, statement: Buffer, o: EntryOptions = {}): Buffer {
    const sig = crypto.sign('sha256', dssePae(IN_TOTO_PAYLOAD_TYPE, statement), leaf.privateKey);
    const envelope = { payload: b64(statement), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig: b64(sig), keyid: '' }] };
    const body = {
      apiVersion: '0.0.1', kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(JSON.stringify(envelope))).toString('hex') },
        payloadHash: { algorithm: 'sha256', value: sha256(statement).toString('hex') },
        signatures: [{ signature: b64(o.bodySignature ?? sig), verifier: b64(Buffer.from(leaf.pem)) }],
      },
    };
    return Buffer.from(JSON.stringify({
      mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      verificationMaterial: { certificate: { rawBytes: b64(leaf.der) }, tlogEntries: [this.entry(body, o, true)], timestampVerificationData: {} },
      dsseEnvelope: envelope,
    }));
  }

  /** A v0.3 bundle with a message signature over `artifact` (e.g. the image manifest bytes). */
  messageBundle(leaf: Leaf, artifact: Buffer, o: EntryOptions = {}): Buffer {
    const sig = crypto.sign('sha256', artifact, leaf.privateKey);
    return Buffer.from(JSON.stringify({
      mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      verificationMaterial: { certificate: { rawBytes: b64(leaf.der) }, tlogEntries: [this.entry(hashedRekord(leaf, artifact, o.bodySignature ?? sig), o, true)], timestampVerificationData: {} },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(sha256(artifact)) }, signature: b64(sig) },
    }));
  }

  /** The annotations of a legacy keyless `.sig` layer (cosign ≤ v2) signing `payload`. */
  legacyAnnotations(leaf: Leaf, payload: Buffer, o: EntryOptions = {}): Record<string, string> {
    const sig = crypto.sign('sha256', payload, leaf.privateKey);
    const body = Buffer.from(canonicalJson(hashedRekord(leaf, payload, o.bodySignature ?? sig)));
    const { integratedTime, logIndex, rekor, set } = this.promise(body, o);
    return {
      [SIGNATURE_ANNOTATION]: b64(sig),
      [CERTIFICATE_ANNOTATION]: leaf.pem,
      [CHAIN_ANNOTATION]: pem(this.intermediate.der) + pem(this.root.der),
      [REKOR_BUNDLE_ANNOTATION]: JSON.stringify({ SignedEntryTimestamp: b64(set), Payload: { body: b64(body), integratedTime, logIndex, logID: rekor.logId.toString('hex') } }),
    };
  }

  /** SET: the Rekor key's signature over the canonical JSON of {body, integratedTime, logID, logIndex}. */
  private promise(body: Buffer, o: EntryOptions): { integratedTime: number; logIndex: number; rekor: LogKey; set: Buffer } {
    const integratedTime = o.integratedTime ?? Math.floor(SIGNING_TIME.getTime() / 1000) + 60;
    const logIndex = o.logIndex ?? 1;
    const rekor = o.rekor ?? this.rekor;
    const set = crypto.sign('sha256', Buffer.from(canonicalJson({ body: b64(body), integratedTime, logID: rekor.logId.toString('hex'), logIndex })), rekor.privateKey);
    if (o.tamperSet) set[set.length - 3] ^= 0x01;
    return { integratedTime, logIndex, rekor, set };
  }

  /** A tlog entry with SET and (v0.3) an inclusion proof in a 2-leaf tree plus a signed checkpoint. */
  private entry(bodyObject: unknown, o: EntryOptions, withProof: boolean): Record<string, unknown> {
    const body = Buffer.from(canonicalJson(bodyObject));
    const { integratedTime, rekor, set } = this.promise(body, { ...o, logIndex: 1 });
    const kind = bodyObject as { kind: string; apiVersion: string };
    const out: Record<string, unknown> = {
      logIndex: '1',
      logId: { keyId: b64(rekor.logId) },
      kindVersion: { kind: kind.kind, version: kind.apiVersion },
      integratedTime: o.noPromise ? '0' : String(integratedTime),
      ...(o.noPromise ? {} : { inclusionPromise: { signedEntryTimestamp: b64(set) } }),
      canonicalizedBody: b64(body),
    };
    if (withProof) {
      // RFC 6962 tree of two leaves, ours at index 1: root = H(0x01 ‖ H(0x00 ‖ other) ‖ H(0x00 ‖ body)).
      const sibling = sha256(Buffer.from([0]), Buffer.from('an earlier entry'));
      const rootHash = sha256(Buffer.from([1]), sibling, sha256(Buffer.from([0]), body));
      const host = new URL(rekor.baseUrl).host;
      const note = `${host} - 1193050959916656506\n2\n${b64(rootHash)}\n`;
      const noteSig = crypto.sign('sha256', Buffer.from(note), rekor.privateKey);
      out.inclusionProof = {
        logIndex: '1', rootHash: b64(rootHash), treeSize: '2', hashes: [b64(sibling)],
        checkpoint: { envelope: `${note}\n\u2014 ${host} ${b64(Buffer.concat([rekor.logId.subarray(0, 4), noteSig]))}\n` },
      };
    }
    return out;
  }
}

function hashedRekord(leaf: Leaf, data: Buffer, signature: Buffer): Record<string, unknown> {
  return {
    apiVersion: '0.0.1', kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: sha256(data).toString('hex') } },
      signature: { content: b64(signature), publicKey: { content: b64(Buffer.from(leaf.pem)) } },
    },
  };
}

/** RFC 6962 §3.3 SignedCertificateTimestampList with one v1 SCT over the pre-certificate, as an extension value. */
function sctExtension(log: LogKey, tbs: Buffer, issuer: CaCert, at: Date, tamper: boolean): ArrayBuffer {
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(at.getTime()));
  const issuerKeyHash = sha256(issuer.publicKey.export({ type: 'spki', format: 'der' }));
  // digitally-signed struct: version, signature_type certificate_timestamp, timestamp, entry_type precert_entry,
  // PreCert { issuer_key_hash, tbs_certificate<1..2^24-1> }, extensions<0..2^16-1>.
  const signed = Buffer.concat([Buffer.from([0, 0]), timestamp, u16(1), issuerKeyHash, u24(tbs.length), tbs, u16(0)]);
  const sig = crypto.sign('sha256', signed, log.privateKey);
  if (tamper) sig[sig.length - 3] ^= 0x01;
  const sct = Buffer.concat([Buffer.from([0]), log.logId, timestamp, u16(0), Buffer.from([4, 3]), u16(sig.length), sig]);
  const list = Buffer.concat([u16(sct.length + 2), u16(sct.length), sct]);
  return new asn1js.OctetString({ valueHex: new Uint8Array(list).buffer }).toBER(false);
}

/** An in-toto Statement as cosign v3 signs it. */
export function cosignStatement(digest: string, predicateType = 'https://sigstore.dev/cosign/sign/v1'): Buffer {
  const [algorithm, hex] = digest.split(':');
  return Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'image', digest: { [algorithm!]: hex } }], predicateType, predicate: {} }));
}

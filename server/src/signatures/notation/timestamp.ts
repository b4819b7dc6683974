// RFC 3161 timestamp countersignature verification for Notary Project signatures (spec "Authentic
// timestamp"; notation-go verifier, tspclient-go, notation-core-go x509/timestamp_cert_validations.go).
//
// The token is a CMS ContentInfo → SignedData whose encapsulated content is a TSTInfo (id-ct-TSTInfo).
// Parsing uses pkijs/asn1js; every signature and hash is checked with node:crypto, synchronously.
//
// Checked: structure; eContentType; signed attributes (contentType, messageDigest over the TSTInfo,
// signing-certificate(-v2) naming the TSA certificate); the SignerInfo signature with the TSA certificate
// embedded in the token; messageImprint (SHA-256/384/512) = hash of the envelope's signature bytes; the TSA
// chain built from the embedded certificates up to a root that is byte-equal to a `tsa:` trust store
// certificate; CA rules and key strength on the chain; the TSA leaf (timeStamping as its only, critical EKU,
// no cA, digitalSignature when keyUsage is present); the whole chain valid over [genTime ± accuracy].
// Not checked: TSA certificate revocation (OCSP/CRL), the TSA policy OID, nonce.

import { constants, createHash, verify as cryptoVerify, KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertError, EKU, ParsedCertificate, checkCa, checkKeyStrength, invalidAt, issuedBy, parseCertificate } from './certs';

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

/** Hash algorithms accepted for the messageImprint and the CMS digests (no SHA-1, as tspclient-go). */
const HASHES: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/** CMS signature algorithm OIDs → how to verify with node:crypto (hash undefined = the SignerInfo digest). */
const SIG_ALGS: Record<string, { kind: 'rsa' | 'pss' | 'ec'; hash?: string }> = {
  '1.2.840.113549.1.1.1': { kind: 'rsa' }, // rsaEncryption (common in real tokens)
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { kind: 'pss' },
  '1.2.840.10045.2.1': { kind: 'ec' }, // id-ecPublicKey used as a signature algorithm
  '1.2.840.10045.4.3.2': { kind: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ec', hash: 'sha512' },
};

export class TimestampError extends Error {
  constructor(readonly status: 'invalid' | 'untrusted', message: string) {
    super(message);
  }
}

export interface VerifiedTimestamp {
  genTime: Date;
  /** genTime − accuracy and genTime + accuracy (equal to genTime when the token has no accuracy). */
  earliest: Date;
  latest: Date;
  /** TSA chain, signing certificate first, ending at the trusted certificate. */
  chain: ParsedCertificate[];
  anchor: ParsedCertificate;
  messageImprintAlg: string;
}

const bad = (m: string) => new TimestampError('invalid', m);

function hashName(alg: pkijs.AlgorithmIdentifier, what: string): string {
  const h = HASHES[alg.algorithmId];
  if (!h) throw bad(`${what} hash algorithm ${alg.algorithmId} is not supported (SHA-256, SHA-384 or SHA-512 required)`);
  return h;
}

function bytes(v: ArrayBuffer | Uint8Array): Buffer {
  return Buffer.from(v instanceof Uint8Array ? v : new Uint8Array(v));
}

function attr(attrs: pkijs.Attribute[], oid: string): asn1js.AsnType | undefined {
  const found = attrs.filter((a) => a.type === oid);
  if (found.length > 1) throw bad(`signed attribute ${oid} appears more than once`);
  if (found.length === 0) return undefined;
  if (found[0].values.length !== 1) throw bad(`signed attribute ${oid} must have exactly one value`);
  return found[0].values[0] as asn1js.AsnType;
}

function findSigner(sid: unknown, certs: ParsedCertificate[]): ParsedCertificate | undefined {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certs.find((c) => c.pki.issuer.isEqual(sid.issuer) && c.pki.serialNumber.isEqual(sid.serialNumber));
  }
  // [0] SubjectKeyIdentifier
  const ski = sid as asn1js.Primitive | undefined;
  const want = ski?.valueBlock?.valueHexView ? Buffer.from(ski.valueBlock.valueHexView) : undefined;
  if (!want) return undefined;
  return certs.find((c) => {
    const ext = (c.pki.extensions ?? []).find((e) => e.extnID === '2.5.29.14');
    const v = ext?.parsedValue as asn1js.OctetString | undefined;
    return v !== undefined && Buffer.from(v.valueBlock.valueHexView).equals(want);
  });
}

function verifyCmsSignature(si: pkijs.SignerInfo, digestHash: string, data: Buffer, key: KeyObject): boolean {
  const alg = SIG_ALGS[si.signatureAlgorithm.algorithmId];
  if (!alg) throw bad(`timestamp signature algorithm ${si.signatureAlgorithm.algorithmId} is not supported`);
  const sig = bytes(si.signature.valueBlock.valueHexView);
  const hash = alg.hash ?? digestHash;
  try {
    if (alg.kind === 'pss') {
      const params = pkijs.RSASSAPSSParams.fromBER(si.signatureAlgorithm.algorithmParams.toBER(false));
      const pssHash = HASHES[params.hashAlgorithm.algorithmId];
      if (!pssHash) throw bad(`timestamp RSASSA-PSS hash ${params.hashAlgorithm.algorithmId} is not supported`);
      return cryptoVerify(pssHash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, sig);
    }
    if (alg.kind === 'rsa') {
      if (key.asymmetricKeyType !== 'rsa') return false;
      return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
    }
    if (key.asymmetricKeyType !== 'ec') return false;
    return cryptoVerify(hash, data, { key, dsaEncoding: 'der' }, sig);
  } catch (e) {
    if (e instanceof TimestampError) throw e;
    return false;
  }
}

/** RFC 2634 / RFC 5035: the first ESSCertID(v2) must name the TSA certificate (hash of its DER). */
function checkSigningCertificate(attrs: pkijs.Attribute[], tsa: ParsedCertificate): void {
  const v2 = attr(attrs, OID.signingCertificateV2);
  const v1 = attr(attrs, OID.signingCertificate);
  if (!v2 && !v1) throw bad('timestamp has no signing-certificate or signing-certificate-v2 signed attribute');
  const first = (v: asn1js.AsnType) => {
    const certsSeq = (v as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
    const id = certsSeq?.valueBlock?.value?.[0] as asn1js.Sequence | undefined;
    if (!(id instanceof asn1js.Sequence)) throw bad('timestamp signing-certificate attribute is malformed');
    return id.valueBlock.value;
  };
  if (v2) {
    const parts = first(v2);
    let hash = 'sha256';
    let i = 0;
    if (parts[0] instanceof asn1js.Sequence) {
      hash = hashName(new pkijs.AlgorithmIdentifier({ schema: parts[0] }), 'signing-certificate-v2');
      i = 1;
    }
    const h = parts[i];
    if (!(h instanceof asn1js.OctetString)) throw bad('timestamp signing-certificate-v2 attribute has no certificate hash');
    if (!Buffer.from(h.valueBlock.valueHexView).equals(createHash(hash).update(tsa.der).digest())) {
      throw bad(`timestamp signing-certificate-v2 attribute does not name the TSA certificate ${tsa.subjectDn}`);
    }
  }
  if (v1) {
    const h = first(v1)[0];
    if (!(h instanceof asn1js.OctetString)) throw bad('timestamp signing-certificate attribute has no certificate hash');
    if (!Buffer.from(h.valueBlock.valueHexView).equals(createHash('sha1').update(tsa.der).digest())) {
      throw bad(`timestamp signing-certificate attribute does not name the TSA certificate ${tsa.subjectDn}`);
    }
  }
}

/** RFC 3161 §2.3 and notation-core-go timestamp leaf rules. */
function checkTsaLeaf(c: ParsedCertificate): void {
  if (c.basicConstraints?.cA) throw bad(`TSA certificate ${c.subjectDn} is a CA certificate (cA=true)`);
  if (c.keyUsage && !c.keyUsage.bits.has('digitalSignature')) throw bad(`TSA certificate ${c.subjectDn}: keyUsage lacks digitalSignature`);
  const eku = c.extKeyUsage;
  if (!eku || eku.length !== 1 || eku[0] !== EKU.timeStamping) {
    throw bad(`TSA certificate ${c.subjectDn} must have timeStamping as its only extended key usage (has ${eku?.length ? eku.join(', ') : 'none'})`);
  }
  if (!c.extKeyUsageCritical) throw bad(`TSA certificate ${c.subjectDn}: the extended key usage extension must be critical`);
}

function accuracyMs(a: pkijs.Accuracy | undefined): number {
  if (!a) return 0;
  return (a.seconds ?? 0) * 1000 + (a.millis ?? 0) + (a.micros ?? 0) / 1000;
}

/**
 * Verifies an RFC 3161 TimeStampToken over `signature` (the envelope's signature bytes) against the `tsa:`
 * trust store certificates. Throws TimestampError ('untrusted' when the token is sound but its chain does not
 * reach a trusted TSA root; 'invalid' otherwise).
 */
export function verifyTimestampToken(token: Uint8Array, signature: Uint8Array, tsaRoots: Uint8Array[]): VerifiedTimestamp {
  // Structure.
  let sd: pkijs.SignedData;
  let tst: pkijs.TSTInfo;
  let eContent: Buffer;
  try {
    const ci = pkijs.ContentInfo.fromBER(bytes(token));
    if (ci.contentType !== OID.signedData) throw bad(`timestamp is not CMS SignedData (content type ${ci.contentType})`);
    sd = new pkijs.SignedData({ schema: ci.content });
    if (sd.encapContentInfo.eContentType !== OID.tstInfo) throw bad(`timestamp content type is ${sd.encapContentInfo.eContentType}, expected id-ct-TSTInfo`);
    const ec = sd.encapContentInfo.eContent;
    if (!ec) throw bad('timestamp SignedData has no TSTInfo content');
    eContent = bytes(ec.getValue());
    tst = pkijs.TSTInfo.fromBER(eContent);
  } catch (e) {
    if (e instanceof TimestampError) throw e;
    throw bad(`timestamp token is not a valid RFC 3161 TimeStampToken: ${(e as Error).message}`);
  }
  if (tst.version !== 1) throw bad(`TSTInfo version ${tst.version} is not 1`);
  if (sd.signerInfos.length !== 1) throw bad(`timestamp must have exactly one signer (has ${sd.signerInfos.length})`);

  // messageImprint = hash(signature bytes).
  const imprintAlg = hashName(tst.messageImprint.hashAlgorithm, 'timestamp messageImprint');
  const imprint = Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!imprint.equals(createHash(imprintAlg).update(signature).digest())) {
    throw bad(`timestamp messageImprint does not match the ${imprintAlg.toUpperCase()} hash of the signature`);
  }

  // Embedded certificates and the signer.
  const embedded: ParsedCertificate[] = [];
  for (const c of sd.certificates ?? []) {
    if (!(c instanceof pkijs.Certificate)) continue;
    try {
      embedded.push(parseCertificate(new Uint8Array(c.toSchema().toBER(false))));
    } catch (e) {
      throw bad(`timestamp carries an unparsable certificate: ${(e as Error).message}`);
    }
  }
  const si = sd.signerInfos[0];
  const tsa = findSigner(si.sid, embedded);
  if (!tsa) throw bad('the TSA certificate is not embedded in the timestamp token');

  // Signed attributes and signature.
  const digestHash = hashName(si.digestAlgorithm, 'timestamp signer digest');
  const signed = si.signedAttrs;
  if (!signed || signed.attributes.length === 0) throw bad('timestamp SignerInfo has no signed attributes');
  const ct = attr(signed.attributes, OID.contentType);
  if (!(ct instanceof asn1js.ObjectIdentifier) || ct.valueBlock.toString() !== OID.tstInfo) throw bad('timestamp contentType attribute is not id-ct-TSTInfo');
  const md = attr(signed.attributes, OID.messageDigest);
  if (!(md instanceof asn1js.OctetString)) throw bad('timestamp has no messageDigest attribute');
  if (!Buffer.from(md.valueBlock.valueHexView).equals(createHash(digestHash).update(eContent).digest())) {
    throw bad('timestamp messageDigest does not match the TSTInfo (token altered)');
  }
  checkSigningCertificate(signed.attributes, tsa);
  // Signed over the DER SET OF encoding of the attributes as received ([0] IMPLICIT tag → SET).
  const toVerify = Buffer.from(bytes(signed.encodedValue));
  if (toVerify.length === 0) throw bad('timestamp signed attributes could not be re-read');
  toVerify[0] = 0x31;
  if (!verifyCmsSignature(si, digestHash, toVerify, tsa.publicKey)) {
    throw bad(`timestamp signature does not verify with the TSA certificate ${tsa.subjectDn}`);
  }

  const genTime = tst.genTime;
  if (!(genTime instanceof Date) || Number.isNaN(genTime.getTime())) throw bad('timestamp genTime is not a valid time');
  const acc = accuracyMs(tst.accuracy);
  const earliest = new Date(genTime.getTime() - acc);
  const latest = new Date(genTime.getTime() + acc);

  // TSA leaf rules, then the chain to a trusted root.
  try {
    checkTsaLeaf(tsa);
  } catch (e) {
    if (e instanceof TimestampError) throw e;
    throw bad((e as Error).message);
  }
  const trusted: ParsedCertificate[] = [];
  for (const r of tsaRoots) {
    try {
      trusted.push(parseCertificate(r));
    } catch {
      // unparsable trust store entries are reported by the loader; skip them here
    }
  }
  const isTrusted = (c: ParsedCertificate) => trusted.some((t) => t.der.equals(c.der));
  const pool = [...embedded, ...trusted];
  const chain: ParsedCertificate[] = [tsa];
  let anchor: ParsedCertificate | undefined;
  for (;;) {
    const cur = chain[chain.length - 1];
    if (isTrusted(cur)) { anchor = cur; break; }
    const parent = pool.find((p) => !chain.some((c) => c.der.equals(p.der)) && issuedBy(cur, p));
    if (parent && chain.length < 10) { chain.push(parent); continue; }
    const selfSigned = issuedBy(cur, cur);
    throw new TimestampError('untrusted', selfSigned
      ? `TSA certificate chain ends at ${cur.subjectDn}, which is not in the TSA trust store`
      : `TSA certificate chain of ${tsa.subjectDn} does not reach a certificate in the TSA trust store (stops at ${cur.subjectDn}, issued by ${cur.issuerDn})`);
  }
  try {
    chain.forEach(checkKeyStrength);
    for (let i = 1; i < chain.length; i++) checkCa(chain[i], i - 1);
  } catch (e) {
    if (e instanceof CertError) throw bad(`TSA chain: ${e.message}`);
    throw e;
  }
  const outside = invalidAt(chain, earliest) ?? invalidAt(chain, latest);
  if (outside) throw bad(`TSA certificate ${outside.cert.subjectDn} ${outside.problem}, so it was not valid at the timestamp time ${genTime.toISOString()}`);

  return { genTime, earliest, latest, chain, anchor, messageImprintAlg: imprintAlg };
}

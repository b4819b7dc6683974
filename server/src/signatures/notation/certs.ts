// X.509 checks of the Notary Project "Certificate Requirements" (notation-core-go
// x509/codesigning_cert_validations.go), using node:crypto for signatures and pkijs for extensions.

import { X509Certificate, KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertificateName, formatDn, readName } from './dn';

export type NotationAlg = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

export interface ParsedCertificate {
  der: Buffer;
  node: X509Certificate;
  pki: pkijs.Certificate;
  subject: CertificateName;
  issuer: CertificateName;
  subjectDn: string;
  issuerDn: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  basicConstraints?: { critical: boolean; cA: boolean; pathLen?: number };
  keyUsage?: { critical: boolean; bits: Set<KeyUsageBit> };
  extKeyUsage?: string[];
  extKeyUsageCritical?: boolean;
  sha256: string; // lower-case hex
}

export type KeyUsageBit =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';
const KU_BITS: KeyUsageBit[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

export const EKU = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
};

const SHA1_SIG_OIDS = new Set([
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  '1.2.840.10045.4.1', // ecdsa-with-SHA1
  '1.3.14.3.2.29',
  '1.2.840.10040.4.3', // dsa-with-sha1
  '1.2.840.113549.1.1.4', // md5WithRSA
]);

export class CertError extends Error {}

function parseKeyUsage(ext: pkijs.Extension): Set<KeyUsageBit> {
  const bits = new Set<KeyUsageBit>();
  const bs = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
  if (!(bs instanceof asn1js.BitString)) throw new CertError('keyUsage extension is not a BIT STRING');
  const bytes = bs.valueBlock.valueHexView;
  for (let i = 0; i < KU_BITS.length; i++) {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) bits.add(KU_BITS[i]);
  }
  return bits;
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const buf = Buffer.from(der);
  let node: X509Certificate;
  let pki: pkijs.Certificate;
  try {
    node = new X509Certificate(buf);
    pki = pkijs.Certificate.fromBER(buf);
  } catch (e) {
    throw new CertError(`certificate is not valid DER X.509: ${(e as Error).message}`);
  }
  const subject = readName(pki.subject);
  const issuer = readName(pki.issuer);
  const out: ParsedCertificate = {
    der: buf,
    node,
    pki,
    subject,
    issuer,
    subjectDn: formatDn(subject.attributes),
    issuerDn: formatDn(issuer.attributes),
    notBefore: pki.notBefore.value,
    notAfter: pki.notAfter.value,
    publicKey: node.publicKey,
    sha256: node.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
  for (const ext of pki.extensions ?? []) {
    const critical = ext.critical === true;
    if (ext.extnID === '2.5.29.19') {
      const bc = ext.parsedValue as pkijs.BasicConstraints | undefined;
      const pl = bc?.pathLenConstraint;
      out.basicConstraints = {
        critical,
        cA: bc?.cA === true,
        pathLen: pl === undefined ? undefined : typeof pl === 'number' ? pl : pl.valueBlock.valueDec,
      };
    } else if (ext.extnID === '2.5.29.15') {
      out.keyUsage = { critical, bits: parseKeyUsage(ext) };
    } else if (ext.extnID === '2.5.29.37') {
      const eku = ext.parsedValue as pkijs.ExtKeyUsage | undefined;
      out.extKeyUsage = eku?.keyPurposes ?? [];
      out.extKeyUsageCritical = critical;
    }
  }
  return out;
}

/** Describes a key (`RSA-3072`, `EC P-256`) and gives the only algorithm Notation allows for it. */
export function keyAlgorithm(key: KeyObject): { description: string; alg?: NotationAlg } {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    const alg = ({ 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' } as Record<number, NotationAlg>)[bits];
    return { description: `RSA-${bits}`, alg };
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? '?';
    const map: Record<string, [string, NotationAlg]> = {
      prime256v1: ['P-256', 'ES256'],
      secp384r1: ['P-384', 'ES384'],
      secp521r1: ['P-521', 'ES512'],
    };
    const m = map[curve];
    return m ? { description: `EC ${m[0]}`, alg: m[1] } : { description: `EC ${curve}` };
  }
  return { description: String(type) };
}

export function checkKeyStrength(c: ParsedCertificate): void {
  const k = c.publicKey;
  if (k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'rsa-pss') {
    if ((k.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new CertError(`certificate ${c.subjectDn} has an RSA key shorter than 2048 bits`);
  } else if (k.asymmetricKeyType === 'ec') {
    if (!['prime256v1', 'secp384r1', 'secp521r1'].includes(k.asymmetricKeyDetails?.namedCurve ?? '')) {
      throw new CertError(`certificate ${c.subjectDn} has an unsupported EC curve ${k.asymmetricKeyDetails?.namedCurve}`);
    }
  } else {
    throw new CertError(`certificate ${c.subjectDn} has an unsupported key type ${k.asymmetricKeyType}`);
  }
  if (SHA1_SIG_OIDS.has(c.pki.signatureAlgorithm.algorithmId)) {
    throw new CertError(`certificate ${c.subjectDn} is signed with SHA-1 or MD5`);
  }
}

export function issuedBy(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  let sigOk = false;
  try {
    sigOk = child.node.verify(parent.publicKey);
  } catch {
    sigOk = false;
  }
  // Name check: node's checkIssued compares issuer/subject names (and AKI/SKI when present).
  const nameOk = child.node.checkIssued(parent.node) && child.pki.issuer.isEqual(parent.pki.subject);
  return sigOk && nameOk;
}

export function checkCa(c: ParsedCertificate, caBelow: number): void {
  const bc = c.basicConstraints;
  if (!bc || !bc.cA) throw new CertError(`certificate ${c.subjectDn} is used as a CA but basicConstraints cA is not true`);
  if (!bc.critical) throw new CertError(`certificate ${c.subjectDn}: basicConstraints must be critical`);
  if (bc.pathLen !== undefined && caBelow > bc.pathLen) {
    throw new CertError(`certificate ${c.subjectDn}: path length constraint ${bc.pathLen} exceeded`);
  }
  const ku = c.keyUsage;
  if (!ku) throw new CertError(`CA certificate ${c.subjectDn} has no keyUsage extension`);
  if (!ku.critical) throw new CertError(`CA certificate ${c.subjectDn}: keyUsage must be critical`);
  if (!ku.bits.has('keyCertSign')) throw new CertError(`CA certificate ${c.subjectDn}: keyUsage lacks keyCertSign`);
}

function checkLeaf(c: ParsedCertificate): void {
  if (c.basicConstraints?.cA) throw new CertError(`signing certificate ${c.subjectDn} is a CA certificate (cA=true)`);
  const ku = c.keyUsage;
  if (!ku) throw new CertError(`signing certificate ${c.subjectDn} has no keyUsage extension`);
  if (!ku.critical) throw new CertError(`signing certificate ${c.subjectDn}: keyUsage must be critical`);
  if (!ku.bits.has('digitalSignature')) throw new CertError(`signing certificate ${c.subjectDn}: keyUsage lacks digitalSignature`);
  const forbidden: KeyUsageBit[] = ['keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'encipherOnly', 'decipherOnly', 'cRLSign'];
  const bad = forbidden.filter((b) => ku.bits.has(b));
  if (bad.length) throw new CertError(`signing certificate ${c.subjectDn}: keyUsage must not include ${bad.join(', ')}`);
  if (c.extKeyUsage) {
    const forbiddenEku: Record<string, string> = {
      [EKU.any]: 'anyExtendedKeyUsage',
      [EKU.serverAuth]: 'serverAuth',
      [EKU.clientAuth]: 'clientAuth',
      [EKU.emailProtection]: 'emailProtection',
      [EKU.timeStamping]: 'timeStamping',
    };
    const badEku = c.extKeyUsage.filter((o) => forbiddenEku[o]).map((o) => forbiddenEku[o]);
    if (badEku.length) throw new CertError(`signing certificate ${c.subjectDn}: extended key usage must not include ${badEku.join(', ')}`);
  }
}

/**
 * Validates the envelope chain (leaf first): every link issued by the next (signature and names),
 * ends in a self-signed root, CA and leaf extension rules, key strength. Throws CertError.
 */
export function validateCodeSigningChain(chain: ParsedCertificate[]): void {
  if (chain.length === 0) throw new CertError('the envelope carries no certificates');
  chain.forEach(checkKeyStrength);
  const root = chain[chain.length - 1];
  if (!issuedBy(root, root)) {
    throw new CertError(`certificate chain does not end at a self-signed root (last certificate ${root.subjectDn} is issued by ${root.issuerDn})`);
  }
  for (let i = 0; i < chain.length - 1; i++) {
    if (!issuedBy(chain[i], chain[i + 1])) {
      throw new CertError(`certificate ${chain[i].subjectDn} is not issued by the next certificate in the chain, ${chain[i + 1].subjectDn}`);
    }
  }
  checkLeaf(chain[0]);
  for (let i = 1; i < chain.length; i++) checkCa(chain[i], i - 1);
}

/** The first certificate of the chain that is not valid at `at`, with a description. */
export function invalidAt(chain: ParsedCertificate[], at: Date): { cert: ParsedCertificate; problem: string } | undefined {
  for (const c of chain) {
    if (at < c.notBefore) return { cert: c, problem: `is not valid before ${c.notBefore.toISOString()}` };
    if (at > c.notAfter) return { cert: c, problem: `expired ${c.notAfter.toISOString()}` };
  }
  return undefined;
}

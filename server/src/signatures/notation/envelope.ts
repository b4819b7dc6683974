// Parsing of Notary Project signature envelopes: JWS JSON (flattened) and COSE_Sign1.
// Pure: bytes in, structured envelope out; errors carry the verdict status they imply.

import type * as CborX from 'cbor-x' with { 'resolution-mode': 'import' };
// cbor-x ships CommonJS (dist/node.cjs) but its typings are declared as ESM; load it with require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Decoder, Tag } = require('cbor-x') as typeof CborX;
import type { NotationAlg } from './certs';

export const NOTARY_PAYLOAD_CTY = 'application/vnd.cncf.notary.payload.v1+json';
export const MEDIA_TYPE_JWS = 'application/jose+json';
export const MEDIA_TYPE_COSE = 'application/cose';

export const H = {
  signingScheme: 'io.cncf.notary.signingScheme',
  signingTime: 'io.cncf.notary.signingTime',
  authenticSigningTime: 'io.cncf.notary.authenticSigningTime',
  expiry: 'io.cncf.notary.expiry',
  verificationPlugin: 'io.cncf.notary.verificationPlugin',
  verificationPluginMinVersion: 'io.cncf.notary.verificationPluginMinVersion',
  timestampSignature: 'io.cncf.notary.timestampSignature',
  timestampLegacy: 'io.cncf.notary.timestamp',
  signingAgent: 'io.cncf.notary.signingAgent',
} as const;

export class EnvelopeError extends Error {
  constructor(readonly status: 'invalid' | 'unverifiable', message: string) {
    super(message);
  }
}

export interface ParsedEnvelope {
  type: 'jws' | 'cose';
  alg: NotationAlg;
  /** Bytes the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
  payload: Buffer;
  contentType: string;
  crit: string[];
  signingScheme: string;
  signingTime?: Date;
  authenticSigningTime?: Date;
  expiry?: Date;
  /** DER certificates, leaf first. */
  certificates: Buffer[];
  timestampToken?: Buffer;
  signingAgent?: string;
  verificationPlugin?: string;
}

const JWS_ALGS: Record<string, NotationAlg> = { PS256: 'PS256', PS384: 'PS384', PS512: 'PS512', ES256: 'ES256', ES384: 'ES384', ES512: 'ES512' };
const COSE_ALGS: Record<number, NotationAlg> = { [-37]: 'PS256', [-38]: 'PS384', [-39]: 'PS512', [-7]: 'ES256', [-35]: 'ES384', [-36]: 'ES512' };

/** Headers a Notary envelope may mark critical; anything else in `crit` fails verification. */
const KNOWN_CRITICAL = new Set<string>([H.signingScheme, H.authenticSigningTime, H.expiry, H.verificationPlugin, H.verificationPluginMinVersion]);

const invalid = (m: string) => new EnvelopeError('invalid', m);

function b64url(field: string, s: unknown): Buffer {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) throw invalid(`JWS ${field} is not base64url`);
  return Buffer.from(s, 'base64url');
}

function b64std(field: string, s: unknown): Buffer {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw invalid(`JWS ${field} is not standard base64`);
  return Buffer.from(s, 'base64');
}

function rfc3339(field: string, v: unknown): Date {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v)) {
    throw invalid(`${field} is not an RFC 3339 time`);
  }
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid(`${field} is not an RFC 3339 time`);
  return d;
}

function checkCommon(env: Omit<ParsedEnvelope, 'signingInput' | 'signature' | 'payload' | 'certificates' | 'type' | 'alg'> & { present: (h: string) => boolean }): void {
  if (env.contentType !== NOTARY_PAYLOAD_CTY) throw invalid(`content type is "${env.contentType}", expected ${NOTARY_PAYLOAD_CTY}`);
  for (const c of env.crit) {
    if (!KNOWN_CRITICAL.has(c)) throw invalid(`unknown critical header "${c}"`);
    if (!env.present(c)) throw invalid(`critical header "${c}" is listed in crit but missing`);
  }
  if (!env.crit.includes(H.signingScheme)) throw invalid(`crit does not list ${H.signingScheme}`);
  for (const h of [H.authenticSigningTime, H.expiry, H.verificationPlugin, H.verificationPluginMinVersion]) {
    if (env.present(h) && !env.crit.includes(h)) throw invalid(`header ${h} is present but not marked critical`);
  }
  if (env.signingScheme === 'notary.x509') {
    if (!env.signingTime) throw invalid(`signing scheme notary.x509 requires ${H.signingTime}`);
  } else if (env.signingScheme === 'notary.x509.signingAuthority') {
    if (!env.authenticSigningTime) throw invalid(`signing scheme notary.x509.signingAuthority requires ${H.authenticSigningTime}`);
  } else {
    throw new EnvelopeError('unverifiable', `unsupported signing scheme "${env.signingScheme}"`);
  }
  if (env.verificationPlugin !== undefined) {
    throw new EnvelopeError('unverifiable', `the signature requires verification plugin "${env.verificationPlugin}", which is not supported`);
  }
}

// ---------------------------------------------------------------- JWS

export function parseJws(bytes: Uint8Array): ParsedEnvelope {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw invalid(`JWS envelope is not JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('JWS envelope is not a JSON object');
  const o = doc as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'header,payload,protected,signature') {
    throw invalid(`JWS envelope must be flattened JSON with exactly payload, protected, header and signature (found ${Object.keys(o).join(', ') || 'nothing'})`);
  }
  const protectedRaw = o.protected;
  const payloadRaw = o.payload;
  const protectedBytes = b64url('protected', protectedRaw);
  const payload = b64url('payload', payloadRaw);
  const signature = b64url('signature', o.signature);
  let ph: Record<string, unknown>;
  try {
    ph = JSON.parse(protectedBytes.toString('utf8'));
  } catch {
    throw invalid('JWS protected header is not JSON');
  }
  if (!ph || typeof ph !== 'object' || Array.isArray(ph)) throw invalid('JWS protected header is not a JSON object');
  const header = o.header;
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw invalid('JWS unprotected header is not an object');
  const uh = header as Record<string, unknown>;

  if (typeof ph.alg !== 'string') throw invalid('JWS protected header has no alg');
  const alg = JWS_ALGS[ph.alg];
  if (!alg) throw new EnvelopeError('unverifiable', `unsupported algorithm "${ph.alg}"`);
  const crit = ph.crit;
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string')) throw invalid('JWS protected header has no crit array');
  if (typeof ph.cty !== 'string') throw invalid('JWS protected header has no cty');
  if (typeof ph[H.signingScheme] !== 'string') throw invalid(`JWS protected header has no ${H.signingScheme}`);

  const x5c = uh.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) throw invalid('JWS unprotected header has no x5c certificate chain');
  const certificates = x5c.map((c, i) => b64std(`x5c[${i}]`, c));
  const ts = uh[H.timestampSignature] ?? uh[H.timestampLegacy];
  const timestampToken = ts === undefined ? undefined : b64std('timestamp', ts);

  const env: ParsedEnvelope = {
    type: 'jws',
    alg,
    signingInput: Buffer.from(`${protectedRaw}.${payloadRaw}`, 'ascii'),
    signature,
    payload,
    contentType: ph.cty,
    crit: crit as string[],
    signingScheme: ph[H.signingScheme] as string,
    signingTime: ph[H.signingTime] === undefined ? undefined : rfc3339(H.signingTime, ph[H.signingTime]),
    authenticSigningTime: ph[H.authenticSigningTime] === undefined ? undefined : rfc3339(H.authenticSigningTime, ph[H.authenticSigningTime]),
    expiry: ph[H.expiry] === undefined ? undefined : rfc3339(H.expiry, ph[H.expiry]),
    certificates,
    timestampToken,
    signingAgent: typeof uh[H.signingAgent] === 'string' ? (uh[H.signingAgent] as string) : undefined,
    verificationPlugin: ph[H.verificationPlugin] === undefined ? undefined : String(ph[H.verificationPlugin]),
  };
  checkCommon({ ...env, present: (h) => ph[h] !== undefined });
  return env;
}

// ---------------------------------------------------------------- COSE

const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

function coseTime(field: string, v: unknown): Date | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v; // cbor-x decodes tag 1 to Date
  throw invalid(`COSE ${field} is not a CBOR tag-1 time`);
}

/** Encodes a CBOR head (major type, argument) exactly (shortest form, RFC 8949 §4.2.1). */
function cborHead(major: number, n: number): Buffer {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) return Buffer.from([m | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = m | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** RFC 9052 Sig_structure for COSE_Sign1: ["Signature1", body_protected, external_aad = h'', payload]. */
export function coseSigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Buffer {
  const ctx = Buffer.from('Signature1', 'ascii');
  return Buffer.concat([
    cborHead(4, 4),
    cborHead(3, ctx.length), ctx,
    cborHead(2, protectedBytes.length), Buffer.from(protectedBytes),
    cborHead(2, 0),
    cborHead(2, payload.length), Buffer.from(payload),
  ]);
}

function getLabel(m: Map<unknown, unknown>, label: number | string): unknown {
  return m.get(label);
}

export function parseCose(bytes: Uint8Array): ParsedEnvelope {
  let top: unknown;
  try {
    top = cbor.decode(Buffer.from(bytes));
  } catch (e) {
    throw invalid(`COSE envelope is not valid CBOR: ${(e as Error).message}`);
  }
  if (!(top instanceof Tag) || top.tag !== 18) throw invalid('COSE envelope is not a COSE_Sign1_Tagged message (CBOR tag 18)');
  const arr = top.value as unknown;
  if (!Array.isArray(arr) || arr.length !== 4) throw invalid('COSE_Sign1 must be an array of 4 elements');
  const [protectedBytes, unprotected, payload, signature] = arr as unknown[];
  if (!isBytes(protectedBytes)) throw invalid('COSE protected header is not a byte string');
  if (!(unprotected instanceof Map)) throw invalid('COSE unprotected header is not a map');
  if (payload === null || payload === undefined) throw invalid('COSE detached payloads are not supported by Notation');
  if (!isBytes(payload)) throw invalid('COSE payload is not a byte string');
  if (!isBytes(signature)) throw invalid('COSE signature is not a byte string');
  let ph: unknown;
  try {
    ph = protectedBytes.length === 0 ? new Map() : cbor.decode(Buffer.from(protectedBytes));
  } catch (e) {
    throw invalid(`COSE protected header is not valid CBOR: ${(e as Error).message}`);
  }
  if (!(ph instanceof Map)) throw invalid('COSE protected header is not a map');

  const algRaw = getLabel(ph, 1);
  if (typeof algRaw !== 'number') {
    if (algRaw === undefined) throw invalid('COSE protected header has no alg (label 1)');
    throw new EnvelopeError('unverifiable', `unsupported algorithm ${JSON.stringify(algRaw)}`);
  }
  const alg = COSE_ALGS[algRaw];
  if (!alg) throw new EnvelopeError('unverifiable', `unsupported algorithm (COSE alg ${algRaw})`);
  const critRaw = getLabel(ph, 2);
  if (!Array.isArray(critRaw)) throw invalid('COSE protected header has no crit (label 2)');
  const crit = critRaw.map((c) => String(c));
  const cty = getLabel(ph, 3);
  if (typeof cty !== 'string') throw invalid('COSE protected header has no text content type (label 3)');
  const scheme = getLabel(ph, H.signingScheme);
  if (typeof scheme !== 'string') throw invalid(`COSE protected header has no ${H.signingScheme}`);

  const chainRaw = getLabel(unprotected, 33) ?? getLabel(ph, 33);
  let certificates: Buffer[];
  if (isBytes(chainRaw)) certificates = [Buffer.from(chainRaw)];
  else if (Array.isArray(chainRaw) && chainRaw.length > 0 && chainRaw.every(isBytes)) certificates = chainRaw.map((c) => Buffer.from(c as Uint8Array));
  else throw invalid('COSE envelope has no x5chain (label 33) certificate chain');

  const ts = getLabel(unprotected, H.timestampSignature);
  if (ts !== undefined && !isBytes(ts)) throw invalid('COSE timestamp signature is not a byte string');
  const agent = getLabel(unprotected, H.signingAgent);

  const env: ParsedEnvelope = {
    type: 'cose',
    alg,
    signingInput: coseSigStructure(protectedBytes, payload),
    signature: Buffer.from(signature),
    payload: Buffer.from(payload),
    contentType: cty,
    crit,
    signingScheme: scheme,
    signingTime: coseTime(H.signingTime, getLabel(ph, H.signingTime)),
    authenticSigningTime: coseTime(H.authenticSigningTime, getLabel(ph, H.authenticSigningTime)),
    expiry: coseTime(H.expiry, getLabel(ph, H.expiry)),
    certificates,
    timestampToken: ts === undefined ? undefined : Buffer.from(ts as Uint8Array),
    signingAgent: typeof agent === 'string' ? agent : undefined,
    verificationPlugin: getLabel(ph, H.verificationPlugin) === undefined ? undefined : String(getLabel(ph, H.verificationPlugin)),
  };
  checkCommon({ ...env, present: (h) => ph.has(h) });
  return env;
}

export function parseEnvelope(bytes: Uint8Array, mediaType: string): ParsedEnvelope {
  if (mediaType === MEDIA_TYPE_JWS) return parseJws(bytes);
  if (mediaType === MEDIA_TYPE_COSE) return parseCose(bytes);
  throw new EnvelopeError('unverifiable', `unsupported envelope media type "${mediaType}"`);
}

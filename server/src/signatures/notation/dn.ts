// Distinguished names: parsing RFC 4514 strings (trust policy identities) and comparing them with the
// subject of a certificate, the way notation-go's internal/pkix does (order-insensitive, S ≡ ST,
// multi-valued RDNs, duplicate attributes and `=#` hex values rejected).

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface DnAttribute {
  type: string; // upper-case short name (CN, O, ST, …) or dotted OID
  value: string;
}

const OID_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.17': 'POSTALCODE',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

const ALIASES: Record<string, string> = { S: 'ST', EMAILADDRESS: 'E', EMAIL: 'E' };

export function normaliseAttributeType(type: string): string {
  const t = type.trim().toUpperCase();
  return ALIASES[t] ?? t;
}

export class DnError extends Error {}

/** Parses an RFC 4514 string such as `CN=Foo, O=Bar\, Inc., S=Washington, C=US`. */
export function parseDn(input: string): DnAttribute[] {
  const attrs: DnAttribute[] = [];
  let i = 0;
  const s = input;
  while (i < s.length) {
    // type
    let type = '';
    while (i < s.length && s[i] !== '=') {
      if (s[i] === ',' || s[i] === '+') throw new DnError(`missing '=' in "${input}"`);
      type += s[i++];
    }
    if (i >= s.length) throw new DnError(`missing '=' in "${input}"`);
    i++; // '='
    type = type.trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+)$/.test(type)) throw new DnError(`invalid attribute type "${type}"`);
    // value
    while (i < s.length && s[i] === ' ') i++;
    if (s[i] === '#') throw new DnError(`hex-encoded value for ${type} is not supported`);
    let value = '';
    let trailingEscaped = 0; // length of value that must not be trimmed
    while (i < s.length && s[i] !== ',' && s[i] !== '+' && s[i] !== ';') {
      if (s[i] === '\\') {
        const next = s[i + 1];
        if (next === undefined) throw new DnError(`dangling escape in "${input}"`);
        if (/[0-9A-Fa-f]/.test(next) && /[0-9A-Fa-f]/.test(s[i + 2] ?? '')) {
          // hex pair(s) forming UTF-8
          const bytes: number[] = [];
          while (s[i] === '\\' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
            bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
            i += 3;
          }
          value += Buffer.from(bytes).toString('utf8');
        } else {
          value += next;
          i += 2;
        }
        trailingEscaped = value.length;
      } else {
        if (s[i] === '"') throw new DnError(`unescaped '"' in "${input}"`);
        value += s[i++];
      }
    }
    if (s[i] === '+') throw new DnError(`multi-valued RDNs are not supported ("${input}")`);
    // trim unescaped trailing spaces
    let end = value.length;
    while (end > trailingEscaped && value[end - 1] === ' ') end--;
    value = value.slice(0, end);
    attrs.push({ type: normaliseAttributeType(type), value });
    if (i < s.length) {
      i++; // ','
      if (i >= s.length) throw new DnError(`trailing separator in "${input}"`);
      while (i < s.length && s[i] === ' ') i++;
    }
  }
  if (attrs.length === 0) throw new DnError('empty distinguished name');
  const seen = new Set<string>();
  for (const a of attrs) {
    if (seen.has(a.type)) throw new DnError(`duplicate attribute ${a.type} in "${input}"`);
    seen.add(a.type);
  }
  return attrs;
}

function escapeValue(v: string): string {
  let out = v.replace(/([\\,+"<>;=])/g, '\\$1');
  if (out.startsWith(' ') || out.startsWith('#')) out = '\\' + out;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = out.slice(0, -1) + '\\ ';
  return out;
}

/** RFC 4514 string, most specific first (`CN=…, O=…, C=…`) like notation's output. */
export function formatDn(attrs: DnAttribute[]): string {
  return [...attrs].reverse().map((a) => `${a.type}=${escapeValue(a.value)}`).join(', ');
}

export interface CertificateName {
  attributes: DnAttribute[]; // in encoding order (usually C first)
  multiValued: boolean;
}

/** Reads a pkijs RelativeDistinguishedNames (subject/issuer) in encoding order. */
export function readName(name: pkijs.RelativeDistinguishedNames): CertificateName {
  const attributes: DnAttribute[] = name.typesAndValues.map((tav) => {
    const type = OID_NAMES[tav.type] ?? tav.type;
    const block = (tav.value as asn1js.BaseStringBlock).valueBlock as { value?: unknown };
    const value = typeof block.value === 'string' ? block.value : Buffer.from(tav.value.valueBeforeDecodeView).toString('hex');
    return { type, value };
  });
  let multiValued = false;
  try {
    const raw = name.valueBeforeDecode;
    if (raw && raw.byteLength > 0) {
      const parsed = asn1js.fromBER(raw);
      const seq = parsed.result as asn1js.Sequence;
      for (const set of seq.valueBlock.value) {
        if ((set as asn1js.Set).valueBlock.value.length > 1) multiValued = true;
      }
    }
  } catch {
    // keep multiValued = false; the flat list is still usable
  }
  return { attributes, multiValued };
}

/**
 * True when every attribute of `identity` occurs with the same value in `subject` (identity ⊆ subject),
 * as notation-go's `isSubsetOf`. Rejects subjects with duplicate or multi-valued attributes.
 */
export function identityMatchesSubject(identity: DnAttribute[], subject: CertificateName): boolean {
  if (subject.multiValued) return false;
  const map = new Map<string, string>();
  for (const a of subject.attributes) {
    const t = normaliseAttributeType(a.type);
    if (map.has(t)) return false;
    map.set(t, a.value);
  }
  return identity.every((a) => map.get(normaliseAttributeType(a.type)) === a.value);
}

export function isSubset(a: DnAttribute[], b: DnAttribute[]): boolean {
  return a.every((x) => b.some((y) => y.type === x.type && y.value === x.value));
}

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { identityMatchesSubject, parseDn, readName } from './dn';
import { TrustPolicyError, parseTrustedIdentity, selectTrustPolicy, validateTrustPolicy } from './trust';
import { loadTrustConfiguration, mcrTrustConfiguration, notationConfigDir, readCertificates } from './config';
import { makeCert, makeKey } from './testPki';

const subject = (attrs: [string, string][]) => ({ attributes: attrs.map(([type, value]) => ({ type, value })), multiValued: false });

describe('subject DN matching', () => {
  const leaf = subject([['C', 'US'], ['ST', 'Washington'], ['L', 'Redmond'], ['O', 'Microsoft Corporation'], ['CN', 'Microsoft SCD Products RSA Signing']]);
  it('order-insensitive, S ≡ ST, subset of the leaf subject', () => {
    assert.ok(identityMatchesSubject(parseDn('CN=Microsoft SCD Products RSA Signing,O=Microsoft Corporation,L=Redmond,S=Washington,C=US'), leaf));
    assert.ok(identityMatchesSubject(parseDn('C=US, ST=Washington, O=Microsoft Corporation'), leaf));
  });
  it('different value or extra attribute → no match; values are case-sensitive', () => {
    assert.ok(!identityMatchesSubject(parseDn('C=US, ST=Washington, O=Microsoft Corporation, OU=Other'), leaf));
    assert.ok(!identityMatchesSubject(parseDn('C=US, ST=Washington, O=microsoft corporation'), leaf));
  });
  it('escapes, hex pairs and spaces follow RFC 4514', () => {
    assert.deepEqual(parseDn('O=Acme\\, Inc., CN=a\\2Bb , C= US'), [
      { type: 'O', value: 'Acme, Inc.' }, { type: 'CN', value: 'a+b' }, { type: 'C', value: 'US' }]);
  });
  it('rejects multi-valued RDNs, duplicates and =# values', () => {
    assert.throws(() => parseDn('CN=a+O=b'));
    assert.throws(() => parseDn('CN=a, CN=b'));
    assert.throws(() => parseDn('CN=#0403'));
    assert.throws(() => parseDn('nonsense'));
  });
  it('a certificate subject with a multi-valued RDN never matches', () => {
    const rdn = new pkijs.RelativeDistinguishedNames({ typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'US' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: 'X' }) })] });
    const parsed = readName(pkijs.RelativeDistinguishedNames.fromBER(rdn.toSchema().toBER(false))); // pkijs encodes one SET
    assert.equal(parsed.multiValued, true);
    assert.ok(!identityMatchesSubject(parseDn('C=US, O=X'), parsed));
  });
  it('trusted identity needs C, ST/S and O', () => {
    assert.throws(() => parseTrustedIdentity('x509.subject: CN=a, O=b, C=US'), TrustPolicyError);
    assert.ok(parseTrustedIdentity('x509.subject: CN=a, O=b, S=WA, C=US').dn);
    assert.throws(() => parseTrustedIdentity('CN=a, O=b, ST=WA, C=US'), TrustPolicyError);
  });
});

const basePolicy = (policies: unknown[]) => ({ version: '1.0', trustPolicies: policies });
const stmt = (name: string, scopes: string[], extra: Record<string, unknown> = {}) => ({
  name, registryScopes: scopes, signatureVerification: { level: 'strict' }, trustStores: ['ca:s'], trustedIdentities: ['*'], ...extra,
});

describe('trust policy validation and selection', () => {
  it('exact scope wins over the global policy; global otherwise; none when absent', () => {
    const doc = validateTrustPolicy(basePolicy([stmt('global', ['*']), stmt('mcr', ['mcr.microsoft.com/windows/servercore'])]));
    assert.equal(selectTrustPolicy(doc, 'mcr.microsoft.com/windows/servercore')?.name, 'mcr');
    assert.equal(selectTrustPolicy(doc, 'mcr.microsoft.com/windows/nanoserver')?.name, 'global');
    const noGlobal = validateTrustPolicy(basePolicy([stmt('mcr', ['mcr.microsoft.com/windows/servercore'])]));
    assert.equal(selectTrustPolicy(noGlobal, 'mcr.microsoft.com/windows'), undefined);
  });
  it('rejects invalid documents', () => {
    const bad: unknown[] = [
      { version: '2.0', trustPolicies: [stmt('a', ['*'])] },
      basePolicy([stmt('a', ['*']), stmt('b', ['*'])]),
      basePolicy([stmt('a', ['*', 'r.io/x'])]),
      basePolicy([stmt('a', ['mcr.microsoft.com/*'])]),
      basePolicy([stmt('a', ['r.io/x']), stmt('b', ['r.io/x'])]),
      basePolicy([stmt('a', ['r.io/x']), stmt('a', ['r.io/y'])]),
      basePolicy([stmt('a', ['r.io/x'], { signatureVerification: { level: 'lenient' } })]),
      basePolicy([stmt('a', ['r.io/x'], { trustStores: ['ca:s'], signatureVerification: { level: 'skip' } })]),
      basePolicy([stmt('a', ['*'], { trustStores: undefined, trustedIdentities: undefined, signatureVerification: { level: 'skip' } })]),
      basePolicy([stmt('a', ['r.io/x'], { trustStores: ['root:s'] })]),
      basePolicy([stmt('a', ['r.io/x'], { trustedIdentities: ['*', 'x509.subject: C=US, ST=WA, O=x'] })]),
      basePolicy([stmt('a', ['r.io/x'], { trustedIdentities: ['x509.subject: C=US, ST=WA, O=x', 'x509.subject: C=US, ST=WA, O=x, CN=y'] })]),
      basePolicy([stmt('a', ['r.io/x'], { signatureVerification: { level: 'strict', override: { integrity: 'log' } } })]),
    ];
    for (const d of bad) assert.throws(() => validateTrustPolicy(d), TrustPolicyError, JSON.stringify(d));
    assert.doesNotThrow(() => validateTrustPolicy(basePolicy([stmt('a', ['r.io/x'], { trustStores: undefined, trustedIdentities: undefined, signatureVerification: { level: 'skip' } })])));
  });
});

describe('trust configuration loaders', () => {
  it('config dir: $XDG_CONFIG_HOME/notation, else ~/.config/notation', () => {
    assert.equal(notationConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u'), path.join('/x/cfg', 'notation'));
    assert.equal(notationConfigDir({}, '/home/u'), path.join('/home/u', '.config', 'notation'));
    assert.equal(notationConfigDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u'), path.join('/home/u', '.config', 'notation'));
  });
  it('loads trustpolicy.oci.json (preferred) / trustpolicy.json and the x509 stores from a temp folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notation-cfg-'));
    try {
      const root = await makeCert({ name: [['C', 'US'], ['O', 'T'], ['CN', 'R']], key: makeKey('p256'), ca: true });
      const pem = `-----BEGIN CERTIFICATE-----\n${root.der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
      const caDir = path.join(dir, 'truststore', 'x509', 'ca', 'mystore');
      fs.mkdirSync(path.join(caDir, 'nested'), { recursive: true });
      fs.writeFileSync(path.join(caDir, 'root.pem'), pem);
      fs.writeFileSync(path.join(caDir, 'root.cer'), root.der);
      fs.writeFileSync(path.join(caDir, 'notes.txt'), 'ignored');
      fs.writeFileSync(path.join(caDir, 'nested', 'x.crt'), pem);
      fs.mkdirSync(path.join(dir, 'truststore', 'x509', 'tsa', 'ts'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'truststore', 'x509', 'tsa', 'ts', 'bad.crt'), 'garbage');
      fs.symlinkSync(path.join(caDir, 'root.pem'), path.join(caDir, 'link.crt'));
      fs.writeFileSync(path.join(dir, 'trustpolicy.json'), JSON.stringify(basePolicy([stmt('legacy', ['*'])])));
      let r = loadTrustConfiguration({ configDir: dir });
      assert.equal((r.configuration.policy as { trustPolicies: { name: string }[] }).trustPolicies[0].name, 'legacy');
      assert.equal(r.configuration.stores.ca.mystore.length, 2);
      assert.ok(r.configuration.stores.ca.mystore.every((c) => Buffer.from(c).equals(root.der)));
      assert.deepEqual(r.configuration.stores.tsa.ts, []);
      assert.ok(r.warnings.some((w) => w.includes('bad.crt')));
      assert.ok(r.warnings.some((w) => w.includes('symbolic link')));
      fs.writeFileSync(path.join(dir, 'trustpolicy.oci.json'), JSON.stringify(basePolicy([stmt('oci', ['*'])])));
      r = loadTrustConfiguration({ configDir: dir });
      assert.equal((r.configuration.policy as { trustPolicies: { name: string }[] }).trustPolicies[0].name, 'oci');
      const empty = loadTrustConfiguration({ configDir: path.join(dir, 'nope') });
      assert.equal(empty.configuration.policy, undefined);
      assert.ok(empty.warnings.length > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('built-in MCR policy reads the root from the given path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notation-mcr-'));
    try {
      const root = await makeCert({ name: [['C', 'US'], ['O', 'T'], ['CN', 'R']], key: makeKey('p256'), ca: true });
      const file = path.join(dir, 'root.crt');
      fs.writeFileSync(file, root.der);
      const cfg = mcrTrustConfiguration({ caRootPath: file });
      const doc = validateTrustPolicy(cfg.policy);
      assert.equal(selectTrustPolicy(doc, 'mcr.microsoft.com/windows/servercore')?.name, 'mcr-microsoft');
      assert.equal(selectTrustPolicy(doc, 'docker.io/library/nginx'), undefined);
      assert.ok(Buffer.from(cfg.stores.ca['microsoft-supply-chain'][0]).equals(root.der));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the shared Microsoft Supply Chain root (when present) loads as one certificate', { skip: !fs.existsSync('/work/shared/data/certs/microsoft_supply_chain_rsa_root_ca_2022.pem') }, () => {
    const certs = readCertificates(fs.readFileSync('/work/shared/data/certs/microsoft_supply_chain_rsa_root_ca_2022.pem'));
    assert.equal(certs.length, 1);
    const cfg = mcrTrustConfiguration({ caRootPath: '/work/shared/data/certs/microsoft_supply_chain_rsa_root_ca_2022.pem' });
    assert.doesNotThrow(() => validateTrustPolicy(cfg.policy));
  });
});

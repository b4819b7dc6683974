// The registry/trust settings the language server reads, and the hover's state lines (no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registrySettingsFrom, trustConfigurationHash } from '../../../server/out/lsp/registryLookup';
import { configurationHash } from '../../../server/out/lsp/verificationStore';
import { parseCosignKeyConfig, parseSigstoreTrustConfig } from '../../../server/out/signatures/cosign/index';
import { SigstorePki } from '../../../server/out/signatures/cosign/sigstoreTestPki';
import { registryHoverMarkdown } from '../../../server/out/lsp/registryHover';

test('registry settings: off by default, nested (VS Code) and flat keys, bad values ignored', () => {
  const defaults = registrySettingsFrom(undefined);
  assert.equal(defaults.lookups, false);
  assert.equal(defaults.signatureDiagnostics, false);
  assert.deepEqual(defaults.plainHttpHosts, []);
  const nested = registrySettingsFrom({ registry: { lookups: true, plainHttpHosts: ['r:5000', 3], timeoutMs: 2000 }, trust: { notationConfigDir: '/n', cosignKeys: [{ scope: '*', path: 'k.pub' }] } });
  assert.equal(nested.lookups, true);
  assert.deepEqual(nested.plainHttpHosts, ['r:5000']);
  assert.equal(nested.timeoutMs, 2000);
  assert.equal(nested.notationConfigDir, '/n');
  assert.equal(nested.cosignKeys.length, 1);
  const flat = registrySettingsFrom({ 'registry.lookups': true, 'registry.offline': true, 'trust.microsoftRoot': '/root.crt' });
  assert.equal(flat.lookups, true);
  assert.equal(flat.offline, true);
  assert.equal(flat.microsoftRoot, '/root.crt');
  const bad = registrySettingsFrom({ registry: { lookups: 'yes', timeoutMs: -5, caCertificates: 'x' }, trust: { trustPolicy: '' } });
  assert.equal(bad.lookups, false);
  assert.equal(bad.timeoutMs, undefined);
  assert.deepEqual(bad.caCertificates, []);
  assert.equal(bad.trustPolicy, undefined);
});

test('Sigstore settings: trusted root path and identities, nested and flat', () => {
  const identities = [{ scope: '*', identity: 'dev@example.com', issuer: 'https://accounts.example.com' }];
  const nested = registrySettingsFrom({ trust: { sigstoreTrustedRoot: 'trusted_root.json', sigstoreIdentities: identities } });
  assert.equal(nested.sigstoreTrustedRoot, 'trusted_root.json');
  assert.deepEqual(nested.sigstoreIdentities, identities);
  const flat = registrySettingsFrom({ 'trust.sigstoreTrustedRoot': '/r.json', 'trust.sigstoreIdentities': 'not a list' });
  assert.equal(flat.sigstoreTrustedRoot, '/r.json');
  assert.deepEqual(flat.sigstoreIdentities, []);
  assert.equal(registrySettingsFrom({}).sigstoreTrustedRoot, undefined);
});

test('trust configuration hash: unchanged without Sigstore settings, changed by the trusted root and by identities', async () => {
  const base = { trust: null, cosignKeys: parseCosignKeyConfig({}), now: new Date() };
  // Results stored before Sigstore settings existed keep their hash.
  assert.equal(trustConfigurationHash({ ...base, sigstore: parseSigstoreTrustConfig({}) }), configurationHash({ trust: null, cosignKeys: base.cosignKeys, hostOsVersion: null }));
  const [a, b] = [await SigstorePki.create('a'), await SigstorePki.create('b')];
  const identity = { scope: '*', identity: 'dev@example.com', issuer: 'https://accounts.example.com' };
  const hash = (root: unknown, identities: unknown[]) => trustConfigurationHash({ ...base, sigstore: parseSigstoreTrustConfig({ trustedRoot: root, identities }) });
  const first = hash(a.trustedRoot(), [identity]);
  assert.equal(hash(a.trustedRoot(), [identity]), first);
  assert.notEqual(hash(b.trustedRoot(), [identity]), first);
  assert.notEqual(hash(a.trustedRoot(), [{ ...identity, identity: 'other@example.com' }]), first);
  assert.notEqual(hash(a.trustedRoot(), [{ scope: '*', identityRegExp: 'dev@example.com', issuer: identity.issuer }]), first);
  assert.notEqual(hash(a.trustedRoot(), []), first);
});

test('hover state lines: disabled, untrusted workspace, checking, error kinds', () => {
  assert.match(registryHoverMarkdown({ state: 'disabled' }), /lookups are disabled.*containerGuard\.registry\.lookups/);
  assert.match(registryHoverMarkdown({ state: 'untrusted-workspace' }), /untrusted workspace/);
  assert.match(registryHoverMarkdown({ state: 'checking' }), /Checking the registry/);
  for (const [kind, text] of [['timeout', 'in time'], ['auth-required', 'authentication required'], ['not-found', 'not found'], ['offline', 'nothing is cached'], ['too-large', 'more data'], ['tls', 'caCertificates']] as const) {
    const markdown = registryHoverMarkdown({ state: 'done', checkedAt: Date.now(), warnings: [], status: { reference: 'r/x:1', subjects: [], verdict: 'error', summary: `${kind}: boom`, error: { kind, message: 'boom' } } });
    assert.ok(markdown.includes(`**${kind}**`) && markdown.includes(text), markdown);
  }
});

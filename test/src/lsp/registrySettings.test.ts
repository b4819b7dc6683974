// The registry/trust settings the language server reads, and the hover's state lines (no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registrySettingsFrom } from '../../../server/out/lsp/registryLookup';
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

test('hover state lines: disabled, untrusted workspace, checking, error kinds', () => {
  assert.match(registryHoverMarkdown({ state: 'disabled' }), /lookups are disabled.*containerGuard\.registry\.lookups/);
  assert.match(registryHoverMarkdown({ state: 'untrusted-workspace' }), /untrusted workspace/);
  assert.match(registryHoverMarkdown({ state: 'checking' }), /Checking the registry/);
  for (const [kind, text] of [['timeout', 'in time'], ['auth-required', 'authentication required'], ['not-found', 'not found'], ['offline', 'nothing is cached'], ['too-large', 'more data'], ['tls', 'caCertificates']] as const) {
    const markdown = registryHoverMarkdown({ state: 'done', checkedAt: Date.now(), warnings: [], status: { reference: 'r/x:1', subjects: [], verdict: 'error', summary: `${kind}: boom`, error: { kind, message: 'boom' } } });
    assert.ok(markdown.includes(`**${kind}**`) && markdown.includes(text), markdown);
  }
});

// The editor parts of package.json `contributes` that are generated: the code action kind, the commands,
// the order of the settings and the `containerGuard.rules` keys (one per rule id of the rule registry,
// server/out/engine/rules). Run after `npm run build` when a rule is added or renamed:
//
//   node client/manifest.mjs [package.json]
//
// Only the keys named here are touched; the rest of the file is left as it is (another engineer's
// scripts or dependencies stay). test/src/lsp/editorManifest.test.ts fails when the manifest is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Languages the server lints: Dockerfiles, nuget.config (opened as XML) and pipeline YAML. */
export const SERVED_LANGUAGES = ['dockerfile', 'xml', 'yaml', 'github-actions-workflow', 'azure-pipelines'];

export const COMMANDS = [
  ['containerGuard.lintWorkspace', 'Lint Workspace', '$(checklist)'],
  ['containerGuard.fixAllInWorkspace', 'Fix All Auto-Fixable Problems in Workspace', '$(wrench)'],
  ['containerGuard.pinAllDigests', 'Pin Every Image to Its Digest', undefined],
  ['containerGuard.verifyImageSignatures', 'Verify Signatures of Every Image in the Workspace', undefined],
  ['containerGuard.toggleRegistryLookups', 'Toggle Registry Lookups', undefined],
  ['containerGuard.openRuleDoc', 'Open Rule Documentation…', '$(book)'],
  ['containerGuard.createTeamFile', 'Create Team File (.container-guard.yaml) from Settings', undefined],
  ['containerGuard.openTeamFile', 'Open Team File', undefined],
  ['containerGuard.restartServer', 'Restart Language Server', undefined],
  ['containerGuard.showOutput', 'Show Output', undefined],
];

/** Settings UI order: what a person sets first comes first. Unlisted settings follow in file order. */
const ORDER = [
  'containerGuard.ruleSet', 'containerGuard.rules', 'containerGuard.windowsHost', 'containerGuard.trustedRegistries',
  'containerGuard.isolation', 'containerGuard.requireSignedPackages', 'containerGuard.ignore', 'containerGuard.honourHadolintPragmas',
  'containerGuard.registry.lookups', 'containerGuard.registry.signatureDiagnostics', 'containerGuard.registry.offline',
  'containerGuard.registry.timeoutMs', 'containerGuard.registry.plainHttpHosts', 'containerGuard.registry.caCertificates',
  'containerGuard.registry.gitHubUrl',
  'containerGuard.trust.notationConfigDir', 'containerGuard.trust.trustPolicy', 'containerGuard.trust.trustStore',
  'containerGuard.trust.microsoftRoot', 'containerGuard.trust.cosignKeys', 'containerGuard.trust.sigstoreTrustedRoot',
  'containerGuard.trust.sigstoreIdentities', 'containerGuard.trace.server',
];

const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];
const SEVERITY_DESCRIPTIONS = ['Rule disabled', 'Shown as a hint (dotted underline, not in Problems)', 'Information', 'Warning', 'Error'];

export function rulesFromRegistry() {
  const { RULES_BY_ID } = require(path.join(repo, 'server', 'out', 'engine', 'rules', 'index.js'));
  return [...RULES_BY_ID.values()].map((rule) => rule.meta ?? rule).map((meta) => ({ id: meta.id, title: meta.title, defaultSeverity: meta.defaultSeverity }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function applyManifest(manifest, rules) {
  const contributes = manifest.contributes;
  contributes.codeActions = [{
    languages: SERVED_LANGUAGES,
    actions: [{
      kind: 'source.fixAll.containerGuard',
      title: 'Fix all auto-fixable Container Guard problems',
      description: 'Applies only the fixes that keep behaviour (safe for fix-all), e.g. on save with `editor.codeActionsOnSave`.',
    }],
  }];
  contributes.commands = COMMANDS.map(([command, title, icon]) => ({ command, title, category: 'Container Guard', ...(icon ? { icon } : {}) }));
  contributes.menus = {
    commandPalette: [
      // Network: only offered where it could run.
      { command: 'containerGuard.pinAllDigests', when: 'isWorkspaceTrusted' },
      { command: 'containerGuard.verifyImageSignatures', when: 'isWorkspaceTrusted' },
      { command: 'containerGuard.openTeamFile', when: 'workspaceFolderCount > 0' },
      { command: 'containerGuard.createTeamFile', when: 'workspaceFolderCount > 0' },
      { command: 'containerGuard.lintWorkspace', when: 'workspaceFolderCount > 0' },
      { command: 'containerGuard.fixAllInWorkspace', when: 'workspaceFolderCount > 0' },
    ],
  };
  const properties = contributes.configuration.properties;
  const windowsHost = properties['containerGuard.windowsHost'];
  // The settings UI shows an enum's values; `null` read "null". An empty string labelled "Not set" instead
  // (the server reads '' and null alike as "not configured").
  Object.assign(windowsHost, {
    type: 'string',
    enum: ['', 'ltsc2019', 'ltsc2022', 'ltsc2025'],
    enumItemLabels: ['Not set', 'LTSC 2019', 'LTSC 2022', 'LTSC 2025'],
    enumDescriptions: ['No host configured: windows-version-mismatch compares the stages with each other only.', 'Windows Server 2019 (build 17763)', 'Windows Server 2022 (build 20348)', 'Windows Server 2025 (build 26100)'],
    default: '',
  });
  const rulesSetting = properties['containerGuard.rules'];
  const severity = { type: 'string', enum: SEVERITIES, enumDescriptions: SEVERITY_DESCRIPTIONS };
  rulesSetting.propertyNames = { enum: rules.map((rule) => rule.id), errorMessage: 'Unknown rule id (see the command "Container Guard: Open Rule Documentation…")' };
  rulesSetting.properties = Object.fromEntries(rules.map((rule) => [rule.id, { ...severity, description: `${rule.title} (default: ${rule.defaultSeverity})` }]));
  rulesSetting.additionalProperties = false;
  rulesSetting.markdownDescription = [
    'Severity per rule id: `off`, `hint`, `info`, `warning` or `error`. A rule outside the rule set runs when it is given a severity. The team file (`.container-guard.yaml`) wins over this setting, so the editor shows what CI reports. Example:',
    '',
    '```json',
    '"containerGuard.rules": {',
    '  "base-image-unpinned-digest": "error",',
    '  "nuget-encrypted-password": "off"',
    '}',
    '```',
    '',
    'Rule pages: command **Container Guard: Open Rule Documentation…**.',
  ].join('\n');
  properties['containerGuard.trustedRegistries'].markdownDescription = [
    'Registries base images may come from (`*.azurecr.io` wildcards allowed); `mcr.microsoft.com` is always trusted. Listing any turns on **untrusted-registry** in the recommended rule set. The team file\'s list adds to this one. Example:',
    '',
    '```json',
    '"containerGuard.trustedRegistries": ["contoso.azurecr.io", "*.pkg.dev"]',
    '```',
  ].join('\n');
  properties['containerGuard.ignore'].markdownDescription = [
    'Glob patterns (relative to the workspace folder, or to the team file\'s folder) of files not to lint. Example:',
    '',
    '```json',
    '"containerGuard.ignore": ["third_party/**", "**/test/fixtures/**"]',
    '```',
  ].join('\n');
  properties['containerGuard.trust.cosignKeys'].markdownDescription = [
    'Cosign public keys per repository scope, given inline (`publicKey`) or as a file (`path`, relative paths start at the workspace folder). Example:',
    '',
    '```json',
    '"containerGuard.trust.cosignKeys": [',
    '  { "scope": "contoso.azurecr.io/base/*", "path": "keys/cosign.pub" },',
    '  { "scope": "ghcr.io/org/*", "publicKey": "-----BEGIN PUBLIC KEY-----\\n…" }',
    ']',
    '```',
  ].join('\n');
  properties['containerGuard.trust.sigstoreIdentities'].markdownDescription = [
    'Keyless signers trusted per repository, like cosign\'s `--certificate-identity(-regexp)` and `--certificate-oidc-issuer(-regexp)`. Each entry needs `identity` or `identityRegExp` and `issuer` or `issuerRegExp` (regular expressions are searched, not anchored); the most specific matching `scope` applies. Needs `#containerGuard.trust.sigstoreTrustedRoot#`. Example:',
    '',
    '```json',
    '"containerGuard.trust.sigstoreIdentities": [{',
    '  "scope": "ghcr.io/org/*",',
    '  "identity": "https://github.com/org/app/.github/workflows/release.yml@refs/heads/main",',
    '  "issuer": "https://token.actions.githubusercontent.com"',
    '}]',
    '```',
  ].join('\n');
  for (const [index, key] of ORDER.entries()) if (properties[key]) properties[key].order = index + 1;
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2] ?? path.join(repo, 'package.json');
  const text = fs.readFileSync(file, 'utf8');
  const manifest = applyManifest(JSON.parse(text), rulesFromRegistry());
  const updated = `${JSON.stringify(manifest, null, 2)}\n`;
  if (updated !== text) fs.writeFileSync(file, updated);
  console.log(`${file}: ${updated === text ? 'up to date' : 'updated'}`);
}

// The extension manifest, the packaged .vsix and the settings contract between client and server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../../server/out/engine/settings';

const repo = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const vsce = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');

test('every setting has the containerGuard prefix and matches what the server reads', () => {
  const keys = Object.keys(manifest.contributes.configuration.properties);
  for (const key of keys) assert.ok(key.startsWith('containerGuard.'), key);
  const engineKeys = Object.keys(DEFAULT_SETTINGS).map((k) => `containerGuard.${k}`).sort();
  // Registry and trust settings are read by the language server's registry lookups, not by the engine.
  const serverOnly = (k: string): boolean => k === 'containerGuard.trace.server' || k.startsWith('containerGuard.registry.') || k.startsWith('containerGuard.trust.');
  assert.deepEqual(keys.filter((k) => !serverOnly(k)).sort(), engineKeys);
});

test('registry and trust settings that fetch or read files are restricted in untrusted workspaces', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  const keys = Object.keys(manifest.contributes.configuration.properties);
  for (const key of restricted) assert.ok(keys.includes(key), key);
  for (const key of ['containerGuard.registry.lookups', 'containerGuard.registry.caCertificates', 'containerGuard.registry.plainHttpHosts', 'containerGuard.trust.notationConfigDir', 'containerGuard.trust.trustPolicy', 'containerGuard.trust.trustStore', 'containerGuard.trust.microsoftRoot', 'containerGuard.trust.cosignKeys', 'containerGuard.trust.sigstoreTrustedRoot', 'containerGuard.trust.sigstoreIdentities']) {
    assert.ok(restricted.includes(key), key);
  }
  assert.equal(manifest.contributes.configuration.properties['containerGuard.registry.lookups'].default, false);
  assert.equal(manifest.contributes.configuration.properties['containerGuard.registry.signatureDiagnostics'].default, false);
});

test('every contributed command is registered by the client', () => {
  const source = fs.readFileSync(path.join(repo, 'client', 'src', 'extension.ts'), 'utf8');
  for (const { command } of manifest.contributes.commands) assert.ok(source.includes(`registerCommand('${command}'`), command);
});

test('engines.vscode fits code-server 4.100.3 and @types/vscode is not newer', () => {
  const engine = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
  assert.ok(engine && Number(engine[1]) <= 100, manifest.engines.vscode);
  const types = /^1\.(\d+)/.exec(manifest.devDependencies['@types/vscode']);
  assert.ok(types && Number(types[1]) <= Number(engine[1]));
  assert.ok(manifest.activationEvents.includes('onLanguage:dockerfile'));
});

test('the injection grammars are valid JSON, named as in the manifest and injected into the built-in Dockerfile grammar', () => {
  // Their Oniguruma patterns ((?i:…), \x60) are not JavaScript regular expressions: test/src/grammar runs them.
  for (const grammar of manifest.contributes.grammars) {
    const json = JSON.parse(fs.readFileSync(path.join(repo, grammar.path), 'utf8'));
    assert.equal(json.scopeName, grammar.scopeName);
    assert.deepEqual(grammar.injectTo, ['source.dockerfile']);
    assert.match(json.injectionSelector, /^L:source\.dockerfile\b/);
  }
});

test('the repository README opens with exactly the two set-up commands; the icon is what its script draws', () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const block = /^# [^\n]+\n\n```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md does not open with a sh block');
  assert.deepEqual(block[1].trim().split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()), ['npm install && npm start', 'npm test']);
  const check = spawnSync(process.execPath, [path.join(repo, 'images', 'generate-icon.mjs'), '--check'], { cwd: repo, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('the .vsix holds the bundles, docs and grammar, and no sources, tests or node_modules', () => {
  const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  const files = listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const required of ['dist/extension.js', 'dist/server.js', 'dist/server-engine.js', 'dist/server-engine.cache', 'dist/cli.js', 'dist/cli-engine.js', 'dist/cli-engine.cache', 'dist/wasm/tree-sitter.wasm', 'dist/wasm/tree-sitter-bash.wasm', 'package.json', 'README.marketplace.md', 'images/icon.png', 'LICENSE', 'docs/rules/privileged-user.md', 'syntaxes/container-guard-pragma.tmLanguage.json', 'syntaxes/dockerfile-shell.tmLanguage.json']) {
    assert.ok(files.includes(required), `${required} missing from ${files.join(', ')}`);
  }
  // PowerShell is read by the hand-written tokenizer: its tree-sitter grammar is not shipped (esbuild.mjs).
  assert.ok(!files.includes('dist/wasm/tree-sitter-powershell.wasm'), 'the unused PowerShell grammar is packed');
  assert.deepEqual(files.filter((f) => f.endsWith('.ts') || f.endsWith('.mjs') || f.startsWith('node_modules/') || f.startsWith('test/') || f.includes('/src/')), []);

  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-vsix-')), 'container-guard.vsix');
  // Packed as `npm run package` packs: the user README (README.marketplace.md) through --readme-path.
  const readmePath = /--readme-path\s+(\S+)/.exec(manifest.scripts.package)?.[1];
  assert.equal(readmePath, 'README.marketplace.md', manifest.scripts.package);
  const packaged = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', readmePath, '--out', out], { cwd: repo, encoding: 'utf8' });
  assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);
  const entries = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', out], { encoding: 'utf8' });
  assert.equal(entries.status, 0, entries.stderr);
  const names = entries.stdout.split('\n').filter(Boolean);
  assert.ok(names.includes('extension/dist/server.js'));
  assert.deepEqual(names.filter((n) => n.endsWith('.ts')), []);
  const read = (name: string): Buffer => {
    const r = spawnSync('python3', ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', out, name]);
    assert.equal(r.status, 0, String(r.stderr));
    return r.stdout;
  };
  // The Marketplace page is the user README, not the developer one (which opens with the set-up commands).
  const details = /<Asset Type="Microsoft\.VisualStudio\.Services\.Content\.Details" Path="([^"]+)"/.exec(read('extension.vsixmanifest').toString('utf8'))?.[1];
  assert.ok(details, 'no Details asset');
  const packedReadme = read(details).toString('utf8');
  assert.equal(packedReadme, fs.readFileSync(path.join(repo, 'README.marketplace.md'), 'utf8'));
  assert.doesNotMatch(packedReadme, /npm install && npm start|npm test/);
  assert.match(packedReadme, /source\.fixAll\.containerGuard/);
  // Screenshots it shows are in the package.
  for (const [, image] of packedReadme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.ok(names.includes(`extension/${image}`), image!);
  assert.deepEqual(names.filter((n) => /^extension\/readme\.md$/i.test(n)), [details]);
  // The icon: the manifest's PNG, 128×128, in the package.
  assert.equal(manifest.icon, 'images/icon.png');
  const icon = read(`extension/${manifest.icon}`);
  assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);

  // The packed CLI runs on its own, far from node_modules: its tree-sitter grammars come from the .vsix.
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-vsix-unpacked-'));
  const extracted = spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', out, unpacked], { encoding: 'utf8' });
  assert.equal(extracted.status, 0, extracted.stderr);
  const dockerfile = path.join(unpacked, 'Dockerfile');
  fs.writeFileSync(dockerfile, 'FROM alpine:3.20\nRUN apk add curl && curl -fsSL https://get.example.com/i.sh | sh\n');
  const linted = spawnSync(process.execPath, [path.join(unpacked, 'extension', 'dist', 'cli.js'), 'lint', '--format', 'json', '--no-fail', dockerfile], { cwd: unpacked, encoding: 'utf8' });
  assert.equal(linted.status, 0, linted.stderr);
  const report = JSON.parse(linted.stdout) as { findings: Array<{ ruleId: string; line: number }> };
  assert.ok(report.findings.some((f) => f.ruleId === 'download-and-execute' && f.line === 2), linted.stdout);
});

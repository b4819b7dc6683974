// Bundles the extension client, the language server and the CLI into single files under dist/.
// Type checking is tsc's job (`tsc -b`); esbuild only transpiles and bundles.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Minified (names kept, so stacks in the output channel stay readable): a smaller bundle is less code for
  // V8 to hold — about 10 MB less resident memory for the language server and the CLI.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // Only resolved when running from compiled sources; the bundles find the grammars in dist/wasm first.
  external: ['@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'],
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...common.external] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
// The shell front ends parse with tree-sitter: the runtime's and the bash grammar's WebAssembly ship beside
// the bundles (dist/wasm), where server/src/engine/shell/treeSitter.ts looks first. The PowerShell grammar
// is not shipped: PowerShell is read by the hand-written tokenizer (`npm run bench:powershell` compares
// them from node_modules).
const wasmSource = path.join('node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
fs.mkdirSync(path.join('dist', 'wasm'), { recursive: true });
fs.rmSync(path.join('dist', 'wasm', 'tree-sitter-powershell.wasm'), { force: true });
for (const file of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) {
  fs.copyFileSync(path.join(wasmSource, file), path.join('dist', 'wasm', file));
}
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

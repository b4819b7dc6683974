// Bundles the extension client, the language server and the CLI into single files under dist/.
// Type checking is tsc's job (`tsc -b`); esbuild only transpiles and bundles.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

/**
 * web-tree-sitter's Emscripten glue reaches Node's `module` and `fs/promises` through dynamic `import()`
 * (it is written as an ES module). A bundle compiled through `vm.Script` (the CLI's launcher, which hands
 * V8 a code cache) has no loader for dynamic imports, so the two built-ins are required up front instead:
 * the same modules, taken synchronously.
 */
const nodeBuiltinsWithoutDynamicImport = {
  name: 'node-builtins-without-dynamic-import',
  setup(build) {
    build.onLoad({ filter: /@vscode[\\/]tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const rewritten = source
        .replace('await import("module")', '__nodeModuleBuiltin')
        .replace('await import("fs/promises")', '__nodeFsPromisesBuiltin');
      if (/\bimport\(/.test(rewritten)) throw new Error(`${args.path}: a dynamic import() is left that the CLI launcher cannot serve`);
      return { contents: `var __nodeModuleBuiltin = require("node:module"), __nodeFsPromisesBuiltin = require("node:fs/promises");\n${rewritten}`, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Minified (names kept, so stacks in the output channel stay readable): a smaller bundle is less code for
  // V8 to hold — about 10 MB less resident memory for the language server and the CLI.
  // NO_MINIFY=1 node esbuild.mjs: readable function names in `--cpu-prof` profiles of the bundles.
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  logLevel: 'warning',
  // Only resolved when running from compiled sources; the bundles find the grammars in dist/wasm first.
  external: ['@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'],
  plugins: [nodeBuiltinsWithoutDynamicImport],
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...common.external] },
  // The language server: a small launcher (dist/server.js, what editors start) and the server bundle it
  // compiles with a V8 code cache (server/src/lsp/launcher.ts).
  { ...common, entryPoints: ['server/src/lsp/launcher.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server-engine.js' },
  // The CLI: a small launcher (dist/cli.js, what users and the GitHub Action run) and the engine it starts
  // with a V8 code cache (server/src/cli/launcher.ts).
  { ...common, entryPoints: ['server/src/cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-engine.js' },
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
  for (const options of builds) assertAscii(options.outfile);
  writeCliCodeCache();
  writeServerCodeCache();
}

/**
 * esbuild escapes non-ASCII characters in strings but leaves them in regular expression literals, and one
 * such character makes V8 hold the whole bundle's source as a two-byte string: 5 MB instead of 2.5 MB of
 * the language server's heap for as long as it runs. Sources write them as `\u` escapes; this keeps it so.
 */
function assertAscii(file) {
  const text = fs.readFileSync(file, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) throw new Error(`${file} has a non-ASCII character (write it as a \\u escape in the source): …${text.slice(Math.max(0, at - 60), at + 20)}…`);
}

/**
 * The CLI's V8 code cache (dist/cli-engine.cache): made by linting the bundled examples once, so it holds
 * the functions a lint compiles. It fits only this Node.js (V8 version and flags); elsewhere V8 ignores
 * it and the launcher compiles the engine from source.
 */
function writeCliCodeCache() {
  const cache = path.join('dist', 'cli-engine.cache');
  fs.rmSync(cache, { force: true });
  const run = spawnSync(process.execPath, [path.join('dist', 'cli.js'), 'lint', '--no-fail', '--format', 'json', 'examples'], {
    env: { ...process.env, CONTAINER_GUARD_WRITE_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  if (run.status !== 0 || !fs.existsSync(cache)) throw new Error(`making the CLI code cache failed (exit ${run.status}): ${run.stderr}`);
}

/**
 * The language server's V8 code cache (dist/server-engine.cache): the bundle's top level, compiled under
 * the Node flags the editor starts the server with (the launcher writes it and exits). It fits only this
 * Node.js and those flags.
 */
function writeServerCodeCache() {
  const cache = path.join('dist', 'server-engine.cache');
  fs.rmSync(cache, { force: true });
  const { SERVER_NODE_FLAGS } = createRequire(import.meta.url)('./client/out/serverProcess.js');
  const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, path.join('dist', 'server.js')], {
    env: { ...process.env, CONTAINER_GUARD_WRITE_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  if (run.status !== 0 || !fs.existsSync(cache)) throw new Error(`making the language server's code cache failed (exit ${run.status}): ${run.stderr}`);
}

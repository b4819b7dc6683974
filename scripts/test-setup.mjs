// Preloaded into every test process (`node --test --import`): the shell front ends parse with
// tree-sitter, whose WebAssembly loads asynchronously, so it is loaded here once before any test
// file runs, as the CLI and the language server do before their first lint.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadShellGrammars } = require('../server/out/engine/shell/treeSitter.js');
await loadShellGrammars();

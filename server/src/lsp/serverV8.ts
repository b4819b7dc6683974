// The language server's V8 settings, made before its bundle is compiled (launcher.ts: the code cache is
// accepted only under the flags it was made with) and again by main.ts when it is run on its own.
import * as v8 from 'node:v8';

/**
 * A language server lives long and lints in bursts: keep V8's young generation from growing (each lint's
 * garbage dies young anyway) and keep tree-sitter's WebAssembly on the baseline compiler (optimising its
 * huge lexer functions costs tens of MB). With every corpus file open: 225 → 164 MB resident, typing
 * latency unchanged (npm run bench, sections 3 and 4).
 *
 * `--heap-growing-percent=20` keeps the old space near its live size (client/src/serverProcess.ts).
 *
 * `--max-semi-space-size=1` shapes the heap only when given at start-up, as the editor does
 * (client/src/serverProcess.ts). Set here as well, it makes V8's flag set — which a code cache must match
 * — the same whether the server was started by the editor or bare (`container-guard-server --stdio`
 * from Neovim), so both start from the build's cache.
 */
export function tuneServerV8(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--max-semi-space-size=1');
  // Read at every full collection, so it takes effect from here even in a bare start (see serverProcess.ts).
  v8.setFlagsFromString('--heap-growing-percent=20');
  v8.setFlagsFromString('--liftoff-only');
}

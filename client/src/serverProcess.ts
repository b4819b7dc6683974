// How the extension starts the language server's Node.js process. The tests and `npm run bench` start
// `dist/server.js` with the same flags (test/src/lsp/lspClient.ts), so what they measure is what runs.

/**
 * V8 flags of the server process. A language server lints in bursts whose garbage dies young: a 1 MB
 * semi-space (default up to 16 MB, and the server's own `--semi-space-growth-factor=1` cannot shrink
 * what start-up configured) keeps about 25 MB less resident with every corpus Dockerfile open
 * (npm run bench, section 4: 173 → 146 MB) at no cost in typing latency (section 3). They must be
 * given at start-up: v8.setFlagsFromString is too late for the heap's layout.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

// How the extension starts the language server's Node.js process. The tests and `npm run bench` start
// `dist/server.js` with the same flags (test/src/lsp/lspClient.ts), so what they measure is what runs.

/**
 * V8 flags of the server process. A language server lints in bursts whose garbage dies young: a 1 MB
 * semi-space (default up to 16 MB, and the server's own `--semi-space-growth-factor=1` cannot shrink
 * what start-up configured) keeps about 25 MB less resident with every corpus Dockerfile open
 * (npm run bench, section 4: 173 → 146 MB) at no cost in typing latency (section 3). A fixed old-space
 * growing factor of 1.2 (V8 otherwise lets the heap grow by up to 4× its live size between full
 * collections) keeps the heap near what is live: 116–120 → 101–103 MB with the corpus open, and typing
 * in a 5,000-line file got cheaper (server CPU for 200 keystrokes 17.5 → 13.7–14.7 s: full collections
 * of a smaller heap). They must be given at start-up: v8.setFlagsFromString is too late for the heap's layout.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--heap-growing-percent=20'];

/**
 * Environment of the server process, over the editor's own. `MALLOC_ARENA_MAX=1`: glibc gives each thread
 * that allocates its own malloc arena, and V8's background threads (concurrent marking, the optimising
 * compiler) each leave one holding freed memory; one shared arena keeps about 14 MB less resident with every
 * corpus Dockerfile open (npm run bench, section 4: 131–133 → 117–119 MB in alternating runs) with typing
 * latency unchanged within the machine's noise (section 3). Other C libraries ignore the variable. Not
 * tried further: a low `MALLOC_MMAP_THRESHOLD_` saved 3 MB more but made every lint ~1.5× slower.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

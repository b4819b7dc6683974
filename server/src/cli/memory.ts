// Memory of a batch run. The CLI lints thousands of files in one short-lived process: what matters is
// the peak, not the steady state of a long-lived one, so V8 is tuned for that before the first lint.
// (The language server keeps V8's defaults.) Measured on the 602 corpus Dockerfiles: see the commit.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * - tree-sitter's WebAssembly stays on V8's baseline compiler (Liftoff): optimising the grammars' huge
 *   lexer functions costs tens of MB of compiler memory and more time than a CI run wins back;
 * - the young generation does not grow (garbage of one file should die young, not be promoted);
 * - no optimising compiler (TurboFan) for our JavaScript: a CI run is over before compiling the hot
 *   functions on the second core pays back. CPU user+sys of the CLI (2 cores): the whole corpus in one
 *   run 9.4 -> 6.9 s, its Dockerfiles 3.3 -> 2.4 s, its workflows 4.3 -> 3.8 s; six copies of the corpus
 *   (3,800 files) 42.7 -> 38.1 s, so the break-even lies beyond tens of thousands of files.
 * - a fixed old-space growing factor of 1.2 (`--heap-growing-percent=20`; V8 otherwise lets the heap grow
 *   to several times its live size between full collections): peak RSS on the whole shared corpus
 *   142-144 -> 97-99 MB, CPU the same within this machine's noise (alternating runs: 9.0-9.4 vs 7.7-9.9 s);
 * - `gc` exposed, for `heapBudget` below.
 * Must run before the grammars are loaded (flags apply to code compiled afterwards). The launcher
 * (launcher.ts) sets them before it compiles the engine: V8 accepts a code cache only under the flags it
 * was made with, and the build makes it during a lint.
 */
export function tuneForBatch(): void {
  try {
    v8.setFlagsFromString('--liftoff-only');
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    v8.setFlagsFromString('--no-opt');
    v8.setFlagsFromString('--heap-growing-percent=20');
    v8.setFlagsFromString('--expose-gc');
  } catch {
    // Unknown flags are ignored by V8; nothing else can fail here.
  }
}

/**
 * Returns a function to call between files: a full collection once the heap has grown by `budgetMb`
 * since the last one. V8 otherwise lets promoted garbage pile up to several times the live heap before
 * it compacts; a few collections per thousand files keep the peak bounded. A no-op when the runtime
 * offers no `gc` (the flag is set at run time, so this is best effort).
 *
 * The budget trades CPU for peak memory. On the whole shared corpus (all three kinds, one process):
 * 12 MB cost 9.8 s CPU for a 128 MB peak, 64 MB 7.5 s for 153 MB (workflows alone 4.9 -> 3.8 s, 105 ->
 * 140 MB; Dockerfiles 3.4 -> 2.8 s, 104 -> 111 MB). A CI run pays the CPU; 25 MB more of peak is cheap
 * there, so 64.
 */
export function heapBudget(budgetMb = 64): () => void {
  let collect: (() => void) | undefined;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') collect = gc as () => void;
  } catch {
    collect = undefined;
  }
  if (!collect) return () => undefined;
  const budget = budgetMb * 1024 * 1024;
  let limit = v8.getHeapStatistics().used_heap_size + budget;
  return () => {
    if (v8.getHeapStatistics().used_heap_size < limit) return;
    collect!();
    limit = v8.getHeapStatistics().used_heap_size + budget;
  };
}

// tree-sitter for the shell front ends: web-tree-sitter and the grammars VS Code itself ships
// (@vscode/tree-sitter-wasm), loaded once per process. WebAssembly instantiation is asynchronous, so
// every host (CLI, language server, tests, bench) awaits `loadShellGrammars()` once before its first
// lint; the front ends then parse synchronously. The language server starts the load when it starts,
// so it is off the first keystroke's path, and the promise is shared, so nothing waits on it twice.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';

export type SyntaxNode = TreeSitter.Node;
export type SyntaxTree = TreeSitter.Tree;

export type GrammarName = 'bash' | 'powershell';

interface Loaded {
  runtime: typeof TreeSitter;
  folder: string;
  parsers: Partial<Record<GrammarName, TreeSitter.Parser>>;
}

let loading: Promise<Loaded> | undefined;
let loaded: Loaded | undefined;

/**
 * Where the `.wasm` files are: beside the bundle (`dist/wasm/`, what the .vsix and the bundled CLI
 * ship), else in the installed package (compiled sources under `server/out`, tests, bench).
 */
function wasmFolder(): string {
  const bundled = path.join(__dirname, 'wasm');
  if (fs.existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  return path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
}

async function parserFor(runtime: typeof TreeSitter, folder: string, name: GrammarName): Promise<TreeSitter.Parser> {
  const language = await runtime.Language.load(fs.readFileSync(path.join(folder, `tree-sitter-${name}.wasm`)));
  const parser = new runtime.Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * Loads the tree-sitter runtime and the bash grammar, the one the linter parses with; later calls share
 * the first load. The PowerShell grammar ships too but is not loaded here: the hand-written tokenizer
 * reads PowerShell (measured better, see bench/powershellGrammar), and compiling that grammar's
 * WebAssembly would cost every process start-up CPU and about 3 MB resident for nothing.
 */
export function loadShellGrammars(): Promise<void> {
  loading ??= (async () => {
    const folder = wasmFolder();
    // The runtime is required lazily so that merely importing the engine costs nothing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
    await runtime.Parser.init({ locateFile: (file: string) => path.join(folder, file) });
    loaded = { runtime, folder, parsers: { bash: await parserFor(runtime, folder, 'bash') } };
    return loaded;
  })();
  return loading.then(() => undefined);
}

/** Loads the PowerShell grammar as well (the grammar comparison bench); after loadShellGrammars(). */
export async function loadPowerShellGrammar(): Promise<void> {
  await loadShellGrammars();
  loaded!.parsers.powershell ??= await parserFor(loaded!.runtime, loaded!.folder, 'powershell');
}

/** True once `loadShellGrammars()` has finished. */
export function shellGrammarsLoaded(): boolean {
  return loaded !== undefined;
}

/**
 * Parses `text` with a loaded grammar and hands the tree to `use`; the tree's WebAssembly memory is
 * freed afterwards, so callers must copy out what they keep (offsets, strings), never nodes.
 */
export function withSyntaxTree<T>(grammar: GrammarName, text: string, use: (tree: SyntaxTree) => T): T {
  if (!loaded) throw new Error('shell grammars are not loaded: await loadShellGrammars() before linting');
  const parser = loaded.parsers[grammar];
  if (!parser) throw new Error(`the ${grammar} grammar is not loaded`);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter-${grammar} returned no tree`);
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

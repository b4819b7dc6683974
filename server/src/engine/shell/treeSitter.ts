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
  /** The runtime's exports, when they are the ones `copySyntaxTree` knows (else the public cursor is used). */
  binding: CursorBinding | undefined;
  /** Address of the binding's transfer buffer, in 32-bit words. */
  transferBuffer: number;
}

/**
 * The part of web-tree-sitter's WebAssembly binding a tree cursor runs on. Emscripten makes the options
 * object handed to `Parser.init` the module itself, so after the load it holds the binding's exports and
 * heap. Each cursor function reads the cursor from the binding's transfer buffer and the moving ones write
 * it back there, so a walk that only moves and reads the cursor needs no marshalling between the calls:
 * that is what makes copying a tree out cheaper than through the public `TreeCursor`, whose every getter
 * copies the cursor into the buffer first through Emscripten's `setValue` (a 1 MB line: ~1.4x cheaper
 * optimised, ~5x under the CLI's `--no-opt`, parse excluded).
 */
interface CursorBinding {
  HEAP32: Int32Array;
  /** Returns the transfer buffer's address. */
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const CURSOR_FUNCTIONS = [
  '_ts_init', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

function cursorBinding(module: Record<string, unknown>): CursorBinding | undefined {
  const complete = module['HEAP32'] instanceof Int32Array && CURSOR_FUNCTIONS.every((name) => typeof module[name] === 'function');
  return complete ? (module as unknown as CursorBinding) : undefined;
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
    const module = { locateFile: (file: string) => path.join(folder, file) };
    await runtime.Parser.init(module);
    const binding = cursorBinding(module as unknown as Record<string, unknown>);
    // `_ts_init` only returns the buffer's address and writes the language versions into it (what
    // `Parser.init` just did): asked once.
    const transferBuffer = binding ? binding._ts_init() >> 2 : 0;
    loaded = { runtime, folder, parsers: { bash: await parserFor(runtime, folder, 'bash') }, binding, transferBuffer };
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

/**
 * A syntax node copied out of tree-sitter's WebAssembly heap: plain fields, so a walk over it makes no
 * call into WebAssembly (through web-tree-sitter's `Node`, every `children`, `type` or `text` does, and
 * those calls cost several times the parse). Field names are copied only for the children of the node
 * types the caller names.
 */
export class CopiedSyntaxNode {
  readonly children: CopiedSyntaxNode[] = [];
  private named: CopiedSyntaxNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    /** The field this node fills in its parent, when the parent's fields were copied. */
    readonly fieldName: string | null,
    /** Whether the fields of this node's children were copied (`childForFieldName` needs them). */
    private readonly fieldsCopied: boolean,
    private readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get childCount(): number {
    return this.children.length;
  }

  child(index: number): CopiedSyntaxNode | null {
    return this.children[index] ?? null;
  }

  get namedChildren(): CopiedSyntaxNode[] {
    return (this.named ??= this.children.filter((child) => child.isNamed));
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  namedChild(index: number): CopiedSyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstNamedChild(): CopiedSyntaxNode | null {
    return this.namedChildren[0] ?? null;
  }

  get lastNamedChild(): CopiedSyntaxNode | null {
    return this.namedChildren[this.namedChildren.length - 1] ?? null;
  }

  childForFieldName(field: string): CopiedSyntaxNode | null {
    return this.childrenForFieldName(field)[0] ?? null;
  }

  childrenForFieldName(field: string): CopiedSyntaxNode[] {
    // A programming error, not an input one: the caller must name this type when copying.
    if (!this.fieldsCopied) throw new Error(`fields of ${this.type} were not copied`);
    return this.children.filter((child) => child.fieldName === field);
  }
}

/** The moves and reads a copy needs, over the binding or (when its exports are not known) the public cursor. */
interface CursorSteps {
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  typeId(): number;
  fieldId(): number;
  start(): number;
  end(): number;
}

/**
 * Copies the whole tree into `CopiedSyntaxNode`s in one cursor walk (no recursion: depth costs no stack).
 * `fieldParents` names the node types whose children's field names are read.
 */
export function copySyntaxTree(tree: SyntaxTree, source: string, fieldParents: ReadonlySet<string>, viaPublicCursor = false): CopiedSyntaxNode {
  const language = tree.language;
  const types: string[] = [];
  const named: boolean[] = [];
  const cursor = tree.walk();
  try {
    const binding = viaPublicCursor ? undefined : loaded?.binding;
    const steps = binding ? bindingSteps(binding, loaded!.transferBuffer, tree, cursor) : publicSteps(cursor);
    const make = (parent: CopiedSyntaxNode | null, parentCopiesFields: boolean): CopiedSyntaxNode => {
      const typeId = steps.typeId();
      // Type names and namedness are per type id: asked of the language once per id.
      let type = types[typeId];
      if (type === undefined) {
        type = types[typeId] = language.types[typeId] ?? 'ERROR';
        named[typeId] = language.nodeTypeIsNamed(typeId) || type === 'ERROR';
      }
      const fieldName = parentCopiesFields ? language.fields[steps.fieldId()] ?? null : null;
      const node = new CopiedSyntaxNode(type, named[typeId]!, steps.start(), steps.end(), fieldName, fieldParents.has(type), source);
      parent?.children.push(node);
      return node;
    };
    const root = make(null, false);
    let parent = root;
    let node = root;
    const ancestors: CopiedSyntaxNode[] = [];
    for (;;) {
      if (steps.firstChild()) {
        ancestors.push(parent);
        parent = node;
        node = make(parent, fieldParents.has(parent.type));
        continue;
      }
      for (;;) {
        if (node !== root && steps.nextSibling()) {
          node = make(parent, fieldParents.has(parent.type));
          break;
        }
        if (node === root || !steps.parent()) return root;
        node = parent;
        parent = ancestors.pop()!;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The cursor's state: four 32-bit words web-tree-sitter keeps on the `TreeCursor` object (indices 0–3). */
type CursorWords = { [index: number]: number };

function bindingSteps(binding: CursorBinding, buffer: number, tree: SyntaxTree, cursor: TreeSitter.TreeCursor): CursorSteps {
  const treeAddress = (tree as unknown as CursorWords)[0]!;
  const words = cursor as unknown as CursorWords;
  // Put the cursor in the transfer buffer once; the moves keep it there. When the walk ends the public
  // cursor is deleted, which frees its heap state (the same address whatever the position).
  for (let i = 0; i < 4; i++) binding.HEAP32[buffer + i] = words[i]!;
  return {
    firstChild: () => binding._ts_tree_cursor_goto_first_child_wasm(treeAddress) === 1,
    nextSibling: () => binding._ts_tree_cursor_goto_next_sibling_wasm(treeAddress) === 1,
    parent: () => binding._ts_tree_cursor_goto_parent_wasm(treeAddress) === 1,
    typeId: () => binding._ts_tree_cursor_current_node_type_id_wasm(treeAddress),
    fieldId: () => binding._ts_tree_cursor_current_field_id_wasm(treeAddress),
    start: () => binding._ts_tree_cursor_start_index_wasm(treeAddress),
    end: () => binding._ts_tree_cursor_end_index_wasm(treeAddress),
  };
}

function publicSteps(cursor: TreeSitter.TreeCursor): CursorSteps {
  return {
    firstChild: () => cursor.gotoFirstChild(),
    nextSibling: () => cursor.gotoNextSibling(),
    parent: () => cursor.gotoParent(),
    typeId: () => cursor.nodeTypeId,
    fieldId: () => cursor.currentFieldId,
    start: () => cursor.startIndex,
    end: () => cursor.endIndex,
  };
}

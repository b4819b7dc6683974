import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copySyntaxTree, withSyntaxTree, type CopiedSyntaxNode, type SyntaxNode } from './treeSitter';
import { random } from './tokenizerTesting';
import { corpusDockerfiles } from '../testing';

// copySyntaxTree reads the cursor through web-tree-sitter's binding directly (its fast path). These tests
// hold it to what web-tree-sitter's public API says of the same tree: the nodes (type, namedness, range)
// against `Node`, the field names against the public `TreeCursor`.

const EVERY_FIELD_PARENT = new Set(['redirected_statement', 'variable_assignment', 'file_redirect', 'heredoc_redirect', 'herestring_redirect', 'list', 'if_statement', 'for_statement', 'binary_expression', 'function_definition', 'case_item', 'expansion', 'subscript']);

interface Plain {
  type: string;
  named: boolean;
  start: number;
  end: number;
  field?: string | null;
  children: Plain[];
}

function plainFromCopy(node: CopiedSyntaxNode, withFields: boolean): Plain {
  return {
    type: node.type, named: node.isNamed, start: node.startIndex, end: node.endIndex,
    ...(withFields ? { field: node.fieldName } : {}),
    children: node.children.map((child) => plainFromCopy(child, withFields)),
  };
}

function plainFromNode(node: SyntaxNode): Plain {
  return {
    type: node.type, named: node.isNamed, start: node.startIndex, end: node.endIndex,
    children: node.children.filter((child): child is SyntaxNode => child !== null).map(plainFromNode),
  };
}

function assertSameTree(script: string): void {
  withSyntaxTree('bash', script, (tree) => {
    const fast = copySyntaxTree(tree, script, EVERY_FIELD_PARENT);
    assert.deepEqual(plainFromCopy(fast, false), plainFromNode(tree.rootNode), `nodes differ for ${JSON.stringify(script.slice(0, 80))}`);
    const slow = copySyntaxTree(tree, script, EVERY_FIELD_PARENT, true);
    assert.deepEqual(plainFromCopy(fast, true), plainFromCopy(slow, true), `fields differ for ${JSON.stringify(script.slice(0, 80))}`);
  });
}

const SCRIPTS = [
  '',
  'echo hi',
  'apt-get update && curl -fsSL https://x.example/i.sh | sh -s -- -y || true; wget y & echo done',
  'x=$(wget -qO- https://x.example/v) && curl "https://x.example/$(uname -m)/a" -o a; export K=`curl -s https://k.example`',
  'cat <<EOF | sh\necho $(id)\nEOF\necho after',
  "cat <<'EOF' > /etc/x && chmod 600 /etc/x\nliteral $(no)\nEOF",
  'if [ "$(sha256sum f)" = "$SUM" ]; then echo ok; elif [[ -f x ]]; then :; else exit 1; fi',
  'for f in a b c; do case "$f" in a) echo A;; *) echo other;; esac; done',
  'f() { local x=${1:-default}; echo "${x[0]}" >&2 2>/dev/null; }; f',
  'echo é 😀 "ü$(printf ß)" done', // UTF-16 indices: surrogate pairs and non-ASCII text
  'curl -k https://x \\\n  -o y \\\n  && tar xf y',
  'echo "unterminated $(ls',
  'if then fi ) ;; <<< && ||',
  '((i++)); [[ $a =~ ^x ]] && echo "${a//x/y}"',
];

test('the copied tree is the tree web-tree-sitter shows: nodes, ranges and fields', () => {
  for (const script of SCRIPTS) assertSameTree(script);
});

test('the copied tree matches on random splices of those scripts (half-typed input, error nodes)', () => {
  const next = random(20261206);
  const text = SCRIPTS.join('\n');
  for (let round = 0; round < 300; round++) {
    const start = Math.floor(next() * text.length);
    const end = Math.min(text.length, start + Math.floor(next() * 120));
    assertSameTree(text.slice(start, end) + text.slice(Math.floor(next() * text.length)).slice(0, 60));
  }
});

test('the copied tree matches on the corpus Dockerfiles read whole as bash (when the corpus is there)', (t) => {
  const files = corpusDockerfiles(['dockerfiles-linux']);
  if (files.length === 0) return t.skip('no ../shared/corpus');
  // Every file is a large, varied script to the bash grammar (RUN bodies, continuations, errors around the rest).
  for (const file of files) assertSameTree(file.text);
});

test('asking for a field the copy did not keep is a programming error, not a silent null', () => {
  withSyntaxTree('bash', 'a=1', (tree) => {
    const root = copySyntaxTree(tree, 'a=1', new Set());
    assert.throws(() => root.children[0]!.childForFieldName('name'), /fields of variable_assignment were not copied/);
  });
});

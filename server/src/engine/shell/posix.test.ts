import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizePosix } from './posix';
import { at, checkInvariants, everyPrefix, find, fuzzFragments, shape, span } from './tokenizerTesting';
import type { ShellCommand } from './types';

const parse = (script: string) => {
  const parsed = tokenizePosix(script, 0);
  checkInvariants(script, parsed, 'posix');
  return parsed;
};

const names = (commands: readonly ShellCommand[]) => commands.map((c) => `${c.joinedBy ?? ''}${c.name.value}@${c.depth}`);

test('lists, pipelines and separators: each command with how it is joined', () => {
  const script = 'apt-get update && curl -fsSL https://x.example/i.sh | sh -s -- -y || true; wget y & echo done';
  const parsed = parse(script);
  assert.deepEqual(names(parsed.commands), ['apt-get@0', '&&curl@0', 'sh@0', '||true@0', ';wget@0', '&echo@0']);
  const curl = find(parsed, 'curl');
  assert.deepEqual(curl.pipeline.map((c) => c.name.value), ['curl', 'sh']);
  assert.equal(find(parsed, 'sh').pipelineIndex, 1);
  assert.deepEqual(shape(curl), ['word:curl', 'parameter:-fsSL', 'word:https://x.example/i.sh']);
  assert.deepEqual(span(curl), at(script, 'curl -fsSL https://x.example/i.sh'));
});

test('words: quotes removed, backslash escapes resolved, expansions kept as written', () => {
  const script = `make --header="A b" 'single q' a\\ b "x\\"y" $'c\\n' "$HOME/bin" pre"mid"'post'`;
  const make = find(parse(script), 'make');
  assert.deepEqual(shape(make), [
    'word:make', 'parameter:--header=A b', 'string:single q', 'word:a b', 'string:x"y', 'string:c\\n', 'string:$HOME/bin', 'word:premidpost',
  ]);
  assert.equal(make.args[0]!.raw, '--header="A b"');
});

test('command substitutions run one level deeper, and assignments name the variable they fill', () => {
  const script = 'x=$(wget -qO- https://x.example/v) && curl "https://x.example/$(uname -m)/a" -o a; export K=`curl -s https://k.example`';
  const parsed = parse(script);
  assert.deepEqual(names(parsed.commands), ['x=$(wget -qO- https://x.example/v)@0', 'wget@1', '&&curl@0', 'uname@1', ';export@0', 'curl@1']);
  assert.equal(find(parsed, 'wget').assignedTo, 'x');
  // Quoted, or glued to other text, the substitution still fills the variable.
  assert.equal(find(parse('actual="$(sha256sum /tmp/i.tgz | cut -d" " -f1)"'), 'sha256sum').assignedTo, 'actual');
  assert.equal(find(parse('v=pre"$(uname -m)"'), 'uname').assignedTo, 'v');
  assert.equal(parsed.commands.filter((c) => c.name.value === 'curl')[1]!.assignedTo, 'K');
  assert.equal(find(parsed, 'uname').assignedTo, undefined);
});

test('redirections are arguments of the command they follow, also where tree-sitter hangs them on a whole list', () => {
  const script = 'a && curl "https://x.example/l" > /etc/apt/l.list 2>&1 && b | c 2>/dev/null';
  const parsed = parse(script);
  assert.deepEqual(shape(find(parsed, 'curl')), ['word:curl', 'string:https://x.example/l', 'operator:>', 'word:/etc/apt/l.list', 'operator:2>&', 'word:1']);
  assert.deepEqual(shape(find(parsed, 'c')), ['word:c', 'operator:2>', 'word:/dev/null']);
  assert.deepEqual(shape(find(parsed, 'a')), ['word:a']);
});

test('here-documents: what follows the first line still runs, and an unquoted body expands $(…)', () => {
  const script = 'cat <<EOF > /etc/x && curl -k https://x.example\nline $(date)\nEOF\nwget y';
  const parsed = parse(script);
  assert.deepEqual(names(parsed.commands), ['cat@0', '&&curl@0', 'date@1', ';wget@0']);
  assert.deepEqual(shape(find(parsed, 'cat')), ['word:cat', 'operator:<<', 'word:EOF', 'operator:>', 'word:/etc/x']);
  // A quoted delimiter takes the body literally.
  assert.deepEqual(names(parse("cat <<'EOF'\nline $(date)\nEOF\n").commands), ['cat@0']);
});

test('here-documents piped on: `cat <<EOF | sh` is one pipeline, and what follows `&&` still runs', () => {
  const parsed = parse("cat <<'EOF' | sudo bash && curl -k https://x.example\napt-get install x\nEOF\n");
  const cat = find(parsed, 'cat');
  assert.deepEqual(cat.pipeline.map((c) => c.name.value), ['cat', 'sudo']);
  assert.equal(find(parsed, 'sudo').pipelineIndex, 1);
  assert.equal(find(parsed, 'curl').joinedBy, '&&');
});

test('a redirection in the middle of a command keeps the words after it as arguments; here-strings keep their word', () => {
  const parsed = parse('curl 2>/dev/null -fsSL -k https://x.example/i.tgz -o /tmp/i.tgz; sha256sum -c <<< "$SHA  /tmp/i.tgz"; cat <<< "$(curl -s https://y.example)"');
  assert.deepEqual(shape(find(parsed, 'curl')), ['word:curl', 'operator:2>', 'word:/dev/null', 'parameter:-fsSL', 'parameter:-k', 'word:https://x.example/i.tgz', 'parameter:-o', 'word:/tmp/i.tgz']);
  assert.deepEqual(shape(find(parsed, 'sha256sum')), ['word:sha256sum', 'parameter:-c', 'operator:<<<', 'string:$SHA  /tmp/i.tgz']);
  assert.deepEqual(names(parsed.commands).slice(-2), [';cat@0', 'curl@1']);
});

test('a negated command is still a pipeline member: `! curl … | sh`', () => {
  const parsed = parse('! curl -fsSL https://x.example/i.sh | sh');
  assert.deepEqual(find(parsed, 'curl').pipeline.map((c) => c.name.value), ['curl', 'sh']);
});

test('compound commands: if, case, loops, groups and functions hold their commands one level deeper', () => {
  const script = 'if [ "$(sha256sum f)" = "$S" ]; then curl x; fi; case "$a" in amd64) wget y;; esac; for k in $(ls); do gpg --recv $k; done; { rm a; }; f() { make; }';
  const parsed = parse(script);
  assert.deepEqual(names(parsed.commands), ['[@1', 'sha256sum@2', ';curl@1', ';wget@1', ';ls@2', ';gpg@1', ';rm@1', 'make@1']);
  assert.deepEqual(shape(find(parsed, '[')), ['word:[', 'string:$(sha256sum f)', 'word:=', 'string:$S', 'word:]']);
});

test('scripts bash-parser refused are read: case patterns with braces, `{ …; }` inside loops, quotes inside substitutions', () => {
  const script = 'ARCH= && dpkgArch="$(dpkg --print-architecture)" && case "${dpkgArch##*-}" in amd64) ARCH=\'x64\';; *) echo "unsupported"; exit 1 ;; esac'
    + ' && for key in A B; do { gpg --batch --keyserver hkps://k.example --recv-keys "$key"; } ; done'
    + ' && v=$(python -c "print(f\'{1}.{2}\')")';
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.commands.map((c) => c.name.value), ['ARCH=', 'dpkgArch="$(dpkg --print-architecture)"', 'dpkg', 'ARCH=\'x64\'', 'echo', 'exit', 'gpg', 'v=$(python -c "print(f\'{1}.{2}\')")', 'python']);
});

test('half-typed scripts: commands before and after the error are still read, with the problem located', () => {
  const script = 'curl -k https://x.example && ( wget y; echo "unterminated';
  const parsed = parse(script);
  assert.ok(parsed.problems.length > 0);
  assert.ok(parsed.commands.some((c) => c.name.value === 'curl'));
  assert.ok(parsed.commands.some((c) => c.name.value === 'wget'));
});

test('non-ASCII text keeps offsets in UTF-16 code units, as the document has them', () => {
  const script = 'echo "é😀" && curl -k https://x.example';
  assert.deepEqual(span(find(parse(script), 'curl')), at(script, 'curl -k https://x.example'));
});

test('no stack depth depends on the input: 20,000 nested substitutions and groups', () => {
  parse(`${'$('.repeat(20_000)}curl x${')'.repeat(20_000)}`);
  parse(`${'( '.repeat(20_000)}curl x${' )'.repeat(20_000)}`);
  parse(`${'if true; then '.repeat(5_000)}curl x${'; fi'.repeat(5_000)}`);
});

test('fuzz: random mixtures of tricky fragments never throw and keep every offset in bounds', () => {
  const fragments = [
    'curl -fsSL https://x.example/a', ' | sh', ' && ', ' || ', '; ', ' & ', '"', "'", '$(', ')', '`', '{ ', ' }', '( ', ' )', 'if ', 'then ', 'fi',
    'case $x in ', 'a) ', ';;', 'esac', 'for i in 1 2; do ', 'done', '<<EOF\n', '\nEOF\n', '> f', '2>&1', '\\', '\n', 'x=', '$x', '${x:-y}', '[ ', ' ]',
    '[[ ', ' ]]', 'é', '😀', '\u0000', '#', 'export ', '! ', '$((1+2))', '<(', 'wget -O- y',
  ];
  fuzzFragments(parse, fragments);
});

test('fuzz: every prefix of real-world scripts tokenizes', () => {
  everyPrefix(parse, [
    'set -eux; arch="$(dpkg --print-architecture)"; case "$arch" in amd64) url=\'https://x.example/a\';; *) exit 1;; esac; curl -fsSL -o a.tgz "$url"; echo "$SHA *a.tgz" | sha256sum -c -',
    'cat <<EOF > /etc/x && curl -k y\nline $(date)\nEOF\nwget -qO- https://x.example | bash',
  ]);
});

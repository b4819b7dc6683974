import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { isScalar, type Node, type Scalar } from 'yaml';
import { createDocument } from '../text';
import { CORPUS, corpusDockerfiles } from '../testing';
import { forEachNode, mergedPairsOf, parseYaml, scalarText } from './yamlDocument';

/** Checks every scalar of `text`: value equals the loader's, offsets are in bounds, ordered and exact. */
function checkAll(text: string, options: { exact?: boolean } = {}): number {
  const document = createDocument(text, 'untitled:x.yml');
  const parsed = parseYaml(text);
  let count = 0;
  for (const yamlDocument of parsed.documents) {
    forEachNode(yamlDocument, (node: Node) => {
      if (!isScalar(node)) return;
      const mapped = scalarText(document, node);
      if (!mapped) return;
      count++;
      checkMapped(text, node, mapped, options.exact ?? true);
    });
  }
  return count;
}

function checkMapped(text: string, scalar: Scalar, mapped: { text: string; offsets: number[]; opaqueSpan?: [number, number] }, exact: boolean): void {
  const where = () => `scalar at ${scalar.range?.[0]}: ${JSON.stringify(text.slice(scalar.range?.[0], scalar.range?.[1]).slice(0, 120))}`;
  assert.equal(mapped.offsets.length, mapped.text.length + 1, where());
  for (const offset of mapped.offsets) if (!(offset >= 0 && offset <= text.length)) assert.fail(`offset ${offset} out of bounds, ${where()}`);
  if (typeof scalar.value === 'string') assert.equal(mapped.text, scalar.value, where());
  if (!exact) return;
  assert.equal(mapped.opaqueSpan, undefined, `opaque: ${where()}`);
  for (let i = 1; i < mapped.offsets.length; i++) if (mapped.offsets[i]! < mapped.offsets[i - 1]!) assert.fail(`offsets decrease at ${i}, ${where()}`);
  for (let i = 0; i < mapped.text.length; i++) {
    const ch = mapped.text[i]!;
    const source = text[mapped.offsets[i]!];
    const literal = source === ch;
    const lineBreak = (ch === ' ' || ch === '\n') && (source === '\n' || source === '\r' || source === undefined);
    const escape = source === '\\';
    if (!(literal || lineBreak || escape)) assert.fail(`char ${i} ${JSON.stringify(ch)} maps to ${JSON.stringify(source)}, ${where()}`);
  }
}

/** The mapped text of the value of `key:` in a one-key document. */
function valueAt(text: string, key = 'k') {
  const parsed = parseYaml(text);
  let found: Scalar | null = null;
  forEachNode(parsed.documents[0]!, (node) => {
    if (isScalar(node) && found === null && node.value !== key && node.range![0] > text.indexOf(`${key}:`)) found = node;
  });
  assert.ok(found, 'value found');
  const mapped = scalarText(createDocument(text), found)!;
  checkMapped(text, found, mapped, true);
  return { mapped, scalar: found as Scalar, at: (i: number) => text[mapped.offsets[i]!] };
}

test('plain scalars: one line maps one to one; folded lines map their space to the line break', () => {
  const single = valueAt('k: echo hello # comment\n');
  assert.equal(single.mapped.text, 'echo hello');
  assert.deepEqual(single.mapped.offsets, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  const folded = valueAt('k: echo a\n  b   \n\n  c\n');
  assert.equal(folded.mapped.text, 'echo a b\nc');
  assert.equal(folded.at(6), '\n');
  assert.equal(folded.mapped.offsets[7], 'k: echo a\n  '.length);
  const crlf = valueAt('k: one\r\n  two\r\n');
  assert.equal(crlf.mapped.text, 'one two');
  assert.equal(crlf.at(3), '\n');
});

test('single-quoted: doubled quotes are one quote mapped to the first; folding as plain', () => {
  const v = valueAt("k: 'it''s a\n  ''x'''\n");
  assert.equal(v.mapped.text, "it's a 'x'");
  assert.equal(v.mapped.offsets[2], 6);
  assert.equal(v.mapped.offsets[3], 8);
  const empty = valueAt("k: ''\n");
  assert.equal(empty.mapped.text, '');
});

test('double-quoted: escapes map to their backslash; escaped line breaks vanish; folds', () => {
  const v = valueAt('k: "a\\tb\\n\\"q\\" \\\\ \\x41\\u00e9\\U0001F600 c\\\n    d\n\n   e  \n  f"\n');
  assert.equal(v.scalar.value, 'a\tb\n"q" \\ Aé😀 cd\ne f');
  assert.equal(v.at(1), '\\');
  assert.equal(v.at(3), '\\');
  assert.equal(v.mapped.text.indexOf('d'), v.mapped.text.indexOf('c') + 1);
  const crlf = valueAt('k: "x \r\n  y\\\r\n  z"\r\n');
  assert.equal(crlf.mapped.text, 'x yz');
  const bad = valueAt('k: "\\q \\xZZ"\n');
  assert.equal(bad.mapped.text, '\\q \\xZZ');
});

test('literal block scalars: clip, strip, keep, indentation indicator, CRLF, tabs inside', () => {
  const clip = valueAt('k: |\n  echo a\n    indented\n  \ttab\n  b\n\n');
  assert.equal(clip.mapped.text, 'echo a\n  indented\n\ttab\nb\n');
  assert.equal(clip.mapped.text, clip.scalar.value);
  const strip = valueAt('k: |-\n  echo a\n  echo b\n\n');
  assert.equal(strip.mapped.text, 'echo a\necho b');
  assert.deepEqual(strip.mapped.offsets.slice(0, 4), [8, 9, 10, 11]);
  assert.equal(strip.at(6), '\n');
  const keep = valueAt('k: |+\n  a\n\n\n');
  assert.equal(keep.mapped.text, 'a\n\n\n');
  const indicator = valueAt('k: |2\n    four\n  two\n');
  assert.equal(indicator.mapped.text, '  four\ntwo\n');
  assert.equal(indicator.at(0), ' ');
  const crlf = valueAt('k: |\r\n  a\r\n  b\r\n');
  assert.equal(crlf.mapped.text, 'a\nb\n');
  const noFinalBreak = valueAt('k: |\n  a');
  assert.equal(noFinalBreak.mapped.text, 'a\n');
  const leading = valueAt('k: |\n\n   \n  a\n');
  assert.equal(leading.mapped.text, leading.scalar.value);
  const comment = valueAt('k: | # a comment\n  x\n');
  assert.equal(comment.mapped.text, 'x\n');
  assert.equal(comment.at(0), 'x');
  const empty = valueAt('k: |+\n\n\nz: 1\n');
  assert.equal(empty.mapped.text, empty.scalar.value);
});

test('folded block scalars: a folded line break becomes a space mapped to the line break', () => {
  const v = valueAt('k: >\n  one\n  two\n\n  three\n    more\n  four\n');
  assert.equal(v.mapped.text, 'one two\nthree\n  more\nfour\n');
  assert.equal(v.at(3), '\n');
  const strip = valueAt('k: >-\n  a\n  b\n');
  assert.equal(strip.mapped.text, 'a b');
});

test('anchors, aliases, flow collections, tags, multi-document and tabs', () => {
  const text = [
    'a: &x "run it"',
    'b: *x',
    'c: [one, "two", \'three\', {d: four}]',
    'e: !!str 5',
    'f: !custom |',
    '  tagged',
    '---',
    'g: "second doc"',
    'h:\tafter tab',
    '',
  ].join('\n');
  assert.ok(checkAll(text) >= 10);
});

test('non-string scalars give their source text', () => {
  const text = 'k: 0x1F\n';
  const parsed = parseYaml(text);
  const scalar = (parsed.documents[0]!.contents as { items: Array<{ value: Scalar }> }).items[0]!.value;
  assert.equal(scalarText(createDocument(text), scalar)!.text, '0x1F');
});

test('never throws, and absurd nesting does not overflow the stack', () => {
  for (const text of ['', '\n', '---\n---\n', 'k: "unterminated', "k: 'x", 'k: |', 'k: >-\n', ': : :', '- - - -', '[', '{', '"\\', 'k: "\\U0011FFFF"', '\t- x', '%YAML 1.1\n---\nk: v', '&a [*a]', '*undefined']) {
    assert.doesNotThrow(() => checkAll(text, { exact: false }), text);
  }
  for (const open of ['[', '{a: ', '- ']) {
    const deep = `k: ${open.repeat(10_000)}x`;
    assert.doesNotThrow(() => checkAll(deep, { exact: false }));
    const closed = `k: ${open.repeat(10_000)}x${(open === '[' ? ']' : open === '- ' ? '' : '}').repeat(10_000)}`;
    assert.doesNotThrow(() => checkAll(closed, { exact: false }));
  }
  let nested = '';
  for (let i = 0; i < 2_000; i++) nested += `${' '.repeat(i)}k${i}:\n`;
  assert.doesNotThrow(() => checkAll(nested, { exact: false }));
});

const pipelineFolders = ['github-workflows', 'azure-pipelines', 'gitlab-ci'];
const haveCorpus = fs.existsSync(CORPUS);

test('corpus: every scalar of every pipeline file maps exactly', { skip: !haveCorpus && 'shared/corpus is absent' }, () => {
  let scalars = 0;
  let files = 0;
  for (const file of corpusDockerfiles(pipelineFolders)) {
    files++;
    try {
      scalars += checkAll(file.text);
    } catch (error) {
      (error as Error).message = `${file.name}: ${(error as Error).message}`;
      throw error;
    }
  }
  console.log(`yamlDocument corpus: ${files} files, ${scalars} scalars mapped exactly`);
  assert.ok(files > 500);
});

test('corpus: every prefix of a few files (half-typed) parses without throwing, offsets in bounds', { skip: !haveCorpus && 'shared/corpus is absent' }, () => {
  const files = corpusDockerfiles(pipelineFolders).filter((file) => /(zizmor\.yml|template-injection\.yml|libxml2\/\.gitlab-ci\.yml|AArnott__Library\.Template\/azure-pipelines\.yml)$/.test(file.name));
  assert.ok(files.length >= 3, files.map((f) => f.name).join());
  for (const file of files) {
    const step = Math.max(1, Math.ceil(file.text.length / 800));
    for (let end = 0; end <= file.text.length; end += step) checkAll(file.text.slice(0, end), { exact: false });
  }
});

test('merge keys: own keys win, then the sources in order (each fully, its own merges included), cycles stop; merged pairs are the anchored text', () => {
  const text = 'a: &a {x: a, <<: &c {z: c, w: c}}\nb: &b {x: b, y: b, w: b}\njob:\n  <<: [*a, *b]\n  y: own\ncycle: &d\n  <<: *d\n  k: v\n';
  const parsed = parseYaml(text);
  const yaml = parsed.documents[0]!;
  const job = (yaml.contents as { get(key: string, keep: boolean): unknown }).get('job', true);
  const pairs = mergedPairsOf(yaml, job);
  assert.deepEqual(pairs.map((pair) => `${pair.key}=${(pair.value as Scalar).value}`), ['y=own', 'x=a', 'z=c', 'w=c']);
  // `x: a` is located where it is written, in the anchored mapping.
  const x = pairs.find((pair) => pair.key === 'x')!;
  assert.equal((x.keyNode as Scalar).range![0], text.indexOf('x: a'));
  const cycle = (yaml.contents as { get(key: string, keep: boolean): unknown }).get('cycle', true);
  assert.deepEqual(mergedPairsOf(yaml, cycle).map((pair) => pair.key), ['k']);
});

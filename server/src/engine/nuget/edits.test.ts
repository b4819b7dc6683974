import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, createDocument } from '../text';
import { indentUnit, insertChild, removeAttribute, replaceValue } from './edits';
import { attribute, parseXml } from './xml';

function setup(text: string) {
  const document = createDocument(text);
  const root = parseXml(document).root!;
  return { document, root, section: root.children[0]! };
}

test('indentUnit: the step between a parent and a child on their own lines, else two spaces', () => {
  assert.equal(indentUnit(setup('<c>\n    <a>\n        <b />\n    </a>\n</c>').document, setup('<c>\n    <a>\n        <b />\n    </a>\n</c>').root), '    ');
  const tabs = setup('<c>\n\t<a />\n</c>');
  assert.equal(indentUnit(tabs.document, tabs.root), '\t');
  const flat = setup('<c><a><b/></a></c>');
  assert.equal(indentUnit(flat.document, flat.root), '  ');
  assert.equal(indentUnit(flat.document, undefined), '  ');
});

test('insertChild last: before the closing tag, at the child indentation, with the file line breaks', () => {
  for (const eol of ['\n', '\r\n']) {
    const text = ['<configuration>', '\t<packageSources>', '\t\t<add key="a" value="b" />', '\t</packageSources>', '</configuration>', ''].join(eol);
    const { document, root, section } = setup(text);
    const out = applyEdits(text, [insertChild(document, root, section, '<x>\n\t<y />\n</x>')]);
    assert.equal(out, ['<configuration>', '\t<packageSources>', '\t\t<add key="a" value="b" />', '\t\t<x>', '\t\t\t<y />', '\t\t</x>', '\t</packageSources>', '</configuration>', ''].join(eol));
  }
});

test('insertChild first: on the line after the opening tag, above comments of the first child', () => {
  const text = '<configuration>\n    <packageSources>\n        <!-- keep with a -->\n        <add key="a" />\n    </packageSources>\n</configuration>\n';
  const { document, root, section } = setup(text);
  assert.equal(applyEdits(text, [insertChild(document, root, section, '<clear />', 'first')]), text.replace('<packageSources>\n', '<packageSources>\n        <clear />\n'));
});

test('insertChild into an empty element, a self-closing one, and one on a single line', () => {
  const empty = '<configuration>\n  <packageSources>\n  </packageSources>\n</configuration>';
  let s = setup(empty);
  assert.equal(applyEdits(empty, [insertChild(s.document, s.root, s.section, '<clear />', 'first')]), empty.replace('<packageSources>\n', '<packageSources>\n    <clear />\n'));
  assert.equal(applyEdits(empty, [insertChild(s.document, s.root, s.section, '<clear />', 'last')]), empty.replace('<packageSources>\n', '<packageSources>\n    <clear />\n'));
  const selfClosing = '<configuration>\r\n  <PackageSources  />\r\n</configuration>';
  s = setup(selfClosing);
  assert.equal(applyEdits(selfClosing, [insertChild(s.document, s.root, s.section, '<clear />')]), '<configuration>\r\n  <PackageSources>\r\n    <clear />\r\n  </PackageSources>\r\n</configuration>');
  const oneLine = '<configuration><packageSources><add key="a" /></packageSources></configuration>';
  s = setup(oneLine);
  const out = applyEdits(oneLine, [insertChild(s.document, s.root, s.section, '<clear />', 'last')]);
  assert.equal(out, '<configuration><packageSources><add key="a" />\n  <clear />\n</packageSources></configuration>');
  assert.equal(parseXml(createDocument(out)).problem, undefined);
});

test('replaceValue, removeAttribute', () => {
  const text = '<configuration>\n  <packageSources>\n    <add key="a" value="http://a" allowInsecureConnections="true" protocolVersion="3" />\n  </packageSources>\n</configuration>';
  const { document, section } = setup(text);
  const add = section.children[0]!;
  assert.equal(applyEdits(text, [replaceValue(attribute(add, 'value')!, 'https://a')]), text.replace('"http://a"', '"https://a"'));
  assert.equal(applyEdits(text, [removeAttribute(document, attribute(add, 'allowInsecureConnections')!)]), text.replace(' allowInsecureConnections="true"', ''));
});

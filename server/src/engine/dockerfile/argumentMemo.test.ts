import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerfileParser, ModifiableInstruction } from 'dockerfile-ast';
import { argumentsMemoised, freshRawArguments } from './argumentMemo';
import { corpusDockerfiles } from '../testing';

const plain = (args: Array<{ getValue(): string; getRange(): unknown }>) => args.map((a) => [a.getValue(), a.getRange()]);

test('dockerfile-ast argument split is memoised and equal to a fresh split', () => {
  assert.equal(argumentsMemoised, true);
  const text = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build',
    'ADD --checksum=sha256:abc https://example.com/a.zip C:\\\\a.zip',
    'RUN powershell -Command \\',
    '    # a comment inside the continuation',
    '    Invoke-WebRequest https://example.com/x -OutFile x.zip',
    'COPY --from=build --chown=app ["a b", "c"]',
    'RUN <<EOF',
    'echo hi',
    'EOF',
    'ENV A=1 B="two words"',
  ].join('\n');
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const fresh = freshRawArguments(instruction);
    instruction.getArguments();
    assert.deepEqual(plain((instruction as unknown as { getRawArguments(): typeof fresh }).getRawArguments()), plain(fresh));
  }
});

test('callers get their own copy: ModifiableInstruction.getArguments shifting flags off leaves the memo whole', () => {
  const [, add] = DockerfileParser.parse('FROM x\nADD --checksum=sha256:abc https://example.com/a /a\n').getInstructions();
  assert.ok(add instanceof ModifiableInstruction);
  const first = add.getArguments().map((a) => a.getValue());
  first.length = 0;
  assert.deepEqual(add.getArguments().map((a) => a.getValue()), ['https://example.com/a', '/a']);
  assert.deepEqual(add.getFlags().map((f) => f.getName()), ['checksum']);
  assert.equal(add.getArgumentsContent(), 'https://example.com/a /a');
});

test('the memo gives the same arguments, ranges and flags as dockerfile-ast on the corpus', (t) => {
  const files = corpusDockerfiles();
  if (files.length === 0) return t.skip('no corpus');
  for (const file of files) {
    for (const instruction of DockerfileParser.parse(file.text).getInstructions()) {
      const memoised = (instruction as unknown as { getRawArguments(): ReturnType<typeof freshRawArguments> }).getRawArguments();
      assert.deepEqual(plain(memoised), plain(freshRawArguments(instruction)), `${file.name} line ${instruction.getRange().start.line + 1}`);
    }
  }
});

test('across versions: an unchanged instruction reuses the previous split, and every split equals a fresh one', () => {
  const lines = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'RUN powershell -Command \\',
    '    Invoke-WebRequest https://example.com/x -OutFile x.zip',
    'COPY a b',
    'RUN echo one two',
  ];
  const versions = [
    lines.join('\n'),
    // Typing on line 3 (the later instructions keep their lines and characters).
    [...lines.slice(0, 2), `${lines[2]}; Expand-Archive x.zip`, ...lines.slice(3)].join('\n'),
    // A line inserted above: every later instruction moves down, so nothing may be reused wrongly.
    ['# note', ...lines].join('\n'),
    // The escape directive changes how the same text splits.
    ['# escape=`', ...lines].join('\n'),
    // CRLF line breaks.
    lines.join('\r\n'),
  ];
  let previous: ReturnType<typeof freshRawArguments> | null = null;
  for (const text of versions) {
    const instructions = DockerfileParser.parse(text).getInstructions();
    for (const instruction of instructions) {
      const memoised = (instruction as unknown as { getRawArguments(): ReturnType<typeof freshRawArguments> }).getRawArguments();
      assert.deepEqual(plain(memoised), plain(freshRawArguments(instruction)), `${JSON.stringify(text)}: ${instruction.getKeyword()}`);
    }
    const last = (instructions[instructions.length - 1] as unknown as { getRawArguments(): ReturnType<typeof freshRawArguments> }).getRawArguments();
    if (text === versions[1]) {
      // `RUN echo one two` did not move: the same Argument objects as in the first version.
      assert.equal(last[0], previous![0]);
    }
    previous = last;
  }
});

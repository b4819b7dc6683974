import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeCmd } from './cmd';
import { at, checkInvariants, everyPrefix, find, fuzzFragments, shape, span } from './tokenizerTesting';
import type { ParsedScript } from './types';

// ── helpers ──

function parse(script: string, depth = 0): ParsedScript {
  const parsed = tokenizeCmd(script, depth);
  checkInvariants(script, parsed, 'cmd', depth, false);
  return parsed;
}


// ── separators and pipelines ──

test('commands are separated by & && || and line breaks; | builds pipelines', () => {
  const script = 'a 1 & b && c || d\r\ne | f | g\n&\nh';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map((c) => [c.name.value, c.joinedBy, c.pipelineIndex]), [
    ['a', undefined, 0], ['b', '&', 0], ['c', '&&', 0], ['d', '||', 0], ['e', '\n', 0], ['f', undefined, 1], ['g', undefined, 2], ['h', '&', 0],
  ]);
  const e = find(parsed, 'e');
  assert.deepEqual(e.pipeline.map((c) => c.name.value), ['e', 'f', 'g']);
  assert.equal(find(parsed, 'g').pipeline, e.pipeline);
  assert.deepEqual(span(find(parsed, 'a')), at(script, 'a 1'));
  assert.deepEqual(span(find(parsed, 'd')), at(script, 'd'));
  assert.deepEqual(parsed.problems, []);
});

// ── words, quotes, escapes ──

test('^ escapes the next character outside quotes; ^ + line break continues the line', () => {
  const script = 'echo a^&b ^| c^^d ^\nnext^\r\nline & x';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [['word:echo', 'word:a&b', 'word:|', 'word:c^d', 'word:nextline'], ['word:x']]);
  assert.deepEqual(span(parsed.commands[0]!.args[0]!), at(script, 'a^&b'));
  assert.equal(parsed.commands[0]!.args[3]!.raw, 'next^\r\nline');
});

test('double quotes group text: separators are plain inside, quotes are removed from the value', () => {
  const script = 'findstr /c:"a & b | c" "C:\\Program Files\\x" pre"fix & more"post "" "^&"';
  const command = parse(script).commands[0]!;
  assert.deepEqual(shape(command), [
    'word:findstr', 'parameter:/c:a & b | c', 'string:C:\\Program Files\\x', 'word:prefix & morepost', 'string:', 'string:^&',
  ]);
  assert.deepEqual(span(command.args[1]!), at(script, '"C:\\Program Files\\x"'));
  assert.equal(command.args[0]!.raw, '/c:"a & b | c"');
});

test('argument values follow the C runtime rules: "" inside quotes and \\" are literal quotes', () => {
  const script = 'powershell -Command "Write-Host \\"hi there\\"; iwr x" "a""b" C:\\dir\\ "x\\\\" "q\\\\\\"r"';
  const command = parse(script).commands[0]!;
  assert.deepEqual(command.args.map((t) => t.value), ['-Command', 'Write-Host "hi there"; iwr x', 'a"b', 'C:\\dir\\', 'x\\', 'q\\"r']);
  assert.equal(command.args[1]!.kind, 'string');
  assert.deepEqual(span(command.args[1]!), at(script, '"Write-Host \\"hi there\\"; iwr x"'));
  // cmd itself toggles its quote state at every quote, \" included: here `&` is outside cmd's quotes.
  const split = parse('echo "a \\"b & c');
  assert.deepEqual(split.commands.map((c) => c.name.value), ['echo', 'c']);
});

test('%VAR% and !VAR! stay as written; alone they are variable tokens', () => {
  const script = 'echo %PATH% !X! %%i %1 %~dp0 C:\\%USERNAME%\\x "%ProgramFiles%\\y" 100%';
  const command = parse(script).commands[0]!;
  assert.deepEqual(shape(command), [
    'word:echo', 'variable:%PATH%', 'variable:!X!', 'variable:%%i', 'variable:%1', 'variable:%~dp0', 'word:C:\\%USERNAME%\\x',
    'string:%ProgramFiles%\\y', 'word:100%',
  ]);
});

test('parameters: /x and /? and -x and --x; other words are not', () => {
  const command = parse('choco install -y git --version=2.44.0 /S /? /add -1 / - C:/x').commands[0]!;
  assert.deepEqual(command.args.map((t) => `${t.kind}:${t.raw}`), [
    'word:install', 'parameter:-y', 'word:git', 'parameter:--version=2.44.0', 'parameter:/S', 'parameter:/?', 'parameter:/add',
    'word:-1', 'word:/', 'word:-', 'word:C:/x',
  ]);
});

test('@ before a command silences its echo and is not part of the name', () => {
  const script = '@echo off & @ del x';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [['word:echo', 'word:off'], ['word:del', 'word:x']]);
  assert.deepEqual(span(parsed.commands[0]!), at(script, 'echo off'));
  assert.deepEqual(span(parsed.commands[1]!.name), at(script, 'del'));
});

test('redirections: >, >>, <, 2>&1, >nul, 2>nul, also before the command name', () => {
  const script = 'dir > out.txt 2>&1 & sort < in.txt >>log 2>nul & >nul del x';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [
    ['word:dir', 'operator:>', 'word:out.txt', 'operator:2>&1'],
    ['word:sort', 'operator:<', 'word:in.txt', 'operator:>>', 'word:log', 'operator:2>', 'word:nul'],
    ['word:del', 'operator:>', 'word:nul', 'word:x'],
  ]);
  assert.deepEqual(span(parsed.commands[0]!.args[2]!), at(script, '2>&1'));
  assert.deepEqual(span(parsed.commands[2]!), at(script, '>nul del x'));
});

test('rem and :: comments and labels produce no tokens', () => {
  const script = 'rem download & install\nREM.\n:: comment & x\n:label\n  a & rem tail | b\nremark y';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [['word:a'], ['word:remark', 'word:y']]);
});

// ── blocks and control commands ──

test('parenthesised blocks are tokenized one level deeper, across lines', () => {
  const script = '(\n  mkdir C:\\a\n  cd C:\\a & (echo x)\n) > log.txt & after';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map((c) => [c.name.raw.split('\n')[0], c.depth]), [['(', 0], ['mkdir', 1], ['cd', 1], ['(echo x)', 1], ['echo', 2], ['after', 0]]);
  const block = parsed.commands[0]!;
  assert.equal(block.name.kind, 'group');
  assert.equal(block.name.open, '(');
  assert.deepEqual(block.name.inner!.map((c) => c.name.value), ['mkdir', 'cd', '(echo x)']);
  assert.deepEqual(shape(block).slice(1), ['operator:>', 'word:log.txt']);
  assert.equal(find(parsed, 'cd').joinedBy, '\n');
  assert.equal(find(parsed, 'after').joinedBy, '&');
});

test('if: condition forms, blocks, else, and inline bodies that become commands of their own', () => {
  const script = [
    'if exist C:\\x (del C:\\x) else (echo none)',
    'if /i "%A%"=="yes" echo yes',
    'if not defined FOO set FOO=1',
    'if %ERRORLEVEL% neq 0 exit /b 1',
    'if errorlevel 1 (',
    '  echo failed',
    ')',
    'if a == b (echo eq) else echo ne',
    'if "%V%"=="" echo empty',
  ].join('\n');
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map((c) => [c.name.value, c.depth]), [
    ['if', 0], ['del', 1], ['echo', 1], ['if', 0], ['echo', 0], ['if', 0], ['set', 0], ['if', 0], ['exit', 0], ['if', 0], ['echo', 1],
    ['if', 0], ['echo', 1], ['echo', 0], ['if', 0], ['echo', 0],
  ]);
  const [first, second, third, fourth] = parsed.commands.filter((c) => c.name.value === 'if');
  assert.deepEqual(shape(first!).map((s) => s.split(':')[0]), ['word', 'word', 'word', 'group', 'word', 'group']);
  assert.deepEqual(shape(second!), ['word:if', 'parameter:/i', 'word:%A%==yes']);
  assert.deepEqual(shape(third!), ['word:if', 'word:not', 'word:defined', 'word:FOO']);
  assert.deepEqual(shape(fourth!), ['word:if', 'variable:%ERRORLEVEL%', 'word:neq', 'word:0']);
  assert.deepEqual(shape(find(parsed, 'exit')), ['word:exit', 'parameter:/b', 'word:1']);
  assert.deepEqual(shape(find(parsed, 'set')), ['word:set', 'word:FOO=1']);
  assert.deepEqual(parsed.commands.filter((c) => c.depth === 0 && c.name.value === 'echo').map((c) => c.joinedBy), [undefined, undefined, undefined]);
  assert.deepEqual(shape(parsed.commands[parsed.commands.length - 3]!), ['word:echo', 'word:ne']);
  assert.deepEqual(shape(parsed.commands[parsed.commands.length - 2]!), ['word:if', 'word:%V%==']);
  assert.deepEqual(shape(parsed.commands[parsed.commands.length - 1]!), ['word:echo', 'word:empty']);
});

test('for: the set and the body are blocks; an inline body is its own command', () => {
  const script = 'for /f "tokens=*" %%i in (\'dir /b *.msi\') do (msiexec /i %%i /qn) & for %%f in (a b) do del %%f';
  const parsed = parse(script);
  const [loop, second] = parsed.commands.filter((c) => c.name.value === 'for');
  assert.deepEqual(shape(loop!).map((s) => s.split(':')[0]), ['word', 'parameter', 'string', 'variable', 'word', 'group', 'word', 'group']);
  assert.deepEqual(shape(loop!).slice(1, 5), ['parameter:/f', 'string:tokens=*', 'variable:%%i', 'word:in']);
  assert.deepEqual(span(loop!.args[4]!), at(script, "('dir /b *.msi')"));
  assert.deepEqual(shape(find(parsed, 'msiexec')), ['word:msiexec', 'parameter:/i', 'variable:%%i', 'parameter:/qn']);
  assert.equal(find(parsed, 'msiexec').depth, 1);
  assert.deepEqual(shape(second!), ['word:for', 'variable:%%f', 'word:in', 'group:(a b)', 'word:do']);
  assert.deepEqual(shape(find(parsed, 'del')), ['word:del', 'variable:%%f']);
  assert.equal(find(parsed, 'del').depth, 0);
});

test('wrappers are plain tokens: cmd /S /C "…" and powershell -Command "…" keep value and offsets', () => {
  const script = 'cmd /S /C "curl -k https://x & echo done" & powershell -NoProfile -Command "iex (iwr https://y)"';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [
    ['word:cmd', 'parameter:/S', 'parameter:/C', 'string:curl -k https://x & echo done'],
    ['word:powershell', 'parameter:-NoProfile', 'parameter:-Command', 'string:iex (iwr https://y)'],
  ]);
  assert.deepEqual(span(parsed.commands[0]!.args[2]!), at(script, '"curl -k https://x & echo done"'));
  assert.deepEqual(span(parsed.commands[1]!.args[2]!), at(script, '"iex (iwr https://y)"'));
  const quotedName = parse('"C:\\Program Files\\Git\\bin\\git.exe" clone x').commands[0]!;
  assert.deepEqual(shape(quotedName), ['string:C:\\Program Files\\Git\\bin\\git.exe', 'word:clone', 'word:x']);
});

// ── problems and robustness ──

test('unterminated quotes and blocks are problems; tokens close at the end', () => {
  const quote = parse('echo "abc & def\nnext');
  assert.deepEqual(quote.problems.map((p) => [p.message, p.start]), [['Unterminated quoted string', 5]]);
  assert.deepEqual(quote.commands.map(shape), [['word:echo', 'string:abc & def'], ['word:next']]);
  const block = parse('if x (del y & (echo z');
  assert.deepEqual(block.problems.map((p) => p.message), ["Missing closing ')'", "Missing closing ')'"]);
  assert.deepEqual(block.commands.map((c) => [c.name.value, c.depth]), [['if', 0], ['del', 1], ['(echo z', 1], ['echo', 2]]);
  assert.ok(parse(') x').problems.some((p) => p.message === "Unexpected ')'"));
  assert.ok(parse('a |').problems.some((p) => p.message === 'Missing command after |'));
  // Outside a block a `)` in an argument is plain text.
  assert.deepEqual(shape(parse('echo a)b').commands[0]!), ['word:echo', 'word:a)b']);
});

test('the depth argument offsets every command (wrapped scripts)', () => {
  const parsed = parse('a & (b)', 1);
  assert.deepEqual(parsed.commands.map((c) => c.depth), [1, 1, 2]);
});

test('fuzz: random mixtures of tricky fragments never throw and keep every offset in bounds', () => {
  const fragments = [
    'curl', ' ', ' ', '\t', '\n', '\r\n', '&', '&&', '||', '|', '(', ')', '"', '""', '\\"', '\\', '^', '^\n', '^"', '%', '%X%',
    '!Y!', '%%i', '@', '>', '>>', '<', '2>&1', '2>', 'nul', 'rem ', '::', ':', 'if', 'not', 'exist', 'else', 'for', 'in', 'do',
    '==', 'equ', '/c', '/S', '-k', '--x', 'x', 'C:\\a b', '\u00e9', "'",
  ];
  fuzzFragments(parse, fragments);
});

test('fuzz: every prefix of tricky scripts tokenizes', () => {
  const scripts = [
    'if not exist "C:\\t x" (mkdir "C:\\t x" & echo ^(made^)) else (echo exists) & for /f "tokens=*" %%i in (\'dir /b\') do @echo %%i',
    'powershell -Command "Write-Host \\"a & b\\"; iwr x" 2>&1 >nul || (rem fail\n exit /b 1)',
    '@set "P=%PATH%;C:\\x" && curl.exe -fSLo a.zip https://x/a.zip ^\n && tar -xf a.zip | findstr /i "ok"',
  ];
  everyPrefix(parse, scripts);
});

test('pathological input: deep nesting and long inputs finish quickly without throwing', () => {
  const inputs = [
    '('.repeat(10_000), ')'.repeat(10_000), 'if x ('.repeat(10_000), '"'.repeat(100_001), '\\'.repeat(100_000) + '"', '^'.repeat(100_001),
    'a'.repeat(100_000), '%'.repeat(100_000), `%${'a'.repeat(100_000)}%`, '&'.repeat(100_000), '|'.repeat(100_000), '>'.repeat(100_000),
    '2>'.repeat(50_000), ':'.repeat(100_000), 'rem x\n'.repeat(20_000), 'if a==b '.repeat(10_000), 'for %i in (a) do '.repeat(5_000),
    '\n'.repeat(100_000), '@'.repeat(100_000), '\\"a b'.repeat(20_000), '(a) '.repeat(25_000),
  ];
  for (const script of inputs) {
    const started = Date.now();
    const parsed = parse(script);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `${JSON.stringify(script.slice(0, 12))}… took ${elapsed} ms`);
    assert.ok(parsed.problems.length <= 100);
  }
  assert.ok(parse('('.repeat(10_000)).problems.some((p) => /Nesting deeper/.test(p.message)));
});

// ── realistic RUN scripts ──

test('RUN: curl download, tar extract and delete chained with &&', () => {
  const script = 'curl.exe -fSLo node.zip https://nodejs.org/dist/v20.0.0/node-v20.0.0-win-x64.zip && tar -xf node.zip && del node.zip';
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.commands.map(shape), [
    ['word:curl.exe', 'parameter:-fSLo', 'word:node.zip', 'word:https://nodejs.org/dist/v20.0.0/node-v20.0.0-win-x64.zip'],
    ['word:tar', 'parameter:-xf', 'word:node.zip'],
    ['word:del', 'word:node.zip'],
  ]);
  assert.deepEqual(parsed.commands.map((c) => c.joinedBy), [undefined, '&&', '&&']);
  assert.deepEqual(span(parsed.commands[0]!), at(script, 'curl.exe -fSLo node.zip https://nodejs.org/dist/v20.0.0/node-v20.0.0-win-x64.zip'));
  assert.deepEqual(span(parsed.commands[0]!.args[2]!), at(script, 'https://nodejs.org/dist/v20.0.0/node-v20.0.0-win-x64.zip'));
  assert.deepEqual(span(parsed.commands[2]!), at(script, 'del node.zip'));
});

test('RUN: net user with a password and adding it to Administrators', () => {
  const script = 'net user app P@ssw0rd! /add && net localgroup Administrators app /add';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [
    ['word:net', 'word:user', 'word:app', 'word:P@ssw0rd!', 'parameter:/add'],
    ['word:net', 'word:localgroup', 'word:Administrators', 'word:app', 'parameter:/add'],
  ]);
  assert.deepEqual(span(parsed.commands[0]!.args[2]!), at(script, 'P@ssw0rd!'));
  assert.deepEqual(span(parsed.commands[1]!.args[3]!), at(script, '/add', 1));
});

test('RUN: certutil download, then hash piped into findstr', () => {
  const script = 'certutil -urlcache -split -f https://x/y.exe y.exe & certutil -hashfile y.exe SHA256 | findstr /i "abcd"';
  const parsed = parse(script);
  const [download, hash, findstr] = parsed.commands;
  assert.deepEqual(shape(download!), ['word:certutil', 'parameter:-urlcache', 'parameter:-split', 'parameter:-f', 'word:https://x/y.exe', 'word:y.exe']);
  assert.deepEqual(shape(hash!), ['word:certutil', 'parameter:-hashfile', 'word:y.exe', 'word:SHA256']);
  assert.deepEqual(shape(findstr!), ['word:findstr', 'parameter:/i', 'string:abcd']);
  assert.equal(hash!.joinedBy, '&');
  assert.deepEqual(hash!.pipeline, [hash, findstr]);
  assert.equal(findstr!.pipelineIndex, 1);
  assert.deepEqual(span(findstr!.args[1]!), at(script, '"abcd"'));
});

test('RUN: if not exist with blocks, then choco install', () => {
  const script = 'if not exist C:\\tools (mkdir C:\\tools) else (echo exists) & choco install -y git';
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.commands.map((c) => [c.name.value, c.depth, c.joinedBy]), [
    ['if', 0, undefined], ['mkdir', 1, undefined], ['echo', 1, undefined], ['choco', 0, '&'],
  ]);
  const ifCommand = parsed.commands[0]!;
  assert.deepEqual(ifCommand.args.map((t) => `${t.kind}:${t.raw}`), [
    'word:not', 'word:exist', 'word:C:\\tools', 'group:(mkdir C:\\tools)', 'word:else', 'group:(echo exists)',
  ]);
  assert.deepEqual(span(ifCommand), at(script, 'if not exist C:\\tools (mkdir C:\\tools) else (echo exists)'));
  assert.deepEqual(span(find(parsed, 'mkdir')), at(script, 'mkdir C:\\tools'));
  assert.deepEqual(shape(find(parsed, 'choco')), ['word:choco', 'word:install', 'parameter:-y', 'word:git']);
});

test('RUN: setx, icacls and a PowerShell one-liner in a multi-line cmd script', () => {
  const script = 'setx /M PATH "%PATH%;C:\\app\\bin" && ^\nicacls C:\\app /grant "Users":(OI)(CI)F /T && ^\npowershell -NoProfile -Command "[Net.ServicePointManager]::SecurityProtocol = \'Tls12\'; iwr https://x -OutFile C:\\x.zip"';
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.commands.map((c) => c.name.value), ['setx', 'icacls', 'powershell']);
  assert.deepEqual(shape(find(parsed, 'setx')), ['word:setx', 'parameter:/M', 'word:PATH', 'string:%PATH%;C:\\app\\bin']);
  assert.deepEqual(shape(find(parsed, 'icacls')), ['word:icacls', 'word:C:\\app', 'parameter:/grant', 'word:Users:(OI)(CI)F', 'parameter:/T']);
  const command = find(parsed, 'powershell').args[2]!;
  assert.equal(command.value, "[Net.ServicePointManager]::SecurityProtocol = 'Tls12'; iwr https://x -OutFile C:\\x.zip");
  assert.equal(command.start, script.indexOf('"[Net.'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizePowerShell } from './powershell';
import { at, checkInvariants, everyPrefix, find, fuzzFragments, shape, span } from './tokenizerTesting';
import { commandName, type ParsedScript } from './types';

// ── helpers ──

function parse(script: string, depth = 0): ParsedScript {
  const parsed = tokenizePowerShell(script, depth);
  checkInvariants(script, parsed, 'powershell', depth, true);
  return parsed;
}


// ── statements and pipelines ──

test('statements are separated by ; newlines && || and a background &', () => {
  const script = 'a 1; b\nc && d || e & f\n;\n g';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map((c) => [c.name.value, c.joinedBy]), [
    ['a', undefined], ['b', ';'], ['c', '\n'], ['d', '&&'], ['e', '||'], ['f', '&'], ['g', ';'],
  ]);
  assert.deepEqual(span(find(parsed, 'a')), at(script, 'a 1'));
  assert.deepEqual(parsed.problems, []);
});

test('pipelines: every command knows its pipeline and index; a pipe may end a line', () => {
  const script = 'Get-ChildItem C:\\ | Where-Object Length -gt 5 |\n  Select-Object -First 1; Out-Null';
  const parsed = parse(script);
  const [gci, where, select, outNull] = parsed.commands;
  assert.deepEqual(gci!.pipeline, [gci, where, select]);
  assert.deepEqual([gci!.pipelineIndex, where!.pipelineIndex, select!.pipelineIndex], [0, 1, 2]);
  assert.equal(select!.pipeline, gci!.pipeline);
  assert.deepEqual(outNull!.pipeline, [outNull]);
  assert.equal(outNull!.joinedBy, ';');
  assert.equal(where!.joinedBy, undefined);
  // Command mode: `-gt` is a parameter of Where-Object, as PowerShell parses it.
  assert.deepEqual(shape(where!), ['word:Where-Object', 'word:Length', 'parameter:-gt', 'word:5']);
});

// ── tokens ──

test('parameters: -Name, -Name:value (one token), /switches and typographic dashes', () => {
  const script = 'iwr -Uri:"https://x/a b" -UseBasicParsing -OutFile:C:\\y.zip -Force:$true /quiet \u2013Verbose -1 - --no-progress';
  const command = parse(script).commands[0]!;
  assert.deepEqual(shape(command), [
    'word:iwr', 'parameter:-Uri:https://x/a b', 'parameter:-UseBasicParsing', 'parameter:-OutFile:C:\\y.zip',
    'parameter:-Force:$true', 'parameter:/quiet', 'parameter:-Verbose', 'word:-1', 'word:-', 'parameter:--no-progress',
  ]);
  assert.deepEqual(span(command.args[0]!), at(script, '-Uri:"https://x/a b"'));
  assert.equal(command.args[5]!.raw, '\u2013Verbose');
});

test('a bracket after -Name: starts its own group', () => {
  const command = parse('Start-Process x -ArgumentList:@(\'a\', \'b\')').commands[0]!;
  assert.deepEqual(shape(command).slice(0, 3), ['word:Start-Process', 'word:x', 'parameter:-ArgumentList:']);
  assert.equal(command.args[2]!.kind, 'group');
  assert.equal(command.args[2]!.open, '@(');
});

test('single-quoted strings: no escapes except a doubled quote', () => {
  const script = "Write-Host 'it''s `n $x' 'C:\\a b'";
  const [first, second] = parse(script).commands[0]!.args;
  assert.equal(first!.kind, 'string');
  assert.equal(first!.value, "it's `n $x");
  assert.deepEqual(span(first!), at(script, "'it''s `n $x'"));
  assert.equal(second!.value, 'C:\\a b');
});

test('double-quoted strings: backtick escapes, doubled quotes, variables kept, $(…) tokenized into inner', () => {
  const script = 'Write-Host "a`tb`n`"q`" ""x"" `$y $z `u{263A} $(Get-Date -Format o) end"';
  const parsed = parse(script);
  const text = parsed.commands[0]!.args[0]!;
  assert.equal(text.kind, 'string');
  assert.equal(text.value, 'a\tb\n"q" "x" $y $z \u263a $(Get-Date -Format o) end');
  assert.equal(text.inner!.length, 1);
  const date = find(parsed, 'Get-Date');
  assert.equal(text.inner![0], date);
  assert.equal(date.depth, 1);
  assert.deepEqual(span(date), at(script, 'Get-Date -Format o'));
  assert.deepEqual(shape(date), ['word:Get-Date', 'parameter:-Format', 'word:o']);
});

test('here-strings: @\'…\'@ verbatim, @"…"@ with escapes and subexpressions; terminators start a line', () => {
  const script = "$a = @'\r\nline 1 $x\n  '@ not the end\n'@\n$b = @\"\nv=$(iwr https://x)`t\n\"@; c";
  const parsed = parse(script);
  const [a, b] = parsed.commands.filter((c) => c.name.kind === 'variable');
  assert.equal(a!.args[1]!.kind, 'string');
  assert.equal(a!.args[1]!.value, "line 1 $x\n  '@ not the end");
  assert.deepEqual(span(a!.args[1]!), at(script, "@'\r\nline 1 $x\n  '@ not the end\n'@"));
  assert.equal(b!.args[1]!.value, 'v=$(iwr https://x)\t');
  assert.equal(find(parsed, 'iwr').depth, 1);
  assert.equal(find(parsed, 'c').joinedBy, ';');
  assert.deepEqual(parsed.problems, []);
});

test('typographic quotes and dashes pasted from documents work like ASCII ones', () => {
  const script = 'Write-Host \u201chi `\u201d there\u201d \u2018it\u2019\u2019s\u2019 \u2013Force; $a \u2013eq 1';
  const parsed = parse(script);
  assert.deepEqual(shape(parsed.commands[0]!), ['word:Write-Host', 'string:hi \u201d there', "string:it\u2019s", 'parameter:-Force']);
  assert.deepEqual(shape(parsed.commands[1]!), ['variable:$a', 'operator:-eq', 'word:1']);
});

test('variables: $x, ${x}, $env:NAME, $script:x, $_, $$, @splat; glued text makes one word', () => {
  const script = 'f $x ${my var} $env:ProgramFiles $script:count $_ $$ @params $env:ProgramFiles\\app C:\\$name\\x';
  const command = parse(script).commands[0]!;
  assert.deepEqual(shape(command), [
    'word:f', 'variable:$x', 'variable:${my var}', 'variable:$env:ProgramFiles', 'variable:$script:count', 'variable:$_',
    'variable:$$', 'variable:@params', 'word:$env:ProgramFiles\\app', 'word:C:\\$name\\x',
  ]);
  assert.deepEqual(span(command.args[7]!), at(script, '$env:ProgramFiles\\app'));
});

test('numbers, type literals, static and instance members, method calls, indexes', () => {
  const script = '[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12 -bor 3072; $wc.DownloadFile($u, \'C:\\x\'); $a[0].Name; $n = 1.5e3 + 0x1F - 10MB';
  const parsed = parse(script);
  const [tls, download, index, number] = parsed.commands.filter((c) => c.depth === 0);
  assert.deepEqual(shape(tls!), [
    'group:[Net.ServicePointManager]', 'member:::SecurityProtocol', 'operator:=', 'group:[Net.SecurityProtocolType]',
    'member:::Tls12', 'operator:-bor', 'word:3072',
  ]);
  assert.equal(tls!.name.open, '[');
  assert.deepEqual(tls!.name.inner, []);
  assert.deepEqual(span(tls!.args[0]!), at(script, '::SecurityProtocol'));
  assert.deepEqual(shape(download!).slice(0, 2), ['variable:$wc', 'member:.DownloadFile']);
  assert.equal(download!.args[1]!.open, '(');
  assert.deepEqual(shape(download!.args[1]!.inner![0]!), ['variable:$u', 'operator:,', 'string:C:\\x']);
  assert.deepEqual(shape(index!), ['variable:$a', 'group:[0]', 'member:.Name']);
  assert.deepEqual(shape(index!.args[0]!.inner![0]!), ['word:0']);
  assert.deepEqual(shape(number!), ['variable:$n', 'operator:=', 'word:1.5e3', 'operator:+', 'word:0x1F', 'operator:-', 'word:10MB']);
});

test('groups (…) $(…) @(…) @{…} {…}: content tokenized recursively, listed in inner and in the flat list', () => {
  const script = 'Invoke-Command -ScriptBlock { iwr a; (iwr b) } -ArgumentList @(Get-X), $(Get-Y | Get-Z), @{ k = (Get-W) }';
  const parsed = parse(script);
  const top = parsed.commands[0]!;
  assert.deepEqual(top.args.filter((t) => t.kind === 'group').map((t) => t.open), ['{', '@(', '$(', '@{']);
  assert.deepEqual(parsed.commands.map((c) => [c.name.raw, c.depth]), [
    ['Invoke-Command', 0], ['iwr', 1], ['(iwr b)', 1], ['iwr', 2], ['Get-X', 1], ['Get-Y', 1], ['Get-Z', 1],
    ['k', 1], ['Get-W', 2],
  ]);
  const block = top.args[1]!;
  assert.deepEqual(block.inner!.map((c) => c.name.raw), ['iwr', '(iwr b)']);
  assert.deepEqual(span(block), at(script, '{ iwr a; (iwr b) }'));
  assert.equal(find(parsed, 'Get-Z').pipelineIndex, 1);
  // A hashtable entry is an expression statement whose name is the key.
  assert.deepEqual(shape(find(parsed, 'k')), ['word:k', 'operator:=', 'group:(Get-W)']);
});

test('dash operators are operators in expression mode and parameters in command mode', () => {
  const parsed = parse('if ($a -eq 1 -and -not ($b -match "x") -or $c -like "y*" -ne $d) { Get-X -eq -Match }');
  const condition = parsed.commands.find((c) => c.depth === 1 && c.name.raw === '$a')!;
  assert.deepEqual(condition.args.filter((t) => t.kind === 'operator').map((t) => t.value), ['-eq', '-and', '-not', '-or', '-like', '-ne']);
  assert.deepEqual(shape(find(parsed, '$b')), ['variable:$b', 'operator:-match', 'string:x']);
  assert.deepEqual(shape(find(parsed, 'Get-X')), ['word:Get-X', 'parameter:-eq', 'parameter:-Match']);
  // A statement may start with a unary operator.
  assert.deepEqual(shape(parse('-not $x').commands[0]!), ['operator:-not', 'variable:$x']);
});

test('redirections: >, >>, 2>&1, *>$null, 3>>file, <', () => {
  const script = 'a > out.txt >> log 2>&1 *>$null 3>>file.txt 2>$null; $x >x';
  const parsed = parse(script);
  assert.deepEqual(shape(parsed.commands[0]!), [
    'word:a', 'operator:>', 'word:out.txt', 'operator:>>', 'word:log', 'operator:2>&1', 'operator:*>', 'variable:$null',
    'operator:3>>', 'word:file.txt', 'operator:2>', 'variable:$null',
  ]);
  assert.deepEqual(span(parsed.commands[0]!.args[4]!), at(script, '2>&1'));
  assert.deepEqual(shape(parsed.commands[1]!), ['variable:$x', 'operator:>', 'word:x']);
});

test('call operator and dot-sourcing: the token after & or . is the command name', () => {
  const script = "& 'C:\\Program Files\\x\\y.exe' /q -a; & $exe --flag; . .\\setup.ps1 -Mode 1; .\\run.ps1; & { iwr x }";
  const parsed = parse(script);
  const [quoted, variable, dotted, relative, block] = parsed.commands.filter((c) => c.depth === 0);
  assert.deepEqual(shape(quoted!), ['string:C:\\Program Files\\x\\y.exe', 'parameter:/q', 'parameter:-a']);
  assert.deepEqual(span(quoted!), at(script, "'C:\\Program Files\\x\\y.exe' /q -a"));
  assert.deepEqual(shape(variable!), ['variable:$exe', 'parameter:--flag']);
  assert.deepEqual(shape(dotted!), ['word:.\\setup.ps1', 'parameter:-Mode', 'word:1']);
  assert.deepEqual(shape(relative!), ['word:.\\run.ps1']);
  assert.equal(block!.name.kind, 'group');
  assert.equal(find(parsed, 'iwr').depth, 1);
});

test('backtick: line continuation joins lines; in bare words it escapes the next character', () => {
  const script = 'Invoke-WebRequest `\n  -Uri https://x `\r\n  -OutFile a`;b`$c `\n; next';
  const parsed = parse(script);
  const iwr = parsed.commands[0]!;
  assert.deepEqual(shape(iwr), ['word:Invoke-WebRequest', 'parameter:-Uri', 'word:https://x', 'parameter:-OutFile', 'word:a;b$c']);
  assert.deepEqual(span(iwr.args[2]!), at(script, '-OutFile'));
  assert.equal(iwr.args[3]!.raw, 'a`;b`$c');
  assert.deepEqual(parsed.commands.map((c) => c.name.value), ['Invoke-WebRequest', 'next']);
});

test('comments: # at the start of a token and <# … #> blocks produce nothing', () => {
  const script = '# leading\na b#c # trailing ; not-a-command\n<# block\n ; x #> d <#inline#> e';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map(shape), [['word:a', 'word:b#c'], ['word:d', 'word:e']]);
});

test('stop-parsing --%: the rest of the line goes verbatim to the native program', () => {
  const parsed = parse('icacls --% C:\\x /grant "Users":(F) ; x\nnext');
  assert.deepEqual(shape(parsed.commands[0]!), ['word:icacls', 'operator:--%', 'word:C:\\x', 'word:/grant', 'word:Users:(F)', 'word:;', 'word:x']);
  assert.equal(parsed.commands[1]!.name.value, 'next');
});

// ── assignments ──

test('assignments: $x = <command> gives assignedTo; value assignments are expression statements', () => {
  const script = "$ErrorActionPreference = 'Stop'; $r = Invoke-WebRequest https://x | ConvertFrom-Json; [string]$s = Get-Content x; ${p} = iwr y; $env:PATH += ';C:\\x'";
  const parsed = parse(script);
  assert.deepEqual(shape(parsed.commands[0]!), ['variable:$ErrorActionPreference', 'operator:=', 'string:Stop']);
  assert.equal(parsed.commands[0]!.assignedTo, undefined);
  const iwr = find(parsed, 'Invoke-WebRequest');
  assert.equal(iwr.assignedTo, 'r');
  assert.equal(iwr.joinedBy, ';');
  assert.deepEqual(span(iwr), at(script, 'Invoke-WebRequest https://x'));
  assert.equal(find(parsed, 'ConvertFrom-Json').assignedTo, undefined);
  assert.equal(find(parsed, 'ConvertFrom-Json').pipelineIndex, 1);
  assert.equal(find(parsed, 'Get-Content').assignedTo, 's');
  assert.equal(find(parsed, 'iwr').assignedTo, 'p');
  assert.deepEqual(shape(find(parsed, '$env:PATH')), ['variable:$env:PATH', 'operator:+=', 'string:;C:\\x']);
  // No separate statement for the `$r =` part.
  assert.equal(parsed.commands.filter((c) => c.name.raw === '$r').length, 0);
});

test('assignment of a script block or a command to a member stays visible as an expression statement', () => {
  const script = '[System.Net.ServicePointManager]::ServerCertificateValidationCallback = {$true}; $o.Prop = Get-X';
  const parsed = parse(script);
  const callback = parsed.commands[0]!;
  assert.deepEqual(shape(callback), [
    'group:[System.Net.ServicePointManager]', 'member:::ServerCertificateValidationCallback', 'operator:=', 'group:{$true}',
  ]);
  assert.deepEqual(shape(callback.args[2]!.inner![0]!), ['variable:$true']);
  assert.deepEqual(shape(find(parsed, '$o')), ['variable:$o', 'member:.Prop', 'operator:=']);
  assert.equal(find(parsed, 'Get-X').assignedTo, undefined);
  assert.equal(find(parsed, 'Get-X').depth, 0);
});

test('an assignment may continue on the next line and may assign a keyword statement', () => {
  const parsed = parse('$x =\n  Get-Item a\n$y = if ($c) { iwr b } else { 2 }');
  assert.equal(find(parsed, 'Get-Item').assignedTo, 'x');
  const ifStatement = find(parsed, 'if');
  assert.equal(ifStatement.assignedTo, 'y');
  assert.equal(find(parsed, 'iwr').depth, 1);
});

// ── keywords ──

test('if / elseif / else across lines; the blocks hold commands one level deeper', () => {
  const script = 'if (Test-Path C:\\x)\n{\n  Remove-Item C:\\x\n}\nelseif ($y) { a }\nelse\n{ b }\nafter';
  const parsed = parse(script);
  const ifStatement = parsed.commands[0]!;
  assert.deepEqual(ifStatement.args.map((t) => (t.kind === 'group' ? t.open : t.value)), ['(', '{', 'elseif', '(', '{', 'else', '{']);
  assert.deepEqual(span(ifStatement), at(script, script.slice(0, script.indexOf('\nafter'))));
  assert.deepEqual(parsed.commands.map((c) => [c.name.raw, c.depth]), [
    ['if', 0], ['Test-Path', 1], ['Remove-Item', 1], ['$y', 1], ['a', 1], ['b', 1], ['after', 0],
  ]);
  assert.equal(find(parsed, 'after').joinedBy, '\n');
});

test('foreach, for, while, do/while, try/catch/finally, switch, function, param, exit and return', () => {
  const script = [
    'foreach ($f in Get-ChildItem *.msi) { Start-Process msiexec -ArgumentList "/i $f /quiet" -Wait }',
    'for ($i = 0; $i -lt 3; $i++) { w $i }',
    'while ($true) { break }',
    'do { d } until ($done)',
    'try { iwr x } catch [System.Net.WebException] { exit 1 } finally { cleanup }',
    'switch -Regex ($v) { "^a" { sa } default { sd } }',
    'function Get-Thing($p) { param([string]$q = "z") return $q }',
  ].join('\n');
  const parsed = parse(script);
  const top = parsed.commands.filter((c) => c.depth === 0).map((c) => c.name.value);
  assert.deepEqual(top, ['foreach', 'for', 'while', 'do', 'try', 'switch', 'function']);
  assert.deepEqual(shape(find(parsed, 'Get-ChildItem')), ['word:Get-ChildItem', 'word:*.msi']);
  assert.deepEqual(shape(find(parsed, '$f')), ['variable:$f', 'word:in']);
  assert.deepEqual(shape(find(parsed, 'Start-Process')), ['word:Start-Process', 'word:msiexec', 'parameter:-ArgumentList', 'string:/i $f /quiet', 'parameter:-Wait']);
  assert.deepEqual(shape(find(parsed, 'do')), ['word:do', 'group:{ d }', 'word:until', 'group:($done)']);
  assert.deepEqual(shape(find(parsed, 'try')).map((s) => s.split(':')[0]), ['word', 'group', 'word', 'group', 'group', 'word', 'group']);
  assert.deepEqual(shape(find(parsed, 'exit')), ['word:exit', 'word:1']);
  assert.deepEqual(shape(find(parsed, 'switch')).slice(0, 2), ['word:switch', 'parameter:-Regex']);
  assert.equal(find(parsed, 'sa').depth, 2);
  assert.deepEqual(shape(find(parsed, 'param')).map((s) => s.split(':')[0]), ['word', 'group']);
  assert.deepEqual(shape(find(parsed, 'return')), ['word:return', 'variable:$q']);
  assert.equal(find(parsed, 'cleanup').depth, 1);
  // `foreach` after a pipe is the ForEach-Object alias, not the keyword.
  const alias = parse('ls | foreach { $_ } | % Name');
  assert.deepEqual(alias.commands.filter((c) => c.depth === 0).map((c) => c.pipelineIndex), [0, 1, 2]);
});

// ── problems and robustness ──

test('unterminated strings, groups, here-strings and comments are problems; tokens close at the end', () => {
  const cases: Array<[string, RegExp]> = [
    ["Write-Host 'abc", /Unterminated string/],
    ['Write-Host "abc $(x', /Missing closing '\)'/],
    ['iex (iwr x', /Missing closing '\)'/],
    ['if ($a) { b', /Missing closing '\}'/],
    ["$a = @'\nabc", /here-string/],
    ['a <# b', /block comment/],
    ['[Net.X', /Missing closing '\]'/],
    ['a ${b', /variable name/],
    ['a )', /Unexpected '\)'/],
    ['a |', /Missing command after \|/],
    ['& ', /Missing command after the call operator/],
  ];
  for (const [script, message] of cases) {
    const parsed = parse(script);
    assert.ok(parsed.problems.some((p) => message.test(p.message)), `${script}: ${JSON.stringify(parsed.problems)}`);
  }
  const open = parse("iwr 'https://x");
  assert.deepEqual(span(open.commands[0]!.args[0]!), { start: 4, end: 14 });
  assert.equal(open.commands[0]!.args[0]!.value, 'https://x');
  // A closer of an outer group ends the inner one too.
  const mismatched = parse('a (b { c ) d');
  assert.deepEqual(mismatched.commands.map((c) => c.name.value), ['a', 'b', 'c']);
  assert.deepEqual(shape(mismatched.commands[0]!).map((s) => s.split(':')[0]), ['word', 'group', 'word']);
});

test('the depth argument offsets every command (wrapped scripts)', () => {
  const parsed = parse('a; b (c)', 2);
  assert.deepEqual(parsed.commands.map((c) => c.depth), [2, 2, 3]);
});

test('fuzz: random mixtures of tricky fragments never throw and keep every offset in bounds', () => {
  const fragments = [
    'iwr', ' ', ' ', '\n', '\r\n', ';', '|', '||', '&&', '&', '(', ')', '{', '}', '[', ']', '$(', '@(', '@{', '$x', '${',
    '$env:A', "'", '"', "''", '""', '`', '`\n', "@'\n", "\n'@", '@"\n', '\n"@', '#', '<#', '#>', '-eq', '-Uri:', '-',
    '–', '/q', '=', '+=', ',', '.', '::', '.M', '[Net.X]', '2>&1', '*>', '>', '<', '--%', 'if', 'else', 'try', 'catch',
    'foreach', 'in', 'function', 'do', 'while', 'exit', 'return', '1', '0x', '1..2', '`u{', '\u201c', '\u2018', '%', '?',
    'param', '.\\x.ps1', '. ', '& ', '@x', 'a"b', "'a'.b",
  ];
  fuzzFragments(parse, fragments);
});

test('fuzz: every prefix of tricky scripts tokenizes', () => {
  const scripts = [
    "$ErrorActionPreference = 'Stop'; iex ((New-Object System.Net.WebClient).DownloadString(\"https://x/$($v)/install.ps1\"))",
    "if ($a -eq `\n 1) { try { & 'C:\\x y\\z.exe' /q 2>&1 } catch { exit 1 } } else { [Net.X]::Y = {$true} }",
    "$h = @{ a = 'b'; c = @(1, 2) }; $s = @\"\nx $(iwr y) `t\n\"@ <# c #> | Out-File z # end",
    'icacls --% C:\\x /grant "U":F | more; ${a b} = $env:X\\y; -not $z',
  ];
  everyPrefix(parse, scripts);
});

test('pathological input: deep nesting and long inputs finish quickly without throwing', () => {
  const inputs = [
    '('.repeat(10_000), ')'.repeat(10_000), '$('.repeat(10_000), '"$('.repeat(10_000), '{'.repeat(10_000), '['.repeat(10_000),
    '@('.repeat(10_000), "@'\n".repeat(10_000), '`'.repeat(100_000), "'".repeat(100_001), '"'.repeat(100_001), 'a'.repeat(100_000),
    '1'.repeat(100_000) + 'z', '-'.repeat(100_000), '<#'.repeat(50_000), '$a = '.repeat(20_000), 'if '.repeat(30_000),
    'if (1) {} else '.repeat(7_000), '$x.'.repeat(30_000), '$x['.repeat(30_000), '|'.repeat(100_000), '&'.repeat(100_000),
    '\n'.repeat(100_000), '(a) '.repeat(25_000), '${'.repeat(50_000), '`u{'.repeat(30_000), '[a]::b'.repeat(15_000),
    '\\"'.repeat(50_000),
  ];
  for (const script of inputs) {
    const started = Date.now();
    const parsed = parse(script);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `${JSON.stringify(script.slice(0, 12))}… took ${elapsed} ms`);
    assert.ok(parsed.problems.length <= 100);
  }
  const deep = parse('('.repeat(10_000));
  assert.ok(deep.problems.some((p) => /Nesting deeper/.test(p.message)));
});

// ── realistic RUN scripts ──

test('RUN: download, hash check and silent install of the VS Build Tools', () => {
  const script = "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; Invoke-WebRequest -UseBasicParsing -Uri \"https://download.visualstudio.microsoft.com/x/vs_BuildTools.exe\" -OutFile vs_BuildTools.exe; if ((Get-FileHash vs_BuildTools.exe -Algorithm sha256).Hash -ne $env:VS_SHA256) { exit 1 }; Start-Process vs_BuildTools.exe -ArgumentList '--quiet', '--wait' -Wait; Remove-Item vs_BuildTools.exe";
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.commands.map((c) => [c.name.raw, c.depth]), [
    ['$ErrorActionPreference', 0], ['$ProgressPreference', 0], ['Invoke-WebRequest', 0], ['if', 0],
    ['(Get-FileHash vs_BuildTools.exe -Algorithm sha256)', 1], ['Get-FileHash', 2], ['exit', 1], ['Start-Process', 0], ['Remove-Item', 0],
  ]);
  const iwr = find(parsed, 'Invoke-WebRequest');
  assert.deepEqual(shape(iwr), [
    'word:Invoke-WebRequest', 'parameter:-UseBasicParsing', 'parameter:-Uri',
    'string:https://download.visualstudio.microsoft.com/x/vs_BuildTools.exe', 'parameter:-OutFile', 'word:vs_BuildTools.exe',
  ]);
  assert.deepEqual(span(iwr.args[2]!), at(script, '"https://download.visualstudio.microsoft.com/x/vs_BuildTools.exe"'));
  assert.deepEqual(span(iwr), at(script, 'Invoke-WebRequest -UseBasicParsing -Uri "https://download.visualstudio.microsoft.com/x/vs_BuildTools.exe" -OutFile vs_BuildTools.exe'));
  const check = find(parsed, '(Get-FileHash vs_BuildTools.exe -Algorithm sha256)');
  assert.deepEqual(shape(check).slice(1), ['member:.Hash', 'operator:-ne', 'variable:$env:VS_SHA256']);
  assert.deepEqual(shape(find(parsed, 'Start-Process')), [
    'word:Start-Process', 'word:vs_BuildTools.exe', 'parameter:-ArgumentList', 'string:--quiet', 'operator:,', 'string:--wait', 'parameter:-Wait',
  ]);
});

test('RUN: Chocolatey install via iex and DownloadString', () => {
  const script = "iex ((New-Object System.Net.WebClient).DownloadString('https://chocolatey.org/install.ps1'))";
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  const iex = parsed.commands[0]!;
  assert.deepEqual(shape(iex).map((s) => s.split(':')[0]), ['word', 'group']);
  const call = iex.args[0]!.inner![0]!;
  assert.deepEqual(shape(call), [
    'group:(New-Object System.Net.WebClient)', 'member:.DownloadString', "group:('https://chocolatey.org/install.ps1')",
  ]);
  assert.deepEqual(span(call.args[0]!), at(script, '.DownloadString'));
  assert.deepEqual(shape(find(parsed, 'New-Object')), ['word:New-Object', 'word:System.Net.WebClient']);
  assert.equal(find(parsed, 'New-Object').depth, 2);
  const url = call.args[1]!.inner![0]!.name;
  assert.equal(url.kind, 'string');
  assert.equal(url.value, 'https://chocolatey.org/install.ps1');
  assert.deepEqual(span(url), at(script, "'https://chocolatey.org/install.ps1'"));
});

test('RUN: certificate validation bypass and Defender off', () => {
  const script = '[System.Net.ServicePointManager]::ServerCertificateValidationCallback = {$true}; Set-MpPreference -DisableRealtimeMonitoring $true';
  const parsed = parse(script);
  assert.deepEqual(parsed.commands.map((c) => [c.name.raw, c.depth, c.joinedBy]), [
    ['[System.Net.ServicePointManager]', 0, undefined], ['$true', 1, undefined], ['Set-MpPreference', 0, ';'],
  ]);
  const defender = find(parsed, 'Set-MpPreference');
  assert.deepEqual(shape(defender), ['word:Set-MpPreference', 'parameter:-DisableRealtimeMonitoring', 'variable:$true']);
  assert.deepEqual(span(defender.args[0]!), at(script, '-DisableRealtimeMonitoring'));
});

test('RUN: New-Item piped to Out-Null and setx with a subexpression', () => {
  const script = "New-Item -ItemType Directory C:\\app | Out-Null; setx /M PATH $($Env:PATH + ';C:\\app')";
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  const [newItem, outNull, setx, path] = parsed.commands;
  assert.deepEqual(shape(newItem!), ['word:New-Item', 'parameter:-ItemType', 'word:Directory', 'word:C:\\app']);
  assert.deepEqual(newItem!.pipeline, [newItem, outNull]);
  assert.deepEqual(shape(setx!).slice(0, 3), ['word:setx', 'parameter:/M', 'word:PATH']);
  assert.equal(setx!.args[2]!.open, '$(');
  assert.deepEqual(span(setx!.args[2]!), at(script, "$($Env:PATH + ';C:\\app')"));
  assert.deepEqual(shape(path!), ['variable:$Env:PATH', 'operator:+', 'string:;C:\\app']);
  assert.equal(path!.depth, 1);
  assert.equal(setx!.joinedBy, ';');
});

test('RUN: multi-line script with a downloaded installer, firewall and TLS settings', () => {
  const script = [
    "[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12;",
    '$url = "https://example.com/app-$($env:APP_VERSION).msi";',
    '$file = Join-Path $env:TEMP app.msi;',
    '(New-Object Net.WebClient).DownloadFile($url, $file);',
    "Start-Process msiexec.exe -ArgumentList '/i', $file, '/qn' -NoNewWindow -Wait;",
    'Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled False;',
    'Remove-Item $file -Force',
  ].join(' ');
  const parsed = parse(script);
  assert.deepEqual(parsed.problems, []);
  assert.equal(find(parsed, 'Join-Path').assignedTo, 'file');
  assert.deepEqual(shape(find(parsed, '$url')), ['variable:$url', 'operator:=', 'string:https://example.com/app-$($env:APP_VERSION).msi']);
  assert.equal(find(parsed, '$env:APP_VERSION').depth, 1);
  assert.deepEqual(shape(find(parsed, 'Set-NetFirewallProfile')), [
    'word:Set-NetFirewallProfile', 'parameter:-Profile', 'word:Domain', 'operator:,', 'word:Public', 'operator:,', 'word:Private',
    'parameter:-Enabled', 'word:False',
  ]);
  const download = parsed.commands.find((c) => c.name.raw === '(New-Object Net.WebClient)')!;
  assert.deepEqual(shape(download).slice(1, 2), ['member:.DownloadFile']);
});

test('the call operator is recorded, so a quoted path is a command name', () => {
  const { commands } = tokenizePowerShell("& 'C:\\tools\\setup.exe' /quiet; 'just a string'");
  assert.equal(commands[0]!.calledWith, '&');
  assert.equal(commandName(commands[0]!), 'setup');
  assert.equal(commandName(commands[1]!), '', 'a bare string is a value, not a command');
});

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizePowerShell } from '../../../../server/out/engine/shell/powershell';
import { tokenizePowerShellTreeSitter } from './treeSitterAdapter';
import { checkInvariants, everyPrefix, find, shape } from '../../../../server/out/engine/shell/tokenizerTesting';
import type { ParsedScript, ShellCommand } from '../../../../server/out/engine/shell/types';
import { loadPowerShellGrammar } from '../../../../server/out/engine/shell/treeSitter';

// The linter does not load the PowerShell grammar (it ships only for this comparison).
before(() => loadPowerShellGrammar());

// The tree-sitter adapter must hand rules the same model as the hand-written tokenizer: these compare
// both front ends on typical RUN scripts (test-setup.mjs has loaded the grammars).

function parse(script: string, depth = 0): ParsedScript {
  const parsed = tokenizePowerShellTreeSitter(script, depth);
  checkInvariants(script, parsed, 'powershell', depth, true);
  return parsed;
}

/** Everything rules read of a command: depth, joiner, pipeline place, assignment, call operator, tokens. */
function summary(command: ShellCommand): string {
  const tokens = [command.name, ...command.args].map((t) => `${t.kind}:${t.value}${t.open ?? ''}@${t.start}-${t.end}`);
  return [command.depth, command.joinedBy ?? '', `${command.pipelineIndex}/${command.pipeline.length}`, command.assignedTo ?? '', command.calledWith ?? '', ...tokens].join(' ');
}

function assertSameAsHandWritten(script: string, depth = 0): ParsedScript {
  const tree = parse(script, depth);
  const hand = tokenizePowerShell(script, depth);
  assert.deepEqual(tree.commands.map(summary), hand.commands.map(summary), script);
  return tree;
}

test('Invoke-WebRequest -Uri … -OutFile …', () => {
  const parsed = assertSameAsHandWritten('Invoke-WebRequest -Uri https://example.com/a.zip -OutFile C:\\a.zip -UseBasicParsing');
  assert.deepEqual(shape(parsed.commands[0]!), [
    'word:Invoke-WebRequest', 'parameter:-Uri', 'word:https://example.com/a.zip', 'parameter:-OutFile', 'word:C:\\a.zip', 'parameter:-UseBasicParsing',
  ]);
});

test('iex (iwr …): the download is a command one level deeper, in the group', () => {
  const parsed = assertSameAsHandWritten("iex (iwr 'https://example.com/install.ps1' -UseBasicParsing)");
  const iwr = find(parsed, 'iwr');
  assert.equal(iwr.depth, 1);
  assert.equal(parsed.commands[0]!.args[0]!.inner![0], iwr);
});

test('[Net.ServicePointManager]::SecurityProtocol = …: an expression statement', () => {
  const parsed = assertSameAsHandWritten('[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12');
  assert.deepEqual(shape(parsed.commands[0]!), [
    'group:[Net.ServicePointManager]', 'member:::SecurityProtocol', 'operator:=', 'group:[Net.SecurityProtocolType]', 'member:::Tls12',
  ]);
});

test('Set-MpPreference, choco install, Start-Process with an argument list', () => {
  assertSameAsHandWritten('Set-MpPreference -DisableRealtimeMonitoring $true; choco install git -y --no-progress');
  const parsed = assertSameAsHandWritten("Start-Process msiexec -ArgumentList '/i', 'a.msi', '/qn' -Wait");
  assert.deepEqual(shape(parsed.commands[0]!), [
    'word:Start-Process', 'word:msiexec', 'parameter:-ArgumentList', 'string:/i', 'operator:,', 'string:a.msi', 'operator:,', 'string:/qn', 'parameter:-Wait',
  ]);
});

test('$x = New-Object Net.WebClient; $x.DownloadFile(…): assignedTo, members and method arguments', () => {
  const parsed = assertSameAsHandWritten('$wc = New-Object Net.WebClient; $wc.DownloadFile("https://example.com/$($v)/a.exe", "C:\\a.exe")');
  assert.equal(find(parsed, 'New-Object').assignedTo, 'wc');
  const call = parsed.commands.find((c) => c.name.value === '$wc')!;
  assert.deepEqual(shape(call).slice(0, 2), ['variable:$wc', 'member:.DownloadFile']);
});

test('& and . call operators; -Name:value parameters; /switches; a negative number', () => {
  const parsed = assertSameAsHandWritten("& 'C:\\Program Files\\x.exe' /S /D=C:\\x; . .\\setup.ps1 -Force:$true -Uri:'https://x' -Retry -1");
  assert.equal(parsed.commands[0]!.calledWith, '&');
  assert.equal(parsed.commands[1]!.calledWith, '.');
});

test('pipelines, && and ||, newlines, comments', () => {
  assertSameAsHandWritten('Get-ChildItem C:\\ | Where-Object Length -gt 5 | Select-Object -First 1\n# comment\nGet-Date && Write-Host ok || exit 1');
});

test('here-strings, double-quoted strings with escapes and subexpressions', () => {
  const parsed = assertSameAsHandWritten('Set-Content C:\\a.txt @"\nline `t $(Get-Date) "q"\n"@\nWrite-Host "a`nb ""x"" $(hostname)"; Write-Host @\'\nraw $x\n\'@');
  assert.equal(find(parsed, 'Set-Content').args[1]!.value, 'line \t $(Get-Date) "q"');
  assert.equal(find(parsed, 'Get-Date').depth, 1);
});

test('backtick line continuations', () => {
  const parsed = assertSameAsHandWritten('Invoke-WebRequest `\n  -Uri https://example.com/a.zip `\n  -OutFile a.zip ; `\nExpand-Archive a.zip -DestinationPath C:\\a');
  assert.equal(parsed.commands.length, 2);
});

test('keyword statements: if/else, foreach, try/catch, script blocks, hashtables', () => {
  assertSameAsHandWritten('if ($env:X -eq 1) { Write-Host a } else { exit 1 }\nforeach ($f in Get-ChildItem C:\\) { Remove-Item $f }');
  assertSameAsHandWritten("try { iwr https://x -OutFile a } catch { throw 'no' }\n$h = @{ a = 1; b = 'c' }\n1..3 | ForEach-Object { choco install x$_ -y }");
});

test('glued words: variables and paths are one argument, as PowerShell passes them', () => {
  assertSameAsHandWritten('mkdir $env:APPDATA\\VMware\\PowerCLI; Invoke-WebRequest x -OutFile $Env:Temp\\libressl.zip; & $Env:windir\\Microsoft.NET\\ngen update');
});

test('half-typed scripts never throw and keep the invariants', () => {
  everyPrefix((script) => parse(script), [
    "$x = New-Object Net.WebClient; $x.DownloadFile(\"https://a/$($v)\", 'C:\\b'); iex (iwr 'https://x')",
    'if ($a) { @"\n$(Get-Date)\n"@ } else { Start-Process x -ArgumentList @(\'/i\', "a") -Wait }',
  ]);
});

test('where the grammar reads differently from PowerShell, the adapter reports the grammar (known divergences)', () => {
  // PowerShell passes `a"b c"` as one argument `ab c` (the hand-written tokenizer agrees); tree-sitter-powershell
  // splits it at the blank inside the quotes, and reads `localhost,1433` as `localhost` and `,1433`.
  assert.deepEqual(shape(parse('x a"b c"').commands[0]!), ['word:x', 'word:ab', 'word:c']);
  assert.deepEqual(shape(tokenizePowerShell('x a"b c"').commands[0]!), ['word:x', 'word:ab c']);
  assert.deepEqual(shape(parse('sqlcmd -S localhost,1433').commands[0]!), ['word:sqlcmd', 'parameter:-S', 'word:localhost', 'word:,1433']);
});

// The shared parsers of the hardening rules, tested on tokenizer output directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeCmd } from '../../cmd';
import { tokenizePosix } from '../../posix';
import { tokenizePowerShell } from '../../powershell';
import { parseCommandLine } from '../../nativeOptions';
import { normalizeKey } from './registry';

const firstCommand = (parse: typeof tokenizePosix, script: string) => parse(script, 0).commands[0]!;

test('native options: GNU clusters, values glued to a cluster, --name=value, end of options', () => {
  const curl = parseCommandLine(firstCommand(tokenizePosix, 'curl -kfsSL -okfile --max-time=5 -H x -- -k').args, { valueOptions: ['o', 'H'] });
  assert.deepEqual(curl.options.map((o) => [o.name, o.value?.value]), [
    ['k', undefined], ['f', undefined], ['s', undefined], ['S', undefined], ['L', undefined], ['o', 'kfile'], ['max-time', '5'], ['H', 'x'],
  ]);
  assert.deepEqual(curl.operands.map((t) => t.value), ['-k']);
});

test('native options: Windows `/name:value` and one-dash long names, case-insensitive', () => {
  const dism = parseCommandLine(firstCommand(tokenizeCmd, 'dism /Online /Enable-Feature /FeatureName:SMB1Protocol /All').args, { windows: true, valueOptions: [] });
  assert.deepEqual(dism.findAll('featurename').map((o) => o.value?.value), ['SMB1Protocol']);
  const choco = parseCommandLine(firstCommand(tokenizePowerShell, 'choco install -y nodejs -Version 7.3.0 --params "/x"').args, { singleDashLong: true, valueOptions: ['version', 'params'] });
  assert.equal(choco.find('version')?.value?.value, '7.3.0');
  assert.deepEqual(choco.words(), ['install', 'nodejs']);
});

test('registry keys in every spelling normalize to one form', () => {
  for (const key of [
    'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
    'HKLM:SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\',
    'Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
    'Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
    'HKLM\\\\SOFTWARE/Microsoft/Windows/CurrentVersion/Policies/System',
  ]) {
    assert.equal(normalizeKey(key), 'hklm\\software\\microsoft\\windows\\currentversion\\policies\\system', key);
  }
});

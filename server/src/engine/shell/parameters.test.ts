// The PowerShell parameter binder, tested on tokenizer output directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizePowerShell } from './powershell';
import { bindCmdlet } from './parameters';

const firstCommand = (script: string) => tokenizePowerShell(script, 0).commands[0]!;

test('cmdlet binding: unique prefixes, aliases, -Name:value, arrays, positional values, switches written :$false', () => {
  const command = firstCommand("Set-Thing Alpha -Pat 'C:\\', @('D:\\', 'E:\\') -drtm:$true -Force:$false -SkipC");
  const bound = bindCmdlet(command, {
    values: ['Path', 'Name', 'DisableRealtimeMonitoring'], switches: ['SkipCertificateCheck'], aliases: { drtm: 'DisableRealtimeMonitoring' }, positional: ['Name'],
  });
  assert.deepEqual(bound.values('Path').map((t) => t.value), ['C:\\', 'D:\\', 'E:\\']);
  assert.deepEqual(bound.values('Name').map((t) => t.value), ['Alpha']);
  assert.equal(bound.values('DisableRealtimeMonitoring')[0]?.value, '$true');
  assert.equal(bound.switchOn('Force'), undefined);
  assert.equal(bound.switchOn('SkipCertificateCheck')?.value, '-SkipC');
});


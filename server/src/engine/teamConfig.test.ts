import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTeamConfig } from './teamConfig';
import { RULE_IDS } from './rules/index';
import { effectiveSeverity, isIgnored, mergeSettings } from './settings';
import { RULES_BY_ID } from './rules/index';

const ids = [...RULE_IDS];

test('a valid team file becomes a settings layer', () => {
  const { layer, problems } = parseTeamConfig('ruleSet: strict\nrules:\n  privileged-user: error\n  base-image-latest: off\nignore: ["legacy/**"]\n', ids);
  assert.deepEqual(problems, []);
  assert.deepEqual(layer, { ruleSet: 'strict', rules: { 'privileged-user': 'error', 'base-image-latest': 'off' }, ignore: ['legacy/**'] });
});

test('mistakes are reported at their line and column, and valid entries still apply', () => {
  const text = 'rules:\n  privileged-user: error\n  no-such-rule: warning\n  base-image-latest: loud\nruleSett: strict\n';
  const { layer, problems } = parseTeamConfig(text, ids);
  const byLine = problems.map((p) => [p.range.start.line, p.range.start.character, p.message]);
  assert.deepEqual(byLine.find(([line]) => line === 2)?.slice(0, 2), [2, 2]);
  assert.match(String(byLine.find(([line]) => line === 2)?.[2]), /unknown rule id `no-such-rule`/);
  assert.match(String(byLine.find(([line]) => line === 3)?.[2]), /expected one of off, hint, info, warning, error/);
  assert.deepEqual(byLine.find(([line]) => line === 3)?.slice(0, 2), [3, 21]);
  assert.match(String(byLine.find(([line]) => line === 4)?.[2]), /unknown setting `ruleSett`/);
  assert.deepEqual(layer.rules, { 'privileged-user': 'error' });
});

test('YAML syntax errors are reported with a position, not thrown', () => {
  const { problems } = parseTeamConfig('rules:\n  privileged-user: [error\n', ids);
  assert.ok(problems.length > 0);
  assert.match(problems[0]!.message, /^YAML:/);
});

test('an empty team file is valid', () => {
  assert.deepEqual(parseTeamConfig('', ids).problems, []);
  assert.deepEqual(parseTeamConfig('# only a comment\n', ids).problems, []);
});

test('precedence: defaults < editor < team file; rule sets and off', () => {
  const rule = RULES_BY_ID.get('privileged-user')!.meta;
  const digest = RULES_BY_ID.get('base-image-unpinned-digest')!.meta;
  assert.equal(effectiveSeverity(rule, mergeSettings()), 'warning');
  assert.equal(effectiveSeverity(rule, mergeSettings({ rules: { 'privileged-user': 'hint' } }, { rules: { 'privileged-user': 'error' } })), 'error');
  assert.equal(effectiveSeverity(rule, mergeSettings({ rules: { 'privileged-user': 'off' } })), null);
  assert.equal(effectiveSeverity(digest, mergeSettings()), 'info');
});

test('ignore globs match relative paths with either separator', () => {
  const settings = mergeSettings({ ignore: ['legacy/**', '**/*.generated.Dockerfile'] });
  assert.equal(isIgnored('legacy/old/Dockerfile', settings), true);
  assert.equal(isIgnored('legacy\\old\\Dockerfile', settings), true);
  assert.equal(isIgnored('src/app.generated.Dockerfile', settings), true);
  assert.equal(isIgnored('src/Dockerfile', settings), false);
});

test('a YAML syntax error says so (syntaxError), so an editor can keep the last valid settings', () => {
  assert.equal(parseTeamConfig('rules:\n  privileged-user: [error\n', ids).syntaxError, true);
  assert.equal(parseTeamConfig('ruleSet: strict\n', ids).syntaxError, undefined);
  assert.equal(parseTeamConfig('ruleSet: nope\n', ids).syntaxError, undefined, 'a schema problem is no syntax error');
});

test('enum messages list only values one can write (windowsHost allows null, said as "leave it empty")', () => {
  const { problems } = parseTeamConfig('windowsHost: ltsc2016\n', ids);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.message, 'windowsHost: expected one of ltsc2019, ltsc2022, ltsc2025 (or leave it empty)');
  const ruleSet = parseTeamConfig('ruleSet: all\n', ids).problems[0]!.message;
  assert.equal(ruleSet, 'ruleSet: expected one of recommended, strict');
});

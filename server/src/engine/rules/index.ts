// The static, complete registry of rules, from each kind's list (<kind>/rules/index.ts) and the script
// rules (shell/rules/index.ts). Adding a rule = one file in its folder + one line in that list + a page in
// docs/rules/<id>.md (a unit test checks that every rule has its page).
import type { Rule } from './rule';
import { DOCKERFILE_RULES } from '../dockerfile/rules/index';
import { SCRIPT_RULES } from '../shell/rules/index';
import { NUGET_RULES } from '../nuget/rules/index';
import { PIPELINE_RULES } from '../pipeline/rules/index';

export const ALL_RULES: readonly Rule[] = [
  ...DOCKERFILE_RULES,
  ...SCRIPT_RULES,
  ...NUGET_RULES,
  ...PIPELINE_RULES,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((rule) => [rule.meta.id, rule]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());

/** Our rule ids silenced by a hadolint id in `# hadolint ignore=`. */
export function rulesForHadolintId(hadolintId: string): string[] {
  return ALL_RULES.filter((rule) => rule.meta.hadolintIds?.includes(hadolintId)).map((rule) => rule.meta.id);
}

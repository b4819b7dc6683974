// The static, complete registry of rules. Adding a rule = one file in a family folder + one line here
// + a page in docs/rules/<id>.md (a unit test checks that every rule has its page).
import type { Rule } from './rule';
import { baseImageLatest } from './dockerfile/baseImageLatest';
import { baseImageUnpinnedDigest } from './dockerfile/baseImageUnpinnedDigest';
import { privilegedUser } from './dockerfile/privilegedUser';
import { addRemoteWithoutChecksum } from './dockerfile/addRemoteWithoutChecksum';
import { secretInEnvOrArg } from './dockerfile/secretInEnvOrArg';
import { deprecatedImageName } from './dockerfile/deprecatedImageName';
import { endOfLifeBaseImage } from './dockerfile/endOfLifeBaseImage';
import { extendedSupportBaseImage } from './dockerfile/extendedSupportBaseImage';
import { nonexistentImageTag } from './dockerfile/nonexistentImageTag';
import { windowsVersionMismatch } from './dockerfile/windowsVersionMismatch';
import { untrustedRegistry } from './dockerfile/untrustedRegistry';
import { DOWNLOAD_RULES } from './dockerfile/run/downloads/index';
import { HARDENING_RULES } from './dockerfile/run/hardening/index';
import { PRIVILEGE_RULES } from './dockerfile/run/privilege/index';
import { NUGET_RULES } from './nuget/index';
import { PIPELINE_RULES } from './pipeline/index';

export const ALL_RULES: readonly Rule[] = [
  baseImageLatest,
  baseImageUnpinnedDigest,
  privilegedUser,
  addRemoteWithoutChecksum,
  secretInEnvOrArg,
  deprecatedImageName,
  endOfLifeBaseImage,
  extendedSupportBaseImage,
  nonexistentImageTag,
  windowsVersionMismatch,
  untrustedRegistry,
  ...DOWNLOAD_RULES,
  ...HARDENING_RULES,
  ...PRIVILEGE_RULES,
  ...NUGET_RULES,
  ...PIPELINE_RULES,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((rule) => [rule.meta.id, rule]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());

/** Our rule ids silenced by a hadolint id in `# hadolint ignore=`. */
export function rulesForHadolintId(hadolintId: string): string[] {
  return ALL_RULES.filter((rule) => rule.meta.hadolintIds?.includes(hadolintId)).map((rule) => rule.meta.id);
}

// The script rules: one check of the host-neutral script view (shell/scriptHost.ts), run on every kind
// that embeds scripts (Dockerfile RUN instructions, pipeline steps), by family.
import type { ScriptRule } from '../../rules/rule';
import { DOWNLOAD_RULES } from './downloads/index';
import { HARDENING_RULES } from './hardening/index';
import { PRIVILEGE_RULES } from './privilege/index';

export const SCRIPT_RULES: readonly ScriptRule[] = [
  ...DOWNLOAD_RULES,
  ...HARDENING_RULES,
  ...PRIVILEGE_RULES,
];

// Hardening rules of embedded scripts (RUN, pipeline steps): TLS validation, protection mechanisms, legacy protocols, unpinned packages.
import type { ScriptRule } from '../../../rules/rule';
import { legacyProtocolEnabled } from './legacyProtocolEnabled';
import { protectionDisabled } from './protectionDisabled';
import { tlsValidationDisabled } from './tlsValidationDisabled';
import { unpinnedPackageInstall } from './unpinnedPackageInstall';

export const HARDENING_RULES: ScriptRule[] = [tlsValidationDisabled, protectionDisabled, legacyProtocolEnabled, unpinnedPackageInstall];

// RUN hardening rules: TLS validation, protection mechanisms, legacy protocols, unpinned packages.
import type { DockerfileRule } from '../../../rule';
import { legacyProtocolEnabled } from './legacyProtocolEnabled';
import { protectionDisabled } from './protectionDisabled';
import { tlsValidationDisabled } from './tlsValidationDisabled';
import { unpinnedPackageInstall } from './unpinnedPackageInstall';

export const HARDENING_RULES: DockerfileRule[] = [tlsValidationDisabled, protectionDisabled, legacyProtocolEnabled, unpinnedPackageInstall];

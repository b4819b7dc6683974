// RUN hardening rules: TLS validation, protection mechanisms, legacy protocols, unpinned packages.
import type { DockerfileRule } from '../../../rule';
import { tlsValidationDisabled } from './tlsValidationDisabled';

export const HARDENING_RULES: DockerfileRule[] = [tlsValidationDisabled];

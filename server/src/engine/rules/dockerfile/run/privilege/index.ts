// RUN privilege and credential rules.
import type { DockerfileRule } from '../../../rule';
import { localUserWithPassword } from './localUserWithPassword';
import { secretInRun } from './secretInRun';
import { userAddedToAdministrators } from './userAddedToAdministrators';

export const PRIVILEGE_RULES: DockerfileRule[] = [localUserWithPassword, userAddedToAdministrators, secretInRun];

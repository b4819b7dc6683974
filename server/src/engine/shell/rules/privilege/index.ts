// Privilege and credential rules of embedded scripts (RUN, pipeline steps).
import type { ScriptRule } from '../../../rules/rule';
import { localUserWithPassword } from './localUserWithPassword';
import { secretInRun } from './secretInRun';
import { serviceRunsAsLocalSystem } from './serviceRunsAsLocalSystem';
import { userAddedToAdministrators } from './userAddedToAdministrators';

export const PRIVILEGE_RULES: ScriptRule[] = [localUserWithPassword, userAddedToAdministrators, secretInRun, serviceRunsAsLocalSystem];

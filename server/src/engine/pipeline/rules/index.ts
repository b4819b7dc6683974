// Rules of pipeline YAML (GitHub Actions, Azure Pipelines, GitLab CI), one file each.
import type { PipelineRule } from '../../rules/rule';
import { excessivePermissions } from './excessivePermissions';
import { imageWithoutDigest } from './imageWithoutDigest';
import { persistedCredentials } from './persistedCredentials';
import { unpinnedAction } from './unpinnedAction';
import { scriptInjection } from './scriptInjection';
import { secretLiteral } from './secretLiteral';
import { untrustedCheckout } from './untrustedCheckout';
import { pushWithoutSigning } from './pushWithoutSigning';
import { floatingWindowsRunner } from './floatingWindowsRunner';
import { retiredRunnerImage } from './retiredRunnerImage';
import { unsecureCommands } from './unsecureCommands';
import { secretsExposed } from './secretsExposed';
import { cachePoisoning } from './cachePoisoning';
import { remoteIncludeWithoutIntegrity } from './remoteIncludeWithoutIntegrity';
import { unpinnedTemplateRepository } from './unpinnedTemplateRepository';
import { nugetUnlockedRestore } from './nugetUnlockedRestore';
import { nugetHttpSource } from './nugetHttpSource';
import { crossFileLtsc } from './crossFileLtsc';

export const PIPELINE_RULES: readonly PipelineRule[] = [
  untrustedCheckout,
  scriptInjection,
  secretLiteral,
  unpinnedAction,
  imageWithoutDigest,
  excessivePermissions,
  persistedCredentials,
  pushWithoutSigning,
  floatingWindowsRunner,
  retiredRunnerImage,
  unsecureCommands,
  secretsExposed,
  cachePoisoning,
  remoteIncludeWithoutIntegrity,
  unpinnedTemplateRepository,
  nugetUnlockedRestore,
  nugetHttpSource,
  crossFileLtsc,
];

// The Dockerfile rules of the registry (rules/index.ts), in its order. Adding one = its file here + one line
// below + a page in docs/rules/<id>.md.
import type { DockerfileRule } from '../../rules/rule';
import { baseImageLatest } from './baseImageLatest';
import { baseImageUnpinnedDigest } from './baseImageUnpinnedDigest';
import { privilegedUser } from './privilegedUser';
import { addRemoteWithoutChecksum } from './addRemoteWithoutChecksum';
import { secretInEnvOrArg } from './secretInEnvOrArg';
import { deprecatedImageName } from './deprecatedImageName';
import { endOfLifeBaseImage } from './endOfLifeBaseImage';
import { extendedSupportBaseImage } from './extendedSupportBaseImage';
import { nonexistentImageTag } from './nonexistentImageTag';
import { windowsVersionMismatch } from './windowsVersionMismatch';
import { untrustedRegistry } from './untrustedRegistry';

export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
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
];

// Which engine a file belongs to, by its name (the way users name these files in repositories).
import type { FileKind } from './types';

const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:\..+)?$|^.+\.(?:dockerfile|containerfile)$/i;

export function fileKindForPath(path: string): FileKind | null {
  const base = path.split(/[\\/]/).pop() ?? '';
  if (DOCKERFILE_NAME.test(base)) return 'dockerfile';
  return null;
}

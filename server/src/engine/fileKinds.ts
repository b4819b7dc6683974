// Which engine a file belongs to, by its name (the way users name these files in repositories).
import type { FileKind } from './types';

// `Dockerfile`, `Dockerfile.windows`, `Dockerfile-windows`, `Dockerfile_1809`, `app.Dockerfile`, `Containerfile`…
const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:[._-].+)?$|^.+\.(?:dockerfile|containerfile)$/i;
/** Documentation, scripts and data that sit beside Dockerfiles with similar names (`Dockerfile.md`, `Dockerfile-build.sh`). */
const NOT_A_DOCKERFILE = /\.(?:md|txt|json|ya?ml|sh|ps1|psm1|bat|cmd|py|js|ts|xml|toml|ini|cfg|conf|lock|sum|orig|bak|swp|tmpl|j2)$/i;

/** NuGet reads `nuget.config` in any letter case (`NuGet.Config`, `NuGet.config`, `nuget.config`). */
const NUGET_CONFIG_NAME = /^nuget\.config$/i;

export function fileKindForPath(path: string): FileKind | null {
  const base = path.split(/[\\/]/).pop() ?? '';
  if (NUGET_CONFIG_NAME.test(base)) return 'nuget-config';
  if (DOCKERFILE_NAME.test(base) && !NOT_A_DOCKERFILE.test(base)) return 'dockerfile';
  return null;
}

// The one I/O helper of the cosign verifier: reads `path` key entries with node:fs. Callers that must not touch
// the file system (untrusted workspaces) use `parseCosignKeyConfig(settings)` without a reader instead.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCosignKeyConfig, type CosignKeyConfig } from './keys';

const MAX_KEY_FILE = 64 * 1024;

/**
 * Parses `settings.cosign.keys`, reading `path` entries synchronously (relative paths against `baseDir`, e.g.
 * the workspace folder or the directory of the team file). Never throws.
 */
export function loadCosignKeyConfig(settings: unknown, baseDir?: string): CosignKeyConfig {
  return parseCosignKeyConfig(settings, (p) => {
    const file = baseDir && !path.isAbsolute(p) ? path.resolve(baseDir, p) : p;
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    if (st.size > MAX_KEY_FILE) throw new Error('file too large for a public key');
    return fs.readFileSync(file, 'utf8');
  });
}

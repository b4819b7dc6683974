// The one I/O helper of the keyless configuration: reads the `trusted_root.json` file with node:fs. Callers that
// must not touch the file system (untrusted workspaces) use `parseSigstoreTrustConfig(settings)` without a reader.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSigstoreTrustConfig, type SigstoreTrustConfig } from './sigstoreTrust';

/** Sigstore's public-good trusted_root.json is about 10 KB; anything far larger is not one. */
const MAX_TRUSTED_ROOT = 4 * 1024 * 1024;

/**
 * Parses `{ trustedRoot, identities }`, reading a `trustedRoot` path synchronously (a relative path against
 * `baseDir`, e.g. the workspace folder). Never throws.
 */
export function loadSigstoreTrustConfig(settings: unknown, baseDir?: string): SigstoreTrustConfig {
  return parseSigstoreTrustConfig(settings, (p) => {
    const file = baseDir && !path.isAbsolute(p) ? path.resolve(baseDir, p) : p;
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    if (st.size > MAX_TRUSTED_ROOT) throw new Error('file too large for a trusted root');
    return fs.readFileSync(file);
  });
}

// Fuzz seeds: the shared real-world corpus (../shared/corpus beside the repository), per document kind.
// The corpus is never copied into the repository; without it the fuzzer has nothing to mutate and says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileKind } from '../../../server/out/engine/types';

/** Repository root: this file is compiled to test/out/fuzz/corpus.js. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CORPUS_DIR = process.env.FUZZ_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

export const KINDS: readonly FileKind[] = ['dockerfile', 'nuget-config', 'pipeline'];

/** Corpus folders per kind (the brief's list). */
export const CORPUS_FOLDERS: Record<FileKind, readonly string[]> = {
  dockerfile: ['dockerfiles-windows', 'dockerfiles-linux'],
  'nuget-config': ['nuget-config'],
  pipeline: ['github-workflows', 'azure-pipelines', 'gitlab-ci'],
};

export interface Seed {
  kind: FileKind;
  /** Path relative to the corpus folder (`dockerfiles-windows/owner__repo/Dockerfile`). */
  name: string;
  /** The file's original path in its repository (`.github/workflows/ci.yml`): kinds tell sub-kinds apart by it. */
  originalPath: string;
  text: string;
}

/** Why there are no seeds, or null when the corpus is there. */
export function corpusMissing(): string | null {
  if (!fs.existsSync(CORPUS_DIR)) return `fuzz corpus not found at ${CORPUS_DIR} (set FUZZ_CORPUS or check out shared/ beside the repository): skipped`;
  const missing = KINDS.flatMap((kind) => CORPUS_FOLDERS[kind]).filter((folder) => !fs.existsSync(path.join(CORPUS_DIR, folder)));
  return missing.length > 0 ? `fuzz corpus at ${CORPUS_DIR} lacks ${missing.join(', ')}: skipped` : null;
}

const cache = new Map<FileKind, Seed[]>();

/** Every corpus file of the kind, sorted by name (the order is part of a seed's reproducibility). */
export function seedsOf(kind: FileKind): Seed[] {
  const cached = cache.get(kind);
  if (cached) return cached;
  const seeds: Seed[] = [];
  for (const folder of CORPUS_FOLDERS[kind]) {
    const root = path.join(CORPUS_DIR, folder);
    const walk = (directory: string): void => {
      for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) {
          const relative = path.relative(root, full).split(path.sep);
          seeds.push({
            kind,
            name: path.posix.join(folder, ...relative),
            // <owner>__<repo>[@commit]/<original path>
            originalPath: relative.length > 1 ? relative.slice(1).join('/') : relative[0]!,
            text: fs.readFileSync(full, 'utf8'),
          });
        }
      }
    };
    if (fs.existsSync(root)) walk(root);
  }
  seeds.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  cache.set(kind, seeds);
  return seeds;
}

/** The path a mutated document of the seed is linted under (the original path, made absolute and fake). */
export function fuzzPath(seed: Seed): string {
  return `/fuzz/${seed.originalPath}`;
}

// The file walks of the floor and peer processes, one rule for all: folders in name order, `.git` and
// `node_modules` skipped, files chosen by name — so every process of a section reads exactly the same files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileKindForPath } from '../../../server/out/engine/fileKinds';

/** Every file below the folders whose name `accept` takes, in a stable order. */
export function walkFiles(folders: readonly string[], accept: (name: string) => boolean): string[] {
  const files: string[] = [];
  const walk = (directory: string): void => {
    const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile() && accept(entry.name)) {
        files.push(full);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

/**
 * The CLI's own rule (server/src/cli/walk.ts): only files whose name marks them as Dockerfiles. (Seven
 * corpus files, e.g. `*-Dockerfile.approved.txt`, are not named like Dockerfiles; the CLI skips them when
 * given the folders, and so do these.)
 */
export function walkDockerfiles(folders: readonly string[]): string[] {
  return walkFiles(folders, (name) => fileKindForPath(name) === 'dockerfile');
}

// The file walk of the floor and peer processes: the CLI's own rule (server/src/cli/walk.ts) — folders in
// name order, `.git` and `node_modules` skipped, only files whose name marks them as Dockerfiles — so
// all three processes read exactly the same files. (Seven corpus files, e.g. `*-Dockerfile.approved.txt`,
// are not named like Dockerfiles; the CLI skips them when given the folders, and so do these.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileKindForPath } from '../../../server/out/engine/fileKinds';

export function walkDockerfiles(folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (directory: string): void => {
    const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile() && fileKindForPath(entry.name) === 'dockerfile') {
        files.push(full);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

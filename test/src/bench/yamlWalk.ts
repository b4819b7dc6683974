// The file walk of the pipeline section's in-process contenders and child processes: every `.yml`/`.yaml`
// file below the folders, folders in name order, `.git` and `node_modules` skipped. (The CLI given the
// same folder lints the files it recognises as pipelines — on the workflow corpus all but a few invalid
// or empty fixtures — so its file count is printed beside the others.)
import * as fs from 'node:fs';
import * as path from 'node:path';

export function walkYamlFiles(folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (directory: string): void => {
    const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        files.push(full);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

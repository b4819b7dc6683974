// Temporary workspaces for the LSP tests: a folder removed after the test, and files written into it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh folder, removed after the test. Its real path: the temp dir may be a symlink, and the server compares real paths. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'cg-lsp-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `text` to `relative` inside `dir` (creating its folders) and returns the file's path. */
export function writeFile(dir: string, relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

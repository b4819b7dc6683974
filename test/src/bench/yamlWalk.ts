// The file walk of the pipeline section's in-process contenders and child processes: every `.yml`/`.yaml`
// file below the folders (corpusWalk's order and skipped folders). (The CLI given the same folder lints the
// files it recognises as pipelines — on the workflow corpus all but a few invalid or empty fixtures — so its
// file count is printed beside the others.)
import { walkFiles } from './corpusWalk';

export function walkYamlFiles(folders: readonly string[]): string[] {
  return walkFiles(folders, (name) => /\.ya?ml$/i.test(name));
}

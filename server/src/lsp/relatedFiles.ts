// The LSP side of RuleContext.readRelated: files of the workspace folder that holds the document, read
// from disk (unsaved editor text is not seen), and nothing at all in an untrusted workspace.
// Call site (one line where server.ts builds the LintOptions of a pipeline document):
//   readRelated: relatedReaderFor(filePath, workspaceFolderPaths, trusted)
import * as path from 'node:path';
import type { RelatedReader } from '../engine/rules/rule';
import { relatedReader, repositoryRoot } from '../node/relatedFiles';

export function relatedReaderFor(filePath: string | null, workspaceFolders: readonly string[], trusted: boolean): RelatedReader | undefined {
  if (!trusted || !filePath) return undefined;
  const folder = workspaceFolders
    .filter((candidate) => !path.relative(candidate, filePath).startsWith('..'))
    .sort((a, b) => b.length - a.length)[0];
  if (!folder) return undefined;
  return relatedReader(repositoryRoot(filePath, folder));
}

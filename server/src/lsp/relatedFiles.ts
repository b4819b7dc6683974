// The LSP side of RuleContext.readRelated: files of the workspace folder that holds the document, as the
// editor holds them when they are open (unsaved edits count), else from disk; nothing at all in an
// untrusted workspace. Which files each pipeline read is recorded by lsp/relatedDocuments.ts.
import * as path from 'node:path';
import type { RelatedReader } from '../engine/rules/rule';
import { relatedReader, repositoryRoot, type RelatedReaderOptions } from '../node/relatedFiles';

export function relatedReaderFor(filePath: string | null, workspaceFolders: readonly string[], trusted: boolean, options: Omit<RelatedReaderOptions, 'document'> = {}): RelatedReader | undefined {
  if (!trusted || !filePath) return undefined;
  const folder = workspaceFolders
    .filter((candidate) => !path.relative(candidate, filePath).startsWith('..'))
    .sort((a, b) => b.length - a.length)[0];
  if (!folder) return undefined;
  return relatedReader(repositoryRoot(filePath, folder), { ...options, document: filePath });
}

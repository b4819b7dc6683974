// Pipelines read other files of the workspace while they are linted: the Dockerfiles their jobs build
// (pipeline-cross-file-ltsc) and the files a GitLab pipeline includes. Their diagnostics depend on
// those files, but the lint cache is per pipeline version, so an edit of the Dockerfile alone would
// leave them stale. This records, per pipeline document, every path its last lint asked for (read or
// not: a Dockerfile created later counts), and tells the server which open pipelines to lint again when
// a document with one of those paths is opened, edited or closed (its text then comes from disk again).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RelatedReader } from '../engine/rules/rule';
import { relatedReaderFor } from './relatedFiles';

export interface OpenTexts {
  /** The text of an open document by its absolute path, or null when it is not open. */
  textOf(absolutePath: string): string | null;
}

/** The same path as the recorder saw it: resolved, and through symlinks when it exists. */
function canonical(filePath: string): string[] {
  const resolved = path.resolve(filePath);
  try {
    const real = fs.realpathSync(resolved);
    return real === resolved ? [resolved] : [resolved, real];
  } catch {
    return [resolved];
  }
}

export class RelatedDocuments {
  /** Pipeline uri → the absolute paths its last lint asked for. */
  private readonly reads = new Map<string, Set<string>>();

  /**
   * The reader for one lint of a pipeline: open documents' text first, then the disk. `record` keeps
   * what it asks for as the document's dependencies (replacing the previous lint's); the Lint Workspace
   * command reads without recording (its results are not kept).
   */
  readerFor(uri: string, filePath: string | null, workspaceFolders: readonly string[], trusted: boolean, open: OpenTexts, record: boolean): RelatedReader | undefined {
    const reads = new Set<string>();
    if (record) this.reads.set(uri, reads);
    return relatedReaderFor(filePath, workspaceFolders, trusted, {
      overlay: (absolutePath) => open.textOf(absolutePath),
      ...(record ? { onRead: (absolutePath: string) => { reads.add(absolutePath); } } : {}),
    });
  }

  /** The pipelines whose last lint asked for this file, other than the file itself. */
  dependentsOf(uri: string, filePath: string | null): string[] {
    if (!filePath) return [];
    const paths = canonical(filePath);
    const found: string[] = [];
    for (const [dependent, reads] of this.reads) if (dependent !== uri && paths.some((candidate) => reads.has(candidate))) found.push(dependent);
    return found;
  }

  /** A closed pipeline no longer needs updates. */
  forget(uri: string): void {
    this.reads.delete(uri);
  }
}

/** Open documents' text by absolute path (through symlinks too), for the reader's overlay. */
export function openTexts(all: () => ReadonlyArray<{ uri: string; getText(): string }>, toPath: (uri: string) => string | null): OpenTexts {
  return {
    textOf(absolutePath) {
      for (const document of all()) {
        const filePath = toPath(document.uri);
        if (filePath && canonical(filePath).includes(absolutePath)) return document.getText();
      }
      return null;
    },
  };
}

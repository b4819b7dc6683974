// Custom requests between the VS Code client (client/src/protocol.ts repeats the names; a test keeps them
// equal) and the server, for the commands of the editor: lint or fix the workspace, pin and verify images,
// and the language status item. Other LSP clients never need them: diagnostics, hover and code actions
// are plain LSP.
import type { Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver/node';

/** Files to lint (file: URIs the client found); each is recognised by the server's kinds (path, then content). */
export interface FilesParams {
  uris: string[];
}

/** `containerGuard/lintFiles`: diagnostics of files, open or not. */
export const LINT_FILES_REQUEST = 'containerGuard/lintFiles';
export interface LintFilesResult {
  files: Array<{ uri: string; kind: string; diagnostics: Diagnostic[]; fixable: number }>;
  /** Files not linted, with why: no kind recognised, ignored by settings, too large, unreadable. */
  skipped: Array<{ uri: string; reason: string }>;
}

/** `containerGuard/fixAllFiles`: one edit with the fix-all fixes (safeForFixAll only) of every file. */
export const FIX_ALL_FILES_REQUEST = 'containerGuard/fixAllFiles';
export interface FixAllFilesResult {
  edit: WorkspaceEdit;
  files: number;
}

/** `containerGuard/pinDigests`: every literal tag-only FROM image pinned to the digest a registry lookup found. */
export const PIN_DIGESTS_REQUEST = 'containerGuard/pinDigests';
export interface PinDigestsResult {
  edit: WorkspaceEdit;
  pinned: number;
  /** Images that could not be pinned, with why. */
  notPinned: Array<{ uri: string; range: Range; reference: string; reason: string }>;
  /** Set when nothing was looked up: lookups off, or an untrusted workspace. */
  refused?: string;
}

/** `containerGuard/verifyImages`: the signature verdict of every FROM image in the files. */
export const VERIFY_IMAGES_REQUEST = 'containerGuard/verifyImages';
export interface VerifyImagesResult {
  images: Array<{ uri: string; range: Range; reference: string; verdict: string; summary: string; digest?: string }>;
  refused?: string;
}

/** `containerGuard/status`: what applies to a document or folder (for the language status item and the start line). */
export const STATUS_REQUEST = 'containerGuard/status';
export interface StatusParams {
  uri: string;
}
export interface StatusResult {
  version: string;
  /** The document's kind, null for a folder or a file that is not linted. */
  kind: string | null;
  ruleSet: string;
  teamFile: string | null;
  /** Problems of the team file (0 when there is none); with a YAML error the previous settings stay in force. */
  teamFileProblems: number;
  teamFileStale: boolean;
  ignored: boolean;
  trusted: boolean;
  lookups: boolean;
  offline: boolean;
}

/** Server → client: the team file or trust changed, so the status may have. */
export const STATUS_CHANGED_NOTIFICATION = 'containerGuard/statusChanged';

/** Largest file the workspace commands read (the CLI's default --max-file-size). */
export const MAX_WORKSPACE_FILE_BYTES = 2 * 1024 * 1024;

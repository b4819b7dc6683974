// Names of the custom requests the client sends to the server (server/src/lsp/editorProtocol.ts defines
// them and their types; test/src/lsp/editorProtocol.test.ts keeps the two lists equal). Repeated here so
// the client bundle does not pull server code in.
export const LINT_FILES_REQUEST = 'containerGuard/lintFiles';
export const FIX_ALL_FILES_REQUEST = 'containerGuard/fixAllFiles';
export const PIN_DIGESTS_REQUEST = 'containerGuard/pinDigests';
export const VERIFY_IMAGES_REQUEST = 'containerGuard/verifyImages';
export const STATUS_REQUEST = 'containerGuard/status';
export const STATUS_CHANGED_NOTIFICATION = 'containerGuard/statusChanged';
export const WORKSPACE_TRUST_NOTIFICATION = 'containerGuard/workspaceTrust';

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface StatusResult {
  version: string;
  kind: string | null;
  ruleSet: string;
  teamFile: string | null;
  teamFileProblems: number;
  teamFileStale: boolean;
  ignored: boolean;
  trusted: boolean;
  lookups: boolean;
  offline: boolean;
}

import type { FileKind } from '../../../server/out/engine/types';
import type { Failure } from './inProcess';
export interface StdioKindRun { cases: number; edits: number; requests: number; cancelled: number; configurationChanges: number; failures: Failure[] }
export interface StdioRun { kinds: Record<FileKind, StdioKindRun>; serversStarted: number }
export async function runStdio(_options: { seed: number; seconds: number; progress?: (line: string) => void }): Promise<StdioRun> {
  const empty = (): StdioKindRun => ({ cases: 0, edits: 0, requests: 0, cancelled: 0, configurationChanges: 0, failures: [] });
  return { kinds: { dockerfile: empty(), 'nuget-config': empty(), pipeline: empty() }, serversStarted: 0 };
}

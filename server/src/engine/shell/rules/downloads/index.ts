// Download rules of embedded scripts (RUN, pipeline steps): integrity checks, download-and-execute, cleartext transport.
import type { ScriptRule } from '../../../rules/rule';
import { cleartextDownload } from './cleartextDownload';
import { downloadAndExecute } from './downloadAndExecute';
import { downloadWithoutIntegrityCheck } from './downloadWithoutIntegrityCheck';

export const DOWNLOAD_RULES: ScriptRule[] = [downloadWithoutIntegrityCheck, downloadAndExecute, cleartextDownload];

// RUN download rules: integrity checks, download-and-execute, cleartext transport.
import type { DockerfileRule } from '../../../rule';
import { cleartextDownload } from './cleartextDownload';
import { downloadAndExecute } from './downloadAndExecute';
import { downloadWithoutIntegrityCheck } from './downloadWithoutIntegrityCheck';

export const DOWNLOAD_RULES: DockerfileRule[] = [downloadWithoutIntegrityCheck, downloadAndExecute, cleartextDownload];

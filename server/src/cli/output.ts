// Where a report goes, written as it is produced: standard output (waiting for the reader when the
// pipe is full, so a slow consumer never makes the report pile up in memory) or a file (`--output`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './walk';

export interface ReportOutput {
  write(text: string): Promise<void>;
  /** Everything is written (and the file closed). */
  close(): Promise<void>;
}

/** Standard output. A reader that goes away (`| head`) ends the writing quietly, as other CLIs do. */
export function stdoutOutput(stream: NodeJS.WriteStream = process.stdout): ReportOutput {
  let gone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      gone = true;
      return;
    }
    throw error;
  });
  return {
    async write(text) {
      if (gone || text.length === 0) return;
      if (!stream.write(text)) await drained(stream);
    },
    async close() {
      // Nothing to close: the process ends once what is buffered is flushed.
    },
  };
}

/**
 * Resolves when the stream drains, closes or fails; the listeners are removed either way, so a long
 * report written to a slow pipe does not pile up listeners (an error is the error handler's to report).
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** A file, created (or truncated) before the first file is linted, so a bad path fails early. */
export function fileOutput(file: string): ReportOutput {
  const failed = (error: unknown): InputError => new InputError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (error) {
    // The common mistake (a folder not created yet) said in words, not as ENOENT.
    const folder = path.dirname(file);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(folder)) throw new InputError(`${file}: cannot write: the folder ${folder} does not exist`);
    throw failed(error);
  }
  let closed = false;
  return {
    async write(text) {
      try {
        const bytes = Buffer.from(text, 'utf8');
        for (let offset = 0; offset < bytes.length;) offset += fs.writeSync(fd, bytes, offset);
      } catch (error) {
        throw failed(error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        fs.closeSync(fd);
      } catch (error) {
        throw failed(error);
      }
    },
  };
}

// Reading one file to lint, whatever the repository put under that name: a FIFO or a device (a symlink
// named Dockerfile → /dev/zero) is never opened, a file over the size limit is never read, a binary file
// is not linted as text, and UTF-16 (what PowerShell's `>` writes on Windows) is decoded by its BOM.
// Every refusal is an InputError with a one-line reason; the run reports it for that file and goes on.
import * as fs from 'node:fs';
import { InputError } from './walk';

/** Default `--max-file-size`: far above any real Dockerfile, nuget.config or pipeline (2 MiB). */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export interface InputText {
  text: string;
  /** How the file is written, so `--fix` writes it back the same way. */
  encoding: TextEncoding;
  /** Set when the text is not exactly what the file holds (invalid UTF-8 read with U+FFFD): a one-line warning. */
  warning?: string;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** `1.5 MB`, `300 KB`, `12 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** What a path that is not a regular file is, in words; null for a regular file. */
function notARegularFile(stat: fs.Stats): string | null {
  if (stat.isFile()) return null;
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Reads `file` for linting, or throws InputError saying in one line why it is not linted. */
export function readInput(file: string, maxBytes = DEFAULT_MAX_FILE_SIZE): InputText {
  let stat: fs.Stats;
  try {
    // stat follows symlinks: a symlink is linted as what it points at.
    stat = fs.statSync(file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') throw new InputError('not linted: a symlink loop');
    if (code === 'ENOENT' && isSymlink(file)) throw new InputError(`not linted: a broken symlink (to ${fs.readlinkSync(file)})`);
    throw new InputError(`cannot read (${code})`);
  }
  const what = notARegularFile(stat);
  // Never opened: reading a FIFO waits for a writer, a device such as /dev/zero never ends.
  if (what) throw new InputError(`not linted: ${what}, not a file`);
  if (stat.size > maxBytes) throw new InputError(`not linted: ${formatSize(stat.size)}, over the ${formatSize(maxBytes)} limit (--max-file-size)`);
  const bytes = readAtMost(file, maxBytes);
  return decode(bytes);
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The bytes of a regular file, at most `maxBytes` (the file may have grown since it was measured). Opened
 * non-blocking and checked again once open, so a path swapped for a FIFO in between does not hang the run.
 */
function readAtMost(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`cannot read (${errorCode(error)})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    const what = notARegularFile(stat);
    if (what) throw new InputError(`not linted: ${what}, not a file`);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) throw new InputError(`not linted: over the ${formatSize(maxBytes)} limit (--max-file-size)`);
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read (${errorCode(error)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Text by BOM (UTF-8, UTF-16LE, UTF-16BE), otherwise UTF-8; binary content (NUL bytes) is refused. */
export function decode(bytes: Buffer): InputText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  // No text format linted here has NUL bytes; UTF-16 without a BOM has them in every ASCII character.
  const nul = body.indexOf(0);
  if (nul >= 0) throw new InputError(`not linted: binary content (a NUL byte at offset ${nul + (bom ? 3 : 0)}); UTF-16 needs a byte-order mark`);
  const encoding: TextEncoding = bom ? 'utf-8-bom' : 'utf-8';
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding };
  } catch {
    // Linted anyway (most of a Windows-1252 file is ASCII), but said: quoted text may show U+FFFD.
    const text = new TextDecoder('utf-8').decode(body);
    return { text, encoding, warning: `not valid UTF-8 (first invalid byte near offset ${firstInvalidUtf8(body, text) + (bom ? 3 : 0)}): linted with U+FFFD in place of the invalid bytes; --fix leaves it alone` };
  }
}

/**
 * Offset of the first byte sequence that is not valid UTF-8, from the text decoded with replacement
 * characters: everything before the first U+FFFD that the bytes do not spell out (EF BF BD) was valid, so
 * its UTF-8 length is the offset.
 */
function firstInvalidUtf8(bytes: Buffer, decoded: string): number {
  for (let at = decoded.indexOf('\ufffd'); at >= 0; at = decoded.indexOf('\ufffd', at + 1)) {
    const offset = Buffer.byteLength(decoded.slice(0, at), 'utf8');
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
  }
  return bytes.length;
}

/** `text` in `encoding`, for writing a fixed file back as it was written. */
export function encode(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf-8': return Buffer.from(text, 'utf8');
    case 'utf-8-bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be': return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  }
}

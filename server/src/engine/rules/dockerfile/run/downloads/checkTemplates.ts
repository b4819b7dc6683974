// The hash check the quick fix of download-without-integrity-check inserts after a download, written in
// the shell that runs the download and quoted so that it survives the text around it (a JSON-form RUN,
// a `powershell -Command "…"` or `sh -c '…'` wrapper).
import type { DockerfileModel } from '../../../../dockerfile/model';
import type { RunAnalysis } from '../../../../shell/runAnalysis';
import type { ShellKind } from '../../../../shell/types';
import { CHECKSUM_PLACEHOLDER } from '../../../dockerfile/addRemoteWithoutChecksum';
import { basenameOf } from './filePaths';

/** The stand-in for the expected hash: ADD's `--checksum` placeholder without its algorithm prefix. */
export const EXPECTED_HASH_PLACEHOLDER = CHECKSUM_PLACEHOLDER.replace(/^sha256:/, '');
/** The placeholder without its angle brackets, which cmd reads as redirections and splits off. */
export const PLACEHOLDER_WORD = EXPECTED_HASH_PLACEHOLDER.replace(/[<>]/g, '');

/** Inside which quotes the inserted text will stand. */
export type QuoteContext = 'none' | 'single' | 'double' | 'json';

export interface FileReference {
  /** The file as written in the document (quotes, variables and JSON escapes included), or null when the name comes from the URL. */
  written: string | null;
  /** The file path as the shell sees it. */
  path: string;
}

/** The check, starting with the separator that joins it to the download (`; ` or ` && `). */
export function checkTemplate(shell: ShellKind, file: FileReference, context: QuoteContext): string {
  switch (shell) {
    case 'powershell': {
      const quote = context === 'single' ? '"' : '\'';
      const path = file.written !== null && /^['"$(]/.test(file.written) ? file.written : `${quote}${file.written ?? file.path}${quote}`;
      const name = basenameOf(file.path).replace(/[^\w.-]/g, '') || 'download';
      return `; if ((Get-FileHash ${path} -Algorithm SHA256).Hash -ne ${quote}${EXPECTED_HASH_PLACEHOLDER}${quote}) { throw ${quote}${name}: unexpected SHA256${quote} }`;
    }
    case 'cmd':
      return ` && certutil -hashfile ${file.written ?? file.path} SHA256 | findstr /i ${EXPECTED_HASH_PLACEHOLDER}`;
    case 'posix': {
      const quote = context === 'json' ? '\\"' : context === 'double' ? '\'' : '"';
      const path = (file.written ?? file.path).replace(/^(['"])(.*)\1$/s, '$2');
      return ` && echo ${quote}${EXPECTED_HASH_PLACEHOLDER}  ${path}${quote} | sha256sum -c -`;
    }
  }
}

/**
 * The quotes open at a document offset inside a RUN: JSON for the exec form, else whatever quote the
 * RUN's own shell left open (a wrapper's script argument). cmd knows only double quotes.
 */
export function quoteContextAt(model: DockerfileModel, run: RunAnalysis, offset: number): QuoteContext {
  if (run.form === 'json') return 'json';
  const changes = quoteChangesOf(model, run);
  // The last change at or before `offset - 1` (the state after reading every character before it).
  let low = 0;
  let high = changes.offsets.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (changes.offsets[middle]! < offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found < 0 ? 'none' : changes.states[found]!;
}

interface QuoteChanges {
  /** Document offsets of the characters after which the quote state changes, ascending. */
  offsets: number[];
  states: QuoteContext[];
}

const quoteChanges = new WeakMap<RunAnalysis, QuoteChanges>();

/** One scan of the RUN per document, so a RUN with a thousand downloads is not rescanned for each. */
function quoteChangesOf(model: DockerfileModel, run: RunAnalysis): QuoteChanges {
  let changes = quoteChanges.get(run);
  if (changes) return changes;
  changes = { offsets: [], states: [] };
  quoteChanges.set(run, changes);
  const range = run.instruction.getArgumentsRange();
  if (!range) return changes;
  const text = model.document.getText();
  const escape = run.shell === 'powershell' ? '`' : run.shell === 'posix' ? '\\' : '^';
  const end = model.document.offsetAt(range.end);
  let open: '"' | '\'' | null = null;
  for (let i = model.document.offsetAt(range.start); i < end; i++) {
    const c = text[i]!;
    const before: '"' | '\'' | null = open;
    if (c === escape && open !== '\'') i++;
    else if (open === null && (c === '"' || (c === '\'' && run.shell !== 'cmd'))) open = c;
    else if (c === open) open = null;
    if (open !== before) {
      changes.offsets.push(i);
      changes.states.push(open === '"' ? 'double' : open === '\'' ? 'single' : 'none');
    }
  }
  return changes;
}

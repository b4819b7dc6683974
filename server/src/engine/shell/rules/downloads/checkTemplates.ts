// The hash check the quick fix of download-without-integrity-check inserts after a download, written in
// the shell that runs the download and quoted so that it survives the text around it (a JSON-form RUN,
// a `powershell -Command "…"` or `sh -c '…'` wrapper; the host tells which quotes are open there).
import type { QuoteContext } from '../../scriptHost';
import type { ShellKind } from '../../types';
import { basenameOf } from './filePaths';

/** The `ADD --checksum=` placeholder of add-remote-without-checksum's quick fix (defined here: that rule reads this module). */
export const CHECKSUM_PLACEHOLDER = 'sha256:<sha256-of-the-download>';
/** The stand-in for the expected hash: ADD's `--checksum` placeholder without its algorithm prefix. */
export const EXPECTED_HASH_PLACEHOLDER = CHECKSUM_PLACEHOLDER.replace(/^sha256:/, '');
/** The placeholder without its angle brackets, which cmd reads as redirections and splits off. */
export const PLACEHOLDER_WORD = EXPECTED_HASH_PLACEHOLDER.replace(/[<>]/g, '');

export type { QuoteContext };

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
      // A bare name with a variable in it (`tool-$($env:V).zip`) keeps expanding: double quotes, where no quote is open.
      const pathQuote = context === 'none' && file.written !== null && file.written.includes('$') ? '"' : quote;
      const path = file.written !== null && /^['"$(]/.test(file.written) ? file.written : `${pathQuote}${file.written ?? file.path}${pathQuote}`;
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

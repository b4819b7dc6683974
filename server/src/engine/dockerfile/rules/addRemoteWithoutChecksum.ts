import { ModifiableInstruction, type Instruction } from 'dockerfile-ast';
import { excerpt } from '../../excerpt';
import type { Fix } from '../../types';
import type { DockerfileRule } from '../../rules/rule';
import type { DockerfileModel, Stage } from '../model';
import { descendsFrom, dockerfileScriptHost, expandedAddSource, type RunAnalysis } from '../../shell/runAnalysis';
import { integrityChecksOf } from '../../shell/rules/downloads/integrityChecks';
import { basenameOf, normalizePath } from '../../shell/rules/downloads/filePaths';
import { CHECKSUM_PLACEHOLDER } from '../../shell/rules/downloads/checkTemplates';

/** What `--checksum=` accepts (BuildKit dockerfile frontend 1.6+): an algorithm and a full hex digest. */
const VALID_CHECKSUM = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/i;

export const addRemoteWithoutChecksum: DockerfileRule = {
  meta: {
    id: 'add-remote-without-checksum',
    title: '`ADD` downloads a remote file without `--checksum`',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [494],
    references: ['NIST SP 800-190 §4.1.3', 'CIS Docker Benchmark 4.9', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 7.0,
  },
  check(model, report) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'ADD' || !(instruction instanceof ModifiableInstruction)) continue;
        const flags = instruction.getFlags();
        const args = instruction.getArguments();
        // The last argument is the destination; flags are not part of getArguments().
        // Sources through ARG/ENV (`ADD ${CHANNEL_URL} …`) are judged by the value they have here.
        const remoteSources = args.slice(0, -1).flatMap((arg) => {
          const source = expandedAddSource(model, stage, instruction, arg.getValue());
          return source && isHttpDownload(source.url) ? [{ arg, ...source }] : [];
        });
        if (remoteSources.length === 0) continue;
        const checksum = flags.find((flag) => flag.getName() === 'checksum');
        const checksumValue = checksum?.getValue() ?? null;
        if (checksum && checksumValue !== null && VALID_CHECKSUM.test(checksumValue)) continue;
        // Checked by a later RUN (`Get-FileHash x`, `sha256sum x`, `gpg --verify x.sig x`), as a RUN download
        // may be (download-without-integrity-check): a tampered file then fails the build there.
        if (!checksum && remoteSources.length === 1 && checkedLater(model, stage, instruction, addedFileName(remoteSources[0]!.url, args[args.length - 1]!.getValue()))) continue;
        const windowsNote = stage.platform.os === 'windows'
          ? ' (Classic Windows builder: check `Get-FileHash` in a RUN.)'
          : '';
        if (checksum) {
          report({
            range: checksum.getValueRange() ?? checksum.getRange(),
            message: `\`--checksum\` must be \`sha256:\` followed by the 64-digit hex digest of the download (sha384/sha512 also work); \`${excerpt(checksumValue ?? '')}\` is not.`,
          });
          continue;
        }
        const { arg: source, url, viaVariables } = remoteSources[0]!;
        const keywordEnd = instruction.getInstructionRange().end;
        const fix: Fix = {
          title: 'Add a --checksum placeholder to fill in',
          edits: [{ range: { start: keywordEnd, end: keywordEnd }, newText: ` --checksum=${CHECKSUM_PLACEHOLDER}` }],
          // A placeholder breaks the build until filled in: offered, never applied by fix-all.
          safeForFixAll: false,
        };
        report({
          range: source.getRange(),
          // Written as a variable (`ADD ${CHANNEL_URL} …`), the message also names the URL it stands for here.
          message: `\`ADD ${excerpt(source.getValue())}\`${viaVariables && source.getValue().startsWith('$') ? ` (\`${excerpt(url)}\` here)` : ''} trusts whatever the server returns; add \`--checksum=sha256:<digest>\`.${windowsNote}`,
          fixes: [fix],
        });
      }
    }
  },
};

/** http(s) URLs that are plain downloads; git repositories (`.git`, `#ref`) are pinned by commit instead. */
function isHttpDownload(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  const withoutFragment = value.split('#')[0]!;
  return !value.includes('#') && !/\.git\/?$/i.test(withoutFragment);
}

/** The file an `ADD <url> <dest>` writes: `dest` itself, or the URL's last path segment in a `dest/` folder. */
function addedFileName(url: string, destination: string): string {
  const folder = /[\\/]$/.test(destination) || destination === '.';
  const name = folder ? basenameOf(url.replace(/[?#].*$/, '')) : basenameOf(destination);
  return name;
}

/**
 * A RUN after the ADD — later in its stage, or in a stage built FROM it — runs an integrity check that names
 * the added file (by base name: the RUN may name it relative to WORKDIR).
 */
function checkedLater(model: DockerfileModel, stage: Stage, add: Instruction, fileName: string): boolean {
  if (fileName === '') return false;
  const windows = stage.platform.os === 'windows';
  const wanted = normalizePath(fileName, windows);
  const addLine = add.getRange().start.line;
  return integrityChecksOf(dockerfileScriptHost(model)).some((check) => {
    const run = check.placed.run as RunAnalysis;
    const after = run.stage === stage ? run.instruction.getRange().start.line > addLine : descendsFrom(run.stage, stage);
    return after && check.files.some((file) => basenameOf(normalizePath(file, windows)) === wanted);
  });
}

// Writes syntaxes/dockerfile-shell.tmLanguage.json: an injection into VS Code's built-in Dockerfile
// grammar (`source.dockerfile`) that embeds PowerShell (`source.powershell`) or batch
// (`source.batchfile`, both built into VS Code) in the shell form of RUN.
//
//   node syntaxes/generate.mjs           rewrite the JSON
//   node syntaxes/generate.mjs --check   exit 1 if the committed JSON differs (run by the grammar test)
//
// Generated because every rule that ends with the instruction exists twice: once for the default
// escape character `\` and once for `# escape=\`` (a TextMate rule cannot take its end pattern from
// the file), and writing the same regular expressions twice by hand is how they drift apart.
//
// Which shell a RUN line is written for (a TextMate grammar sees text, not the base image):
//   1. `SHELL ["powershell" | "pwsh" | "…\pwsh.exe", …]`: PowerShell until the next SHELL or FROM.
//   2. `SHELL ["cmd" | "cmd.exe", …]`: batch until the next SHELL or FROM.
//   3. Any other SHELL (`["/bin/bash", "-c"]`): no embedding until the next SHELL or FROM.
//   4. No SHELL yet in the stage: batch (Docker's Windows default, `cmd /S /C`) when
//        - the file starts with the `# escape=\`` directive (written for Windows paths), for every stage, or
//        - the FROM line names a Windows image (windows, servercore, nanoserver, dotnet/framework,
//          ltsc20xx, --platform=windows/…);
//      otherwise (Linux or unknown, e.g. `FROM ${BASE}`) nothing is embedded.
//   5. In batch stages and unknown stages, the usual wrappers are recognised wherever they appear:
//      `powershell|pwsh [options] -Command <script>` (quoted or not) embeds PowerShell, and in unknown
//      stages `cmd [/S] /C <command>` embeds batch.
// The instruction ends at a line that does not end with the escape character (comment and blank lines
// inside a continuation are skipped, as Docker does); should an embedded rule swallow that line end,
// a line starting with an upper-case Dockerfile instruction ends it anyway.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.join(here, 'dockerfile-shell.tmLanguage.json');

const INSTRUCTIONS = 'ADD|ARG|CMD|COPY|ENTRYPOINT|ENV|EXPOSE|FROM|HEALTHCHECK|LABEL|MAINTAINER|ONBUILD|RUN|SHELL|STOPSIGNAL|USER|VOLUME|WORKDIR';
const WINDOWS_IMAGE = String.raw`(?i:windows|servercore|nanoserver|dotnet/framework|ltsc20[0-9]{2})`;
/** A stage lasts until the next SHELL or FROM (which then opens the next region). */
const STAGE_END = String.raw`^(?=[ \t]*(?i:FROM|SHELL)(?:[ \t]|$))`;
/** RUN, its flags (--mount=…, --network=…), and not the exec form (`[`) or a heredoc (`<<`). */
const RUN_BEGIN = String.raw`^[ \t]*((?i:RUN))[ \t]+((?:--[A-Za-z-]+(?:=[^ \t]*)?[ \t]+)*)`;
const RUN_SHELL_FORM = String.raw`(?![\[]|<<)`;
const PS_HOST = String.raw`(?<![\w.\\/-])((?:[\w:.\\/-]*[\\/])?(?i:powershell|pwsh)(?i:\.exe)?)`;
// Options before -Command (`-NoProfile`, `-ExecutionPolicy Bypass`), not -Command/-EncodedCommand/-File.
const PS_OPTIONS = String.raw`((?:[ \t]+-(?!(?i:c|command|e|ec|encodedcommand|f|file)\b)[A-Za-z]+(?:[ \t]+(?![-"])[^ \t"]+)?)*)`;
const PS_COMMAND = String.raw`[ \t]+(-(?i:c|command))[ \t]+`;
const CMD_HOST = String.raw`(?<![\w.\\/-])((?:[\w:.\\/-]*[\\/])?(?i:cmd)(?i:\.exe)?)((?:[ \t]+/(?![cCkK]\b)[A-Za-z](?::[^ \t]*)?)*)[ \t]+(/[cCkK])\b[ \t]*`;

const KEYWORD = { name: 'keyword.other.special-method.dockerfile' };
const FLAG = { name: 'variable.parameter.flag.dockerfile' };
const OPTION = { name: 'variable.parameter.option.dockerfile' };

function mode(id, escape) {
  const e = escape === '\\' ? '\\\\' : '`';
  // vscode-textmate appends \n to every line it tokenizes, so `$` would also match after it (at the
  // end of the string, where the look-behind no longer sees the escape character): end before it.
  // Zero-width, so the run region and any wrapper region inside it end at the same place.
  const end = String.raw`(?<!${e}|${e}[ \t]|${e}[ \t]{2})(?=\n)|^(?=[ \t]*(?:${INSTRUCTIONS})(?:[ \t]|$))`;
  const r = (name) => `#${name}-${id}`;
  const rules = {};
  rules[`continuation-${id}`] = {
    patterns: [
      { match: `${e}(?=[ \\t]*$)`, name: 'constant.character.escape.line-continuation.dockerfile' },
      // Docker drops comment and empty lines inside a continuation; consuming the line end keeps the
      // instruction open.
      { match: String.raw`^([ \t]*)((#).*\n)`, captures: { 1: { name: 'punctuation.whitespace.comment.leading.dockerfile' }, 2: { name: 'comment.line.number-sign.dockerfile' }, 3: { name: 'punctuation.definition.comment.dockerfile' } } },
      { match: String.raw`^[ \t]*\n` },
    ],
  };
  // PowerShell's own line comment ends with `$\n?` and would swallow the line end (and with it the
  // end of the instruction); this one stops before it and before a continuation character.
  rules[`powershell-comment-${id}`] = {
    match: String.raw`(?<![\w\x60<-])(#).*?(?=[ \t]*(?:${e}[ \t]*)?$)`,
    name: 'comment.line.powershell',
    captures: { 1: { name: 'punctuation.definition.comment.powershell' } },
  };
  rules[`powershell-wrapper-${id}`] = {
    patterns: [
      {
        begin: `${PS_HOST}${PS_OPTIONS}${PS_COMMAND}(")`,
        beginCaptures: { 1: { name: 'support.function.powershell-host.dockerfile' }, 2: OPTION, 3: OPTION, 4: { name: 'punctuation.definition.string.begin.dockerfile' } },
        end: `(")|${end}`,
        endCaptures: { 1: { name: 'punctuation.definition.string.end.dockerfile' } },
        name: 'meta.container-guard.wrapper.powershell',
        contentName: 'meta.embedded.block.powershell source.powershell',
        patterns: [
          { match: String.raw`\\"`, name: 'constant.character.escape.dockerfile' },
          { include: `#continuation-${id}` },
          { match: String.raw`(?<![\w\x60<-])(#)[^"\n]*?(?=[ \t]*(?:${e}[ \t]*)?$|")`, name: 'comment.line.powershell', captures: { 1: { name: 'punctuation.definition.comment.powershell' } } },
          { include: 'source.powershell' },
        ],
      },
      {
        begin: `${PS_HOST}${PS_OPTIONS}${PS_COMMAND}(?=[^" \\t])`,
        beginCaptures: { 1: { name: 'support.function.powershell-host.dockerfile' }, 2: OPTION, 3: OPTION },
        end,
        name: 'meta.container-guard.wrapper.powershell',
        contentName: 'meta.embedded.block.powershell source.powershell',
        patterns: [{ include: `#continuation-${id}` }, { include: r('powershell-comment') }, { include: 'source.powershell' }],
      },
    ],
  };
  rules[`cmd-wrapper-${id}`] = {
    begin: CMD_HOST,
    beginCaptures: { 1: { name: 'support.function.cmd-host.dockerfile' }, 2: OPTION, 3: OPTION },
    end,
    name: 'meta.container-guard.wrapper.cmd',
    contentName: 'meta.embedded.block.batchfile source.batchfile',
    patterns: [{ include: `#continuation-${id}` }, { include: 'source.batchfile' }],
  };
  rules[`run-powershell-${id}`] = {
    begin: RUN_BEGIN + RUN_SHELL_FORM,
    beginCaptures: { 1: KEYWORD, 2: FLAG },
    end,
    name: 'meta.container-guard.run.powershell',
    contentName: 'meta.embedded.block.powershell source.powershell',
    patterns: [{ include: `#continuation-${id}` }, { include: r('powershell-comment') }, { include: 'source.powershell' }],
  };
  rules[`run-cmd-${id}`] = {
    begin: RUN_BEGIN + RUN_SHELL_FORM,
    beginCaptures: { 1: KEYWORD, 2: FLAG },
    end,
    name: 'meta.container-guard.run.cmd',
    contentName: 'meta.embedded.block.batchfile source.batchfile',
    patterns: [{ include: `#continuation-${id}` }, { include: r('powershell-wrapper') }, { include: 'source.batchfile' }],
  };
  // A RUN in a stage of unknown shell that starts with an explicit powershell/pwsh/cmd call.
  rules[`run-wrapped-${id}`] = {
    begin: RUN_BEGIN + String.raw`(?=(?:[\w:.\\/-]*[\\/])?(?i:powershell|pwsh|cmd)(?i:\.exe)?[ \t])`,
    beginCaptures: { 1: KEYWORD, 2: FLAG },
    end,
    name: 'meta.container-guard.run.wrapped',
    patterns: [{ include: `#continuation-${id}` }, { include: r('powershell-wrapper') }, { include: r('cmd-wrapper') }],
  };
  const stage = (kind, begin, beginCaptures, run) => ({
    begin,
    beginCaptures,
    end: STAGE_END,
    name: `meta.container-guard.stage.${kind}`,
    patterns: [...run.map((name) => ({ include: r(name) })), { include: 'source.dockerfile' }],
  });
  const shell = (program) => String.raw`^[ \t]*((?i:SHELL))[ \t]+(?=\[[ \t]*"${program}")`;
  const from = (lookahead) => String.raw`^[ \t]*((?i:FROM))[ \t]+${lookahead}(?:(--platform=[^ \t]*)[ \t]+)?([^ \t]+)(?:[ \t]+((?i:AS))(?=[ \t]))?`;
  const fromCaptures = { 1: KEYWORD, 2: FLAG, 4: KEYWORD };
  rules[`shell-powershell-${id}`] = stage('powershell', shell(String.raw`(?:[^"]*[\\/])?(?i:powershell|pwsh)(?i:\.exe)?`), { 1: KEYWORD }, ['run-powershell']);
  rules[`shell-cmd-${id}`] = stage('cmd', shell(String.raw`(?:[^"]*[\\/])?(?i:cmd)(?i:\.exe)?`), { 1: KEYWORD }, ['run-cmd']);
  rules[`shell-other-${id}`] = stage('other', String.raw`^[ \t]*((?i:SHELL))[ \t]+(?=\[)`, { 1: KEYWORD }, ['run-wrapped']);
  rules[`from-windows-${id}`] = stage('cmd', from(String.raw`(?=[^#\n]*${WINDOWS_IMAGE})`), fromCaptures, ['run-cmd']);
  rules[`from-any-${id}`] = stage('cmd', from(''), fromCaptures, ['run-cmd']);
  rules[`stages-${id}`] = {
    patterns: [
      { include: r('shell-powershell') },
      { include: r('shell-cmd') },
      { include: r('shell-other') },
      // With `# escape=\`` every stage without SHELL is taken for a Windows one.
      { include: escape === '`' ? r('from-any') : r('from-windows') },
      { include: r('run-wrapped') },
    ],
  };
  return rules;
}

const grammar = {
  $comment: 'Generated by syntaxes/generate.mjs; edit that file and run it.',
  scopeName: 'source.container-guard.dockerfile-shell',
  // `-meta.container-guard`: once one of these regions is open its own patterns apply (no nesting);
  // strings and comments of the Dockerfile grammar are left alone.
  injectionSelector: 'L:source.dockerfile -meta.container-guard -string -comment',
  patterns: [
    {
      // The escape parser directive (Docker reads it only at the top, before any instruction).
      begin: String.raw`^([ \t]*)((#)[ \t]*((?i:escape))[ \t]*(=)[ \t]*(\x60)[ \t]*\n)`,
      beginCaptures: {
        1: { name: 'punctuation.whitespace.comment.leading.dockerfile' },
        2: { name: 'comment.line.number-sign.dockerfile' },
        3: { name: 'punctuation.definition.comment.dockerfile' },
        4: { name: 'keyword.control.directive.dockerfile' },
        5: { name: 'keyword.operator.assignment.dockerfile' },
        6: { name: 'constant.character.escape.dockerfile' },
      },
      end: '(?!)',
      name: 'meta.container-guard.escape-backtick',
      patterns: [{ include: '#stages-backtick' }, { include: 'source.dockerfile' }],
    },
    { include: '#stages-backslash' },
  ],
  repository: { ...mode('backslash', '\\'), ...mode('backtick', '`') },
};

const text = JSON.stringify(grammar, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), target)} is out of date: run node syntaxes/generate.mjs`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, text);
}

// Mutations of corpus documents, as plain data so that fast-check can shrink them: a case is a seed file,
// a window of its lines (most cases: small windows keep 100,000 cases per kind within minutes; some take
// the whole file) and a list of mutations applied in order. Each mutation addresses the text by integers
// taken modulo its length, so any shrunk value still means something.
import fc from 'fast-check';
import type { FileKind } from '../../../server/out/engine/types';
import type { Seed } from './corpus';

export type Mutation =
  | { type: 'truncate'; at: number }
  | { type: 'delete'; at: number; length: number }
  | { type: 'insert'; at: number; text: string }
  | { type: 'replaceChar'; at: number; char: string }
  | { type: 'duplicateLines'; line: number; count: number; times: number }
  | { type: 'deleteLines'; line: number; count: number }
  | { type: 'swapLines'; a: number; b: number }
  | { type: 'unbalancedQuote'; at: number; quote: string }
  | { type: 'hugeToken'; at: number; unit: string; repeat: number }
  | { type: 'hugeLine'; line: number; unit: string; repeat: number }
  | { type: 'continuations'; line: number; count: number; marker: string; body: string }
  | { type: 'loneSurrogate'; at: number; code: number }
  | { type: 'nul'; at: number }
  | { type: 'bom' }
  | { type: 'lineEndings'; mode: 'crlf' | 'cr' | 'lf' | 'mixed'; salt: number }
  | { type: 'crBeforeLf'; nth: number }
  | { type: 'indent'; line: number; prefix: string }
  | { type: 'deepNesting'; at: number; open: string; close: string; depth: number }
  | { type: 'template'; at: number; template: string };

export interface FuzzCase {
  seed: number;
  /** Line window: start line (modulo the line count) and length; length 0 = the whole file. */
  start: number;
  length: number;
  mutations: Mutation[];
  /** Which settings variant to lint with (settings.ts). */
  settings: number;
  /** Positions for hover/completion/code actions, as (line, character) pairs taken modulo size + slack. */
  probes: Array<[number, number]>;
}

/** Tokens that mean something to one of the parsers, inserted at random places. */
const COMMON_TOKENS = [
  '\\', '`', '"', "'", '$', '${', '}', '$(', ')', '#', ' ', '\t', '\n', '\r', '\r\n', '\u2028', '\u00a0', '\ufeff', '\0',
  '\ud800', '\udc00', '😀', 'é', '=', ':', '@', '@sha256:', '--', '&&', '||', ';', '|', '<<', '<<EOF', 'EOF',
  '# container-guard ignore=', '# container-guard global ignore=base-image-latest', '# hadolint ignore=DL3006,DL3008',
];
const DOCKERFILE_TOKENS = [
  'FROM ', 'FROM mcr.microsoft.com/windows/servercore:ltsc2019', 'FROM --platform=$BUILDPLATFORM ', ' AS build', 'ARG ', 'ENV ',
  'RUN ', 'RUN <<EOF\n', 'SHELL ["powershell", "-Command"]', 'SHELL ["cmd", "/S", "/C"]', 'USER ContainerAdministrator', 'USER root',
  'ADD https://example.com/x.zip /x.zip', 'COPY --from=0 ', '# escape=`\n', '# escape=\\\n', '# syntax=docker/dockerfile:1\n',
  'ONBUILD ', 'HEALTHCHECK CMD ', 'Invoke-WebRequest -Uri http://x/y.msi -OutFile y.msi; ', 'curl -fsSL http://x | sh', 'iex (iwr ',
  'Start-Process msiexec -ArgumentList ', 'net user x P@ssw0rd /add', 'Set-MpPreference -DisableRealtimeMonitoring $true', '[Net.ServicePointManager]::',
  'ENV PASSWORD=hunter2', '${VAR:-default}', '$env:PATH', '%PATH%', 'apt-get install -y curl', 'pip install x', 'choco install -y git',
];
const XML_TOKENS = [
  '<', '>', '/>', '</', '<?xml version="1.0" encoding="utf-8"?>', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&lt;', '&#x0;', '&#65;', '&undefined;',
  '<!DOCTYPE configuration [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
  '<!ENTITY x SYSTEM "file:///etc/passwd">', '&c;', '&x;', '<configuration>', '</configuration>', '<packageSources>', '</packageSources>', '<clear />',
  '<add key="x" value="http://example.com/nuget/v3/index.json" />', '<add key="x" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />',
  '<packageSourceCredentials><x><add key="Username" value="u" /><add key="ClearTextPassword" value="p" /></x></packageSourceCredentials>',
  '<config><add key="signatureValidationMode" value="accept" /></config>', '<trustedSigners>', '<packageSourceMapping>', '<package pattern="*" />',
  'xmlns="urn:x"', 'xmlns:a="b"', ' key=', ' value=', '="', "='", '<!-- container-guard ignore=nuget-http-source -->', '<!-- container-guard global ignore=',
];
const YAML_TOKENS = [
  '---\n', '...\n', '%YAML 1.2\n', '&a ', '*a', '<<: *a', '&anchor', '*anchor', '!!str ', '!!binary ', '!custom ', '? ', '- ', '-', ': ', '|', '>-', '|+', '|2',
  '{', '}', '[', ']', '{a: [b, {c: d}]}', '[a, b, {c: [d]}]', '\t', '  ', '"', "'", '${{ github.event.issue.title }}', '${{ secrets.TOKEN }}', '$(Build.SourceBranch)',
  'uses: actions/checkout@v4', 'uses: docker://alpine', 'run: |\n', 'run: echo ', 'steps:\n', 'jobs:\n', 'on: pull_request_target\n', 'permissions: write-all\n',
  'with:\n  persist-credentials: true\n', 'image: ubuntu:latest', 'script:\n', '  - curl http://x | bash\n', 'pool:\n  vmImage: windows-latest\n', 'trigger: none\n',
  'password: hunter2', 'env:\n  TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345\n', '- task: PowerShell@2\n  inputs:\n    script: iex ', '# container-guard ignore=pipeline-unpinned-action',
];

export function tokensOf(kind: FileKind): string[] {
  return [...COMMON_TOKENS, ...(kind === 'dockerfile' ? DOCKERFILE_TOKENS : kind === 'nuget-config' ? XML_TOKENS : YAML_TOKENS)];
}

/** Larger structures per kind, each a function of a number (how many). */
const TEMPLATES: Record<FileKind, string[]> = {
  dockerfile: [
    'FROM a AS s{n}\nCOPY --from=s{m} / /\n', 'ARG V{n}=1\nFROM image:${V{n}}\n', 'RUN a \\\n\\\n\\\n  b\n', 'RUN powershell -Command `\n  $x = 1; `\n  iwr http://x/{n}\n',
    'RUN <<EOF{n}\necho {n}\nEOF{n}\n', 'ENV A{n}=${A{m}:-${A{n}}}\n', '# escape=`\nFROM x\nRUN a `\n b\n', 'HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n',
  ],
  'nuget-config': [
    '<a{n}>', '</a{n}>', '<add key="k{n}" value="http://feed{n}.example/v3/index.json" />\n', '<packageSource key="k{n}"><package pattern="p{m}.*" /></packageSource>\n',
    '<!ENTITY e{n} "&e{m};&e{m};">', '<![CDATA[{n}]]>', '<?pi {n}?>', '<x{n} a="1" a="2">',
  ],
  pipeline: [
    'a{n}: &a{n} {b: *a{m}}\n', 'x{n}: [*a{m}, *a{m}, *a{m}]\n', '- run: echo ${{ github.event.pull_request.title }} {n}\n', 'jobs:\n  j{n}:\n    steps:\n      - uses: actions/checkout@v{n}\n',
    '<<: *a{m}\n', 'k{n}: !!set {a, b}\n', '? [a{n}, b]\n: c\n', 'steps:\n- script: |\n    curl http://x{n} | sh\n',
  ],
};

const position = fc.nat({ max: 1 << 20 });
const smallCount = fc.integer({ min: 1, max: 8 });

function mutationArbitrary(kind: FileKind): fc.Arbitrary<Mutation> {
  const tokens = tokensOf(kind);
  const text = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    // Any code points (fc.string's 'binary' unit costs seconds of set-up per arbitrary).
    { weight: 1, arbitrary: fc.array(fc.nat({ max: 0x10ffff }), { maxLength: 8 }).map((points) => points.map((point) => String.fromCodePoint(point)).join('')) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...tokens), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('')) },
  );
  const unit = fc.oneof(fc.constantFrom('a', 'A1', '\\', '`', '$', '"', "'", ' ', '\t', '-', '<', '&a;', '*a ', '{', '[', 'é', '😀', '\\\n', '$(', '${'), fc.string({ minLength: 1, maxLength: 3 }));
  // Mostly modest sizes (100,000 cases per kind must fit in minutes); 1 in 10 large. The scaling
  // section (scaling.ts) drives sizes up to 16× on purpose.
  const huge = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 20, max: 1_500 }) }, { weight: 1, arbitrary: fc.integer({ min: 1_500, max: 20_000 }) });
  const many = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 150 }) }, { weight: 1, arbitrary: fc.integer({ min: 150, max: 3_000 }) });
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ type: fc.constant('truncate' as const), at: position }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 8, arbitrary: fc.record({ type: fc.constant('insert' as const), at: position, text }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('replaceChar' as const), at: position, char: fc.constantFrom('\\', '`', '"', "'", '\n', '\r', ' ', '\t', ':', '-', '<', '>', '&', '#', '{', '[', '$') }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('duplicateLines' as const), line: position, count: smallCount, times: fc.integer({ min: 1, max: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('deleteLines' as const), line: position, count: smallCount }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('swapLines' as const), a: position, b: position }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('unbalancedQuote' as const), at: position, quote: fc.constantFrom('"', "'", '`', '"""', '\\"', "''") }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('hugeToken' as const), at: position, unit, repeat: huge }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('hugeLine' as const), line: position, unit, repeat: huge }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('continuations' as const), line: position, count: many, marker: fc.constantFrom('\\', '`', ' \\', ' `', '\\ ', ''), body: fc.constantFrom('', '  a', '  #c', '  && b', '  -x', ' "', '  $(', '\t') }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('loneSurrogate' as const), at: position, code: fc.integer({ min: 0xd800, max: 0xdfff }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('nul' as const), at: position }) },
    { weight: 1, arbitrary: fc.constant({ type: 'bom' as const }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('lineEndings' as const), mode: fc.constantFrom('crlf' as const, 'cr' as const, 'lf' as const, 'mixed' as const), salt: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('crBeforeLf' as const), nth: position }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('indent' as const), line: position, prefix: fc.constantFrom('\t', ' ', '  ', '    ', ' \t', '-', '- ', '#', '  # ') }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('deepNesting' as const), at: position, ...nestingPair(kind), depth: many }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('template' as const), at: position, template: fc.constantFrom(...TEMPLATES[kind]) }) },
  );
}

function nestingPair(kind: FileKind): { open: fc.Arbitrary<string>; close: fc.Arbitrary<string> } {
  const pairs: Array<[string, string]> = kind === 'nuget-config'
    ? [['<a>', '</a>'], ['<add><add>', ''], ['<!--<a>', '-->'], ['<a x="', '">']]
    : kind === 'pipeline'
      ? [['[', ']'], ['{a: ', '}'], ['- ', ''], ['  a:\n', ''], ['&a [', '] *a'], ['"', '\\"']]
      : [['$(', ')'], ['${a:-', '}'], ['(', ')'], ['{', '}'], ['"', '\\"'], ['[', ']']];
  const index = fc.nat({ max: pairs.length - 1 });
  // Both halves from one index (shrinks together).
  return { open: index.map((i) => pairs[i]![0]), close: index.map((i) => pairs[i]![1]) };
}

export function caseArbitrary(kind: FileKind, seeds: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    seed: fc.nat({ max: seeds - 1 }),
    start: position,
    // Mostly windows of up to 10 lines; 1 in 40 the whole file. Whole files are a third to a half of
    // the run's time at 1 in 25 (a corpus file is 3-120 KB); at 1 in 40 a 100,000-case run still lints
    // 2,500 of them, mutated, per kind, and fits its time budget on a shared 2-core machine.
    length: fc.oneof({ weight: 39, arbitrary: fc.integer({ min: 1, max: 10 }) }, { weight: 1, arbitrary: fc.constant(0) }),
    mutations: fc.array(mutationArbitrary(kind), { maxLength: 4 }),
    settings: fc.nat({ max: 3 }),
    probes: fc.array(fc.tuple(position, position), { maxLength: 3 }),
  });
}

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

const mod = (value: number, size: number): number => (size <= 0 ? 0 : ((value % size) + size) % size);

export function applyMutation(text: string, mutation: Mutation): string {
  const at = (value: number): number => mod(value, text.length + 1);
  switch (mutation.type) {
    case 'truncate': return text.slice(0, at(mutation.at));
    case 'delete': { const start = at(mutation.at); return text.slice(0, start) + text.slice(start + mutation.length); }
    case 'insert': { const start = at(mutation.at); return text.slice(0, start) + mutation.text + text.slice(start); }
    case 'replaceChar': { const start = at(mutation.at); return text.slice(0, start) + mutation.char + text.slice(start + 1); }
    case 'duplicateLines': {
      const lines = splitLines(text);
      if (lines.length === 0) return text;
      const start = mod(mutation.line, lines.length);
      const block = lines.slice(start, start + mutation.count);
      if (block.length > 0 && !block[block.length - 1]!.endsWith('\n')) block[block.length - 1] += '\n';
      const copies: string[] = [];
      for (let i = 0; i < mutation.times; i++) copies.push(...block);
      lines.splice(start, 0, ...copies);
      return lines.join('');
    }
    case 'deleteLines': {
      const lines = splitLines(text);
      lines.splice(mod(mutation.line, lines.length), mutation.count);
      return lines.join('');
    }
    case 'swapLines': {
      const lines = splitLines(text);
      if (lines.length < 2) return text;
      const a = mod(mutation.a, lines.length);
      const b = mod(mutation.b, lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('');
    }
    case 'unbalancedQuote': { const start = at(mutation.at); return text.slice(0, start) + mutation.quote + text.slice(start); }
    case 'hugeToken': { const start = at(mutation.at); return text.slice(0, start) + mutation.unit.repeat(mutation.repeat) + text.slice(start); }
    case 'hugeLine': {
      const lines = splitLines(text);
      lines.splice(mod(mutation.line, lines.length + 1), 0, `${mutation.unit.repeat(mutation.repeat)}\n`);
      return lines.join('');
    }
    case 'continuations': {
      const lines = splitLines(text);
      const added: string[] = [];
      for (let i = 0; i < mutation.count; i++) added.push(`${mutation.body}${mutation.body ? ' ' : ''}${mutation.marker}\n`);
      const index = mod(mutation.line, lines.length + 1);
      // Continue the line before the block too, so the block is one instruction.
      if (index > 0 && lines[index - 1]!.endsWith('\n')) lines[index - 1] = `${lines[index - 1]!.replace(/\r?\n$/, '')} ${mutation.marker}\n`;
      lines.splice(index, 0, ...added);
      return lines.join('');
    }
    case 'loneSurrogate': { const start = at(mutation.at); return text.slice(0, start) + String.fromCharCode(mutation.code) + text.slice(start); }
    case 'nul': { const start = at(mutation.at); return `${text.slice(0, start)}\0${text.slice(start)}`; }
    case 'bom': return `\ufeff${text}`;
    case 'lineEndings': {
      if (mutation.mode === 'mixed') {
        let salt = mutation.salt;
        return text.replace(/\r\n|\r|\n/g, () => {
          salt = (salt * 1103515245 + 12345) >>> 0;
          return ['\n', '\r\n', '\r', '\n\r'][(salt >>> 16) % 4]!;
        });
      }
      return text.replace(/\r\n|\r|\n/g, mutation.mode === 'crlf' ? '\r\n' : mutation.mode === 'cr' ? '\r' : '\n');
    }
    case 'crBeforeLf': {
      const breaks: number[] = [];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) breaks.push(i);
      if (breaks.length === 0) return text;
      const index = breaks[mod(mutation.nth, breaks.length)]!;
      return `${text.slice(0, index)}\r${text.slice(index)}`;
    }
    case 'indent': {
      const lines = splitLines(text);
      if (lines.length === 0) return mutation.prefix;
      const index = mod(mutation.line, lines.length);
      lines[index] = mutation.prefix + lines[index]!;
      return lines.join('');
    }
    case 'deepNesting': {
      const start = at(mutation.at);
      return text.slice(0, start) + mutation.open.repeat(mutation.depth) + mutation.close.repeat(mutation.depth) + text.slice(start);
    }
    case 'template': {
      const start = at(mutation.at);
      const n = String(mutation.at % 97);
      const m = String((mutation.at >> 3) % 97);
      return text.slice(0, start) + mutation.template.replaceAll('{n}', n).replaceAll('{m}', m) + text.slice(start);
    }
  }
}

/** The document a case stands for. */
export function caseText(fuzzCase: FuzzCase, seeds: readonly Seed[]): string {
  const seed = seeds[mod(fuzzCase.seed, seeds.length)]!;
  let text = seed.text;
  if (fuzzCase.length > 0) {
    const lines = splitLines(text);
    const start = mod(fuzzCase.start, lines.length);
    text = lines.slice(start, start + fuzzCase.length).join('');
  }
  for (const mutation of fuzzCase.mutations) text = applyMutation(text, mutation);
  return text;
}

export function seedOf(fuzzCase: FuzzCase, seeds: readonly Seed[]): Seed {
  return seeds[mod(fuzzCase.seed, seeds.length)]!;
}

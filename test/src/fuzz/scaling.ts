// Linear cost: each input is generated at 1×, 4× and 16× a base size (lines, continuation lines, line
// length, XML elements, YAML steps, YAML aliases, malformed XML) and linted; the CPU time of the best of
// a few runs gives the ratios 4×/1× and 16×/1×. The 1× size is calibrated so that one lint takes tens of
// milliseconds (below that the ratios are noise). An input whose ratio exceeds 1.5 × the size ratio
// (≈ 6 at 4×, ≈ 24 at 16×) on two measurements grows faster than linear and is flagged.
import { clearArgumentSplits } from '../../../server/out/engine/dockerfile/argumentMemo';
import { lintText } from '../../../server/out/engine/lint';
import { clearTokenizerCache } from '../../../server/out/engine/shell/scriptModel';
import { mergeSettings } from '../../../server/out/engine/settings';
import type { FileKind } from '../../../server/out/engine/types';

export interface ScalingRow {
  name: string;
  kind: FileKind;
  /** CPU ms at 1×, 4×, 16×. */
  ms: [number, number, number];
  kb: [number, number, number];
  flagged: boolean;
}

interface ScalingInput {
  name: string;
  kind: FileKind;
  path: string;
  /** The text at `n` units. */
  make: (n: number) => string;
  base: number;
}

const repeat = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('\n');

export const SCALING_INPUTS: readonly ScalingInput[] = [
  {
    name: 'Dockerfile: instruction lines', kind: 'dockerfile', path: '/fuzz/Dockerfile', base: 200,
    make: (n) => `FROM mcr.microsoft.com/windows/servercore:ltsc2022\n${repeat(n, (i) => [`ENV V${i}=${i}`, `RUN echo ${i} > C:\\f${i}.txt`, `COPY a${i} /b${i}`, `ARG A${i}=x`, `LABEL l${i}=v`][i % 5]!)}\n`,
  },
  {
    name: 'Dockerfile: bash continuation lines', kind: 'dockerfile', path: '/fuzz/Dockerfile', base: 200,
    make: (n) => `FROM debian:bookworm\nRUN set -eux; \\\n${repeat(n, (i) => `    mkdir -p /opt/p${i} && echo ${i} > /opt/p${i}/f; \\`)}\n    true\n`,
  },
  {
    name: 'Dockerfile: PowerShell continuation lines', kind: 'dockerfile', path: '/fuzz/Dockerfile', base: 300,
    make: (n) => `# escape=\`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN $x = 1; \`\n${repeat(n, (i) => `    New-Item -ItemType Directory -Force -Path C:\\app\\p${i} | Out-Null; \``)}\n    Write-Host done\n`,
  },
  {
    name: 'Dockerfile: line length (one RUN line)', kind: 'dockerfile', path: '/fuzz/Dockerfile', base: 16_000,
    make: (n) => `FROM debian:bookworm\nRUN ${repeat(n / 20, (i) => `echo a${i} &&`).replace(/\n/g, ' ')} true\n`,
  },
  {
    name: 'Dockerfile: one huge token', kind: 'dockerfile', path: '/fuzz/Dockerfile', base: 32_000,
    make: (n) => `FROM debian:bookworm\nRUN echo ${'a'.repeat(n)}\nENV X=${'"'.repeat(n / 8)}\n`,
  },
  {
    name: 'nuget.config: <add> elements', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 100,
    make: (n) => `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <clear />\n${repeat(n, (i) => `    <add key="feed${i}" value="https://feed${i}.example.com/v3/index.json" />`)}\n  </packageSources>\n  <packageSourceMapping>\n${repeat(n, (i) => `    <packageSource key="feed${i}"><package pattern="P${i}.*" /></packageSource>`)}\n  </packageSourceMapping>\n</configuration>\n`,
  },
  {
    // Nesting deeper than xml.ts's MAX_DEPTH (32) is cut off where it starts; this is the deepest it reads, repeated.
    name: 'nuget.config: nested elements (30 deep, repeated)', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 10,
    make: (n) => `<configuration>\n${`${'<a>'.repeat(30)}${'</a>'.repeat(30)}\n`.repeat(n)}<packageSources><add key="x" value="http://x/" /></packageSources>\n</configuration>\n`,
  },
  {
    name: 'nuget.config: nesting past the depth limit', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 200,
    make: (n) => `<configuration>\n${'<a>'.repeat(n)}${'</a>'.repeat(n)}\n<packageSources><add key="x" value="http://x/" /></packageSources>\n</configuration>\n`,
  },
  {
    name: 'nuget.config: malformed XML (<? tokens)', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 500,
    make: (n) => `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n${'<?'.repeat(n)}\n  <packageSources>\n    <clear />\n  </packageSources>\n</configuration>\n`,
  },
  {
    name: 'nuget.config: sources with suppression comments', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 100,
    make: (n) => `<configuration>\n  <packageSources>\n    <clear />\n${repeat(n, (i) => `    <!-- container-guard ignore=nuget-http-source -->\n    <add key="feed${i}" value="http://feed${i}.example.com/v3/index.json" />`)}\n  </packageSources>\n</configuration>\n`,
  },
  {
    name: 'nuget.config: leaves with comments', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 200,
    make: (n) => `<configuration>\n  <trustedSigners>\n    <repository name="r">\n${repeat(n, (i) => `      <owners>o${i}<!-- c${i} --></owners>`)}\n    </repository>\n  </trustedSigners>\n</configuration>\n`,
  },
  {
    name: 'nuget.config: unclosed comments', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 500,
    make: (n) => `<configuration>\n${'  <!-- x\n'.repeat(n)}</configuration>\n`,
  },
  {
    name: 'GitHub workflow: steps', kind: 'pipeline', path: '/fuzz/.github/workflows/ci.yml', base: 50,
    make: (n) => `on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${repeat(n, (i) => `      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n      - name: step ${i}\n        run: |\n          echo "\${{ github.event.pull_request.title }}" ${i}\n          curl -fsSL https://example.com/${i}.sh | bash`)}\n`,
  },
  {
    name: 'Azure Pipelines: steps', kind: 'pipeline', path: '/fuzz/azure-pipelines.yml', base: 50,
    make: (n) => `trigger: none\npool:\n  vmImage: windows-latest\nsteps:\n${repeat(n, (i) => `- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: |\n      Invoke-WebRequest -Uri http://example.com/${i}.msi -OutFile x${i}.msi\n      Write-Host $(Build.SourceBranch)\n- script: echo ${i}`)}\n`,
  },
  {
    name: 'GitLab CI: jobs', kind: 'pipeline', path: '/fuzz/.gitlab-ci.yml', base: 50,
    make: (n) => `stages: [build]\n${repeat(n, (i) => `job${i}:\n  stage: build\n  image: ubuntu:latest\n  script:\n    - curl http://example.com/${i} | sh\n    - echo ${i}`)}\n`,
  },
  {
    name: 'YAML: anchors and aliases', kind: 'pipeline', path: '/fuzz/.github/workflows/ci.yml', base: 100,
    make: (n) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n${repeat(n, (i) => `      K${i}: &a${i} v${i}\n      R${i}: *a${i}`)}\n    steps:\n      - run: echo hi\n`,
  },
  {
    name: 'YAML: line length (one run: line)', kind: 'pipeline', path: '/fuzz/.github/workflows/ci.yml', base: 16_000,
    make: (n) => `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${repeat(n / 20, (i) => `echo a${i} &&`).replace(/\n/g, ' ')} true\n`,
  },
  {
    name: 'YAML: flow-style nesting', kind: 'pipeline', path: '/fuzz/.github/workflows/ci.yml', base: 20,
    make: (n) => `on: push\nx: ${'['.repeat(Math.min(n, 150))}${']'.repeat(Math.min(n, 150))}\ny: [${repeat(n * 10, (i) => `{a${i}: [b, c]}`).replace(/\n/g, ', ')}]\n`,
  },
];

/** CPU milliseconds of `body` (user + system of this process: other processes' load does not count). */
function cpuMs(body: () => void): number {
  // Each timed lint is a cold one, as for a document never seen: the engine keeps the scripts it tokenized
  // (5,000) and the RUN argument splits (8,192) for re-lints while typing, and a repeated lint of the same
  // text hit them — at 1× all of them, at larger sizes fewer, which skewed the ratios.
  clearTokenizerCache();
  clearArgumentSplits();
  // A collection left over from the previous run would be charged to this one (when --expose-gc is on).
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const SETTINGS = mergeSettings({ ruleSet: 'strict' });

/**
 * The 1× size must take long enough that timer resolution, JIT and a stray collection are small beside it,
 * and be past the sizes where a document still lints faster per KB (the Azure input: 2 ms/KB at 10 KB,
 * 3.5 ms/KB from 40 KB on, which made a 25 ms 1× flag it): the base is doubled until a 1× lint takes at
 * least this long (the last run's 1× timings were a few ms, and their ratios noise), up to MAX_BASE_KB.
 */
export const MIN_BASE_MS = 40;
const MAX_BASE_KB = 512;
/**
 * Timed rounds: each round lints 1×, 4× and 16× once, after an untimed warm-up round, and each size keeps
 * its best. Rounds rather than all the runs of one size in a row: the JIT state and the machine's load then
 * weigh on every size alike (best of 5 runs at 1× against best of 3 at 16× made a warm 1× the baseline of
 * colder larger sizes, and flagged inputs whose 16×/4× step was 2). Rounds stop once a 16× lint took SLOW_MS.
 */
const ROUNDS = 3;
const SLOW_MS = 4_000;

function lintOnce(input: ScalingInput, text: string, label: string): void {
  const result = lintText(text, input.kind, SETTINGS, { path: input.path });
  if (result.ruleErrors.length > 0) throw new Error(`${input.name} ${label}: rule error ${result.ruleErrors[0]!.ruleId}: ${result.ruleErrors[0]!.error.split('\n')[0]}`);
}

export function measure(input: ScalingInput, units: number, runs: number): { ms: number; kb: number } {
  const text = input.make(units);
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, cpuMs(() => lintOnce(input, text, `${units} units`)));
  return { ms: best, kb: text.length / 1024 };
}

/** Best CPU ms of 1×, 4× and 16× `units`, in rounds (see ROUNDS). */
function measureSizes(input: ScalingInput, units: number): Array<{ ms: number; kb: number }> {
  const texts = [1, 4, 16].map((factor) => input.make(units * factor));
  const best = texts.map(() => Infinity);
  for (let round = 0; round <= ROUNDS; round++) {
    texts.forEach((text, i) => {
      const ms = cpuMs(() => lintOnce(input, text, `${units} units × ${[1, 4, 16][i]}`));
      if (round > 0) best[i] = Math.min(best[i]!, ms);
    });
    if (round > 0 && best[2]! > SLOW_MS) break;
  }
  return texts.map((text, i) => ({ ms: best[i]!, kb: text.length / 1024 }));
}

/** Units for the 1× size: the input's base, doubled until one lint takes MIN_BASE_MS (warmed up first). */
function calibrate(input: ScalingInput): number {
  let units = input.base;
  for (;;) {
    // Warmed up first: a cold first lint of 1 KB can take 25 ms, a warm one 5.
    measure(input, units, 2);
    const { ms, kb } = measure(input, units, 2);
    if (ms >= MIN_BASE_MS || kb * 2 > MAX_BASE_KB) return units;
    units *= 2;
  }
}

export function runScaling(progress: (line: string) => void, inputs: readonly ScalingInput[] = SCALING_INPUTS): ScalingRow[] {
  const rows: ScalingRow[] = [];
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  progress(`CPU ms of lintText (strict settings); 1× is the size at which one lint takes ≥ ${MIN_BASE_MS} ms (the input's base size doubled until it does, at most ${MAX_BASE_KB} KB); each size's best of ${ROUNDS} rounds (1×, 4×, 16× once per round, after a warm-up round)${gc ? ', a garbage collection before each lint' : ''}.`);
  progress('Ratio = time ratio to 1×; allowed = 1.5 × the size ratio (≈ 6 at 4×, ≈ 24 at 16×); an input over it is measured again, and flagged if it is over it again and its 16×/4× step is over 1.5 × that step\'s size ratio (≈ 6) too.\n');
  progress('| input | KB 1× / 4× / 16× | ms 1× | ms 4× | ms 16× | 4×/1× | 16×/1× | 16×/4× | verdict |');
  progress('|---|---|---|---|---|---|---|---|---|');
  for (const input of inputs) {
    const units = calibrate(input);
    let [one, four, sixteen] = measureSizes(input, units) as [{ ms: number; kb: number }, { ms: number; kb: number }, { ms: number; kb: number }];
    const over = (): boolean => four.ms / one.ms > 1.5 * (four.kb / one.kb) || sixteen.ms / one.ms > 1.5 * (sixteen.kb / one.kb);
    let flagged = over();
    if (flagged) {
      // A shared machine's noise can fake a jump: the rounds again, each size keeping its best.
      const again = measureSizes(input, units);
      const best = (a: { ms: number; kb: number }, b: { ms: number; kb: number }) => (b.ms < a.ms ? b : a);
      one = best(one, again[0]!);
      four = best(four, again[1]!);
      sixteen = best(sixteen, again[2]!);
      flagged = over();
    }
    // Over the allowance against 1× but linear from 4× to 16×: the per-KB cost rose once between 1× and 4×
    // (a 1× that fits the young generation or the caches; seen to vary 4× between runs of the same 63 KB
    // input) and then stayed — a step, not growth. Shown apart; only growth that goes on into the 4× to 16×
    // step is flagged.
    const step = sixteen.ms / four.ms <= 1.5 * (sixteen.kb / four.kb);
    const stepOnly = flagged && step;
    if (stepOnly) flagged = false;
    rows.push({ name: input.name, kind: input.kind, ms: [one.ms, four.ms, sixteen.ms], kb: [one.kb, four.kb, sixteen.kb], flagged });
    const ratio = (m: { ms: number; kb: number }) => `${(m.ms / one.ms).toFixed(1)} (allowed ${(1.5 * m.kb / one.kb).toFixed(1)})`;
    progress(`| ${input.name} | ${one.kb.toFixed(0)} / ${four.kb.toFixed(0)} / ${sixteen.kb.toFixed(0)} | ${one.ms.toFixed(1)} | ${four.ms.toFixed(1)} | ${sixteen.ms.toFixed(1)} | ${ratio(four)} | ${ratio(sixteen)} | ${(sixteen.ms / four.ms).toFixed(1)} | ${flagged ? 'FASTER THAN LINEAR' : stepOnly ? 'linear from 4× (1× cheaper per KB)' : 'linear'} |`);
  }
  return rows;
}

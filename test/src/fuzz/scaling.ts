// Linear cost: each input is generated at 1×, 4× and 16× a base size (lines, continuation lines, line
// length, XML elements, YAML steps, YAML aliases, malformed XML) and linted; the CPU time of the best of
// a few runs gives the ratios 4×/1× and 16×/1×. The 1× size is calibrated so that one lint takes tens of
// milliseconds (below that the ratios are noise). An input whose ratio exceeds 1.5 × the size ratio
// (≈ 6 at 4×, ≈ 24 at 16×) on two measurements grows faster than linear and is flagged.
import { lintText } from '../../../server/out/engine/lint';
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
  // A collection left over from the previous run would be charged to this one (when --expose-gc is on).
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const SETTINGS = mergeSettings({ ruleSet: 'strict' });

/**
 * The 1× size must take long enough that timer resolution, JIT and a stray collection are small beside it:
 * the base is doubled until a 1× lint takes at least this long (the last run's 1× timings were a few ms,
 * and their ratios noise), up to MAX_BASE_KB.
 */
export const MIN_BASE_MS = 25;
const MAX_BASE_KB = 512;
/** Best of this many runs per size (1×, 4×, 16×); a single 16× run over SLOW_MS is not repeated. */
const RUNS: readonly [number, number, number] = [5, 3, 3];
const SLOW_MS = 4_000;

function lintOnce(input: ScalingInput, text: string, label: string): void {
  const result = lintText(text, input.kind, SETTINGS, { path: input.path });
  if (result.ruleErrors.length > 0) throw new Error(`${input.name} ${label}: rule error ${result.ruleErrors[0]!.ruleId}: ${result.ruleErrors[0]!.error.split('\n')[0]}`);
}

export function measure(input: ScalingInput, units: number, runs: number): { ms: number; kb: number } {
  const text = input.make(units);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const ms = cpuMs(() => lintOnce(input, text, `${units} units`));
    best = Math.min(best, ms);
    if (ms > SLOW_MS) break;
  }
  return { ms: best, kb: text.length / 1024 };
}

/** Units for the 1× size: the input's base, doubled until one lint takes MIN_BASE_MS (warmed up first). */
function calibrate(input: ScalingInput): number {
  let units = input.base;
  for (;;) {
    measure(input, units, 1);
    const { ms, kb } = measure(input, units, 2);
    if (ms >= MIN_BASE_MS || kb * 2 > MAX_BASE_KB) return units;
    units *= 2;
  }
}

export function runScaling(progress: (line: string) => void, inputs: readonly ScalingInput[] = SCALING_INPUTS): ScalingRow[] {
  const rows: ScalingRow[] = [];
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  progress(`CPU ms of lintText (strict settings); 1× is the size at which one lint takes ≥ ${MIN_BASE_MS} ms (the input's base size doubled until it does, at most ${MAX_BASE_KB} KB); best of ${RUNS.join('/')} runs at 1×/4×/16×${gc ? ', a garbage collection before each' : ''}.`);
  progress('Ratio = time ratio to 1×; allowed = 1.5 × the size ratio (≈ 6 at 4×, ≈ 24 at 16×); an input over it is measured again and flagged only if it is over it again.\n');
  progress('| input | KB 1× / 4× / 16× | ms 1× | ms 4× | ms 16× | 4×/1× | 16×/1× | verdict |');
  progress('|---|---|---|---|---|---|---|---|');
  for (const input of inputs) {
    const units = calibrate(input);
    let one = measure(input, units, RUNS[0]);
    let four = measure(input, units * 4, RUNS[1]);
    let sixteen = measure(input, units * 16, RUNS[2]);
    const over = (): boolean => four.ms / one.ms > 1.5 * (four.kb / one.kb) || sixteen.ms / one.ms > 1.5 * (sixteen.kb / one.kb);
    let flagged = over();
    if (flagged) {
      // A shared machine's noise can fake a jump: each size again, keeping the best.
      const best = (a: { ms: number; kb: number }, b: { ms: number; kb: number }) => (b.ms < a.ms ? b : a);
      one = best(one, measure(input, units, RUNS[0]));
      four = best(four, measure(input, units * 4, RUNS[1]));
      sixteen = best(sixteen, measure(input, units * 16, RUNS[2]));
      flagged = over();
    }
    rows.push({ name: input.name, kind: input.kind, ms: [one.ms, four.ms, sixteen.ms], kb: [one.kb, four.kb, sixteen.kb], flagged });
    const ratio = (m: { ms: number; kb: number }) => `${(m.ms / one.ms).toFixed(1)} (allowed ${(1.5 * m.kb / one.kb).toFixed(1)})`;
    progress(`| ${input.name} | ${one.kb.toFixed(0)} / ${four.kb.toFixed(0)} / ${sixteen.kb.toFixed(0)} | ${one.ms.toFixed(1)} | ${four.ms.toFixed(1)} | ${sixteen.ms.toFixed(1)} | ${ratio(four)} | ${ratio(sixteen)} | ${flagged ? 'FASTER THAN LINEAR' : 'linear'} |`);
  }
  return rows;
}

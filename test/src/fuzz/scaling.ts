// Linear cost: each input is generated at 1×, 4× and 16× its base size (lines, continuation lines, line
// length, XML elements, YAML steps, YAML aliases, malformed XML) and linted; the CPU time of the best of
// a few runs gives the ratios 4×/1× and 16×/1×. An input whose ratio exceeds 1.5 × the size ratio (6 at
// 4×, 24 at 16×) grows faster than linear and is flagged.
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
    name: 'nuget.config: nested elements', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 200,
    make: (n) => `<configuration>\n${'<a>'.repeat(n)}${'</a>'.repeat(n)}\n<packageSources><add key="x" value="http://x/" /></packageSources>\n</configuration>\n`,
  },
  {
    name: 'nuget.config: malformed XML (<? tokens)', kind: 'nuget-config', path: '/fuzz/nuget.config', base: 500,
    make: (n) => `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n${'<?'.repeat(n)}\n  <packageSources>\n    <clear />\n  </packageSources>\n</configuration>\n`,
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

function cpuMs(body: () => void): number {
  const start = process.cpuUsage();
  body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const SETTINGS = mergeSettings({ ruleSet: 'strict' });

export function measure(input: ScalingInput, factor: number, runs: number): { ms: number; kb: number } {
  const text = input.make(input.base * factor);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    best = Math.min(best, cpuMs(() => {
      const result = lintText(text, input.kind, SETTINGS, { path: input.path });
      if (result.ruleErrors.length > 0) throw new Error(`${input.name} ×${factor}: rule error ${result.ruleErrors[0]!.ruleId}: ${result.ruleErrors[0]!.error.split('\n')[0]}`);
    }));
  }
  return { ms: best, kb: text.length / 1024 };
}

export function runScaling(progress: (line: string) => void, inputs: readonly ScalingInput[] = SCALING_INPUTS): ScalingRow[] {
  const rows: ScalingRow[] = [];
  progress('CPU ms of lintText (strict), best of 3 runs (2 at 16×); ratio = time ratio to 1×; flagged when above 1.5 × the size ratio (6 at 4×, 24 at 16×).\n');
  progress('| input | KB 1× / 4× / 16× | ms 1× | ms 4× | ms 16× | 4×/1× | 16×/1× | verdict |');
  progress('|---|---|---|---|---|---|---|---|');
  for (const input of inputs) {
    // Warm up the code paths (JIT) before timing the 1× size.
    measure(input, 1, 2);
    const one = measure(input, 1, 3);
    const four = measure(input, 4, 3);
    const sixteen = measure(input, 16, 2);
    // Below ~2 ms the 1× timing is mostly noise: measure the ratio against max(1×, 2 ms).
    const base = Math.max(one.ms, 2);
    const r4 = four.ms / base;
    const r16 = sixteen.ms / base;
    let flagged = r4 > 6 || r16 > 24;
    if (flagged) {
      // A shared machine's noise can fake a jump: measure 1× and the larger sizes again before flagging.
      const again = [measure(input, 1, 3).ms, measure(input, 4, 3).ms, measure(input, 16, 2).ms];
      const base2 = Math.max(Math.min(one.ms, again[0]!), 2);
      flagged = Math.min(four.ms, again[1]!) / base2 > 6 || Math.min(sixteen.ms, again[2]!) / base2 > 24;
    }
    rows.push({ name: input.name, kind: input.kind, ms: [one.ms, four.ms, sixteen.ms], kb: [one.kb, four.kb, sixteen.kb], flagged });
    progress(`| ${input.name} | ${one.kb.toFixed(0)} / ${four.kb.toFixed(0)} / ${sixteen.kb.toFixed(0)} | ${one.ms.toFixed(1)} | ${four.ms.toFixed(1)} | ${sixteen.ms.toFixed(1)} | ${r4.toFixed(1)} | ${r16.toFixed(1)} | ${flagged ? 'FASTER THAN LINEAR' : 'linear'} |`);
  }
  return rows;
}

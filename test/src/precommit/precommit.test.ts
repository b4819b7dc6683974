// .pre-commit-hooks.yaml run by Debian's pre-commit on a sample git repository: the hook sees the
// Dockerfiles, nuget.config and pipeline YAML (not other files), runs the CLI, and fails the commit on
// findings. The hook is `language: system` (see the file for why), so a shim named `container-guard`
// on PATH stands for the globally installed CLI and records the file names it was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist', 'cli.js');

function sh(command: string, args: string[], options: SpawnSyncOptions = {}): { status: number | null; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, ...options });
  return { status: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function ensurePreCommit(): void {
  if (sh('sh', ['-c', 'command -v pre-commit']).status === 0) return;
  const deps = spawnSync('bash', [path.join(repo, 'scripts', 'system-deps.sh')], { stdio: 'inherit' });
  assert.equal(deps.status, 0, 'scripts/system-deps.sh failed');
}

test('pre-commit runs the container-guard hook on Dockerfiles, nuget.config and pipeline YAML', () => {
  ensurePreCommit();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-precommit-'));
  try {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com',
      PRE_COMMIT_HOME: path.join(temp, 'cache'), HOME: temp,
    };
    const git = (cwd: string, ...args: string[]): void => {
      const r = sh('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env });
      assert.equal(r.status, 0, r.out);
    };

    // The hook repository: this repository's hook definition at a commit (pre-commit clones it).
    const hooks = path.join(temp, 'hooks');
    fs.mkdirSync(hooks);
    fs.copyFileSync(path.join(repo, '.pre-commit-hooks.yaml'), path.join(hooks, '.pre-commit-hooks.yaml'));
    git(hooks, 'init', '-q');
    git(hooks, 'add', '.');
    git(hooks, 'commit', '-q', '-m', 'hooks');
    const rev = sh('git', ['rev-parse', 'HEAD'], { cwd: hooks }).out.trim();

    // The CLI as `npm install -g` would put it on PATH, logging the files it was given.
    const bin = path.join(temp, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(temp, 'files.log');
    fs.writeFileSync(path.join(bin, 'container-guard'), `#!/bin/sh\nfor f in "$@"; do echo "$f" >> '${log}'; done\nexec '${process.execPath}' '${cli}' "$@"\n`, { mode: 0o755 });

    const sample = path.join(temp, 'sample');
    const files: Record<string, string> = {
      'Dockerfile': 'FROM alpine:3.20\nRUN apk add curl && curl -fsSL https://get.example.com/i.sh | sh\n',
      'src/app.Dockerfile': 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n',
      'nuget.config': '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="feed" value="http://feed.example.com/v3/index.json" />\n  </packageSources>\n</configuration>\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: windows-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: iwr https://get.example.com/i.ps1 | iex\n',
      'README.md': '# sample\n',
      'docs/notes.yml': 'a: 1\n',
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(sample, name)), { recursive: true });
      fs.writeFileSync(path.join(sample, name), text);
    }
    fs.writeFileSync(path.join(sample, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: container-guard\n`);
    git(sample, 'init', '-q');
    git(sample, 'add', '.');

    const run = sh('pre-commit', ['run', '--all-files', '--color', 'never'], { cwd: sample, env: { ...env, PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, /Windows Container Guard\.+Failed/, run.out);
    assert.match(run.out, /Dockerfile:2:\d+: \w+ \[download-and-execute\]/, run.out);
    const given = fs.readFileSync(log, 'utf8').trim().split('\n').filter((f) => !f.startsWith('-') && f !== 'lint').sort();
    assert.deepEqual(given, ['.github/workflows/ci.yml', 'Dockerfile', 'nuget.config', 'src/app.Dockerfile']);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
});

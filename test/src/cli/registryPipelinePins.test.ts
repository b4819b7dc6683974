// `container-guard lint --resolve` on pipeline YAML, the bundled CLI end to end: job and service images
// pinned by Debian's docker-registry, `uses:` refs by `git http-backend` serving a repository made by the
// test (both on 127.0.0.1, --github-url pointing at the git server). Comments kept, the ref kept as a
// comment, an unknown ref left as it is with the reason, a suppressed finding not pinned; a second run
// changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pushWindowsImage, startRegistry, type RegistryFixture } from '../../../server/out/registry/registryFixture';
import { makeActionRepository, startGitServer, type ActionRepository } from '../../../server/out/registry/gitFixture';
import type { TestServer } from '../../../server/out/registry/testServers';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist', 'cli.js');

interface Run { code: number | null; stdout: string; stderr: string }

describe('container-guard lint --resolve on pipelines', () => {
  let home: string;
  let registry: RegistryFixture;
  let git: TestServer;
  let repo: ActionRepository;
  let digest: string;

  // Asynchronous: the git server runs in this process and must keep answering while the CLI runs.
  const run = (args: string[]): Promise<Run> => new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], {
      cwd: home, encoding: 'utf8', timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), XDG_CONFIG_HOME: path.join(home, '.config') },
    }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
  const write = (relative: string, text: string): string => {
    const file = path.join(home, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  before(async () => {
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-pipeline-pins-')));
    registry = await startRegistry();
    digest = (await pushWindowsImage(registry, 'ci/tools', '1.0')).digest;
    const gitRoot = path.join(home, 'git');
    fs.mkdirSync(gitRoot);
    repo = makeActionRepository(gitRoot, 'octo', 'setup-thing');
    git = await startGitServer(gitRoot);
  });
  after(async () => {
    await registry?.close();
    await git?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('pins images and uses: refs in place, keeps comments, reports what it could not pin, and a second run changes nothing', async () => {
    const workflow = write('w/.github/workflows/ci.yml', [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      `    container: ${registry.host}/ci/tools:1.0 # build image`,
      '    steps:',
      '      - uses: octo/setup-thing@v2 # setup',
      '      - uses: octo/setup-thing@main',
      '      - uses: octo/setup-thing@no-such-ref',
      `      - uses: docker://${registry.host}/ci/tools:1.0`,
      '      - uses: octo/setup-thing@v1 # zizmor: ignore[unpinned-uses]',
      '',
    ].join('\n'));
    const gitlab = write('w/.gitlab-ci.yml', `image: "${registry.host}/ci/tools:1.0"\ntest:\n  script: [make]\n`);
    const first = await run(['lint', '--resolve', '--github-url', git.url, '--no-fail', '--format', 'json', 'w']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(fs.readFileSync(workflow, 'utf8'), [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      `    container: ${registry.host}/ci/tools:1.0@${digest} # build image`,
      '    steps:',
      `      - uses: octo/setup-thing@${repo.commits.two} # v2 # setup`,
      `      - uses: octo/setup-thing@${repo.commits.three} # main`,
      '      - uses: octo/setup-thing@no-such-ref',
      `      - uses: docker://${registry.host}/ci/tools:1.0@${digest}`,
      // Suppressed in the file: a decision, left alone (as the editor offers no fix for it).
      '      - uses: octo/setup-thing@v1 # zizmor: ignore[unpinned-uses]',
      '',
    ].join('\n'));
    assert.equal(fs.readFileSync(gitlab, 'utf8'), `image: "${registry.host}/ci/tools:1.0@${digest}"\ntest:\n  script: [make]\n`);
    const report = JSON.parse(first.stdout) as { pinned: Array<{ file: string; line: number; image: string; digest: string; to: string }>; unresolved: Array<{ file: string; line: number; image: string; reason: string }> };
    assert.deepEqual(report.pinned.map((p) => [p.file, p.line, p.image, p.digest]), [
      ['w/.github/workflows/ci.yml', 6, `${registry.host}/ci/tools:1.0`, digest],
      ['w/.github/workflows/ci.yml', 8, 'octo/setup-thing@v2', repo.commits.two],
      ['w/.github/workflows/ci.yml', 9, 'octo/setup-thing@main', repo.commits.three],
      ['w/.github/workflows/ci.yml', 11, `docker://${registry.host}/ci/tools:1.0`, digest],
      ['w/.gitlab-ci.yml', 1, `${registry.host}/ci/tools:1.0`, digest],
    ]);
    assert.deepEqual(report.unresolved.map((u) => [u.file, u.line, u.image]), [['w/.github/workflows/ci.yml', 10, 'octo/setup-thing@no-such-ref']]);
    assert.match(report.unresolved[0]!.reason, /^not-found: octo\/setup-thing at http:\/\/127\.0\.0\.1:\d+: "no-such-ref" is neither a tag nor a branch$/);
    assert.match(first.stderr, new RegExp(`w/\\.github/workflows/ci\\.yml:9: pinned octo/setup-thing@main to octo/setup-thing@${repo.commits.three} # main \\(the head of branch main now; the branch moves on\\)`));
    assert.match(first.stderr, /ci\.yml:10: left octo\/setup-thing@no-such-ref as it is: cannot resolve it \(not-found: /);
    // One advertisement per distinct ref of the run.
    assert.equal(git.requests.length, 3, git.requests.join('\n'));

    const pinnedWorkflow = fs.readFileSync(workflow, 'utf8');
    const second = await run(['lint', '--resolve', '--github-url', git.url, '--no-fail', '--format', 'json', 'w']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(fs.readFileSync(workflow, 'utf8'), pinnedWorkflow);
    assert.deepEqual((JSON.parse(second.stdout) as { pinned: unknown[] }).pinned, []);
  });

  it('without --resolve nothing is looked up; a bad --github-url is a usage error', async () => {
    const before = git.requests.length;
    const workflow = write('w2/.github/workflows/ci.yml', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: octo/setup-thing@v1\n');
    const text = fs.readFileSync(workflow, 'utf8');
    await run(['lint', '--github-url', git.url, '--no-fail', 'w2']);
    assert.equal(fs.readFileSync(workflow, 'utf8'), text);
    assert.equal(git.requests.length, before);
    const bad = await run(['lint', '--resolve', '--github-url', 'https://token@github.com', 'w2']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--github-url expects an http\(s\) URL without credentials/);
    assert.equal(fs.readFileSync(workflow, 'utf8'), text);
  });
});

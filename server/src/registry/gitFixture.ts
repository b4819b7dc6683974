// Test helper: real git repositories served over git's smart HTTP protocol on 127.0.0.1, as GitHub
// serves actions: a node:http server that runs `git http-backend` as a CGI program (the way Apache or
// nginx would) for bare repositories made by the test with real commits, lightweight and annotated tags
// and branches. Nothing is mocked: the ref advertisement is git's own.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type TestServer } from './testServers';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'tag.gpgSign=false', '-c', 'commit.gpgSign=false', ...args], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface ActionRepository {
  /** `owner/repo` */
  name: string;
  /** Commits by label. */
  commits: Record<string, string>;
  /** `git rev-parse` of each ref as named (for an annotated tag: the tag object, not the commit). */
  refObjects: Record<string, string>;
}

/**
 * A bare repository `<root>/<owner>/<repo>.git` with:
 * - `v1`: lightweight tag of commit `one`;
 * - `v2` and `v2.1.0`: annotated tags of commit `two`;
 * - `main`: branch at commit `three`;
 * - `release`: a branch at `three` AND a lightweight tag at `one` (git prefers the tag).
 */
export function makeActionRepository(root: string, owner: string, repo: string): ActionRepository {
  const work = fs.mkdtempSync(path.join(root, 'work-'));
  git(work, 'init', '-q');
  const commits: Record<string, string> = {};
  for (const label of ['one', 'two', 'three']) {
    fs.writeFileSync(path.join(work, 'action.yml'), `name: ${label}\nruns:\n  using: composite\n  steps: []\n`);
    git(work, 'add', 'action.yml');
    git(work, 'commit', '-q', '-m', label);
    commits[label] = git(work, 'rev-parse', 'HEAD');
  }
  git(work, 'tag', 'v1', commits.one!);
  git(work, 'tag', '-a', 'v2', '-m', 'v2', commits.two!);
  git(work, 'tag', '-a', 'v2.1.0', '-m', 'v2.1.0', commits.two!);
  git(work, 'tag', 'release', commits.one!);
  git(work, 'branch', 'release', commits.three!);
  const bare = path.join(root, owner, `${repo}.git`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(root, 'clone', '-q', '--bare', work, bare);
  const refObjects: Record<string, string> = {};
  for (const ref of ['refs/tags/v1', 'refs/tags/v2', 'refs/tags/v2.1.0', 'refs/tags/release', 'refs/heads/release', 'refs/heads/main']) refObjects[ref] = git(bare, 'rev-parse', ref);
  fs.rmSync(work, { recursive: true, force: true });
  return { name: `${owner}/${repo}`, commits, refObjects };
}

/**
 * `git http-backend` behind node:http on 127.0.0.1, serving every bare repository under `root`
 * (GIT_HTTP_EXPORT_ALL). `requests` lists what was asked, for tests that count network traffic.
 */
export async function startGitServer(root: string): Promise<TestServer> {
  return startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', ...GIT_ENV, HOME: root,
        GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET', PATH_INFO: decodeURIComponent(url.pathname), QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: request.headers['content-type'] ?? '', REMOTE_ADDR: '127.0.0.1', SERVER_PROTOCOL: 'HTTP/1.1',
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    request.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => { if (!response.headersSent) response.writeHead(500).end(); });
    child.on('close', () => {
      // CGI output: header lines, a blank line, the body. `Status:` carries the HTTP status.
      const output = Buffer.concat(chunks);
      let split = output.indexOf('\r\n\r\n');
      let separator = 4;
      if (split < 0) {
        split = output.indexOf('\n\n');
        separator = 2;
      }
      if (split < 0) {
        response.writeHead(502).end();
        return;
      }
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of output.subarray(0, split).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10) || 500;
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      response.end(output.subarray(split + separator));
    });
  });
}

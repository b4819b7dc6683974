// Runs every compiled test file (`*.test.js` under server/out and test/out) in one `node --test`
// run, so there is one summary. Files are listed explicitly: node's own discovery would also treat
// every .js under a `test/` folder as a test (helpers, the in-editor e2e suite).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const roots = ['server/out', 'test/out'];
const files = [];
function collect(directory) {
  if (!fs.existsSync(directory)) return;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) collect(full);
    else if (entry.name.endsWith('.test.js')) files.push(full);
  }
}
roots.forEach(collect);
// Slow end-to-end files last, so quick failures show first.
const slow = (file) => /[\\/](e2e|nvim)[\\/]/.test(file);
// Files that need Debian packages (Chromium, Neovim, docker-registry, htpasswd, openssl).
const needsSystemPackages = (file) => slow(file) || /[\\/]registry[\\/]/.test(file) || /registry[^\\/]*\.test\.js$/.test(file) || /[\\/]cli[\\/]verify\.test\.js$/.test(file);
files.sort((a, b) => Number(slow(a)) - Number(slow(b)) || a.localeCompare(b));
const filter = process.argv[2];
const selected = filter ? files.filter((file) => file.includes(filter)) : files;
if (selected.length === 0) {
  console.error(`no test files match ${filter ?? '(all)'}`);
  process.exit(1);
}
// The Neovim, code-server and registry tests need Debian packages; install what is missing first (as
// root), or stop with the list of what to install.
if (selected.some(needsSystemPackages)) {
  const deps = spawnSync('bash', [path.join('scripts', 'system-deps.sh')], { stdio: 'inherit' });
  if (deps.status !== 0) process.exit(deps.status ?? 1);
}
const setup = path.join(path.dirname(new URL(import.meta.url).pathname), 'test-setup.mjs');
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--import', setup, ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);

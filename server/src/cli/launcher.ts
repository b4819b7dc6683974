// `dist/cli.js`: starts the CLI bundle (`dist/cli-engine.js`) with the V8 code cache the build made for
// it (node/bundleWithCodeCache.ts), so a CI run does not parse and compile 2 MB of JavaScript before its
// first file (about a third of the CPU of an empty run; see the commit for the figures).
import * as path from 'node:path';
import { runBundleWithCodeCache } from '../node/bundleWithCodeCache';
import { tuneForBatch } from './memory';

// The lint's V8 flags before the compile: the build made the cache during a lint, under them.
if (process.argv[2] === 'lint') tuneForBatch();
runBundleWithCodeCache(path.join(__dirname, 'cli-engine.js'), path.join(__dirname, 'cli-engine.cache'), module, 'run');

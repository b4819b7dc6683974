// `dist/cli.js`: starts the CLI bundle (`dist/cli-engine.js`) with the V8 code cache the build made for
// it, so a CI run does not parse and compile 2 MB of JavaScript before its first file (about a third of
// the CPU of an empty run; see the commit for the figures). V8 checks a cache against its own version,
// the source and its flags, and ignores one that does not fit (another Node.js, an edited bundle): the
// engine is then compiled from source as `require` would, only slower. Nothing here writes anything
// unless the build asks for a cache (CONTAINER_GUARD_WRITE_CODE_CACHE, see esbuild.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { debuglog } from 'node:util';
import * as vm from 'node:vm';
import Module = require('node:module');
import { tuneForBatch } from './memory';

const ENGINE = path.join(__dirname, 'cli-engine.js');
const CODE_CACHE = path.join(__dirname, 'cli-engine.cache');
/** `NODE_DEBUG=container-guard` says on stderr whether V8 took the cache (Node's own switch, off by default). */
const debug = debuglog('container-guard');

/** Node's own CommonJS wrapper, so the bundle runs exactly as `require` would run it. */
type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

function readCodeCache(): Buffer | undefined {
  try {
    return fs.readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

function start(): void {
  // The lint's V8 flags before the compile: the cache was made under them.
  if (process.argv[2] === 'lint') tuneForBatch();
  const writeCacheTo = process.env['CONTAINER_GUARD_WRITE_CODE_CACHE'];
  const source = fs.readFileSync(ENGINE, 'utf8');
  const cachedData = writeCacheTo ? undefined : readCodeCache();
  const script = new vm.Script(Module.wrap(source), { filename: ENGINE, cachedData });
  debug('code cache %s', cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted');
  if (writeCacheTo) {
    // Made at exit, so the functions the run compiled (the lint path) are in it, not only the top level.
    process.once('exit', () => fs.writeFileSync(writeCacheTo, script.createCachedData()));
  }
  const engine = new Module(ENGINE, module);
  engine.filename = ENGINE;
  const run = script.runInThisContext() as CommonJsWrapper;
  run.call(engine.exports, engine.exports, Module.createRequire(ENGINE), engine, ENGINE, __dirname);
  engine.loaded = true;
}

start();

// Starts a bundle (the CLI engine, the language server) from a V8 code cache the build made for it, so the
// process does not parse and compile megabytes of JavaScript before its first request. Parsing the
// language server's bundle from source also leaves ~15 MB of the parser's memory resident for the life
// of the process; with the cache there is no parse. V8 checks a cache against its own version, the source
// and its flags, and ignores one that does not fit (another Node.js, an edited bundle, other flags): the
// bundle is then compiled from source as `require` would, only slower. Nothing is written unless the
// build asks for a cache (CONTAINER_GUARD_WRITE_CODE_CACHE, see esbuild.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { debuglog } from 'node:util';
import * as vm from 'node:vm';
import Module = require('node:module');

/** `NODE_DEBUG=container-guard` says on stderr whether V8 took the cache (Node's own switch, off by default). */
const debug = debuglog('container-guard');

/** Node's own CommonJS wrapper, so the bundle runs exactly as `require` would run it. */
type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

function readCodeCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * What the build's cache holds. `run`: the functions a run compiled too (the build runs a lint; a CI run
 * then compiles almost nothing). `compile`: the top level only, written before anything runs (the server:
 * functions compile when first called, and V8 may drop the bytecode of those it stops using, where
 * bytecode deserialized from a cache would stay resident — 8 MB more with every corpus file open).
 */
export type CacheContents = 'run' | 'compile';

/**
 * Runs `bundle` (an absolute path) as a CommonJS module compiled with `codeCache` beside it. The caller sets
 * any V8 flags first: the cache is accepted only under the flags it was made with.
 */
export function runBundleWithCodeCache(bundle: string, codeCache: string, parent: Module, contents: CacheContents): void {
  const writeCacheTo = process.env['CONTAINER_GUARD_WRITE_CODE_CACHE'];
  const source = fs.readFileSync(bundle, 'utf8');
  const cachedData = writeCacheTo ? undefined : readCodeCache(codeCache);
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  debug('code cache %s', cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted');
  if (writeCacheTo && contents === 'compile') {
    fs.writeFileSync(writeCacheTo, script.createCachedData());
    return;
  }
  if (writeCacheTo) process.once('exit', () => fs.writeFileSync(writeCacheTo, script.createCachedData()));
  const engine = new Module(bundle, parent);
  engine.filename = bundle;
  const run = script.runInThisContext() as CommonJsWrapper;
  run.call(engine.exports, engine.exports, Module.createRequire(bundle), engine, bundle, path.dirname(bundle));
  engine.loaded = true;
}

// `dist/server.js`, what editors start: the language server bundle (`dist/server-engine.js`) compiled
// from the V8 code cache the build made under the flags the editor starts it with
// (client/src/serverProcess.ts) and the server's own (serverV8.ts). Without the cache (another Node.js,
// other flags such as a debug session's) the bundle is compiled from source: the same server, with a
// slower start and ~15 MB more resident memory (node/bundleWithCodeCache.ts).
import * as path from 'node:path';
import { runBundleWithCodeCache } from '../node/bundleWithCodeCache';
import { tuneServerV8 } from './serverV8';

tuneServerV8();
runBundleWithCodeCache(path.join(__dirname, 'server-engine.js'), path.join(__dirname, 'server-engine.cache'), module, 'compile');

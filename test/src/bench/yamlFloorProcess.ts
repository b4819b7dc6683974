// Child process of the bench (section 6): the floor every `yaml`-based pipeline linter pays as a process —
// start Node, walk the folders, read every YAML file, parse it with the options the engine uses
// (server/src/engine/pipeline/yamlDocument.ts: source tokens kept, duplicate keys allowed, lax).
// Usage: node yamlFloorProcess.js <folder>…
import * as fs from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { walkYamlFiles } from './yamlWalk';

let documents = 0;
const files = walkYamlFiles(process.argv.slice(2));
for (const file of files) {
  const parsed = parseAllDocuments(fs.readFileSync(file, 'utf8'), { keepSourceTokens: true, uniqueKeys: false, strict: false, lineCounter: new LineCounter() });
  documents += Array.isArray(parsed) ? parsed.length : 1;
}
process.stdout.write(`${JSON.stringify({ files: files.length, documents })}\n`);

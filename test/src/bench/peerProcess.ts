// Child process of the bench (section 1): the peer as a process — start Node, walk the folders, read every
// Dockerfile, run dockerfile-utils' validator (what the Docker extensions use) on it.
// Usage: node peerProcess.js <folder>…
import * as fs from 'node:fs';
import { validate } from 'dockerfile-utils';
import { walkDockerfiles } from './corpusWalk';

let problems = 0;
const files = walkDockerfiles(process.argv.slice(2));
for (const file of files) problems += validate(fs.readFileSync(file, 'utf8')).length;
process.stdout.write(`${JSON.stringify({ files: files.length, problems })}\n`);

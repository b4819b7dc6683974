// Child process of the bench (section 1): the floor every dockerfile-ast based linter pays as a process —
// start Node, walk the folders, read every Dockerfile, parse it. Usage: node floorProcess.js <folder>…
import * as fs from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { walkDockerfiles } from './corpusWalk';

let instructions = 0;
const files = walkDockerfiles(process.argv.slice(2));
for (const file of files) instructions += DockerfileParser.parse(fs.readFileSync(file, 'utf8')).getInstructions().length;
process.stdout.write(`${JSON.stringify({ files: files.length, instructions })}\n`);

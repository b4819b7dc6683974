// Where the rule documentation pages are: `docs/rules/<id>.md`, shipped in the .vsix and the npm
// package beside the bundles (dist/), and beside the compiled sources during development.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let docsDirectory: string | null | undefined;

function findDocsDirectory(): string | null {
  let directory = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(directory, 'docs', 'rules');
    if (fs.existsSync(candidate)) return candidate;
    directory = path.dirname(directory);
  }
  return null;
}

export function ruleDocPath(ruleId: string): string | null {
  if (docsDirectory === undefined) docsDirectory = findDocsDirectory();
  return docsDirectory ? path.join(docsDirectory, `${ruleId}.md`) : null;
}

export function ruleDocUri(ruleId: string): string | undefined {
  const file = ruleDocPath(ruleId);
  return file ? pathToFileURL(file).href : undefined;
}

export function ruleDocMarkdown(ruleId: string): string | null {
  const file = ruleDocPath(ruleId);
  try {
    return file ? fs.readFileSync(file, 'utf8') : null;
  } catch {
    return null;
  }
}

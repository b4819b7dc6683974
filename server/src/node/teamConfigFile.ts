// Finding and reading the team file on disk; shared by the language server and the CLI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTeamConfig, TEAM_CONFIG_FILE_NAMES, type TeamConfig } from '../engine/teamConfig';
import { RULE_IDS } from '../engine/rules/index';

export interface LoadedTeamConfig extends TeamConfig {
  path: string;
  /** Folder the file's `ignore` globs are relative to. */
  directory: string;
}

/** The team file directly in `directory`, if any. */
export function teamConfigIn(directory: string): string | null {
  for (const name of TEAM_CONFIG_FILE_NAMES) {
    const candidate = path.join(directory, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** The nearest team file from `start` upwards, not going above `stop` (inclusive) when given. */
export function findTeamConfig(start: string, stop?: string): string | null {
  let directory = path.resolve(start);
  const boundary = stop ? path.resolve(stop) : null;
  for (;;) {
    const found = teamConfigIn(directory);
    if (found) return found;
    const parent = path.dirname(directory);
    if (directory === boundary || parent === directory) return null;
    directory = parent;
  }
}

export function loadTeamConfig(file: string): LoadedTeamConfig {
  const text = fs.readFileSync(file, 'utf8');
  return { ...parseTeamConfig(text, [...RULE_IDS]), path: file, directory: path.dirname(file) };
}

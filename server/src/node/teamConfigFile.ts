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

/**
 * `findTeamConfig` for many files of one run (the CLI): each folder is asked once, so the walk up from
 * the files of a deep tree costs one look per folder, not one per folder per file.
 */
export class TeamConfigFinder {
  private readonly found = new Map<string, string | null>();

  find(start: string): string | null {
    const pending: string[] = [];
    let directory = path.resolve(start);
    let result: string | null | undefined;
    for (;;) {
      result = this.found.get(directory);
      if (result !== undefined) break;
      pending.push(directory);
      result = teamConfigIn(directory);
      if (result) break;
      const parent = path.dirname(directory);
      if (parent === directory) break;
      directory = parent;
    }
    for (const visited of pending) this.found.set(visited, result ?? null);
    return result ?? null;
  }
}

export function loadTeamConfig(file: string): LoadedTeamConfig {
  const text = fs.readFileSync(file, 'utf8');
  return { ...parseTeamConfig(text, [...RULE_IDS]), path: file, directory: path.dirname(file) };
}

// Azure Pipelines task references as the engine compares them. A step names its task `Name@N`,
// `Name@N.M.P`, `publisher.extension.contribution.Name@N`, or by the task's id (`<guid>@N`, what the
// classic editor and YAML exports write); the rules match `name@major`, lower case.

/**
 * Built-in tasks by id, from the task's own `task.json` in microsoft/azure-pipelines-tasks. Only ids
 * read in such a file or an agent's task folder are listed (a wrong id would give an unrelated task's
 * findings): NuGetCommand (`"id": "333b11bd-…"`, and agents unpack it as `NuGetCommand_333b11bd-…`).
 */
const TASKS_BY_ID: ReadonlyMap<string, string> = new Map([
  ['333b11bd-d341-40d9-afcf-b32d5ce6f23b', 'nugetcommand'],
]);

/** `NuGetCommand@2.221.0`, `333b11bd-…@2` → `nugetcommand@2`; `Microsoft.X.Y.Task@1` → `task@1`. */
export function azureTaskName(written: string): string {
  const [name = '', version = ''] = written.trim().toLowerCase().split('@');
  return `${TASKS_BY_ID.get(name) ?? name.split('.').pop()}@${version.split('.')[0]}`;
}

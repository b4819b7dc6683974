// Azure Pipelines tasks as the NuGet and container rules read them: every `task:` mapping of the file with
// its name and major version (`DotNetCoreCLI@2`, `NuGetCommand@2`, `Docker@2`), its inputs (names compared
// case-insensitively, as Azure does), and the job it belongs to.
import type { PipelineDocument } from '../document';
import type { PipelineJob } from '../model';
import { azureTaskName } from '../azureTaskNames';
import { scalarText, stringOf, valueOf, type Document, type Node } from '../yamlDocument';
import type { MappedText } from '../../shell/runScript';
import type { Range } from '../../types';
import { everyMap, jobAt, rangeOf, rootMaps, valueRangeOf } from './pipelineNodes';

export interface AzureTask {
  yaml: Document;
  map: Node;
  /** Lower-cased `name@major`, publisher prefix removed: `dotnetcorecli@2`. */
  name: string;
  /** The `task:` value as written, for messages. */
  written: string;
  inputs: Node | null;
  /** The step mapping and the `task:` value. */
  range: Range;
  taskRange: Range;
  job: PipelineJob | null;
}

export function azureTasksOf(model: PipelineDocument): AzureTask[] {
  const pipeline = model.model;
  if (!pipeline || model.kind !== 'azure-pipelines') return [];
  const tasks: AzureTask[] = [];
  for (const { yaml } of rootMaps(model.parsed.documents)) {
    for (const map of everyMap(yaml)) {
      const taskNode = valueOf(yaml, map, 'task');
      const written = stringOf(taskNode)?.trim();
      if (!written) continue;
      const range = rangeOf(model.document, map);
      const taskRange = valueRangeOf(model.document, taskNode);
      if (!range || !taskRange) continue;
      tasks.push({
        yaml, map, name: azureTaskName(written), written, inputs: (valueOf(yaml, map, 'inputs') as Node | null) ?? null,
        range, taskRange, job: jobAt(pipeline, range),
      });
    }
  }
  return tasks;
}

/** An input's value as written (trimmed), or null when the task does not set it. */
export function taskInput(task: AzureTask, name: string): string | null {
  return stringOf(valueOf(task.yaml, task.inputs, name, true))?.trim() ?? null;
}

/** An input's scalar with its characters mapped to document offsets, for exact ranges inside it. */
export function taskInputText(model: PipelineDocument, task: AzureTask, name: string): MappedText | null {
  return scalarText(model.document, valueOf(task.yaml, task.inputs, name, true));
}

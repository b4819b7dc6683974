// Rules of pipeline YAML (GitHub Actions, Azure Pipelines, GitLab CI), one file each.
import type { PipelineRule } from '../rule';

export const PIPELINE_RULES: readonly PipelineRule[] = [];

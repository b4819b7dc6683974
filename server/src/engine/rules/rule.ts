// The shape every rule file exports: metadata beside the check. Rules see the model, never LSP.
import type { DockerfileModel } from '../dockerfile/model';
import type { NuGetConfigModel } from '../nuget/model';
import type { PipelineDocument } from '../pipeline/document';
import type { EngineSettings } from '../settings';
import type { RawFinding, RuleMeta } from '../types';

export type Report = (finding: RawFinding) => void;

/** What a rule may know besides the document: the settings in force and today's date (pinned in tests). */
export interface RuleContext {
  settings: EngineSettings;
  now: Date;
}

export interface DockerfileRule {
  meta: RuleMeta & { fileKind: 'dockerfile' };
  check(model: DockerfileModel, report: Report, context: RuleContext): void;
}

export interface NuGetConfigRule {
  meta: RuleMeta & { fileKind: 'nuget-config' };
  check(model: NuGetConfigModel, report: Report, context: RuleContext): void;
}

export interface PipelineRule {
  meta: RuleMeta & { fileKind: 'pipeline' };
  check(model: PipelineDocument, report: Report, context: RuleContext): void;
}

export type Rule = DockerfileRule | NuGetConfigRule | PipelineRule;

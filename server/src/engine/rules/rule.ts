// The shape every rule file exports: metadata beside the check. Rules see the model, never LSP.
import type { DockerfileModel } from '../dockerfile/model';
import type { RawFinding, RuleMeta } from '../types';

export type Report = (finding: RawFinding) => void;

export interface DockerfileRule {
  meta: RuleMeta;
  check(model: DockerfileModel, report: Report): void;
}

export type Rule = DockerfileRule;

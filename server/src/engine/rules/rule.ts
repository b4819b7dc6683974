// The shape every rule file exports: metadata beside the check. Rules see the model, never LSP.
import type { DockerfileModel } from '../dockerfile/model';
import type { KindRule } from '../kinds/documentKind';
import type { NuGetConfigModel } from '../nuget/model';
import type { PipelineDocument } from '../pipeline/document';
import type { EngineSettings } from '../settings';
import type { ScriptHost } from '../shell/scriptHost';
import type { FileKind, RawFinding, RuleMeta } from '../types';

export type Report = (finding: RawFinding) => void;

/** What a rule may know besides the document: the settings in force and today's date (pinned in tests). */
export interface RuleContext {
  settings: EngineSettings;
  now: Date;
  /**
   * Another file of the repository, by a path relative to the repository root (`docker/Dockerfile`), or
   * null when it cannot be read (missing, outside the root, too big, over the per-document budget).
   * Absent where no file system is in reach (tests without a map, untrusted workspaces).
   */
  readRelated?: RelatedReader;
}

export type RelatedReader = ((relativePath: string) => { text: string; path: string } | null) & {
  /** The linted document's own path from the repository root, when known (paths written in it may be relative to its folder). */
  documentPath?: string;
};

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

/**
 * A rule of embedded scripts: one check of the host-neutral script view (shell/scriptHost.ts), run on
 * every kind in `fileKinds` through that kind's adapter (Dockerfile RUN instructions, pipeline steps).
 * `fileKind` is the kind it was written for first.
 */
export interface ScriptRule {
  meta: RuleMeta & { fileKind: 'dockerfile'; fileKinds: readonly FileKind[] };
  checkScripts(host: ScriptHost, report: Report, context: RuleContext): void;
}

/** The kinds whose scripts the script rules check: Dockerfile RUN instructions and pipeline steps. */
export const SCRIPT_FILE_KINDS: readonly FileKind[] = ['dockerfile', 'pipeline'];

export type Rule = DockerfileRule | NuGetConfigRule | PipelineRule | ScriptRule;

export function isScriptRule(rule: Rule): rule is ScriptRule {
  return 'checkScripts' in rule;
}

/**
 * The rules a document kind runs, in registry order: the rules of its model, and the script rules that
 * list the kind, each checking the kind's script view (`scriptHostOf`; null: the model embeds no scripts).
 */
export function rulesOfKind<Model>(rules: readonly Rule[], kind: FileKind, scriptHostOf: (model: Model) => ScriptHost | null): Array<KindRule<Model>> {
  return rules.flatMap((rule): Array<KindRule<Model>> => {
    if (isScriptRule(rule)) {
      if (!rule.meta.fileKinds.includes(kind)) return [];
      return [{
        meta: rule.meta,
        check(model, report, context) {
          const host = scriptHostOf(model);
          if (host) rule.checkScripts(host, report, context);
        },
      }];
    }
    return rule.meta.fileKind === kind ? [rule as unknown as KindRule<Model>] : [];
  });
}

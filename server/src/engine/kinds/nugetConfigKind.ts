// nuget.config: XML with positions, NuGet's reading of it, the nuget rules, XML suppression comments.
import { buildNuGetConfigModel, type NuGetConfigModel } from '../nuget/model';
import { collectNuGetSuppressions, elementAtLine } from '../nuget/suppression';
import { ALL_RULES } from '../rules/index';
import type { NuGetConfigRule } from '../rules/rule';
import { SUPPRESSION_PREFIX } from '../suppression';
import type { DocumentKind } from './documentKind';
import { suppressionCommentFix } from './suppressionFix';

/** NuGet reads `nuget.config` in any letter case (`NuGet.Config`, `NuGet.config`, `nuget.config`). */
const NUGET_CONFIG_NAME = /^nuget\.config$/i;

export const nugetConfigKind: DocumentKind<NuGetConfigModel> = {
  id: 'nuget-config',
  recognisesPath: (path) => NUGET_CONFIG_NAME.test(path.split(/[\\/]/).pop() ?? ''),
  buildModel: buildNuGetConfigModel,
  documentOf: (model) => model.document,
  rules: ALL_RULES.filter((rule): rule is NuGetConfigRule => rule.meta.fileKind === 'nuget-config'),
  suppressions: (model) => collectNuGetSuppressions(model),
  suppressionFix: (model, ruleId, line) => {
    const element = elementAtLine(model, line);
    return suppressionCommentFix(
      model.document, `<!-- ${SUPPRESSION_PREFIX} ignore=${ruleId} -->`, `Ignore ${ruleId} for this element`, element ? element.range.start.line : line,
    );
  },
};

// nuget.config: XML with positions, NuGet's reading of it, the nuget rules, XML suppression comments.
import { buildNuGetConfigModel, type NuGetConfigModel } from '../nuget/model';
import { collectNuGetSuppressions, elementAtLine } from '../nuget/suppression';
import { ALL_RULES } from '../rules/index';
import type { NuGetConfigRule } from '../rules/rule';
import { malformedXml } from '../rules/nuget/malformedXml';
import { SUPPRESSION_PREFIX } from '../suppression';
import { lineBreakOf } from '../text';
import type { Fix } from '../types';
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
    // A malformed-XML problem is often outside every element (before the root, after it, in a file
    // without one), and a comment line put above it can land in the broken markup and be read as
    // something else. The problem is one per file, so the file-level comment says the same, in the one
    // place the lexer always reads as a comment.
    if (ruleId === malformedXml.meta.id && model.xml.problem) return fileLevelSuppressionFix(model, ruleId);
    const element = elementAtLine(model, line);
    return suppressionCommentFix(
      model.document, `<!-- ${SUPPRESSION_PREFIX} ignore=${ruleId} -->`, `Ignore ${ruleId} for this element`, element ? element.range.start.line : line,
    );
  },
};

/**
 * "Ignore <rule> in this file": `<!-- container-guard global ignore=<rule> -->` on its own line after the
 * XML declaration (which must stay first), or else at the start of the file (after a byte-order mark),
 * where the lexer is outside any markup whatever follows.
 */
function fileLevelSuppressionFix(model: NuGetConfigModel, ruleId: string): Fix {
  const text = model.document.getText();
  const eol = lineBreakOf(text);
  const comment = `<!-- ${SUPPRESSION_PREFIX} global ignore=${ruleId} -->`;
  const declarationEnd = model.xml.declarationEnd;
  const offset = declarationEnd ?? (text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const at = model.document.positionAt(offset);
  return {
    title: `Ignore ${ruleId} in this file`,
    edits: [{ range: { start: at, end: at }, newText: declarationEnd !== undefined ? `${eol}${comment}` : `${comment}${eol}` }],
    safeForFixAll: false,
  };
}

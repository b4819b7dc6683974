// nuget.config: XML with positions, NuGet's reading of it, the nuget rules, XML suppression comments.
import { nugetSourceHover } from './features/nugetSourceHover';
import { buildNuGetConfigModel, type NuGetConfigModel } from './model';
import { collectNuGetSuppressions, elementAtLine } from './suppression';
import { ALL_RULES } from '../rules/index';
import type { NuGetConfigRule } from '../rules/rule';
import { malformedXml } from './rules/malformedXml';
import { SUPPRESSION_PREFIX } from '../suppression';
import { lineBreakOf } from '../text';
import type { Fix } from '../types';
import type { DocumentKind } from '../kinds/documentKind';
import { suppressionCommentFix } from '../kinds/suppressionFix';

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
    // The comment applies to the next element after it, over that element's lines: it goes just before the
    // innermost element holding the finding's line, or before an ancestor when that element's `<` stands
    // inside broken markup (a comment there is read as more of it) or after a `<!--` nothing closes (the
    // comment's `-->` would close that one and swallow everything between). Failing both, the file.
    const comment = `<!-- ${SUPPRESSION_PREFIX} ignore=${ruleId} -->`;
    const title = `Ignore ${ruleId} for this element`;
    const document = model.document;
    const unclosed = model.xml.unclosedCommentAt ?? Infinity;
    for (let element = elementAtLine(model, line); element; element = element.parent) {
      if (!element.startsOutsideMarkup) continue;
      const start = element.range.start;
      const lineStart = { line: start.line, character: 0 };
      // On a line of its own when only blanks stand before the element; otherwise just before the
      // element, so that an element ending earlier on that line does not take the comment.
      const ownLine = /^[ \t\uFEFF]*$/.test(document.getText({ start: lineStart, end: start }));
      if ((ownLine ? document.offsetAt(lineStart) : element.startOffset) > unclosed) continue;
      if (ownLine) return suppressionCommentFix(document, comment, title, start.line);
      return { title, edits: [{ range: { start, end: start }, newText: comment }], safeForFixAll: false };
    }
    return fileLevelSuppressionFix(model, ruleId);
  },
  features: {
    hover: (model, position) => nugetSourceHover(model, position),
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

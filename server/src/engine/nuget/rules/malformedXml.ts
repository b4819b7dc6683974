import type { NuGetConfigRule } from '../../rules/rule';
import { excerpt } from '../../excerpt';

// NuGet refuses a config it cannot read ("NuGet.Config is not valid XML") and restore fails, so a broken
// file is reported once, where the XML goes wrong, and the other rules still check what could be read.
export const malformedXml: NuGetConfigRule = {
  meta: {
    id: 'nuget-malformed-xml',
    title: 'nuget.config that NuGet cannot read: malformed XML, another root than <configuration>, a source mapped twice',
    fileKind: 'nuget-config',
    defaultSeverity: 'error',
    cwe: [],
    references: ['NIST SP 800-190 §4.1.3'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 1.0,
  },
  check(model, report) {
    const problem = model.xml.problem;
    if (problem) {
      // A read limit of this reader (nesting deeper than NuGet's schema goes) is no XML error: NuGet reads it.
      report({ range: problem.range, message: problem.readLimit ? problem.message : `${problem.message} NuGet cannot read this file, so restore fails.` });
      return;
    }
    const root = model.xml.root;
    if (root && root.key !== 'configuration') {
      report({ range: root.nameRange, message: `The root element is <${excerpt(root.name)}>; NuGet reads settings only from a <configuration> root.` });
      return;
    }
    // NuGet's settings reader refuses a source mapped twice (Error_DuplicatePackageSource): restore fails.
    const duplicate = model.mapping.duplicates[0];
    if (duplicate) {
      const key = duplicate.element.attributes.find((a) => a.name.toLowerCase() === 'key');
      report({ range: key?.valueRange ?? duplicate.element.nameRange, message: `"${excerpt(duplicate.key)}" has a second <packageSource> entry in <packageSourceMapping>; NuGet refuses the file. Merge its patterns into the first entry.` });
    }
  },
};

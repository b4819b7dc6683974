import type { PipelineRule } from '../../rules/rule';
import { isMap, isScalar, itemsOf, stringOf, valueOf, type Node } from '../yamlDocument';
import { reportOnce, rootMaps, valueRangeOf } from './pipelineNodes';

// `include: remote:` fetches CI configuration from a URL each time a pipeline is created: whoever
// controls that URL (or its DNS, or the host) decides what this project's jobs run, with its CI/CD
// variables. GitLab 17.9 added `integrity: sha256-<base64>`, checked before the file is used.

export const remoteIncludeWithoutIntegrity: PipelineRule = {
  meta: {
    id: 'pipeline-remote-include-without-integrity',
    title: 'A GitLab `include: remote:` has no `integrity:` hash',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [494],
    references: ['NIST SP 800-190 §4.1.2', 'pipeline-check GL-005', 'Plumber includes_forbidden_version'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    if (model.kind !== 'gitlab-ci') return;
    const message = 'This remote include is fetched without a hash, so whoever controls the URL decides what runs; add `integrity: sha256-…` of the reviewed file.';
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      const include = valueOf(yaml, root, 'include');
      const entries: Array<Node | null | undefined> = isScalar(include) || isMap(include) ? [include] : itemsOf(yaml, include);
      for (const entry of entries) {
        // A bare string is a remote include when it is a URL (`include: 'https://…'`).
        if (isScalar(entry)) {
          if (/^https?:\/\//i.test(stringOf(entry)?.trim() ?? '')) {
            const range = valueRangeOf(model.document, entry);
            if (range) report({ range, message });
          }
          continue;
        }
        const remote = valueOf(yaml, entry, 'remote');
        if (!isScalar(remote) || valueOf(yaml, entry, 'integrity')) continue;
        const range = valueRangeOf(model.document, remote);
        if (range) report({ range, message });
      }
    }
  },
};

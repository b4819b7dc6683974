import type { PipelineRule } from '../../rules/rule';
import { forEachNode, isScalar, itemsOf, stringOf, valueOf } from '../yamlDocument';
import { hasRunTimeValue, reportOnce, rootMaps, valueRangeOf } from './pipelineNodes';

// `template: build.yml@tools` runs steps from another repository, at the ref its `resources.repositories`
// entry names — by default the tip of its default branch. Anyone who can push there changes what this
// pipeline runs, with its service connections and secrets. Microsoft's template guidance pins the
// repository resource to a tag (`ref: refs/tags/v1`); a commit SHA cannot move at all.

const PINNED = /^(?:refs\/tags\/.+|[0-9a-f]{40})$/i;

export const unpinnedTemplateRepository: PipelineRule = {
  meta: {
    id: 'pipeline-unpinned-template-repository',
    title: 'Azure templates come from a repository resource taken from a branch',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.2', 'pipeline-check ADO-025'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.0,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    if (model.kind !== 'azure-pipelines') return;
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      // Aliases that `template: file@alias` (steps, jobs, stages, extends) takes templates from.
      const templateAliases = new Set<string>();
      forEachNode(yaml, (node) => {
        const text = isScalar(node) && typeof node.value === 'string' ? node.value.trim() : '';
        const at = text.lastIndexOf('@');
        if (at > 0 && /\.ya?ml$/i.test(text.slice(0, at))) templateAliases.add(text.slice(at + 1));
      });
      for (const resource of itemsOf(yaml, valueOf(yaml, valueOf(yaml, root, 'resources'), 'repositories'))) {
        const alias = stringOf(valueOf(yaml, resource, 'repository'))?.trim();
        const type = stringOf(valueOf(yaml, resource, 'type'))?.trim().toLowerCase() ?? '';
        if (!alias || !templateAliases.has(alias) || !['git', 'github', 'githubenterprise', 'bitbucket'].includes(type)) continue;
        const refNode = valueOf(yaml, resource, 'ref');
        const ref = stringOf(refNode)?.trim() ?? '';
        if (ref !== '' && (PINNED.test(ref) || hasRunTimeValue(ref))) continue;
        const range = valueRangeOf(model.document, ref === '' ? valueOf(yaml, resource, 'repository') : refNode);
        if (!range) continue;
        report({
          range,
          message: ref === ''
            ? `Templates from \`${alias}\` come from the tip of its default branch; pin the resource with \`ref: refs/tags/<version>\` (or a commit).`
            : `Templates from \`${alias}\` come from branch \`${ref}\`, which anyone who can push there changes; pin \`ref: refs/tags/<version>\` (or a commit).`,
        });
      }
    }
  },
};

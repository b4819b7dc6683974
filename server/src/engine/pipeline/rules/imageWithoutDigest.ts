import type { PipelineRule } from '../../rules/rule';
import type { PipelineDocument } from '../document';
import { isMap, isScalar, isSeq, itemsOf, pairsOf, resolveNode, stringOf, valueOf, type Document, type Node } from '../yamlDocument';
import { everyMap, githubJobs, hasRunTimeValue, rootMaps, valueRangeOf, reportOnce } from './pipelineNodes';

// A tag is a name the registry owner can point at other content at any time; only `@sha256:<digest>`
// names the exact image a job runs in (and the digest is what signatures and SBOMs attest).
const DIGEST = /@sha256:[0-9a-f]{64}$/i;

/** GitLab's hosted macOS runners take a VM image name (`macos-14-xcode-15`), not a container image. */
const MACOS_VM = /^macos-[\w.-]*$/i;

/** GitLab keys at the top level that are no job. */
const GITLAB_RESERVED = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec', 'types']);

/** Keys that make a mapping an Azure job (or a pipeline with a single implicit job). */
const AZURE_JOB_KEYS = ['job', 'deployment', 'steps', 'pool', 'strategy', 'dependsOn', 'workspace', 'timeoutInMinutes'];

/** `node` when it is a literal image reference without a digest (the ones this rule reports), else null. */
function unpinnedImage(node: Node | null | undefined): Node | null {
  if (!node || !isScalar(node)) return null;
  const value = stringOf(node)?.trim() ?? '';
  if (value === '' || hasRunTimeValue(value) || DIGEST.test(value) || MACOS_VM.test(value)) return null;
  return node;
}

/** An image given as a string, or as a mapping with `key` (`image:`, GitLab `name:`). */
function imageNode(yaml: Document, node: unknown, key: string): Node | null {
  const resolved = resolveNode(yaml, node);
  if (isMap(resolved)) return valueOf(yaml, resolved, key) ?? null;
  return resolved ?? null;
}

/**
 * The image scalars of a pipeline this rule reports (a literal reference without `@sha256:`), in source
 * order of discovery: job and service containers (GitHub), `image:`/`services:` (GitLab), container
 * resources and job `container:` (Azure). The "pin to digest" fix (pinTargets.ts) starts from the same list.
 */
export function unpinnedImageNodes(model: PipelineDocument): Node[] {
  const nodes: Node[] = [];
  const push = (node: Node | null | undefined): void => {
    const image = unpinnedImage(node);
    if (image) nodes.push(image);
  };
  if (model.kind === 'github-workflow') {
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      for (const { job } of githubJobs(yaml, root)) {
        push(imageNode(yaml, valueOf(yaml, job, 'container'), 'image'));
        for (const { value } of pairsOf(yaml, valueOf(yaml, job, 'services'))) push(imageNode(yaml, value, 'image'));
      }
    }
  } else if (model.kind === 'gitlab-ci') {
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      const scopes: Node[] = [root];
      const defaults = valueOf(yaml, root, 'default');
      if (defaults && isMap(defaults)) scopes.push(defaults);
      for (const { key, value } of pairsOf(yaml, root)) if (!GITLAB_RESERVED.has(key) && value && isMap(value)) scopes.push(value);
      for (const scope of scopes) {
        const image = valueOf(yaml, scope, 'image');
        if (image) push(imageNode(yaml, image, 'name'));
        for (const service of itemsOf(yaml, valueOf(yaml, scope, 'services'))) push(imageNode(yaml, service, 'name'));
      }
    }
  } else if (model.kind === 'azure-pipelines') {
    // Container resources are reported where they are declared; jobs naming one by alias are not.
    const aliases = new Set<string>();
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      for (const resource of itemsOf(yaml, valueOf(yaml, valueOf(yaml, root, 'resources'), 'containers'))) {
        const alias = stringOf(valueOf(yaml, resource, 'container'));
        if (alias !== null) aliases.add(alias.trim());
        push(valueOf(yaml, resource, 'image'));
      }
    }
    for (const { yaml } of rootMaps(model.parsed.documents)) {
      for (const map of everyMap(yaml)) {
        const entries = pairsOf(yaml, map);
        const container = entries.find((entry) => entry.key === 'container');
        if (!container || !entries.some((entry) => AZURE_JOB_KEYS.includes(entry.key))) continue;
        const value = container.value;
        if (isMap(value)) {
          push(valueOf(yaml, value, 'image'));
          continue;
        }
        if (isSeq(value) || !isScalar(value)) continue;
        const text = stringOf(value)?.trim() ?? '';
        // A bare word is a container resource's alias (declared here, or in the pipeline that
        // includes this template); an image reference has a tag, a registry path or a digest.
        if (aliases.has(text) || !/[:/@]/.test(text)) continue;
        push(value);
      }
    }
  }
  return nodes;
}

export const imageWithoutDigest: PipelineRule = {
  meta: {
    id: 'pipeline-image-without-digest',
    title: 'A pipeline job or service container image is not pinned by digest',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.2', 'zizmor unpinned-images', 'CKV_AZUREPIPELINES_2'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['unpinned-images'],
    securitySeverity: 5.5,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    for (const node of unpinnedImageNodes(model)) {
      const value = stringOf(node)?.trim() ?? '';
      const range = valueRangeOf(model.document, node);
      if (range) report({ range, message: `The image \`${value}\` is not pinned by digest; append \`@sha256:…\` of the image you tested (the tag may stay).` });
    }
  },
};

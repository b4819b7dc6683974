import type { PipelineRule } from '../../rules/rule';
import { isMap, itemsOf, pairOf, pairsOf, resolveNode, stringOf, valueOf, type Document } from '../yamlDocument';
import { githubJobs, hasRunTimeValue, rangeOf, rootMaps, reportOnce } from './pipelineNodes';

// GITHUB_TOKEN gets the `permissions:` of its job, else of its workflow, else the repository's default
// (write to every scope in repositories and organisations created before February 2023). A token that
// can push code, publish packages or mint OIDC tokens is what a compromised step steals.
/** True when `on:` names `workflow_call` and no other event. */
function onlyWorkflowCall(yaml: Document, root: unknown): boolean {
  const on = valueOf(yaml, root, 'on') ?? valueOf(yaml, root, 'true');
  const events = new Set<string>();
  const single = stringOf(on);
  if (single !== null) events.add(single.trim());
  for (const item of itemsOf(yaml, on)) events.add(stringOf(item)?.trim() ?? '');
  for (const { key } of pairsOf(yaml, on)) events.add(key.trim());
  return events.size === 1 && events.has('workflow_call');
}

export const excessivePermissions: PipelineRule = {
  meta: {
    id: 'pipeline-excessive-permissions',
    title: "A GitHub workflow's token has more permissions than its jobs need",
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [732],
    references: ['NIST SP 800-190 §4.3.1', 'OpenSSF Scorecard Token-Permissions', 'zizmor excessive-permissions', 'CKV2_GHA_1'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['excessive-permissions'],
    securitySeverity: 6.0,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    if (model.kind !== 'github-workflow') return;
    const document = model.document;
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      const jobs = githubJobs(yaml, root);
      if (jobs.length === 0) continue;
      const workflowPair = isMap(root) ? pairOf(root, 'permissions') : null;
      const workflowPermissions = workflowPair ? resolveNode(yaml, workflowPair.value) : null;
      const jobsWithout = jobs.filter(({ job }) => !(isMap(job) && pairOf(job, 'permissions')));

      // write-all, at the workflow or on a job.
      const writeAll = (node: unknown, where: string) => {
        if (stringOf(node)?.trim().toLowerCase() !== 'write-all') return;
        const range = rangeOf(document, node);
        if (range) report({ range, message: `\`permissions: write-all\` gives ${where} token write access to every scope; grant only the scopes it needs (e.g. \`contents: read\`).` });
      };
      writeAll(workflowPermissions, "every job's");
      for (const { job } of jobs) writeAll(valueOf(yaml, job, 'permissions'), "this job's");

      if (!workflowPair) {
        // No workflow permissions and a job without its own: that job runs with the repository default.
        // A reusable-only workflow (`on: workflow_call`) runs with its caller's token, capped by the caller.
        if (jobsWithout.length === 0 || onlyWorkflowCall(yaml, root)) continue;
        const onPair = isMap(root) ? (pairOf(root, 'on') ?? pairOf(root, 'true')) : null;
        const anchor = onPair?.key ?? root;
        const span = rangeOf(document, anchor);
        if (!span) continue;
        const range = onPair ? span : { start: span.start, end: span.start };
        const names = jobsWithout.map(({ name }) => name);
        const list = names.length > 3 ? `${names.slice(0, 3).join(', ')}…` : names.join(', ');
        report({
          range,
          severity: 'info',
          message: `No \`permissions:\` for the workflow or job${names.length > 1 ? 's' : ''} ${list}: the token gets the repository default (possibly write-all); add \`permissions: contents: read\` at the top.`,
        });
        continue;
      }

      // Write scopes granted at the workflow level reach every job that sets no permissions of its own.
      // When at most one job inherits them, the grant is that job's own: not reported.
      if (!isMap(workflowPermissions) || jobsWithout.length < 2) continue;
      for (const { key, value } of pairsOf(yaml, workflowPermissions)) {
        const level = stringOf(value)?.trim().toLowerCase();
        if (level !== 'write' || hasRunTimeValue(key)) continue;
        const range = rangeOf(document, value);
        if (range) report({ range, message: `\`${key}: write\` at the workflow level reaches ${jobsWithout.length} jobs that set no permissions (and any job added later); grant it on the jobs that need it.` });
      }
    }
  },
};

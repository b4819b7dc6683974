import type { PipelineRule } from '../../rules/rule';
import { isScalar, scalarText, stringOf, valueOf, forEachNode } from '../yamlDocument';
import { expressionsOf, githubJobs, rangeInMapped, reportOnce, rootMaps, valueRangeOf } from './pipelineNodes';

// A job should receive the secrets it uses, by name. `toJSON(secrets)` puts every secret of the
// repository (and organisation) into one value, `secrets: inherit` hands all of them to a reusable
// workflow, and an index computed at run time (`secrets[inputs.name]`) lets the caller pick any of them.

/** `toJSON(secrets)`, the bare `secrets` context, or `secrets[<not a literal>]` inside an expression. */
function exposures(inner: string): Array<{ start: number; end: number; what: string }> {
  const found: Array<{ start: number; end: number; what: string }> = [];
  for (const match of inner.matchAll(/\btoJSON\s*\(\s*secrets\s*\)/gi)) found.push({ start: match.index, end: match.index + match[0].length, what: '`toJSON(secrets)` puts every secret into one value' });
  if (/^\s*secrets\s*$/i.test(inner)) found.push({ start: inner.search(/secrets/i), end: inner.search(/secrets/i) + 7, what: 'the whole `secrets` context is passed on' });
  // `secrets[matrix.x]` picks among values written in the workflow; other run-time indexes can pick any secret.
  for (const match of inner.matchAll(/\bsecrets\s*\[\s*(?!['"][^'"]*['"]\s*\]|matrix\.)/gi)) found.push({ start: match.index, end: match.index + match[0].length, what: 'a secret chosen at run time (`secrets[…]`) can be any secret' });
  return found;
}

export const secretsExposed: PipelineRule = {
  meta: {
    id: 'pipeline-secrets-exposed',
    title: 'A workflow exposes the whole secrets context (toJSON(secrets), secrets: inherit)',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [522],
    references: ['NIST SP 800-190 §4.1.4', 'zizmor overprovisioned-secrets', 'zizmor secrets-inherit', 'poutine job_all_secrets'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['overprovisioned-secrets', 'secrets-inherit'],
    securitySeverity: 5.5,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    if (model.kind !== 'github-workflow' && model.kind !== 'github-action') return;
    const document = model.document;
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      for (const { job } of githubJobs(yaml, root)) {
        const secrets = valueOf(yaml, job, 'secrets');
        if (!valueOf(yaml, job, 'uses') || !isScalar(secrets) || stringOf(secrets)?.trim().toLowerCase() !== 'inherit') continue;
        const range = valueRangeOf(document, secrets);
        if (range) report({ range, message: '`secrets: inherit` hands every secret to the called workflow; pass the ones it needs by name under `secrets:`.' });
      }
      forEachNode(yaml, (node) => {
        // Every exposure names the `secrets` context: other expressions are not mapped back to the text.
        if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${{') || !/secrets/i.test(node.value)) return;
        const mapped = scalarText(document, node);
        if (!mapped) return;
        for (const expression of expressionsOf(mapped.text)) {
          const innerStart = expression.start + 3 + (mapped.text.slice(expression.start + 3, expression.end - 2).length - mapped.text.slice(expression.start + 3, expression.end - 2).trimStart().length);
          for (const found of exposures(expression.inner)) {
            report({ range: rangeInMapped(document, mapped, innerStart + found.start, innerStart + found.end), message: `${found.what[0]!.toUpperCase()}${found.what.slice(1)}; reference only the secrets this step needs (\`secrets.NAME\`).` });
          }
        }
      });
    }
  },
};

import type { PipelineRule } from '../../rules/rule';
import { isPair, isScalar, keyString, pairsOf, resolveNode, stringOf, type YAMLMap } from '../yamlDocument';
import { everyMap, reportOnce, rootMaps, valueRangeOf } from './pipelineNodes';

// `ACTIONS_ALLOW_UNSECURE_COMMANDS: true` turns the retired `::set-env` and `::add-path` workflow commands
// back on: any step (or any text a step prints, such as a PR title in a log line) can then set
// environment variables and PATH for the steps after it — code execution by printing (CVE-2020-15228).

export const unsecureCommands: PipelineRule = {
  meta: {
    id: 'pipeline-unsecure-commands',
    title: '`ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables the `set-env`/`add-path` workflow commands',
    fileKind: 'pipeline',
    defaultSeverity: 'error',
    cwe: [94],
    references: ['NIST SP 800-190 §4.1.4', 'zizmor insecure-commands', 'CKV_GHA_1'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['insecure-commands'],
    securitySeverity: 8.0,
  },
  check(model, reportAll) {
    const report = reportOnce(reportAll);
    if (model.kind !== 'github-workflow' && model.kind !== 'github-action') return;
    for (const { yaml } of rootMaps(model.parsed.documents)) {
      for (const map of everyMap(yaml)) {
        // Every mapping of the file is asked for `env:` (duplicates included): its pairs are scanned in
        // place rather than listed, which made an object per pair of every mapping.
        for (const item of (map as YAMLMap).items) {
          if (!isPair(item) || keyString(item) !== 'env') continue;
          const value = resolveNode(yaml, item.value);
          for (const entry of pairsOf(yaml, value)) {
            if (entry.key.toUpperCase() !== 'ACTIONS_ALLOW_UNSECURE_COMMANDS' || !isScalar(entry.value)) continue;
            const text = stringOf(entry.value)?.trim().toLowerCase() ?? '';
            // The runner accepts `true` (any case); zizmor counts `yes`/`1` too, as a reader would.
            if (!['true', 'yes', '1', 'on'].includes(text)) continue;
            const range = valueRangeOf(model.document, entry.value);
            if (!range) continue;
            report({
              range,
              message: '`ACTIONS_ALLOW_UNSECURE_COMMANDS` lets any printed line set env variables and PATH for later steps; remove it and write to $GITHUB_ENV/$GITHUB_PATH.',
              fixes: [{ title: 'Set `ACTIONS_ALLOW_UNSECURE_COMMANDS` to false (steps using set-env/add-path must move to $GITHUB_ENV)', edits: [{ range, newText: 'false' }], safeForFixAll: false }],
            });
          }
        }
      }
    }
  },
};

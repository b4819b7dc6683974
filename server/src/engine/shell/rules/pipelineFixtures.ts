// Test helpers for the script rules on pipeline steps (imported by tests only): one small pipeline per
// platform and style that puts a script where the platform reads it, and what each finding underlines.
import assert from 'node:assert/strict';
import { parseYaml } from '../../pipeline/yamlDocument';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';
import type { Finding, Fix } from '../../types';

export interface PipelineCase {
  text: string;
  path: string;
}

const indent = (lines: readonly string[], by: number): string => lines.map((line) => (line ? ' '.repeat(by) + line : '')).join('\n');

/** A GitHub workflow, one job on `runsOn`, one `run:` step per script; `style` writes the scalar (`|`, `>-`, `"`, `'`, plain). */
export function github(runsOn: string, scripts: ReadonlyArray<readonly string[]>, style: '|' | '>-' | '"' | '\'' | 'plain' = '|', shell?: string): PipelineCase {
  const steps = scripts.map((lines) => {
    const shellLine = shell ? `        shell: ${shell}\n` : '';
    if (style === '|' || style === '>-') return `      - run: ${style}\n${indent(lines, 10)}\n${shellLine}`;
    const line = lines.join('; ');
    const written = style === '"' ? `"${line.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : style === '\'' ? `'${line.replace(/'/g, '\'\'')}'` : line;
    return `      - run: ${written}\n${shellLine}`;
  });
  return { path: '/repo/.github/workflows/ci.yml', text: `on: push\njobs:\n  build:\n    runs-on: ${runsOn}\n    steps:\n${steps.join('')}` };
}

/** An Azure pipeline on a hosted pool with one `powershell:`/`pwsh:`/`bash:`/`script:` step. */
export function azureStep(vmImage: string, key: 'powershell' | 'pwsh' | 'bash' | 'script', lines: readonly string[]): PipelineCase {
  return { path: '/repo/azure-pipelines.yml', text: `pool:\n  vmImage: ${vmImage}\nsteps:\n- ${key}: |\n${indent(lines, 4)}\n  displayName: Step\n` };
}

/** An Azure pipeline with a `PowerShell@2` inline task. */
export function azureTask(lines: readonly string[]): PipelineCase {
  return {
    path: '/repo/azure-pipelines.yml',
    text: `pool:\n  vmImage: windows-2022\nsteps:\n- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: |\n${indent(lines, 6)}\n`,
  };
}

/** A GitLab job whose `script:` (and `before_script:`) are lists, each item written as given (plain, quoted…). */
export function gitlab(items: readonly string[], options: { tags?: string; image?: string; before?: readonly string[] } = {}): PipelineCase {
  const runner = options.tags ? `  tags: [${options.tags}]\n` : `  image: ${options.image ?? 'ubuntu:24.04'}\n`;
  const before = options.before ? `  before_script:\n${options.before.map((item) => `    - ${item}`).join('\n')}\n` : '';
  return { path: '/repo/.gitlab-ci.yml', text: `build:\n${runner}${before}  script:\n${items.map((item) => `    - ${item}`).join('\n')}\n` };
}

export function pipelineFindings(ruleId: string, pipeline: PipelineCase): Finding[] {
  return findingsOf(ruleId, pipeline.text, { kind: 'pipeline', path: pipeline.path });
}

/** The text under each finding of the rule, in document order. */
export function underlinedIn(ruleId: string, pipeline: PipelineCase): string[] {
  return pipelineFindings(ruleId, pipeline).map((finding) => textAt(pipeline.text, finding.range));
}

/** The finding's fixes without the suppression comment every finding carries. */
export function ruleFixes(finding: Finding): Fix[] {
  return finding.fixes.filter((fix) => !fix.title.startsWith('Ignore '));
}

/** Applies a fix and checks the YAML still parses to the same shape; returns the new text. */
export function applyFix(pipeline: PipelineCase, fix: Fix): string {
  assert.equal(fix.safeForFixAll, false, 'pipeline fixes are never applied by fix-all');
  const fixed = applyEdits(pipeline.text, fix.edits);
  assert.deepEqual(parseYaml(fixed).errors, [], fixed);
  return fixed;
}

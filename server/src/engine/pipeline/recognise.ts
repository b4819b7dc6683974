// Which pipeline a YAML file is: first by its path (the names the platforms themselves read), then, for
// any other YAML, by the structure of the parsed document — never by a regular expression over the raw
// text, and never "any YAML": Kubernetes manifests, compose files, Helm values, issue templates,
// dependabot.yml, mkdocs.yml and the like have none of the shapes below and give null.
//
// By content:
// - Azure Pipelines pipelines and templates (most of a real repository's Azure logic lives in templates
//   under eng/ or build/, with any name): a `steps:` list of Azure steps (`task: Name@N`, `script:`,
//   `bash:`, `pwsh:`, `powershell:`, `checkout:`, `template:` …), a `jobs:` list of `job:`/`deployment:`/
//   `template:` items (`phases:`/`phase:` in the pre-2019 schema), a `stages:` list of `stage:`/`template:` items, `extends: { template }`, a variables
//   template (`variables:` list with `group:`/`template:`/`${{ }}` items), or `trigger:`/`pr:`/`pool:`
//   beside other Azure root keys. `${{ if … }}:` / `${{ each … }}:` items are looked through.
// - GitHub workflows outside `.github/workflows/` (GitHub never runs them there, but workflow
//   templates, test fixtures and copies are workflows to their readers): only when clearly one — an
//   `on:` trigger and a `jobs:` mapping with a job that has `runs-on:` and `steps:`, steps with `run:` or
//   `uses:`, or calls a reusable workflow (`uses: owner/repo/…`).
// - GitHub action metadata with another name than action.yml: `runs:` with `using:`.
// - GitLab CI is recognised by name (`.gitlab-ci.yml`, `*.gitlab-ci.yml`), never by shape: included files
//   have none that tells them from other YAML with certainty (top-level jobs with `script:`). The files a
//   GitLab file includes with `local:` are GitLab files whatever their names: a host that walks a tree asks
//   the kind for them (DocumentKind.includedFiles) and builds them with that sub-kind.
import type { Document, Node } from 'yaml';
import { isMap, isScalar, isSeq, itemsOf, pairsOf, parseYaml, resolveNode, stringOf, valueOf, type ParsedYaml } from './yamlDocument';

export type PipelineKind = 'github-workflow' | 'github-action' | 'azure-pipelines' | 'gitlab-ci';

/** The pipeline kind of a file, from its path, else (YAML files only) from its parsed structure. */
export function pipelineKindOf(filePath: string, text: string): PipelineKind | null {
  const byPath = pipelineKindByPath(filePath);
  if (byPath) return byPath;
  if (!/\.ya?ml$/i.test(filePath)) return null;
  return pipelineKindByContent(parseYaml(text));
}

/** The kind a file has by its path alone (the names the platforms and their editors read). */
export function pipelineKindByPath(filePath: string): PipelineKind | null {
  const normalised = filePath.replace(/\\/g, '/');
  const parts = normalised.split('/');
  const base = parts[parts.length - 1]!.toLowerCase();
  const folders = parts.slice(0, -1).map((part) => part.toLowerCase());
  const yaml = /\.ya?ml$/.test(base);
  if (!yaml) return null;
  const parent = folders[folders.length - 1];
  const grandParent = folders[folders.length - 2];
  if (parent === 'workflows' && grandParent === '.github') return 'github-workflow';
  if (base === 'action.yml' || base === 'action.yaml') return 'github-action';
  if (base === '.gitlab-ci.yml' || base === '.gitlab-ci.yaml' || base.endsWith('.gitlab-ci.yml') || base.endsWith('.gitlab-ci.yaml')) return 'gitlab-ci';
  if (/^\.?azure-pipelines.*\.ya?ml$/.test(base) || /^\.?vsts-ci\.ya?ml$/.test(base)) return 'azure-pipelines';
  // Folders the Azure Pipelines extension associates with its language (`**/azure-pipelines/**`,
  // `**/.azure-pipelines/**`, `**/.pipelines/**`).
  if (folders.some((folder) => folder === '.azure-pipelines' || folder === '.pipelines' || folder === 'azure-pipelines')) return 'azure-pipelines';
  return null;
}

/** The kind a parsed YAML stream has by its structure, or null. */
export function pipelineKindByContent(parsed: ParsedYaml): PipelineKind | null {
  for (const document of parsed.documents) {
    const kind = kindOfDocument(document);
    if (kind) return kind;
  }
  return null;
}

const AZURE_ROOT_KEYS = new Set([
  'name', 'appendCommitMessageToRunName', 'trigger', 'pr', 'schedules', 'resources', 'variables', 'parameters', 'pool',
  'stages', 'jobs', 'steps', 'extends', 'lockBehavior', 'strategy', 'continueOnError', 'container', 'services', 'workspace',
  'timeoutInMinutes', 'cancelTimeoutInMinutes', 'condition', 'dependsOn', 'displayName', 'uses',
  // The pre-2019 schema (phases, queue, server).
  'phases', 'queue', 'server',
]);
const AZURE_STEP_KEYS = new Set(['task', 'script', 'bash', 'pwsh', 'powershell', 'checkout', 'download', 'downloadBuild', 'getPackage', 'publish', 'reviewApp', 'template', 'restoreCache', 'saveCache']);
const TEMPLATE_EXPRESSION = /^\$\{\{[\s\S]*\}\}$/;
/** How deep `${{ if }}` / `${{ each }}` insertions are looked through. */
const MAX_CONDITIONAL_DEPTH = 16;

function kindOfDocument(document: Document): PipelineKind | null {
  const root = resolveNode(document, document.contents);
  if (!isMap(root)) return null;
  const entries = pairsOf(document, root);
  const keys = new Map(entries.map((entry) => [entry.key, entry.value] as const));
  // Kubernetes-style manifests (also Tekton, Argo, Helm's Chart.yaml) are never pipelines here.
  if (keys.has('apiVersion') && (keys.has('kind') || keys.has('name'))) return null;
  if (isGitHubWorkflow(document, keys)) return 'github-workflow';
  if (isGitHubAction(document, keys)) return 'github-action';
  if (isAzure(document, keys)) return 'azure-pipelines';
  return null;
}

function isGitHubWorkflow(document: Document, keys: Map<string, Node | null | undefined>): boolean {
  if (!keys.has('on') && !keys.has('true')) return false;
  const jobs = keys.get('jobs');
  if (!isMap(jobs)) return false;
  return pairsOf(document, jobs).some(({ value }) => {
    if (!isMap(value)) return false;
    const runsOn = valueOf(document, value, 'runs-on');
    const steps = valueOf(document, value, 'steps');
    const uses = stringOf(valueOf(document, value, 'uses'));
    const githubSteps = itemsOf(document, steps).some((step) => isMap(step) && (valueOf(document, step, 'run') !== null || valueOf(document, step, 'uses') !== null));
    return (runsOn !== null && runsOn !== undefined && isSeq(steps)) || githubSteps || (uses !== null && uses.includes('/'));
  });
}

function isGitHubAction(document: Document, keys: Map<string, Node | null | undefined>): boolean {
  const using = stringOf(valueOf(document, keys.get('runs'), 'using'));
  return using !== null && /^(composite|docker|node\d+)$/i.test(using.trim());
}

/** The items of a list, with `- ${{ if … }}:` / `- ${{ each … }}:` insertions opened (bounded, no recursion). */
export function azureItems(document: Document, list: unknown): Node[] {
  const result: Node[] = [];
  const pending: Array<{ node: Node | null | undefined; depth: number }> = itemsOf(document, list).map((node) => ({ node, depth: 0 })).reverse();
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (!node) continue;
    const entries = isMap(node) ? pairsOf(document, node) : [];
    if (entries.length > 0 && entries.every((entry) => entry.key.startsWith('${{'))) {
      if (depth >= MAX_CONDITIONAL_DEPTH) continue;
      const inner: Array<{ node: Node | null | undefined; depth: number }> = [];
      for (const entry of entries) {
        if (isSeq(entry.value)) for (const item of itemsOf(document, entry.value)) inner.push({ node: item, depth: depth + 1 });
        else if (isMap(entry.value)) inner.push({ node: entry.value, depth: depth + 1 });
      }
      for (let i = inner.length - 1; i >= 0; i--) pending.push(inner[i]!);
      continue;
    }
    result.push(node);
  }
  return result;
}

function firstKey(document: Document, node: Node): string | null {
  const entries = pairsOf(document, node).filter((entry) => !entry.key.startsWith('${{'));
  return entries[0]?.key ?? null;
}

/** An Azure step: a mapping whose step key comes first (`- script: …`), or any `task: Name@N`. */
export function isAzureStep(document: Document, node: Node): boolean {
  if (!isMap(node)) return false;
  const task = stringOf(valueOf(document, node, 'task'));
  if (task !== null && /^[A-Za-z][\w.-]*@(\d|\$\()/.test(task.trim())) return true;
  if (task !== null && /\$\{\{/.test(task)) return true;
  const key = firstKey(document, node);
  if (key === null || !AZURE_STEP_KEYS.has(key)) return false;
  const value = valueOf(document, node, key);
  if (key === 'template') return isTemplateReference(stringOf(value));
  return isScalar(value) || value === null;
}

function isTemplateReference(value: string | null): boolean {
  if (value === null) return false;
  const trimmed = value.trim();
  return /\.ya?ml(@[\w.-]+)?$/i.test(trimmed) || TEMPLATE_EXPRESSION.test(trimmed) || trimmed.includes('${{');
}

function hasAzureSteps(document: Document, steps: unknown): boolean {
  return azureItems(document, steps).some((item) => isAzureStep(document, item));
}

function isAzureJob(document: Document, node: Node): boolean {
  if (!isMap(node)) return false;
  const key = firstKey(document, node);
  if (key === 'job' || key === 'deployment' || key === 'phase') return true;
  if (key === 'template') return isTemplateReference(stringOf(valueOf(document, node, 'template')));
  const job = valueOf(document, node, 'job') ?? valueOf(document, node, 'deployment');
  return isScalar(job) && (hasAzureSteps(document, valueOf(document, node, 'steps')) || valueOf(document, node, 'pool') !== null);
}

function isAzureStage(document: Document, node: Node): boolean {
  if (!isMap(node)) return false;
  const key = firstKey(document, node);
  if (key === 'stage') return true;
  if (key === 'template') return isTemplateReference(stringOf(valueOf(document, node, 'template')));
  return false;
}

function isAzure(document: Document, keys: Map<string, Node | null | undefined>): boolean {
  if (keys.has('steps') && hasAzureSteps(document, keys.get('steps'))) return true;
  for (const list of ['jobs', 'phases']) {
    if (keys.has(list) && azureItems(document, keys.get(list)).some((job) => isAzureJob(document, job))) return true;
  }
  if (keys.has('stages') && azureItems(document, keys.get('stages')).some((stage) => isAzureStage(document, stage))) return true;
  const extendsTemplate = stringOf(valueOf(document, keys.get('extends'), 'template'));
  if (isTemplateReference(extendsTemplate)) return true;
  const others = [...keys.keys()].filter((key) => !key.startsWith('${{'));
  const onlyAzureKeys = others.length > 0 && others.every((key) => AZURE_ROOT_KEYS.has(key));
  if (!onlyAzureKeys) return false;
  // A variables template: `group:`/`template:` items or `${{ }}` insertions; or name/value pairs alone.
  const variables = keys.get('variables');
  if (isSeq(variables)) {
    const raw = itemsOf(document, variables);
    const special = raw.some((item) => isMap(item) && pairsOf(document, item).some((entry) => entry.key === 'group' || (entry.key === 'template' && isTemplateReference(stringOf(entry.value))) || entry.key.startsWith('${{')));
    const named = raw.length > 0 && raw.every((item) => isMap(item) && (valueOf(document, item, 'name') !== null || firstKey(document, item) === null) && pairsOf(document, item).every((entry) => ['name', 'value', 'readonly'].includes(entry.key) || entry.key.startsWith('${{')));
    if (special || (named && others.every((key) => key === 'variables' || key === 'parameters'))) return true;
  }
  // trigger/pr/pool beside other Azure root keys.
  const triggerLike = ['trigger', 'pr', 'schedules'].some((key) => keys.has(key));
  const pool = keys.get('pool');
  const poolLike = isMap(pool) && ['vmImage', 'name', 'demands'].some((key) => valueOf(document, pool, key) !== null);
  if ((triggerLike || poolLike) && others.length >= 2) return true;
  return false;
}

import type { PipelineRule, Report } from '../../rules/rule';
import type { PipelineDocument } from '../document';
import type { PipelineJob } from '../model';
import type { ScriptCommand } from '../../shell/scriptModel';
import type { ShellToken } from '../../shell/types';
import { azureTaskName } from '../azureTaskNames';
import { lineBreakOf, type TextDocument } from '../../text';
import type { Fix, Range } from '../../types';
import { forEachNode, isMap, isScalar, scalarText, spanOf, stringOf, valueOf, type Document, type Node } from '../yamlDocument';
import {
  everyMap, githubSteps, hasRunTimeValue, jobAt, laterJobs, lineEndOffset, optionValue, rangeInMapped, rangeOf, rootMaps, scriptCommandsOf,
  usesOf, valueRangeOf, wordArgs, type PipelineScriptHost,
} from './pipelineNodes';

// A pushed image that nobody signed cannot be told apart, by whoever pulls it, from an image someone
// else pushed under the same name (a leaked registry token, a compromised build). Signing in the same
// job (or in a job that runs after it and needs it) by digest is what Notation and cosign verify later.
// Signing a tag signs whatever the tag points at when the signer resolves it: a race with any push.

/** Text the quick fix writes where the user must decide; flagged by this rule until it is replaced. */
export const SIGNING_PLACEHOLDER = '<fill-in-';

interface Push {
  range: Range;
  job: PipelineJob | null;
  what: string;
  fix: Fix | null;
  /** A push in a script: the step that holds it, the image, the shell (for the fix written later). */
  script?: { stepRange: Range; image: string; shell: string };
}
type Signing = { job: PipelineJob | null };

const CONTAINER_CLIS = new Set(['docker', 'podman', 'buildah', 'nerdctl']);
/** GitHub actions that push when their `push:` input is true (or an expression: some runs push). */
const PUSH_ACTIONS = new Set(['docker/build-push-action', 'docker/bake-action']);
const ALWAYS_PUSH_ACTIONS = new Set(['redhat-actions/push-to-registry']);

function isLocalRegistry(reference: string): boolean {
  return /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?\//i.test(reference.trim());
}

/**
 * Global options of the container CLIs that take a value, written before the subcommand
 * (`docker --config ~/.docker manifest push …`, `podman --remote --connection c push …`): the value is no subcommand.
 */
const GLOBAL_VALUE_OPTIONS = new Set([
  // docker
  '--config', '-c', '--context', '-h', '--host', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey',
  // podman, buildah
  '--connection', '--url', '--identity', '--root', '--runroot', '--storage-driver', '--storage-opt', '--cgroup-manager',
  // nerdctl
  '--namespace', '-n', '--address', '-a',
  // skopeo
  '--policy', '--registries.d', '--override-arch', '--override-os', '--override-variant', '--command-timeout', '--tmpdir',
]);

/** The words of a container CLI command from its subcommand on: global options (and their values) before it skipped. */
function subcommandWords(command: ScriptCommand<PipelineScriptHost>): ShellToken[] {
  const args = command.command.args;
  let i = 0;
  while (i < args.length && (args[i]!.kind === 'parameter' || args[i]!.value.startsWith('-'))) {
    const option = args[i]!.value.toLowerCase();
    i += GLOBAL_VALUE_OPTIONS.has(option) ? 2 : 1;
  }
  return wordArgs({ ...command.command, args: args.slice(i) });
}

/** `--output=type=registry`, `-o type=image,push=true`: a buildx output that pushes. */
function outputPushes(output: string): boolean {
  return /(?:^|,)push=true\b/i.test(output) || /^(?:type=)?registry(?:,|$)/i.test(output);
}

/**
 * `docker push x`, `docker image push`, `docker manifest push`, `docker buildx build --push` (or an output
 * `type=registry` / `push=true`), `docker buildx imagetools create -t x`, `podman push`…
 */
function pushedBy(command: ScriptCommand<PipelineScriptHost>): { verb: string; reference: ShellToken | null } | null {
  if (command.name === 'skopeo') return skopeoPush(command);
  if (!CONTAINER_CLIS.has(command.name)) return null;
  const words = subcommandWords(command);
  const [first, second, third] = [words[0]?.value.toLowerCase(), words[1]?.value.toLowerCase(), words[2]?.value.toLowerCase()];
  if (first === 'push') return { verb: `${command.name} push`, reference: words[1] ?? null };
  if ((first === 'image' || first === 'manifest' || first === 'compose') && second === 'push') return { verb: `${command.name} ${first} push`, reference: words[2] ?? null };
  const args = command.command.args;
  // `imagetools create -t x` writes a manifest list to x (unless it only prints it).
  if (first === 'buildx' && second === 'imagetools' && third === 'create' && !args.some((arg) => arg.value === '--dry-run')) {
    return { verb: `${command.name} buildx imagetools create`, reference: optionValue(command.command, ['-t', '--tag'])?.token ?? null };
  }
  const building = first === 'build' || (first === 'buildx' && (second === 'build' || second === 'bake'));
  if (!building) return null;
  let how: string | null = args.some((arg) => arg.value === '--push') ? '--push' : null;
  for (let i = 0; i < args.length && how === null; i++) {
    const arg = args[i]!.value;
    const output = arg === '-o' || arg === '--output' ? args[i + 1]?.value : arg.startsWith('--output=') ? arg.slice(9) : undefined;
    if (output !== undefined && outputPushes(output)) how = `--output ${output}`;
  }
  if (how === null) return null;
  return { verb: `${command.name} ${first === 'build' ? 'build' : `buildx ${second}`} ${how}`, reference: optionValue(command.command, ['-t', '--tag'])?.token ?? null };
}

/** `skopeo copy <source> docker://registry/image:tag`: the destination is written to a registry. */
function skopeoPush(command: ScriptCommand<PipelineScriptHost>): { verb: string; reference: ShellToken | null } | null {
  const words = subcommandWords(command);
  if (words[0]?.value.toLowerCase() !== 'copy') return null;
  const destination = words[words.length - 1];
  if (words.length < 3 || !destination || !/^docker:\/\//i.test(destination.value)) return null;
  return { verb: 'skopeo copy', reference: { ...destination, value: destination.value.slice('docker://'.length) } };
}

/** The image arguments of `cosign sign …` / `notation sign …`: the words after `sign` that are no option's value. */
function signedReferences(command: ScriptCommand<PipelineScriptHost>): ShellToken[] {
  const args = command.command.args;
  const found: ShellToken[] = [];
  let seenSign = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const option = arg.kind === 'parameter' || arg.value.startsWith('-');
    if (option) {
      // `--key x`, `-a x`: a value follows; `--yes`, `--recursive`, `--key=x` take none.
      if (!arg.value.includes('=') && !BOOLEAN_FLAGS.has(arg.value.toLowerCase())) i++;
      continue;
    }
    if (arg.kind === 'operator') continue;
    if (!seenSign && arg.value.toLowerCase() === 'sign') seenSign = true;
    else if (seenSign) found.push(arg);
  }
  return found;
}
const BOOLEAN_FLAGS = new Set(['-y', '--yes', '--recursive', '-r', '--force', '-f', '--tlog-upload', '--upload', '--insecure-skip-verify', '--allow-insecure-registry', '--allow-http-registry', '--record-creation-timestamp', '--new-bundle-format', '--use-signing-config', '-d', '--debug', '-v', '--verbose', '--insecure-registry', '--force-referrers-tag']);

function isSigning(command: ScriptCommand<PipelineScriptHost>): boolean {
  if (command.name !== 'cosign' && command.name !== 'notation') return false;
  return wordArgs(command.command)[0]?.value.toLowerCase() === 'sign';
}

/** A reference that names a tag (or no tag: `latest`), not a digest; a reference held whole in a variable is not judged. */
function signsByTag(reference: string): boolean {
  const text = reference.trim();
  if (text === '' || text.includes('@')) return false;
  if (/^(?:\$\{\{[^}]*\}\}|\$\{?[A-Za-z_][\w]*\}?|\$\(.*\)|%[A-Za-z_][\w]*%|\$env:[A-Za-z_]\w*|\$\([\w.]+\))$/i.test(text)) return false;
  return true;
}

function azureTask(yaml: Document, map: Node): { name: string; inputs: Node | null } | null {
  const task = stringOf(valueOf(yaml, map, 'task'));
  if (task === null) return null;
  return { name: azureTaskName(task), inputs: (valueOf(yaml, map, 'inputs') as Node | null) ?? null };
}

function inputText(yaml: Document, inputs: Node | null, name: string): string | null {
  return stringOf(valueOf(yaml, inputs, name, true))?.trim() ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Quick fixes: a signing step after the step that pushes, with placeholders the user fills in.

/** The indentation of a sequence item (`      - `) and of its keys, from the step mapping's first key. */
function itemIndent(document: TextDocument, step: Node): { dash: string; keys: string } | null {
  const span = spanOf(step);
  if (!span || (step as { flow?: boolean }).flow) return null;
  const text = document.getText();
  const column = document.positionAt(span[0]).character;
  const prefix = text.slice(span[0] - column, span[0]);
  if (!/^ *- +$/.test(prefix)) return null;
  return { dash: prefix, keys: ' '.repeat(prefix.length) };
}

/** Inserts lines after the step (after its last line, comments on that line kept). */
function insertAfterStep(document: TextDocument, step: Node, lines: (indent: { dash: string; keys: string }) => string[], title: string): Fix | null {
  const indent = itemIndent(document, step);
  const span = spanOf(step);
  if (!indent || !span) return null;
  const text = document.getText();
  let last = span[1];
  while (last > span[0] && /\s/.test(text[last - 1]!)) last--;
  const at = lineEndOffset(text, last - 1);
  const eol = lineBreakOf(text);
  const position = document.positionAt(at);
  return { title, edits: [{ range: { start: position, end: position }, newText: lines(indent).map((line) => `${eol}${line}`).join('') }], safeForFixAll: false };
}

const KEY_PLACEHOLDER = `${SIGNING_PLACEHOLDER}signing-key>`;
/** A YAML single-quoted scalar: nothing in it is YAML syntax ('' stands for '). */
const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;
const cosignLine = (reference: string) => `cosign sign --yes --key "${KEY_PLACEHOLDER}" "${reference}"`;
const digestOf = (image: string) => `$(docker inspect --format '{{index .RepoDigests 0}}' ${image})`;

function githubFix(document: TextDocument, step: Node, reference: string): Fix | null {
  return insertAfterStep(document, step, ({ dash, keys }) => [
    `${dash}uses: sigstore/cosign-installer@v3`,
    `${dash}name: Sign the pushed image by its digest`,
    `${keys}run: ${quoted(cosignLine(reference))}`,
  ], 'Add a cosign step that signs the pushed image by digest (fill in the key)');
}

function azureFix(document: TextDocument, step: Node, artifactRefs: string | null): Fix | null {
  return insertAfterStep(document, step, ({ dash, keys }) => [
    `${dash}task: Notation@0`,
    `${keys}displayName: Install Notation`,
    `${keys}inputs:`,
    `${keys}  command: install`,
    `${dash}task: Notation@0`,
    `${keys}displayName: Sign the pushed image by its digest`,
    `${keys}inputs:`,
    `${keys}  command: sign`,
    ...(artifactRefs ? [`${keys}  artifactRefs: ${artifactRefs}`] : []),
    `${keys}  plugin: azureKeyVault`,
    `${keys}  azurekvServiceConection: ${SIGNING_PLACEHOLDER}service-connection>`,
    `${keys}  keyid: ${SIGNING_PLACEHOLDER}key-vault-key-id>`,
  ], 'Add Notation@0 steps that sign the pushed image by digest (fill in the key)');
}

/** GitLab: a script line after the one that pushes (the script must be a list of lines). */
function gitlabFix(document: TextDocument, command: ScriptCommand<PipelineScriptHost>, reference: string): Fix | null {
  const script = command.run.script;
  const lines = script.lines;
  if (!lines || command.run.shell === 'cmd') return null;
  const start = document.offsetAt(command.rangeOf().start);
  const line = lines.find((mapped) => mapped.offsets[0]! <= start && start <= mapped.offsets[mapped.offsets.length - 1]!);
  if (!line || line.opaqueSpan) return null;
  const text = document.getText();
  const first = line.offsets[0]!;
  const column = document.positionAt(first).character;
  const prefix = text.slice(first - column, first);
  if (!/^ *- +$/.test(prefix)) return null;
  const at = lineEndOffset(text, line.offsets[line.offsets.length - 1]! - 1);
  const position = document.positionAt(at);
  const newLine = quoted(cosignLine(digestOf(reference)));
  return { title: 'Add a cosign line that signs the pushed image by digest (fill in the key)', edits: [{ range: { start: position, end: position }, newText: `${lineBreakOf(text)}${prefix}${newLine}` }], safeForFixAll: false };
}

// ---------------------------------------------------------------------------------------------------

export const pushWithoutSigning: PipelineRule = {
  meta: {
    id: 'pipeline-push-without-signing',
    title: 'A pipeline pushes a container image that no later step signs (or signs it by tag)',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [345],
    references: ['NIST SP 800-190 §4.1.5', 'CIS Docker Benchmark 4.12', 'CKV_GHA_5', 'pipeline-check ADO-006, GL-006'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 5.0,
  },
  check(model, report) {
    const pipeline = model.model;
    if (!pipeline) return;
    const document = model.document;
    const pushes: Push[] = [];
    const signings: Signing[] = [];
    const byTag = (range: Range, reference: string) => report({ range, message: `\`${reference.trim()}\` is signed by tag, which may point at another image by the time it is signed; sign \`image@sha256:…\` instead.` });

    for (const command of scriptCommandsOf(model)) {
      const script = command.run.script;
      const job = script.job ?? jobAt(pipeline, script.stepRange);
      if (isSigning(command)) {
        signings.push({ job });
        for (const reference of signedReferences(command)) if (signsByTag(reference.value)) byTag(command.rangeOf(reference), reference.value);
        continue;
      }
      const push = pushedBy(command);
      if (!push) continue;
      const reference = push.reference?.value ?? '';
      if (isLocalRegistry(reference)) continue;
      let fix: Fix | null = null;
      const image = reference || `${SIGNING_PLACEHOLDER}image>`;
      if (script.kind === 'gitlab-ci') fix = gitlabFix(document, command, image);
      pushes.push({ range: command.rangeOf(), job, what: `\`${push.verb}\``, fix, script: { stepRange: script.stepRange, image, shell: command.run.shell } });
    }

    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      if (model.kind === 'github-workflow' || model.kind === 'github-action') {
        for (const { step } of githubSteps(yaml, root)) {
          const uses = usesOf(yaml, step);
          const range = rangeOf(document, step);
          if (!uses || !range) continue;
          const job = jobAt(pipeline, range);
          const withNode = valueOf(yaml, step, 'with');
          if (uses === 'notaryproject/notation-action/sign') {
            signings.push({ job });
            const target = valueOf(yaml, withNode, 'target_artifact_reference');
            const reference = stringOf(target);
            const targetRange = valueRangeOf(document, target);
            if (reference !== null && targetRange && signsByTag(reference)) byTag(targetRange, reference);
          } else if ((uses === 'actions/attest-build-provenance' || uses === 'actions/attest') && valueOf(yaml, withNode, 'subject-digest')) {
            signings.push({ job });
          } else if (PUSH_ACTIONS.has(uses) || ALWAYS_PUSH_ACTIONS.has(uses)) {
            const pushValue = stringOf(valueOf(yaml, withNode, 'push'))?.trim().toLowerCase() ?? 'false';
            if (PUSH_ACTIONS.has(uses) && pushValue !== 'true' && !hasRunTimeValue(pushValue)) continue;
            const usesRange = valueRangeOf(document, valueOf(yaml, step, 'uses'));
            if (!usesRange) continue;
            const id = stringOf(valueOf(yaml, step, 'id'))?.trim();
            const tags = stringOf(valueOf(yaml, withNode, 'tags'))?.trim().split(/[\n,]/)[0]?.trim() ?? '';
            const name = tags && !hasRunTimeValue(tags) ? tags.replace(/:[^:/]*$/, '') : `${SIGNING_PLACEHOLDER}image>`;
            const digest = id && uses === 'docker/build-push-action' ? `\${{ steps.${id}.outputs.digest }}` : `${SIGNING_PLACEHOLDER}digest>`;
            pushes.push({ range: usesRange, job, what: `\`${uses}\``, fix: githubFix(document, step, `${name}@${digest}`) });
          }
        }
      } else if (model.kind === 'azure-pipelines') {
        for (const map of everyMap(yaml)) {
          const task = azureTask(yaml, map);
          const range = task ? rangeOf(document, map) : null;
          if (!task || !range) continue;
          const job = jobAt(pipeline, range);
          if (task.name === 'notation@0' && (inputText(yaml, task.inputs, 'command') ?? 'install').toLowerCase() === 'sign') {
            signings.push({ job });
            const refs = valueOf(yaml, task.inputs, 'artifactRefs', true);
            const text = stringOf(refs);
            const refsRange = valueRangeOf(document, refs);
            if (text !== null && refsRange && text.split(',').some((ref) => signsByTag(ref))) byTag(refsRange, text);
          } else if (task.name === 'docker@2') {
            const command = (inputText(yaml, task.inputs, 'command') ?? 'buildAndPush').toLowerCase();
            if (command !== 'push' && command !== 'buildandpush') continue;
            const taskRange = valueRangeOf(document, valueOf(yaml, map, 'task'));
            if (taskRange) pushes.push({ range: taskRange, job, what: `\`Docker@2\` (${command === 'push' ? 'push' : 'buildAndPush'})`, fix: azureFix(document, map, null) });
          } else if (task.name === 'dockercompose@0' || task.name === 'dockercompose@1') {
            // `action: Push services`, or `action: Run a Docker Compose command` with `dockerComposeCommand: push …`.
            const action = (inputText(yaml, task.inputs, 'action') ?? 'Run a Docker Compose command').trim().toLowerCase();
            const composeCommand = (inputText(yaml, task.inputs, 'dockerComposeCommand') ?? '').trim().toLowerCase();
            const pushesServices = action === 'push services' || (action === 'run a docker compose command' && /^push\b/.test(composeCommand));
            const taskRange = pushesServices ? valueRangeOf(document, valueOf(yaml, map, 'task')) : null;
            if (taskRange) pushes.push({ range: taskRange, job, what: `\`${stringOf(valueOf(yaml, map, 'task'))?.trim()}\` (${action === 'push services' ? 'Push services' : 'docker compose push'})`, fix: azureFix(document, map, null) });
          }
        }
      }
    }

    // Script pushes on GitHub and Azure: the fix is a step after the step that holds the script.
    for (const push of pushes) {
      if (push.fix || !push.script || model.kind === 'gitlab-ci') continue;
      const step = stepNodeAt(model, push.script.stepRange);
      if (!step) continue;
      if (model.kind === 'azure-pipelines') push.fix = azureFix(document, step, `${SIGNING_PLACEHOLDER}registry/repository>@${SIGNING_PLACEHOLDER}digest>`);
      else if (push.script.shell !== 'cmd') push.fix = githubFix(document, step, digestOf(push.script.image));
    }

    const later = new Map<PipelineJob, Set<PipelineJob>>();
    const laterOf = (job: PipelineJob) => {
      let found = later.get(job);
      if (!found) later.set(job, (found = laterJobs(model, job)));
      return found;
    };

    for (const push of pushes) {
      const covered = signings.some((signing) => signing.job === push.job || (push.job !== null && signing.job !== null && laterOf(push.job).has(signing.job)));
      if (covered) continue;
      report({
        range: push.range,
        message: `${push.what} pushes an image that no step of this job or of a job after it signs; sign it by digest (\`notation sign\`, \`cosign sign\`).`,
        fixes: push.fix ? [push.fix] : [],
      });
    }
    reportPlaceholders(model, report);
  },
};

/** The step mapping whose range is `range` (GitHub and Azure steps hold their scripts). */
function stepNodeAt(model: PipelineDocument, range: Range): Node | null {
  const start = model.document.offsetAt(range.start);
  for (const { yaml } of rootMaps(model.parsed.documents)) for (const map of everyMap(yaml)) if (spanOf(map)?.[0] === start && isMap(map)) return map;
  return null;
}

/** The placeholders the quick fix wrote, until someone fills them in. */
function reportPlaceholders(model: PipelineDocument, report: Report): void {
  if (!model.document.getText().includes(SIGNING_PLACEHOLDER)) return;
  for (const yaml of model.parsed.documents) {
    forEachNode(yaml, (node) => {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes(SIGNING_PLACEHOLDER)) return;
      const mapped = scalarText(model.document, node);
      if (!mapped) return;
      const start = mapped.text.indexOf(SIGNING_PLACEHOLDER);
      const end = mapped.text.indexOf('>', start);
      report({
        range: rangeInMapped(model.document, mapped, start, end < 0 ? mapped.text.length : end + 1),
        message: 'This signing step still holds a placeholder from the quick fix; replace it with your signing key, certificate or image reference.',
        severity: 'error',
      });
    });
  }
}

import type { PipelineRule } from '../../rules/rule';
import type { PipelineKind } from '../recognise';
import { isRegistryLogin, looksLikePlaceholder, looksLikeSecretValue, nameWords, sensitiveNameReason } from '../../secrets';
import { isMap, isScalar, isSeq, itemsOf, pairsOf, resolveNode, spanOf, stringOf, valueOf, type Document, type Node } from '../yamlDocument';
import { rangeOf, rootMaps, scriptHostsOf } from './pipelineNodes';

/** Keys whose mapping (or Azure list) holds named values: environment, variables, action/task inputs. */
const VALUE_HOLDERS = new Set(['env', 'variables', 'with', 'inputs', 'credentials']);
/** Nodes visited per document at most. */
const MAX_NODES = 200_000;

/** A reference to a secret or variable, an empty value or a placeholder: nothing written literally. */
export function isLiteralSecret(value: string): boolean {
  const text = value.trim();
  if (text.length < 4) return false;
  // Expressions and variables of every platform and shell: ${{ … }}, $(…), $[…], $X, ${X}, %X%, $env:X.
  if (/\$\{\{|\$\(|\$\[|\$\{?[A-Za-z_]|%[A-Za-z_][\w.]*%/.test(text)) return false;
  if (/^(?:true|false|yes|no|on|off|null|none|~|\d+(?:\.\d+)?)$/i.test(text)) return false;
  // Placeholders: <token>, [password], {secret}, ***, xxx, changeme, your-token, dummy, example…
  if (looksLikePlaceholder(text)) return false;
  // A list of names (`secrets: 'licenseFileUrl,*keyVaultCertificatePassword,…'`, an input naming the secrets a
  // reusable workflow should read): identifiers joined by commas or semicolons, not a credential.
  if (/^\*?[A-Za-z_][\w.-]*(?:\s*[,;]\s*\*?[A-Za-z_][\w.-]*)+$/.test(text)) return false;
  // Paths and file names (a key file, a credential helper), URLs without a password.
  if (/^(?:~|\.{1,2})?\/|^[A-Za-z]:\\|\.(?:json|pem|key|p12|pfx|txt|yml|yaml|env)$/i.test(text)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !looksLikeSecretValue(text)) return false;
  return true;
}

function adviceOf(kind: PipelineKind | null): string {
  if (kind === 'azure-pipelines') return 'move it to a secret variable or a variable group and reference it as `$(NAME)`';
  if (kind === 'gitlab-ci') return 'move it to a masked CI/CD variable and reference it as `$NAME`';
  return 'move it to a repository or environment secret and reference it as `${{ secrets.NAME }}`';
}

export const secretLiteral: PipelineRule = {
  meta: {
    id: 'pipeline-secret-literal',
    title: 'A credential is written literally in pipeline YAML',
    fileKind: 'pipeline',
    defaultSeverity: 'error',
    cwe: [798],
    references: ['NIST SP 800-190 §4.1.4', 'zizmor hardcoded-container-credentials'],
    ruleSets: ['recommended', 'strict'],
    zizmorAudits: ['hardcoded-container-credentials'],
    securitySeverity: 7.5,
  },
  check(model, report) {
    if (!model.kind) return;
    const document = model.document;
    const advice = adviceOf(model.kind);
    const flag = (node: unknown, what: string) => {
      const range = rangeOf(document, node);
      if (range) report({ range, message: `${what} is written literally in this file; ${advice}.` });
    };
    // Lines of the comments that declare the next line no secret (the parser collected every comment).
    const declaredLines = new Set(model.parsed.comments
      .filter((comment) => /not a secret|SecretInNextLine|notsecret/i.test(comment.text))
      .map((comment) => document.positionAt(comment.offset).line));
    const judge = (name: string, node: unknown, holder: string) => {
      if (!isScalar(node)) return;
      const value = stringOf(node);
      if (value === null || !isLiteralSecret(value) || isTestOnlyValue(value)) return;
      const span = spanOf(node);
      if (span && declaredLines.has(document.positionAt(span[0]).line - 1)) return;
      const byValue = looksLikeSecretValue(value);
      if (byValue) flag(node, `\`${name}\` holds ${byValue}, which`);
      else if (holder === 'credentials' ? name.toLowerCase() === 'password' : isSecretName(name, holder)) flag(node, `The value of \`${name}\``);
    };
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      // Walk every mapping (a stack, no recursion) and look into the value holders it has.
      // Service containers (`services:`, GitHub's job `container:`) are configured, not logged into:
      // their `env:` (`POSTGRES_PASSWORD: postgres`) sets up a throwaway database; `credentials:` still counts.
      const stack: Array<{ node: unknown; service: boolean }> = [{ node: root, service: false }];
      let seen = 0;
      // A node reached again through an alias gives the same findings: walk it once per service context
      // (a cyclic alias `a: &a {b: *a}` otherwise fills the walk up to MAX_NODES).
      const walked = { plain: new Set<unknown>(), service: new Set<unknown>() };
      while (stack.length > 0 && seen++ < MAX_NODES) {
        const { node: next, service } = stack.pop()!;
        const node = resolveNode(yaml, next);
        const done = service ? walked.service : walked.plain;
        if (done.has(node)) continue;
        done.add(node);
        if (isSeq(node)) {
          for (const item of itemsOf(yaml, node)) if (isMap(item) || isSeq(item)) stack.push({ node: item, service });
          continue;
        }
        if (!isMap(node)) continue;
        for (const { key, value } of pairsOf(yaml, node)) {
          if (VALUE_HOLDERS.has(key) && !(service && (key === 'env' || key === 'variables'))) checkHolder(yaml, key, value, judge);
          if (isMap(value) || isSeq(value)) stack.push({ node: value, service: service || key === 'services' || key === 'container' });
        }
      }
    }
    // `docker login -p <literal>` / `--password <literal>` in scripts.
    for (const host of scriptHostsOf(model)) {
      if (!/\blogin\b/.test(host.script.script.text)) continue;
      for (const command of host.commands) {
        if (!isRegistryLogin(command.name, command.command.args)) continue;
        const args = command.command.args;
        for (let i = 0; i < args.length; i++) {
          const arg = args[i]!;
          let token = null;
          if (arg.value === '-p' || arg.value === '--password') token = args[i + 1] ?? null;
          else if (arg.value.startsWith('--password=')) token = { ...arg, value: arg.value.slice('--password='.length) };
          if (!token || token.value.startsWith('-') || !isLiteralSecret(token.value) || /\$\{\{|\$/.test(token.raw)) continue;
          report({ range: command.rangeOf(token), message: `A registry password is written literally in this \`${command.name} login\`; ${advice}, and pass it with \`--password-stdin\`.` });
        }
      }
    }
  },
};

/** Last words of names that hold something about a secret, not the secret (`SecretsFilter`, `tokenPattern`). */
const NOT_THE_SECRET = new Set(['filter', 'filters', 'pattern', 'patterns', 'title', 'summary', 'usage', 'label', 'description', 'message', 'text', 'regex', 'list', 'mask', 'names', 'output', 'outputs', 'variable', 'variables', 'permissions', 'audience']);

function isSecretName(name: string, holder: string): boolean {
  if (!sensitiveNameReason(name)) return false;
  const words = nameWords(name);
  if (NOT_THE_SECRET.has(words[words.length - 1] ?? '')) return false;
  // Action and task inputs named `…Credentials` take a service connection's or a file's name.
  if ((holder === 'with' || holder === 'inputs') && /^credentials?$/.test(words[words.length - 1] ?? '')) return false;
  return true;
}

/** Connection strings and URLs of a local test service, and the Azure storage emulator's published key. */
function isTestOnlyValue(value: string): boolean {
  if (/\b(?:localhost|127\.0\.0\.1|\[::1\])\b/i.test(value) || /UseDevelopmentStorage=true/i.test(value)) return true;
  return value.includes('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==');
}

function checkHolder(yaml: Document, key: string, value: Node | null | undefined, judge: (name: string, node: unknown, holder: string) => void): void {
  if (isMap(value)) {
    const pairs = pairsOf(yaml, value);
    // Settings of a local test service (`POSTGRES_HOST: localhost` beside `POSTGRES_PASSWORD: …`).
    if (key !== 'credentials' && pairs.some((pair) => /^(?:localhost|127\.0\.0\.1)(?::\d+)?$/i.test(stringOf(pair.value)?.trim() ?? ''))) return;
    for (const pair of pairs) {
      // GitLab: `NAME: { value: …, description: … }`.
      const node = isMap(pair.value) ? valueOf(yaml, pair.value, 'value') : pair.value;
      judge(pair.key, node, key);
    }
  } else if (isSeq(value) && key === 'variables') {
    // Azure: `- name: X` / `value: Y` (groups and templates carry no value).
    for (const item of itemsOf(yaml, value)) {
      const name = stringOf(valueOf(yaml, item, 'name'));
      if (name !== null) judge(name, valueOf(yaml, item, 'value'), key);
    }
  }
}

// The team file `.container-guard.yaml` at the workspace root: rule settings shared through the
// repository and read by both the editor and the CLI. Validated against a JSON Schema so that a
// mistake is reported at its line and column instead of being silently ignored.
import type AjvClass from 'ajv';
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { ISOLATIONS, SEVERITY_SETTINGS, WINDOWS_HOSTS, settingsFromUnknown, type SettingsLayer } from './settings';
import { RULE_SET_NAMES, type Range } from './types';

export const TEAM_CONFIG_FILE_NAMES = ['.container-guard.yaml', '.container-guard.yml'] as const;

export interface ConfigProblem {
  message: string;
  range: Range;
}

export interface TeamConfig {
  layer: SettingsLayer;
  problems: ConfigProblem[];
  /**
   * The file is not valid YAML (or cannot be turned into values): `layer` is empty. An editor keeps the
   * settings of the file's last valid version in force meanwhile, instead of falling back to defaults.
   */
  syntaxError?: true;
}

export function teamConfigSchema(ruleIds: readonly string[]): object {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Windows Container Guard team settings (.container-guard.yaml)',
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      ruleSet: { enum: [...RULE_SET_NAMES], description: 'Rules that run by default.' },
      rules: {
        type: ['object', 'null'],
        description: 'Severity per rule id; `off` disables a rule.',
        propertyNames: { enum: [...ruleIds] },
        additionalProperties: { enum: [...SEVERITY_SETTINGS] },
      },
      ignore: { type: ['array', 'null'], items: { type: 'string', minLength: 1 }, description: 'Globs of files not to lint, relative to this file.' },
      honourHadolintPragmas: { type: 'boolean', description: 'Whether `# hadolint ignore=` comments silence matching rules.' },
      windowsHost: { enum: [...WINDOWS_HOSTS, null], description: 'The Windows Server LTSC your containers run on.' },
      isolation: { enum: [...ISOLATIONS], description: 'process (host and image builds must match) or hyperv.' },
      trustedRegistries: { type: ['array', 'null'], items: { type: 'string', pattern: '^[A-Za-z0-9*.:-]+$' }, description: 'Registries base images may come from; mcr.microsoft.com is always trusted.' },
      requireSignedPackages: { type: 'boolean', description: 'The team requires NuGet packages signed by trusted signers (nuget.config signatureValidationMode "require").' },
    },
  };
}

const validators = new Map<string, ReturnType<AjvClass['compile']>>();

function validatorFor(ruleIds: readonly string[]): ReturnType<AjvClass['compile']> {
  const key = ruleIds.join(',');
  let validate = validators.get(key);
  if (!validate) {
    // Required here, not imported: most CLI runs and editor sessions have no team file, and loading Ajv
    // costs start-up time in every process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
    validate = new Ajv({ allErrors: true, strict: false }).compile(teamConfigSchema(ruleIds));
    validators.set(key, validate);
  }
  return validate;
}

export function parseTeamConfig(text: string, ruleIds: readonly string[]): TeamConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const toRange = (start: number, end: number): Range => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const problems: ConfigProblem[] = document.errors.map((error) => ({
    message: `YAML: ${error.message.split('\n')[0]}`,
    range: toRange(error.pos[0], error.pos[1]),
  }));
  if (problems.length > 0) return { layer: {}, problems, syntaxError: true };

  let value: unknown;
  try {
    // The YAML library refuses documents such as alias bombs at this point; report, never throw.
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { layer: {}, problems: [{ message: `YAML: ${error instanceof Error ? error.message : String(error)}`, range: toRange(0, 0) }], syntaxError: true };
  }
  const validate = validatorFor(ruleIds);
  if (!validate(value)) {
    for (const error of validate.errors ?? []) {
      // A bad key yields a `propertyNames` error and, for the same key, the inner `enum` error over
      // the whole map; the first says it at the key, so the second is noise.
      if (error.schemaPath.includes('/propertyNames/')) continue;
      const node = nodeFor(document.contents, error);
      const range = node?.range ? toRange(node.range[0], node.range[1]) : toRange(0, 0);
      problems.push({ message: describe(error), range });
    }
  }
  // Whatever is valid still applies: one typo must not switch off the whole team policy.
  const { layer } = settingsFromUnknown(value, new Set(ruleIds));
  return { layer, problems };
}

/** The YAML node an Ajv error points at (for `propertyNames`, the offending key). */
function nodeFor(root: unknown, error: ErrorObject): Node | null {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'propertyNames' && typeof error.params.propertyName === 'string') segments.push(error.params.propertyName);
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') segments.push(error.params.additionalProperty);
  let node: unknown = root;
  const nameErrors = error.keyword === 'propertyNames' || error.keyword === 'additionalProperties';
  for (const [index, segment] of segments.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return null;
      // For a misspelt key, point at the key itself, not at its value.
      node = nameErrors && index === segments.length - 1 ? pair.key : pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      node = (node as { items: unknown[] }).items[Number(segment)];
    } else {
      return null;
    }
  }
  return node && typeof node === 'object' && 'range' in node ? (node as Node) : null;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'the file';
  switch (error.keyword) {
    case 'propertyNames':
      return `${where}: unknown rule id \`${String(error.params.propertyName)}\``;
    case 'additionalProperties':
      return `unknown setting \`${String(error.params.additionalProperty)}\` (expected ruleSet, rules, ignore, honourHadolintPragmas, windowsHost, isolation, trustedRegistries, requireSignedPackages)`;
    case 'enum': {
      // `null` (allowed where a setting may be left empty) is no value to write: said as such, not as "".
      const allowed = error.params.allowedValues as unknown[];
      const values = allowed.filter((value) => value !== null).map(String).join(', ');
      return `${where}: expected one of ${values}${allowed.includes(null) ? ' (or leave it empty)' : ''}`;
    }
    default:
      return `${where}: ${error.message ?? 'invalid'}`;
  }
}

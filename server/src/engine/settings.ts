// Engine settings: which rules run and at which severity, and which files are ignored.
// Sources, lowest precedence first: built-in defaults < editor settings (VS Code `containerGuard.*`)
// < the team file `.container-guard.yaml`. The team file wins so that the editor shows exactly what
// CI (which reads only the team file) will report.
import picomatch from 'picomatch';
import type { RuleMeta, RuleSetName, Severity, SeveritySetting } from './types';
import { RULE_SET_NAMES } from './types';

export interface EngineSettings {
  /** `recommended` (default) or `strict` (every rule). */
  ruleSet: RuleSetName;
  /** Per-rule severity overrides; `off` disables a rule; a rule outside the rule set is enabled by naming a severity. */
  rules: Record<string, SeveritySetting>;
  /** Globs (relative to the workspace or team-file folder, `/` separators) of files not to lint. */
  ignore: string[];
  /** Whether `# hadolint ignore=` pragmas silence the matching rules. */
  honourHadolintPragmas: boolean;
  /** The Windows Server LTSC the containers run on, when known; null when not configured. */
  windowsHost: WindowsHost | null;
  /** How the containers are isolated on that host: process isolation needs matching builds. */
  isolation: Isolation;
  /**
   * Registries base images may come from (host names, `*.example.com` wildcards). Empty means "not
   * configured": the trusted-registry rule then allows only mcr.microsoft.com and runs only in `strict`.
   */
  trustedRegistries: string[];
  /**
   * The team requires NuGet packages to be signed by trusted signers (`signatureValidationMode` `require`).
   * On by default: nuget.config files that accept any package are reported (as information, since NuGet's
   * own default is `accept`).
   */
  requireSignedPackages: boolean;
}

export const WINDOWS_HOSTS = ['ltsc2019', 'ltsc2022', 'ltsc2025'] as const;
export type WindowsHost = (typeof WINDOWS_HOSTS)[number];
export const ISOLATIONS = ['process', 'hyperv'] as const;
export type Isolation = (typeof ISOLATIONS)[number];

export const DEFAULT_SETTINGS: EngineSettings = {
  ruleSet: 'recommended',
  rules: {},
  ignore: [],
  honourHadolintPragmas: true,
  windowsHost: null,
  isolation: 'process',
  trustedRegistries: [],
  requireSignedPackages: true,
};

/** A partial settings layer as read from one source. */
export type SettingsLayer = Partial<EngineSettings>;

export function mergeSettings(...layers: ReadonlyArray<SettingsLayer | undefined>): EngineSettings {
  const merged: EngineSettings = { ...DEFAULT_SETTINGS, rules: {}, ignore: [], trustedRegistries: [] };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.ruleSet) merged.ruleSet = layer.ruleSet;
    if (layer.rules) Object.assign(merged.rules, layer.rules);
    if (layer.ignore) merged.ignore.push(...layer.ignore);
    if (layer.honourHadolintPragmas !== undefined) merged.honourHadolintPragmas = layer.honourHadolintPragmas;
    if (layer.windowsHost !== undefined) merged.windowsHost = layer.windowsHost;
    if (layer.isolation) merged.isolation = layer.isolation;
    if (layer.requireSignedPackages !== undefined) merged.requireSignedPackages = layer.requireSignedPackages;
    // Trusted registries add up: the team's list extends, never silently replaces, the editor's.
    if (layer.trustedRegistries) merged.trustedRegistries.push(...layer.trustedRegistries.filter((r) => !merged.trustedRegistries.includes(r)));
  }
  return merged;
}

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

export function isRuleSetName(value: unknown): value is RuleSetName {
  return typeof value === 'string' && (RULE_SET_NAMES as readonly string[]).includes(value);
}

/** The severity a rule reports at under these settings, or null when it does not run. */
export function effectiveSeverity(meta: RuleMeta, settings: EngineSettings): Severity | null {
  const override = settings.rules[meta.id];
  if (override === 'off') return null;
  if (override) return override;
  return meta.ruleSets.includes(settings.ruleSet) ? meta.defaultSeverity : null;
}

/**
 * Settings from an untyped object (VS Code configuration, JSON). Unknown or malformed entries are
 * dropped and reported, never thrown: a typo in settings must not stop linting.
 */
export function settingsFromUnknown(value: unknown, knownRuleIds: ReadonlySet<string>): { layer: SettingsLayer; problems: string[] } {
  const problems: string[] = [];
  const layer: SettingsLayer = {};
  if (!value || typeof value !== 'object') return { layer, problems };
  const input = value as Record<string, unknown>;
  if (input.ruleSet !== undefined) {
    if (isRuleSetName(input.ruleSet)) layer.ruleSet = input.ruleSet;
    else problems.push(`ruleSet: expected one of ${RULE_SET_NAMES.join(', ')}`);
  }
  if (input.rules !== undefined && input.rules !== null) {
    if (typeof input.rules === 'object' && !Array.isArray(input.rules)) {
      layer.rules = {};
      for (const [id, severity] of Object.entries(input.rules as Record<string, unknown>)) {
        if (!knownRuleIds.has(id)) problems.push(`rules.${id}: unknown rule id`);
        else if (!isSeveritySetting(severity)) problems.push(`rules.${id}: expected one of ${SEVERITY_SETTINGS.join(', ')}`);
        else layer.rules[id] = severity;
      }
    } else {
      problems.push('rules: expected an object mapping rule ids to severities');
    }
  }
  if (input.ignore !== undefined && input.ignore !== null) {
    if (Array.isArray(input.ignore) && input.ignore.every((g) => typeof g === 'string')) {
      layer.ignore = (input.ignore as string[]).filter((glob) => glob.trim() !== '');
      if (layer.ignore.length !== input.ignore.length) problems.push('ignore: empty patterns are ignored');
    } else {
      problems.push('ignore: expected a list of glob patterns');
    }
  }
  if (input.honourHadolintPragmas !== undefined) {
    if (typeof input.honourHadolintPragmas === 'boolean') layer.honourHadolintPragmas = input.honourHadolintPragmas;
    else problems.push('honourHadolintPragmas: expected true or false');
  }
  if (input.windowsHost !== undefined && input.windowsHost !== null && input.windowsHost !== '') {
    if ((WINDOWS_HOSTS as readonly unknown[]).includes(input.windowsHost)) layer.windowsHost = input.windowsHost as WindowsHost;
    else problems.push(`windowsHost: expected one of ${WINDOWS_HOSTS.join(', ')}`);
  }
  if (input.isolation !== undefined) {
    if ((ISOLATIONS as readonly unknown[]).includes(input.isolation)) layer.isolation = input.isolation as Isolation;
    else problems.push(`isolation: expected one of ${ISOLATIONS.join(', ')}`);
  }
  if (input.trustedRegistries !== undefined && input.trustedRegistries !== null) {
    if (Array.isArray(input.trustedRegistries) && input.trustedRegistries.every((r) => typeof r === 'string')) layer.trustedRegistries = input.trustedRegistries as string[];
    else problems.push('trustedRegistries: expected a list of registry host names');
  }
  if (input.requireSignedPackages !== undefined) {
    if (typeof input.requireSignedPackages === 'boolean') layer.requireSignedPackages = input.requireSignedPackages;
    else problems.push('requireSignedPackages: expected true or false');
  }
  return { layer, problems };
}

/** True when `relativePath` (forward slashes, relative to the folder the globs belong to) is ignored. */
export function isIgnored(relativePath: string, settings: EngineSettings): boolean {
  const globs = settings.ignore.filter((glob) => glob.trim() !== '');
  if (globs.length === 0) return false;
  try {
    return picomatch.isMatch(relativePath.replace(/\\/g, '/'), globs, { dot: true });
  } catch {
    // An unusable pattern ignores nothing rather than stopping linting.
    return false;
  }
}

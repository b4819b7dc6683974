// The text of a new `.container-guard.yaml` made from the current settings (command "Create Team File").
// Free of the `vscode` module so it is unit-testable; the server's parseTeamConfig reads it back.

export interface TeamFileSettings {
  ruleSet?: string;
  rules?: Record<string, string>;
  ignore?: string[];
  honourHadolintPragmas?: boolean;
  windowsHost?: string | null;
  isolation?: string;
  trustedRegistries?: string[];
  requireSignedPackages?: boolean;
}

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON is valid YAML). */
function scalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|\d[\d.]*)$/i.test(value) ? value : JSON.stringify(value);
}

export function teamFileText(settings: TeamFileSettings): string {
  const lines = [
    '# Windows Container Guard team settings: read by the editor and by the CLI in CI, and they win over',
    '# each one\'s own settings, so the editor shows what CI reports. Rule pages: docs/rules/<id>.md.',
    '',
    '# recommended (rules right for every Dockerfile) or strict (every rule)',
    `ruleSet: ${scalar(settings.ruleSet ?? 'recommended')}`,
    '',
    '# Severity per rule id: off, hint, info, warning, error',
  ];
  const rules = Object.entries(settings.rules ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (rules.length === 0) lines.push('rules: {}', '#  base-image-unpinned-digest: error');
  else lines.push('rules:', ...rules.map(([id, severity]) => `  ${scalar(id)}: ${scalar(severity)}`));
  lines.push('', '# The Windows Server LTSC your containers run on: ltsc2019, ltsc2022 or ltsc2025');
  lines.push(settings.windowsHost ? `windowsHost: ${scalar(settings.windowsHost)}` : '# windowsHost: ltsc2022');
  lines.push('', '# process (host and image builds must match) or hyperv', `isolation: ${scalar(settings.isolation ?? 'process')}`);
  lines.push('', '# Registries base images may come from (mcr.microsoft.com is always trusted)');
  const registries = settings.trustedRegistries ?? [];
  if (registries.length === 0) lines.push('trustedRegistries: []');
  else lines.push('trustedRegistries:', ...registries.map((registry) => `  - ${scalar(registry)}`));
  lines.push('', '# Globs of files not to lint, relative to this file');
  const ignore = settings.ignore ?? [];
  if (ignore.length === 0) lines.push('ignore: []');
  else lines.push('ignore:', ...ignore.map((glob) => `  - ${JSON.stringify(glob)}`));
  lines.push('', `honourHadolintPragmas: ${settings.honourHadolintPragmas === false ? 'false' : 'true'}`);
  lines.push(`requireSignedPackages: ${settings.requireSignedPackages === false ? 'false' : 'true'}`, '');
  return lines.join('\n');
}

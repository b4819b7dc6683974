import { imageExcerpt, judgedByDefault, useLabel } from '../../catalog/stageImage';
import type { DockerfileRule } from '../../rules/rule';

/** Microsoft's registry is always trusted: it is where the certified Windows images come from. */
const ALWAYS_TRUSTED = ['mcr.microsoft.com'];

export const untrustedRegistry: DockerfileRule = {
  meta: {
    id: 'untrusted-registry',
    title: 'Base image comes from a registry outside the trusted list',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [829],
    references: ['NIST SP 800-190 §4.1.5', 'NIST SP 800-190 §4.2.3', 'CIS Docker Benchmark 4.2'],
    // Always on in `strict`; in `recommended` only once the team lists its registries (as hadolint's DL3026).
    ruleSets: ['recommended', 'strict'],
    hadolintIds: ['DL3026'],
    securitySeverity: 6.0,
  },
  check(model, report, context) {
    const configured = context.settings.trustedRegistries;
    if (configured.length === 0 && context.settings.ruleSet !== 'strict' && !context.settings.rules['untrusted-registry']) return;
    const trusted = [...ALWAYS_TRUSTED, ...configured];
    for (const { image } of model.images) {
      // An unresolvable reference (`FROM ${REGISTRY}/base` without a default) names no registry at all: never docker.io.
      const reference = image.unresolved ? null : image.reference;
      if (!reference) continue;
      const registry = (reference.registry ?? 'docker.io').toLowerCase();
      if (trusted.some((pattern) => registryMatches(registry, pattern))) continue;
      report({
        range: image.range,
        message: `${image.use === 'from' ? '' : `The \`${useLabel(image)}\` image: `}\`${imageExcerpt(registry)}\`${judgedByDefault(image)} is not a trusted registry; pull from one your team trusts or add it to \`trustedRegistries\`.`,
      });
    }
  },
};

/** `docker.io`, `*.azurecr.io` (any subdomain), or `*` (everything). */
export function registryMatches(registry: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return registry.endsWith(p.slice(1));
  return registry === p || (p === 'docker.io' && registry === 'index.docker.io');
}

import { RELEASES, type WindowsRelease } from '../../catalog/catalog';
import { judgedByDefault, imageExcerpt, nameAndTag, stageImageFacts } from '../../catalog/stageImage';
import type { Stage } from '../model';
import type { DockerfileRule } from '../../rules/rule';

/**
 * Windows containers share the host kernel under process isolation, so the image's OS build must equal
 * the host's (shared/docs/windows-base-images.md §3): otherwise the container fails to start with
 * 0xc0370101. Hyper-V isolation lets a newer host run older images, never the reverse.
 */
export const windowsVersionMismatch: DockerfileRule = {
  meta: {
    id: 'windows-version-mismatch',
    title: 'Windows stages use different OS builds, or a build the container host cannot run',
    fileKind: 'dockerfile',
    defaultSeverity: 'warning',
    cwe: [],
    references: ['NIST SP 800-190 §4.1.2', 'CIS Docker Benchmark 4.2'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 1.0,
  },
  check(model, report, context) {
    // Stages built on an earlier stage (`FROM build`) share its build; only stages naming an image count.
    const windowsStages = model.stages
      .filter((stage) => stage.baseImage !== null)
      .map((stage) => ({ stage, release: releaseOf(stage) }))
      .filter((s): s is { stage: Stage; release: WindowsRelease } => s.release !== null);
    const host = context.settings.windowsHost ? RELEASES.get(context.settings.windowsHost) ?? null : null;
    const isolation = context.settings.isolation;
    const lastStage = model.stages[model.stages.length - 1];
    const finalRelease = lastStage ? releaseOf(lastStage) : null;
    const final = lastStage && finalRelease ? { stage: lastStage, release: finalRelease } : undefined;

    for (const { stage, release } of windowsStages) {
      const range = stage.baseImage!.tagRange ?? stage.baseImage!.range;
      const written = `\`${imageExcerpt(nameAndTag(stageImageFacts(stage)!.reference))}\`${judgedByDefault(stage.baseImage!)}`;
      if (host) {
        const problem = hostProblem(host, release, isolation);
        if (problem) {
          report({ range, message: `${written} is Windows build ${release.build} (${release.key}); ${problem}`, severity: 'error' });
          continue;
        }
      }
      if (final && stage !== final.stage && stage !== baseStageOf(final.stage) && release.build !== final.release.build) {
        report({
          range,
          message: `${written} is Windows build ${release.build} (${release.key}) but the final stage is ${final.release.build} (${final.release.key}); use one Windows release in every stage.`,
        });
      }
    }
  },
};

function baseStageOf(stage: Stage): Stage {
  let current = stage;
  while (current.parentStage) current = current.parentStage;
  return current;
}

function releaseOf(stage: Stage): WindowsRelease | null {
  for (let current: Stage | null = stage; current; current = current.parentStage) {
    const facts = stageImageFacts(current);
    if (facts) return facts.resolution?.release ?? facts.movedTo?.resolution.release ?? null;
  }
  return null;
}

/** Why the host cannot run this image, or null when it can (version-compatibility matrix). */
export function hostProblem(host: WindowsRelease, image: WindowsRelease, isolation: 'process' | 'hyperv'): string | null {
  if (image.build > host.build) {
    return `a ${host.name} host (build ${host.build}) cannot run a newer Windows image in any isolation mode.`;
  }
  if (isolation === 'hyperv' || image.build === host.build) return null;
  // Documented exception: Windows Server 2025 hosts run Windows Server 2022 images process-isolated.
  if (host.build >= 26100 && image.build === 20348) return null;
  return `under process isolation a ${host.name} host (build ${host.build}) runs only build ${host.build} images (error 0xc0370101). Use the host's release, or Hyper-V isolation.`;
}

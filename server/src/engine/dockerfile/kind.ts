// Dockerfiles (and Containerfiles): dockerfile-ast's syntax tree, the stage model, the Dockerfile rules.
import { buildDockerfileModel, type DockerfileModel } from './model';
import { imageCompletion } from './features/imageCompletion';
import { imageHover, stageAt } from './features/imageHover';
import { ALL_RULES } from '../rules/index';
import { rulesOfKind } from '../rules/rule';
import { dockerfileScriptHost } from '../shell/runAnalysis';
import { collectSuppressions, SUPPRESSION_PREFIX } from '../suppression';
import type { DocumentKind } from '../kinds/documentKind';
import { suppressionCommentFix } from '../kinds/suppressionFix';

// `Dockerfile`, `Dockerfile.windows`, `Dockerfile-windows`, `Dockerfile_1809`, `app.Dockerfile`, `Containerfile`…
const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:[._-].+)?$|^.+\.(?:dockerfile|containerfile)$/i;
/** Documentation, scripts and data that sit beside Dockerfiles with similar names (`Dockerfile.md`, `Dockerfile-build.sh`). */
const NOT_A_DOCKERFILE = /\.(?:md|txt|json|ya?ml|sh|ps1|psm1|bat|cmd|py|js|ts|xml|toml|ini|cfg|conf|lock|sum|orig|bak|swp|tmpl|j2)$/i;

/** First lines of the instructions, ascending, per model: a finding's suppression goes above its instruction. */
const instructionLines = new WeakMap<DockerfileModel, Array<{ start: number; end: number }>>();

function instructionStartLine(model: DockerfileModel, line: number): number {
  let spans = instructionLines.get(model);
  if (!spans) {
    spans = model.ast.getInstructions().map((instruction) => {
      const range = instruction.getRange();
      return { start: range.start.line, end: range.end.line };
    });
    instructionLines.set(model, spans);
  }
  // Binary search for the last instruction starting at or before `line` (instructions never overlap).
  let low = 0;
  let high = spans.length - 1;
  let holder: { start: number; end: number } | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (spans[middle]!.start <= line) {
      holder = spans[middle];
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return holder && line <= holder.end ? holder.start : line;
}

export const dockerfileKind: DocumentKind<DockerfileModel> = {
  id: 'dockerfile',
  recognisesPath: (path) => {
    const base = path.split(/[\\/]/).pop() ?? '';
    return DOCKERFILE_NAME.test(base) && !NOT_A_DOCKERFILE.test(base);
  },
  buildModel: buildDockerfileModel,
  documentOf: (model) => model.document,
  rules: rulesOfKind(ALL_RULES, 'dockerfile', dockerfileScriptHost),
  suppressions: (model, settings) => collectSuppressions(model, settings.honourHadolintPragmas),
  suppressionFix: (model, ruleId, line) => suppressionCommentFix(
    model.document, `# ${SUPPRESSION_PREFIX} ignore=${ruleId}`, `Ignore ${ruleId} for this instruction`, instructionStartLine(model, line),
  ),
  features: {
    // The image a stage is built FROM (not another stage, not scratch): what registries sign.
    imageAt: (model, position) => {
      const stage = stageAt(model, position);
      return stage && !stage.parentStage && !stage.isScratch ? stage.baseImage?.reference?.text : undefined;
    },
    hover: imageHover,
    completion: (model, position, settings, now) => imageCompletion(model, position, now, settings),
  },
};

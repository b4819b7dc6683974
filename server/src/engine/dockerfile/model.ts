// The Dockerfile model: what rules ask about, computed once per document version.
// parse (dockerfile-ast, which honours `# escape=`) → stages with their base images resolved through
// ARG defaults and earlier stages, the effective user per stage, and the instructions per stage.
import { DockerfileParser } from 'dockerfile-ast';
import './argumentMemo';
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import type { Range } from '../types';
import { TextDocument } from '../text';
import { classifyBaseImage, type BaseImagePlatform } from './platform';
import { parseImageReference, type ImageReference } from './imageReference';

export interface BaseImage {
  /** Parsed reference after ARG expansion; null when the FROM has no image or it cannot be resolved. */
  reference: ImageReference | null;
  /** The image argument as written, e.g. `${BASE}:${TAG}` or `mcr.microsoft.com/windows/servercore:ltsc2025`. */
  written: string;
  /** Range of the image argument as written. */
  range: Range;
  /** Range of the tag when it is written literally (not via a variable); null otherwise. */
  tagRange: Range | null;
  /** Range of the digest when written literally. */
  digestRange: Range | null;
  /** True when the written reference uses variables that could not be resolved to a value. */
  unresolved: boolean;
  /** True when a variable was expanded to obtain `reference`. */
  usesVariables: boolean;
}

export interface EffectiveUser {
  user: string | null;
  /** Where the user comes from: a USER instruction, an earlier stage, or the base image's default. */
  source: 'USER' | 'parent-stage' | 'image-default' | 'unknown';
  /** The USER instruction that set it, when `source` is `USER` (possibly in a parent stage). */
  instruction: Instruction | null;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased the way BuildKit compares stage names. */
  name: string | null;
  from: From;
  /** null for `FROM scratch` and for a FROM that names an earlier stage. */
  baseImage: BaseImage | null;
  isScratch: boolean;
  /** The earlier stage this one builds on (`FROM build AS final`). */
  parentStage: Stage | null;
  platform: BaseImagePlatform;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: Instruction[];
  effectiveUser: EffectiveUser;
}

export interface DockerfileModel {
  document: TextDocument;
  ast: Dockerfile;
  escapeCharacter: string;
  stages: Stage[];
  /** ARG instructions before the first FROM (usable in FROM lines). */
  globalArgs: Map<string, string | null>;
}

export function buildDockerfileModel(document: TextDocument): DockerfileModel {
  const ast = DockerfileParser.parse(document.getText());
  const globalArgs = new Map<string, string | null>();
  for (const arg of ast.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) globalArgs.set(property.getName(), property.getValue());
  }

  const stages: Stage[] = [];
  /** Stage names to the first stage so named (what `FROM <name>` refers to): no scan of every earlier stage per FROM. */
  const named = new Map<string, Stage>();
  let current: Stage | null = null;
  for (const instruction of ast.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      current = createStage(stages, named, instruction as From, globalArgs);
      stages.push(current);
      if (current.name !== null && !named.has(current.name)) named.set(current.name, current);
    } else if (current) {
      current.instructions.push(instruction);
    }
  }
  const windowsHints = documentSuggestsWindows(ast);
  for (const stage of stages) {
    if (stage.platform.os === 'unknown' && windowsHints && !stage.isScratch) {
      stage.platform = { os: 'windows', windowsFlavor: null, defaultUser: null };
    }
    stage.effectiveUser = computeEffectiveUser(stage);
  }
  return { document, ast, escapeCharacter: ast.getEscapeCharacter(), stages, globalArgs };
}

function createStage(
  earlier: readonly Stage[],
  named: ReadonlyMap<string, Stage>,
  from: From,
  globalArgs: ReadonlyMap<string, string | null>,
): Stage {
  const name = from.getBuildStage()?.toLowerCase() ?? null;
  const written = from.getImage();
  const imageRange = from.getImageRange();
  const stage: Stage = {
    index: earlier.length,
    name,
    from,
    baseImage: null,
    isScratch: false,
    parentStage: null,
    platform: { os: 'unknown', windowsFlavor: null, defaultUser: null },
    instructions: [],
    effectiveUser: { user: null, source: 'unknown', instruction: null },
  };
  if (!written || !imageRange) return stage;

  const usesVariables = written.includes('$');
  const expanded = usesVariables ? expandVariables(written, globalArgs) : written;
  if (expanded !== null && expanded.toLowerCase() === 'scratch') {
    stage.isScratch = true;
    return stage;
  }
  // A FROM that names an earlier stage inherits that stage's image, user and platform.
  const parent = expanded !== null ? named.get(expanded.toLowerCase()) : undefined;
  if (parent) {
    stage.parentStage = parent;
    stage.platform = parent.platform;
    return stage;
  }
  const reference = expanded !== null ? parseImageReference(expanded) : null;
  stage.baseImage = {
    reference,
    written,
    range: imageRange,
    tagRange: usesVariables ? null : from.getImageTagRange(),
    digestRange: usesVariables ? null : from.getImageDigestRange(),
    unresolved: expanded === null,
    usesVariables,
  };
  if (reference) stage.platform = classifyBaseImage(reference);
  return stage;
}

/**
 * Expands `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` against global ARG defaults, the way
 * BuildKit does for FROM. Returns null when any variable has no value (only known at build time).
 */
export function expandVariables(text: string, args: ReadonlyMap<string, string | null>): string | null {
  let unresolved = false;
  const result = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, braced: string | undefined, operator: string | undefined, word: string | undefined, plain: string | undefined) => {
      const value = args.get((braced ?? plain)!);
      const isSet = value !== undefined && value !== null && value !== '';
      if (operator === '-') return isSet ? value! : (word ?? '');
      if (operator === '+') return isSet ? (word ?? '') : '';
      if (!isSet) {
        unresolved = true;
        return '';
      }
      return value!;
    });
  return unresolved ? null : result;
}

/** The escape directive set to a backtick, or a PowerShell/cmd SHELL, marks a Windows Dockerfile. */
function documentSuggestsWindows(ast: Dockerfile): boolean {
  if (ast.getEscapeCharacter() === '`') return true;
  return ast.getInstructions().some((instruction) => {
    if (instruction.getKeyword() !== 'SHELL') return false;
    const first = instruction.getArguments()[0]?.getValue() ?? '';
    return /^\[?\s*"?(powershell|pwsh|cmd)(\.exe)?"?/i.test(first);
  });
}

function computeEffectiveUser(stage: Stage): EffectiveUser {
  for (let i = stage.instructions.length - 1; i >= 0; i--) {
    const instruction = stage.instructions[i]!;
    if (instruction.getKeyword() === 'USER') {
      const user = instruction.getArgumentsContent();
      if (user) return { user, source: 'USER', instruction };
    }
  }
  if (stage.parentStage) {
    const inherited = stage.parentStage.effectiveUser;
    return { ...inherited, source: inherited.source === 'USER' ? 'parent-stage' : inherited.source };
  }
  if (stage.platform.defaultUser) return { user: stage.platform.defaultUser, source: 'image-default', instruction: null };
  return { user: null, source: 'unknown', instruction: null };
}

export function finalStage(model: DockerfileModel): Stage | undefined {
  return model.stages[model.stages.length - 1];
}

// The Dockerfile model: what rules ask about, computed once per document version.
// parse (dockerfile-ast, which honours `# escape=`) → stages with their base images resolved through
// ARG defaults and earlier stages, the effective user per stage, and the instructions per stage.
import { DockerfileParser } from 'dockerfile-ast';
import './argumentMemo';
import type { Arg, Dockerfile, From, Instruction, ModifiableInstruction } from 'dockerfile-ast';
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
  /** Where the image is named: a FROM, `COPY --from=<image>` or `RUN --mount=…,from=<image>`. */
  use: ImageUseKind;
}

export type ImageUseKind = 'from' | 'copy-from' | 'mount-from';

/** An image the build pulls, with the stage it is named in: every FROM image, and COPY/RUN --mount images that are no stage. */
export interface ImageUse {
  stage: Stage;
  image: BaseImage;
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
  /** ARG instructions before the first FROM (usable in FROM lines), their defaults expanded (chains of ARGs); null when unknown. */
  globalArgs: Map<string, string | null>;
  /** Every image the build pulls, in document order: FROM images, then those of COPY --from and RUN --mount in their stage. */
  images: ImageUse[];
}

export function buildDockerfileModel(document: TextDocument): DockerfileModel {
  // A byte-order mark is no part of the first instruction (dockerfile-ast would read `\uFEFFFROM` as an
  // unknown keyword): parse it as a space, which keeps every offset where it is.
  const text = document.getText();
  const ast = DockerfileParser.parse(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  const globalArgs = new Map<string, string | null>();
  for (const arg of ast.getInitialARGs()) declareArgs(arg, globalArgs);

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
      stage.platform = { os: 'windows', windowsFlavor: null, defaultUser: null, defaultShell: null };
    }
    stage.effectiveUser = computeEffectiveUser(stage);
  }
  const images: ImageUse[] = [];
  const stageNames = new Set(stages.map((stage) => stage.name).filter((name): name is string => name !== null));
  for (const stage of stages) {
    if (stage.baseImage) images.push({ stage, image: stage.baseImage });
    collectInstructionImages(stage, stages.length, stageNames, globalArgs, images);
  }
  return { document, ast, escapeCharacter: ast.getEscapeCharacter(), stages, globalArgs, images };
}

/**
 * Records the ARG's variables in `args`, each default expanded against the ARGs declared before it, as
 * BuildKit does (`ARG BASE=${REGISTRY}/servercore:${TAG}`); quotes are already removed by the parser.
 * A default that uses an unknown variable is unknown (null) too, as is an ARG without a default.
 */
function declareArgs(arg: Instruction, args: Map<string, string | null>, inherited?: ReadonlyMap<string, string | null>): void {
  for (const property of (arg as Arg).getProperties()) {
    const value = property.getValue();
    const name = property.getName();
    // Inside a stage, `ARG NAME` without a value brings the global ARG's default into scope.
    if (value === null) args.set(name, inherited?.get(name) ?? null);
    else args.set(name, value.includes('$') ? expandVariables(value, args) : value);
  }
}

/** `COPY --from=<image>` and `RUN --mount=…,from=<image>` that name no stage (by name or index): images the build pulls. */
function collectInstructionImages(
  stage: Stage, stageCount: number, stageNames: ReadonlySet<string>, globalArgs: ReadonlyMap<string, string | null>, images: ImageUse[],
): void {
  let args: Map<string, string | null> | null = null;
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG') {
      args ??= new Map();
      declareArgs(instruction, args, globalArgs);
      continue;
    }
    if (keyword !== 'COPY' && keyword !== 'RUN' && keyword !== 'ADD') continue;
    const flags = (instruction as ModifiableInstruction).getFlags?.() ?? [];
    for (const flag of flags) {
      const name = flag.getName().toLowerCase();
      if (name === 'from' && keyword !== 'RUN') {
        const value = flag.getValue();
        const range = flag.getValueRange();
        if (value && range) addInstructionImage(stage, value, range, 'copy-from', stageCount, stageNames, args ?? globalArgs, globalArgs, images);
      } else if (name === 'mount' && keyword === 'RUN') {
        for (const option of flag.getOptions()) {
          if (option.getName().toLowerCase() !== 'from') continue;
          const value = option.getValue();
          const range = option.getValueRange();
          if (value && range) addInstructionImage(stage, value, range, 'mount-from', stageCount, stageNames, args ?? globalArgs, globalArgs, images);
        }
      }
    }
  }
}

function addInstructionImage(
  stage: Stage, written: string, range: Range, use: ImageUseKind, stageCount: number, stageNames: ReadonlySet<string>,
  args: ReadonlyMap<string, string | null>, globalArgs: ReadonlyMap<string, string | null>, images: ImageUse[],
): void {
  const unquoted = withoutShellQuotes(written);
  const usesVariables = unquoted.includes('$');
  const expanded = usesVariables ? expandVariables(unquoted, args === globalArgs ? globalArgs : mergedArgs(globalArgs, args)) : unquoted;
  // A stage: by name (any stage of the file, as BuildKit resolves them) or by index.
  if (expanded !== null && (stageNames.has(expanded.toLowerCase()) || (/^\d+$/.test(expanded) && Number(expanded) < stageCount))) return;
  if (expanded === null && !usesVariables) return;
  const reference = expanded !== null ? parseImageReference(expanded) : null;
  const literal = !usesVariables && unquoted === written && range.start.line === range.end.line;
  const at = (offset: number, length: number): Range => ({
    start: { line: range.start.line, character: range.start.character + offset },
    end: { line: range.start.line, character: range.start.character + offset + length },
  });
  const tag = reference?.tag ?? null;
  const digest = reference?.digest ?? null;
  images.push({
    stage,
    image: {
      reference,
      written,
      range,
      tagRange: literal && tag !== null ? at(reference!.tagOffset, tag.length) : null,
      digestRange: literal && digest !== null ? at(reference!.digestOffset, digest.length) : null,
      unresolved: expanded === null,
      usesVariables,
      use,
    },
  });
}

function mergedArgs(globalArgs: ReadonlyMap<string, string | null>, stageArgs: ReadonlyMap<string, string | null>): Map<string, string | null> {
  const merged = new Map(globalArgs);
  for (const [name, value] of stageArgs) merged.set(name, value);
  return merged;
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
    platform: { os: 'unknown', windowsFlavor: null, defaultUser: null, defaultShell: null },
    instructions: [],
    effectiveUser: { user: null, source: 'unknown', instruction: null },
  };
  if (!written || !imageRange) return stage;

  const word = withoutShellQuotes(written);
  const usesVariables = word.includes('$');
  const expanded = usesVariables ? expandVariables(word, globalArgs) : word;
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
    // dockerfile-ast's tag and digest ranges include any quotes: only a plain literal's are the value's.
    tagRange: usesVariables || word !== written ? null : from.getImageTagRange(),
    digestRange: usesVariables || word !== written ? null : from.getImageDigestRange(),
    unresolved: expanded === null,
    usesVariables,
    use: 'from',
  };
  if (reference) stage.platform = classifyBaseImage(reference);
  return stage;
}

/**
 * The image argument as BuildKit reads it: a shell word, whose quotes are removed
 * (`servercore:"ltsc2019"` and `"${BASE}"` name `servercore:ltsc2019` and the ARG's value). Single quotes
 * also stop expansion there; an image name cannot contain a literal `$`, so that difference loses nothing.
 */
export function withoutShellQuotes(text: string): string {
  return text.includes('"') || text.includes("'") ? text.replace(/(?<!\\)["']/g, '') : text;
}

/**
 * Expands `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` against global ARG defaults, the way
 * BuildKit does for FROM. Returns null when any variable has no value (only known at build time).
 */
export function expandVariables(text: string, args: Pick<ReadonlyMap<string, string | null>, 'get'>): string | null {
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
  // A form this expansion does not know (`${NAME%suffix}`, `${NAME:?message}`) leaves a `$`: unknown, never a literal name.
  return unresolved || result.includes('$') ? null : result;
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

// A document kind is everything the engine knows about one sort of file: how it is recognised, how its
// text becomes a model, which rules check that model, and how a finding is suppressed in place. The
// linter, the CLI's file walk and the language server go through this interface only, so a new kind
// is one new registration in kinds/index.ts, not a switch edited in five places. What an editor asks at
// a position (hover, completion) is the kind's `features`.
import type { CompletionItem } from '../dockerfile/features/imageCompletion';
import type { RelatedReader, Report, RuleContext } from '../rules/rule';
import type { EngineSettings } from '../settings';
import type { Suppressions } from '../suppression';
import type { TextDocument } from '../text';
import type { FileKind, Fix, Position, Range, RuleMeta } from '../types';

/** A rule of one kind: its metadata beside the check of that kind's model. */
export interface KindRule<Model> {
  meta: RuleMeta;
  check(model: Model, report: Report, context: RuleContext): void;
}

/** A hover of any kind: what it covers and its Markdown. */
export interface Hover {
  range: Range;
  markdown: string;
}

/** What an editor asks of a document at a position; each is optional, per kind. */
export interface KindFeatures<Model> {
  /**
   * The registry image at the position whose signing status the hover shows (a FROM image), if any: the
   * host looks it up (the engine never reaches a network) and passes its one-line state to `hover`.
   */
  imageAt?(model: Model, position: Position): string | undefined;
  hover?(model: Model, position: Position, settings: EngineSettings, now: Date, signatureStatus?: string): Hover | null;
  completion?(model: Model, position: Position, settings: EngineSettings, now: Date): CompletionItem[];
}

export interface DocumentKind<Model> {
  id: FileKind;
  /** True for a file of this kind, by its path (the way users name these files). */
  recognisesPath(path: string): boolean;
  /**
   * For files a path alone does not settle (an Azure Pipelines template in `eng/`): true when the
   * content is of this kind. Only asked about files with `contentExtensions`.
   */
  recognisesContent?(path: string, text: string): boolean;
  /** Lower-case extensions (`.yml`) of the files `recognisesContent` may claim. */
  contentExtensions?: readonly string[];
  /**
   * A cheap look at the text (no parse) that rules most other files out: false when `recognisesContent`
   * would certainly say false. Hosts that read many files ask it first.
   */
  mayBeContent?(text: string): boolean;
  /**
   * For a model built from a file only its content can claim: true when it is of this kind after all.
   * Lets a host build the model once and both recognise and lint with it, instead of parsing twice.
   */
  recognisesModel?(model: Model): boolean;
  /**
   * `path` (when known) helps a kind tell its sub-kinds apart (a GitHub workflow from a GitLab file);
   * `readRelated` lets a model take in files the document pulls in (GitLab `include: local:`);
   * `includedAs` is a sub-kind a host knows from another file (see includedFiles).
   */
  buildModel(document: TextDocument, path?: string, readRelated?: RelatedReader, includedAs?: string): Model;
  /**
   * Files this document makes part of its kind whatever their names: the files a GitLab pipeline includes
   * with `local:` (paths from the repository root), each with the sub-kind to build it as (`includedAs`
   * above); `includedAs` here: the file was itself included so (includes nest). `text` reads the file, only
   * when it may include anything (a GitLab file). A host that lints a tree lints them as such.
   */
  includedFiles?(path: string, includedAs: string | undefined, text: () => string | null): Array<{ path: string; includedAs: string }>;
  /**
   * True when the kind's model or rules read other files of the repository (a pipeline: the files it
   * includes, the Dockerfiles its jobs build): hosts then pass a related-file reader, which they give no
   * other kind (it costs file-system lookups per document).
   */
  readsRelatedFiles?: boolean;
  /** The model's document (rules report ranges in it). */
  documentOf(model: Model): TextDocument;
  rules: ReadonlyArray<KindRule<Model>>;
  /** The in-file suppression comments in force. */
  suppressions(model: Model, settings: EngineSettings): Suppressions;
  /** "Ignore this rule here": the fix that writes the suppression comment for a finding on `line`. */
  suppressionFix(model: Model, ruleId: string, line: number): Fix;
  features?: KindFeatures<Model>;
}

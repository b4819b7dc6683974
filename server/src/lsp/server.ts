// Language-server wiring over the engine: documents, settings, diagnostics (pull, with push for
// clients that cannot pull), code actions and fix-all. Takes a connection so tests can inject one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeAction, DidChangeConfigurationNotification, LSPErrorCodes, MarkupKind, ResponseError, type CompletionItem, type Hover, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind, TextDocuments,
  TextDocumentEdit, TextDocumentSyncKind, type CodeActionParams, type Connection, type Diagnostic, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument as FileDocument } from 'vscode-languageserver-textdocument';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixAllEdits, fixAllToFixpoint, lintModel, minimalEdit, type LintResult } from '../engine/lint';
import { documentKind, fileKindFor, fileKindForPath, mayBeRecognisedByContent } from '../engine/kinds/index';
import { createDocument } from '../engine/text';
import type { DockerfileModel } from '../engine/dockerfile/model';
import type { NuGetConfigModel } from '../engine/nuget/model';
import { RULE_IDS } from '../engine/rules/index';
import { isIgnored, mergeSettings, settingsFromUnknown, type EngineSettings, type SettingsLayer } from '../engine/settings';
import { loadShellGrammars } from '../engine/shell/treeSitter';
import { TEAM_CONFIG_FILE_NAMES, parseTeamConfig } from '../engine/teamConfig';
import type { FileKind } from '../engine/types';
import { findTeamConfig, loadTeamConfig, type LoadedTeamConfig } from '../node/teamConfigFile';
import { repositoryRoot } from '../node/relatedFiles';
import { followIncludes, type IncludedFile } from '../node/includedFiles';
import { FIX_ALL_KIND, SOURCE, quickFix, toCompletionItem, toDiagnostic, workspaceEdit } from './protocol';
import { RELEASES } from '../engine/catalog/catalog';
import type { Range } from '../engine/types';
import { DEFAULT_HOVER_BUDGET_MS, RegistryLookups, hostOsVersionFor, registrySettingsFrom, type LookupContext, type LookupState } from './registryLookup';
import { registryHoverMarkdown, signatureStatusLine } from './registryHover';
import { PIN_DIGEST_TITLE, WORKSPACE_TRUST_NOTIFICATION, signatureDiagnostic } from './protocol';
import { GUARDED_TEXT_DOCUMENTS } from './textDocuments';
import { mayBePipelineByContent } from '../engine/pipeline/contentSniff';
import { RelatedDocuments, openTexts } from './relatedDocuments';
import type { RelatedReader } from '../engine/rules/rule';
import { PipelinePinning, gitHubUrlFrom, pipelineImages, pinRefusal } from './pipelinePinning';
import type { PipelineDocument } from '../engine/pipeline/document';
import { checkCodeActionParams, checkDocumentParams, checkPositionParams } from './paramChecks';
import {
  FIX_ALL_FILES_REQUEST, LINT_FILES_REQUEST, MAX_WORKSPACE_FILE_BYTES, PIN_DIGESTS_REQUEST, STATUS_CHANGED_NOTIFICATION, STATUS_REQUEST, VERIFY_IMAGES_REQUEST,
  type FilesParams, type FixAllFilesResult, type LintFilesResult, type PinDigestsResult, type StatusParams, type StatusResult, type VerifyImagesResult,
} from './editorProtocol';

const SETTINGS_SECTION = 'containerGuard';
/**
 * YAML past this length is not parsed to see whether it is a pipeline (no pipeline is that large; the
 * CLI's walk has the same limit). A file recognised by its path is linted whatever its size.
 */
const CONTENT_SNIFF_LIMIT = 1024 * 1024;
/** Push-mode debounce: long enough to skip intermediate keystrokes, short enough to feel live. */
const PUSH_DELAY_MS = 200;

interface ClientSupport {
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  configuration: boolean;
  documentChanges: boolean;
  watchedFilesDynamic: boolean;
  configurationDynamic: boolean;
  workspaceFolders: boolean;
}

interface CachedLint {
  version: number;
  settingsKey: string;
  result: LintResult | null;
}

/** What lint() returns when a newer version of the document arrived while it waited: nothing was linted. */
const STALE = Symbol('stale');

export function startServer(connection: Connection): void {
  // The shell front ends parse with tree-sitter, whose WebAssembly loads asynchronously: the load starts
  // now, off the first keystroke's path, and every path that lints or builds a model awaits this one
  // promise (resolved once; awaiting it later costs nothing). It never rejects: a failed load is logged
  // and the rules that need a shell parser report rule errors instead of the server failing requests.
  let grammarError: unknown;
  const grammars: Promise<void> = loadShellGrammars().catch((error: unknown) => { grammarError = error; });
  let grammarErrorLogged = false;
  async function grammarsReady(): Promise<void> {
    await grammars;
    if (grammarError !== undefined && !grammarErrorLogged) {
      grammarErrorLogged = true;
      log(`Loading the shell grammars failed: ${grammarError instanceof Error ? grammarError.stack : String(grammarError)}`);
    }
  }
  // Incremental sync, rebuilt from the full text after edits the text-document library miscounts.
  const documents = new TextDocuments(GUARDED_TEXT_DOCUMENTS);
  let support: ClientSupport = {
    pullDiagnostics: false, diagnosticRefresh: false, configuration: false, documentChanges: false,
    watchedFilesDynamic: false, configurationDynamic: false, workspaceFolders: false,
  };
  let workspaceFolders: string[] = [];
  /** Settings pushed through didChangeConfiguration, for clients without workspace/configuration. */
  let pushedSettings: unknown = undefined;
  const editorSettings = new Map<string, Promise<SettingsLayer>>();
  /** The raw `containerGuard` object per document, for the registry/trust settings the engine does not know. */
  const rawSettings = new Map<string, Promise<unknown>>();
  /** How long a hover waits for a registry lookup (initializationOptions.hoverBudgetMs, for tests). */
  let hoverBudgetMs = DEFAULT_HOVER_BUDGET_MS;
  /** Log every lint (uri and version) to the client (initializationOptions.logLints, for tests). */
  let logLints = false;
  /** Set once a document asks for signature diagnostics: only then does a finished lookup refresh diagnostics. */
  let signatureDiagnosticsWanted = false;
  const registry = new RegistryLookups(true, () => { if (signatureDiagnosticsWanted) revalidateAll(); }, (message) => log(message));
  /** Pin to digest / Pin to commit for pipeline findings (pipelinePinning.ts). */
  const pipelinePins = new PipelinePinning(registry, (message) => log(message));
  /** Team file per path, and the team file (or none) that governs each folder. */
  const teamConfigs = new Map<string, LoadedTeamConfig | null>();
  /**
   * The last version of each team file that was valid YAML: while the file has a syntax error (someone is
   * typing in it), its previous settings stay in force instead of the defaults.
   */
  const lastGoodTeamConfigs = new Map<string, LoadedTeamConfig>();
  /** Team files whose current text has a syntax error and whose previous settings are in force. */
  const staleTeamConfigs = new Set<string>();
  const teamConfigOfFolder = new Map<string, string | null>();
  const lintCache = new Map<string, CachedLint>();
  /** The files each open pipeline's last lint read (Dockerfiles it builds, GitLab includes), and their open text. */
  const relatedDocuments = new RelatedDocuments();
  const editorTexts = openTexts(() => documents.all(), (uri) => uriToPath(uri));
  let relatedRefreshTimer: NodeJS.Timeout | undefined;
  const pushTimers = new Map<string, NodeJS.Timeout>();

  const log = (message: string): void => connection.console.log(message);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    support = {
      pullDiagnostics: !!capabilities.textDocument?.diagnostic,
      diagnosticRefresh: !!capabilities.workspace?.diagnostics?.refreshSupport,
      configuration: !!capabilities.workspace?.configuration,
      documentChanges: !!capabilities.workspace?.workspaceEdit?.documentChanges,
      watchedFilesDynamic: !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration,
      configurationDynamic: !!capabilities.workspace?.didChangeConfiguration?.dynamicRegistration,
      workspaceFolders: !!capabilities.workspace?.workspaceFolders,
    };
    workspaceFolders = (params.workspaceFolders ?? []).map((folder) => uriToPath(folder.uri)).filter((p): p is string => p !== null);
    if (workspaceFolders.length === 0 && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) workspaceFolders = [root];
    }
    const options = (params.initializationOptions ?? {}) as { settings?: unknown; trusted?: unknown; hoverBudgetMs?: unknown; storageDir?: unknown; logLints?: unknown };
    logLints = options.logLints === true;
    pushedSettings = options.settings;
    // Only an explicit `false` means untrusted: editors without workspace trust opt in through settings.
    registry.setTrusted(options.trusted !== false);
    registry.setStorageDir(typeof options.storageDir === 'string' ? options.storageDir : undefined);
    if (typeof options.hoverBudgetMs === 'number' && options.hoverBudgetMs >= 0) hoverBudgetMs = Math.min(options.hoverBudgetMs, 10_000);
    return {
      capabilities: {
        // Save notifications let clients without file watchers (Neovim 0.7) refresh the team file.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND, 'source.fixAll'] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['/', ':'] },
        ...(support.pullDiagnostics
          ? { diagnosticProvider: { identifier: SOURCE, interFileDependencies: false, workspaceDiagnostics: false } }
          : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'container-guard-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (support.configurationDynamic) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (support.watchedFilesDynamic) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: TEAM_CONFIG_FILE_NAMES.map((name) => ({ globPattern: `**/${name}` })),
      });
    }
    if (support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        workspaceFolders = workspaceFolders.filter((f) => !removed.has(f));
        workspaceFolders.push(...event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== null));
        clearTeamConfigs();
        revalidateAll();
      });
    }
  });

  // The client grants trust later (VS Code's onDidGrantWorkspaceTrust); trust is never inferred.
  connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: { trusted?: unknown }) => {
    registry.setTrusted(params?.trusted === true);
    revalidateAll();
    void connection.sendNotification(STATUS_CHANGED_NOTIFICATION, {});
  });

  function uriToPath(uri: string): string | null {
    try {
      return uri.startsWith('file:') ? fileURLToPath(uri) : null;
    } catch {
      return null;
    }
  }

  function workspaceFolderOf(filePath: string): string | null {
    let best: string | null = null;
    for (const folder of workspaceFolders) {
      const relative = path.relative(folder, filePath);
      if (!relative.startsWith('..') && !path.isAbsolute(relative) && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }

  /** The nearest team file above the document, not looking above its workspace folder. */
  function teamConfigFor(filePath: string, workspaceFolder: string): LoadedTeamConfig | null {
    const directory = path.dirname(filePath);
    if (!teamConfigOfFolder.has(directory)) teamConfigOfFolder.set(directory, findTeamConfig(directory, workspaceFolder));
    const file = teamConfigOfFolder.get(directory);
    if (!file) return null;
    if (!teamConfigs.has(file)) {
      let loaded: LoadedTeamConfig | null = null;
      staleTeamConfigs.delete(file);
      try {
        loaded = loadTeamConfig(file);
        // Team-file problems are the user's to fix, not the server's failures: warnings, not errors.
        for (const problem of loaded.problems) connection.console.warn(`${file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.message}`);
        const previous = lastGoodTeamConfigs.get(file);
        if (loaded.syntaxError && previous) {
          connection.console.warn(`${file} is not valid YAML: the settings of its last valid version stay in force until it is fixed.`);
          staleTeamConfigs.add(file);
          loaded = { ...previous, problems: loaded.problems };
        } else if (!loaded.syntaxError) {
          lastGoodTeamConfigs.set(file, loaded);
        }
      } catch (error) {
        connection.console.warn(`Cannot read ${file}: ${String(error)}`);
      }
      teamConfigs.set(file, loaded);
    }
    return teamConfigs.get(file) ?? null;
  }

  function readRawSettings(uri: string): Promise<unknown> {
    let raw = rawSettings.get(uri);
    if (!raw) {
      raw = support.configuration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).catch(() => undefined)
        : Promise.resolve((pushedSettings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION] ?? pushedSettings);
      rawSettings.set(uri, raw);
    }
    return raw;
  }

  function readEditorSettings(uri: string): Promise<SettingsLayer> {
    let cached = editorSettings.get(uri);
    if (!cached) {
      cached = readRawSettings(uri).then((value) => {
        const { layer, problems } = settingsFromUnknown(value, RULE_IDS);
        for (const problem of problems) log(`Setting containerGuard.${problem}`);
        return layer;
      });
      editorSettings.set(uri, cached);
    }
    return cached;
  }

  interface DocumentContext {
    kind: FileKind;
    settings: EngineSettings;
    ignored: boolean;
  }

  /**
   * The kind decided by content (YAML the path does not settle, e.g. an Azure template in eng/), per
   * document version: deciding parses the YAML, so it is done once per version and again after a change.
   */
  const contentKinds = new Map<string, { version: number; kind: FileKind | null; includedAs?: string }>();

  /** How many files one search for `local:` includes reads at most (GitLab allows 150 includes). */
  const MAX_INCLUDE_FILES_READ = 50;
  /** The files the root pipeline of a repository includes, by root, with what they were computed from. */
  const includedByRoot = new Map<string, { stamp: string; files: Map<string, IncludedFile> }>();

  /**
   * The sub-kind a file has because the repository's GitLab pipeline (`.gitlab-ci.yml` at its root, and the
   * files that includes) includes it with `local:`: such files are GitLab files whatever their names
   * (DocumentKind.includedFiles). Trusted workspaces only: it reads other files (open editors first). Kept
   * per root while the root file's modification time stays the same; an edit of any open pipeline clears it.
   */
  function includedAsOf(filePath: string): string | undefined {
    const folder = workspaceFolderOf(filePath);
    if (!registry.isTrusted || !folder) return undefined;
    const root = repositoryRoot(filePath, folder);
    const starts = ['.gitlab-ci.yml', '.gitlab-ci.yaml'].map((name) => path.join(root, name));
    const stamp = starts.map((file) => {
      try {
        return String(fs.statSync(file).mtimeMs);
      } catch {
        return '-';
      }
    }).join(' ');
    let cached = includedByRoot.get(root);
    if (!cached || cached.stamp !== stamp) {
      const read = (file: string): string | null => {
        const open = editorTexts.textOf(file);
        if (open !== null) return open;
        try {
          return fs.statSync(file).size <= MAX_WORKSPACE_FILE_BYTES ? fs.readFileSync(file, 'utf8') : null;
        } catch {
          return null;
        }
      };
      cached = { stamp, files: followIncludes(starts.map((file) => ({ file, kind: 'pipeline' as const })), () => root, read, MAX_INCLUDE_FILES_READ) };
      includedByRoot.set(root, cached);
    }
    return cached.files.get(path.resolve(filePath))?.includedAs;
  }

  /**
   * The kind of an open document: a `dockerfile` language id, else by its path, else (YAML) by its
   * content. The client sends every YAML file (VS Code cannot tell a pipeline template from a Kubernetes
   * manifest by its name); those that are no pipeline get null here, hence no lint, diagnostics, hover
   * or code actions. The team file is never a document of a kind (it has its own diagnostics).
   */
  function kindOf(document: TextDocument, filePath: string | null): FileKind | null {
    if (document.languageId === 'dockerfile') return 'dockerfile';
    if (!filePath || isTeamConfigDocument(document)) return null;
    const byPath = fileKindForPath(filePath);
    if (byPath || !mayBeRecognisedByContent(filePath)) return byPath;
    const cached = contentKinds.get(document.uri);
    if (cached && cached.version === document.version) return cached.kind;
    const text = document.getText();
    let kind: FileKind | null = null;
    try {
      // Most YAML that is no pipeline is told apart without a parse (pipelineSniff.ts).
      kind = text.length > CONTENT_SNIFF_LIMIT || !mayBePipelineByContent(text) ? null : fileKindFor(filePath, text);
    } catch (error) {
      log(`Recognising ${document.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
    // Not a pipeline by path or content: a file a GitLab pipeline includes is one all the same.
    const includedAs = kind ? undefined : includedAsOf(filePath);
    if (includedAs) kind = 'pipeline';
    contentKinds.set(document.uri, { version: document.version, kind, ...(includedAs ? { includedAs } : {}) });
    return kind;
  }

  async function contextFor(document: TextDocument): Promise<DocumentContext | null> {
    const filePath = uriToPath(document.uri);
    const kind = kindOf(document, filePath);
    if (!kind) return null;
    const folder = filePath ? workspaceFolderOf(filePath) : null;
    const team = folder && filePath ? teamConfigFor(filePath, folder) : null;
    const settings = mergeSettings(await readEditorSettings(document.uri), team?.layer);
    let ignored = false;
    if (filePath) {
      const base = team?.directory ?? folder;
      if (base) ignored = isIgnored(path.relative(base, filePath), settings);
    }
    return { kind, settings, ignored };
  }

  /** True while `version` is the newest version of the document the client sent. */
  function isCurrent(uri: string, version: number): boolean {
    return documents.get(uri)?.version === version;
  }

  /**
   * Models of the most recently used documents, per version: the lint of a version builds it, and hover,
   * completion and code actions on that version reuse it instead of parsing again. Built over a snapshot
   * of the text (the text-document library updates its objects in place). Only a few are kept: an open
   * document that is not being edited needs its diagnostics (cached apart), not its syntax tree.
   */
  const models = new Map<string, { version: number; kind: FileKind; model: unknown }>();
  const MODELS_KEPT = 4;

  function modelOf(document: TextDocument, kind: 'dockerfile'): DockerfileModel;
  function modelOf(document: TextDocument, kind: 'nuget-config'): NuGetConfigModel;
  function modelOf(document: TextDocument, kind: FileKind, readRelated?: RelatedReader): unknown;
  function modelOf(document: TextDocument, kind: FileKind, readRelated?: RelatedReader): unknown {
    const cached = models.get(document.uri);
    models.delete(document.uri);
    // A lint with a related-file reader builds afresh: the model takes in files the pipeline includes.
    if (cached && cached.version === document.version && cached.kind === kind && !readRelated) {
      models.set(document.uri, cached);
      return cached.model;
    }
    const model = documentKind(kind).buildModel(createDocument(document.getText()), uriToPath(document.uri) ?? undefined, readRelated, contentKinds.get(document.uri)?.includedAs);
    models.set(document.uri, { version: document.version, kind, model });
    if (models.size > MODELS_KEPT) models.delete(models.keys().next().value!);
    return model;
  }

  /**
   * The lint result of the document's current version: from the cache when that version was linted
   * with the same settings, else linted now. STALE when a newer version arrived while waiting for the
   * grammars or the settings: that version's own request or push lints it, this one lints nothing.
   */
  async function lint(document: TextDocument): Promise<LintResult | null | typeof STALE> {
    const { uri, version } = document;
    await grammarsReady();
    const context = await contextFor(document);
    if (!isCurrent(uri, version)) return STALE;
    if (!context || context.ignored) return null;
    const settingsKey = JSON.stringify(context.settings);
    const cached = lintCache.get(uri);
    if (cached && cached.version === version && cached.settingsKey === settingsKey) return cached.result;
    // The current object: an edit the text-document library miscounts replaces it (textDocuments.ts).
    const current = documents.get(uri)!;
    let result: LintResult | null;
    try {
      if (logLints) log(`Linting ${uri} version ${version}`);
      // Kinds that read other files (pipelines: the Dockerfiles their jobs build, pipeline-cross-file-ltsc, and
      // the files they include) get a reader: from the workspace folder, only when trusted; what they read is recorded (relintDependents).
      const related = documentKind(context.kind).readsRelatedFiles ? relatedDocuments.readerFor(uri, uriToPath(uri), workspaceFolders, registry.isTrusted, editorTexts, true) : undefined;
      result = lintModel(documentKind(context.kind), modelOf(current, context.kind, related), context.settings, related ? { readRelated: related } : {});
      for (const { ruleId, error } of result.ruleErrors) log(`Rule ${ruleId} failed on ${document.uri}: ${error}`);
    } catch (error) {
      // A document the engine cannot handle yields no diagnostics, never a dead server.
      log(`Linting ${document.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      result = null;
    }
    lintCache.set(uri, { version, settingsKey, result });
    return result;
  }

  /** The document's diagnostics, or STALE when a newer version arrived meanwhile (see lint()). */
  async function diagnosticsFor(document: TextDocument): Promise<Diagnostic[] | typeof STALE> {
    if (isTeamConfigDocument(document)) return teamConfigDiagnostics(document);
    const result = await lint(document);
    if (result === STALE) return STALE;
    if (!result) return [];
    return [...result.findings.map(toDiagnostic), ...await signatureDiagnostics(document)];
  }

  /** The registry view of a document: its settings for lookups, where relative paths start, the host version. */
  async function lookupContextFor(document: TextDocument, settings: EngineSettings): Promise<LookupContext> {
    const filePath = uriToPath(document.uri);
    const folder = filePath ? workspaceFolderOf(filePath) : null;
    return {
      settings: registrySettingsFrom(await readRawSettings(document.uri)),
      baseDir: folder ?? (filePath ? path.dirname(filePath) : undefined),
      hostOsVersion: hostOsVersionFor(settings.windowsHost ? RELEASES.get(settings.windowsHost)?.build : undefined),
    };
  }

  /** Literal FROM images (no ARGs) with a reference, for lookups, diagnostics and pinning. */
  function fromImages(document: TextDocument, model: DockerfileModel = modelOf(document, 'dockerfile')): Array<{ reference: string; range: Range; written: string; tag: string | null; digest: string | null; literal: boolean; notPinnable?: string }> {
    const images = [];
    for (const stage of model.stages) {
      const image = stage.baseImage;
      if (!image?.reference || stage.parentStage || stage.isScratch) continue;
      images.push({ reference: image.reference.text, range: image.range, written: image.written, tag: image.reference.tag, digest: image.reference.digest, literal: !image.usesVariables });
    }
    return images;
  }

  /** Opt-in (`registry.signatureDiagnostics`): unsigned/invalid/untrusted images, once their lookup finished. */
  async function signatureDiagnostics(document: TextDocument): Promise<Diagnostic[]> {
    const context = await contextFor(document);
    if (context?.kind !== 'dockerfile') return [];
    const lookup = await lookupContextFor(document, context.settings);
    if (!lookup.settings.signatureDiagnostics || !lookup.settings.lookups || !registry.isTrusted) return [];
    signatureDiagnosticsWanted = true;
    const diagnostics: Diagnostic[] = [];
    for (const image of fromImages(document)) {
      // Starts the lookup when needed without waiting; its completion refreshes diagnostics.
      const state = await registry.lookup(image.reference, lookup, 0);
      if (state.state !== 'done') continue;
      const diagnostic = signatureDiagnostic(image.range, image.reference, state.status);
      if (diagnostic) diagnostics.push(diagnostic);
    }
    return diagnostics;
  }

  function isTeamConfigDocument(document: TextDocument): boolean {
    const filePath = uriToPath(document.uri);
    return !!filePath && (TEAM_CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(filePath));
  }

  function teamConfigDiagnostics(document: TextDocument): Diagnostic[] {
    const parsed = parseTeamConfig(document.getText(), [...RULE_IDS]);
    const filePath = uriToPath(document.uri);
    // Said in place: which settings apply while the file cannot be read.
    const keeps = parsed.syntaxError
      ? (filePath && lastGoodTeamConfigs.has(filePath) ? ' The settings of the last valid version stay in force until this is fixed.' : ' No team settings apply until this is fixed.')
      : '';
    return parsed.problems.map((problem, index) => ({
      range: problem.range, severity: 1, source: SOURCE, message: `${problem.message}${index === 0 ? keeps : ''}`,
    }));
  }

  // Pull diagnostics: the client decides when to ask and cancels outdated requests.
  connection.languages.diagnostics.on(async (params, token) => {
    checkDocumentParams(params);
    const document = documents.get(params.textDocument.uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    // A cancelled pull must not look like "no problems": ask the client to pull again.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
    let items: Diagnostic[] | typeof STALE;
    try {
      items = await diagnosticsFor(document);
    } catch (error) {
      log(`Diagnostics for ${document.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
    // A newer version arrived while this pull waited: its diagnostics would be for text the client no
    // longer has, so the client is asked to pull again (for the new version) instead.
    if (items === STALE || token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });

  // Push diagnostics for clients that cannot pull (e.g. Neovim 0.7).
  function schedulePush(document: TextDocument): void {
    if (support.pullDiagnostics) return;
    clearTimeout(pushTimers.get(document.uri));
    pushTimers.set(document.uri, setTimeout(() => {
      pushTimers.delete(document.uri);
      // The document as it is now (an edit may have replaced the object this timer was set for).
      const current = documents.get(document.uri);
      if (!current) return;
      const version = current.version;
      diagnosticsFor(current).then((diagnostics) => {
        // A newer version has its own timer: diagnostics of an older one are never published.
        if (diagnostics !== STALE && isCurrent(current.uri, version)) void connection.sendDiagnostics({ uri: current.uri, version, diagnostics });
      }).catch((error: unknown) => log(`Diagnostics for ${document.uri} failed: ${error instanceof Error ? error.stack : String(error)}`));
    }, PUSH_DELAY_MS));
  }

  documents.onDidOpen((event) => schedulePush(event.document));
  documents.onDidSave((event) => {
    if (!isTeamConfigDocument(event.document)) return;
    clearTeamConfigs();
    revalidateAll();
  });
  documents.onDidChangeContent((event) => {
    schedulePush(event.document);
    relintDependents(event.document.uri);
    // A pipeline's `local:` includes decide which other YAML files are GitLab files (includedAsOf): those
    // decisions are made again at their next lint.
    const changedPath = uriToPath(event.document.uri);
    if (changedPath && fileKindForPath(changedPath) === 'pipeline') {
      includedByRoot.clear();
      for (const [uri, decided] of contentKinds) if (decided.kind === null || decided.includedAs) contentKinds.delete(uri);
    }
  });
  documents.onDidClose((event) => {
    relatedDocuments.forget(event.document.uri);
    // Closed, the file is read from disk again by the pipelines that read it.
    setImmediate(() => relintDependents(event.document.uri));
    clearTimeout(pushTimers.get(event.document.uri));
    pushTimers.delete(event.document.uri);
    lintCache.delete(event.document.uri);
    models.delete(event.document.uri);
    contentKinds.delete(event.document.uri);
    editorSettings.delete(event.document.uri);
    rawSettings.delete(event.document.uri);
    if (!support.pullDiagnostics) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  /**
   * Open pipelines whose last lint read this document (a Dockerfile a job builds, an included file) are
   * linted again: pushed, or for pull clients a (debounced) workspace/diagnostic/refresh.
   */
  function relintDependents(uri: string): void {
    const dependents = relatedDocuments.dependentsOf(uri, uriToPath(uri)).filter((dependent) => documents.get(dependent));
    if (dependents.length === 0) return;
    for (const dependent of dependents) {
      lintCache.delete(dependent);
      models.delete(dependent);
    }
    if (!support.pullDiagnostics) {
      dependents.forEach((dependent) => schedulePush(documents.get(dependent)!));
    } else if (support.diagnosticRefresh) {
      clearTimeout(relatedRefreshTimer);
      relatedRefreshTimer = setTimeout(() => void connection.languages.diagnostics.refresh(), PUSH_DELAY_MS);
    }
  }

  function clearTeamConfigs(): void {
    teamConfigs.clear();
    teamConfigOfFolder.clear();
    void connection.sendNotification(STATUS_CHANGED_NOTIFICATION, {});
  }

  function revalidateAll(): void {
    lintCache.clear();
    if (support.pullDiagnostics) {
      if (support.diagnosticRefresh) void connection.languages.diagnostics.refresh();
    } else {
      documents.all().forEach(schedulePush);
    }
  }

  connection.onDidChangeConfiguration((change) => {
    if (!support.configuration) pushedSettings = change.settings;
    editorSettings.clear();
    rawSettings.clear();
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((change) => {
    const touched = change.changes.some((c) => (TEAM_CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(uriToPath(c.uri) ?? '')));
    if (touched) {
      clearTeamConfigs();
      revalidateAll();
    }
  });

  connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
    checkCodeActionParams(params);
    await grammarsReady();
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const only = params.context.only;
    const wantsFixAll = !only || only.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind !== '');
    const wantsQuickFix = !only || only.some((kind) => kind === 'quickfix' || kind === '');
    const actions: CodeAction[] = [];
    if (wantsQuickFix) actions.push(...await pinToDigestActions(document, params.range));
    const result = await lint(document);
    if (!result || result === STALE) return actions;
    if (wantsQuickFix) actions.push(...await pipelinePinActions(document, result, params));

    if (wantsQuickFix) {
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== SOURCE) continue;
        const finding = result.findings.find((f) => f.ruleId === diagnostic.code
          && f.range.start.line === diagnostic.range.start.line && f.range.start.character === diagnostic.range.start.character
          && f.range.end.line === diagnostic.range.end.line && f.range.end.character === diagnostic.range.end.character);
        for (const fix of finding?.fixes ?? []) {
          actions.push(quickFix(fix, diagnostic, workspaceEdit(document.uri, document.version, fix.edits, support.documentChanges)));
        }
      }
    }
    if (wantsFixAll) {
      const context = await contextFor(document);
      if (context && fixAllEdits(result.findings).length > 0) {
        // Several passes may be needed (fixes that overlap are deferred); send one edit for the total.
        const includedAs = contentKinds.get(document.uri)?.includedAs;
        const fixed = fixAllToFixpoint(document.getText(), context.kind, context.settings, { path: uriToPath(document.uri) ?? undefined, ...(includedAs ? { includedAs } : {}) });
        const edit = minimalEdit(document.getText(), fixed.text);
        if (edit) {
          const action = CodeAction.create('Fix all auto-fixable Container Guard problems', workspaceEdit(document.uri, document.version, [edit], support.documentChanges), FIX_ALL_KIND);
          actions.push(action);
        }
      }
    }
    return actions;
  });

  /** "Pin to digest" for tag-only FROM images whose digest a lookup has found (never part of fix-all). */
  async function pinToDigestActions(document: TextDocument, range: Range): Promise<CodeAction[]> {
    const context = await contextFor(document);
    if (context?.kind !== 'dockerfile') return [];
    const lookup = await lookupContextFor(document, context.settings);
    const actions: CodeAction[] = [];
    for (const image of fromImages(document)) {
      if (!image.literal || image.digest || image.range.start.line > range.end.line || image.range.end.line < range.start.line) continue;
      const state = registry.peek(image.reference, lookup);
      const digest = state.state === 'done' ? state.status.digest : undefined;
      if (!digest) continue;
      const action = CodeAction.create(`${PIN_DIGEST_TITLE} ${digest.slice(0, 19)}…`, workspaceEdit(document.uri, document.version, [pinEdit(image, digest)], support.documentChanges), 'quickfix');
      actions.push(action);
    }
    return actions;
  }

  /** Pin to digest / Pin to commit for a pipeline's pinning findings; nothing (and no I/O) unless lookups may run. */
  async function pipelinePinActions(document: TextDocument, result: LintResult, params: CodeActionParams): Promise<CodeAction[]> {
    const context = await contextFor(document);
    if (context?.kind !== 'pipeline') return [];
    const lookup = await lookupContextFor(document, context.settings);
    if (pinRefusal(lookup, registry.isTrusted)) return [];
    return pipelinePins.codeActions({
      uri: document.uri, version: document.version, model: modelOf(document, 'pipeline') as PipelineDocument, findings: result.findings, range: params.range,
      diagnostics: params.context.diagnostics, lookup, gitHubUrl: gitHubUrlFrom(await readRawSettings(document.uri), log), budgetMs: hoverBudgetMs, documentChanges: support.documentChanges,
    });
  }

  /** The edit of "Pin to digest": the tag stays for readers; the digest is what is pulled. */
  function pinEdit(image: { range: Range; written: string; tag: string | null }, digest: string): { range: Range; newText: string } {
    return { range: image.range, newText: `${image.tag ? image.written : `${image.written}:latest`}@${digest}` };
  }

  // ---------------------------------------------------------------------------------------------
  // Workspace commands of the editor (editorProtocol.ts): files the client found, open or not.
  // ---------------------------------------------------------------------------------------------

  interface WorkspaceFile {
    uri: string;
    /** The open document, or one made from the file on disk (version null: not open). */
    document: TextDocument;
    version: number | null;
    kind: FileKind;
    settings: EngineSettings;
    /** A sub-kind from another file (a GitLab pipeline's `local:` include): see includedAsOf. */
    includedAs?: string;
  }

  /** An open document as it is in the editor, else the file on disk; null (with why) when it is not linted. */
  async function workspaceFile(uri: string): Promise<WorkspaceFile | { skipped: string }> {
    const open = documents.get(uri);
    if (open) {
      const context = await contextFor(open);
      if (!context) return { skipped: 'not a Dockerfile, nuget.config or pipeline' };
      if (context.ignored) return { skipped: 'ignored by the ignore setting' };
      const includedAs = contentKinds.get(uri)?.includedAs;
      return { uri, document: open, version: open.version, kind: context.kind, settings: context.settings, ...(includedAs ? { includedAs } : {}) };
    }
    const filePath = uriToPath(uri);
    if (!filePath || (TEAM_CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(filePath))) return { skipped: 'not a file that is linted' };
    let text: string;
    try {
      const stat = fs.statSync(filePath);
      if (!stat.isFile()) return { skipped: 'not a regular file' };
      if (stat.size > MAX_WORKSPACE_FILE_BYTES) return { skipped: `larger than ${MAX_WORKSPACE_FILE_BYTES / 1024 / 1024} MB` };
      text = fs.readFileSync(filePath, 'utf8');
    } catch (error) {
      return { skipped: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    if (text.includes('\u0000')) return { skipped: 'binary content' };
    let kind: FileKind | null = fileKindForPath(filePath);
    if (!kind && mayBeRecognisedByContent(filePath) && text.length <= CONTENT_SNIFF_LIMIT && mayBePipelineByContent(text)) {
      try {
        kind = fileKindFor(filePath, text);
      } catch {
        kind = null;
      }
    }
    const includedAs = !kind && mayBeRecognisedByContent(filePath) ? includedAsOf(filePath) : undefined;
    if (includedAs) kind = 'pipeline';
    if (!kind) return { skipped: 'not a Dockerfile, nuget.config or pipeline' };
    const folder = workspaceFolderOf(filePath);
    const team = folder ? teamConfigFor(filePath, folder) : null;
    const settings = mergeSettings(await readEditorSettings(uri), team?.layer);
    const base = team?.directory ?? folder;
    if (base && isIgnored(path.relative(base, filePath), settings)) return { skipped: 'ignored by the ignore setting' };
    return { uri, document: FileDocument.create(uri, kind === 'dockerfile' ? 'dockerfile' : 'plaintext', 0, text), version: null, kind, settings, ...(includedAs ? { includedAs } : {}) };
  }

  function lintWorkspaceFile(file: WorkspaceFile): LintResult | null {
    try {
      // Pipelines read the files they build and include, as the editor's diagnostics do.
      const related = documentKind(file.kind).readsRelatedFiles ? relatedDocuments.readerFor(file.uri, uriToPath(file.uri), workspaceFolders, registry.isTrusted, editorTexts, false) : undefined;
      const model = file.version !== null ? modelOf(file.document, file.kind, related) : documentKind(file.kind).buildModel(createDocument(file.document.getText()), uriToPath(file.uri) ?? undefined, related, file.includedAs);
      return lintModel(documentKind(file.kind), model, file.settings, related ? { readRelated: related } : {});
    } catch (error) {
      log(`Linting ${file.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return null;
    }
  }

  /** Runs `body` over the files one at a time, yielding between files so typing stays answered. */
  async function forEachFile(uris: readonly string[], token: { isCancellationRequested: boolean }, body: (file: WorkspaceFile) => Promise<void> | void, skipped: (uri: string, reason: string) => void): Promise<void> {
    await grammarsReady();
    for (const uri of uris) {
      if (token.isCancellationRequested) return;
      const file = await workspaceFile(uri);
      if ('skipped' in file) skipped(uri, file.skipped);
      else await body(file);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  function uriList(params: FilesParams | null | undefined): string[] {
    return Array.isArray(params?.uris) ? params.uris.filter((uri): uri is string => typeof uri === 'string') : [];
  }

  connection.onRequest(LINT_FILES_REQUEST, async (params: FilesParams, token): Promise<LintFilesResult> => {
    const result: LintFilesResult = { files: [], skipped: [] };
    await forEachFile(uriList(params), token, (file) => {
      const lintResult = lintWorkspaceFile(file);
      if (!lintResult) return;
      result.files.push({ uri: file.uri, kind: file.kind, diagnostics: lintResult.findings.map(toDiagnostic), fixable: fixAllEdits(lintResult.findings).length });
    }, (uri, reason) => result.skipped.push({ uri, reason }));
    return result;
  });

  connection.onRequest(FIX_ALL_FILES_REQUEST, async (params: FilesParams, token): Promise<FixAllFilesResult> => {
    const changes: TextDocumentEdit[] = [];
    await forEachFile(uriList(params), token, (file) => {
      const lintResult = lintWorkspaceFile(file);
      if (!lintResult || fixAllEdits(lintResult.findings).length === 0) return;
      const text = file.document.getText();
      // The same fix-all as on save: only fixes marked safe for fix-all, to a fixpoint, as one minimal edit.
      const fixed = fixAllToFixpoint(text, file.kind, file.settings, { path: uriToPath(file.uri) ?? undefined, ...(file.includedAs ? { includedAs: file.includedAs } : {}) });
      const edit = minimalEdit(text, fixed.text);
      if (edit) changes.push(TextDocumentEdit.create({ uri: file.uri, version: file.version }, [edit]));
    }, () => undefined);
    return { edit: { documentChanges: changes }, files: changes.length };
  });

  /** Why registry commands do nothing for this file, or null when they may look up. */
  function registryRefusal(lookup: LookupContext): string | null {
    if (!registry.isTrusted) return 'The workspace is not trusted: no registry is contacted.';
    if (!lookup.settings.lookups) return 'Registry lookups are off (containerGuard.registry.lookups).';
    return null;
  }

  /** Looks up every literal FROM image of the Dockerfiles, waiting for each (the registry timeout bounds it). */
  async function lookUpImages(params: FilesParams, token: { isCancellationRequested: boolean }): Promise<{ refused?: string; images: Array<{ file: WorkspaceFile; image: ReturnType<typeof fromImages>[number]; state: LookupState }> }> {
    const images: Array<{ file: WorkspaceFile; image: ReturnType<typeof fromImages>[number]; state: LookupState }> = [];
    let refused: string | undefined;
    const cancelled = new Promise<void>((resolve) => { const timer = setInterval(() => { if (token.isCancellationRequested) { clearInterval(timer); resolve(); } }, 200); timer.unref(); });
    await forEachFile(uriList(params), token, async (file) => {
      if ((file.kind !== 'dockerfile' && file.kind !== 'pipeline') || refused) return;
      const lookup = await lookupContextFor(file.document, file.settings);
      const refusal = registryRefusal(lookup);
      if (refusal) {
        refused = refusal;
        return;
      }
      const model = file.version !== null ? modelOf(file.document, file.kind) : documentKind(file.kind).buildModel(createDocument(file.document.getText()), uriToPath(file.uri) ?? undefined);
      // Pipeline images (pipelinePinning.ts) are pinned from live answers only: offline, they are listed as not pinned.
      const offline = file.kind === 'pipeline' ? pinRefusal(lookup, registry.isTrusted) : null;
      const fileImages = file.kind === 'pipeline' ? pipelineImages(model as PipelineDocument, lintWorkspaceFile(file)?.findings ?? []).map((image) => (offline ? { ...image, notPinnable: offline } : image)) : fromImages(file.document, model as DockerfileModel);
      for (const image of fileImages) {
        if (token.isCancellationRequested) return;
        const state = image.literal ? await registry.lookup(image.reference, lookup, (lookup.settings.timeoutMs ?? 15_000) * 3, cancelled) : { state: 'checking' as const };
        images.push({ file, image, state });
      }
    }, () => undefined);
    return { ...(refused ? { refused } : {}), images };
  }

  connection.onRequest(PIN_DIGESTS_REQUEST, async (params: FilesParams, token): Promise<PinDigestsResult> => {
    const { refused, images } = await lookUpImages(params, token);
    const edits = new Map<string, { version: number | null; edits: Array<{ range: Range; newText: string }> }>();
    const notPinned: PinDigestsResult['notPinned'] = [];
    for (const { file, image, state } of images) {
      if (image.digest) continue;
      const digest = state.state === 'done' ? state.status.digest : undefined;
      if (!image.literal || !digest || image.notPinnable) {
        const reason = image.notPinnable ?? (!image.literal ? 'the image is built from ARG values' : state.state === 'done' ? state.status.error?.message ?? state.status.summary : 'the lookup did not finish');
        notPinned.push({ uri: file.uri, range: image.range, reference: image.reference, reason });
        continue;
      }
      let entry = edits.get(file.uri);
      if (!entry) edits.set(file.uri, entry = { version: file.version, edits: [] });
      entry.edits.push(pinEdit(image, digest));
    }
    const documentChanges = [...edits].map(([uri, entry]) => TextDocumentEdit.create({ uri, version: entry.version }, entry.edits));
    return { edit: { documentChanges }, pinned: documentChanges.reduce((sum, change) => sum + change.edits.length, 0), notPinned, ...(refused ? { refused } : {}) };
  });

  connection.onRequest(VERIFY_IMAGES_REQUEST, async (params: FilesParams, token): Promise<VerifyImagesResult> => {
    const { refused, images } = await lookUpImages(params, token);
    return {
      ...(refused ? { refused } : {}),
      images: images.map(({ file, image, state }) => ({
        uri: file.uri,
        range: image.range,
        reference: image.reference,
        verdict: state.state === 'done' ? state.status.verdict : image.literal ? 'not checked' : 'not checked (ARG)',
        summary: state.state === 'done' ? state.status.summary : image.literal ? 'The lookup did not finish in time.' : 'The image name comes from ARG values; it is not looked up.',
        ...(state.state === 'done' && state.status.digest ? { digest: state.status.digest } : {}),
      })),
    };
  });

  connection.onRequest(STATUS_REQUEST, async (params: StatusParams): Promise<StatusResult> => {
    const uri = typeof params?.uri === 'string' ? params.uri : '';
    const filePath = uriToPath(uri);
    const document = documents.get(uri);
    const isFolder = !document && !!filePath && fs.statSync(filePath, { throwIfNoEntry: false })?.isDirectory() === true;
    // A folder's team file is the one a file directly in it would use.
    const probe = filePath ? (isFolder ? path.join(filePath, '.probe') : filePath) : null;
    const folder = probe ? workspaceFolderOf(probe) : null;
    const team = probe && folder ? teamConfigFor(probe, folder) : null;
    const context = document ? await contextFor(document) : null;
    const settings = context?.settings ?? mergeSettings(await readEditorSettings(uri), team?.layer);
    const registrySettings = registrySettingsFrom(await readRawSettings(uri));
    return {
      version: '0.1.0',
      kind: context?.kind ?? null,
      ruleSet: settings.ruleSet,
      teamFile: team?.path ?? null,
      teamFileProblems: team?.problems.length ?? 0,
      teamFileStale: !!team && staleTeamConfigs.has(team.path),
      ignored: context?.ignored ?? false,
      trusted: registry.isTrusted,
      lookups: registrySettings.lookups,
      offline: registrySettings.offline,
    };
  });

  connection.onHover(async (params, token): Promise<Hover | null> => {
    checkPositionParams(params);
    await grammarsReady();
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const context = await contextFor(document);
    const features = context ? documentKind(context.kind).features : undefined;
    if (!context || !features?.hover) return null;
    try {
      const model = modelOf(document, context.kind);
      // The registry check's state goes on the hover's Signing line; its details (digest, platform,
      // signatures) follow once a lookup is done.
      const reference = features.imageAt?.(model, params.position);
      let state: LookupState | null = null;
      if (reference) {
        const cancelled = new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
        state = await registry.lookup(reference, await lookupContextFor(document, context.settings), hoverBudgetMs, cancelled);
        if (token.isCancellationRequested) return null;
      }
      const hover = features.hover(model, params.position, context.settings, new Date(), state ? signatureStatusLine(state) : undefined);
      if (!hover) return null;
      let markdown = hover.markdown;
      if (state?.state === 'done') markdown += `\n\n${registryHoverMarkdown(state, { verdictShown: true })}`;
      return { range: hover.range, contents: { kind: MarkupKind.Markdown, value: markdown } };
    } catch (error) {
      log(`Hover failed on ${document.uri}: ${error instanceof Error ? error.stack : String(error)}`);
      return null;
    }
  });

  connection.onCompletion(async (params): Promise<CompletionItem[]> => {
    checkPositionParams(params);
    await grammarsReady();
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const context = await contextFor(document);
    const features = context ? documentKind(context.kind).features : undefined;
    if (!context || !features?.completion) return [];
    try {
      return features.completion(modelOf(document, context.kind), params.position, context.settings, new Date()).map(toCompletionItem);
    } catch (error) {
      log(`Completion failed on ${document.uri}: ${error instanceof Error ? error.stack : String(error)}`);
      return [];
    }
  });

  documents.listen(connection);
  connection.listen();
}

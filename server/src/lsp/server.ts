/**
 * The language server: documents in, diagnostics, code actions, hover, definitions and completions out.
 * It owns what the engine must not: document versions, the debounce, settings, the file system and the
 * client's capabilities, parameter files and live lookups. Each analysis is cached per document version
 * (and settings, parameter values, live facts) and reused by every request on that version; a result is
 * published only while its version is still the document's. Nothing that goes wrong in one document's
 * analysis stops the server: it becomes one diagnostic there.
 */
import type {
  ClientCapabilities, CodeAction, CodeActionParams, CompletionParams, Connection, Diagnostic, HoverParams,
  InitializeParams, InitializeResult, TextDocumentPositionParams,
} from 'vscode-languageserver';
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType,
  ShowDocumentRequest, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze as coreAnalyze } from '../core/analyze';
import { ruleDocUrl, TOOL_NAME, TOOL_VERSION } from '../product';
import type { Workspace } from '../core/model/workspace';
import type { Dialect } from '../core/types';
import { withFindingFields } from '../core/types';
import type { EditorLiveFacts, LiveView } from '../live/editor';
import { discoverStackName } from '../live/stack-name';
import type { ParameterValues } from '../params';
import { DEFAULT_SAM_ENVIRONMENT, SAMCONFIG_NAMES } from '../params';
import type { AnalysisEntry, AnalysisHost, AnalysisInputs } from './analysis';
import { runAnalysis, uriToPath } from './analysis';
import type { ActionEnv } from './code-actions';
import { codeActions, isLazyActionData, resolveCodeAction } from './code-actions';
import { coverageStatus } from './coverage-actions';
import { IncrementalAnalyzer, builtModel } from '../core/incremental';
import { completions, emptyFileCompletions } from './completion';
import { networkViewOf } from './network-view';
import { definition } from './definition';
import { countsOf, diagnosticsOf } from './diagnostics';
import type { NamedText } from './environments';
import { collectEnvironments } from './environments';
import { hover } from './hover';
import type { Locate } from './diagnostics';
import { findingDiagnostic } from './diagnostics';
import { dependsOn, EditorWorkspace, excludeTest, workspaceCompletions, workspaceDefinition, workspaceHover } from './workspace';
import { LiveHost } from './live-host';
import { DocumentParameters, resolveParameterPath } from './parameters';
import type {
  AnalysisState, DeployedStacksParams, DeployedStacksResult, EnvironmentsParams, EnvironmentsResult, InitializationOptions, NetworkViewParams, NetworkViewResult, ServerStateParams, ServerStateResult, StatusParams, TrustParams,
} from './protocol';
import {
  DEPLOYED_STACKS_REQUEST, ENVIRONMENTS_REQUEST, FIX_ALL_KIND, LIVE_ENABLE_COMMAND, LIVE_REFRESH_COMMAND, NETWORK_VIEW_REQUEST, SERVER_STATE_REQUEST, SETTINGS_SECTION, SHOW_DOCS_COMMAND, STATUS_NOTIFICATION,
  TRUST_NOTIFICATION,
} from './protocol';
import type { Settings } from './settings';
import { analysisKey, DEFAULT_SETTINGS, normalizeSettings, stageOf } from './settings';

/** How long a document's edits must pause before the workspace index reads its text again. */
const WORKSPACE_SETTLE_MS = 300;

export interface ServerOptions {
  /** The engine; replaced in tests to check that a failing analysis is contained. */
  analyze?: typeof coreAnalyze;
}

interface Capabilities {
  configuration: boolean;
  watchedFilesDynamic: boolean;
  configurationDynamic: boolean;
  snippetEdits: boolean;
  documentChanges: boolean;
  showDocument: boolean;
  markdownHover: boolean;
  /** Workspace edits may create files. */
  createFiles: boolean;
  /** Code actions may come without `edit`, filled in by `codeAction/resolve`. */
  resolveEdits: boolean;
}

function capabilitiesOf(c: ClientCapabilities): Capabilities {
  return {
    configuration: !!c.workspace?.configuration,
    watchedFilesDynamic: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    configurationDynamic: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    snippetEdits: !!c.workspace?.workspaceEdit?.snippetEditSupport,
    documentChanges: !!c.workspace?.workspaceEdit?.documentChanges,
    showDocument: !!c.window?.showDocument?.support,
    markdownHover: c.textDocument?.hover?.contentFormat?.includes('markdown') ?? true,
    createFiles: !!c.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    resolveEdits: !!c.textDocument?.codeAction?.dataSupport && !!c.textDocument.codeAction.resolveSupport?.properties.includes('edit'),
  };
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const analyzeImpl = options.analyze ?? coreAnalyze;
  const documents = new TextDocuments(TextDocument);
  let caps: Capabilities = capabilitiesOf({});
  let folders: string[] = [];
  let clientCommands = new Set<string>();
  /** Settings pushed by `workspace/didChangeConfiguration`, for clients that cannot be asked. */
  let pushedSettings: Settings = DEFAULT_SETTINGS;
  const settingsCache = new Map<string, Promise<Settings>>();
  const lastSettings = new Map<string, Settings>();
  const cache = new Map<string, AnalysisEntry>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Documents we have published diagnostics for (so they can be cleared). */
  const published = new Set<string>();
  /** Documents last seen as templates: their parse problems keep being shown while they are broken. */
  const templates = new Set<string>();
  /** Absolute path of a `${file()}` dependency -> documents that read it. */
  const dependents = new Map<string, Set<string>>();
  /** Notices about parameter files already written to the log. */
  const loggedNotices = new Set<string>();
  /** The dialect each document last had: it decides which parameter files apply. */
  const dialects = new Map<string, Dialect>();
  /** The region of each document's last model: the live region when nothing else names one (Serverless). */
  const modelRegions = new Map<string, string>();
  const lastState = new Map<string, AnalysisState>();
  const justOpened = new Set<string>();
  let workspaceFoldersChange = false;
  /** The templates of the workspace folders, for values that cross templates. */
  const workspace = new EditorWorkspace();
  const workspaceTimers = new Map<string, NodeJS.Timeout>();
  /** Diagnostics a document's analysis placed in another template: target uri -> source uri -> diagnostics. */
  const foreign = new Map<string, Map<string, Diagnostic[]>>();
  /** The last diagnostics of each document's own analysis. */
  const ownDiagnostics = new Map<string, Diagnostic[]>();
  /** Incremented on every configuration change. */
  let settingsGeneration = 0;

  const log = (message: string) => connection.console.log(message);
  const logError = (message: string) => connection.console.error(message);

  const openByPath = () => {
    const out = new Map<string, TextDocument>();
    for (const doc of documents.all()) {
      const path = uriToPath(doc.uri);
      if (path) out.set(path, doc);
    }
    return out;
  };
  /** Each open document's analyses, computed from its last one where they can be (the engine's own only). */
  const incremental = new Map<string, IncrementalAnalyzer>();
  const host: AnalysisHost = {
    analyze: options.analyze ?? ((text, analyzeOptions, uri, key) => {
      if (!uri) return coreAnalyze(text, analyzeOptions);
      let analyzer = incremental.get(uri);
      if (!analyzer) incremental.set(uri, (analyzer = new IncrementalAnalyzer()));
      return analyzer.analyze(text, analyzeOptions, key);
    }),
    openText: (path) => openByPath().get(path)?.getText(),
  };
  const parameters = new DocumentParameters((path) => {
    const doc = openByPath().get(path);
    return doc ? { text: doc.getText(), version: doc.version } : undefined;
  });
  // New live facts: analyse the templates again (their cache keys hold the facts' version).
  const live = new LiveHost(() => refreshTemplates(), log);

  // ---- settings ----

  function settingsFor(uri: string): Promise<Settings> {
    if (!caps.configuration) return Promise.resolve(pushedSettings);
    let pending = settingsCache.get(uri);
    if (!pending) {
      const generation = settingsGeneration;
      pending = connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((raw: unknown) => normalizeSettings(raw))
        .catch((err: unknown) => {
          logError(`Could not read the settings for ${uri}: ${String(err)}`);
          return pushedSettings;
        })
        .then((s) => {
          // An answer that arrives after a configuration change is for this request only.
          if (generation === settingsGeneration) lastSettings.set(uri, s);
          return s;
        });
      settingsCache.set(uri, pending);
    }
    return pending;
  }

  /** The settings, once what live lookups need before an analysis (the SDK's default region) is known. */
  async function readySettings(uri: string): Promise<Settings> {
    const settings = await settingsFor(uri);
    if (live.active(settings) && !settings.region) await live.resolveRegion(settings.profile);
    return settings;
  }

  function folderOf(path: string | undefined): string | undefined {
    if (!path) return folders[0];
    const matching = folders.filter((f) => path === f || path.startsWith(f.endsWith('/') || f.endsWith('\\') ? f : `${f}/`) || path.startsWith(`${f}\\`));
    return matching.sort((a, b) => b.length - a.length)[0] ?? folders[0];
  }

  // ---- analysis ----

  /** The parameter values of a document: `lambdaVpcLint.parameterFile`, else a samconfig beside the template. */
  function parameterValuesFor(uri: string, settings: Settings, dialect: Dialect | undefined): ParameterValues | undefined {
    const docPath = uriToPath(uri);
    const folder = folderOf(docPath) ?? (docPath ? dirname(docPath) : undefined);
    const explicit = settings.parameterFile ? resolveParameterPath(settings.parameterFile, folder) : undefined;
    if (settings.parameterFile && !explicit) return undefined;
    // An untitled document has no folder of its own to find a samconfig in; a named file still applies.
    const templatePath = docPath ?? (explicit && folder ? join(folder, 'untitled') : undefined);
    if (!templatePath) return undefined;
    return parameters.get(uri, {
      templatePath,
      dialect,
      paramsFiles: explicit ? [explicit] : [],
      environment: settings.environment,
      stage: stageOf(settings),
    });
  }

  interface Prepared {
    inputs: AnalysisInputs;
    key: string;
    /** With live lookups on: the facts and the account view they are for. */
    live?: { facts: EditorLiveFacts; view: LiveView };
    /** The live region is the last model's own (no setting, samconfig or SDK region). */
    regionFromModel: boolean;
  }

  /** What a document is analysed with besides its text and settings, and the cache key of all of it. */
  function prepare(uri: string, settings: Settings, dialect: Dialect | undefined): Prepared {
    const inputs: AnalysisInputs = {};
    const stage = stageOf(settings);
    if (stage) inputs.stage = stage;
    const values = parameterValuesFor(uri, settings, dialect);
    if (values && Object.keys(values.params).length) inputs.params = values.params;
    if (values?.notices.length) {
      inputs.parameterNotices = values.notices;
      for (const notice of values.notices) {
        if (loggedNotices.has(notice)) continue;
        loggedNotices.add(notice);
        log(`lambda-vpc-lint: parameter values: ${notice}`);
      }
    }
    let region = settings.region ?? values?.region;
    let regionFromModel = false;
    const facts = live.facts(settings);
    let liveFacts: Prepared['live'];
    if (facts) {
      // As the command line: a Serverless template deploys to its own region, SAM and CloudFormation to the SDK's.
      if (!region && dialect !== 'serverless') region = live.defaultRegion(settings.profile);
      if (!region) {
        region = modelRegions.get(uri) ?? 'us-east-1';
        regionFromModel = true;
      }
      const view: LiveView = live.view(settings, region);
      const stackName = deployedStackOf(uri, settings, dialect);
      if (stackName) view.stackName = stackName;
      inputs.live = facts.facts(view);
      liveFacts = { facts, view };
    }
    if (region && !regionFromModel) inputs.region = region;
    const docPath = uriToPath(uri);
    const ws = workspace.workspace();
    if (ws && docPath) {
      inputs.workspacePath = workspace.pathOf(docPath);
      inputs.workspace = withoutOwnTree(ws, inputs.workspacePath);
    }
    const key = `${settings.enable}\u0000${analysisKey(settings, inputs.params, {
      ...(inputs.region ? { region: inputs.region } : {}),
      ...(inputs.parameterNotices ? { notices: inputs.parameterNotices } : {}),
      ...(liveFacts ? { live: { view: liveFacts.view, version: liveFacts.facts.version } } : {}),
    })}`;
    return { inputs, key, ...(liveFacts ? { live: liveFacts } : {}), regionFromModel };
  }

  /**
   * The workspace as a document's own analysis sees it: its own entry without a tree. The analysis reads
   * the document's tree from its own parse and never its entry's (its exports, nested stacks and routes
   * are its own); a model keeps the workspace it was resolved against, which would otherwise hold the
   * previous version's tree for as long as the analysis is kept. One view per workspace and document.
   */
  const ownTreeless = new WeakMap<Workspace, Map<string, Workspace>>();
  function withoutOwnTree(ws: Workspace, path: string): Workspace {
    let views = ownTreeless.get(ws);
    if (!views) ownTreeless.set(ws, (views = new Map()));
    let view = views.get(path);
    if (!view) views.set(path, (view = { templates: ws.templates.map((t) => (t.path === path && t.root ? { ...t, root: undefined } : t)) }));
    return view;
  }

  /** The stack a template is deployed as: the folder's `live.stackName`, else its samconfig's or Serverless's own. */
  function deployedStackOf(uri: string, settings: Settings, dialect: Dialect | undefined): string | undefined {
    const templatePath = uriToPath(uri);
    if (!templatePath) return settings.live.stackName;
    const stage = stageOf(settings);
    return discoverStackName({
      templatePath,
      dialect,
      ...(dialect === 'serverless' ? { text: documents.get(uri)?.getText() } : {}),
      given: settings.live.stackName ? [settings.live.stackName] : [],
      ...(settings.environment ? { configEnv: settings.environment } : {}),
      ...(stage ? { stage } : {}),
      readFile: (path) => parameters.readText(path),
    })?.name;
  }

  function analysisFor(doc: TextDocument, settings: Settings): AnalysisEntry {
    const dialect = dialects.get(doc.uri);
    let prepared = prepare(doc.uri, settings, dialect);
    const cached = cache.get(doc.uri);
    if (cached && cached.version === doc.version && cached.key === prepared.key) return cached;
    dropAnalysis(doc.uri);
    let entry = runAnalysis(doc, settings, prepared.inputs, prepared.key, host);
    // What was assumed before the analysis may turn out otherwise: the dialect decides which parameter
    // files apply, and a Serverless template's live region is its own. Then once more, with what it said.
    const found = entry.result?.dialect;
    const modelRegion = entry.result?.region;
    if (found) dialects.set(doc.uri, found);
    if (modelRegion) modelRegions.set(doc.uri, modelRegion);
    if ((found && found !== dialect) || (prepared.regionFromModel && modelRegion && modelRegion !== prepared.live?.view.region)) {
      const again = prepare(doc.uri, settings, found ?? dialect);
      if (again.key !== prepared.key) {
        prepared = again;
        entry = runAnalysis(doc, settings, again.inputs, again.key, host);
      }
    }
    if (entry.kind === 'failed') logError(`lambda-vpc-lint: the analysis of ${doc.uri} (version ${doc.version}) failed:\n${entry.message}`);
    cache.set(doc.uri, entry);
    trackDependencies(doc.uri, entry.dependencies);
    // What the model still needs from the account is looked up in the background; new facts bring a new analysis.
    if (prepared.live && entry.kind === 'template') prepared.live.facts.lookup(prepared.live.view, entry.result?.model);
    return entry;
  }

  /** The analyses dropped last (replaced or closed), weakly: `lambdaVpcLint/serverState` says whether any is still reachable. */
  const retired: WeakRef<object>[][] = [];

  function dropAnalysis(uri: string): void {
    const entry = cache.get(uri);
    if (!entry) return;
    cache.delete(uri);
    // The model only when it was built: an incremental result builds it when read.
    const held: (object | undefined)[] = [entry, entry.result?.root, entry.result ? builtModel(entry.result) : undefined];
    retired.push(held.filter((x): x is object => !!x).map((x) => new WeakRef(x)));
    if (retired.length > 16) retired.shift();
  }

  /** How many dropped analyses still have something reachable besides the current analyses' trees. */
  function retainedDropped(): number {
    const current = new Set<object | undefined>([...cache.values()].map((e) => e.result?.root));
    return retired.filter((refs) => refs.some((r) => {
      const target = r.deref();
      return target !== undefined && !current.has(target);
    })).length;
  }

  function trackDependencies(uri: string, paths: string[]): void {
    for (const [path, set] of dependents) {
      if (set.delete(uri) && set.size === 0) dependents.delete(path);
    }
    for (const path of paths) {
      let set = dependents.get(path);
      if (!set) dependents.set(path, (set = new Set()));
      set.add(uri);
    }
  }

  /** The analysis of a document's current version, for a request on it. */
  async function current(uri: string): Promise<{ doc: TextDocument; entry: AnalysisEntry } | undefined> {
    if (!documents.get(uri)) return undefined;
    const settings = await readySettings(uri);
    const doc = documents.get(uri);
    if (!doc) return undefined;
    return { doc, entry: analysisFor(doc, settings) };
  }

  function debounceOf(uri: string): number {
    return (lastSettings.get(uri) ?? pushedSettings).debounceMs;
  }

  function schedule(uri: string, delay: number): void {
    const doc = documents.get(uri);
    if (!doc) return;
    const existing = timers.get(uri);
    if (existing) clearTimeout(existing);
    const version = doc.version;
    if (lastState.get(uri) !== 'pending' && templates.has(uri)) sendStatus({ uri, version, state: 'pending' });
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      validate(uri, version).catch((err: unknown) => logError(`lambda-vpc-lint: validating ${uri} failed: ${err instanceof Error ? err.stack : String(err)}`));
    }, delay));
  }

  async function validate(uri: string, version: number): Promise<void> {
    const before = documents.get(uri);
    // Superseded: a newer edit has its own timer.
    if (!before || before.version !== version) return;
    const settings = await readySettings(uri);
    const doc = documents.get(uri);
    if (!doc || doc.version !== version) return;
    const entry = analysisFor(doc, settings);
    // Edits that arrived while the analysis ran are still queued: let them in, and drop this result if
    // one of them is for this document (its own timer brings the newer result).
    await new Promise((resolve) => setTimeout(resolve, 0));
    const latest = documents.get(uri);
    if (!latest || latest.version !== version) return;
    publish(latest, entry);
  }

  function publish(doc: TextDocument, entry: AnalysisEntry): void {
    const uri = doc.uri;
    // Never publish a result for a version the document has moved past.
    if (entry.version !== doc.version || documents.get(uri)?.version !== entry.version) return;
    let diagnostics: Diagnostic[];
    const wasTemplate = templates.has(uri);
    const broken = entry.kind === 'not-template' && wasTemplate && !!entry.result?.problems.some((p) => p.severity === 'error');
    if (entry.kind === 'template' || entry.kind === 'failed' || entry.kind === 'too-large') templates.add(uri);
    else if (entry.kind === 'not-template' && !broken) templates.delete(uri);
    diagnostics = diagnosticsOf(doc, entry, broken, locate);
    const isOurs = entry.kind === 'template' || entry.kind === 'failed' || entry.kind === 'too-large' || broken;
    if (!isOurs && !published.has(uri)) {
      if (entry.kind === 'disabled') sendStatus({ uri, version: doc.version, state: 'skipped', reason: 'disabled' });
      else sendStatus({ uri, version: doc.version, state: 'not-template' });
      return;
    }
    if (!isOurs) diagnostics = [];
    ownDiagnostics.set(uri, diagnostics);
    connection.sendDiagnostics({ uri, version: doc.version, diagnostics: withForeign(uri, diagnostics) });
    publishForeign(uri, isOurs ? entry : undefined);
    if (isOurs) published.add(uri);
    else published.delete(uri);
    const status: StatusParams = { uri, version: doc.version, state: stateOf(entry, broken), durationMs: Math.round(entry.durationMs * 10) / 10 };
    if (entry.result?.dialect) status.dialect = entry.result.dialect;
    if (hasEnvironments(uri, entry.result?.dialect)) status.environments = true;
    if (entry.kind === 'template' || broken) status.counts = countsOf(entry);
    if (entry.kind === 'template' && entry.result?.coverage) status.coverage = coverageStatus(entry.result.coverage, (offset) => doc.positionAt(offset));
    if (entry.kind === 'failed' || entry.kind === 'too-large') status.reason = entry.message?.split('\n')[0];
    sendStatus(status);
  }

  /** Whether an environment changes the document's values: a Serverless stage, a parameter file, a samconfig beside it. */
  function hasEnvironments(uri: string, dialect: string | undefined): boolean {
    if (dialect === 'serverless' || (lastSettings.get(uri) ?? pushedSettings).parameterFile) return true;
    const path = uriToPath(uri);
    return !!path && SAMCONFIG_NAMES.some((name) => existsSync(join(dirname(path), name)));
  }

  /** The document of another workspace template: open, else read from disk. */
  const locate: Locate = (file) => {
    const full = workspace.absolutePathOf(file);
    if (!full) return undefined;
    const open = openByPath().get(full);
    if (open) return open;
    try {
      if (statSync(full).size > DEFAULT_SETTINGS.maxFileSize) return undefined;
      return TextDocument.create(pathToFileURL(full).href, 'yaml', 0, readFileSync(full, 'utf8'));
    } catch {
      return undefined;
    }
  };

  /** A document's own diagnostics and those other analyses placed in it, each once. */
  function withForeign(uri: string, own: Diagnostic[]): Diagnostic[] {
    const out = [...own];
    const seen = new Set(own.map(diagnosticKey));
    for (const list of foreign.get(uri)?.values() ?? []) {
      for (const d of list) {
        const key = diagnosticKey(d);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(d);
        }
      }
    }
    return out;
  }

  /** Publishes the findings a document's analysis placed in other templates (a shared network resource) on those. */
  function publishForeign(source: string, entry: AnalysisEntry | undefined): void {
    const byTarget = new Map<string, Diagnostic[]>();
    const sourceDoc = documents.get(source);
    for (const f of entry?.result?.findings ?? []) {
      if (f.file === undefined || !sourceDoc) continue;
      const target = locate(f.file);
      if (!target) continue;
      const sourceFile = workspace.pathOf(uriToPath(source) ?? '');
      // Related information without a file points into the source document.
      const moved = withFindingFields(f, { related: f.related.map((r) => (r.file === undefined ? { ...r, file: sourceFile } : r)) });
      const diagnostic = findingDiagnostic(target, moved, (file) => (file === sourceFile ? sourceDoc : locate(file)));
      const list = byTarget.get(target.uri) ?? [];
      list.push(diagnostic);
      byTarget.set(target.uri, list);
    }
    const touched = new Set<string>(byTarget.keys());
    for (const [target, sources] of foreign) if (sources.delete(source)) touched.add(target);
    for (const [target, list] of byTarget) {
      let sources = foreign.get(target);
      if (!sources) foreign.set(target, (sources = new Map()));
      sources.set(source, list);
    }
    for (const target of touched) {
      if (foreign.get(target)?.size === 0) foreign.delete(target);
      const own = ownDiagnostics.get(target) ?? [];
      const open = documents.get(target);
      connection.sendDiagnostics({ uri: target, ...(open ? { version: open.version } : {}), diagnostics: withForeign(target, own) });
    }
  }

  /** Re-analyses the open templates whose values may come from this one (debounced by the callers). */
  function refreshWorkspaceDependents(path: string): void {
    const changed = workspace.pathOf(path);
    for (const doc of documents.all()) {
      if (uriToPath(doc.uri) === path) continue;
      const entry = cache.get(doc.uri);
      if (!entry || entry.kind !== 'template' || !dependsOn(entry, changed)) continue;
      cache.delete(doc.uri);
      schedule(doc.uri, 0);
    }
  }

  /**
   * After an edit settles, the workspace takes the document's text and its dependents are analysed again:
   * once typing pauses, so that reading the whole text again for the other templates does not hold up
   * the diagnostics of each keystroke.
   */
  function scheduleWorkspaceUpdate(uri: string): void {
    const path = uriToPath(uri);
    if (!path || !workspace.ready) return;
    const existing = workspaceTimers.get(path);
    if (existing) clearTimeout(existing);
    workspaceTimers.set(path, setTimeout(() => {
      workspaceTimers.delete(path);
      const doc = documents.get(uri);
      const text = doc?.getText();
      // The analysis of this very text parsed it already: the workspace takes that tree instead of a second
      // parse, and the incremental analysis, lending it, no longer moves it in place.
      const entry = cache.get(uri);
      const result = entry?.result;
      const parsed = result?.root && result.dialect && entry?.text === text ? { root: result.root, dialect: result.dialect } : undefined;
      if (parsed) incremental.get(uri)?.lend(parsed.root);
      if (workspace.update(path, text, parsed)) refreshWorkspaceDependents(path);
    }, Math.max(debounceOf(uri), WORKSPACE_SETTLE_MS)));
  }

  /** Indexes the workspace folders' templates, with a progress notification, then analyses the open documents again. */
  async function indexWorkspace(): Promise<void> {
    if (folders.length === 0) return;
    let excluded: unknown;
    if (caps.configuration) {
      try {
        excluded = await connection.workspace.getConfiguration({ section: 'files.exclude' });
      } catch {
        excluded = undefined;
      }
    }
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Lambda VPC Lint', undefined, 'Indexing the workspace templates', false);
    const started = performance.now();
    const open = new Map<string, string>();
    for (const [path, doc] of openByPath()) open.set(path, doc.getText());
    try {
      const count = workspace.index(folders, { open, ...(excludeTest(excluded, folders) ? { exclude: excludeTest(excluded, folders) } : {}) });
      log(`lambda-vpc-lint: indexed ${count} workspace file${count === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms`);
    } finally {
      progress.done();
    }
    refreshAll();
  }

  function stateOf(entry: AnalysisEntry, broken: boolean): AnalysisState {
    switch (entry.kind) {
      case 'template':
        return 'done';
      case 'failed':
        return 'failed';
      case 'too-large':
      case 'disabled':
        return 'skipped';
      case 'not-template':
        return broken ? 'done' : 'not-template';
    }
  }

  function sendStatus(status: StatusParams): void {
    lastState.set(status.uri, status.state);
    void connection.sendNotification(STATUS_NOTIFICATION, status);
  }

  /** Re-analyses the open documents that read this file through `${file()}`. */
  function refreshDependents(path: string): void {
    for (const uri of dependents.get(path) ?? []) {
      if (!documents.get(uri)) continue;
      cache.delete(uri);
      schedule(uri, debounceOf(uri));
    }
  }

  /** Re-analyses the open documents whose parameter values came from (or looked for) this file. */
  function refreshParameterDependents(path: string): void {
    for (const uri of parameters.invalidate(path)) {
      if (documents.get(uri)) schedule(uri, debounceOf(uri));
    }
  }

  function refreshAll(): void {
    cache.clear();
    for (const doc of documents.all()) schedule(doc.uri, 0);
  }

  /** Re-analyses the open templates (new live facts). */
  function refreshTemplates(): void {
    for (const uri of templates) schedule(uri, 0);
  }

  // ---- lifecycle ----

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    caps = capabilitiesOf(params.capabilities);
    workspaceFoldersChange = !!params.capabilities.workspace?.workspaceFolders;
    folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (!folders.length && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) folders = [root];
    }
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    clientCommands = new Set(Array.isArray(init.clientCommands) ? init.clientCommands : []);
    // A client without a notion of trust says nothing: trusted. A client that says otherwise is believed.
    live.trusted = init.workspaceTrusted !== false;
    const commands = [SHOW_DOCS_COMMAND, LIVE_REFRESH_COMMAND, LIVE_ENABLE_COMMAND].filter((c) => !clientCommands.has(c));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], ...(caps.resolveEdits ? { resolveProvider: true } : {}) },
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: [' ', '!', '"', '['] },
        ...(commands.length ? { executeCommandProvider: { commands } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: TOOL_NAME, version: TOOL_VERSION },
    };
  });

  connection.onInitialized(() => {
    indexWorkspace().catch((err: unknown) => logError(`lambda-vpc-lint: indexing the workspace failed: ${err instanceof Error ? err.stack : String(err)}`));
    if (caps.configurationDynamic) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (caps.watchedFilesDynamic) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yml,yaml,json}' }, { globPattern: '**/samconfig.{toml,yaml,yml}' }, { globPattern: '**/.env*' }],
      });
    }
    if (workspaceFoldersChange) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
        void indexWorkspace();
        refreshAll();
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const raw = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    if (raw !== undefined) pushedSettings = normalizeSettings(raw);
    settingsGeneration++;
    settingsCache.clear();
    lastSettings.clear();
    parameters.clear();
    loggedNotices.clear();
    refreshAll();
  });

  connection.onNotification(TRUST_NOTIFICATION, (p: TrustParams) => {
    live.trusted = p?.trusted === true;
    if (!live.trusted) live.dispose();
    settingsCache.clear();
    refreshAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    let open: Map<string, TextDocument> | undefined;
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      // A template of the workspace changed on disk (an open one's buffer wins): its dependents are analysed again.
      if (path && !openByPath().has(path)) {
        const changed = change.type === FileChangeType.Deleted ? workspace.remove(path) : workspace.update(path);
        if (changed) refreshWorkspaceDependents(path);
      }
      // A samconfig beside templates of the workspace names their stacks: read those templates again.
      if (path && SAMCONFIG_NAMES.some((name) => basename(path) === name)) {
        const open = openByPath();
        for (const template of workspace.samconfigChanged(path, (p) => open.get(p)?.getText())) refreshWorkspaceDependents(template);
      }
      // Most events (a build, `npm install`) concern files no template reads: skip them cheaply.
      if (!path || (!parameters.reads(path) && !dependents.has(path))) continue;
      // An open document's buffer wins over the disk: its own edits already refresh dependents.
      open ??= openByPath();
      if (open.has(path) && change.type === FileChangeType.Changed) continue;
      refreshParameterDependents(path);
      refreshDependents(path);
    }
  });

  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    const path = uriToPath(e.document.uri);
    if (path) {
      refreshDependents(path);
      refreshParameterDependents(path);
    }
  });

  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    const opened = justOpened.delete(uri);
    schedule(uri, opened ? 0 : debounceOf(uri));
    scheduleWorkspaceUpdate(uri);
    const path = uriToPath(uri);
    if (path && !opened) {
      refreshDependents(path);
      refreshParameterDependents(path);
    }
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const timer = timers.get(uri);
    if (timer) clearTimeout(timer);
    timers.delete(uri);
    dropAnalysis(uri);
    incremental.delete(uri);
    settingsCache.delete(uri);
    lastSettings.delete(uri);
    templates.delete(uri);
    trackDependencies(uri, []);
    parameters.forget(uri);
    dialects.delete(uri);
    modelRegions.delete(uri);
    ownDiagnostics.delete(uri);
    publishForeign(uri, undefined);
    if (published.delete(uri)) connection.sendDiagnostics({ uri, diagnostics: withForeign(uri, []) });
    sendStatus({ uri, version: null, state: 'closed' });
    lastState.delete(uri);
    const path = uriToPath(uri);
    if (path) {
      // The workspace index goes back to the file on disk: the buffer's text (and the tree it shared with the analysis) goes.
      clearTimeout(workspaceTimers.get(path));
      workspaceTimers.delete(path);
      if (workspace.update(path)) refreshWorkspaceDependents(path);
      refreshDependents(path);
      refreshParameterDependents(path);
    }
  });

  // ---- requests ----

  /** Runs a request handler; an exception is logged and answered with `fallback`, never thrown. */
  async function guarded<T>(what: string, fallback: T, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      logError(`lambda-vpc-lint: ${what} failed: ${err instanceof Error ? err.stack : String(err)}`);
      return fallback;
    }
  }

  async function actionEnv(doc: TextDocument, entry: AnalysisEntry): Promise<ActionEnv> {
    const settings = await readySettings(doc.uri);
    return {
      doc,
      entry,
      snippetEdits: caps.snippetEdits,
      documentChanges: caps.documentChanges,
      resolveEdits: caps.resolveEdits,
      reanalyze: (text) => analyzeImpl(text, entry.options),
      coverage: {
        templatePath: uriToPath(doc.uri),
        environment: settings.environment ?? DEFAULT_SAM_ENVIRONMENT,
        readText: (path) => parameters.readText(path),
        liveEnabled: settings.live.enabled,
        trusted: live.trusted,
        createFiles: caps.documentChanges && caps.createFiles,
        documentChanges: caps.documentChanges,
      },
    };
  }

  connection.onCodeAction((p: CodeActionParams) => guarded('code actions', [], async () => {
    const at = await current(p.textDocument.uri);
    if (!at) return [];
    return codeActions(p, await actionEnv(at.doc, at.entry));
  }));

  connection.onCodeActionResolve((action: CodeAction) => guarded('resolving a code action', action, async () => {
    if (!isLazyActionData(action.data)) return action;
    const at = await current(action.data.uri);
    if (!at) return action;
    return resolveCodeAction(action, await actionEnv(at.doc, at.entry));
  }));

  connection.onHover((p: HoverParams) => guarded('hover', null, async () => {
    const at = await current(p.textDocument.uri);
    if (!at || at.entry.kind !== 'template') return null;
    const offset = at.doc.offsetAt(p.position);
    const result = workspaceHover(workspace, at.doc, at.entry, uriToPath(at.doc.uri), offset) ?? hover(at.doc, at.entry, offset);
    if (result && !caps.markdownHover && typeof result.contents === 'object' && 'kind' in result.contents) {
      result.contents = { kind: 'plaintext', value: result.contents.value };
    }
    return result;
  }));

  connection.onDefinition((p: TextDocumentPositionParams) => guarded('go to definition', null, async () => {
    const at = await current(p.textDocument.uri);
    if (!at || at.entry.kind !== 'template') return null;
    const offset = at.doc.offsetAt(p.position);
    const readText = (path: string) => host.openText(path) ?? readTextFile(path);
    return workspaceDefinition(workspace, at.doc, uriToPath(at.doc.uri), offset, readText) ?? definition(at.doc, at.entry, offset, host.openText);
  }));

  connection.onCompletion((p: CompletionParams) => guarded('completion', [], async () => {
    const uri = p.textDocument.uri;
    const doc = documents.get(uri);
    if (!doc) return [];
    const whole = emptyFileCompletions(doc, doc.offsetAt(p.position));
    if (whole) return whole;
    // While typing, the last analysis of the template (even of an older version) knows its subnets and
    // groups well enough; the cursor's place is read from the current text. No analysis per keystroke.
    const settings = await readySettings(uri);
    let entry = cache.get(uri);
    if (!entry || entry.kind !== 'template' || entry.key !== prepare(uri, settings, dialects.get(uri)).key) {
      const at = await current(uri);
      if (!at) return [];
      entry = at.entry;
    }
    if (entry.kind !== 'template' && !templates.has(uri)) return [];
    const latest = documents.get(uri) ?? doc;
    return workspaceCompletions(workspace, latest, uriToPath(uri), latest.offsetAt(p.position)) ?? completions(latest, entry, latest.offsetAt(p.position));
  }));

  connection.onExecuteCommand((p) => guarded('command', null, async () => {
    if (p.command === LIVE_REFRESH_COMMAND) {
      live.refresh();
      const on = [pushedSettings, ...lastSettings.values()].some((s) => live.active(s));
      if (!on) {
        void connection.window.showInformationMessage(live.trusted
          ? 'Lambda VPC Lint: live lookups are off. Turn on lambdaVpcLint.live.enabled in your user settings.'
          : 'Lambda VPC Lint: live lookups are off in an untrusted workspace.');
      }
      refreshAll();
      return null;
    }
    if (p.command === LIVE_ENABLE_COMMAND) {
      // A client that can change user settings runs this command itself; others are told what to set.
      void connection.window.showInformationMessage('Lambda VPC Lint: to turn on live lookups, set lambdaVpcLint.live.enabled to true in your user settings.');
      return null;
    }
    if (p.command !== SHOW_DOCS_COMMAND) return null;
    const [ruleId, url] = (p.arguments ?? []) as [unknown, unknown];
    const target = typeof url === 'string' ? url : typeof ruleId === 'string' ? ruleDocUrl(ruleId) : undefined;
    if (!target) return null;
    if (caps.showDocument) await connection.sendRequest(ShowDocumentRequest.type, { uri: target, external: true });
    else void connection.window.showInformationMessage(`Documentation: ${target}`);
    return null;
  }));

  connection.onRequest(DEPLOYED_STACKS_REQUEST, (p: DeployedStacksParams) => guarded<DeployedStacksResult>('listing deployed stacks', { enabled: false, stacks: [] }, async () => {
    const uri = typeof p?.uri === 'string' ? p.uri : '';
    const settings = await readySettings(uri);
    const facts = live.facts(settings);
    if (!facts) {
      return {
        enabled: false,
        stacks: [],
        message: live.trusted ? 'Live lookups are off. Turn on lambdaVpcLint.live.enabled in your user settings.' : 'Live lookups are off in an untrusted workspace.',
      };
    }
    const doc = documents.get(uri);
    const entry = doc ? analysisFor(doc, settings) : undefined;
    const model = entry?.result?.model;
    const view = prepare(uri, settings, dialects.get(uri)).live?.view ?? live.view(settings, settings.region ?? 'us-east-1');
    const listing = await facts.listStacks(view, model ? [...model.resources.keys()] : []);
    return {
      enabled: true,
      stacks: listing.stacks,
      ...(listing.notices.length ? { message: listing.notices.join('\n') } : {}),
      ...(view.stackName ? { current: view.stackName } : {}),
    };
  }));

  connection.onRequest(NETWORK_VIEW_REQUEST, (p: NetworkViewParams) => guarded<NetworkViewResult | null>('network view', null, async () => {
    const uri = p?.textDocument?.uri;
    const at = typeof uri === 'string' ? await current(uri) : undefined;
    return at ? networkViewOf(at.doc, at.entry) : null;
  }));

  connection.onRequest(SERVER_STATE_REQUEST, (p?: ServerStateParams): ServerStateResult => {
    // Only a server started with --expose-gc can collect on request (the memory test and benchmark do).
    const gc = (globalThis as { gc?: () => void }).gc;
    const collected = !!(p?.collect && gc);
    if (collected) gc!();
    const memory = process.memoryUsage();
    return {
      analyses: [...cache.values()].map((e) => ({ uri: e.uri, version: e.version })),
      // Read only after a collection: reading a WeakRef keeps its target alive until this turn's work ends, which
      // could be the next request's too.
      // The incremental analysis keeps one tree per document, moved from version to version: a dropped
      // analysis's tree that is the current one's does not count.
      ...(collected ? { retainedDropped: retainedDropped() } : {}),
      collected,
      diagnosedDocuments: ownDiagnostics.size,
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal },
    };
  });

  connection.onRequest(ENVIRONMENTS_REQUEST, (p: EnvironmentsParams) => guarded<EnvironmentsResult>('listing environments', { environments: [] }, () => {
    const read = (path: string): NamedText | undefined => {
      const text = parameters.readText(path);
      return text === undefined ? undefined : { path, text };
    };
    const samconfigPaths = new Set((Array.isArray(p?.samconfigs) ? p.samconfigs : []).map((u) => uriToPath(String(u))).filter((x): x is string => !!x));
    // And those beside the open templates, which the client may not have found (outside the workspace).
    for (const uri of templates) {
      const path = uriToPath(uri);
      if (path && dialects.get(uri) !== 'serverless') for (const name of SAMCONFIG_NAMES) samconfigPaths.add(join(dirname(path), name));
    }
    const samconfigs = [...samconfigPaths].sort().map(read).filter((f): f is NamedText => !!f);
    const serverless = documents.all()
      .filter((d) => dialects.get(d.uri) === 'serverless')
      .map((d) => ({ path: uriToPath(d.uri) ?? d.uri, text: d.getText() }));
    const label = (path: string) => {
      const folder = folderOf(path);
      return folder && path.startsWith(folder) ? relative(folder, path) : path;
    };
    return { environments: collectEnvironments(samconfigs, serverless, label) };
  }));

  connection.onShutdown(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    live.dispose();
  });

  documents.listen(connection);
  log(`${TOOL_NAME} ${TOOL_VERSION} language server started (node ${process.version}).`);
}

function diagnosticKey(d: Diagnostic): string {
  return `${String(d.code)}\u0000${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}\u0000${d.message}`;
}

function readTextFile(path: string): string | undefined {
  try {
    return statSync(path).size > DEFAULT_SETTINGS.maxFileSize ? undefined : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

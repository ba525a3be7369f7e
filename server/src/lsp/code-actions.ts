/**
 * Code actions for lambda-vpc-lint diagnostics, in the order vscode-eslint offers them: the rule's own
 * fix (preferred), "Ignore <rule> for this resource" (a `Metadata` suppression, merged into what is
 * there), "Ignore <rule> on this line" (a comment, YAML only) and "Show documentation for <rule>"; and
 * `source.fixAll.lambdaVpcLint`, which applies every safe fix, for `editor.codeActionsOnSave`.
 *
 * A client that resolves code actions (`codeAction/resolve` for `edit`) gets the rule's fix and the
 * resource suppression without their edits: `resolveCodeAction` builds them when one is chosen. Other
 * clients get the edits of the actions they asked for in the answer.
 */
import type { CodeAction, CodeActionParams, Diagnostic, SnippetTextEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { CodeActionKind, TextDocumentEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../core/analyze';
import { applyEdits, EditBuilder } from '../core/edits';
import { ruleDocUrl } from '../product';
import type { MapNode, Node } from '../core/tree';
import { get, getPair, isMap, isSeq, str } from '../core/tree';
import type { Dialect, Edit, Finding, Format } from '../core/types';
import type { AnalysisEntry } from './analysis';
import type { CoverageActionEnv } from './coverage-actions';
import { coverageActions } from './coverage-actions';
import { isFindingData, rangeOf } from './diagnostics';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, SHOW_DOCS_COMMAND } from './protocol';

export interface ActionEnv {
  doc: TextDocument;
  /** The analysis of the document's current version. */
  entry: AnalysisEntry;
  /** The client applies `SnippetTextEdit`s in workspace edits. */
  snippetEdits: boolean;
  /** The client takes `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** Analyses an edited text of this document with the same options. */
  reanalyze(text: string): AnalysisResult;
  /** For `network-unknown`: where missing values can be written, and whether live lookups may be offered. */
  coverage?: CoverageActionEnv;
  /** The client fills in an action's `edit` through `codeAction/resolve`: quick fixes are sent without it. */
  resolveEdits?: boolean;
}

/** What finds a finding again in an analysis: as in its diagnostic's `data`. */
export interface FindingKey {
  ruleId: string;
  messageId: string;
  resource: string;
  span: { start: number; end: number };
}

/** `CodeAction.data` of a quick fix whose edit is built on `codeAction/resolve`. */
export interface LazyActionData {
  kind: 'lazy-action';
  uri: string;
  /** The document version the action was offered for. */
  version: number;
  finding: FindingKey;
  /** The rule's fix number `index` of the finding, or the suppression of the rule for the resource. */
  action: { type: 'fix'; index: number } | { type: 'ignore-resource' };
}

const SUPPRESS_COMMENT = 'lambda-vpc-lint-disable-next-line';

export function codeActions(params: CodeActionParams, env: ActionEnv): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const fixes: CodeAction[] = [];
    const ignores: CodeAction[] = [];
    const docs = new Map<string, CodeAction>();
    const ignoredResource = new Set<string>();
    const ignoredLine = new Set<string>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const data = diagnosticFinding(diagnostic);
      const finding = data && findingFor(env, data, data.version);
      if (!finding) continue;
      const key: FindingKey = { ruleId: finding.ruleId, messageId: finding.messageId, resource: finding.resource, span: finding.span };
      const lazy = (action: LazyActionData['action']): LazyActionData => ({ kind: 'lazy-action', uri: env.doc.uri, version: env.doc.version, finding: key, action });
      finding.fixes.forEach((fix, i) => {
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: i === 0 };
        if (env.resolveEdits) action.data = lazy({ type: 'fix', index: i });
        else action.edit = workspaceEdit(env, fix.edits, true);
        fixes.push(action);
      });
      const result = env.entry.result;
      if (finding.ruleId === 'network-unknown' && env.coverage && result?.model) fixes.push(...coverageActions(result.model, finding.resource, diagnostic, env.coverage));
      const resourceKey = `${finding.ruleId}\u0000${finding.resource}`;
      if (!ignoredResource.has(resourceKey)) {
        const edit = env.resolveEdits ? (mayIgnoreResource(env.entry, finding) ? true : undefined) : resourceIgnoreEdit(env.entry, finding);
        if (edit) {
          ignoredResource.add(resourceKey);
          const action: CodeAction = { title: `Ignore ${finding.ruleId} for this resource`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
          if (edit === true) action.data = lazy({ type: 'ignore-resource' });
          else action.edit = workspaceEdit(env, [edit], false);
          ignores.push(action);
        }
      }
      const line = env.doc.positionAt(finding.span.start).line;
      const lineKey = `${finding.ruleId}\u0000${line}`;
      if (result?.format === 'yaml' && !ignoredLine.has(lineKey)) {
        const edit = ignoreLineEdit(env.doc, finding.span.start, finding.ruleId);
        if (edit) {
          ignoredLine.add(lineKey);
          ignores.push({
            title: `Ignore ${finding.ruleId} on this line`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: { changes: { [env.doc.uri]: [edit] } },
          });
        }
      }
      if (!docs.has(finding.ruleId)) {
        const title = `Show documentation for ${finding.ruleId}`;
        docs.set(finding.ruleId, {
          title,
          kind: CodeActionKind.QuickFix,
          command: { title, command: SHOW_DOCS_COMMAND, arguments: [finding.ruleId, ruleDocUrl(finding.ruleId)] },
        });
      }
    }
    actions.push(...fixes, ...ignores, ...docs.values());
  }
  if (only && only.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(`${o}.`))) {
    const edits = fixAllEdits(env.doc, env.entry, env.reanalyze);
    if (edits.length) {
      actions.push({
        title: 'Fix all safe lambda-vpc-lint problems',
        kind: FIX_ALL_KIND,
        edit: { changes: { [env.doc.uri]: edits } },
      });
    }
  }
  return actions;
}

/** The finding a diagnostic of ours names in its `data`. */
function diagnosticFinding(diagnostic: Diagnostic): (FindingKey & { version: number }) | undefined {
  return isFindingData(diagnostic.data) ? diagnostic.data : undefined;
}

/**
 * The finding of the current analysis with this key. For the version it was found in, the span must match
 * too; a key from an older version is moved to the first finding of the same rule, message and resource.
 */
function findFinding(env: Pick<ActionEnv, 'entry'>, key: FindingKey, sameVersion: boolean): Finding | undefined {
  const findings = (env.entry.result?.findings ?? []).filter((f) => f.file === undefined && f.ruleId === key.ruleId && f.resource === key.resource && f.messageId === key.messageId);
  if (!sameVersion) return findings[0];
  return findings.find((f) => f.span.start === key.span.start && f.span.end === key.span.end);
}

/** What the actions need of a finding. */
type ActionFinding = FindingKey & Pick<Finding, 'fixes'>;

/**
 * The finding a key names, for actions on it. A key of the current version that this document's analysis
 * does not hold is a finding another template's analysis placed here (published on this document): it has
 * no fix, and the suppressions apply to it as they are.
 */
function findingFor(env: Pick<ActionEnv, 'entry' | 'doc'>, key: FindingKey, version: number): ActionFinding | undefined {
  const sameVersion = version === env.doc.version;
  const found = findFinding(env, key, sameVersion);
  if (found || !sameVersion) return found;
  return { ruleId: key.ruleId, messageId: key.messageId, resource: key.resource, span: key.span, fixes: [] };
}

/** Whether the rule can be added to the resource's suppressions, without building the edit. */
function mayIgnoreResource(entry: AnalysisEntry, finding: ActionFinding): boolean {
  const result = entry.result;
  if (!result?.root || !result.dialect) return false;
  const map = resourceMap(result.root, result.dialect, finding.resource);
  if (!map) return false;
  const ignore = get(get(get(map, 'Metadata'), 'lambda-vpc-lint'), 'ignore');
  return !(isSeq(ignore) ? ignore.items.map(str) : [str(ignore)]).includes(finding.ruleId);
}

function resourceIgnoreEdit(entry: AnalysisEntry, finding: ActionFinding): Edit | undefined {
  const result = entry.result;
  if (!result?.root || !result.dialect) return undefined;
  return ignoreResourceEdit(entry.text, result.format, result.root, result.dialect, finding.resource, finding.ruleId);
}

export function isLazyActionData(data: unknown): data is LazyActionData {
  if (data === null || typeof data !== 'object') return false;
  const d = data as Partial<LazyActionData>;
  const f = d.finding;
  return d.kind === 'lazy-action' && typeof d.uri === 'string' && typeof d.version === 'number' && !!f && typeof f === 'object'
    && typeof f.ruleId === 'string' && typeof f.messageId === 'string' && typeof f.resource === 'string'
    && !!f.span && typeof f.span.start === 'number' && typeof f.span.end === 'number'
    && !!d.action && (d.action.type === 'ignore-resource' || (d.action.type === 'fix' && typeof d.action.index === 'number'));
}

/**
 * `codeAction/resolve`: the edit of an action offered without one, built from the current analysis of the
 * document. An action whose finding is gone (the document changed since) comes back without an edit.
 */
export function resolveCodeAction(action: CodeAction, env: ActionEnv): CodeAction {
  const data = action.data;
  if (!isLazyActionData(data) || data.uri !== env.doc.uri) return action;
  const finding = findingFor(env, data.finding, data.version);
  if (!finding) return action;
  if (data.action.type === 'fix') {
    const fix = finding.fixes[data.action.index];
    if (fix && fix.title === action.title) action.edit = workspaceEdit(env, fix.edits, true);
  } else {
    const edit = resourceIgnoreEdit(env.entry, finding);
    if (edit) action.edit = workspaceEdit(env, [edit], false);
  }
  return action;
}

/**
 * Editors re-indent every line of an inserted snippet after the first by the indentation of the line it is
 * inserted on. Our multi-line insertions come at the end of a line and start with its line break; moved to
 * the start of the next line (column 0, where there is nothing to add) they come out as written. Any other
 * multi-line snippet is applied as plain text instead.
 */
function snippetAtLineStart(text: string, e: Edit, snippet: string): { start: number; end: number; snippet: string } | undefined {
  if (!snippet.includes('\n')) return { start: e.start, end: e.end, snippet };
  const eol = snippet.startsWith('\r\n') ? '\r\n' : snippet.startsWith('\n') ? '\n' : undefined;
  if (!eol || e.start !== e.end || text.slice(e.start, e.start + eol.length) !== eol) return undefined;
  const at = e.start + eol.length;
  return { start: at, end: at, snippet: snippet.slice(eol.length) + eol };
}

function workspaceEdit(env: ActionEnv, edits: readonly Edit[], allowSnippets: boolean): WorkspaceEdit {
  const { doc } = env;
  const useSnippets = allowSnippets && env.snippetEdits && env.documentChanges && edits.some((e) => e.snippet !== undefined);
  if (useSnippets) {
    const items: (TextEdit | SnippetTextEdit)[] = edits.map((e) => {
      const snippet = e.snippet !== undefined ? snippetAtLineStart(doc.getText(), e, e.snippet) : undefined;
      return snippet ? { range: rangeOf(doc, snippet), snippet: { kind: 'snippet', value: snippet.snippet } } : { range: rangeOf(doc, e), newText: e.text };
    });
    return { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, items)] };
  }
  const textEdits: TextEdit[] = edits.map((e) => ({ range: rangeOf(doc, e), newText: e.text }));
  if (env.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, textEdits)] };
  return { changes: { [doc.uri]: textEdits } };
}

/** The map of a resource: `Resources.<id>`, or a Serverless file's `resources.Resources.<id>`. */
export function resourceMap(root: Node, dialect: Dialect, id: string): MapNode | undefined {
  const resources = dialect === 'serverless' ? get(get(root, 'resources'), 'Resources') : get(root, 'Resources');
  const node = get(resources, id);
  return isMap(node) ? node : undefined;
}

/** Adds the rule to `Metadata.lambda-vpc-lint.ignore` of the resource, creating what is missing. */
export function ignoreResourceEdit(text: string, format: Format, root: Node, dialect: Dialect, resource: string, ruleId: string): Edit | undefined {
  const map = resourceMap(root, dialect, resource);
  if (!map) return undefined;
  const builder = new EditBuilder(text, format, root);
  const metadata = getPair(map, 'Metadata');
  if (!metadata || !isMap(metadata.value)) return builder.setKey(map, 'Metadata', { 'lambda-vpc-lint': { ignore: [ruleId] } });
  const settings = getPair(metadata.value, 'lambda-vpc-lint');
  if (!settings || !isMap(settings.value)) return builder.setKey(metadata.value, 'lambda-vpc-lint', { ignore: [ruleId] });
  const ignore = get(settings.value, 'ignore');
  const listed = isSeq(ignore) ? ignore.items.map(str) : [str(ignore)];
  if (listed.includes(ruleId)) return undefined;
  if (ignore && !isSeq(ignore) && str(ignore) === undefined) return builder.setKey(settings.value, 'ignore', [ruleId]);
  return builder.appendToList(settings.value, 'ignore', ruleId);
}

/** A `# lambda-vpc-lint-disable-next-line <rule>` comment above the line, or the rule added to one there. */
export function ignoreLineEdit(doc: TextDocument, offset: number, ruleId: string): TextEdit | undefined {
  const line = doc.positionAt(offset).line;
  const text = doc.getText();
  const lineText = lineAt(doc, line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (line > 0) {
    const previous = lineAt(doc, line - 1);
    const m = new RegExp(`^\\s*#\\s*${SUPPRESS_COMMENT}\\b(.*)$`).exec(previous);
    if (m) {
      const ids = m[1]!.split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0 || ids.includes(ruleId)) return undefined;
      const end = { line: line - 1, character: previous.replace(/\s+$/, '').length };
      return { range: { start: end, end }, newText: `, ${ruleId}` };
    }
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}# ${SUPPRESS_COMMENT} ${ruleId}${eol}` };
}

function lineAt(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

const MAX_FIX_PASSES = 10;

/**
 * Applies every safe fix, re-analysing after each pass (a fix may make room for another), and returns
 * the change as one minimal edit. A pass whose result no longer parses is dropped.
 */
export function fixAllEdits(doc: TextDocument, entry: AnalysisEntry, reanalyze: (text: string) => AnalysisResult): TextEdit[] {
  const original = entry.text;
  let text = original;
  let result = entry.result;
  const errors = (r: AnalysisResult) => r.problems.filter((p) => p.severity === 'error').length;
  for (let pass = 0; pass < MAX_FIX_PASSES && result; pass++) {
    const chosen: Edit[] = [];
    for (const finding of result.findings) {
      const fix = finding.fixes.find((f) => f.safety === 'safe');
      if (!fix) continue;
      if (fix.edits.some((e) => chosen.some((c) => conflicts(c, e)))) continue;
      chosen.push(...fix.edits);
    }
    if (chosen.length === 0) break;
    const next = applyEdits(text, chosen);
    const nextResult = reanalyze(next);
    if (errors(nextResult) > errors(result)) break;
    text = next;
    result = nextResult;
  }
  if (text === original) return [];
  let prefix = 0;
  const max = Math.min(original.length, text.length);
  while (prefix < max && original.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && original.charCodeAt(original.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  return [{
    range: { start: doc.positionAt(prefix), end: doc.positionAt(original.length - suffix) },
    newText: text.slice(prefix, text.length - suffix),
  }];
}

function conflicts(a: Edit, b: Edit): boolean {
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

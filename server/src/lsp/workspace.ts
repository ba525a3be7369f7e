/**
 * The editor's workspace model: the templates of the workspace folders, indexed at start (bounded by
 * file count and size, without `files.exclude` and the command line's skip list), kept current through
 * watched-file events and open documents. It decides which open templates depend on a changed one,
 * and answers go to definition, completion and hover on `Fn::ImportValue` names and `${cf:}`.
 */
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, Hover, Location } from 'vscode-languageserver/node';
import { CompletionItemKind, MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Workspace } from '../core/model/workspace';
import { describeImport, exportNames, exportTarget, stackOutputTarget } from '../core/model/workspace';
import { LineIndex } from '../core/line-index';
import { globToRegExp } from '../cli/files';
import type { ParsedText } from '../workspace';
import { findTemplateFiles, posixPath, TEMPLATE_FILE, WorkspaceFiles } from '../workspace';
import type { AnalysisEntry } from './analysis';

export const MAX_INDEXED_FILES = 2000;

/** `files.exclude` (glob -> true) as a test on absolute paths under the folders. */
export function excludeTest(patterns: unknown, folders: string[]): ((path: string) => boolean) | undefined {
  if (!patterns || typeof patterns !== 'object') return undefined;
  const res = Object.entries(patterns as Record<string, unknown>).filter(([, on]) => on === true).map(([glob]) => globToRegExp(glob.replace(/^\//, '')));
  if (res.length === 0) return undefined;
  return (path) => folders.some((folder) => {
    const rel = posixPath(relative(folder, path));
    return !rel.startsWith('..') && res.some((re) => re.test(rel));
  });
}

export class EditorWorkspace {
  private files: WorkspaceFiles | undefined;
  private folders: string[] = [];

  /** Reads every template of the folders; returns how many were indexed. */
  index(folders: string[], options: { exclude?: (path: string) => boolean; maxFiles?: number; maxFileSize?: number; open?: Map<string, string> } = {}): number {
    this.folders = folders;
    const files = new WorkspaceFiles({
      roots: folders,
      display: (p) => this.display(p),
      maxFiles: options.maxFiles ?? MAX_INDEXED_FILES,
      ...(options.maxFileSize ? { maxFileSize: options.maxFileSize } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
    });
    files.add(findTemplateFiles(folders, options.maxFiles ?? MAX_INDEXED_FILES, options.exclude));
    for (const [path, text] of options.open ?? []) if (files.inside(path)) files.set(path, text);
    files.followNested();
    this.files = files;
    return files.size;
  }

  get ready(): boolean {
    return this.files !== undefined;
  }

  workspace(): Workspace | undefined {
    return this.files?.workspace();
  }

  pathOf(absolutePath: string): string {
    return posixPath(this.display(absolutePath));
  }

  uriOf(path: string): string | undefined {
    const full = this.files?.absolutePathOf(path);
    return full ? pathToFileURL(full).href : undefined;
  }

  absolutePathOf(path: string): string | undefined {
    return this.files?.absolutePathOf(path);
  }

  /**
   * An open document's text (with its tree when its analysis parsed that text), or a file changed on disk;
   * false when the path is no concern of the workspace.
   */
  update(absolutePath: string, text?: string, parsed?: ParsedText): boolean {
    if (!this.files || !TEMPLATE_FILE.test(absolutePath) || !this.files.inside(absolutePath)) return false;
    this.files.set(absolutePath, text, parsed);
    return true;
  }

  /**
   * A samconfig changed: the templates beside it are read again, since their stack names (and so the export
   * names built with `\${AWS::StackName}`) come from it. Returns the templates whose entries were renewed.
   */
  samconfigChanged(samconfigPath: string, textOf: (path: string) => string | undefined): string[] {
    if (!this.files) return [];
    const renewed = this.files.templatesIn(dirname(samconfigPath));
    for (const path of renewed) this.files.set(path, textOf(path));
    return renewed;
  }

  remove(absolutePath: string): boolean {
    if (!this.files?.has(absolutePath)) return false;
    this.files.remove(absolutePath);
    return true;
  }

  private display(path: string): string {
    const folder = this.folders.filter((f) => !relative(f, path).startsWith('..')).sort((a, b) => b.length - a.length)[0];
    return folder ? relative(folder, path) : path;
  }
}

const CROSS = /ImportValue|\$\{cf(\([^)]*\))?:|AWS::CloudFormation::Stack|AWS::Serverless::Application|Outputs\./;

/**
 * Whether an analysis may change when another template does: it used that template, or it has
 * references across templates at all (an export that was missing may appear).
 */
export function dependsOn(entry: AnalysisEntry, path: string): boolean {
  const used = entry.result?.model?.workspaceFiles ?? [];
  if (used.includes(path)) return true;
  return CROSS.test(entry.text);
}

/** The `Fn::ImportValue` name at the cursor (a literal argument on the cursor's line). */
export function importAt(text: string, offset: number): { name: string; start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd);
  const re = /(?:!ImportValue|"?Fn::ImportValue"?\s*:)\s*(["']?)([A-Za-z0-9:_.${}-]+)\1/g;
  for (const m of line.matchAll(re)) {
    const start = lineStart + m.index! + m[0].length - m[2]!.length - m[1]!.length;
    const end = start + m[2]!.length;
    if (offset >= start && offset <= end) return { name: m[2]!, start, end };
  }
  return undefined;
}

/** The `${cf:stack.Output}` at the cursor. */
export function cfAt(text: string, offset: number): { stack: string; output: string; start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset);
  for (const m of text.slice(lineStart, lineEnd).matchAll(/\$\{cf(?:\([^)]*\))?:([A-Za-z0-9-]+)\.([A-Za-z0-9]+)\}/g)) {
    const start = lineStart + m.index!;
    const end = start + m[0].length;
    if (offset >= start && offset <= end) return { stack: m[1]!, output: m[2]!, start, end };
  }
  return undefined;
}

/** Go to definition: the exporting `Output`. */
export function workspaceDefinition(ws: EditorWorkspace, doc: TextDocument, selfPath: string | undefined, offset: number, readText: (path: string) => string | undefined): Location | undefined {
  const workspace = ws.workspace();
  if (!workspace) return undefined;
  const text = doc.getText();
  const imported = importAt(text, offset);
  const cf = imported ? undefined : cfAt(text, offset);
  const target = imported ? exportTarget(workspace, imported.name, selfPath && ws.pathOf(selfPath)) : cf ? stackOutputTarget(workspace, cf.stack, cf.output) : undefined;
  if (!target) return undefined;
  const full = ws.absolutePathOf(target.template.path);
  const targetText = full ? readText(full) : undefined;
  if (!full || targetText === undefined) return undefined;
  const lines = new LineIndex(targetText);
  return { uri: pathToFileURL(full).href, range: { start: lines.position(target.span.start), end: lines.position(target.span.end) } };
}

/** Completion inside `!ImportValue` / `Fn::ImportValue:`: the workspace's export names. */
export function workspaceCompletions(ws: EditorWorkspace, doc: TextDocument, selfPath: string | undefined, offset: number): CompletionItem[] | undefined {
  const workspace = ws.workspace();
  if (!workspace) return undefined;
  const text = doc.getText();
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const m = /(?:!ImportValue|"?Fn::ImportValue"?\s*:)\s*(["']?)([A-Za-z0-9:_.-]*)$/.exec(before);
  if (!m) return undefined;
  const start = offset - m[2]!.length;
  const end = start + (/^[A-Za-z0-9:_.-]*/.exec(text.slice(offset))?.[0].length ?? 0) + m[2]!.length;
  return exportNames(workspace, selfPath && ws.pathOf(selfPath)).map((e, i) => ({
    label: e.name,
    kind: CompletionItemKind.Reference,
    detail: `exported by ${e.template}`,
    sortText: String(i).padStart(5, '0'),
    textEdit: { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, newText: e.name },
  }));
}

/** Hover on an `Fn::ImportValue` name: the value it resolves to and the template it comes from. */
export function workspaceHover(ws: EditorWorkspace, doc: TextDocument, entry: AnalysisEntry, selfPath: string | undefined, offset: number): Hover | undefined {
  const workspace = ws.workspace();
  const imported = importAt(doc.getText(), offset);
  if (!workspace || !imported) return undefined;
  const path = selfPath && ws.pathOf(selfPath);
  const target = exportTarget(workspace, imported.name, path);
  const value = describeImport(workspace, imported.name, { ...entry.options, ...(path ? { path } : {}) });
  const source = target
    ? `Exported by \`${target.template.path}\` (output \`${target.output}\`)${target.assumed ? ', matched by treating `${AWS::StackName}` as any name: assumed' : ''}.`
    : 'No single template of the workspace exports it.';
  return {
    contents: { kind: MarkupKind.Markdown, value: `**Fn::ImportValue** \`${imported.name}\`\n\n${source}\n\nValue: ${value}` },
    range: { start: doc.positionAt(imported.start), end: doc.positionAt(imported.end) },
  };
}

/** Helpers the in-editor tests share: polling, diagnostics of this extension, the extension itself. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'lambda-vpc-lint.lambda-vpc-lint';
export const SOURCE = 'lambda-vpc-lint';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs` with `describe()`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(200);
  }
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** This extension's diagnostics for a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return `no diagnostics for ${uri.toString()}`;
  return `${uri.toString()}:\n${all.map((d) => `  [${d.source ?? '?'}:${codeOf(d) ?? '-'}] line ${d.range.start.line + 1}: ${d.message}`).join('\n')}`;
}

/** Resolves once `uri` has a diagnostic of rule `ruleId`. */
export function waitForFinding(uri: vscode.Uri, ruleId: string, timeoutMs = 60_000): Promise<vscode.Diagnostic> {
  return waitFor(
    () => ours(uri).find((d) => codeOf(d) === ruleId),
    timeoutMs,
    () => `no ${ruleId} finding; ${describeDiagnostics(uri)}`,
  );
}

/** Resolves once `uri` has had none of this extension's diagnostics for `quietMs` in a row. */
export async function waitForNoFindings(uri: vscode.Uri, timeoutMs = 30_000, quietMs = 3_000, filter: (d: vscode.Diagnostic) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince: number | undefined;
  for (;;) {
    const now = Date.now();
    const found = ours(uri).filter(filter);
    if (found.length === 0) {
      quietSince ??= now;
      if (now - quietSince >= quietMs) return;
    } else {
      quietSince = undefined;
    }
    if (now > deadline) throw new Error(`still has findings after ${timeoutMs} ms; ${describeDiagnostics(uri)}`);
    await sleep(200);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs the fixture workspace open (test/fixtures/workspace)');
  return folder.uri;
}

export function fileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

export async function activateExtension<T = unknown>(): Promise<{ extension: vscode.Extension<T>; api: T }> {
  const extension = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!extension) {
    const ids = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.'));
    throw new Error(`extension ${EXTENSION_ID} is not loaded; non-builtin extensions: ${ids.join(', ') || 'none'}`);
  }
  const api = await extension.activate();
  return { extension, api };
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

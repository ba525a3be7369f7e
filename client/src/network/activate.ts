/**
 * Wires the template network view into VS Code: the tree view, its refresh and reveal commands, and the
 * events it follows (the active editor, and the diagnostics of its document, which arrive after each
 * analysis).
 */
import * as vscode from 'vscode';
import type { NetworkViewResult } from '../../../server/src/lsp/protocol';
import { NETWORK_COMMANDS, NETWORK_VIEW_ID, NetworkTreeProvider } from './network-tree-provider';
import type { NetworkTreeNode } from './network-tree-provider';

export function activateNetworkView(context: vscode.ExtensionContext, request: (uri: string) => Promise<NetworkViewResult | null>): NetworkTreeProvider {
  const activeUri = () => {
    const doc = vscode.window.activeTextEditor?.document;
    return doc && (doc.languageId === 'yaml' || doc.languageId === 'json') ? doc.uri.toString() : undefined;
  };
  const provider = new NetworkTreeProvider({ activeUri, request });
  const view = vscode.window.createTreeView<NetworkTreeNode>(NETWORK_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  let timer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (view.visible) void provider.refresh();
    }, 100);
  };
  context.subscriptions.push(
    provider,
    view,
    provider.onDidChangeTreeData(() => {
      view.message = provider.message();
    }),
    { dispose: () => timer && clearTimeout(timer) },
    view.onDidChangeVisibility((e) => e.visible && refreshSoon()),
    vscode.window.onDidChangeActiveTextEditor(refreshSoon),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const uri = activeUri();
      if (uri && e.uris.some((u) => u.toString() === uri)) refreshSoon();
    }),
    vscode.commands.registerCommand(NETWORK_COMMANDS.refresh, () => provider.refresh()),
    vscode.commands.registerCommand(NETWORK_COMMANDS.reveal, async (uri: unknown, range: unknown) => {
      if (typeof uri !== 'string' || !isRange(range)) return;
      const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection, preserveFocus: false });
    }),
  );
  if (view.visible) refreshSoon();
  return provider;
}

interface PlainRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

function isRange(value: unknown): value is PlainRange {
  const r = value as PlainRange | undefined;
  return !!r && typeof r.start?.line === 'number' && typeof r.start.character === 'number' && typeof r.end?.line === 'number' && typeof r.end.character === 'number';
}

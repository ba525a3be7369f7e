/**
 * The template network view: the active editor's template as the language server's
 * `lambdaVpcLint/networkView` answer describes it, function -> subnet -> route table -> default route
 * target, with endpoints, security groups and findings, each with a state icon. It asks again when the
 * active editor changes or its diagnostics do (the activation code wires those events); an answer for an
 * editor that is no longer active is dropped. Clicking a node reveals its definition.
 */
import * as vscode from 'vscode';
import type { NetworkViewItem, NetworkViewResult } from '../../../server/src/lsp/protocol';

export const NETWORK_VIEW_ID = 'lambdaVpcLint.networkView';
export const NETWORK_COMMANDS = {
  refresh: 'lambdaVpcLint.network.refresh',
  reveal: 'lambdaVpcLint.network.reveal',
} as const;

export interface NetworkTreeDeps {
  /** The active editor's document, when it is YAML or JSON. */
  activeUri(): string | undefined;
  /** The server's answer; null for a file that is not a template. */
  request(uri: string): Promise<NetworkViewResult | null>;
}

export interface NetworkTreeNode {
  id: string;
  uri: string;
  item: NetworkViewItem;
  children: NetworkTreeNode[];
}

const KIND_NOUN: Partial<Record<NetworkViewItem['kind'], string>> = {
  function: 'Function',
  subnet: 'Subnet',
  'route-table': 'Route table',
  'route-target': 'Default route',
  endpoint: 'Endpoint',
  'security-group': 'Security group',
};

/** The icon of a node: its state, and for findings their severity. */
export function stateIcon(item: NetworkViewItem): { id: string; color?: string } {
  if (item.state === 'finding') {
    if (item.severity === 'error') return { id: 'error', color: 'list.errorForeground' };
    if (item.severity === 'warning') return { id: 'warning', color: 'list.warningForeground' };
    return { id: 'info' };
  }
  if (item.state === 'unknown') return { id: 'question', color: 'list.warningForeground' };
  return { id: 'pass', color: 'testing.iconPassed' };
}

function toNodes(uri: string, items: NetworkViewItem[], parent: string): NetworkTreeNode[] {
  return items.map((item, i) => {
    const id = `${parent}/${i}:${item.kind}:${item.ruleId ?? item.label}`;
    return { id, uri, item, children: toNodes(uri, item.children, id) };
  });
}

export class NetworkTreeProvider implements vscode.TreeDataProvider<NetworkTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NetworkTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: NetworkTreeNode[] = [];
  private token = 0;
  /** Why the last request failed, shown as the view's message. */
  private failure: string | undefined;

  constructor(private readonly deps: NetworkTreeDeps) {}

  /** Asks the server again for the active editor's template. */
  async refresh(): Promise<void> {
    const token = ++this.token;
    const uri = this.deps.activeUri();
    let roots: NetworkTreeNode[] = [];
    let failure: string | undefined;
    if (uri) {
      try {
        const result = await this.deps.request(uri);
        if (result) roots = toNodes(result.uri, result.functions, result.uri);
      } catch (err) {
        failure = `The network view could not be built: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    // A newer request (another editor, newer diagnostics) has been made meanwhile: its answer wins.
    if (token !== this.token) return;
    this.roots = roots;
    this.failure = failure;
    this.changed.fire(undefined);
  }

  message(): string | undefined {
    return this.failure;
  }

  getChildren(node?: NetworkTreeNode): NetworkTreeNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: NetworkTreeNode): vscode.TreeItem {
    const { item } = node;
    const collapsible = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None
      : item.kind === 'finding' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const tree = new vscode.TreeItem(item.label, collapsible);
    tree.id = node.id;
    if (item.description) tree.description = item.description;
    const noun = KIND_NOUN[item.kind];
    const state = item.state === 'finding' ? `${item.severity ?? 'a'} finding${item.kind === 'finding' ? '' : ' here or below'}` : item.state;
    tree.tooltip = item.kind === 'finding'
      ? `${item.ruleId ?? ''} (${item.severity ?? 'info'}): ${item.label}`
      : [`${noun ? `${noun} ` : ''}${item.label}${item.description ? ` (${item.description})` : ''}`, `State: ${state}`, item.tooltip].filter(Boolean).join('\n');
    const icon = stateIcon(item);
    tree.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    tree.contextValue = `network-${item.kind}`;
    if (item.range) tree.command = { command: NETWORK_COMMANDS.reveal, title: 'Reveal in Template', arguments: [node.uri, item.range] };
    return tree;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

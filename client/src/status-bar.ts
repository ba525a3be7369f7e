/**
 * The status bar item: the lambda-vpc-lint state of the active editor's document. The server reports
 * each document's state; the item follows the active editor and the client's connection state.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import type { ServerState } from './status-model';
import { statusView } from './status-model';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lambdaVpcLint.status', vscode.StatusBarAlignment.Right, 100);
  private readonly byUri = new Map<string, StatusParams>();
  private server: ServerState = 'starting';
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.item.name = 'Lambda VPC Lint';
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.render());
  }

  update(status: StatusParams): void {
    if (status.state === 'closed') this.byUri.delete(status.uri);
    else this.byUri.set(status.uri, status);
    this.render();
  }

  setServerState(state: ServerState): void {
    this.server = state;
    // A restarted server re-reports every open document; old states would be stale.
    if (state !== 'running') this.byUri.clear();
    this.render();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const view = statusView(uri ? this.byUri.get(uri) : undefined, this.server);
    if (!view) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.tone === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : view.tone === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

/**
 * The status bar items: the lambda-vpc-lint state of the active editor's document, and beside it the
 * environment its parameter values come from (click to pick another). The server reports each
 * document's state; the items follow the active editor, the client's connection state and the settings.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { coverageItems, coverageView } from './coverage-model';
import { environmentView } from './environment-model';
import type { ServerState } from './status-model';
import { backgroundColorId, statusView } from './status-model';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lambdaVpcLint.status', vscode.StatusBarAlignment.Right, 100);
  private readonly environmentItem = vscode.window.createStatusBarItem('lambdaVpcLint.environment', vscode.StatusBarAlignment.Right, 99);
  private readonly coverageItem = vscode.window.createStatusBarItem('lambdaVpcLint.coverage', vscode.StatusBarAlignment.Right, 98);
  private readonly byUri = new Map<string, StatusParams>();
  private server: ServerState = 'starting';
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.item.name = 'Lambda VPC Lint';
    this.environmentItem.name = 'Lambda VPC Lint Environment';
    this.coverageItem.name = 'Lambda VPC Lint Coverage';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.environment`) || e.affectsConfiguration(`${SETTINGS_SECTION}.statusBar.colorBySeverity`)) this.render();
      }),
    ];
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
    const document = vscode.window.activeTextEditor?.document;
    const uri = document?.uri.toString();
    const status = uri ? this.byUri.get(uri) : undefined;
    const environment = environmentView(this.server === 'running' ? status : undefined, document && vscode.workspace.getConfiguration(SETTINGS_SECTION, document.uri).get<string>('environment'));
    if (environment) {
      this.environmentItem.text = environment.text;
      this.environmentItem.tooltip = environment.tooltip;
      this.environmentItem.command = environment.command;
      this.environmentItem.show();
    } else {
      this.environmentItem.hide();
    }
    const coverage = this.server === 'running' && status?.state === 'done' ? coverageView(status.coverage) : undefined;
    if (coverage) {
      this.coverageItem.text = coverage.text;
      this.coverageItem.tooltip = coverage.tooltip;
      this.coverageItem.command = coverage.command;
      // Like the analysis item: the normal background, the warning colour only when the user asks for colours.
      const colors = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('statusBar.colorBySeverity', false);
      this.coverageItem.backgroundColor = colors && coverage.tone === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.coverageItem.show();
    } else {
      this.coverageItem.hide();
    }
    const view = statusView(status, this.server);
    if (!view) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    const background = backgroundColorId(view.tone, vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('statusBar.colorBySeverity', false));
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.show();
  }

  /** The unchecked VPC functions of the active template: pick one to go to it. */
  async showCoverage(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const items = coverageItems(editor ? this.byUri.get(editor.document.uri.toString())?.coverage : undefined);
    if (!editor || items.length === 0) {
      void vscode.window.showInformationMessage('Lambda VPC Lint: every VPC function of this template was checked.');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'VPC functions not checked', matchOnDetail: true });
    if (!picked) return;
    const at = new vscode.Position(picked.line, picked.character);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
    this.environmentItem.dispose();
    this.coverageItem.dispose();
  }
}

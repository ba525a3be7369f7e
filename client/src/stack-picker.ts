/**
 * The command `lambdaVpcLint.live.pickStack` ("Check against a deployed stack…"): asks the server for
 * the account's deployed stacks whose resources match the active template's logical ids (the server
 * makes no call when live lookups are off or the workspace is untrusted), offers them most recent first,
 * and remembers the choice as `lambdaVpcLint.live.stackName` of the template's folder. The server then
 * reads that stack's parameters and outputs and analyses again.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DeployedStacksParams, DeployedStacksResult } from '../../server/src/lsp/protocol';
import { DEPLOYED_STACKS_REQUEST, SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { stackPicks } from './stack-model';

export async function pickStack(client: LanguageClient): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Lambda VPC Lint: open a template to pick the deployed stack it is checked against.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Lambda VPC Lint: live lookups are off in an untrusted workspace.');
    return;
  }
  if (!client.isRunning()) return;
  const params: DeployedStacksParams = { uri: document.uri.toString() };
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Lambda VPC Lint: listing deployed stacks…' },
    () => client.sendRequest<DeployedStacksResult>(DEPLOYED_STACKS_REQUEST, params),
  );
  if (!result.enabled) {
    void vscode.window.showInformationMessage(`Lambda VPC Lint: ${result.message ?? 'live lookups are off.'}`);
    return;
  }
  if (result.message) void vscode.window.showWarningMessage(`Lambda VPC Lint: ${result.message}`);
  const picks = stackPicks(result);
  const chosen = await vscode.window.showQuickPick(picks, {
    title: 'Lambda VPC Lint: deployed stack',
    placeHolder: picks.length > 1 ? 'The stack this folder\'s templates are checked against (most recent first)' : 'No deployed stack matches this template\'s resources',
    matchOnDescription: true,
  });
  if (!chosen) return;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, document.uri);
  const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
  await config.update('live.stackName', chosen.stack ?? undefined, target);
}

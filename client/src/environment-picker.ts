/**
 * The command `lambdaVpcLint.selectEnvironment`: asks the server for the environments of the
 * workspace's samconfig files and open Serverless files, offers them in a quick pick (with `dev`, `prod`
 * and whatever name is typed), and writes `lambdaVpcLint.environment` to the workspace settings. The
 * server re-reads its settings and analyses again with that environment's parameter values.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { EnvironmentChoice, EnvironmentsParams, EnvironmentsResult } from '../../server/src/lsp/protocol';
import { ENVIRONMENTS_REQUEST, SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import type { EnvironmentPick } from './environment-model';
import { environmentPicks, typedPick } from './environment-model';

const SAMCONFIG_GLOB = '**/samconfig.{toml,yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,.aws-sam,.serverless,.git,cdk.out}/**';

type Item = EnvironmentPick & vscode.QuickPickItem;

export async function selectEnvironment(client: LanguageClient): Promise<void> {
  const resource = vscode.window.activeTextEditor?.document.uri;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
  const current = config.get<string>('environment', '').trim() || undefined;
  let found: EnvironmentChoice[] = [];
  if (client.isRunning()) {
    try {
      const files = await vscode.workspace.findFiles(SAMCONFIG_GLOB, EXCLUDE_GLOB, 500);
      const params: EnvironmentsParams = { samconfigs: files.map((f) => f.toString()) };
      found = (await client.sendRequest<EnvironmentsResult>(ENVIRONMENTS_REQUEST, params)).environments;
    } catch (err) {
      client.warn(`Could not list the environments: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const picks: Item[] = environmentPicks(found, current);
  const chosen = await pick(picks);
  if (!chosen) return;
  // Where a folder of a multi-root workspace sets it, that is the value to change.
  const inspected = config.inspect<string>('environment');
  const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('environment', chosen.value || undefined, target);
}

function pick(picks: Item[]): Promise<Item | undefined> {
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = 'Lambda VPC Lint: environment';
  quickPick.placeholder = 'The samconfig environment and Serverless stage whose parameter values are used (or type a name)';
  quickPick.matchOnDetail = true;
  quickPick.items = picks;
  return new Promise((resolve) => {
    const subscriptions = [
      quickPick.onDidChangeValue((value) => {
        const typed = typedPick(value, picks);
        quickPick.items = typed ? [typed, ...picks] : picks;
      }),
      quickPick.onDidAccept(() => {
        resolve(quickPick.selectedItems[0]);
        quickPick.hide();
      }),
      quickPick.onDidHide(() => {
        resolve(undefined);
        for (const s of subscriptions) s.dispose();
        quickPick.dispose();
      }),
    ];
    quickPick.show();
  });
}

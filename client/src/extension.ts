/**
 * The extension's entry point: registers the ENI explorer and the template network view and starts the
 * language server. Kept thin
 * and quick: the server starts in the background (activation does not wait for its handshake), and the
 * AWS SDK is not loaded here (the explorer loads it on first use).
 */
import * as vscode from 'vscode';
import { activateEniExplorer } from './eni/activate';
import type { TreeNode } from './eni/tree-model';
import { requestNetworkView, startLanguageClient, stopLanguageClient } from './language-client';
import { activateNetworkView } from './network/activate';

/** What the extension exports to other extensions and to its own in-editor tests. */
export interface LambdaVpcLintApi {
  /** How long `activate()` took, in milliseconds. */
  activationMs: number;
  /** Resolves once the language server is running (rejects when it could not start). */
  serverReady: Promise<void>;
  /**
   * The ENI explorer's tree as plain data, the nodes the view renders (the first call starts the first
   * listing, as showing the view does). A test hook for the in-editor suite (test/vscode/suite/eni.test.ts).
   */
  eniExplorerTree(): TreeNode[];
}

export function activate(context: vscode.ExtensionContext): LambdaVpcLintApi {
  const started = performance.now();
  const eniExplorer = activateEniExplorer(context);
  const serverReady = startLanguageClient(context);
  const networkView = activateNetworkView(context, requestNetworkView);
  // The first analyses arrive as diagnostics, which refresh the view; once running, ask for it as well.
  void serverReady.then(() => networkView.refresh(), () => undefined);
  serverReady.catch((err: unknown) => {
    void vscode.window.showErrorMessage(`Lambda VPC Lint: the language server could not start: ${err instanceof Error ? err.message : String(err)}`);
  });
  return { activationMs: performance.now() - started, serverReady, eniExplorerTree: () => eniExplorer.getChildren() };
}

export async function deactivate(): Promise<void> {
  await stopLanguageClient();
}

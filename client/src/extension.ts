/**
 * The extension's entry point: starts the language server and registers the ENI explorer. Kept thin;
 * the AWS SDK is not loaded here (the explorer loads it on first use).
 */
import type * as vscode from 'vscode';
import { activateEniExplorer } from './eni/activate';
import { startLanguageClient, stopLanguageClient } from './language-client';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  activateEniExplorer(context);
  await startLanguageClient(context);
}

export async function deactivate(): Promise<void> {
  await stopLanguageClient();
}

/**
 * Starts the lambda-vpc-lint language server (dist/server.js, over IPC) for YAML and JSON documents,
 * saved or untitled, and owns the editor-side pieces of the linter: the "show rule documentation"
 * command, the restart command, the environment picker and the status bar items. The client's default
 * error handler restarts a crashed server; the restarted server receives every open document again and
 * republishes its diagnostics. In an untrusted workspace the analysis runs, but the settings that make the
 * server read a file or pick AWS credentials and endpoints are taken from the user's settings only, and
 * live lookups are off: the settings say so, and the server is told the workspace is untrusted as well.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { DidChangeConfigurationNotification, LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import suppression from '../../schemas/suppression-metadata.schema.json';
import { ruleDocUrl } from '../../server/src/product';
import type { NetworkViewParams, NetworkViewResult, StatusParams } from '../../server/src/lsp/protocol';
import type { InitializationOptions, TrustParams } from '../../server/src/lsp/protocol';
import {
  LIVE_ENABLE_COMMAND, NETWORK_VIEW_REQUEST, PICK_STACK_COMMAND, SELECT_ENVIRONMENT_COMMAND, SERVER_EXEC_ARGV, SETTINGS_SECTION, SHOW_COVERAGE_COMMAND, SHOW_DOCS_COMMAND, STATUS_NOTIFICATION,
  TRUST_NOTIFICATION,
} from '../../server/src/lsp/protocol';
import { selectEnvironment } from './environment-picker';
import { docCommandLink, isRuleId, localDocSegments, ruleIdOfDocTarget } from './rule-docs';
import { pickStack } from './stack-picker';
import { StatusBar } from './status-bar';
import { RESTART_COMMAND } from './status-model';
import { restrictUntrusted } from './trusted-settings';

let client: LanguageClient | undefined;

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['yaml', 'json'].flatMap((language) => ['file', 'untitled'].map((scheme) => ({ scheme, language }))),
    diagnosticCollectionName: 'lambda-vpc-lint',
    // The client runs these commands itself, so the server does not register them as well. A function, so a
    // restarted server learns the trust of the moment.
    initializationOptions: (): InitializationOptions => ({ clientCommands: [SHOW_DOCS_COMMAND, LIVE_ENABLE_COMMAND], workspaceTrusted: vscode.workspace.isTrusted }),
    middleware: {
      // The Problems panel's rule link opens the page shipped with the extension.
      handleDiagnostics: (uri, diagnostics, next) => {
        for (const d of diagnostics) {
          if (typeof d.code !== 'object' || !d.code.target) continue;
          const ruleId = ruleIdOfDocTarget(d.code.target.toString());
          if (ruleId) d.code = { value: d.code.value, target: vscode.Uri.parse(docCommandLink(ruleId)) };
        }
        next(uri, diagnostics);
      },
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return restrictUntrusted(params.items, result, vscode.workspace.isTrusted, (key, scopeUri) =>
            vscode.workspace.getConfiguration(SETTINGS_SECTION, scopeUri ? vscode.Uri.parse(scopeUri) : undefined).inspect(key)?.globalValue);
        },
      },
    },
  };
  const languageClient = new LanguageClient('lambdaVpcLint', 'Lambda VPC Lint', serverOptions, clientOptions);
  client = languageClient;
  const status = new StatusBar();

  context.subscriptions.push(
    status,
    languageClient,
    languageClient.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => status.update(p)),
    languageClient.onDidChangeState((e) => {
      status.setServerState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
    }),
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, (ruleId?: unknown, url?: unknown) => showDocumentation(context, ruleId, url)),
    vscode.commands.registerCommand(RESTART_COMMAND, async () => {
      await languageClient.restart();
    }),
    vscode.commands.registerCommand(SELECT_ENVIRONMENT_COMMAND, () => selectEnvironment(languageClient)),
    vscode.commands.registerCommand(SHOW_COVERAGE_COMMAND, () => status.showCoverage()),
    // A user setting (live lookups call the account with the user's credentials), never in an untrusted workspace.
    vscode.commands.registerCommand(LIVE_ENABLE_COMMAND, async () => {
      if (!vscode.workspace.isTrusted) return;
      await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('live.enabled', true, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand(PICK_STACK_COMMAND, () => pickStack(languageClient)),
    // Trust granted: live lookups and the restricted settings now apply; the server re-reads its settings
    // and re-analyses.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (!languageClient.isRunning()) return;
      void languageClient.sendNotification(TRUST_NOTIFICATION, { trusted: true } satisfies TrustParams);
      void languageClient.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }),
  );
  await languageClient.start();
}

/** The network of a template, from the running server; null while it is not running or for a non-template. */
export async function requestNetworkView(uri: string): Promise<NetworkViewResult | null> {
  const c = client;
  if (!c?.isRunning()) return null;
  const params: NetworkViewParams = { textDocument: { uri } };
  return c.sendRequest<NetworkViewResult | null>(NETWORK_VIEW_REQUEST, params);
}

export async function stopLanguageClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.isRunning()) await c.stop();
}

/**
 * Opens a rule's page from the extension's files in the Markdown preview; the web page only when the
 * file is missing (a development build without docs/). Without a rule id, asks for one.
 */
async function showDocumentation(context: vscode.ExtensionContext, ruleId?: unknown, url?: unknown): Promise<void> {
  let id = isRuleId(ruleId) ? ruleId : undefined;
  if (!id) {
    const def = suppression.definitions.ruleId;
    const picked = await vscode.window.showQuickPick(
      def.enum.map((rule, i) => ({ label: rule, detail: def.enumDescriptions[i] })),
      { placeHolder: 'Show the documentation of a lambda-vpc-lint rule', matchOnDetail: true },
    );
    if (!picked) return;
    id = picked.label;
  }
  const local = vscode.Uri.joinPath(context.extensionUri, ...localDocSegments(id));
  try {
    await vscode.workspace.fs.stat(local);
  } catch {
    await vscode.env.openExternal(vscode.Uri.parse(typeof url === 'string' ? url : ruleDocUrl(id)));
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', local);
}

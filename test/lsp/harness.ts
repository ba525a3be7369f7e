/**
 * A small LSP client for the language server tests: starts the real server (`node dist/server.js
 * --stdio`, from a private copy of the freshly built bundle), speaks JSON-RPC to it, answers its requests (settings, registrations), records what it
 * publishes, and keeps each open document's text so tests can apply the server's edits and send them
 * back as incremental changes.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities, CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, Location, LocationLink,
  PublishDiagnosticsParams, SnippetTextEdit, TextDocumentContentChangeEvent, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ensureBuilt } from '../support/build';
import { snippetToText } from './snippet-text';

export const ROOT = resolve(__dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

/** The server the tests start: a private copy of the bundle, so a rebuild running elsewhere cannot swap it mid-test. */
let serverCopy: string | undefined;

/**
 * Builds the bundles through the shared test build step (scripts/build.mjs when the sources are newer,
 * under a lock shared by every test process) and copies dist/server.js aside for these tests.
 */
export async function buildServer(): Promise<string> {
  if (serverCopy) return serverCopy;
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'lvl-server-'));
  // The server loads its AWS half (live lookups) and the managed policy data set from beside itself.
  for (const name of ['server.js', 'server-aws.js', 'managed-policies.ndjson']) {
    copyFileSync(join(ROOT, 'dist', name), join(dir, name));
    try {
      copyFileSync(join(ROOT, 'dist', `${name}.map`), join(dir, `${name}.map`));
    } catch {
      // no source map
    }
  }
  serverCopy = join(dir, 'server.js');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return serverCopy;
}

export interface StatusMessage {
  uri: string;
  version: number | null;
  state: string;
  counts?: { error: number; warning: number; info: number; problems: number };
  dialect?: string;
  reason?: string;
  environments?: boolean;
}

interface Waiter<T> {
  match: (value: T) => boolean;
  resolve: (value: T) => void;
}

export interface ClientOptions {
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  workspaceFolder?: string;
  /** Environment variables for the server process, over this process's own. */
  env?: Record<string, string>;
  /** Node and V8 flags for the server process (as a client's `execArgv`). */
  execArgv?: string[];
  /** Talk to a server in this process over these streams instead of starting dist/server.js. */
  streams?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
    workspaceFolders: true,
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
  },
  window: { showDocument: { support: true } },
};

export class LspClient {
  readonly proc: ChildProcess | undefined;
  readonly connection: MessageConnection;
  /** Every publishDiagnostics, in order of arrival. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly statuses: StatusMessage[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly configurationRequests: unknown[] = [];
  readonly shownDocuments: string[] = [];
  readonly logs: string[] = [];
  stderr = '';
  settings: Record<string, unknown>;
  private readonly docs = new Map<string, TextDocument>();
  private readonly diagWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private exited = false;

  constructor(private readonly options: ClientOptions = {}) {
    this.settings = { ...(options.settings ?? {}) };
    if (options.streams) {
      this.proc = undefined;
      this.connection = createMessageConnection(new StreamMessageReader(options.streams.input), new StreamMessageWriter(options.streams.output));
    } else {
      if (!serverCopy) throw new Error('call buildServer() (in a before hook) before starting the server');
      const proc = spawn(process.execPath, [...(options.execArgv ?? []), serverCopy, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
      this.proc = proc;
      proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
      proc.on('exit', () => (this.exited = true));
      this.connection = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    }
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      for (const w of [...this.diagWaiters]) {
        if (w.match(p)) {
          this.diagWaiters.splice(this.diagWaiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification('lambdaVpcLint/status', (p: unknown) => {
      this.statuses.push(p as StatusMessage);
    });
    this.connection.onNotification('window/logMessage', (p: unknown) => {
      this.logs.push((p as { message: string }).message);
    });
    this.connection.onNotification('window/showMessage', (p: unknown) => {
      this.logs.push((p as { message: string }).message);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) => {
      this.configurationRequests.push(p);
      return p.items.map((item) => (item.section === 'lambdaVpcLint' ? this.settings : null));
    });
    this.connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onRequest('window/showDocument', (p: { uri: string }) => {
      this.shownDocuments.push(p.uri);
      return { success: true };
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.listen();
  }

  get alive(): boolean {
    return !this.exited;
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const folder = this.options.workspaceFolder;
    const result = await this.connection.sendRequest('initialize', {
      processId: this.proc ? process.pid : null,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'test' }] : null,
      capabilities: this.options.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: this.options.initializationOptions,
    }) as { capabilities: Record<string, unknown> };
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, text: string, languageId = /\.json$/.test(uri) ? 'json' : 'yaml'): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  doc(uri: string): TextDocument {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    return d;
  }

  text(uri: string): string {
    return this.doc(uri).getText();
  }

  /** Sends incremental changes and returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const old = this.doc(uri);
    const version = old.version + 1;
    const next = TextDocument.update(old, changes, version);
    this.docs.set(uri, next);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Replaces the whole text (as one incremental change covering everything). */
  async replaceAll(uri: string, text: string): Promise<number> {
    const old = this.doc(uri);
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end: old.positionAt(old.getText().length) }, text }]);
  }

  /** Applies a workspace edit from the server to the open document (snippets as their plain text). */
  async applyEdit(uri: string, edit: WorkspaceEdit): Promise<number> {
    const edits: TextEdit[] = [];
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change) || change.textDocument.uri !== uri) continue;
      for (const e of change.edits) {
        if ('snippet' in e) edits.push({ range: (e as SnippetTextEdit).range, newText: snippetToText((e as SnippetTextEdit).snippet.value) });
        else edits.push(e as TextEdit);
      }
    }
    edits.push(...(edit.changes?.[uri] ?? []));
    if (edits.length === 0) throw new Error('the edit changes nothing in this document');
    // Send them as one change of the whole text, computed the way an editor applies them.
    const next = TextDocument.applyEdits(this.doc(uri), edits);
    return this.replaceAll(uri, next);
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { lambdaVpcLint: settings } });
  }

  /** The next publish for the URI that satisfies `match` (also one already received, with `since`). */
  diagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000, since = -1): Promise<PublishDiagnosticsParams> {
    if (since >= 0) {
      const found = this.published.slice(since).find((p) => p.uri === uri && match(p));
      if (found) return Promise.resolve(found);
    }
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.diagWaiters.splice(this.diagWaiters.indexOf(waiter), 1);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.filter((p) => p.uri === uri).slice(-3).map((p) => ({ version: p.version, codes: p.diagnostics.map((d) => d.code ?? d.message) })))}\nserver stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const waiter: Waiter<PublishDiagnosticsParams> = {
        match: (p) => p.uri === uri && match(p),
        resolve: (p) => {
          clearTimeout(timer);
          resolvePromise(p);
        },
      };
      this.diagWaiters.push(waiter);
    });
  }

  /** The diagnostics for a version of the document (waits for them). */
  forVersion(uri: string, version: number, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return this.diagnostics(uri, (p) => p.version === version, timeoutMs, 0).then((p) => p.diagnostics);
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: only ? { diagnostics, only } : { diagnostics },
    }) as Promise<CodeAction[]>;
  }

  hover(uri: string, offset: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: this.doc(uri).positionAt(offset) }) as Promise<Hover | null>;
  }

  definition(uri: string, offset: number): Promise<Location | Location[] | LocationLink[] | null> {
    return this.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: this.doc(uri).positionAt(offset) }) as Promise<Location | null>;
  }

  async completion(uri: string, offset: number): Promise<CompletionItem[]> {
    const r = await this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: this.doc(uri).positionAt(offset) }) as CompletionItem[] | CompletionList | null;
    if (!r) return [];
    return Array.isArray(r) ? r : r.items;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const proc = this.proc;
    if (!proc) {
      // In process: no `exit` notification (it would end this process); just hang up.
      await Promise.race([this.connection.sendRequest('shutdown'), sleep(2000)]);
      this.connection.dispose();
      this.exited = true;
      return;
    }
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), sleep(2000)]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await Promise.race([new Promise((r) => proc.once('exit', r)), sleep(2000)]);
    if (!this.exited) proc.kill();
    this.connection.dispose();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A temporary folder with files; returns its path and a cleanup function. */
export function tempFolder(files: Record<string, string> = {}): { dir: string; uri: (name: string) => string; write: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lvl-lsp-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return {
    dir,
    uri: (name) => pathToFileURL(join(dir, name)).href,
    write,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The offset of the n-th occurrence of `needle` (plus `delta`). */
export function offsetOf(text: string, needle: string, delta = 0, nth = 1): number {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found`);
  }
  return at + delta;
}

/**
 * What the language server keeps while a large template is edited: one analysis per open document, of
 * its latest version, and nothing once it is closed; and, with a server that can collect garbage on
 * request (`--expose-gc`), that no earlier version's analysis, tree or model stays reachable (read
 * through lambdaVpcLint/serverState). Structural facts only: no timing, no byte counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerStateResult } from '../../server/src/lsp/protocol';
import { SERVER_STATE_REQUEST } from '../../server/src/lsp/protocol';
import { generate } from '../../bench/generate';
import { SAM_MISSING_GROUPS } from './fixtures';
import { buildServer, LspClient, tempFolder } from './harness';
import type { ServerStateParams } from '../../server/src/lsp/protocol';

describe('language server: memory', () => {
  const folder = tempFolder();
  let client: LspClient;
  const state = () => client.connection.sendRequest(SERVER_STATE_REQUEST) as Promise<ServerStateResult>;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 0 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('keeps one analysis per document, of its latest version, across edits of a large template; none after close', async () => {
    const large = folder.uri('large.yaml');
    const text = generate('cfn-yaml', 500);
    await client.open(large, text);
    assert.ok((await client.forVersion(large, 1, 60_000)).length > 0, 'the generated template has findings');
    const at = client.doc(large).positionAt(text.indexOf('index.handler') + 1);
    let version = 1;
    for (let i = 0; i < 12; i++) {
      const range = i % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      version = await client.change(large, [{ range, text: i % 2 === 0 ? 'x' : '' }]);
      await client.forVersion(large, version, 60_000);
    }
    assert.equal(version, 13);
    assert.deepEqual((await state()).analyses, [{ uri: large, version: 13 }]);

    const small = folder.uri('small.yaml');
    await client.open(small, SAM_MISSING_GROUPS);
    await client.forVersion(small, 1);
    const both = await state();
    assert.deepEqual(both.analyses.map((a) => `${a.uri}@${a.version}`).sort(), [`${large}@13`, `${small}@1`].sort());
    assert.equal(both.diagnosedDocuments, 2);
    assert.ok(both.memory.rssBytes > 0 && both.memory.heapUsedBytes > 0);

    await client.close(large);
    const closed = await state();
    assert.deepEqual(closed.analyses, [{ uri: small, version: 1 }]);
    assert.equal(closed.diagnosedDocuments, 1);
  });
});

describe('language server: memory, what stays reachable', () => {
  const text = generate('cfn-yaml', 500);
  // On disk too, so the workspace index holds the template (from the editor's buffer while it is open).
  const folder = tempFolder({ 'large.yaml': text });
  let client: LspClient;
  const state = (params: ServerStateParams = { collect: true }) => client.connection.sendRequest(SERVER_STATE_REQUEST, params) as Promise<ServerStateResult>;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 0 }, execArgv: ['--expose-gc'] });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('drops each replaced analysis with its tree and model, also from the workspace index; and all of it on close', async () => {
    const uri = folder.uri('large.yaml');
    await client.open(uri, text);
    await client.forVersion(uri, 1, 60_000);
    const at = client.doc(uri).positionAt(text.indexOf('index.handler') + 1);
    let version = 1;
    for (let i = 0; i < 8; i++) {
      const range = i % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      version = await client.change(uri, [{ range, text: i % 2 === 0 ? 'x' : '' }]);
      await client.forVersion(uri, version, 60_000);
    }
    const edited = await state();
    assert.equal(edited.collected, true, 'the server collected garbage before answering');
    assert.deepEqual(edited.analyses, [{ uri, version: 9 }]);
    assert.equal(edited.retainedDropped, 0, 'no earlier version\'s analysis, tree or model is reachable');

    await client.close(uri);
    // The workspace index goes back to the file on disk; then nothing of the closed buffer's analysis is left.
    await client.diagnostics(uri, (p) => p.diagnostics.length === 0, 10_000, 0);
    let closed = await state();
    for (let i = 0; i < 20 && closed.retainedDropped !== 0; i++) closed = await state();
    assert.deepEqual(closed.analyses, []);
    assert.equal(closed.retainedDropped, 0, 'nothing of the closed document\'s analyses is reachable');
  });
});

/**
 * What the language server keeps while a large template is edited: one analysis per open document, of
 * its latest version, and nothing once it is closed (read through lambdaVpcLint/serverState).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerStateResult } from '../../server/src/lsp/protocol';
import { SERVER_STATE_REQUEST } from '../../server/src/lsp/protocol';
import { generate } from '../../bench/generate';
import { SAM_MISSING_GROUPS } from './fixtures';
import { buildServer, LspClient, tempFolder } from './harness';

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

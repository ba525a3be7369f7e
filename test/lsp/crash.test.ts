/**
 * A failing analysis is contained: the server, run in this process with an engine that throws on one
 * document, publishes one diagnostic saying the analysis failed there, logs the error, and keeps
 * serving every other document (and the failing one once it stops failing). The engine itself is
 * built never to throw, hence the stand-in.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { createConnection } from 'vscode-languageserver/node';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { analyze } from '../../server/src/core/analyze';
import { startServer } from '../../server/src/lsp/server';
import { SAM_MISSING_GROUPS } from './fixtures';
import { LspClient, offsetOf, sleep } from './harness';

describe('language server: a crash in one analysis', () => {
  let client: LspClient;
  const toServer = new PassThrough();
  const toClient = new PassThrough();

  before(async () => {
    const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(connection, {
      analyze: (text, options) => {
        if (text.includes('BOOM')) throw new TypeError("Cannot read properties of undefined (reading 'pairs')");
        return analyze(text, options);
      },
    });
    connection.listen();
    client = new LspClient({ streams: { input: toClient, output: toServer }, settings: { debounceMs: 10 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
  });

  it('becomes one diagnostic on that document, and the error is logged', async () => {
    const uri = 'untitled:boom';
    await client.open(uri, `${SAM_MISSING_GROUPS}# BOOM\n`);
    const diagnostics = await client.forVersion(uri, 1);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Error);
    assert.match(String(diagnostics[0]!.message), /lambda-vpc-lint could not analyse this file: TypeError: Cannot read properties of undefined \(reading 'pairs'\)/);
    await sleep(50);
    assert.ok(client.logs.some((l) => l.includes('the analysis of untitled:boom (version 1) failed') && l.includes('TypeError')), client.logs.join('\n'));
    assert.ok(client.statuses.some((s) => s.uri === uri && s.state === 'failed'));
  });

  it('leaves other documents served, and requests on the failing one answered', async () => {
    const uri = 'untitled:fine';
    await client.open(uri, SAM_MISSING_GROUPS);
    assert.deepEqual((await client.forVersion(uri, 1)).map((d) => d.code), ['vpc-config-incomplete']);
    assert.equal(await client.hover('untitled:boom', 10), null);
    assert.deepEqual(await client.completion('untitled:boom', 10), []);
    const hover = await client.hover(uri, offsetOf(SAM_MISSING_GROUPS, 'Api:'));
    assert.ok(hover, 'hover still works elsewhere');
  });

  it('recovers when the document no longer makes the analysis fail', async () => {
    const uri = 'untitled:boom';
    const version = await client.replaceAll(uri, SAM_MISSING_GROUPS);
    assert.deepEqual((await client.forVersion(uri, version)).map((d) => d.code), ['vpc-config-incomplete']);
  });
});

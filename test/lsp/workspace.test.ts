/**
 * The language server over a workspace whose network and functions are in different templates: it
 * indexes the folder at start (with a progress notification), publishes a finding about the network
 * template's ACL on that template, follows an edit of the network to its dependents, and answers go to
 * definition, hover and completion on `Fn::ImportValue`.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, Diagnostic, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { cfAt, excludeTest, importAt } from '../../server/src/lsp/workspace';
import { buildServer, DEFAULT_CAPABILITIES, LspClient, offsetOf } from './harness';

const FIXTURE = join(__dirname, '..', 'fixtures', 'multi-template', 'exact');

describe('language server: one model across the workspace', () => {
  let dir: string;
  let client: LspClient;
  const progress: { kind: string; title?: string }[] = [];
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;

  before(async () => {
    await buildServer();
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-lsp-ws-')));
    cpSync(FIXTURE, dir, { recursive: true });
    client = new LspClient({ workspaceFolder: dir, capabilities: { ...DEFAULT_CAPABILITIES, window: { ...DEFAULT_CAPABILITIES.window, workDoneProgress: true } } });
    client.connection.onNotification('$/progress', (p: { value: { kind: string; title?: string } }) => {
      progress.push(p.value);
    });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes the folder with a progress notification, and publishes the ACL finding on the network template', async () => {
    const app = uri('app/template.yaml');
    await client.open(app, readFileSync(join(dir, 'app/template.yaml'), 'utf8'));
    const published = await client.diagnostics(uri('network/vpc.yaml'), (p) => p.diagnostics.some((d) => d.code === 'nacl-blocks-traffic'), 20_000);
    const nacl = published.diagnostics.find((d) => d.code === 'nacl-blocks-traffic')!;
    assert.deepEqual(nacl.range.start, { line: 111, character: 2 });
    assert.equal(nacl.relatedInformation?.[0]?.location.uri, app);
    assert.ok(progress.some((p) => p.kind === 'begin' && p.title === 'Lambda VPC Lint'));
    assert.ok(progress.some((p) => p.kind === 'end'));
    // The function's own file has no finding of its own about it.
    const own = client.published.filter((p) => p.uri === app);
    assert.ok(own.length > 0 && own.every((p) => !p.diagnostics.some((d) => d.code === 'nacl-blocks-traffic')));
  });

  it('goes to the exporting Output, and hovers with the value and its template', async () => {
    const app = uri('app/template.yaml');
    const text = client.text(app);
    const at = offsetOf(text, 'network-PrivateSubnets', 3);
    const location = await client.definition(app, at) as Location;
    assert.equal(location.uri, uri('network/vpc.yaml'));
    const network = readFileSync(join(dir, 'network/vpc.yaml'), 'utf8');
    assert.equal(location.range.start.line, network.slice(0, network.indexOf('  PrivateSubnets:\n')).split('\n').length - 1);
    const hover = await client.hover(app, at) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /Exported by `network\/vpc\.yaml` \(output `PrivateSubnets`\)/);
    assert.match(value, /Value: SubnetA,SubnetB/);
  });

  it('offers the workspace\'s export names inside !ImportValue', async () => {
    const app = uri('app/template.yaml');
    const text = client.text(app);
    const start = offsetOf(text, 'network-LambdaSg');
    const doc = client.doc(app);
    await client.change(app, [{ range: { start: doc.positionAt(start), end: doc.positionAt(start + 'network-LambdaSg'.length) }, text: 'net' }]);
    const items: CompletionItem[] = await client.completion(app, start + 3);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('network-PrivateSubnets'));
    assert.ok(labels.includes('network-LambdaSg'));
    assert.equal(items.find((i) => i.label === 'network-LambdaSg')?.detail, 'exported by network/vpc.yaml');
  });

  it('offers the suppressions on the network template for the finding its dependent placed there', async () => {
    const network = uri('network/vpc.yaml');
    const since = client.published.length;
    await client.open(network, readFileSync(join(dir, 'network/vpc.yaml'), 'utf8'));
    // Once the dependent is analysed with the open document, its finding refers to this version.
    const current = (d: Diagnostic) => d.code === 'nacl-blocks-traffic' && (d.data as { version?: number }).version === 1;
    const published = await client.diagnostics(network, (p) => p.diagnostics.some(current), 20_000, since);
    const nacl = published.diagnostics.find(current)!;
    const titles = (await client.codeActions(network, [nacl])).map((a) => a.title);
    assert.ok(titles.includes('Ignore nacl-blocks-traffic for this resource'), JSON.stringify(titles));
    assert.ok(titles.includes('Show documentation for nacl-blocks-traffic'), JSON.stringify(titles));
    await client.close(network);
  });

  it('an edit of the network template that fixes the ACL clears the finding its dependent found', async () => {
    const network = uri('network/vpc.yaml');
    const text = readFileSync(join(dir, 'network/vpc.yaml'), 'utf8');
    await client.open(network, text);
    const entry = `  PrivateAclIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref PrivateAcl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      Egress: false
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 1024, To: 65535 }
`;
    const at = text.indexOf('  SubnetAAcl:');
    const doc = client.doc(network);
    await client.change(network, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: entry }]);
    const cleared = await client.diagnostics(network, (p) => !p.diagnostics.some((d) => d.code === 'nacl-blocks-traffic'), 20_000);
    assert.ok(!cleared.diagnostics.some((d) => d.code === 'nacl-blocks-traffic'));
  });
});

describe('workspace helpers of the language server', () => {
  it('finds the Fn::ImportValue name and the ${cf:} variable at the cursor', () => {
    const text = 'a:\n  SubnetIds: !Split [",", !ImportValue net-PrivateSubnets]\n  B: { "Fn::ImportValue": "x-Sg" }\n  c: ${cf:net-prod.SubnetA}\n';
    assert.deepEqual(importAt(text, text.indexOf('PrivateSubnets')), { name: 'net-PrivateSubnets', start: text.indexOf('net-Private'), end: text.indexOf('net-Private') + 18 });
    assert.equal(importAt(text, text.indexOf('x-Sg'))?.name, 'x-Sg');
    assert.equal(importAt(text, text.indexOf('SubnetIds')), undefined);
    assert.deepEqual(cfAt(text, text.indexOf('net-prod')), { stack: 'net-prod', output: 'SubnetA', start: text.indexOf('${cf'), end: text.indexOf('${cf') + '${cf:net-prod.SubnetA}'.length });
  });

  it('reads files.exclude as a test on paths under the folders', () => {
    const test = excludeTest({ '**/build': true, 'tmp/*.yaml': true, '**/keep': false }, ['/repo']);
    assert.ok(test);
    assert.equal(test('/repo/a/build'), true);
    assert.equal(test('/repo/tmp/x.yaml'), true);
    assert.equal(test('/repo/a/keep'), false);
    assert.equal(test('/elsewhere/build'), false);
    assert.equal(excludeTest(undefined, ['/repo']), undefined);
  });
});

describe('language server: a samconfig names the stacks of the templates beside it', () => {
  let dir: string;
  let client: LspClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;

  before(async () => {
    await buildServer();
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-lsp-ws-stack-')));
    cpSync(join(__dirname, '..', 'fixtures', 'multi-template', 'stack-name'), dir, { recursive: true });
    client = new LspClient({ workspaceFolder: dir });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renaming the network stack in its samconfig re-resolves the imports of the open template', async () => {
    const app = uri('app/template.yaml');
    await client.open(app, readFileSync(join(dir, 'app/template.yaml'), 'utf8'));
    // network/samconfig.toml deploys the network as net-prod, whose export the function imports.
    await client.diagnostics(app, (p) => p.diagnostics.some((d) => d.code === 'missing-endpoint'), 20_000);
    const samconfig = join(dir, 'network', 'samconfig.toml');
    writeFileSync(samconfig, readFileSync(samconfig, 'utf8').replace('net-prod', 'net-other'));
    const since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(samconfig).href, type: 2 }] });
    // Without an exporter, the subnets are unknown: the finding that rested on them goes, and network-unknown names the import.
    const after = await client.diagnostics(app, (p) => !p.diagnostics.some((d) => d.code === 'missing-endpoint'), 20_000, since);
    const unknown = after.diagnostics.find((d) => d.code === 'network-unknown');
    assert.match(String(unknown?.message), /`Fn::ImportValue` `net-prod-PrivateSubnets` is exported by no template in the workspace/);
  });
});

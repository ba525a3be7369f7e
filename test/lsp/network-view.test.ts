/**
 * `lambdaVpcLint/networkView` over stdio against the built server: a function's network as a tree, with
 * the broken Availability Zone marked, states per node, findings as children and ranges of definitions.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NetworkViewItem, NetworkViewResult } from '../../server/src/lsp/protocol';
import { NETWORK_VIEW_REQUEST } from '../../server/src/lsp/protocol';
import { LspClient, buildServer, tempFolder } from './harness';

const BROKEN_AZ = readFileSync(resolve(__dirname, '../fixtures/workspace/network.yaml'), 'utf8');

/** `state kind label` per node, indented by depth, findings by rule id. */
function outline(items: NetworkViewItem[], depth = 0): string[] {
  return items.flatMap((i) => [`${'  '.repeat(depth)}${i.state} ${i.kind} ${i.kind === 'finding' ? i.ruleId : i.label}`, ...outline(i.children, depth + 1)]);
}

describe('language server: network view request', () => {
  const folder = tempFolder({});
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  const request = (uri: string) => client.connection.sendRequest(NETWORK_VIEW_REQUEST, { textDocument: { uri } }) as Promise<NetworkViewResult | null>;

  it('follows the function to its subnets, route tables and default route targets, and marks the broken zone', async () => {
    const uri = folder.uri('network.yaml');
    await client.open(uri, BROKEN_AZ);
    const view = (await request(uri))!;
    assert.equal(view.uri, uri);
    assert.equal(view.version, 1);
    assert.deepEqual(outline(view.functions), [
      'finding function Worker',
      '  finding finding vpc-without-private-resources',
      '  finding finding missing-endpoint',
      '  ok subnet PrivateSubnetA',
      '    ok route-table PrivateTableA',
      '      ok route-target NAT gateway Nat',
      '  finding subnet PrivateSubnetB',
      '    finding finding missing-endpoint',
      '    ok route-table PrivateTableB',
      '      ok route-target no default route',
      '  ok security-group LambdaSecurityGroup',
    ]);
    const [worker] = view.functions;
    assert.equal(worker!.severity, 'error');
    const [, , a, b] = worker!.children;
    assert.equal(a!.description, 'AZ #0 of the region · 10.0.10.0/24');
    assert.equal(a!.children[0]!.children[0]!.description, '0.0.0.0/0 · in AZ #0 of the region');
    // Clicking reveals the definition: the range of the subnet's logical id.
    const lines = BROKEN_AZ.split('\n');
    assert.equal(lines[b!.range!.start.line]!.slice(b!.range!.start.character, b!.range!.end.character), 'PrivateSubnetB');
    // A finding points where it is reported.
    const finding = b!.children[0]!;
    assert.equal(finding.severity, 'error');
    assert.match(finding.label, /1 of its 2 subnets has no way out \(PrivateSubnetB\)/);
  });

  it('says why a part of the network is unknown, and answers null for a file that is not a template', async () => {
    const uri = folder.uri('hard-coded.yaml');
    await client.open(uri, `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-CHANGEME]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`);
    const view = (await request(uri))!;
    const subnets = view.functions[0]!.children.filter((c) => c.kind === 'subnet');
    assert.deepEqual(subnets.map((s) => [s.state, s.label]), [['unknown', 'subnet-0a1b2c3d4e5f60001'], ['unknown', 'subnet-CHANGEME']]);
    assert.match(subnets[0]!.tooltip!, /not in the template: its zone and routes are unknown/);
    assert.match(subnets[1]!.tooltip!, /'subnet-CHANGEME' is a placeholder to replace/);
    assert.equal(view.functions[0]!.state, 'unknown');

    const other = folder.uri('compose.yaml');
    await client.open(other, 'services:\n  web:\n    image: nginx\n');
    assert.equal(await request(other), null);
  });
});

/**
 * The deployed stack in the language server, over stdio against the built server and the loopback
 * CloudFormation/EC2 server: `lambdaVpcLint.live.stackName` makes a template whose subnets are
 * parameters with no value checkable (findings and hover name the stack and parameter), and the stack
 * picker's request lists the matching stacks, most recent first, or says lookups are off without
 * calling anything in an untrusted workspace.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { DeployedStacksResult } from '../../server/src/lsp/protocol';
import type { AwsTestServer } from '../live/support';
import { PRIVATE_A, PRIVATE_B, SAM_PARAMS_TEMPLATE, SG, account, liveEnv, startAwsServer } from '../live/support';
import { buildServer, LspClient, tempFolder } from './harness';

const noEgress = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'no-egress-route');

let server: AwsTestServer;
let env: Record<string, string>;

before(async () => {
  await buildServer();
  server = await startAwsServer();
  env = liveEnv({ AWS_MAX_ATTEMPTS: '1' });
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  server.data = account();
  server.requests.length = 0;
  server.clearFaults();
  const resources = [{ logicalId: 'Api', type: 'AWS::Lambda::Function', physicalId: 'fn' }, { logicalId: 'ApiRole', type: 'AWS::IAM::Role', physicalId: 'role' }];
  server.stacks = [
    { name: 'app-dev', updated: '2026-11-01T10:00:00Z', resources, parameters: [{ key: 'SubnetIds', value: PRIVATE_A }, { key: 'SecurityGroupId', value: SG }] },
    { name: 'app-prod', updated: '2026-12-01T10:00:00Z', resources, parameters: [{ key: 'SubnetIds', value: `${PRIVATE_A},${PRIVATE_B}` }, { key: 'SecurityGroupId', value: SG }] },
    { name: 'website', updated: '2026-12-02T10:00:00Z', resources: [{ logicalId: 'Bucket', type: 'AWS::S3::Bucket', physicalId: 'b' }] },
    { name: 'gone', updated: '2026-12-03T10:00:00Z', status: 'DELETE_COMPLETE', resources },
    { name: 'app-prod-Child-1X', updated: '2026-12-03T10:00:00Z', resources, parent: 'app-prod' },
  ];
});

describe('language server: a deployed stack', () => {
  it('reads the parameters of the folder\'s live.stackName; the finding and the hover name their source', async () => {
    const folder = tempFolder({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const settings = { debounceMs: 20, region: 'us-east-1', live: { enabled: true, stackName: 'app-prod' }, aws: { endpoint: server.url } };
    const client = new LspClient({ workspaceFolder: folder.dir, settings, env });
    try {
      await client.initialize();
      const uri = folder.uri('template.yaml');
      await client.open(uri, SAM_PARAMS_TEMPLATE);
      const found = await client.diagnostics(uri, noEgress, 15_000, 0);
      const finding = found.diagnostics.find((d) => d.code === 'no-egress-route')!;
      assert.match(String(finding.message), new RegExp(`${PRIVATE_A} \\(live, from stack app-prod parameter SubnetIds\\)`));
      assert.deepEqual(server.requests.filter((r) => r.action === 'DescribeStacks').map((r) => r.params.get('StackName')), ['app-prod']);
      const hover = (await client.hover(uri, SAM_PARAMS_TEMPLATE.indexOf('Api:'))) as Hover;
      const text = JSON.stringify(hover.contents);
      assert.match(text, /live, from stack app-prod parameter SubnetIds/);
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });

  it('lists the stacks whose resources match the template, most recent first', async () => {
    const folder = tempFolder({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const settings = { debounceMs: 20, region: 'us-east-1', live: { enabled: true, stackName: 'app-prod' }, aws: { endpoint: server.url } };
    const client = new LspClient({ workspaceFolder: folder.dir, settings, env });
    try {
      await client.initialize();
      const uri = folder.uri('template.yaml');
      await client.open(uri, SAM_PARAMS_TEMPLATE);
      await client.forVersion(uri, 1);
      const result = await client.connection.sendRequest<DeployedStacksResult>('lambdaVpcLint/deployedStacks', { uri });
      assert.equal(result.enabled, true);
      assert.equal(result.current, 'app-prod');
      // website shares no resource; gone is deleted (ListStacks filters it out); the child is a nested stack.
      assert.deepEqual(result.stacks.map((s) => s.name), ['app-prod', 'app-dev']);
      assert.deepEqual(result.stacks.map((s) => [s.matched, s.of]), [[1, 1], [1, 1]]);
      const list = server.requests.find((r) => r.action === 'ListStacks')!;
      assert.ok(![...list.params.values()].includes('DELETE_COMPLETE'), 'deleted stacks are not asked for');
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });

  it('in an untrusted workspace, says lookups are off and calls nothing', async () => {
    const folder = tempFolder({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const settings = { debounceMs: 20, region: 'us-east-1', live: { enabled: true, stackName: 'app-prod' }, aws: { endpoint: server.url } };
    const client = new LspClient({ workspaceFolder: folder.dir, settings, env, initializationOptions: { workspaceTrusted: false } });
    try {
      await client.initialize();
      const uri = folder.uri('template.yaml');
      await client.open(uri, SAM_PARAMS_TEMPLATE);
      assert.ok(!noEgress({ uri, diagnostics: await client.forVersion(uri, 1) }));
      const result = await client.connection.sendRequest<DeployedStacksResult>('lambdaVpcLint/deployedStacks', { uri });
      assert.deepEqual(result, { enabled: false, stacks: [], message: 'Live lookups are off in an untrusted workspace.' });
      assert.deepEqual(server.requests, []);
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });
});

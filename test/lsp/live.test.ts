/**
 * Live lookups in the language server, over stdio against the built server, with the loopback AWS
 * server (EC2, CloudFormation and SSM on one 127.0.0.1 port), fake static credentials and empty AWS
 * config files: a template with hard-coded subnet ids gets `no-egress-route` once the live route tables
 * are read (and none when they route to a NAT gateway, after the refresh command), a failed lookup is
 * one warning, the samconfig's region is the lookups' region, and an untrusted workspace or the setting
 * left off makes no request at all.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import type { Ec2Data } from '../support/ec2-server';
import { startEc2Server } from '../support/ec2-server';
import type { AwsTestServer } from '../live/support';
import { PRIVATE_A, PRIVATE_B, SAM_PARAMS_TEMPLATE, SG, account, liveEnv, startAwsServer } from '../live/support';
import { buildServer, LspClient, sleep, tempFolder } from './harness';

/** The function needs the internet; its subnets and group are ids of the account. */
const HARD_CODED = SAM_PARAMS_TEMPLATE
  .replace(/Parameters:\n(?: {2}.*\n| {4}.*\n)*/, '')
  .replace('SubnetIds: !Ref SubnetIds', `SubnetIds: [${PRIVATE_A}, ${PRIVATE_B}]`)
  .replace('SecurityGroupIds: [!Ref SecurityGroupId]', `SecurityGroupIds: [${SG}]`);

const noEgress = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'no-egress-route');
const liveWarning = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => /^live lookups in [\w-]+ failed/.test(String(d.message)));

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('timed out');
    await sleep(20);
  }
}

/** The account, moved to another region. */
function inRegion(data: Ec2Data, region: string): Ec2Data {
  for (const list of [data.vpcs, data.subnets, data.securityGroups, data.routeTables, data.natGateways, data.networkAcls]) {
    for (const item of (list ?? []) as { region?: string }[]) item.region = region;
  }
  return data;
}

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
});

describe('language server: live lookups', () => {
  const folder = tempFolder({ 'template.yaml': HARD_CODED });
  let client: LspClient;
  const settings = () => ({ debounceMs: 20, region: 'us-east-1', live: { enabled: true }, aws: { endpoint: server.url } });

  before(async () => {
    client = new LspClient({ workspaceFolder: folder.dir, settings: settings(), env });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('finds no-egress-route once the route tables are read, then stays silent after a refresh that finds a NAT gateway', async () => {
    const uri = folder.uri('template.yaml');
    await client.open(uri, HARD_CODED);
    // Analysed at once with an empty cache, then again when the facts arrive.
    const found = await client.diagnostics(uri, noEgress, 15_000, 0);
    const finding = found.diagnostics.find((d) => d.code === 'no-egress-route')!;
    assert.equal(finding.severity, DiagnosticSeverity.Error);
    assert.match(String(finding.message), new RegExp(`${PRIVATE_A} \\(live, us-east-1\\)`));
    assert.ok(server.requests.some((r) => r.action === 'DescribeSubnets'));
    assert.ok(server.requests.some((r) => r.action === 'DescribeRouteTables'));
    assert.ok(server.requests.every((r) => r.region === 'us-east-1' && r.accessKeyId === env.AWS_ACCESS_KEY_ID));
    assert.equal(liveWarning(found), undefined);

    // Cached: an edit analyses again without a call.
    const calls = server.requests.length;
    const version = await client.replaceAll(uri, `${HARD_CODED}# edited\n`);
    assert.ok(noEgress({ uri, diagnostics: await client.forVersion(uri, version) }));
    await sleep(200);
    assert.equal(server.requests.length, calls, 'no lookup for what is cached');

    // The account changes; the refresh command forgets the cache and reads it again.
    server.data = account({ withNat: true });
    const since = client.published.length;
    await client.connection.sendRequest('workspace/executeCommand', { command: 'lambdaVpcLint.live.refresh', arguments: [] });
    await client.diagnostics(uri, (p) => !noEgress(p), 15_000, since);
    assert.ok(server.requests.length > calls, 'read again');
  });

  it('makes a failed lookup one warning, and no finding', async () => {
    const closed = await startEc2Server();
    const url = closed.url;
    await closed.close();
    const uri = folder.uri('template.yaml');
    const since = client.published.length;
    await client.setSettings({ ...settings(), aws: { endpoint: url } });
    const failed = await client.diagnostics(uri, (p) => !!liveWarning(p), 15_000, since);
    const warnings = failed.diagnostics.filter((d) => liveWarning({ uri, diagnostics: [d] }));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.severity, DiagnosticSeverity.Warning);
    assert.match(String(warnings[0]!.message), /^live lookups in us-east-1 failed \(ECONNREFUSED/);
    assert.ok(!noEgress(failed));
    assert.ok(client.logs.some((l) => /live lookups in us-east-1 failed/.test(l)), 'and a line in the log');
    await client.setSettings(settings());
  });
});

describe('language server: the region of live lookups', () => {
  it("reads the subnets a samconfig names, in the samconfig's region", async () => {
    server.data = inRegion(account(), 'eu-west-1');
    const folder = tempFolder({
      'template.yaml': SAM_PARAMS_TEMPLATE,
      'samconfig.toml': `version = 0.1\n[default.deploy.parameters]\nregion = "eu-west-1"\nparameter_overrides = "SubnetIds=${PRIVATE_A},${PRIVATE_B} SecurityGroupId=${SG}"\n`,
    });
    const client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 20, live: { enabled: true }, aws: { endpoint: server.url } }, env });
    try {
      await client.initialize();
      const uri = folder.uri('template.yaml');
      await client.open(uri, SAM_PARAMS_TEMPLATE);
      const found = await client.diagnostics(uri, noEgress, 15_000, 0);
      assert.match(String(found.diagnostics.find((d) => d.code === 'no-egress-route')!.message), new RegExp(`${PRIVATE_A} \\(live, eu-west-1\\)`));
      assert.ok(server.requests.length > 0 && server.requests.every((r) => r.region === 'eu-west-1'), JSON.stringify(server.requests.map((r) => r.region)));
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });

  it("reads a Serverless file's ids in its own provider.region", async () => {
    server.data = inRegion(account(), 'eu-west-1');
    const serverless = `service: api
provider:
  name: aws
  runtime: nodejs20.x
  region: eu-west-1
  environment:
    PARTNER_URL: https://api.partner.example.com/v1
  vpc:
    securityGroupIds: [${SG}]
    subnetIds: [${PRIVATE_A}, ${PRIVATE_B}]
functions:
  api:
    handler: index.handler
`;
    const folder = tempFolder({ 'serverless.yml': serverless });
    const client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 20, live: { enabled: true }, aws: { endpoint: server.url } }, env });
    try {
      await client.initialize();
      const uri = folder.uri('serverless.yml');
      await client.open(uri, serverless);
      const found = await client.diagnostics(uri, noEgress, 15_000, 0);
      assert.match(String(found.diagnostics.find((d) => d.code === 'no-egress-route')!.message), new RegExp(`${PRIVATE_A} \\(live, eu-west-1\\)`));
      assert.ok(server.requests.length > 0 && server.requests.every((r) => r.region === 'eu-west-1'), JSON.stringify(server.requests.map((r) => r.region)));
      // Moved to another region, where the account has none of these ids: the facts of eu-west-1 no longer apply.
      server.requests.length = 0;
      const version = await client.replaceAll(uri, serverless.replace('region: eu-west-1', 'region: us-west-2'));
      const moved = await client.forVersion(uri, version);
      assert.ok(!moved.some((d) => /live, eu-west-1/.test(String(d.message))), JSON.stringify(moved.map((d) => d.message)));
      assert.ok(!noEgress({ uri, diagnostics: moved }));
      await waitFor(() => server.requests.some((r) => r.region === 'us-west-2'));
      assert.ok(server.requests.length > 0 && server.requests.every((r) => r.region === 'us-west-2'), JSON.stringify(server.requests.map((r) => r.region)));
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });
});

describe('language server: no live lookup without trust or the setting', () => {
  it('makes no request in a workspace the client says is untrusted, until trust is granted', async () => {
    const folder = tempFolder({ 'template.yaml': HARD_CODED });
    const client = new LspClient({
      workspaceFolder: folder.dir,
      settings: { debounceMs: 20, region: 'us-east-1', live: { enabled: true }, aws: { endpoint: server.url } },
      initializationOptions: { workspaceTrusted: false },
      env,
    });
    try {
      await client.initialize();
      const uri = folder.uri('template.yaml');
      await client.open(uri, HARD_CODED);
      // Analysed (the template has its other findings), and nothing asked of the account.
      const diagnostics = await client.forVersion(uri, 1);
      assert.ok(!noEgress({ uri, diagnostics }));
      const version = await client.replaceAll(uri, `${HARD_CODED}# edited\n`);
      await client.forVersion(uri, version);
      await sleep(500);
      assert.deepEqual(server.requests, []);
      // Granted: the same server now looks the ids up.
      const since = client.published.length;
      await client.connection.sendNotification('lambdaVpcLint/workspaceTrust', { trusted: true });
      await client.diagnostics(uri, noEgress, 15_000, since);
      assert.ok(server.requests.length > 0);
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });

  it('makes no request with lambdaVpcLint.live.enabled off', async () => {
    const folder = tempFolder({ 'template.yaml': HARD_CODED });
    const client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 20, region: 'us-east-1', aws: { endpoint: server.url } }, env });
    try {
      await client.initialize();
      const uri = folder.uri('template.yaml');
      await client.open(uri, HARD_CODED);
      assert.ok(!noEgress({ uri, diagnostics: await client.forVersion(uri, 1) }));
      await sleep(500);
      assert.deepEqual(server.requests, []);
    } finally {
      await client.stop();
      folder.cleanup();
    }
  });
});

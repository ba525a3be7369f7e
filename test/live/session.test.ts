/**
 * The live session against the loopback server with the real SDK clients: what one fetch reads (a
 * subnet's VPC, route table, NAT gateways and their subnets, network ACL, the VPC's endpoints), paging,
 * the cache and its time to live, refresh, exports and SSM values, and failures that leave facts out.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { emptyLiveRequest } from '../../server/src/core/live';
import type { LiveRequest } from '../../server/src/core/live';
import { analyzeWithLive, describeLiveFailures } from '../../server/src/live/analyze';
import { LiveSession } from '../../server/src/live/session';
import type { LiveSessionOptions } from '../../server/src/live/session';
import { startEc2Server } from '../support/ec2-server';
import type { AwsTestServer } from './support';
import {
  ACCESS_KEY_ID, MAIN_TABLE, NAT, PRIVATE_A, PRIVATE_B, PRIVATE_TABLE, PUBLIC_A, SAM_PARAMS_TEMPLATE, SG, VPC, account, startAwsServer,
} from './support';

const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'live-test-secret' };
let server: AwsTestServer;
let clock = 1_000_000;

function session(extra: Partial<LiveSessionOptions> = {}): LiveSession {
  return new LiveSession({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1, now: () => clock, ...extra });
}

function request(part: Partial<LiveRequest>): LiveRequest {
  return { ...emptyLiveRequest(), ...part };
}

before(async () => {
  server = await startAwsServer();
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  server.data = account();
  server.page = {};
  server.clearFaults();
  server.requests.length = 0;
  server.exports = [];
  server.ssmParameters = [];
  clock = 1_000_000;
});

describe('LiveSession.fetch', () => {
  it('reads subnets with their VPC, route table, NAT gateway, network ACL and the VPC endpoints', async () => {
    server.data = account({ withNat: true });
    server.data.vpcEndpoints = [{ id: 'vpce-0a1b2c3d4e5f60001', vpcId: VPC, serviceName: 'com.amazonaws.us-east-1.s3', routeTableIds: [PRIVATE_TABLE] }];
    const s = session();
    const result = await s.fetch(request({ subnets: [PRIVATE_A, PRIVATE_B], securityGroups: [SG] }));
    assert.deepEqual(result.failures, []);
    const facts = s.facts();
    const byId = new Map(facts.subnets.map((x) => [x.id, x]));
    assert.equal(byId.get(PRIVATE_A)?.routeTable, PRIVATE_TABLE);
    assert.equal(byId.get(PRIVATE_A)?.availabilityZone, 'us-east-1a');
    assert.equal(byId.get(PRIVATE_A)?.availabilityZoneId, 'use1-az1');
    assert.equal(byId.get(PRIVATE_A)?.networkAcl, 'acl-0a1b2c3d4e5f60001');
    assert.ok(byId.has(PUBLIC_A), 'the NAT gateway\'s subnet, for its zone');
    assert.deepEqual(facts.vpcs.map((v) => [v.id, v.cidr, v.mainRouteTable, v.endpointsListed, v.tenancy]), [[VPC, '10.0.0.0/16', MAIN_TABLE, true, 'default']]);
    const table = facts.routeTables.find((t) => t.id === PRIVATE_TABLE)!;
    assert.deepEqual(table.routes.map((r) => [r.destination, r.target, r.targetId]), [['10.0.0.0/16', 'other', 'local'], ['0.0.0.0/0', 'nat-gateway', NAT]]);
    assert.deepEqual(facts.natGateways.map((n) => [n.id, n.subnetId, n.connectivity, n.allocationId]), [[NAT, PUBLIC_A, 'public', 'eipalloc-0a1b2c3d4e5f60001']]);
    assert.deepEqual(facts.endpoints.map((e) => [e.id, e.type, e.serviceName, e.routeTableIds]), [['vpce-0a1b2c3d4e5f60001', 'Gateway', 'com.amazonaws.us-east-1.s3', [PRIVATE_TABLE]]]);
    assert.deepEqual(facts.securityGroups.map((g) => [g.id, g.vpcId, g.egress]), [[SG, VPC, [{ protocol: '-1', cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], groups: [], prefixLists: [] }]]]);
    assert.deepEqual(facts.networkAcls[0]!.entries.filter((e) => e.egress).map((e) => [e.ruleNumber, e.allow]), [[100, true], [32767, false]]);
    const actions = new Set(server.requests.map((r) => r.action));
    for (const a of ['DescribeSubnets', 'DescribeSecurityGroups', 'DescribeVpcs', 'DescribeRouteTables', 'DescribeNatGateways', 'DescribeVpcEndpoints', 'DescribeNetworkAcls']) assert.ok(actions.has(a), a);
    assert.ok(server.requests.every((r) => r.accessKeyId === ACCESS_KEY_ID));
  });

  it('gives a subnet without an association the VPC main table', async () => {
    server.data = account({ mainForB: true });
    const s = session();
    await s.fetch(request({ subnets: [PRIVATE_A, PRIVATE_B] }));
    const b = s.facts().subnets.find((x) => x.id === PRIVATE_B)!;
    assert.equal(b.routeTable, MAIN_TABLE);
  });

  it('follows NextToken on every call', async () => {
    server.data = account({ withNat: true });
    server.page = { maxPageSize: 1 };
    const s = session();
    const result = await s.fetch(request({ subnets: [PRIVATE_A, PRIVATE_B], securityGroups: [SG] }));
    assert.deepEqual(result.failures, []);
    assert.equal(s.facts().subnets.length, 3);
    assert.ok(server.requests.some((r) => r.params.get('NextToken')));
  });

  it('reads nothing twice while the facts are fresh, again after the time to live, and after refresh', async () => {
    const s = session({ ttlMs: 60_000 });
    const want = request({ subnets: [PRIVATE_A], securityGroups: [SG] });
    await s.fetch(want);
    const calls = server.requests.length;
    assert.deepEqual(s.pending(want), emptyLiveRequest());
    assert.equal((await s.fetch(want)).calls, 0);
    assert.equal(server.requests.length, calls);
    clock += 61_000;
    assert.deepEqual(s.pending(want).subnets, [PRIVATE_A]);
    assert.equal(s.facts().subnets.length, 0, 'stale facts are not used');
    await s.fetch(want);
    assert.ok(server.requests.length > calls);
    s.refresh();
    assert.deepEqual(s.pending(want).subnets, [PRIVATE_A]);
  });

  it('remembers ids that do not exist, without asking again', async () => {
    const s = session();
    const missing = 'subnet-0fffffffffffffff0';
    await s.fetch(request({ subnets: [missing] }));
    assert.deepEqual(s.facts().subnets, []);
    assert.deepEqual(s.pending(request({ subnets: [missing] })), emptyLiveRequest());
  });

  it('never sends a malformed id', async () => {
    const s = session();
    assert.deepEqual(s.pending(request({ subnets: ['subnet-1', '/ssm/name', 'x'], securityGroups: ['sg-zz'] })), emptyLiveRequest());
  });

  it('reads exports through every page, and SSM values but never a SecureString', async () => {
    server.exportPageSize = 1;
    server.exports = [{ name: 'a', value: '1' }, { name: 'net-Subnets', value: `${PRIVATE_A},${PRIVATE_B}` }, { name: 'c', value: '3' }];
    server.ssmParameters = [
      { name: '/net/subnet', value: PRIVATE_A },
      { name: '/net/subnets', value: `${PRIVATE_A},${PRIVATE_B}`, type: 'StringList' },
      { name: '/net/secret', value: 'hunter2', type: 'SecureString' },
    ];
    const s = session();
    const result = await s.fetch(request({ exports: ['net-Subnets'], ssmParameters: ['/net/subnet', '/net/subnets', '/net/secret', '/net/missing', '/aws/reference/secretsmanager/db'] }));
    assert.deepEqual(result.failures, []);
    const facts = s.facts();
    assert.deepEqual(facts.exports, { a: '1', 'net-Subnets': `${PRIVATE_A},${PRIVATE_B}`, c: '3' });
    assert.deepEqual(facts.ssmParameters, { '/net/subnet': { value: PRIVATE_A, type: 'String' }, '/net/subnets': { value: `${PRIVATE_A},${PRIVATE_B}`, type: 'StringList' } });
    assert.equal(server.requests.filter((r) => r.action === 'ListExports').length, 3);
    const ssmCalls = server.requests.filter((r) => r.service === 'ssm').length;
    assert.equal(ssmCalls, 4, 'the Secrets Manager reference is never asked for');
  });

  it('keeps what it read when one call is refused: the VPC\'s endpoints stay unlisted', async () => {
    server.fail({ type: 'error', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' }, { action: 'DescribeVpcEndpoints' });
    const s = session();
    const result = await s.fetch(request({ subnets: [PRIVATE_A] }));
    assert.deepEqual(result.failures.map((f) => [f.code, f.operation, f.kind]), [['UnauthorizedOperation', 'DescribeVpcEndpoints', 'access']]);
    const facts = s.facts();
    assert.equal(facts.subnets[0]?.routeTable, PRIVATE_TABLE);
    assert.equal(facts.vpcs[0]?.endpointsListed, false);
    assert.match(describeLiveFailures('us-east-1', result.failures)[0]!, /^live lookups in us-east-1 failed \(UnauthorizedOperation: .*\(DescribeVpcEndpoints\)\)/);
  });

  it('an unreachable endpoint leaves everything out and is not asked again at once', async () => {
    const closed = await startEc2Server();
    const url = closed.url;
    await closed.close();
    const s = new LiveSession({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1, now: () => clock });
    const want = request({ subnets: [PRIVATE_A], securityGroups: [SG], exports: ['x'], ssmParameters: ['/a'] });
    const result = await s.fetch(want);
    assert.ok(result.failures.length > 0);
    assert.ok(result.failures.every((f) => f.kind === 'network'), JSON.stringify(result.failures));
    assert.deepEqual(s.facts().subnets, []);
    assert.deepEqual(s.pending(want), emptyLiveRequest());
    clock += 31_000;
    assert.deepEqual(s.pending(want).subnets, [PRIVATE_A]);
    s.dispose();
  });
});

describe('analyzeWithLive', () => {
  const params = { SubnetIds: `${PRIVATE_A},${PRIVATE_B}`, SecurityGroupId: SG };

  it('looks up what the template needs and reports on it', async () => {
    const s = session();
    const out = await analyzeWithLive((live) => analyze(SAM_PARAMS_TEMPLATE, { params, live }), s);
    assert.deepEqual(out.failures, []);
    assert.equal(out.fetches, 1);
    assert.ok(out.result.findings.some((f) => f.ruleId === 'no-egress-route'));
    server.data = account({ withNat: true });
    s.refresh();
    const withNat = await analyzeWithLive((live) => analyze(SAM_PARAMS_TEMPLATE, { params, live }), s);
    assert.ok(!withNat.result.findings.some((f) => f.ruleId === 'no-egress-route'));
  });

  it('takes a second round for the ids an export reveals', async () => {
    server.exports = [{ name: 'network-PrivateSubnets', value: `${PRIVATE_A},${PRIVATE_B}` }];
    const text = SAM_PARAMS_TEMPLATE.replace('SubnetIds: !Ref SubnetIds', 'SubnetIds: !Split [",", !ImportValue network-PrivateSubnets]');
    const out = await analyzeWithLive((live) => analyze(text, { params: { SecurityGroupId: SG }, live }), session());
    assert.equal(out.fetches, 2);
    assert.ok(out.result.findings.some((f) => f.ruleId === 'no-egress-route'));
  });

  it('with everything cached, makes no call', async () => {
    const s = session();
    await analyzeWithLive((live) => analyze(SAM_PARAMS_TEMPLATE, { params, live }), s);
    const calls = server.requests.length;
    const again = await analyzeWithLive((live) => analyze(SAM_PARAMS_TEMPLATE, { params, live }), s);
    assert.equal(again.fetches, 0);
    assert.equal(server.requests.length, calls);
  });
});

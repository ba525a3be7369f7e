/**
 * Fetching Lambda ENIs with the real `@aws-sdk/client-ec2` against the loopback EC2 server: what is listed,
 * how names and groups are resolved, paging, and how each kind of failure becomes a per-region result.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, startEc2Server } from '../support/ec2-server';
import type { Ec2TestServer, FakeNetworkInterface } from '../support/ec2-server';
import { fetchRegion, listLambdaEnis } from '../../server/src/aws/fetch-enis';
import { createEc2Client } from '../../server/src/aws/ec2-client';
import type { Ec2ClientOptions } from '../../server/src/aws/ec2-client';
import type { RegionResult } from '../../server/src/aws/types';
import { ACCOUNT, FAKE_CREDENTIALS, lambdaDescription, sampleAccount } from './sample-account';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: Ec2TestServer;

before(async () => {
  server = await startEc2Server({ accessKeyId: FAKE_CREDENTIALS.accessKeyId });
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.data = sampleAccount();
  server.page = {};
  server.clearFaults();
  server.requests.length = 0;
});

function clientOptions(over: Partial<Ec2ClientOptions> = {}): Omit<Ec2ClientOptions, 'region'> {
  return { endpoint: server.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1, requestTimeoutMs: 2_000, ...over };
}

async function fetchOne(region = 'us-east-1', over: Partial<Ec2ClientOptions> = {}, pageSize?: number): Promise<RegionResult> {
  const client = createEc2Client({ ...clientOptions(over), region });
  try {
    return await fetchRegion(client, region, { pageSize });
  } finally {
    client.destroy();
  }
}

function okResult(r: RegionResult): Extract<RegionResult, { ok: true }> {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r;
}

function failed(r: RegionResult): Extract<RegionResult, { ok: false }> {
  assert.ok(!r.ok, `expected a failure, got ${JSON.stringify(r)}`);
  return r;
}

describe('fetchRegion', () => {
  it('lists Lambda interfaces of both generations and nothing else', async () => {
    const r = okResult(await fetchOne());
    assert.deepEqual(
      r.enis.map((e) => [e.id, e.functionName, e.interfaceType]),
      [
        ['eni-0001', 'orders-api', 'lambda'],
        ['eni-0002', 'orders-api', 'lambda'],
        ['eni-0003', 'report-gen-v2', 'interface'],
        ['eni-0004', 'staging-worker', 'lambda'],
      ],
    );
    // Both server-side filtered calls were made, and only those for interfaces.
    const eniCalls = server.requests.filter((q) => q.action === 'DescribeNetworkInterfaces');
    assert.deepEqual(
      eniCalls.map((q) => [...q.filters.entries()]).sort(),
      [[['description', ['AWS Lambda VPC ENI-*']]], [['interface-type', ['lambda']]]].sort(),
    );
    assert.ok(eniCalls.every((q) => q.accessKeyId === 'AKIDTEST' && q.region === 'us-east-1'));
  });

  it('fills in every field of an interface', async () => {
    const r = okResult(await fetchOne());
    assert.deepEqual(r.enis[0], {
      id: 'eni-0001',
      functionName: 'orders-api',
      status: 'in-use',
      orphan: false,
      vpcId: 'vpc-0a1',
      subnetId: 'subnet-0a1a',
      availabilityZone: 'us-east-1a',
      privateIp: '10.0.1.23',
      ipv6: ['2600:1f18:aaaa:1::17'],
      securityGroups: [
        { id: 'sg-0aaa', name: 'orders-lambda' },
        { id: 'sg-0bbb', name: 'db-clients' },
      ],
      interfaceType: 'lambda',
      description: lambdaDescription('orders-api', '11111111-2222-3333-4444-555555555555'),
      ownerId: ACCOUNT,
      region: 'us-east-1',
    });
  });

  it('marks only status available as orphan', async () => {
    const r = okResult(await fetchOne());
    assert.deepEqual(
      r.enis.filter((e) => e.orphan).map((e) => [e.id, e.status]),
      [['eni-0003', 'available']],
    );
  });

  it('describes exactly the subnets, VPCs and groups the interfaces use', async () => {
    const r = okResult(await fetchOne());
    assert.deepEqual(r.subnets, [
      { id: 'subnet-0a1a', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24', availableIps: 248, name: 'private-a' },
      { id: 'subnet-0a1b', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1b', cidr: '10.0.2.0/24', availableIps: 250, name: 'private-b' },
      { id: 'subnet-0b2a', vpcId: 'vpc-0b2', availabilityZone: 'us-east-1a', cidr: '10.1.1.0/28', availableIps: 9, name: undefined },
    ]);
    assert.deepEqual(r.vpcs, [
      { id: 'vpc-0a1', cidr: '10.0.0.0/16', name: 'prod', isDefault: false },
      { id: 'vpc-0b2', cidr: '10.1.0.0/16', name: 'staging', isDefault: false },
    ]);
    const sgCall = server.requests.find((q) => q.action === 'DescribeSecurityGroups');
    assert.deepEqual(sgCall?.filters.get('group-id'), ['sg-0aaa', 'sg-0bbb', 'sg-0ccc']);
  });

  it('takes group names from DescribeSecurityGroups when the interfaces omit them', async () => {
    server.addAction('DescribeNetworkInterfaces', (req, ctx) =>
      ACTIONS.DescribeNetworkInterfaces!(req, ctx).replace(/<groupName>[^<]*<\/groupName>/g, ''),
    );
    try {
      const r = okResult(await fetchOne());
      assert.deepEqual(r.enis.find((e) => e.id === 'eni-0004')?.securityGroups, [{ id: 'sg-0ccc', name: 'staging-lambda' }]);
    } finally {
      server.addAction('DescribeNetworkInterfaces', ACTIONS.DescribeNetworkInterfaces!);
    }
  });

  it('leaves a group name unknown when nothing names it', async () => {
    server.data.securityGroups = server.data.securityGroups.filter((g) => g.id !== 'sg-0bbb');
    const r = okResult(await fetchOne());
    assert.deepEqual(r.enis.find((e) => e.id === 'eni-0003')?.securityGroups, [{ id: 'sg-0bbb', name: undefined }]);
  });

  it('filters locally too, for emulators that ignore filters', async () => {
    server.addAction('DescribeNetworkInterfaces', (req, ctx) => ACTIONS.DescribeNetworkInterfaces!({ ...req, filters: new Map() }, ctx));
    try {
      const r = okResult(await fetchOne());
      assert.deepEqual(
        r.enis.map((e) => e.id),
        ['eni-0001', 'eni-0002', 'eni-0003', 'eni-0004'],
      );
    } finally {
      server.addAction('DescribeNetworkInterfaces', ACTIONS.DescribeNetworkInterfaces!);
    }
  });

  it('keeps an interface of type lambda whose description names no function', async () => {
    server.data.networkInterfaces.push({
      ...server.data.networkInterfaces[0]!,
      id: 'eni-0050',
      description: 'Lambda hyperplane interface',
    });
    const r = okResult(await fetchOne());
    const odd = r.enis.find((e) => e.id === 'eni-0050');
    assert.equal(odd?.functionName, undefined);
    assert.equal(odd?.interfaceType, 'lambda');
  });

  it('follows NextToken across three pages', async () => {
    const many: FakeNetworkInterface[] = Array.from({ length: 12 }, (_, i) => ({
      id: `eni-1${String(i).padStart(3, '0')}`,
      description: lambdaDescription(`batch-${i % 3}`),
      status: 'in-use',
      interfaceType: 'interface',
      subnetId: 'subnet-0a1a',
      vpcId: 'vpc-0a1',
      availabilityZone: 'us-east-1a',
      privateIp: `10.0.1.${100 + i}`,
      groups: ['sg-0aaa'],
    }));
    server.data.networkInterfaces = many;
    const r = okResult(await fetchOne('us-east-1', {}, 5));
    assert.equal(r.enis.length, 12);
    assert.deepEqual(r.enis.map((e) => e.id), many.map((e) => e.id));
    const byDescription = server.requests.filter((q) => q.action === 'DescribeNetworkInterfaces' && q.filters.has('description'));
    assert.equal(byDescription.length, 3);
    assert.deepEqual(byDescription.map((q) => q.params.get('MaxResults')), ['5', '5', '5']);
    assert.equal(byDescription[0]!.params.get('NextToken'), null);
    assert.ok(byDescription[1]!.params.get('NextToken'));
    assert.notEqual(byDescription[2]!.params.get('NextToken'), byDescription[1]!.params.get('NextToken'));
  });

  it('follows NextToken when the endpoint pages on its own', async () => {
    server.page = { maxPageSize: 1 };
    const r = okResult(await fetchOne());
    assert.equal(r.enis.length, 4);
    assert.equal(r.subnets.length, 3);
    assert.equal(r.vpcs.length, 2);
    assert.equal(server.requests.filter((q) => q.action === 'DescribeSubnets').length, 3);
  });

  it('stops on an endpoint that repeats its page token', async () => {
    server.addAction('DescribeNetworkInterfaces', () => '<networkInterfaceSet/><nextToken>again</nextToken>');
    try {
      const f = failed(await fetchOne());
      assert.equal(f.error.code, 'PaginationLoop');
      assert.equal(f.error.operation, 'DescribeNetworkInterfaces');
    } finally {
      server.addAction('DescribeNetworkInterfaces', ACTIONS.DescribeNetworkInterfaces!);
    }
  });

  it('returns an empty region as success', async () => {
    const r = okResult(await fetchOne('ap-southeast-2'));
    assert.deepEqual([r.enis, r.subnets, r.vpcs], [[], [], []]);
    // No interface, so nothing else to describe.
    assert.deepEqual([...new Set(server.requests.map((q) => q.action))], ['DescribeNetworkInterfaces']);
  });
});

describe('failures', () => {
  it('AuthFailure (401) is a credentials failure with the SDK code and message', async () => {
    server.fail({ type: 'error', code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' });
    const f = failed(await fetchOne());
    assert.equal(f.region, 'us-east-1');
    assert.equal(f.error.kind, 'credentials');
    assert.equal(f.error.code, 'AuthFailure');
    assert.equal(f.error.message, 'AWS was not able to validate the provided access credentials');
    assert.equal(f.error.httpStatus, 401);
    assert.equal(f.error.operation, 'DescribeNetworkInterfaces');
  });

  it('wrong access key is refused by the server as AuthFailure', async () => {
    const f = failed(await fetchOne('us-east-1', { credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' } }));
    assert.equal(f.error.code, 'AuthFailure');
  });

  it('UnauthorizedOperation on one call fails the region and names the call', async () => {
    server.fail({ type: 'error', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' }, { action: 'DescribeSubnets' });
    const f = failed(await fetchOne());
    assert.deepEqual([f.error.kind, f.error.code, f.error.operation, f.error.httpStatus], ['access', 'UnauthorizedOperation', 'DescribeSubnets', 403]);
  });

  it('ExpiredToken is a credentials failure', async () => {
    server.fail({ type: 'error', code: 'ExpiredToken', message: 'The security token included in the request is expired' });
    const f = failed(await fetchOne());
    assert.deepEqual([f.error.kind, f.error.code], ['credentials', 'ExpiredToken']);
  });

  it('throttling that persists is reported as RequestLimitExceeded after the allowed attempts', async () => {
    server.fail({ type: 'error', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' });
    const f = failed(await fetchOne('us-east-1', { maxAttempts: 2 }));
    assert.deepEqual([f.error.kind, f.error.code, f.error.httpStatus], ['throttling', 'RequestLimitExceeded', 503]);
    assert.ok(server.requests.length >= 2, 'the SDK retried a throttled call');
  });

  it('throttling once is absorbed by the SDK retry', async () => {
    server.fail({ type: 'error', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' }, { times: 1 });
    const r = okResult(await fetchOne('us-east-1', { maxAttempts: 3 }));
    assert.equal(r.enis.length, 4);
    const eniCalls = server.requests.filter((q) => q.action === 'DescribeNetworkInterfaces');
    // Two calls plus at least the one retry (a loaded machine may also retry a slow answer).
    assert.ok(eniCalls.length >= 3, `two calls plus one retry, got ${eniCalls.length}`);
  });

  it('a bare HTTP 500 is a service failure', async () => {
    server.fail({ type: 'http', status: 500, body: 'Internal Server Error' });
    const f = failed(await fetchOne());
    assert.deepEqual([f.error.kind, f.error.code, f.error.httpStatus], ['service', 'HTTP500', 500]);
  });

  it('a slow reply times out instead of hanging', async () => {
    server.fail({ type: 'slow', delayMs: 5_000 });
    const start = Date.now();
    const f = failed(await fetchOne('us-east-1', { requestTimeoutMs: 200 }));
    assert.ok(Date.now() - start < 3_000, 'gave up long before the reply');
    assert.equal(f.error.kind, 'timeout');
    assert.match(f.error.message, /timed out/);
  });

  it('a malformed XML body is reported, not thrown', async () => {
    server.fail({ type: 'malformed' });
    const f = failed(await fetchOne());
    assert.deepEqual([f.error.kind, f.error.code], ['response', 'MalformedResponse']);
  });

  it('a dropped connection is a network failure', async () => {
    server.fail({ type: 'drop' });
    const f = failed(await fetchOne());
    assert.equal(f.error.kind, 'network');
    assert.match(f.error.code, /^E[A-Z]+$/);
  });

  it('an endpoint nobody listens on is a network failure', async () => {
    const gone = await startEc2Server();
    const url = gone.url;
    await gone.close();
    const f = failed(await fetchOne('us-east-1', { endpoint: url }));
    assert.deepEqual([f.error.kind, f.error.code], ['network', 'ECONNREFUSED']);
  });
});

describe('listLambdaEnis', () => {
  it('reads regions independently: one failing region leaves the others intact', async () => {
    server.fail({ type: 'error', code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' }, { region: 'eu-west-1' });
    const results = await listLambdaEnis({ ...clientOptions(), regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] });
    assert.deepEqual(results.map((r) => [r.region, r.ok]), [
      ['us-east-1', true],
      ['eu-west-1', false],
      ['ap-southeast-2', true],
    ]);
    assert.equal(okResult(results[0]!).enis.length, 4);
    assert.equal(failed(results[1]!).error.code, 'AuthFailure');
    assert.equal(okResult(results[2]!).enis.length, 0);
  });

  it('serves each region its own interfaces', async () => {
    const results = await listLambdaEnis({ ...clientOptions(), regions: ['eu-west-1'] });
    const r = okResult(results[0]!);
    assert.deepEqual(r.enis.map((e) => [e.id, e.functionName, e.region]), [['eni-0201', 'billing', 'eu-west-1']]);
    assert.deepEqual(r.subnets.map((s) => s.id), ['subnet-0e1a']);
  });

  it('a slow region does not hold back the verdict on the others', async () => {
    server.fail({ type: 'slow', delayMs: 5_000 }, { region: 'eu-west-1' });
    const results = await listLambdaEnis({ ...clientOptions({ requestTimeoutMs: 300 }), regions: ['us-east-1', 'eu-west-1'] });
    assert.equal(okResult(results[0]!).enis.length, 4);
    assert.equal(failed(results[1]!).error.kind, 'timeout');
  });

  it('reads a duplicated region once', async () => {
    const results = await listLambdaEnis({ ...clientOptions(), regions: ['us-east-1', 'us-east-1'] });
    assert.equal(results.length, 1);
  });
});

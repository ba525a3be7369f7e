/**
 * The pure half of the ENI listing: reading function names out of Lambda's ENI descriptions, recognising
 * Lambda interfaces, sorting SDK errors into failure kinds, filtering and grouping, and listing profiles.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLambdaEni, parseFunctionName } from '../../server/src/aws/lambda-eni';
import { describeFailure, toAwsFailure } from '../../server/src/aws/aws-error';
import { groupRegion, matchesFilter } from '../../server/src/aws/group-enis';
import { parseProfileNames, profileFiles } from '../../server/src/aws/profiles';
import type { LambdaEni, RegionResult } from '../../server/src/aws/types';

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('parseFunctionName', () => {
  it('reads a plain name', () => {
    assert.equal(parseFunctionName(`AWS Lambda VPC ENI-orders-${UUID}`), 'orders');
  });
  it('keeps every dash of the function name', () => {
    assert.equal(parseFunctionName(`AWS Lambda VPC ENI-my-app-prod-api-v2-${UUID}`), 'my-app-prod-api-v2');
  });
  it('strips only the final uuid when the name itself ends in something uuid-like', () => {
    const inner = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    assert.equal(parseFunctionName(`AWS Lambda VPC ENI-job-${inner}-${UUID}`), `job-${inner}`);
  });
  it('accepts an upper-case uuid', () => {
    assert.equal(parseFunctionName(`AWS Lambda VPC ENI-Thumbnailer-${UUID.toUpperCase()}`), 'Thumbnailer');
  });
  it('takes the whole rest as the name when there is no uuid (emulators)', () => {
    assert.equal(parseFunctionName('AWS Lambda VPC ENI-local-fn'), 'local-fn');
  });
  it('does not mistake a short trailing group for a uuid', () => {
    assert.equal(parseFunctionName('AWS Lambda VPC ENI-fn-1234-5678'), 'fn-1234-5678');
  });
  it('returns undefined for other descriptions, an empty name or no description', () => {
    assert.equal(parseFunctionName('Primary network interface'), undefined);
    assert.equal(parseFunctionName('aws lambda vpc eni-orders'), undefined);
    assert.equal(parseFunctionName('AWS Lambda VPC ENI-'), undefined);
    assert.equal(parseFunctionName(undefined), undefined);
  });
});

describe('isLambdaEni', () => {
  it('accepts the lambda interface type or the description prefix, nothing else', () => {
    assert.equal(isLambdaEni('lambda', 'anything'), true);
    assert.equal(isLambdaEni('interface', `AWS Lambda VPC ENI-x-${UUID}`), true);
    assert.equal(isLambdaEni(undefined, `AWS Lambda VPC ENI-x-${UUID}`), true);
    assert.equal(isLambdaEni('nat_gateway', 'Interface for NAT Gateway nat-1'), false);
    assert.equal(isLambdaEni('interface', undefined), false);
  });
});

describe('toAwsFailure', () => {
  const serviceError = (name: string, message: string, status: number) =>
    Object.assign(new Error(message), { name, Code: name, $fault: 'client', $metadata: { httpStatusCode: status, requestId: 'req-1' } });

  it('keeps the SDK code and message of credential errors', () => {
    const f = toAwsFailure(serviceError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401), 'DescribeVpcs');
    assert.deepEqual(f, {
      kind: 'credentials',
      code: 'AuthFailure',
      message: 'AWS was not able to validate the provided access credentials',
      operation: 'DescribeVpcs',
      httpStatus: 401,
      requestId: 'req-1',
    });
    assert.equal(toAwsFailure(serviceError('ExpiredToken', 'The security token included in the request is expired', 400)).kind, 'credentials');
  });
  it('words a missing credential chain as "no credentials"', () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const f = toAwsFailure(err);
    assert.equal(f.kind, 'credentials');
    assert.equal(f.code, 'CredentialsProviderError');
    assert.equal(f.message, 'no credentials: Could not load credentials from any providers');
  });
  it('sorts access, throttling, timeout and network failures', () => {
    assert.equal(toAwsFailure(serviceError('UnauthorizedOperation', 'You are not authorized', 403)).kind, 'access');
    assert.equal(toAwsFailure(serviceError('RequestLimitExceeded', 'Request limit exceeded.', 503)).kind, 'throttling');
    const timeout = Object.assign(new Error('a request has exceeded the configured 200 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
    assert.equal(toAwsFailure(timeout).kind, 'timeout');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    assert.deepEqual([toAwsFailure(refused).kind, toAwsFailure(refused).code], ['network', 'ECONNREFUSED']);
  });
  it('reports an unreadable body by its HTTP status, and only the first line of the SDK message', () => {
    const bad = Object.assign(new Error('@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response...'), {
      $metadata: { httpStatusCode: 200 },
    });
    const f = toAwsFailure(bad);
    assert.equal(f.code, 'MalformedResponse');
    assert.ok(!f.message.includes('\n'));
    const http500 = Object.assign(new Error('@aws-sdk XML parse error'), { $metadata: { httpStatusCode: 500 } });
    assert.deepEqual([toAwsFailure(http500).kind, toAwsFailure(http500).code], ['service', 'HTTP500']);
  });
  it('never throws on odd values', () => {
    assert.equal(toAwsFailure('boom').message, 'boom');
    assert.equal(toAwsFailure(undefined).kind, 'unknown');
    assert.equal(describeFailure(toAwsFailure(serviceError('AuthFailure', 'nope', 401), 'DescribeSubnets')), 'AuthFailure: nope (DescribeSubnets)');
  });
});

function eni(over: Partial<LambdaEni> & { id: string }): LambdaEni {
  return {
    functionName: 'fn',
    status: 'in-use',
    orphan: false,
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    availabilityZone: 'us-east-1a',
    privateIp: '10.0.0.1',
    ipv6: [],
    securityGroups: [],
    interfaceType: 'lambda',
    description: '',
    ownerId: '111122223333',
    region: 'us-east-1',
    ...over,
  };
}

describe('groupRegion', () => {
  const result: RegionResult = {
    region: 'us-east-1',
    ok: true,
    enis: [
      eni({ id: 'eni-3', functionName: 'b', subnetId: 'subnet-2', availabilityZone: 'us-east-1b' }),
      eni({ id: 'eni-2', functionName: 'a' }),
      eni({ id: 'eni-1', functionName: 'a', status: 'available', orphan: true }),
      eni({ id: 'eni-4', functionName: undefined, vpcId: 'vpc-2', subnetId: 'subnet-gone', availabilityZone: 'us-east-1c' }),
    ],
    subnets: [
      { id: 'subnet-2', vpcId: 'vpc-1', availabilityZone: 'us-east-1b', cidr: '10.0.2.0/24', availableIps: 200, name: undefined },
      { id: 'subnet-1', vpcId: 'vpc-1', availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24', availableIps: 100, name: 'a' },
    ],
    vpcs: [{ id: 'vpc-1', cidr: '10.0.0.0/16', name: 'main', isDefault: false }],
  };

  it('nests region -> VPC -> subnet (AZ order) -> function -> interface', () => {
    const g = groupRegion(result);
    assert.ok(g.ok);
    assert.deepEqual(g.accountIds, ['111122223333']);
    assert.equal(g.eniCount, 4);
    assert.equal(g.orphanCount, 1);
    assert.deepEqual(
      g.vpcs.map((v) => [v.vpc.id, v.subnets.map((s) => [s.subnet.id, s.functions.map((f) => [f.name, f.enis.map((e) => e.id)])])]),
      [
        ['vpc-1', [['subnet-1', [['a', ['eni-1', 'eni-2']]]], ['subnet-2', [['b', ['eni-3']]]]]],
        ['vpc-2', [['subnet-gone', [[undefined, ['eni-4']]]]]],
      ],
    );
  });

  it('builds a placeholder for a subnet and VPC that could not be described', () => {
    const g = groupRegion(result);
    assert.ok(g.ok);
    const vpc2 = g.vpcs[1]!;
    assert.deepEqual(vpc2.vpc, { id: 'vpc-2', cidr: undefined, name: undefined, isDefault: false });
    assert.deepEqual(vpc2.subnets[0]!.subnet, {
      id: 'subnet-gone',
      vpcId: 'vpc-2',
      availabilityZone: 'us-east-1c',
      cidr: undefined,
      availableIps: undefined,
      name: undefined,
    });
  });

  it('filters by VPC, function and orphan status', () => {
    const ids = (filter: Parameters<typeof groupRegion>[1]) => {
      const g = groupRegion(result, filter);
      assert.ok(g.ok);
      return g.vpcs.flatMap((v) => v.subnets.flatMap((s) => s.functions.flatMap((f) => f.enis.map((e) => e.id))));
    };
    assert.deepEqual(ids({ vpcId: 'vpc-2' }), ['eni-4']);
    assert.deepEqual(ids({ functionName: 'a' }), ['eni-1', 'eni-2']);
    assert.deepEqual(ids({ orphansOnly: true }), ['eni-1']);
    assert.deepEqual(ids({ functionName: 'a', orphansOnly: true, vpcId: 'vpc-2' }), []);
    assert.equal(matchesFilter(eni({ id: 'x', functionName: 'ab' }), { functionName: 'a' }), false);
  });

  it('passes a failed region through unchanged', () => {
    const error = toAwsFailure(Object.assign(new Error('no'), { name: 'AuthFailure' }));
    assert.deepEqual(groupRegion({ region: 'eu-west-1', ok: false, error }), { region: 'eu-west-1', ok: false, error });
  });
});

describe('profiles', () => {
  it('reads profile names from both files, skipping non-profile sections', () => {
    const config = [
      '[default]',
      'region = us-east-1',
      '[profile dev]',
      '[profile  prod-admin ]  # trailing comment',
      '[sso-session corp]',
      '[services local]',
      '; [profile commented]',
    ].join('\n');
    const credentials = '[default]\naws_access_key_id = AKIDSECRETNOTREAD\n[ci]\r\n[dev]\n';
    assert.deepEqual(parseProfileNames(config, credentials), ['default', 'ci', 'dev', 'prod-admin']);
  });
  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
    assert.deepEqual(profileFiles({ AWS_CONFIG_FILE: '/x/c', AWS_SHARED_CREDENTIALS_FILE: '/x/k' }, '/home/u'), {
      configFile: '/x/c',
      credentialsFile: '/x/k',
    });
    assert.deepEqual(profileFiles({}, '/home/u'), { configFile: '/home/u/.aws/config', credentialsFile: '/home/u/.aws/credentials' });
  });
});

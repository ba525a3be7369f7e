/**
 * `lambda-vpc-lint check` and `explain` as processes: parameter values from samconfig and parameter
 * files, and `--live` against the loopback server (EC2, CloudFormation and SSM on one port) with fake
 * static credentials and empty AWS config files.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { JsonReport } from '../cli/support';
import { CLI, buildCli, only } from '../cli/support';
import { startEc2Server } from '../support/ec2-server';
import type { AwsTestServer } from './support';
import { PRIVATE_A, PRIVATE_B, SAMCONFIG, SAM_PARAMS_TEMPLATE, SG, account, liveEnv, runCli, startAwsServer, tempDir } from './support';

const cli = (args: string[], options: { cwd: string; env?: Record<string, string> }) => runCli(CLI, args, options);

async function cliJson<T>(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; json: T; stderr: string }> {
  const run = await cli(args, options);
  try {
    return { code: run.code, json: JSON.parse(run.stdout) as T, stderr: run.stderr };
  } catch {
    assert.fail(`stdout is JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

let server: AwsTestServer;
const RULES = only('no-egress-route', 'single-az', 'public-subnet', 'missing-endpoint');

before(async () => {
  await buildCli();
  server = await startAwsServer();
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  server.data = account();
  server.exports = [];
  server.ssmParameters = [];
  server.requests.length = 0;
  server.clearFaults();
});

const live = () => ['--live', '--endpoint', server.url, '--region', 'us-east-1'];
const noticeLines = (stderr: string) => stderr.split('\n').filter((l) => /live lookups in us-east-1 failed/.test(l));

describe('check --live with a samconfig beside the template', () => {
  it('fires no-egress-route when the live route tables have no NAT gateway, and says where values came from', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    // No --region: the samconfig's region is used, and named.
    const run = await cli(['check', ...RULES, '--live', '--endpoint', server.url, 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^template\.yaml: parameter values from samconfig\.toml \[default\] \(2 values\), region us-east-1$/m);
    assert.match(run.stdout, /template\.yaml:\d+:\d+ error no-egress-route Function 'Api' needs the internet/);
    assert.match(run.stdout, new RegExp(`${PRIVATE_A} \\(live, us-east-1\\)`));
    assert.equal(run.stderr, '');
    assert.ok(server.requests.some((r) => r.action === 'DescribeRouteTables'));
  });

  it('prints no SDK runtime warning (NodeVersionSupportWarning) when the environment does not turn it off', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const env = liveEnv();
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const run = await cli(['check', ...RULES, '--live', '--endpoint', server.url, 'template.yaml'], { cwd: dir, env });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.ok(server.requests.length > 0, 'the SDK was used');
    assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning|Warning/);
    assert.equal(run.stderr, '');
  });

  it('stays silent when they route to a NAT gateway', async () => {
    server.data = account({ withNat: true });
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const run = await cli(['check', ...RULES, ...live(), 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /no-egress-route/);
  });

  it('without --live, the values are known but the routing of existing subnets is not: silence', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const run = await cli(['check', ...RULES, 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /parameter values from samconfig\.toml \[default\]/);
    assert.equal(server.requests.length, 0, 'no call without --live');
  });

  it('an unreachable endpoint leaves the facts unknown: no finding, one notice', async () => {
    const closed = await startEc2Server();
    const url = closed.url;
    await closed.close();
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const run = await cli(['check', ...RULES, '--live', '--endpoint', url, '--region', 'us-east-1', 'template.yaml'], { cwd: dir, env: { ...liveEnv(), AWS_MAX_ATTEMPTS: '1' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /no-egress-route/);
    assert.equal(noticeLines(run.stderr).length, 1, run.stderr);
    assert.match(run.stderr, /^lambda-vpc-lint check: live lookups in us-east-1 failed \(ECONNREFUSED: network error: .*\); the facts they would have given stay unknown$/m);
    assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  it('refused credentials are one notice too, and JSON output stays JSON', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const { code, json, stderr } = await cliJson<JsonReport>(['check', ...RULES, ...live(), '--format', 'json', 'template.yaml'], { cwd: dir, env: liveEnv({ AWS_ACCESS_KEY_ID: 'AKIDWRONG' }) });
    assert.equal(code, 0);
    assert.deepEqual(json.files[0]!.findings, []);
    assert.equal(noticeLines(stderr).length, 1, stderr);
    assert.match(stderr, /AuthFailure/);
  });
});

describe('check --live: exports and SSM values', () => {
  it('resolves Fn::ImportValue and {{resolve:ssm:...}} before looking up the ids', async () => {
    server.exports = [{ name: 'network-PrivateSubnets', value: `${PRIVATE_A},${PRIVATE_B}` }];
    server.ssmParameters = [{ name: '/app/lambda-sg', value: SG }];
    const text = SAM_PARAMS_TEMPLATE
      .replace('SubnetIds: !Ref SubnetIds', 'SubnetIds: !Split [",", !ImportValue network-PrivateSubnets]')
      .replace('SecurityGroupIds: [!Ref SecurityGroupId]', "SecurityGroupIds: ['{{resolve:ssm:/app/lambda-sg}}']");
    const dir = tempDir({ 'template.yaml': text });
    const { code, json } = await cliJson<JsonReport>(['check', ...RULES, ...live(), '--format', 'json', 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(code, 1);
    assert.deepEqual(json.files[0]!.findings.map((f) => f.ruleId), ['no-egress-route']);
    assert.ok(server.requests.some((r) => r.service === 'cloudformation' && r.action === 'ListExports'));
    assert.ok(server.requests.some((r) => r.service === 'ssm' && r.action === 'GetParameter'));
    const groups = server.requests.filter((r) => r.action === 'DescribeSecurityGroups');
    assert.ok(groups.some((r) => r.filters.get('group-id')?.includes(SG)), 'the group id read from SSM is looked up');
  });

  it('reads a Serverless stage\'s params and ${ssm:} values', async () => {
    server.ssmParameters = [{ name: '/network/prod/subnets', value: `${PRIVATE_A},${PRIVATE_B}`, type: 'StringList' }];
    const text = `service: api
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  environment:
    PARTNER_URL: https://api.partner.example.com/v1
  vpc:
    securityGroupIds:
      - \${param:lambdaSg}
    subnetIds: \${ssm:/network/\${sls:stage}/subnets}
params:
  default:
    lambdaSg: sg-0ffffffffffffffff
  prod:
    lambdaSg: ${SG}
functions:
  api:
    handler: index.handler
`;
    const dir = tempDir({ 'serverless.yml': text });
    const { code, json } = await cliJson<JsonReport>(['check', ...RULES, '--live', '--endpoint', server.url, '--stage', 'prod', '--format', 'json', 'serverless.yml'], { cwd: dir, env: liveEnv() });
    assert.equal(code, 1, JSON.stringify(json));
    assert.deepEqual(json.files[0]!.findings.map((f) => f.ruleId), ['no-egress-route']);
    assert.ok(server.requests.filter((r) => r.action === 'DescribeSecurityGroups').some((r) => r.filters.get('group-id')?.includes(SG)));
  });
});

describe('check --params-file and --config-env', () => {
  it('takes a CloudFormation parameter file instead of the samconfig', async () => {
    const dir = tempDir({
      'template.yaml': SAM_PARAMS_TEMPLATE,
      'samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "SubnetIds=subnet-0ffffffffffffffff"\n',
      'params.json': JSON.stringify([{ ParameterKey: 'SubnetIds', ParameterValue: `${PRIVATE_A},${PRIVATE_B}` }, { ParameterKey: 'SecurityGroupId', ParameterValue: SG }]),
    });
    const run = await cli(['check', ...RULES, ...live(), '--params-file', 'params.json', 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^template\.yaml: parameter values from params\.json \(2 values\)$/m);
    assert.doesNotMatch(run.stdout, /samconfig/);
  });

  it('reads the samconfig environment asked for', async () => {
    const samconfig = `${SAMCONFIG}\n[prod.deploy.parameters]\nparameter_overrides = "SubnetIds=${PRIVATE_A} SecurityGroupId=${SG}"\n`;
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': samconfig });
    const run = await cli(['check', ...RULES, ...live(), '--config-env', 'prod', 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.match(run.stdout, /parameter values from samconfig\.toml \[prod\] \(2 values\)/);
    assert.match(run.stdout, /single-az/);
  });

  it('a --param value wins over the files', async () => {
    server.data = account({ withNat: true });
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const run = await cli(['check', ...RULES, ...live(), '--param', `SubnetIds=${PRIVATE_A}`, 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.match(run.stdout, /single-az/);
  });

  it('a parameter file that cannot be read is a usage error', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const run = await cli(['check', '--params-file', 'missing.json', 'template.yaml'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot read the parameter file 'missing\.json'/);
  });

  it('a parameter file with problems is used for what it holds, with a notice', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    writeFileSync(join(dir, 'overrides.txt'), `# deploy overrides\nSubnetIds=${PRIVATE_A},${PRIVATE_B} stray\nSecurityGroupId=${SG}\n`);
    const run = await cli(['check', ...RULES, ...live(), '--params-file', 'overrides.txt', 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /overrides\.txt: 'stray' is not a Key=Value pair/);
  });
});

describe('explain', () => {
  it('shows the live route of each subnet with --live', async () => {
    server.data = account({ withNat: true });
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': SAMCONFIG });
    const run = await cli(['explain', ...live(), 'template.yaml'], { cwd: dir, env: liveEnv() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`subnet ${PRIVATE_A} \\(live, us-east-1\\) in us-east-1a, 10\\.0\\.1\\.0/24; route table rtb-[0-9a-f]+; default route 0\\.0\\.0\\.0/0 -> nat-gateway nat-[0-9a-f]+; egress: nat`));
    assert.match(run.stdout, /parameter values from samconfig\.toml \[default\]/);
  });
});

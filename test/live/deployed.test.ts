/**
 * Reading the deployed stack with `--live`: its parameters stand in for values given nowhere, nested
 * stacks' outputs answer `Fn::GetAtt Child.Outputs.X`, and the ids they name are looked up like the
 * others. The CLI as a process against the loopback CloudFormation/EC2/SSM server, real SDK over HTTP:
 * the stack name given or discovered, a missing stack, AccessDenied, throttling, NoEcho.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { JsonReport } from '../cli/support';
import { CLI, buildCli, only } from '../cli/support';
import type { AwsTestServer, FakeStack } from './support';
import { PRIVATE_A, PRIVATE_B, SAM_PARAMS_TEMPLATE, SG, account, failCloudFormation, liveEnv, runCli, stackArn, startAwsServer, tempDir } from './support';

let server: AwsTestServer;
const RULES = only('no-egress-route', 'single-az', 'public-subnet', 'missing-endpoint');
const live = () => ['--live', '--endpoint', server.url, '--region', 'us-east-1'];
const cli = (args: string[], cwd: string) => runCli(CLI, args, { cwd, env: liveEnv() });
const calls = (action: string) => server.requests.filter((r) => r.action === action);

const APP: FakeStack = {
  name: 'app-prod',
  parameters: [{ key: 'SubnetIds', value: `${PRIVATE_A},${PRIVATE_B}` }, { key: 'SecurityGroupId', value: SG }],
};

async function json(args: string[], cwd: string): Promise<{ report: JsonReport; stderr: string; code: number | null }> {
  const run = await cli([...args, '--format', 'json'], cwd);
  try {
    return { report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr, code: run.code };
  } catch {
    assert.fail(`stdout is JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** What a finding says, with the provenance of its live ids taken out: the same finding, however the value arrived. */
function comparable(report: JsonReport) {
  return report.files.flatMap((f) => f.findings.map((x) => ({
    ruleId: x.ruleId,
    severity: x.severity,
    range: x.range,
    message: x.message.replace(/ \(live, [^)]*\)/g, ''),
  })));
}

before(async () => {
  await buildCli();
  server = await startAwsServer();
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  server.data = account();
  server.stacks = [APP];
  server.requests.length = 0;
  server.clearFaults();
});

describe('check --live with a deployed stack', () => {
  it('finds what --param would have found, from the stack\'s parameters alone, and says where the ids came from', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const deployed = await json(['check', ...RULES, ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    const given = await json(['check', ...RULES, ...live(), '--param', `SubnetIds=${PRIVATE_A},${PRIVATE_B}`, '--param', `SecurityGroupId=${SG}`, 'template.yaml'], dir);
    assert.equal(deployed.stderr, '');
    assert.ok(comparable(given.report).some((f) => f.ruleId === 'no-egress-route'), 'the values given make no-egress-route fire');
    assert.deepEqual(comparable(deployed.report), comparable(given.report));
    assert.equal(deployed.code, given.code);
    const message = deployed.report.files[0]!.findings.find((f) => f.ruleId === 'no-egress-route')!.message;
    assert.match(message, new RegExp(`${PRIVATE_A} \\(live, from stack app-prod parameter SubnetIds\\)`));
    assert.equal(calls('DescribeStacks').length, 1);
  });

  it('without a stack name, nothing is described and the subnets stay unknown: silence', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const run = await json(['check', ...RULES, ...live(), 'template.yaml'], dir);
    assert.deepEqual(comparable(run.report), []);
    assert.equal(calls('DescribeStacks').length, 0);
    assert.equal(server.requests.length, 0);
  });

  it('without --live, a stack name calls nothing', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const run = await json(['check', ...RULES, '--stack-name', 'app-prod', '--endpoint', server.url, 'template.yaml'], dir);
    assert.deepEqual(comparable(run.report), []);
    assert.equal(server.requests.length, 0);
  });

  it('finds the stack name in the samconfig\'s chosen environment, and names it in the text output', async () => {
    const samconfig = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "app-dev"\n[prod.deploy.parameters]\nstack_name = "app-prod"\n';
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE, 'samconfig.toml': samconfig });
    const run = await cli(['check', ...RULES, ...live(), '--config-env', 'prod', 'template.yaml'], dir);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^template\.yaml: deployed stack app-prod \(samconfig\.toml \[prod\]\), region us-east-1$/m);
    assert.match(run.stdout, /no-egress-route/);
    assert.deepEqual(calls('DescribeStacks').map((r) => r.params.get('StackName')), ['app-prod']);
  });

  it('FILE=NAME applies to that template only; a stack is described once per run', async () => {
    const dir = tempDir({ 'a.yaml': SAM_PARAMS_TEMPLATE, 'b.yaml': SAM_PARAMS_TEMPLATE, 'c.yaml': SAM_PARAMS_TEMPLATE });
    const run = await json(['check', ...RULES, ...live(), '--stack-name', 'app-prod', '--stack-name', 'c.yaml=other', 'a.yaml', 'b.yaml', 'c.yaml'], dir);
    const byFile = new Map(run.report.files.map((f) => [f.file, f.findings.map((x) => x.ruleId)]));
    assert.ok(byFile.get('a.yaml')!.includes('no-egress-route'));
    assert.ok(byFile.get('b.yaml')!.includes('no-egress-route'));
    assert.deepEqual(byFile.get('c.yaml'), []);
    assert.deepEqual(calls('DescribeStacks').map((r) => r.params.get('StackName')).sort(), ['app-prod', 'other']);
  });

  it('a stack that does not exist: one notice, the values stay unknown, the exit code does not change', async () => {
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const run = await cli(['check', ...RULES, ...live(), '--stack-name', 'gone', 'template.yaml'], dir);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /no-egress-route/);
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /live lookups in us-east-1 failed \(ValidationError: Stack with id gone does not exist \(DescribeStacks\)\)/);
  });

  it('AccessDenied on DescribeStacks: one notice, and the other lookups still run', async () => {
    failCloudFormation(server, 'DescribeStacks', 'AccessDenied');
    const template = SAM_PARAMS_TEMPLATE.replace('SubnetIds: !Ref SubnetIds', `SubnetIds: [${PRIVATE_A}, ${PRIVATE_B}]`);
    const dir = tempDir({ 'template.yaml': template });
    const run = await cli(['check', ...RULES, ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    // The hard-coded subnets were read: the finding stands, their source is the region.
    assert.match(run.stdout, new RegExp(`${PRIVATE_A} \\(live, us-east-1\\)`));
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /live lookups in us-east-1 failed \(AccessDenied: .*\(DescribeStacks\)\)/);
    assert.ok(calls('DescribeSubnets').length > 0);
  });

  it('throttling is retried with backoff, then the stack is read', async () => {
    failCloudFormation(server, 'DescribeStacks', 'Throttling', { times: 2 });
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const run = await cli(['check', ...RULES, ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /no-egress-route/);
    assert.equal(calls('DescribeStacks').length, 3);
  });

  it('a NoEcho parameter is never shown and stays unknown', async () => {
    server.stacks = [{ ...APP, parameters: [{ key: 'SubnetIds', value: `${PRIVATE_A},${PRIVATE_B}`, noEcho: true }, { key: 'SecurityGroupId', value: SG }] }];
    const dir = tempDir({ 'template.yaml': SAM_PARAMS_TEMPLATE });
    const check = await cli(['check', ...RULES, ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.doesNotMatch(check.stdout, /no-egress-route/);
    const explain = await cli(['explain', ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    assert.match(explain.stdout, /subnets: unknown length \(parameter 'SubnetIds' is NoEcho in stack app-prod: its deployed value is not shown\)/);
    for (const out of [check.stdout, check.stderr, explain.stdout, explain.stderr]) assert.doesNotMatch(out, /\*\*\*\*/);
    assert.equal(calls('DescribeSubnets').length, 0, 'the masked value is not looked up');
  });
});

describe('nested stacks', () => {
  const NESTED = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: network.yaml
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => (await fetch(process.env.PARTNER_URL)).status"
      Environment:
        Variables:
          PARTNER_URL: https://api.partner.example.com/v1
      VpcConfig:
        SubnetIds: !Split [',', !GetAtt Network.Outputs.PrivateSubnets]
        SecurityGroupIds: [!GetAtt Network.Outputs.LambdaSg]
`;
  const CHILD = 'app-prod-Network-1ABCDEF';

  it('reads the child stack\'s outputs through the parent\'s resources, then the network they name', async () => {
    server.stacks = [
      { name: 'app-prod', resources: [{ logicalId: 'Api', type: 'AWS::Lambda::Function', physicalId: 'app-prod-Api' }, { logicalId: 'Network', type: 'AWS::CloudFormation::Stack', physicalId: stackArn(CHILD) }] },
      { name: CHILD, outputs: { PrivateSubnets: `${PRIVATE_A},${PRIVATE_B}`, LambdaSg: SG } },
    ];
    server.resourcePageSize = 1;
    const dir = tempDir({ 'template.yaml': NESTED });
    const run = await cli(['check', ...RULES, ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    server.resourcePageSize = 100;
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`no-egress-route Function 'Api' needs the internet.*${PRIVATE_A} \\(live, from stack ${CHILD} output PrivateSubnets\\)`));
    assert.equal(run.stderr, '');
    assert.deepEqual(calls('DescribeStacks').map((r) => r.params.get('StackName')), ['app-prod', stackArn(CHILD)]);
    assert.equal(calls('ListStackResources').length, 2, 'both pages');
  });

  it('a nested stack the deployed parent does not have stays unknown', async () => {
    server.stacks = [{ name: 'app-prod', resources: [] }];
    const dir = tempDir({ 'template.yaml': NESTED });
    const run = await cli(['check', ...RULES, ...live(), '--stack-name', 'app-prod', 'template.yaml'], dir);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(calls('DescribeStacks').length, 1);
    assert.equal(calls('DescribeSubnets').length, 0);
  });
});

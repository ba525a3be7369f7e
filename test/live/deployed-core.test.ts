/**
 * Deployed stacks in the core: the stack's parameters fill what nothing else gives (values given win,
 * a NoEcho parameter stays unknown), a nested stack's outputs answer `Fn::GetAtt Child.Outputs.X`,
 * `${cf:stack.Output}` resolves in Serverless, and every value from the account is named with its stack
 * in messages and in `explain`. What the model still needs from CloudFormation is listed for the host.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../server/src/core/analyze';
import { analyze } from '../../server/src/core/analyze';
import { explainModel, explainText } from '../../server/src/core/explain';
import type { LiveFacts, LiveStack } from '../../server/src/core/live';
import { emptyLiveFacts, unresolvedIds } from '../../server/src/core/live';
import { SAM_PARAMS_TEMPLATE } from './support';

const VPC = 'vpc-0a1b2c3d4e5f60001';
const A = 'subnet-0a1b2c3d4e5f60001';
const B = 'subnet-0a1b2c3d4e5f60002';
const SG = 'sg-0a1b2c3d4e5f60001';
const RTB = 'rtb-0a1b2c3d4e5f60001';

/** Two private subnets whose table has only the local route: a function that needs the internet has no way out. */
function network(stacks: Record<string, LiveStack>, stackName?: string): LiveFacts {
  const live = emptyLiveFacts('us-east-1');
  live.vpcs.push({ id: VPC, cidr: '10.0.0.0/16', mainRouteTable: RTB, endpointsListed: true });
  live.subnets.push(
    { id: A, vpcId: VPC, availabilityZone: 'us-east-1a', ipv6Cidrs: [], routeTable: RTB, cidr: '10.0.1.0/24' },
    { id: B, vpcId: VPC, availabilityZone: 'us-east-1b', ipv6Cidrs: [], routeTable: RTB, cidr: '10.0.2.0/24' },
  );
  live.routeTables.push({ id: RTB, vpcId: VPC, main: true, routes: [{ destination: '10.0.0.0/16', target: 'other', targetId: 'local' }] });
  live.securityGroups.push({ id: SG, vpcId: VPC, ingress: [], egress: [{ protocol: '-1', cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], groups: [], prefixLists: [] }] });
  live.stacks = stacks;
  if (stackName) live.stackName = stackName;
  return live;
}

function stack(name: string, part: Partial<LiveStack> = {}): LiveStack {
  return { name, parameters: {}, hidden: [], outputs: {}, nested: {}, ...part };
}

const run = (text: string, options: AnalyzeOptions) => analyze(text, { fileName: 'template.yaml', region: 'us-east-1', ...options });
const egress = (r: ReturnType<typeof run>) => r.findings.filter((f) => f.ruleId === 'no-egress-route');

const APP = stack('app-prod', { parameters: { SubnetIds: `${A},${B}`, SecurityGroupId: SG } });

describe('deployed stack parameters', () => {
  it('fill parameters that have no value, named with their stack and parameter', () => {
    const r = run(SAM_PARAMS_TEMPLATE, { live: network({ 'app-prod': APP }, 'app-prod') });
    const [finding] = egress(r);
    assert.ok(finding, 'no-egress-route fires on the deployed subnets');
    assert.match(finding.message, new RegExp(`${A} \\(live, from stack app-prod parameter SubnetIds\\)`));
    const text = explainText(explainModel(r.model!)[0]!);
    assert.match(text, new RegExp(`subnet ${A} \\(live, from stack app-prod parameter SubnetIds\\) in us-east-1a`));
    assert.match(text, new RegExp(`security group ${SG} \\(live, from stack app-prod parameter SecurityGroupId\\)`));
  });

  it('names only resource ids with their source, not other values of the stack', () => {
    const text = SAM_PARAMS_TEMPLATE.replace('Parameters:\n', 'Parameters:\n  Stage:\n    Type: String\n').replace('PARTNER_URL: https', 'STAGE: !Ref Stage\n          PARTNER_URL: https');
    const withStage = stack('app-prod', { parameters: { ...APP.parameters, Stage: 'prod' } });
    const r = run(text, { live: network({ 'app-prod': withStage }, 'app-prod') });
    assert.ok(text.includes('STAGE: !Ref Stage'));
    assert.deepEqual([...r.model!.live!.sources!.keys()].sort(), [SG, A, B]);
  });

  it('a value given wins over the deployed one', () => {
    const r = run(SAM_PARAMS_TEMPLATE, { params: { SubnetIds: A }, live: network({ 'app-prod': APP }, 'app-prod') });
    const [finding] = egress(r);
    assert.ok(finding);
    assert.doesNotMatch(finding.message, new RegExp(B));
    assert.match(finding.message, new RegExp(`${A} \\(live, us-east-1\\)`));
  });

  it('a NoEcho parameter stays unknown, even with a default', () => {
    const text = SAM_PARAMS_TEMPLATE.replace('Type: List<AWS::EC2::Subnet::Id>', `Type: List<AWS::EC2::Subnet::Id>\n    NoEcho: true\n    Default: ${A}`);
    const hidden = stack('app-prod', { parameters: { SecurityGroupId: SG }, hidden: ['SubnetIds'] });
    const r = run(text, { live: network({ 'app-prod': hidden }, 'app-prod') });
    assert.deepEqual(egress(r), []);
    assert.match(explainModel(r.model!)[0]!.unknowns.join('\n'), /parameter 'SubnetIds' is NoEcho in stack app-prod/);
  });

  it('asks for the stack when a parameter has no value, and not when every value is given', () => {
    const facts = network({}, 'app-prod');
    delete facts.stacks;
    assert.deepEqual(unresolvedIds(run(SAM_PARAMS_TEMPLATE, { live: facts }).model!).stacks, ['app-prod']);
    const given = run(SAM_PARAMS_TEMPLATE, { params: { SubnetIds: A, SecurityGroupId: SG }, live: facts });
    assert.deepEqual(unresolvedIds(given.model!).stacks, []);
    // Without a stack name nothing is asked, and nothing is known.
    const none = run(SAM_PARAMS_TEMPLATE, { live: network({ 'app-prod': APP }) });
    assert.deepEqual(unresolvedIds(none.model!).stacks, []);
    assert.deepEqual(egress(none), []);
  });
});

describe('nested stack outputs', () => {
  const NESTED = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: network.yaml }
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => (await fetch(process.env.PARTNER_URL)).status"
      Environment: { Variables: { PARTNER_URL: https://api.partner.example.com/v1 } }
      VpcConfig:
        SubnetIds: !Split [',', !GetAtt Network.Outputs.PrivateSubnets]
        SecurityGroupIds: [!GetAtt Network.Outputs.LambdaSg]
`;

  it('asks for the parent stack and the nested one in the same round', () => {
    const facts = network({}, 'app-prod');
    delete facts.stacks;
    const need = unresolvedIds(run(NESTED, { live: facts }).model!);
    assert.deepEqual(need.stacks, ['app-prod']);
    assert.deepEqual(need.nestedStacks, ['app-prod/Network']);
  });

  it('reads the child stack\'s outputs once the host found it', () => {
    const child = stack('app-prod-Network-1ABC', { outputs: { PrivateSubnets: `${A},${B}`, LambdaSg: SG } });
    const parent = stack('app-prod', { nested: { Network: child.name } });
    const r = run(NESTED, { live: network({ 'app-prod': parent, [child.name]: child }, 'app-prod') });
    const [finding] = egress(r);
    assert.ok(finding);
    assert.match(finding.message, new RegExp(`${A} \\(live, from stack app-prod-Network-1ABC output PrivateSubnets\\)`));
    assert.deepEqual(unresolvedIds(r.model!).nestedStacks, []);
  });

  it('a parent without that nested stack leaves it unknown, and does not ask again', () => {
    const r = run(NESTED, { live: network({ 'app-prod': stack('app-prod', { nested: { Network: null } }) }, 'app-prod') });
    assert.deepEqual(egress(r), []);
    assert.deepEqual(unresolvedIds(r.model!).nestedStacks, []);
  });
});

describe('${cf:stack.Output} in Serverless', () => {
  const SERVERLESS = `service: orders
provider:
  name: aws
  region: us-east-1
  vpc:
    subnetIds:
      - \${cf:network-prod.PrivateSubnetA}
      - \${cf:network-prod.PrivateSubnetB}
    securityGroupIds:
      - \${cf(us-east-1):network-prod.LambdaSg}
functions:
  api:
    handler: index.handler
    environment:
      PARTNER_URL: https://api.partner.example.com/v1
`;

  it('is asked for in a live analysis, then resolves with its source', () => {
    const facts = network({});
    const first = run(SERVERLESS, { fileName: 'serverless.yml', live: facts });
    assert.deepEqual(unresolvedIds(first.model!).stacks, ['network-prod']);
    const network_ = stack('network-prod', { outputs: { PrivateSubnetA: A, PrivateSubnetB: B, LambdaSg: SG } });
    const r = run(SERVERLESS, { fileName: 'serverless.yml', live: network({ 'network-prod': network_ }) });
    const text = explainText(explainModel(r.model!)[0]!);
    assert.match(text, /subnets: 2 items/);
    assert.match(text, new RegExp(`subnet ${B} \\(live, from stack network-prod output PrivateSubnetB\\) in us-east-1b`));
    assert.match(text, new RegExp(`security group ${SG} \\(live, from stack network-prod output LambdaSg\\)`));
  });

  it('stays unknown without live facts, and another region\'s stack is never asked for', () => {
    assert.equal(run(SERVERLESS, { fileName: 'serverless.yml' }).model!.lookups!.stacks.size, 0);
    const other = SERVERLESS.replace('cf(us-east-1):', 'cf(eu-west-1):').replace(/- \$\{cf:network-prod.PrivateSubnet.\}/g, `- ${A}`);
    assert.deepEqual(unresolvedIds(run(other, { fileName: 'serverless.yml', live: network({}) }).model!).stacks, []);
  });
});

/**
 * Conditions take one value across the template: a known condition takes only that value, the branches
 * of one condition are never paired, and parameter defaults are one deploy among others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../server/src/core/analyze';
import { analyze } from '../../server/src/core/analyze';
import { buildModel } from '../../server/src/core/model/build';
import type { Model } from '../../server/src/core/model/types';
import { parseTemplate } from '../../server/src/core/parse';
import { allRules } from '../../server/src/core/rules/registry';
import { fn, nat, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

function model(text: string, options: AnalyzeOptions = {}): Model {
  const parsed = parseTemplate(text);
  assert.ok(parsed.root && parsed.dialect, 'a template');
  return buildModel(parsed.root, parsed.dialect, options);
}

const findings = (text: string, ruleId: string, options: AnalyzeOptions = {}) =>
  analyze(text, { ...options, rules: allRules.filter((r) => r.id === ruleId) }).findings.map((f) => `${f.severity}: ${f.message}`);

const variantsOf = (m: Model, id = 'Fn') => m.functions.find((f) => f.id === id)!.variants.map((v) => [v.conditions, v.vpc?.subnetIds.items.map((i) => i.id ?? i.literal)]);

const ifVpc = (conditions: string, parameters = '') => `${parameters}Conditions:
${conditions}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: !If [InVpc, { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }, !Ref AWS::NoValue]
`;

describe('conditions that evaluate', () => {
  it('Fn::Equals of literals, Fn::Not, Fn::And, Fn::Or and Condition take only their value', () => {
    assert.deepEqual(variantsOf(model(ifVpc('  InVpc: !Equals [a, a]\n'))), [[[], ['subnet-1']]]);
    assert.deepEqual(variantsOf(model(ifVpc('  InVpc: !Not [!Equals [a, a]]\n'))), [[[], undefined]]);
    assert.deepEqual(variantsOf(model(ifVpc('  Yes: !Equals [1, 1]\n  No: !Equals [1, 2]\n  InVpc: !Or [!Condition No, !And [!Condition Yes, !Not [!Condition No]]]\n'))), [[[], ['subnet-1']]]);
  });

  it('a given parameter value decides; no value, a default or the fallback region does not', () => {
    const params = '  InVpc: !Not [!Equals [!Ref VpcId, ""]]\n';
    const parameters = 'Parameters:\n  VpcId:\n    Type: String\n    Default: ""\n';
    assert.deepEqual(variantsOf(model(ifVpc(params, parameters), { params: { VpcId: 'vpc-1' } })), [[[], ['subnet-1']]]);
    assert.deepEqual(variantsOf(model(ifVpc(params, parameters), { params: { VpcId: '' } })), [[[], undefined]]);
    assert.deepEqual(variantsOf(model(ifVpc(params, parameters))).map(([c]) => c), [['InVpc'], ['!InVpc']]);
    assert.deepEqual(model(ifVpc(params, parameters)).conditions.get('InVpc'), { value: false, assumed: ['VpcId'] });
    const region = '  InVpc: !Equals [!Ref AWS::Region, eu-west-1]\n';
    assert.deepEqual(variantsOf(model(ifVpc(region))).map(([c]) => c), [['InVpc'], ['!InVpc']]);
    assert.deepEqual(variantsOf(model(ifVpc(region), { region: 'eu-west-1' })), [[[], ['subnet-1']]]);
  });

  it('a resource whose condition is known false is not in the model; known true, it has no condition', () => {
    const m = model(`Conditions:
  Never: !Equals [a, b]
  Always: !Equals [a, a]
Resources:
  Gone:
    Type: AWS::EC2::VPC
    Condition: Never
    Properties: { CidrBlock: 10.0.0.0/16 }
  Kept:
    Type: AWS::EC2::VPC
    Condition: Always
    Properties: { CidrBlock: 10.1.0.0/16 }
`);
    assert.equal(m.resources.has('Gone'), false);
    assert.equal(m.resources.get('Kept')?.condition, undefined);
  });
});

describe('Serverless resources.Conditions', () => {
  const service = (stage: string) => `service: s
provider:
  name: aws
  region: eu-west-1
  stage: ${stage}
resources:
  Conditions:
    IsProd: !Equals ['\${sls:stage}', prod]
  Resources:
    Gone:
      Type: AWS::EC2::VPC
      Condition: IsProd
      Properties: { CidrBlock: 10.0.0.0/16 }
`;

  it('evaluate with the stage and region the service resolves', () => {
    assert.deepEqual(model(service('dev')).conditions.get('IsProd'), { value: false });
    assert.equal(model(service('dev')).resources.has('Gone'), false);
    assert.deepEqual(model(service('prod')).conditions.get('IsProd'), { value: true });
    assert.equal(model(service('prod')).resources.get('Gone')?.condition, undefined);
  });
});

describe('one value per condition', () => {
  it('an Fn::If inside a branch of the same condition follows that branch', () => {
    const m = model(`Parameters:
  Env:
    Type: String
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: !If
        - Prod
        - SubnetIds: [subnet-a, !If [Prod, subnet-b, subnet-c]]
          SecurityGroupIds: !If [Prod, [sg-1], [sg-2]]
        - !Ref AWS::NoValue
`);
    const variants = m.functions[0]!.variants;
    assert.deepEqual(variants.map((v) => [v.conditions, v.vpc?.subnetIds.items.map((i) => [i.literal, i.conditions]), v.vpc?.securityGroupIds.items.map((i) => i.literal)]), [
      [['Prod'], [['subnet-a', undefined], ['subnet-b', undefined]], ['sg-1']],
      [['!Prod'], undefined, undefined],
    ]);
  });

  it('a route under the condition that attaches the function is not paired with the other branch', () => {
    const text = `Parameters:
  Env:
    Type: String
Conditions:
  HasNat: !Equals [!Ref Env, prod]
${template(vpc, publicSubnet('Pub', '10.0.0.0/24', 'us-east-1a'), nat('Nat', 'Pub'), routeTable('Rt', 'NatGatewayId: !Ref Nat', '\n    Condition: HasNat'), subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'),
  fn('!Ref Sub').replace('      VpcConfig:\n        SubnetIds: [!Ref Sub]\n        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]\n', '      VpcConfig: !If [HasNat, { SubnetIds: [!Ref Sub], SecurityGroupIds: [sg-0a1b2c3d4e5f60001] }, !Ref AWS::NoValue]\n'))}`;
    assert.match(text, /VpcConfig: !If \[HasNat/);
    assert.deepEqual(findings(text, 'no-egress-route'), []);
    // Without the condition on the VpcConfig, the branch without the route is real.
    assert.deepEqual(findings(text.replace(/VpcConfig: !If \[HasNat, (\{.*\}), !Ref AWS::NoValue\]/, 'VpcConfig: $1'), 'no-egress-route').length, 1);
  });
});

describe('parameter defaults and conditions', () => {
  // The shape of a public template: the VPC branch is taken only when VpcId is given, and then SubnetIds too.
  const git2s3 = (vpcDefault: string) => `Parameters:
  VpcId:
    Type: String
    Default: '${vpcDefault}'
  SubnetIds:
    Type: CommaDelimitedList
    Default: ''
Conditions:
  InVpc: !Not [!Equals [!Ref VpcId, '']]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Condition: InVpc
    Properties: { GroupDescription: fn, VpcId: !Ref VpcId }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig: !If
        - InVpc
        - SecurityGroupIds: [!Ref Sg]
          SubnetIds: !Ref SubnetIds
        - !Ref AWS::NoValue
`;

  it('a default is not paired with the branch the defaults rule out', () => {
    assert.deepEqual(findings(git2s3(''), 'vpc-config-incomplete'), []);
  });

  it('on the branch the defaults take, the finding stays, lowered and naming the condition', () => {
    assert.deepEqual(findings(git2s3('vpc-1'), 'vpc-config-incomplete'), [
      "warning: Function 'Fn' has SecurityGroupIds but no SubnetIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty). (assuming the default of parameter 'SubnetIds') (when condition 'InVpc' is true)",
    ]);
  });

  it('a given value decides the condition: the default of another parameter is then only lowered', () => {
    assert.deepEqual(findings(git2s3(''), 'vpc-config-incomplete', { params: { VpcId: 'vpc-1' } }), [
      "warning: Function 'Fn' has SecurityGroupIds but no SubnetIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty). (assuming the default of parameter 'SubnetIds')",
    ]);
  });
});

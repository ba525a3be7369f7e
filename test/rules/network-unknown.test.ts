import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import rule from '../../server/src/core/rules/network-unknown';
import { ruleTester } from '../support/rule-tester';

const PARAMS = `Parameters:
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
  GroupId:
    Type: AWS::EC2::SecurityGroup::Id
`;

/** A CloudFormation function with the given VpcConfig lines, after optional top-level sections. */
const cfn = (vpc: string, before = '', after = '') => `${before}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
${vpc}${after}`;

const NETWORK = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
`;

const known = `        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [!Ref Sg]
`;

const M = {
  parameter: "Function 'Fn' is in a VPC, but its network could not be checked: subnets: parameter `SubnetIds` has no value (give it a value with --param, a parameter file or samconfig.toml); security groups: parameter `GroupId` has no value (give it a value with --param, a parameter file or samconfig.toml).",
  import: "Function 'Fn' is in a VPC, but its network could not be checked: subnets: `Fn::ImportValue` `net-PrivateSubnets` is exported by no template in the workspace (check the template that defines it together with this one with --workspace, or turn on live lookups with --live).",
  hardCoded: "Function 'Fn' is in a VPC, but its network could not be checked: subnets: `subnet-0abc`, `subnet-0def` are not in the template (turn on live lookups with --live).",
  partialGroup: "Function 'Fn' is in a VPC, but its network could only partly be checked: security groups: `sg-0abc` is not in the template (turn on live lookups with --live).",
  dynamic: "Function 'Fn' is in a VPC, but its network could not be checked: subnets: `{{resolve:ssm:/net/subnet}}` is resolved at deploy time (turn on live lookups with --live).",
  placeholder: "Function 'Fn' is in a VPC, but its network could only partly be checked: security groups: `sg-CHANGEME` is a placeholder (replace it with real ids).",
  nested: "Function 'Fn' is in a VPC, but its network could not be checked: subnets: `Net.Outputs.SubnetA` is an output of a nested stack whose template was not read (check the template that defines it together with this one with --workspace).",
  mainTable: "Function 'Fn' is in a VPC, but its network could only partly be checked: route table of subnet `SubnetA`: the subnet has no route table association, so it uses the main route table of VPC `vpc-0abc`, which is not in the template (turn on live lookups with --live).",
  association: "Function 'Fn' is in a VPC, but its network could only partly be checked: route table of subnet `SubnetA`: parameter `Table` has no value (give it a value with --param, a parameter file or samconfig.toml).",
  env: "Function 'api' is in a VPC, but its network could not be checked: subnets: `${env:SUBNET_A}`, `${env:SUBNET_B}` have no value here (set `SUBNET_A`, `SUBNET_B` in a .env file beside serverless.yml with useDotenv: true); security groups: `sg-1` is not in the template (turn on live lookups with --live).",
  ssm: "Function 'api' is in a VPC, but its network could not be checked: subnets: `${ssm:/net/subnets}` has no value here (turn on live lookups with --live); security groups: `sg-1` is not in the template (turn on live lookups with --live).",
  slsParam: "Function 'api' is in a VPC, but its network could not be checked: subnets: parameter `subnets` has no value (give it a value with --param or in the params of serverless.yml); security groups: `sg-1` is not in the template (turn on live lookups with --live).",
  given: "Function 'Fn' is in a VPC, but its network could not be checked: subnets: `subnet-1` is not in the template (turn on live lookups with --live); security groups: `sg-1` is not in the template (turn on live lookups with --live).",
};

const SERVERLESS_TWO = `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1]
    securityGroupIds: [sg-1]
functions:
  one:
    handler: h.one
  two:
    handler: h.two
`;

ruleTester(rule, {
  valid: [
    { name: 'every subnet, route table and group in the template', code: cfn(known, '', NETWORK) },
    { name: 'not in a VPC', code: `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/r\n` },
    { name: 'empty lists mean no VPC', code: cfn('        SubnetIds: []\n        SecurityGroupIds: []\n') },
    { name: 'the default security group of a template VPC', code: cfn('        SubnetIds: [!Ref SubnetA]\n        SecurityGroupIds: [!GetAtt Vpc.DefaultSecurityGroup]\n', '', NETWORK) },
    { name: 'suppressed in Metadata', code: cfn('        SubnetIds: [subnet-0abc]\n        SecurityGroupIds: [sg-0abc]\n', '', '    Metadata:\n      lambda-vpc-lint:\n        ignore: [network-unknown]\n').replace('    Properties:\n      Role', '    Metadata:\n      lambda-vpc-lint:\n        ignore: [network-unknown]\n    Properties:\n      Role').replace(/    Metadata:\n      lambda-vpc-lint:\n        ignore: \[network-unknown\]\n$/, '') },
    { name: 'references to ids the template does not define resolve to nothing (unresolved-reference reports them)', code: cfn('        SubnetIds: [!Ref PrivateA]\n        SecurityGroupIds: [!GetAtt LambdaSg.GroupId]\n') },
    { name: 'Serverless drops a config without groups: not in a VPC', code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: [subnet-1]
` },
    { name: 'suppressed by a comment', code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    # lambda-vpc-lint-disable-next-line network-unknown
    vpc:
      subnetIds: [subnet-1]
      securityGroupIds: [sg-1]
` },
  ],
  invalid: [
    {
      name: 'parameter values given: the ids they name are not in the template',
      code: cfn('        SubnetIds: !Ref SubnetIds\n        SecurityGroupIds: [!Ref GroupId]\n', PARAMS, NETWORK),
      options: { params: { SubnetIds: 'subnet-1', GroupId: 'sg-1' } },
      errors: [{ messageId: 'unknown', resource: 'Fn', message: M.given }],
    },
    {
      name: 'parameters without a value',
      code: cfn('        SubnetIds: !Ref SubnetIds\n        SecurityGroupIds: [!Ref GroupId]\n', PARAMS),
      errors: [{ messageId: 'unknown', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig'], line: 11, severity: 'info', message: M.parameter }],
    },
    {
      name: 'Fn::ImportValue',
      code: cfn('        SubnetIds: !Split [",", !ImportValue net-PrivateSubnets]\n        SecurityGroupIds: [!Ref Sg]\n', '', NETWORK),
      errors: [{ messageId: 'unknown', resource: 'Fn', message: M.import }],
    },
    {
      name: 'hard-coded subnet ids',
      code: cfn('        SubnetIds: [subnet-0abc, subnet-0def]\n        SecurityGroupIds: [!Ref Sg]\n', '', NETWORK),
      errors: [{ messageId: 'unknown', resource: 'Fn', message: M.hardCoded }],
    },
    {
      name: 'a hard-coded security group: partial',
      code: cfn('        SubnetIds: [!Ref SubnetA]\n        SecurityGroupIds: [sg-0abc]\n', '', NETWORK),
      errors: [{ messageId: 'partial', resource: 'Fn', message: M.partialGroup }],
    },
    {
      name: 'a dynamic reference',
      code: cfn('        SubnetIds: ["{{resolve:ssm:/net/subnet}}"]\n        SecurityGroupIds: [!Ref Sg]\n', '', NETWORK),
      errors: [{ messageId: 'unknown', resource: 'Fn', message: M.dynamic }],
    },
    {
      name: 'a placeholder left by a fix',
      code: cfn('        SubnetIds: [!Ref SubnetA]\n        SecurityGroupIds: [sg-CHANGEME]\n', '', NETWORK),
      errors: [{ messageId: 'partial', resource: 'Fn', message: M.placeholder }],
    },
    {
      name: 'a nested stack output',
      code: cfn('        SubnetIds: [!GetAtt Net.Outputs.SubnetA]\n        SecurityGroupIds: [!Ref Sg]\n', '', `${NETWORK}  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: https://example.com/net.yaml }\n`),
      errors: [{ messageId: 'unknown', resource: 'Fn', message: M.nested }],
    },
    {
      name: 'a subnet in a VPC of another stack, without an association',
      code: cfn(known, '', `  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: vpc-0abc, CidrBlock: 10.0.1.0/24 }
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: vpc-0abc }
`),
      errors: [{ messageId: 'partial', resource: 'Fn', message: M.mainTable }],
    },
    {
      name: 'a route table association to a parameter',
      code: cfn(known, 'Parameters:\n  Table:\n    Type: String\n', `${NETWORK}  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref Table }
`),
      errors: [{ messageId: 'partial', resource: 'Fn', message: M.association }],
    },
    {
      name: 'Fn::If: one branch known, the other imported',
      code: cfn(`        SubnetIds: !If [UseShared, !Split [",", !ImportValue net-PrivateSubnets], [!Ref SubnetA]]
        SecurityGroupIds: [!Ref Sg]
`, 'Conditions:\n  UseShared: !Equals [!Ref AWS::Region, eu-west-1]\n', NETWORK),
      // No region given: the condition stays open, so both branches are analysed.
      errors: [{ messageId: 'unknown', resource: 'Fn', message: '`Fn::ImportValue` `net-PrivateSubnets`' }],
    },
    {
      name: 'SAM Globals: on the function key, the Globals entry related',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [subnet-0abc]
      SecurityGroupIds: [sg-0abc]
Resources:
  One:
    Type: AWS::Serverless::Function
    Properties: { Handler: h.one, Runtime: nodejs20.x, CodeUri: . }
  Two:
    Type: AWS::Serverless::Function
    Properties: { Handler: h.two, Runtime: nodejs20.x, CodeUri: . }
`,
      errors: [
        { messageId: 'unknown', resource: 'One', path: ['Resources', 'One'], line: 8 },
        { messageId: 'unknown', resource: 'Two', path: ['Resources', 'Two'], line: 11 },
      ],
    },
    {
      name: 'Serverless provider.vpc: one finding per function key, never on the shared line',
      code: SERVERLESS_TWO,
      errors: [
        { messageId: 'unknown', resource: 'one', path: ['functions', 'one'], line: 8 },
        { messageId: 'unknown', resource: 'two', path: ['functions', 'two'], line: 10 },
      ],
    },
    {
      name: 'Serverless ${env:} without a value, on the function\'s own vpc',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: ['\${env:SUBNET_A}', '\${env:SUBNET_B}']
      securityGroupIds: [sg-1]
`,
      errors: [{ messageId: 'unknown', resource: 'api', path: ['functions', 'api', 'vpc'], line: 7, message: M.env }],
    },
    {
      name: 'Serverless ${ssm:}',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: \${ssm:/net/subnets}
      securityGroupIds: [sg-1]
`,
      errors: [{ messageId: 'unknown', resource: 'api', message: M.ssm }],
    },
    {
      name: 'Serverless ${param:} not in the params',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: \${param:subnets}
      securityGroupIds: [sg-1]
`,
      errors: [{ messageId: 'unknown', resource: 'api', message: M.slsParam }],
    },
  ],
});

describe('network-unknown messages', () => {
  it('are exactly the catalogue wording, one per function', () => {
    const text = cfn('        SubnetIds: !Ref SubnetIds\n        SecurityGroupIds: [!Ref GroupId]\n', PARAMS);
    const findings = analyze(text, { rules: [rule] }).findings;
    assert.deepEqual(findings.map((f) => f.message), [M.parameter]);
  });

  it('relates the inherited provider.vpc entry', () => {
    const findings = analyze(SERVERLESS_TWO, { rules: [rule] }).findings;
    assert.equal(findings.length, 2);
    for (const f of findings) {
      assert.equal(f.related.length, 1);
      assert.equal(SERVERLESS_TWO.slice(f.related[0]!.span.start).startsWith('vpc:'), true);
    }
    assert.notEqual(findings[0]!.span.start, findings[1]!.span.start);
  });
});

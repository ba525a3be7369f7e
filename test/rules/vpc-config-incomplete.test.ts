import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import rule, { freeBlock } from '../../server/src/core/rules/vpc-config-incomplete';
import { ruleTester } from '../support/rule-tester';

const fn = (vpc: string) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
${vpc}`;

const NET = `  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
`;

const withNet = (extra: string, vpc: string) => `Resources:
${NET}${extra}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
${vpc}`;

const GROUP = `  FnGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: !Ref Vpc
`;

ruleTester(rule, {
  valid: [
    fn('        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n'),
    { name: 'both empty', code: fn('        SubnetIds: []\n        SecurityGroupIds: []\n') },
    { name: 'unknown list from a parameter without default', code: `Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
${fn('        SubnetIds: !Ref Subnets\n')}` },
    { name: 'SAM Globals supply the groups', code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SecurityGroupIds: [sg-1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
` },
    { name: 'serverless provider supplies the subnets', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1, subnet-2]
functions:
  api:
    handler: h.main
    vpc:
      securityGroupIds: [sg-1]
` },
    { name: 'ImportValue for the groups stays silent', code: fn('        SubnetIds: [subnet-1]\n        SecurityGroupIds: !Split [",", !ImportValue Groups]\n') },
  ],
  invalid: [
    {
      name: 'groups missing: the one security group of the VPC is referenced',
      code: withNet(GROUP + `  DbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !Ref Vpc
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      VPCSecurityGroups: [!GetAtt DbGroup.GroupId]
`, '        SubnetIds: [!Ref Private]\n'),
      errors: [{ messageId: 'missingGroups', resource: 'Fn' }],
      output: withNet(GROUP + `  DbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !Ref Vpc
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      VPCSecurityGroups: [!GetAtt DbGroup.GroupId]
`, '        SubnetIds: [!Ref Private]\n        SecurityGroupIds:\n          - !GetAtt FnGroup.GroupId\n'),
    },
    {
      name: 'groups missing, none fits: a new security group in the VPC',
      code: withNet('', '        SubnetIds: [!Ref Private]\n'),
      errors: [{ messageId: 'missingGroups', resource: 'Fn' }],
      output: withNet('', '        SubnetIds: [!Ref Private]\n        SecurityGroupIds:\n          - !GetAtt FnSecurityGroup.GroupId\n') + `  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Network interfaces of Fn
      VpcId: !Ref Vpc
`,
    },
    {
      name: 'subnets missing: the one private subnet of the VPC is referenced',
      code: withNet(GROUP, '        SecurityGroupIds: [!GetAtt FnGroup.GroupId]\n'),
      errors: [{ messageId: 'missingSubnets', resource: 'Fn' }],
      output: withNet(GROUP, '        SecurityGroupIds: [!GetAtt FnGroup.GroupId]\n        SubnetIds:\n          - !Ref Private\n'),
    },
    {
      name: 'subnets missing, the VPC has none: a new subnet in a free block of its CIDR',
      code: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
${GROUP}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SecurityGroupIds: [!GetAtt FnGroup.GroupId]
`,
      errors: [{ messageId: 'missingSubnets', resource: 'Fn' }],
      output: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
${GROUP}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SecurityGroupIds: [!GetAtt FnGroup.GroupId]
        SubnetIds:
          - !Ref FnSubnet
  FnSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.1.0.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
`,
    },
    {
      name: 'groups missing, block style',
      code: fn('        SubnetIds: [subnet-1, subnet-2]\n'),
      errors: [{ messageId: 'missingGroups', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'], line: 7, severity: 'error' }],
      output: fn('        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds:\n          - sg-CHANGEME\n'),
      safety: 'unsafe',
    },
    {
      name: 'subnets missing, flow style',
      code: fn('        { SecurityGroupIds: [sg-1] }\n'),
      errors: [{ messageId: 'missingSubnets', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds'] }],
      output: fn('        { SecurityGroupIds: [sg-1], SubnetIds: [subnet-CHANGEME1, subnet-CHANGEME2] }\n'),
    },
    {
      name: 'SAM Globals subnets, function has none of the groups',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [subnet-1, subnet-2]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
`,
      errors: [{ messageId: 'missingGroups', resource: 'Fn', path: ['Resources', 'Fn'] }],
      output: null,
    },
    {
      name: 'assumed from a parameter default: lowered to warning',
      code: `Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-1,subnet-2
${fn('        SubnetIds: !Ref Subnets\n        SecurityGroupIds: []\n')}`,
      errors: [{ messageId: 'missingGroups', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'Subnets'" }],
    },
    {
      name: 'under Fn::If, names the condition',
      code: `Conditions:
  Prod: !Equals [!Ref AWS::Region, eu-west-1]
${fn('        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: !If [Prod, [sg-1], []]\n')}`,
      errors: [{ messageId: 'missingGroups', resource: 'Fn', severity: 'error', message: "condition 'Prod' is false" }],
    },
    {
      name: 'serverless: provider subnets only, warning',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1, subnet-2]
functions:
  api:
    handler: h.main
`,
      errors: [{ messageId: 'serverlessDropped', resource: 'api', severity: 'warning', message: 'deploys outside the VPC' }],
    },
  ],
});

describe('freeBlock', () => {
  it('takes the first /24 of the VPC that no subnet overlaps, and none when a subnet CIDR is unknown', () => {
    assert.equal(freeBlock('10.0.0.0/16', ['10.0.0.0/24', '10.0.2.0/23', '10.0.4.0/24']), '10.0.1.0/24');
    assert.equal(freeBlock('10.0.0.0/24', ['10.0.0.0/25']), undefined);
    assert.equal(freeBlock('10.0.0.0/25', []), undefined);
    assert.equal(freeBlock('10.0.0.0/16', [undefined]), undefined);
    assert.equal(freeBlock('172.31.0.0/16', []), '172.31.0.0/24');
  });
});

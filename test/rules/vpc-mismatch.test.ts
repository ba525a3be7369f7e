import rule from '../../server/src/core/rules/vpc-mismatch';
import { ruleTester } from '../support/rule-tester';

const vpcs = `  VpcA:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  VpcB:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.1.0.0/16 }
`;
const subnet = (id: string, vpc: string) => `  ${id}:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: ${vpc}
`;
const sg = (id: string, vpc?: string) => `  ${id}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g${vpc ? `\n      VpcId: ${vpc}` : ''}
`;
const fn = (subnets: string, groups: string) => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: ${groups}
`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;

ruleTester(rule, {
  valid: [
    { name: 'subnets and group in one VPC', code: tpl(vpcs, subnet('A', '!Ref VpcA'), subnet('B', '!Ref VpcA'), sg('Sg', '!Ref VpcA'), fn('[!Ref A, !Ref B]', '[!GetAtt Sg.GroupId]')) },
    { name: 'hard-coded subnets: VPC unknown', code: tpl(sg('Sg'), fn('[subnet-1, subnet-2]', '[!GetAtt Sg.GroupId]')) },
    { name: 'imported VPC on one subnet: not compared', code: tpl(vpcs, subnet('A', '!Ref VpcA'), subnet('B', '!ImportValue SharedVpc'), fn('[!Ref A, !Ref B]', '[sg-1]')) },
    { name: 'group without VpcId, subnets in a hard-coded VPC (may be the default VPC)', code: tpl(subnet('A', 'vpc-0abc'), sg('Sg'), fn('[!Ref A]', '[!GetAtt Sg.GroupId]')) },
    { name: 'group and subnets in the same hard-coded VPC', code: tpl(subnet('A', 'vpc-0abc'), sg('Sg', 'vpc-0abc'), fn('[!Ref A]', '[!GetAtt Sg.GroupId]')) },
    { name: 'group VpcId from a parameter without default', code: `Parameters:\n  Vpc:\n    Type: AWS::EC2::VPC::Id\n${tpl(vpcs, subnet('A', '!Ref VpcA'), sg('Sg', '!Ref Vpc'), fn('[!Ref A]', '[!GetAtt Sg.GroupId]'))}` },
    { name: 'serverless: one VPC', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [{ Ref: A }]
    securityGroupIds: [{ Fn::GetAtt: [Sg, GroupId] }]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    A:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: { Ref: Vpc } }
    Sg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: g, VpcId: { Ref: Vpc } }
` },
  ],
  invalid: [
    {
      name: 'subnets in two template VPCs',
      code: tpl(vpcs, subnet('A', '!Ref VpcA'), subnet('B', '!Ref VpcB'), fn('[!Ref A, !Ref B]', '[sg-1]')),
      errors: [{ messageId: 'subnetsInDifferentVpcs', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'], severity: 'error', message: "(VPC 'VpcA', VPC 'VpcB')" }],
      output: null,
    },
    {
      name: 'a template VPC and a hard-coded one',
      code: tpl(vpcs, subnet('A', '!Ref VpcA'), subnet('B', 'vpc-0abc'), fn('[!Ref A, !Ref B]', '[sg-1]')),
      errors: [{ messageId: 'subnetsInDifferentVpcs', resource: 'Fn', message: "VPC 'VpcA', vpc-0abc" }],
    },
    {
      name: 'group in the other VPC: points at the group in the list',
      code: tpl(vpcs, subnet('A', '!Ref VpcA'), sg('Sg', '!Ref VpcB'), fn('[!Ref A]', '[sg-1, !GetAtt Sg.GroupId]')),
      errors: [{ messageId: 'groupInOtherVpc', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds', 1], message: "is in VPC 'VpcB', but the function's subnets are in VPC 'VpcA'" }],
    },
    {
      name: 'group without VpcId lands in the default VPC',
      code: tpl(vpcs, subnet('A', '!Ref VpcA'), sg('Sg'), fn('[!Ref A]', '[!Ref Sg]')),
      errors: [{ messageId: 'groupWithoutVpc', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds', 0] }],
    },
    {
      name: 'subnet VPC from a parameter default: lowered to warning',
      code: `Parameters:\n  Vpc:\n    Type: AWS::EC2::VPC::Id\n    Default: vpc-0def\n${tpl(vpcs, subnet('A', '!Ref VpcA'), subnet('B', '!Ref Vpc'), fn('[!Ref A, !Ref B]', '[sg-1]'))}`,
      errors: [{ messageId: 'subnetsInDifferentVpcs', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'Vpc'" }],
    },
    {
      name: 'the other VPC only on one branch of a condition',
      code: `Conditions:\n  Peered: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(vpcs, subnet('A', '!Ref VpcA'), subnet('B', '!Ref VpcB'), fn('[!Ref A, !If [Peered, !Ref B, !Ref AWS::NoValue]]', '[sg-1]'))}`,
      errors: [{ messageId: 'subnetsInDifferentVpcs', resource: 'Fn', severity: 'error', message: "(when condition 'Peered' is true)" }],
    },
    {
      name: 'SAM Globals group in another VPC: on the function key',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SecurityGroupIds: [!GetAtt Sg.GroupId]
${tpl(vpcs, subnet('A', '!Ref VpcA'), sg('Sg', '!Ref VpcB'), `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      VpcConfig:
        SubnetIds: [!Ref A]
`)}`,
      errors: [{ messageId: 'groupInOtherVpc', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless: provider group in another VPC',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: [{ Ref: A }]
      securityGroupIds: [{ Ref: Sg }]
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    A:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: { Ref: Vpc } }
    Sg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: g, VpcId: vpc-0123 }
`,
      errors: [{ messageId: 'groupInOtherVpc', resource: 'api', path: ['functions', 'api', 'vpc', 'securityGroupIds', 0], message: 'is in vpc-0123' }],
    },
  ],
});

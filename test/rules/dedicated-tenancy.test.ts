import rule from '../../server/src/core/rules/dedicated-tenancy';
import { ruleTester } from '../support/rule-tester';

const vpc = (tenancy: string) => `  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      InstanceTenancy: ${tenancy}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
`;
const fn = (subnets = '[!Ref SubnetA]') => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [sg-1]
`;

ruleTester(rule, {
  valid: [
    { name: 'default tenancy', code: `Resources:\n${vpc('default')}${fn()}` },
    { name: 'no InstanceTenancy', code: `Resources:\n${vpc('!Ref AWS::NoValue')}${fn()}` },
    { name: 'tenancy from a parameter without default', code: `Parameters:\n  Tenancy:\n    Type: String\nResources:\n${vpc('!Ref Tenancy')}${fn()}` },
    { name: 'hard-coded subnets: VPC unknown', code: `Resources:\n${vpc('dedicated')}${fn('[subnet-0abc]')}` },
    { name: 'function not in the VPC', code: `Resources:\n${vpc('dedicated')}  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: a.b\n` },
  ],
  invalid: [
    {
      name: 'dedicated VPC',
      code: `Resources:\n${vpc('dedicated')}${fn()}`,
      errors: [{ messageId: 'dedicatedVpc', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'], line: 16, severity: 'error' }],
      output: null,
    },
    {
      name: 'tenancy from a parameter default: lowered to warning',
      code: `Parameters:\n  Tenancy:\n    Type: String\n    Default: dedicated\nResources:\n${vpc('!Ref Tenancy')}${fn()}`,
      errors: [{ messageId: 'dedicatedVpc', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'Tenancy'" }],
    },
    {
      name: 'the dedicated VPC only on one branch of the subnet list',
      code: `Conditions:\n  Isolated: !Equals [!Ref AWS::Region, eu-west-1]\nResources:\n${vpc('dedicated')}${fn('[!If [Isolated, !Ref SubnetA, subnet-0abc]]')}`,
      errors: [{ messageId: 'dedicatedVpc', resource: 'Fn', severity: 'error', message: "(when condition 'Isolated' is true)" }],
    },
    {
      name: 'SAM: VpcConfig from Globals, on the function key',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [!Ref SubnetA]
      SecurityGroupIds: [sg-1]
Resources:
${vpc('dedicated')}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
`,
      errors: [{ messageId: 'dedicatedVpc', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      securityGroupIds: [sg-1]
      subnetIds: [{ Ref: SubnetA }]
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16, InstanceTenancy: dedicated }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: { Ref: Vpc } }
`,
      errors: [{ messageId: 'dedicatedVpc', resource: 'api', path: ['functions', 'api', 'vpc', 'subnetIds'] }],
    },
  ],
});

import rule from '../../server/src/core/rules/vpc-config-incomplete';
import { ruleTester } from '../support/rule-tester';

const fn = (vpc: string) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
${vpc}`;

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

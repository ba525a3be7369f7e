import rule from '../../server/src/core/rules/vpc-config-limits';
import { ruleTester } from '../support/rule-tester';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`).join(', ');

const fn = (subnets: string, groups: string, extra = '') => `${extra}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: ${groups}
`;

ruleTester(rule, {
  valid: [
    { name: 'exactly 16 subnets and 5 groups', code: fn(`[${ids('subnet', 16)}]`, `[${ids('sg', 5)}]`) },
    { name: 'unknown list length stays silent', code: fn('!Ref Subnets', `[${ids('sg', 2)}]`, 'Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n') },
    { name: 'an Fn::If picks one of two items: 5 groups on every branch', code: fn(`[${ids('subnet', 2)}]`, `[${ids('sg', 4)}, !If [Prod, sg-a, sg-b]]`, 'Conditions:\n  Prod: !Equals [!Ref AWS::Region, eu-west-1]\n') },
    { name: 'serverless: function list replaces provider list', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [${ids('subnet', 2)}]
    securityGroupIds: [${ids('sg', 6)}]
functions:
  api:
    handler: h.main
    vpc:
      securityGroupIds: [sg-1]
` },
    { name: 'SAM Globals and local add up to 5 groups', code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SecurityGroupIds: [${ids('sg', 3)}]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: [sg-x, sg-y]
` },
  ],
  invalid: [
    {
      name: '17 subnets',
      code: fn(`[${ids('subnet', 17)}]`, '[sg-1]'),
      errors: [{ messageId: 'tooManySubnets', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'], line: 7, severity: 'error', message: 'lists 17 subnets' }],
      output: null,
    },
    {
      name: '6 groups, unknown items still count as present',
      code: fn('[subnet-1, subnet-2]', `[${ids('sg', 5)}, !ImportValue SharedSg]`),
      errors: [{ messageId: 'tooManyGroups', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds'], message: 'lists 6 security groups' }],
    },
    {
      name: 'SAM: Globals items are prepended to the local list',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SecurityGroupIds: [${ids('sg', 3)}]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: [sg-x, sg-y, sg-z]
`,
      errors: [{ messageId: 'tooManyGroups', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds'], message: 'lists 6 security groups' }],
    },
    {
      name: 'from a parameter default: lowered to warning',
      code: fn('!Ref Subnets', `[${ids('sg', 2)}]`, `Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n    Default: ${ids('subnet', 17).replace(/ /g, '')}\n`),
      errors: [{ messageId: 'tooManySubnets', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'Subnets'" }],
    },
    {
      name: 'only one Fn::If branch is over the limit: names the condition',
      code: fn(`[${ids('subnet', 2)}]`, `[${ids('sg', 5)}, !If [Prod, sg-extra, !Ref AWS::NoValue]]`, 'Conditions:\n  Prod: !Equals [!Ref AWS::Region, eu-west-1]\n'),
      errors: [{ messageId: 'tooManyGroups', resource: 'Fn', severity: 'error', message: "when condition 'Prod' is true" }],
    },
    {
      name: 'serverless: provider.vpc inherited, reported on the function key',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [${ids('subnet', 2)}]
    securityGroupIds: [${ids('sg', 6)}]
functions:
  api:
    handler: h.main
`,
      errors: [{ messageId: 'tooManyGroups', resource: 'api', path: ['functions', 'api'], line: 8 }],
    },
  ],
});

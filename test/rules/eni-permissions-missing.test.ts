import rule from '../../server/src/core/rules/eni-permissions-missing';
import { managedPolicies } from '../support/managed-policies';
import { ruleTester } from '../support/rule-tester';

const assume = `      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
`;
const role = (body = '') => `  FnRole:
    Type: AWS::IAM::Role
    Properties:
${assume}${body}`;
const inline = (actions: string, key = 'Action') => `      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                ${key}: ${actions}
                Resource: '*'
`;
const fn = (id = 'Fn', vpc = '      VpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n') => `  ${id}:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
${vpc}`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const arns = (...items: string[]) => `      ManagedPolicyArns:\n${items.map((i) => `        - ${i}\n`).join('')}`;
const BASIC = '!Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const FIXED = "!Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'";

ruleTester(rule, {
  valid: [
    { name: 'VPC access policy by !Sub ARN', code: tpl(role(arns('!Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole')), fn()) },
    { name: 'ENI management policy by Fn::Join', code: tpl(role(arns('!Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/service-role/AWSLambdaENIManagementAccess"]]')), fn()) },
    { name: 'MSK execution policy covers create/describe/delete', code: tpl(role(arns('arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole')), fn()) },
    { name: 'inline ec2:*', code: tpl(role(inline('ec2:*')), fn()) },
    { name: 'inline *', code: tpl(role(inline("'*'")), fn()) },
    { name: 'wildcard pattern covering the three', code: tpl(role(inline('[ec2:*NetworkInterface*]')), fn()) },
    { name: 'NotAction that leaves ec2 allowed', code: tpl(role(inline('[iam:*]', 'NotAction')), fn()) },
    { name: 'an AWS managed policy that grants every action but IAM\'s', code: tpl(role(arns(BASIC, 'arn:aws:iam::aws:policy/PowerUserAccess')), fn()), options: { managedPolicies } },
    { name: 'an AWS managed policy not in the data set: content unknown', code: tpl(role(arns(BASIC, 'arn:aws:iam::aws:policy/NotAPublishedPolicy')), fn()), options: { managedPolicies } },
    { name: 'an AWS managed policy beyond the bundled ones, without the data set: content unknown', code: tpl(role(arns(BASIC, 'arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess')), fn()) },
    { name: 'customer managed policy: content unknown', code: tpl(role(arns(BASIC, '!Sub arn:aws:iam::${AWS::AccountId}:policy/lambda-eni')), fn()) },
    { name: 'managed policy from a parameter without default', code: `Parameters:\n  Extra:\n    Type: String\n${tpl(role(arns(BASIC, '!Ref Extra')), fn())}` },
    { name: 'AWS::IAM::Policy attached by Roles', code: tpl(role(arns(BASIC)), fn(), `  EniPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: eni
      Roles: [!Ref FnRole]
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: [ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface], Resource: '*' }
`) },
    { name: 'AWS::IAM::ManagedPolicy listed in ManagedPolicyArns', code: tpl(role(arns(BASIC, '!Ref EniPolicy')), fn(), `  EniPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: 'ec2:*', Resource: '*' }
`) },
    { name: 'AWS::IAM::RolePolicy', code: tpl(role(arns(BASIC)), fn(), `  EniPolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref FnRole
      PolicyName: eni
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: 'ec2:*', Resource: '*' }
`) },
    { name: 'function not in a VPC', code: tpl(role(arns(BASIC)), fn('Fn', '      Handler: a.b\n')) },
    { name: 'role given by ARN', code: tpl(`  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/r\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds: [sg-1]\n`) },
    { name: 'SAM-generated role', code: `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies: [AWSLambdaBasicExecutionRole]\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds: [sg-1]\n` },
    { name: 'Serverless-generated role', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1]
    securityGroupIds: [sg-1]
  iam:
    role:
      statements:
        - { Effect: Allow, Action: s3:GetObject, Resource: '*' }
functions:
  api:
    handler: h.main
` },
  ],
  invalid: [
    {
      name: 'only the basic execution role: appends the VPC access policy',
      code: tpl(role(arns(BASIC)), fn()),
      errors: [{ messageId: 'missing', resource: 'FnRole', path: ['Resources', 'FnRole', 'Properties', 'ManagedPolicyArns'], line: 9, severity: 'error', message: "VPC-attached function 'Fn' but does not allow ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface" }],
      output: tpl(role(arns(BASIC, FIXED)), fn()),
      safety: 'safe',
    },
    {
      name: 'no ManagedPolicyArns: creates the key',
      code: tpl(role(inline('[s3:GetObject]')), fn()),
      errors: [{ messageId: 'missing', resource: 'FnRole', path: ['Resources', 'FnRole'] }],
      output: tpl(role(inline('[s3:GetObject]') + arns(FIXED)), fn()),
    },
    {
      name: 'an AWS managed policy known by its content from the data set does not silence the rule',
      code: tpl(role(arns(BASIC, '!Sub arn:${AWS::Partition}:iam::aws:policy/AmazonRDSReadOnlyAccess')), fn()),
      options: { managedPolicies },
      errors: [{ messageId: 'missing', resource: 'FnRole', message: 'does not allow ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface' }],
    },
    {
      name: 'ReadOnlyAccess describes network interfaces but creates none',
      code: tpl(role(arns('arn:aws:iam::aws:policy/ReadOnlyAccess')), fn()),
      options: { managedPolicies },
      errors: [{ messageId: 'missing', resource: 'FnRole', message: 'does not allow ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface' }],
    },
    {
      name: 'a bundled AWS managed policy is known without the data set',
      code: tpl(role(arns('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')), fn()),
      errors: [{ messageId: 'missing', resource: 'FnRole' }],
    },
    {
      name: 'only CreateNetworkInterface allowed',
      code: tpl(role(inline('[ec2:CreateNetworkInterface, ec2:AssignPrivateIpAddresses]')), fn()),
      errors: [{ messageId: 'missing', resource: 'FnRole', message: 'does not allow ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface' }],
    },
    {
      name: 'a role shared by two functions is reported once',
      code: tpl(role(arns(BASIC)), fn('FnA'), fn('FnB')),
      errors: [{ messageId: 'missing', resource: 'FnRole', message: "functions 'FnA', 'FnB'" }],
    },
    {
      name: 'managed policy from a parameter default: lowered to warning',
      code: `Parameters:\n  Policy:\n    Type: String\n    Default: arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n${tpl(role(arns('!Ref Policy')), fn())}`,
      errors: [{ messageId: 'missing', resource: 'FnRole', severity: 'warning', message: "assuming the default of parameter 'Policy'" }],
    },
    {
      name: 'VpcConfig under a condition',
      code: `Conditions:\n  InVpc: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(role(arns(BASIC)), fn('Fn', '      VpcConfig: !If\n        - InVpc\n        - { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }\n        - !Ref AWS::NoValue\n'))}`,
      errors: [{ messageId: 'missing', resource: 'FnRole', severity: 'error', message: "(when condition 'InVpc' is true)" }],
    },
    {
      name: 'SAM function with its own Role',
      code: `Transform: AWS::Serverless-2016-10-31\n${tpl(role(arns(BASIC)), `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: !GetAtt FnRole.Arn\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds: [sg-1]\n`)}`,
      errors: [{ messageId: 'missing', resource: 'FnRole' }],
    },
    {
      name: 'serverless: a named role from resources',
      code: `service: s
provider:
  name: aws
  iam:
    role: FnRole
  vpc:
    subnetIds: [subnet-1]
    securityGroupIds: [sg-1]
functions:
  api:
    handler: h.main
resources:
  Resources:
    FnRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
        ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
`,
      errors: [{ messageId: 'missing', resource: 'FnRole', path: ['resources', 'Resources', 'FnRole', 'Properties', 'ManagedPolicyArns'] }],
      output: `service: s
provider:
  name: aws
  iam:
    role: FnRole
  vpc:
    subnetIds: [subnet-1]
    securityGroupIds: [sg-1]
functions:
  api:
    handler: h.main
resources:
  Resources:
    FnRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
        ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole, { Fn::Sub: 'arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' }]
`,
    },
  ],
});

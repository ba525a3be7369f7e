import rule from '../../server/src/core/rules/eni-policy-race';
import { ruleTester } from '../support/rule-tester';

const ENI = '[ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses]';
const role = (extra = '') => `  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
${extra}`;
const policy = (id = 'EniPolicy', actions = ENI, type = 'AWS::IAM::Policy', attach = 'Roles: [!Ref FnRole]') => `  ${id}:
    Type: ${type}
    Properties:
      ${attach}
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: ${actions}, Resource: '*' }
`;
const fn = (dependsOn = '', type = 'AWS::Lambda::Function') => `  Fn:
    Type: ${type}
${dependsOn}    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: [sg-1]
`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;

ruleTester(rule, {
  valid: [
    { name: 'DependsOn the policy', code: tpl(role(), policy(), fn('    DependsOn: EniPolicy\n')) },
    { name: 'DependsOn list with the policy', code: tpl(role(), policy(), fn('    DependsOn: [Other, EniPolicy]\n'), '  Other:\n    Type: AWS::SNS::Topic\n') },
    { name: 'DependsOn through another resource', code: tpl(role(), policy(), fn('    DependsOn: Waiter\n'), '  Waiter:\n    Type: AWS::CloudFormation::WaitConditionHandle\n    DependsOn: EniPolicy\n') },
    { name: 'the role has the managed policy itself', code: tpl(role('      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]\n'), policy(), fn()) },
    { name: 'a managed policy the role lists in ManagedPolicyArns is waited for', code: tpl(role('      ManagedPolicyArns: [!Ref EniPolicy]\n'), policy('EniPolicy', ENI, 'AWS::IAM::ManagedPolicy', 'Description: eni'), fn()) },
    { name: 'no permissions anywhere: eni-permissions-missing, not this rule', code: tpl(role(), policy('EniPolicy', '[s3:GetObject]'), fn()) },
    { name: 'a customer managed policy may grant them', code: tpl(role('      ManagedPolicyArns: [!Sub "arn:aws:iam::${AWS::AccountId}:policy/eni"]\n'), policy(), fn()) },
    { name: 'function outside a VPC', code: tpl(role(), policy(), '  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt FnRole.Arn\n') },
  ],
  invalid: [
    {
      name: 'AWS::IAM::Policy attached by Roles: adds DependsOn',
      code: tpl(role(), policy(), fn()),
      errors: [{ messageId: 'race', resource: 'Fn', path: ['Resources', 'Fn'], line: 15, severity: 'warning', message: "only from 'EniPolicy', attached to role 'FnRole'" }],
      output: tpl(role(), policy(), fn()) + '    DependsOn: EniPolicy\n',
      safety: 'safe',
    },
    {
      name: 'DependsOn with one other resource becomes a list',
      code: tpl(role(), policy(), fn('    DependsOn: Other\n'), '  Other:\n    Type: AWS::SNS::Topic\n'),
      errors: [{ messageId: 'race', resource: 'Fn', path: ['Resources', 'Fn', 'DependsOn'] }],
      output: tpl(role(), policy(), fn('    DependsOn: [Other, EniPolicy]\n'), '  Other:\n    Type: AWS::SNS::Topic\n'),
    },
    {
      name: 'block DependsOn list, two policies that each grant a part',
      code: tpl(role(), policy('CreatePolicy', '[ec2:CreateNetworkInterface]'), policy('ManagePolicy', '[ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface]'), fn('    DependsOn:\n      - Other\n'), '  Other:\n    Type: AWS::SNS::Topic\n'),
      errors: [{ messageId: 'race', resource: 'Fn', message: "'CreatePolicy', 'ManagePolicy'" }],
      output: tpl(role(), policy('CreatePolicy', '[ec2:CreateNetworkInterface]'), policy('ManagePolicy', '[ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface]'), fn('    DependsOn:\n      - Other\n      - CreatePolicy\n      - ManagePolicy\n'), '  Other:\n    Type: AWS::SNS::Topic\n'),
    },
    {
      name: 'AWS::IAM::ManagedPolicy attached by Roles',
      code: tpl(role(), policy('EniPolicy', "'ec2:*'", 'AWS::IAM::ManagedPolicy'), fn()),
      errors: [{ messageId: 'race', resource: 'Fn' }],
    },
    {
      name: 'AWS::IAM::RolePolicy',
      code: tpl(role(), policy('EniPolicy', "'ec2:*'", 'AWS::IAM::RolePolicy', 'RoleName: !Ref FnRole\n      PolicyName: eni'), fn()),
      errors: [{ messageId: 'race', resource: 'Fn' }],
    },
    {
      name: 'actions from a parameter default: lowered to info',
      code: `Parameters:\n  Actions:\n    Type: CommaDelimitedList\n    Default: ec2:*\n${tpl(role(), policy('EniPolicy', '!Ref Actions'), fn())}`,
      errors: [{ messageId: 'race', resource: 'Fn', severity: 'info' }],
    },
    {
      name: 'SAM function with its own role',
      code: `Transform: AWS::Serverless-2016-10-31\n${tpl(role(), policy(), fn('', 'AWS::Serverless::Function'))}`,
      errors: [{ messageId: 'race', resource: 'Fn' }],
      output: `Transform: AWS::Serverless-2016-10-31\n${tpl(role(), policy(), fn('', 'AWS::Serverless::Function'))}    DependsOn: EniPolicy\n`,
    },
    {
      name: 'serverless: reported, no fix (functions take no DependsOn)',
      code: `service: s
provider:
  name: aws
  iam:
    role: FnRole
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: [subnet-1]
      securityGroupIds: [sg-1]
resources:
  Resources:
    FnRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
    EniPolicy:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: eni
        Roles: [{ Ref: FnRole }]
        PolicyDocument: { Statement: [{ Effect: Allow, Action: 'ec2:*', Resource: '*' }] }
`,
      errors: [{ messageId: 'race', resource: 'api', path: ['functions', 'api'] }],
      output: null,
    },
  ],
});

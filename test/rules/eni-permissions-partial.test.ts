import rule from '../../server/src/core/rules/eni-permissions-partial';
import { ruleTester } from '../support/rule-tester';

const assume = `      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
`;
const role = (body = '') => `  FnRole:
    Type: AWS::IAM::Role
    Properties:
${assume}${body}`;
const inline = (actions: string) => `      Policies:
        - PolicyName: eni
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: ${actions}
                Resource: '*'
`;
const fn = (id = 'Fn', vpc = '      VpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n') => `  ${id}:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
${vpc}`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const arns = (...items: string[]) => `      ManagedPolicyArns:\n${items.map((i) => `        - ${i}\n`).join('')}`;
const THREE = '[ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface]';
const FIXED = "!Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'";

ruleTester(rule, {
  valid: [
    { name: 'VPC access managed policy', code: tpl(role(arns('arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole')), fn()) },
    { name: 'ENI management managed policy', code: tpl(role(arns('!Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess')), fn()) },
    { name: 'inline list of all five', code: tpl(role(inline(`${THREE.slice(0, -1)}, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses]`)), fn()) },
    { name: 'wildcard ec2:*NetworkInterface* plus ec2:*PrivateIpAddresses', code: tpl(role(inline('[ec2:*NetworkInterface*, ec2:*PrivateIpAddresses]')), fn()) },
    { name: 'nothing at all is the other rule', code: tpl(role(arns('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')), fn()) },
    { name: 'a customer managed policy may grant the rest', code: tpl(role(inline(THREE) + arns('!Sub arn:aws:iam::${AWS::AccountId}:policy/more')), fn()) },
    { name: 'function outside a VPC', code: tpl(role(inline(THREE)), fn('Fn', '      Handler: a.b\n')) },
    { name: 'SAM-generated role', code: `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds: [sg-1]\n` },
  ],
  invalid: [
    {
      name: 'inline create/describe/delete only: points at the statement, appends the managed policy',
      code: tpl(role(inline(THREE)), fn()),
      errors: [{ messageId: 'partial', resource: 'FnRole', path: ['Resources', 'FnRole', 'Properties', 'Policies', 0, 'PolicyDocument', 'Statement', 0], line: 12, severity: 'info', message: 'does not allow ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses' }],
      output: tpl(role(inline(THREE) + arns(FIXED)), fn()),
      safety: 'safe',
    },
    {
      name: 'AWSLambdaMSKExecutionRole has no Assign/Unassign',
      code: tpl(role(arns('arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole')), fn()),
      errors: [{ messageId: 'partial', resource: 'FnRole', path: ['Resources', 'FnRole', 'Properties', 'ManagedPolicyArns', 0] }],
      output: tpl(role(arns('arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole', FIXED)), fn()),
    },
    {
      name: 'from a separate AWS::IAM::Policy, shared by two functions',
      code: tpl(role(), fn('FnA'), fn('FnB'), `  EniPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: eni
      Roles: [!Ref FnRole]
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: ${THREE}, Resource: '*' }
`),
      errors: [{ messageId: 'partial', resource: 'FnRole', path: ['Resources', 'FnRole'], message: "functions 'FnA', 'FnB'" }],
    },
    {
      name: 'actions from a parameter default: stays info (lowering stops there) and names the default',
      code: `Parameters:\n  EniActions:\n    Type: CommaDelimitedList\n    Default: ec2:CreateNetworkInterface,ec2:DescribeNetworkInterfaces,ec2:DeleteNetworkInterface\n${tpl(role(inline('!Ref EniActions')), fn())}`,
      errors: [{ messageId: 'partial', resource: 'FnRole', severity: 'info', message: "assuming the default of parameter 'EniActions'" }],
    },
    {
      name: 'serverless: role named by the function',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    role: EniRole
    vpc:
      subnetIds: [subnet-1]
      securityGroupIds: [sg-1]
resources:
  Resources:
    EniRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole
`,
      errors: [{ messageId: 'partial', resource: 'EniRole', message: "function 'api'" }],
    },
  ],
});

import rule from '../../server/src/core/rules/endpoint-private-dns-disabled';
import { ruleTester } from '../support/rule-tester';

const fn = (actions = 'sqs:SendMessage') => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [sg-0123]
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: app
          PolicyDocument: { Statement: [{ Effect: Allow, Action: [${actions}], Resource: '*' }] }
`;

const network = (dns = ', EnableDnsSupport: true, EnableDnsHostnames: true') => `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16${dns} }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
`;

const endpoint = (dns: string, service = 'sqs', id = 'SqsEndpoint', extra = '') => `  ${id}:
    Type: AWS::EC2::VPCEndpoint${extra}
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.${service}'
      VpcEndpointType: Interface
      SubnetIds: [!Ref SubnetA]
${dns}`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;

ruleTester(rule, {
  valid: [
    { name: 'private DNS on', code: cfn(fn(), network(), endpoint('      PrivateDnsEnabled: true\n')) },
    { name: 'from a parameter without a default', code: `Parameters:\n  Dns: { Type: String, AllowedValues: ['true', 'false'] }\n${cfn(fn(), network(), endpoint('      PrivateDnsEnabled: !Ref Dns\n'))}` },
    { name: 'under a condition: not a known value', code: `Conditions:\n  Prod: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn(), network(), endpoint('      PrivateDnsEnabled: !If [Prod, true, false]\n'))}` },
    { name: 'no function needs the service', code: cfn(fn('sns:Publish'), network(), endpoint('')) },
    { name: 'another endpoint for the service has private DNS', code: cfn(fn(), network(), endpoint(''), endpoint('      PrivateDnsEnabled: true\n', 'sqs', 'SqsEndpoint2')) },
    { name: 'an S3 gateway endpoint carries S3 beside the interface one', code: cfn(fn('s3:GetObject'), network(), endpoint('', 's3', 'S3Interface'), `  S3Gateway:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3, RouteTableIds: [] }
`) },
  ],
  invalid: [
    {
      name: 'absent (CloudFormation default false): the fix also turns on the VPC DNS host names',
      code: cfn(fn(), network(''), endpoint('')),
      errors: [{ messageId: 'unset', resource: 'SqsEndpoint', path: ['Resources', 'SqsEndpoint', 'Properties', 'VpcEndpointType'], severity: 'warning', message: "Interface endpoint 'SqsEndpoint' (sqs) does not set PrivateDnsEnabled, and CloudFormation's default is false: function Fn still resolves the public sqs name" }],
      output: cfn(fn(), network(', EnableDnsHostnames: true'), endpoint('      PrivateDnsEnabled: true\n')),
      safety: 'unsafe',
    },
    {
      name: 'false, in a VPC whose DNS is on',
      code: cfn(fn(), network(), endpoint('      PrivateDnsEnabled: false\n')),
      errors: [{ messageId: 'disabled', resource: 'SqsEndpoint', path: ['Resources', 'SqsEndpoint', 'Properties', 'PrivateDnsEnabled'], line: 28 }],
      output: cfn(fn(), network(), endpoint('      PrivateDnsEnabled: true\n')),
    },
    {
      name: 'a parameter default of false: lowered to info',
      code: `Parameters:\n  Dns: { Type: String, Default: 'false' }\n${cfn(fn('ssm:GetParameter'), network(), endpoint('      PrivateDnsEnabled: !Ref Dns\n', 'ssm', 'SsmEndpoint'))}`,
      errors: [{ messageId: 'disabled', resource: 'SsmEndpoint', severity: 'info', message: "assuming the default of parameter 'Dns'" }],
    },
    {
      name: 'SAM: a shared endpoint is reported once, naming both functions',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Sender:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [SQSSendMessagePolicy: { QueueName: q }]
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
  Notifier:
    Type: AWS::Serverless::Function
    Properties:
      Environment: { Variables: { QUEUE: !Ref Queue } }
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
  Queue:
    Type: AWS::SQS::Queue
${network()}${endpoint('      PrivateDnsEnabled: false\n')}`,
      errors: [{ messageId: 'disabled', resource: 'SqsEndpoint', message: 'functions Sender, Notifier still resolve the public sqs name, so their calls' }],
    },
    {
      name: 'serverless: endpoint under resources.Resources',
      code: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [secretsmanager:GetSecretValue], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [sg-0123]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    SecretsEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: 'com.amazonaws.\${aws:region}.secretsmanager' }
`,
      errors: [{ messageId: 'unset', resource: 'SecretsEndpoint', message: 'function api still resolves the public secretsmanager name' }],
      output: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [secretsmanager:GetSecretValue], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [sg-0123]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    SecretsEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: 'com.amazonaws.\${aws:region}.secretsmanager', PrivateDnsEnabled: true }
`,
    },
    {
      name: 'an endpoint under a condition: the finding names it',
      code: `Conditions:\n  WithEndpoints: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn('kms:Decrypt'), network(), endpoint('', 'kms', 'KmsEndpoint', '\n    Condition: WithEndpoints'))}`,
      errors: [{ messageId: 'unset', resource: 'KmsEndpoint', severity: 'warning', message: "(when condition 'WithEndpoints' is true)" }],
    },
  ],
});

import rule from '../../server/src/core/rules/vpc-without-private-resources';
import { ruleTester } from '../support/rule-tester';

/** A function with an execution role in the template (`statement` is its one policy statement). */
const template = (opts: { env?: string; statement?: string; vpc?: string; role?: string; before?: string; after?: string } = {}) => `${opts.before ?? ''}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: ${opts.role ?? '!GetAtt FnRole.Arn'}
      Environment:
        Variables:
          ${opts.env ?? 'TABLE: !Ref Table'}
      VpcConfig:
${opts.vpc ?? '        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n'}  FnRole:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [${opts.statement ?? '{ Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn }'}]
  Table:
    Type: AWS::DynamoDB::Table
${opts.after ?? ''}`;

ruleTester(rule, {
  valid: [
    {
      name: 'the environment names a database',
      code: template({ env: 'DB_HOST: !GetAtt Db.Endpoint.Address', after: '  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: { Engine: postgres }\n' }),
    },
    { name: 'a private IP address', code: template({ env: 'BACKEND: http://10.0.12.7:8080/' }) },
    { name: 'an .internal host name', code: template({ env: 'BACKEND: https://orders.corp.internal/api' }) },
    { name: 'a role outside the template: its policies are unknown', code: template({ role: 'arn:aws:iam::123456789012:role/r' }) },
    { name: 'an imported environment value is unknown', code: template({ env: 'TARGET: !ImportValue SharedTarget' }) },
    { name: 'a policy that connects to RDS with IAM auth', code: template({ statement: '{ Effect: Allow, Action: rds-db:connect, Resource: "arn:aws:rds-db:us-east-1:123456789012:dbuser:db-ABC/app" }' }) },
    { name: 'a policy resource from a parameter without default is unknown', code: template({ statement: '{ Effect: Allow, Action: "*", Resource: !Ref TargetArn }', before: 'Parameters:\n  TargetArn: { Type: String }\n' }) },
    {
      name: 'another group admits the function group: it talks to something in the VPC',
      code: template({
        vpc: '        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [!Ref FnSg]\n',
        after: `  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: vpc-1 }
  BrokerSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: broker
      VpcId: vpc-1
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 9094, ToPort: 9094, SourceSecurityGroupId: !Ref FnSg }]
`,
      }),
    },
    { name: 'not attached to a VPC', code: template().replace(/      VpcConfig:\n.*\n.*\n/, '') },
    {
      name: 'Serverless: an SSM parameter is read at deploy time',
      code: `service: s
provider:
  name: aws
  vpc: { subnetIds: [subnet-1, subnet-2], securityGroupIds: [sg-1] }
functions:
  api:
    handler: h.main
    environment:
      TARGET: \${ssm:/app/target}
`,
    },
  ],
  invalid: [
    {
      name: 'DynamoDB only',
      code: template(),
      errors: [{ messageId: 'noPrivateResources', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig'], line: 10, severity: 'info' }],
      output: null,
    },
    {
      name: 'SAM: the VpcConfig comes from Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig: { SubnetIds: [subnet-1, subnet-2], SecurityGroupIds: [sg-1] }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Policies:
        - S3ReadPolicy: { BucketName: b }
`,
      errors: [{ messageId: 'noPrivateResources', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'an internet API with no NAT in the template',
      code: template({ env: 'API_URL: https://api.example.com/v1' }),
      errors: [{ messageId: 'noPrivateResources', resource: 'Fn' }],
    },
    {
      name: 'under Fn::If: on the branch that attaches the VPC',
      code: template({
        before: 'Conditions:\n  InVpc: !Equals [!Ref AWS::Region, eu-west-1]\n',
        vpc: '        !If [InVpc, { SubnetIds: [subnet-1, subnet-2], SecurityGroupIds: [sg-1] }, !Ref AWS::NoValue]\n',
      }),
      errors: [{ messageId: 'noPrivateResources', resource: 'Fn', message: "condition 'InVpc' is true" }],
    },
    {
      name: 'Serverless: provider.vpc and a DynamoDB statement',
      code: `service: s
provider:
  name: aws
  vpc: { subnetIds: [subnet-1, subnet-2], securityGroupIds: [sg-1] }
  iam:
    role:
      statements:
        - { Effect: Allow, Action: dynamodb:PutItem, Resource: "*" }
functions:
  api:
    handler: h.main
`,
      errors: [{ messageId: 'noPrivateResources', resource: 'api', path: ['functions', 'api'] }],
    },
  ],
});

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

/** A VPC with two subnets on route table Rt, another route table, and a DynamoDB gateway endpoint (`extra` ends its properties). */
const network = (extra: string) => `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
  SubB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1b }
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  OtherRt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubA, RouteTableId: !Ref Rt }
  AssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubB, RouteTableId: !Ref Rt }
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Gateway
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.dynamodb
${extra}`;

/** The same subnets routed to a NAT gateway with an Elastic IP in a public subnet. */
const natNetwork = network('      RouteTableIds: [!Ref OtherRt]\n').replace('.dynamodb', '.s3') + `  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  Pub:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a }
  PubRt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PubAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Pub, RouteTableId: !Ref PubRt }
  PubDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PubRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
  Eip:
    Type: AWS::EC2::EIP
    Properties: { Domain: vpc }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref Pub, AllocationId: !GetAtt Eip.AllocationId }
  NatDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
`;

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
    { name: 'a host name, whatever it is, may be private (a private hosted zone)', code: template({ env: 'DB_HOST: db.internal.example.com' }) },
    { name: 'a URL to a host outside AWS', code: template({ env: 'API_URL: https://api.example.com/v1' }) },
    { name: 'host:port', code: template({ env: 'CACHE: cache:6379' }) },
    { name: 'a postgres connection string', code: template({ env: 'DATABASE_URL: postgres://app:secret@db.example.com:5432/app' }) },
    { name: 'a Redis endpoint of ElastiCache (an AWS host inside a VPC)', code: template({ env: 'REDIS_URL: rediss://master.sessions.abc123.use1.cache.amazonaws.com:6379' }) },
    { name: 'a JDBC URL', code: template({ env: 'JDBC: "jdbc:mysql://orders:3306/app"' }) },
    { name: 'Kafka bootstrap brokers of MSK', code: template({ env: 'BROKERS: b-1.orders.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.orders.abc123.c2.kafka.us-east-1.amazonaws.com:9098' }) },
    { name: 'an OpenSearch domain inside a VPC', code: template({ env: 'SEARCH: https://vpc-logs-abc123.us-east-1.es.amazonaws.com' }) },
    {
      name: 'a VPC Lattice service',
      code: template({ env: 'URL: !GetAtt Svc.DnsEntry.DomainName', after: '  Svc:\n    Type: AWS::VpcLattice::Service\n    Properties: { Name: svc }\n' }),
    },
    { name: 'a policy that invokes VPC Lattice services', code: template({ statement: '{ Effect: Allow, Action: vpc-lattice-svcs:Invoke, Resource: "*" }' }) },
    {
      name: 'FileSystemConfigs (efs-requires-vpc wants the VPC)',
      code: template().replace('      VpcConfig:', '      FileSystemConfigs:\n        - { Arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0, LocalMountPath: /mnt/data }\n      VpcConfig:'),
    },
    {
      name: 'a gateway endpoint on its route tables serves its DynamoDB calls',
      code: template({ vpc: '        SubnetIds: [!Ref SubA, !Ref SubB]\n        SecurityGroupIds: [sg-1]\n', after: network('      RouteTableIds: [!Ref Rt]\n') }),
    },
    {
      name: 'an interface endpoint in its VPC serves one of its needs',
      code: template({
        vpc: '        SubnetIds: [!Ref SubA, !Ref SubB]\n        SecurityGroupIds: [sg-1]\n',
        statement: '{ Effect: Allow, Action: sqs:SendMessage, Resource: "*" }',
        after: network('      RouteTableIds: [!Ref OtherRt]\n').replace('.dynamodb', '.sqs').replace('VpcEndpointType: Gateway', 'VpcEndpointType: Interface'),
      }),
    },
    {
      name: 'the fixed-egress-IP pattern: inline code calls the internet through a NAT gateway with an Elastic IP',
      code: template({
        vpc: '        SubnetIds: [!Ref SubA, !Ref SubB]\n        SecurityGroupIds: [sg-1]\n',
        after: natNetwork,
      }).replace('      Environment:', '      Code: { ZipFile: "exports.handler = () => fetch(\'https://api.ipify.org\')" }\n      Environment:'),
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
      name: 'a public AWS service URL is no reason to stay',
      code: template({ env: 'QUEUE_URL: https://sqs.us-east-1.amazonaws.com/123456789012/jobs' }),
      errors: [{ messageId: 'noPrivateResources', resource: 'Fn' }],
    },
    {
      name: 'a file name, a handler and a Java class are not hosts',
      code: template({ env: 'CONFIG: config.json\n          NEXT: index.handler\n          CLASS: com.example.Handler\n          LEVEL: INFO' }),
      errors: [{ messageId: 'noPrivateResources', resource: 'Fn' }],
    },
    {
      name: 'a gateway endpoint in the VPC on another route table serves the function nothing',
      code: template({ vpc: '        SubnetIds: [!Ref SubA, !Ref SubB]\n        SecurityGroupIds: [sg-1]\n', after: network('      RouteTableIds: [!Ref OtherRt]\n') }),
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

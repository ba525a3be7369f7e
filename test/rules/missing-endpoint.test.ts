import rule from '../../server/src/core/rules/missing-endpoint';
import { managedPolicies } from '../support/managed-policies';
import { ruleTester } from '../support/rule-tester';

/** A function whose inline role policy allows the actions, in subnets A and B. */
const fn = (actions: string, subnets = '[!Ref SubnetA, !Ref SubnetB]') => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: app
          PolicyDocument: { Statement: [{ Effect: Allow, Action: [${actions}], Resource: '*' }] }
`;

/** The same function, its role given AWS managed policies. */
const managedFn = (...arns: string[]) => fn('logs:PutLogEvents').replace('      Policies:', `      ManagedPolicyArns: [${arns.join(', ')}]\n      Policies:`);

const vpc = (dns = ', EnableDnsSupport: true, EnableDnsHostnames: true') => `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16${dns} }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
`;

/** Subnets A and B in two AZs, each with its own route table and no default route. */
const subnets = `  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ''] }
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs ''] }
  TableA:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  TableB:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref TableA }
  AssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubnetB, RouteTableId: !Ref TableB }
`;

const route = (table: string, target: string, extra = '') => `  Route${table}:
    Type: AWS::EC2::Route${extra}
    Properties: { RouteTableId: !Ref ${table}, DestinationCidrBlock: 0.0.0.0/0, ${target} }
`;

const nat = `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0public, AllocationId: eipalloc-1 }
`;

const igw = `  Igw:
    Type: AWS::EC2::InternetGateway
`;

const endpoint = (service: string, extra = '') => `  Endpoint:
    Type: AWS::EC2::VPCEndpoint${extra}
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: ${service}
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;

const FN_PATH = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];

ruleTester(rule, {
  valid: [
    { name: 'the VPC has an interface endpoint for the service (!Sub with AWS::Region)', code: cfn(fn('sqs:SendMessage'), vpc(), subnets, endpoint('!Sub com.amazonaws.${AWS::Region}.sqs')) },
    { name: 'the endpoint name is an Fn::Join', code: cfn(fn('sqs:SendMessage'), vpc(), subnets, endpoint("!Join ['', [com.amazonaws., !Ref 'AWS::Region', .sqs]]")) },
    { name: 'the endpoint name has a region parameter without a default: the service still resolves', code: `Parameters:\n  Region: { Type: String }\n${cfn(fn('sqs:SendMessage'), vpc(), subnets, endpoint("!Sub 'com.amazonaws.${Region}.sqs'"))}` },
    { name: 'a URL naming a VPC endpoint\'s own host is reached inside the VPC', code: cfn(fn('logs:PutLogEvents').replace('      VpcConfig:', '      Environment: { Variables: { QUEUE_URL: https://vpce-0a1b2c-x1y2.sqs.us-east-1.vpce.amazonaws.com/123456789012/q } }\n      VpcConfig:'), vpc(), subnets) },
    { name: 'one SageMaker endpoint of several serves the sagemaker prefix', code: cfn(fn('sagemaker:InvokeEndpoint'), vpc(), subnets, endpoint('com.amazonaws.us-east-1.sagemaker.runtime')) },
    { name: 'every subnet routes through a NAT gateway', code: cfn(fn('sqs:SendMessage'), vpc(), subnets, nat, route('TableA', 'NatGatewayId: !Ref Nat'), route('TableB', 'NatGatewayId: !Ref Nat')) },
    { name: 'every subnet is public: public-subnet names the cause', code: cfn(fn('sqs:SendMessage'), vpc(), subnets, igw, route('TableA', 'GatewayId: !Ref Igw'), route('TableB', 'GatewayId: !Ref Igw')) },
    { name: 'an endpoint whose service name comes from another stack may be the one', code: cfn(fn('sqs:SendMessage'), vpc(), subnets, endpoint('!ImportValue QueueEndpointService')) },
    { name: 'an AWS managed policy granting every service makes no need', code: cfn(managedFn('arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'), vpc(), subnets), options: { managedPolicies } },
    { name: 'the companion permissions of an AWS managed policy are no needs', code: cfn(managedFn('arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'), vpc(), subnets, endpoint('com.amazonaws.us-east-1.dynamodb')), options: { managedPolicies } },
    { name: 'a service without an endpoint is no-egress-route\'s', code: cfn(fn('iam:GetRole, route53:ChangeResourceRecordSets'), vpc(), subnets) },
    { name: 'subnets from a parameter without a default are unknown', code: `Parameters:\n  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }\n${cfn(fn('sqs:SendMessage', '!Ref Subnets'), vpc(), subnets)}` },
    { name: 'a route table from another stack is unknown', code: cfn(fn('sqs:SendMessage', '[!Ref SubnetA]'), vpc(), `  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubnetA, RouteTableId: !ImportValue SharedPrivateTable }
`) },
    { name: 'a private NAT gateway is private-nat-no-internet\'s', code: cfn(fn('sqs:SendMessage'), vpc(), subnets, `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0private, ConnectivityType: private }
`, route('TableA', 'NatGatewayId: !Ref Nat'), route('TableB', 'NatGatewayId: !Ref Nat')) },
    { name: 'serverless: gateway endpoints named with ${aws:region} and ${self:provider.region}', code: `service: shop
provider:
  name: aws
  region: eu-west-1
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [s3:GetObject, dynamodb:GetItem], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [!GetAtt FnSg.GroupId]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
    S3Endpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties: { VpcId: !Ref Vpc, ServiceName: 'com.amazonaws.\${aws:region}.s3' }
    DynamoDbEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties: { VpcId: !Ref Vpc, ServiceName: 'com.amazonaws.\${self:provider.region}.dynamodb' }
` },
  ],
  invalid: [
    {
      name: 'the queue URL comes from a parameter default: an assumed need, lowered to warning',
      code: `Parameters:\n  QueueUrl:\n    Type: String\n    Default: https://sqs.us-east-1.amazonaws.com/123456789012/jobs\n${cfn(fn('logs:PutLogEvents').replace('      VpcConfig:', '      Environment:\n        Variables: { QUEUE: !Ref QueueUrl }\n      VpcConfig:'), vpc(), subnets)}`,
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'QueueUrl'" }],
    },
    {
      name: 'interface endpoint missing: adds the endpoint and its security group',
      code: cfn(fn('sqs:SendMessage'), vpc(), subnets),
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', path: FN_PATH, line: 7, severity: 'error', message: "calls sqs (the role allows sqs:SendMessage), but 2 of its 2 subnets have no way out (SubnetA, SubnetB) and VPC 'Vpc' has no sqs endpoint" }],
      output: cfn(fn('sqs:SendMessage'), vpc(), subnets) + `  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.sqs'
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds:
        - !Ref SubnetA
        - !Ref SubnetB
      SecurityGroupIds:
        - !GetAtt SqsEndpointSecurityGroup.GroupId
  SqsEndpointSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: HTTPS from Lambda to the sqs endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !GetAtt FnSg.GroupId
`,
      safety: 'unsafe',
    },
    {
      name: 'the VPC lacks DNS host names: the fix turns them on for private DNS',
      code: cfn(fn('kinesis:PutRecord', '[!Ref SubnetA]'), vpc(''), subnets),
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', message: 'Add an interface endpoint for com.amazonaws.<region>.kinesis-streams' }],
      output: cfn(fn('kinesis:PutRecord', '[!Ref SubnetA]'), vpc(', EnableDnsHostnames: true'), subnets) + `  KinesisStreamsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.kinesis-streams'
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds:
        - !Ref SubnetA
      SecurityGroupIds:
        - !GetAtt KinesisStreamsEndpointSecurityGroup.GroupId
  KinesisStreamsEndpointSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: HTTPS from Lambda to the kinesis-streams endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !GetAtt FnSg.GroupId
`,
    },
    {
      name: 'SAM: gateway endpoint for S3 on the subnets\' route tables',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - S3ReadPolicy: { BucketName: reports }
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
${vpc()}${subnets}`,
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', path: FN_PATH, message: 'Add a gateway endpoint for com.amazonaws.<region>.s3, or a NAT gateway' }],
      output: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - S3ReadPolicy: { BucketName: reports }
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
${vpc()}${subnets}  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3'
      VpcEndpointType: Gateway
      RouteTableIds:
        - !Ref TableA
        - !Ref TableB
`,
    },
    {
      name: 'a subnet on the main route table: no gateway fix (a template cannot name that table)',
      code: cfn(fn('dynamodb:PutItem', '[!Ref SubnetC]'), vpc(), `  SubnetC:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24 }
`),
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', path: [...FN_PATH, 0], message: 'calls dynamodb' }],
      output: null,
    },
    {
      name: 'one subnet isolated, the other behind a NAT: a share of invocations hangs',
      code: cfn(fn('secretsmanager:GetSecretValue'), vpc(), subnets, nat, route('TableA', 'NatGatewayId: !Ref Nat')),
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', path: [...FN_PATH, 1], message: '1 of its 2 subnets has no way out (SubnetB)' }],
    },
    {
      name: 'a virtual-hosted S3 URL in the environment is a need for s3, not for the bucket',
      code: cfn(fn('logs:PutLogEvents', '[!Ref SubnetA]').replace('      VpcConfig:', '      Environment: { Variables: { DATA: https://my-bucket.s3.eu-west-1.amazonaws.com/input.csv } }\n      VpcConfig:'), vpc(), subnets),
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', message: "calls s3 (environment variable DATA is an AWS service URL)" }],
    },
    {
      name: 'an AWS managed policy from the data set: the service it is named after',
      code: cfn(managedFn("!Sub 'arn:${AWS::Partition}:iam::aws:policy/AmazonSNSFullAccess'"), vpc(), subnets),
      options: { managedPolicies },
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', message: "calls sns (the role's managed policy AmazonSNSFullAccess allows sns:*)" }],
    },
    {
      name: 'one finding per missing service; the one with an endpoint is not reported',
      code: cfn(fn('sqs:SendMessage, sns:Publish, ssm:GetParameter'), vpc(), subnets, endpoint('com.amazonaws.us-east-1.ssm')),
      errors: [
        { messageId: 'noEndpoint', resource: 'Fn', message: 'calls sns' },
        { messageId: 'noEndpoint', resource: 'Fn', message: 'calls sqs' },
      ],
    },
    {
      name: 'the endpoint\'s region comes from a parameter default, and only that service is served',
      code: `Parameters:\n  Region: { Type: String, Default: eu-west-1 }\n${cfn(fn('sqs:SendMessage, kms:Decrypt', '[!Ref SubnetA]'), vpc(), subnets, endpoint("!Sub 'com.amazonaws.${Region}.kms'"))}`,
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', message: 'calls sqs', severity: 'error' }],
    },
    {
      name: 'the only default route rests on a parameter default: lowered to warning',
      code: `Parameters:\n  AnyCidr: { Type: String, Default: 0.0.0.0/0 }\n${cfn(fn('sqs:SendMessage', '[!Ref SubnetA]'), vpc(), subnets, `  RouteTableA:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref TableA, DestinationCidrBlock: !Ref AnyCidr, VpcPeeringConnectionId: pcx-0123 }
`)}`,
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'AnyCidr'" }],
    },
    {
      name: 'the NAT route exists only under a condition: reported for the other branch',
      code: `Conditions:\n  HasNat: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn('sqs:SendMessage', '[!Ref SubnetA]'), vpc(), subnets, nat, route('TableA', 'NatGatewayId: !Ref Nat', '\n    Condition: HasNat'))}`,
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', severity: 'error', message: "(when condition 'HasNat' is false)" }],
    },
    {
      name: 'the endpoint exists only under a condition: reported for the other branch, without a fix',
      code: `Conditions:\n  WithEndpoints: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn('sqs:SendMessage', '[!Ref SubnetA]'), vpc(), subnets, endpoint('!Sub com.amazonaws.${AWS::Region}.sqs', '\n    Condition: WithEndpoints'))}`,
      errors: [{ messageId: 'noEndpoint', resource: 'Fn', message: "(when condition 'WithEndpoints' is false)" }],
      output: null,
    },
    {
      name: 'serverless-iam-roles-per-function: the function\'s own statements, not the provider\'s',
      code: `service: shop
plugins: [serverless-iam-roles-per-function]
provider:
  name: aws
  iamRoleStatements:
    - { Effect: Allow, Action: [dynamodb:Query], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [!GetAtt FnSg.GroupId]
functions:
  api:
    handler: h.main
    iamRoleStatements:
      - { Effect: Allow, Action: [sqs:SendMessage], Resource: '*' }
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    TableA:
      Type: AWS::EC2::RouteTable
      Properties: { VpcId: !Ref Vpc }
    AssocA:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref TableA }
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
`,
      errors: [{ messageId: 'noEndpoint', resource: 'api', message: "Function 'api' calls sqs (the role allows sqs:SendMessage)" }],
    },
    {
      name: 'serverless: provider.vpc, a gateway endpoint added under resources.Resources',
      code: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [dynamodb:Query], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [!GetAtt FnSg.GroupId]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    TableA:
      Type: AWS::EC2::RouteTable
      Properties: { VpcId: !Ref Vpc }
    AssocA:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref TableA }
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
`,
      errors: [{ messageId: 'noEndpoint', resource: 'api', path: ['functions', 'api'], message: "Function 'api' calls dynamodb" }],
      output: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [dynamodb:Query], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [!GetAtt FnSg.GroupId]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    TableA:
      Type: AWS::EC2::RouteTable
      Properties: { VpcId: !Ref Vpc }
    AssocA:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref TableA }
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
    DynamodbEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.dynamodb'
        VpcEndpointType: Gateway
        RouteTableIds:
          - !Ref TableA
`,
    },
  ],
});

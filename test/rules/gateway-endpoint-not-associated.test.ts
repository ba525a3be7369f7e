import rule from '../../server/src/core/rules/gateway-endpoint-not-associated';
import { ruleTester } from '../support/rule-tester';

const fn = (id: string, actions: string, subnets: string) => `  ${id}:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt ${id}Role.Arn
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [sg-0123]
  ${id}Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: app
          PolicyDocument: { Statement: [{ Effect: Allow, Action: [${actions}], Resource: '*' }] }
`;

const network = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24 }
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

const s3 = (tables: string, extra = '') => `  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint${extra}
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3'
      RouteTableIds: ${tables}
`;

const route = (table: string, target: string, extra = '') => `  Route${table}:
    Type: AWS::EC2::Route${extra}
    Properties: { RouteTableId: !Ref ${table}, DestinationCidrBlock: 0.0.0.0/0, ${target} }
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const AB = '[!Ref SubnetA, !Ref SubnetB]';
const LIST = ['Resources', 'S3Endpoint', 'Properties', 'RouteTableIds'];

ruleTester(rule, {
  valid: [
    { name: 'both route tables are listed', code: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA, !Ref TableB]')) },
    { name: 'the unlisted subnet has a NAT: nat-for-gateway-service\'s', code: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA]'), `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0public, AllocationId: eipalloc-1 }
`, route('TableB', 'NatGatewayId: !Ref Nat')) },
    { name: 'an imported route table may be the missing one', code: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA, !ImportValue SharedTable]')) },
    { name: 'RouteTableIds from a parameter without a default', code: `Parameters:\n  Tables: { Type: CommaDelimitedList }\n${cfn(fn('Fn', 's3:GetObject', AB), network, s3('!Ref Tables'))}` },
    { name: 'the function does not call S3', code: cfn(fn('Fn', 'sqs:SendMessage', AB), network, s3('[!Ref TableA]')) },
    { name: 'an S3 interface endpoint is not a gateway endpoint', code: cfn(fn('Fn', 's3:GetObject', AB), network, `  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: com.amazonaws.us-east-1.s3
`) },
    { name: 'every subnet is public: public-subnet names the cause', code: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[]'), '  Igw:\n    Type: AWS::EC2::InternetGateway\n', route('TableA', 'GatewayId: !Ref Igw'), route('TableB', 'GatewayId: !Ref Igw')) },
    { name: 'the endpoint belongs to another VPC', code: cfn(fn('Fn', 's3:GetObject', AB), network, `  OtherVpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.1.0.0/16 }
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref OtherVpc, ServiceName: com.amazonaws.us-east-1.s3, RouteTableIds: [] }
`) },
  ],
  invalid: [
    {
      name: 'a route table the template does not define covers nothing',
      code: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA, !Ref TableGone]')),
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', path: LIST, message: 'route table TableB' }],
      output: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA, !Ref TableGone, !Ref TableB]')),
    },
    {
      name: 'a flow list misses one table: safe append',
      code: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA]')),
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', path: LIST, severity: 'error', message: "Gateway endpoint 'S3Endpoint' (s3) is not associated with route table TableB, used by subnet SubnetB of function Fn, which has no other way out" }],
      output: cfn(fn('Fn', 's3:GetObject', AB), network, s3('[!Ref TableA, !Ref TableB]')),
      safety: 'safe',
    },
    {
      name: 'a block list, written as a gateway endpoint without VpcEndpointType',
      code: cfn(fn('Fn', 's3:PutObject', AB), network, s3('\n        - !Ref TableB')),
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', path: LIST, message: 'route table TableA' }],
      output: cfn(fn('Fn', 's3:PutObject', AB), network, s3('\n        - !Ref TableB\n        - !Ref TableA')),
    },
    {
      name: 'no RouteTableIds at all: both tables are added',
      code: cfn(fn('Fn', 's3:GetObject', AB), network, `  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Gateway
      ServiceName: !Join ['', [com.amazonaws., !Ref 'AWS::Region', .s3]]
`),
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', path: ['Resources', 'S3Endpoint'], message: 'route tables TableA, TableB, used by subnets SubnetA, SubnetB of function Fn, which have no other way out' }],
      output: cfn(fn('Fn', 's3:GetObject', AB), network, `  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Gateway
      ServiceName: !Join ['', [com.amazonaws., !Ref 'AWS::Region', .s3]]
      RouteTableIds:
        - !Ref TableA
        - !Ref TableB
`),
    },
    {
      name: 'a subnet on the main route table: reported, no fix',
      code: cfn(fn('Fn', 's3:GetObject', '[!Ref SubnetA, !Ref SubnetC]'), network, s3('[!Ref TableA]'), `  SubnetC:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24 }
`),
      errors: [{ messageId: 'mainTable', resource: 'S3Endpoint', path: LIST, message: "cannot reach subnet SubnetC of function Fn: it uses the VPC's main route table and has no other way out" }],
      output: null,
    },
    {
      name: 'SAM: one finding for an endpoint two functions share, with both tables',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [DynamoDBReadPolicy: { TableName: orders }]
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [DynamoDBCrudPolicy: { TableName: orders }]
      VpcConfig: { SubnetIds: [!Ref SubnetB], SecurityGroupIds: [sg-0123] }
${network}  DynamoEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.dynamodb, RouteTableIds: [] }
`,
      errors: [{ messageId: 'notAssociated', resource: 'DynamoEndpoint', message: 'route tables TableA, TableB, used by subnets SubnetA, SubnetB of functions Reader, Writer' }],
      output: `Transform: AWS::Serverless-2016-10-31
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [DynamoDBReadPolicy: { TableName: orders }]
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [DynamoDBCrudPolicy: { TableName: orders }]
      VpcConfig: { SubnetIds: [!Ref SubnetB], SecurityGroupIds: [sg-0123] }
${network}  DynamoEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.dynamodb, RouteTableIds: [!Ref TableA, !Ref TableB] }
`,
    },
    {
      name: 'serverless: the function is reported through provider.vpc',
      code: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [s3:GetObject], Resource: '*' }
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
    S3Endpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: com.amazonaws.\${aws:region}.s3
        RouteTableIds: []
`,
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', path: ['resources', 'Resources', 'S3Endpoint', 'Properties', 'RouteTableIds'], message: 'of function api' }],
    },
    {
      name: 'the only default route rests on a parameter default: lowered to warning',
      code: `Parameters:\n  AnyCidr: { Type: String, Default: 0.0.0.0/0 }\n${cfn(fn('Fn', 's3:GetObject', '[!Ref SubnetB]'), network, s3('[!Ref TableA]'), `  PeerRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref TableB, DestinationCidrBlock: !Ref AnyCidr, VpcPeeringConnectionId: pcx-0123 }
`)}`,
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', severity: 'warning', message: "assuming the default of parameter 'AnyCidr'" }],
    },
    {
      name: 'the NAT route exists only under a condition, and so does the endpoint',
      code: `Conditions:\n  HasNat: !Equals [!Ref 'AWS::Region', us-east-1]\n  WithEndpoints: !Equals [!Ref 'AWS::Region', eu-west-1]\n${cfn(fn('Fn', 's3:GetObject', '[!Ref SubnetB]'), network, s3('[!Ref TableA]', '\n    Condition: WithEndpoints'), `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0public, AllocationId: eipalloc-1 }
`, route('TableB', 'NatGatewayId: !Ref Nat', '\n    Condition: HasNat'))}`,
      errors: [{ messageId: 'notAssociated', resource: 'S3Endpoint', severity: 'error', message: "(when condition 'HasNat' is false and condition 'WithEndpoints' is true)" }],
    },
  ],
});

import rule from '../../server/src/core/rules/nat-for-gateway-service';
import { ruleTester } from '../support/rule-tester';

const fn = (actions = 's3:GetObject', subnets = '[!Ref SubnetA, !Ref SubnetB]') => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [sg-0123]
  FnRole:
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
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0public, AllocationId: eipalloc-1 }
`;

const natRoute = (table: string, extra = '') => `  Route${table}:
    Type: AWS::EC2::Route${extra}
    Properties: { RouteTableId: !Ref ${table}, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
`;

const gateway = (tables: string, service = 's3') => `  GatewayEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.${service}'
      RouteTableIds: ${tables}
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const FN_PATH = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];
const bothNat = [natRoute('TableA'), natRoute('TableB')].join('');

ruleTester(rule, {
  valid: [
    { name: 'a gateway endpoint on both route tables', code: cfn(fn(), network, bothNat, gateway('[!Ref TableA, !Ref TableB]')) },
    { name: 'no way out and no endpoint: missing-endpoint\'s', code: cfn(fn(), network, natRoute('TableA')) },
    { name: 'an S3 interface endpoint with private DNS takes the traffic', code: cfn(fn(), network, bothNat, `  S3Interface:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, PrivateDnsEnabled: true, ServiceName: com.amazonaws.us-east-1.s3 }
`) },
    { name: 'the function calls no gateway service', code: cfn(fn('sqs:SendMessage'), network, bothNat) },
    { name: 'an imported route table in the endpoint may be the NAT subnet\'s', code: cfn(fn(), network, bothNat, gateway('[!Ref TableA, !ImportValue OtherTable]')) },
    { name: 'a NAT instance, not a NAT gateway', code: cfn(fn(), network, `  RouteTableA:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref TableA, DestinationCidrBlock: 0.0.0.0/0, InstanceId: i-0123 }
`, gateway('[!Ref TableB]')) },
    { name: 'an endpoint whose service does not resolve may be the gateway one', code: cfn(fn(), network, bothNat, `  Unknown:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, ServiceName: !ImportValue EndpointService, RouteTableIds: [!Ref TableA, !Ref TableB] }
`) },
  ],
  invalid: [
    {
      name: 'no gateway endpoint: the fix adds one on both route tables',
      code: cfn(fn(), network, bothNat),
      errors: [{ messageId: 'viaNat', resource: 'Fn', path: FN_PATH, severity: 'info', message: "Function 'Fn' reaches s3 only through NAT gateway Nat (from subnets SubnetA, SubnetB): a gateway endpoint for s3 on route tables TableA, TableB is free" }],
      output: cfn(fn(), network, bothNat) + `  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3'
      VpcEndpointType: Gateway
      RouteTableIds:
        - !Ref TableA
        - !Ref TableB
`,
      safety: 'unsafe',
    },
    {
      name: 'the VPC\'s gateway endpoint misses the NAT subnet\'s table: the fix appends it',
      code: cfn(fn('dynamodb:PutItem'), network, bothNat, gateway('[!Ref TableA]', 'dynamodb')),
      errors: [{ messageId: 'viaNat', resource: 'Fn', path: [...FN_PATH, 1], message: 'reaches dynamodb only through NAT gateway Nat (from subnet SubnetB)' }],
      output: cfn(fn('dynamodb:PutItem'), network, bothNat, gateway('[!Ref TableA, !Ref TableB]', 'dynamodb')),
    },
    {
      name: 'the endpoint covers the isolated subnet only; the NAT subnet still pays',
      code: cfn(fn(), network, natRoute('TableB'), gateway('[!Ref TableA]')),
      errors: [{ messageId: 'viaNat', resource: 'Fn', path: [...FN_PATH, 1], message: 'route table TableB' }],
    },
    {
      name: 'a route on a parameter default: info stays info, and says so',
      code: `Parameters:\n  AnyCidr: { Type: String, Default: 0.0.0.0/0 }\n${cfn(fn(undefined, '[!Ref SubnetA]'), network, `  RouteTableA:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref TableA, DestinationCidrBlock: !Ref AnyCidr, NatGatewayId: !Ref Nat }
`)}`,
      errors: [{ messageId: 'viaNat', resource: 'Fn', severity: 'info', message: "assuming the default of parameter 'AnyCidr'" }],
    },
    {
      name: 'the NAT route exists only under a condition: the finding names it',
      code: `Conditions:\n  HasNat: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn(undefined, '[!Ref SubnetA]'), network, natRoute('TableA', '\n    Condition: HasNat'))}`,
      errors: [{ messageId: 'viaNat', resource: 'Fn', message: "(when condition 'HasNat' is true)" }],
    },
    {
      name: 'SAM: a DynamoDB policy template',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [DynamoDBCrudPolicy: { TableName: orders }]
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
${network}${natRoute('TableA')}`,
      errors: [{ messageId: 'viaNat', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds', 0], message: 'reaches dynamodb' }],
    },
    {
      name: 'serverless: the endpoint is added under resources.Resources',
      code: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [s3:PutObject], Resource: '*' }
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
    Nat:
      Type: AWS::EC2::NatGateway
      Properties: { SubnetId: subnet-0public, AllocationId: eipalloc-1 }
    DefaultRoute:
      Type: AWS::EC2::Route
      Properties: { RouteTableId: !Ref TableA, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
`,
      errors: [{ messageId: 'viaNat', resource: 'api', path: ['functions', 'api'], message: "Function 'api' reaches s3" }],
      output: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [s3:PutObject], Resource: '*' }
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
    Nat:
      Type: AWS::EC2::NatGateway
      Properties: { SubnetId: subnet-0public, AllocationId: eipalloc-1 }
    DefaultRoute:
      Type: AWS::EC2::Route
      Properties: { RouteTableId: !Ref TableA, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
    S3Endpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3'
        VpcEndpointType: Gateway
        RouteTableIds:
          - !Ref TableA
`,
    },
  ],
});

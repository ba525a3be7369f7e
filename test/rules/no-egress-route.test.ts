import rule from '../../server/src/core/rules/no-egress-route';
import { ruleTester } from '../support/rule-tester';
import { fn, nat, natSubnet, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const subnetIds = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];
const publicA = publicSubnet('PublicA', '10.0.0.0/24', 'us-east-1a');
const natA = nat('NatA', 'PublicA');
const privateA = natSubnet('PrivateA', '10.0.1.0/24', 'us-east-1a', 'NatA');
const isolatedA = subnet('IsolatedA', '10.0.2.0/24', 'us-east-1a');
const isolatedB = subnet('IsolatedB', '10.0.3.0/24', 'us-east-1b');
const roleWith = (action: string) => `  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
      Policies:
        - PolicyName: app
          PolicyDocument: { Statement: [{ Effect: Allow, Action: ${action}, Resource: '*' }] }
`;
const withRole = (subnets: string) => fn(subnets, '').replace('arn:aws:iam::123456789012:role/r', '!GetAtt Role.Arn');
const serverless = (vpcBlock: string, resources: string) => `service: s
provider:
  name: aws
${vpcBlock}functions:
  api:
    handler: h.main
    environment:
      HOOK: https://hooks.example.com/x
resources:
  Resources:
${resources.replace(/^/gm, '  ').replace(/ +$/, '')}`;

/** A NAT instance in `subnetId` (`props` adds to its properties, `extra` adds resources), and a subnet routed to it. */
const natInstance = (subnetId: string, props = '', extra = '') => `  NatBox:
    Type: AWS::EC2::Instance
    Properties: { ImageId: ami-12345678, SubnetId: !Ref ${subnetId}, SourceDestCheck: false${props} }
${extra}${routeTable('BoxRt', 'InstanceId: !Ref NatBox')}${subnet('BehindBox', '10.0.8.0/24', 'us-east-1a', 'BoxRt')}`;
const boxEip = '  BoxEip:\n    Type: AWS::EC2::EIP\n    Properties: { Domain: vpc, InstanceId: !Ref NatBox }\n';

const cases = {
  oneIsolated: template(vpc, publicA, isolatedA, fn('!Ref IsolatedA')),
  oneOfTwo: template(vpc, publicA, natA, privateA, isolatedA, fn('!Ref PrivateA, !Ref IsolatedA')),
  serverlessIsolated: serverless(`  vpc:
    subnetIds: [!Ref IsolatedA]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
`, vpc + publicA + isolatedA),
  peered: template(vpc, publicA, routeTable('PeerRt', 'VpcPeeringConnectionId: pcx-0a1b2c3d4e5f60001'), subnet('Peered', '10.0.3.0/24', 'us-east-1a', 'PeerRt'), roleWith('iam:GetRole'), withRole('!Ref Peered')),
  twoZones: template(vpc, publicA, publicSubnet('PublicB', '10.0.4.0/24', 'us-east-1b'),
    routeTable('SharedRt'), subnet('PrivA', '10.0.5.0/24', 'us-east-1a', 'SharedRt'), subnet('DbA', '10.0.7.0/24', 'us-east-1a', 'SharedRt'),
    routeTable('EmptyB'), subnet('PrivB', '10.0.6.0/24', 'us-east-1b', 'EmptyB'), `  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      RouteTableIds:
        - !Ref SharedRt
`, fn('!Ref PrivA, !Ref PrivB')),
};

ruleTester(rule, {
  valid: [
    { name: 'NAT instance in a public subnet with an Elastic IP', code: template(vpc, publicA, natInstance('PublicA', '', boxEip), fn('!Ref BehindBox')) },
    { name: 'NAT instance with AssociatePublicIpAddress', code: template(vpc, publicA, natInstance('PublicA', ', NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, SubnetId: !Ref PublicA }]').replace('SubnetId: !Ref PublicA, SourceDestCheck', 'SourceDestCheck'), fn('!Ref BehindBox')) },
    { name: 'NAT instance in a subnet with MapPublicIpOnLaunch', code: template(vpc, publicA.replace('AvailabilityZone: us-east-1a }', 'AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true }'), natInstance('PublicA'), fn('!Ref BehindBox')) },
    { name: 'NAT instance with an EIP association on its interface', code: template(vpc, publicA, `  BoxEni:
    Type: AWS::EC2::NetworkInterface
    Properties: { SubnetId: !Ref PublicA }
  BoxAssoc:
    Type: AWS::EC2::EIPAssociation
    Properties: { AllocationId: eipalloc-0123456789abcdef0, NetworkInterfaceId: !Ref BoxEni }
`, routeTable('BoxRt', 'NetworkInterfaceId: !Ref BoxEni'), subnet('BehindBox', '10.0.8.0/24', 'us-east-1a', 'BoxRt'), fn('!Ref BehindBox')) },
    { name: 'NAT instance outside the template: assumed to reach the internet', code: template(vpc, routeTable('BoxRt', 'InstanceId: i-0123456789abcdef0'), subnet('BehindBox', '10.0.8.0/24', 'us-east-1a', 'BoxRt'), fn('!Ref BehindBox')) },
    { name: 'NAT instance in a subnet from a parameter: assumed to reach the internet', code: `Parameters:\n  BoxSubnet: { Type: 'AWS::EC2::Subnet::Id' }\n${template(vpc, natInstance('PublicA').replace('!Ref PublicA', '!Ref BoxSubnet'), fn('!Ref BehindBox'))}` },
    { name: 'private subnet behind a NAT gateway', code: template(vpc, publicA, natA, privateA, fn('!Ref PrivateA')) },
    { name: 'needs only a service with an endpoint: missing-endpoint says it', code: template(vpc, isolatedA, roleWith('sqs:SendMessage'), withRole('!Ref IsolatedA')) },
    { name: 'needs nothing outside the VPC', code: template(vpc, isolatedA, fn('!Ref IsolatedA', '')) },
    { name: 'all subnets public: public-subnet names the cause', code: template(vpc, publicA, fn('!Ref PublicA')) },
    { name: 'hard-coded subnet ids are unknown for routing', code: template(vpc, fn('subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002')) },
    { name: 'subnets from a parameter without default', code: `Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
${template(vpc)}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment:
        Variables: { API_URL: https://api.example.com/v1 }
      VpcConfig:
        SubnetIds: !Ref Subnets
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
` },
    { name: 'route table from another stack', code: template(vpc, `  Shared:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24 }
  SharedRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Shared, RouteTableId: !ImportValue network-PrivateRouteTable }
`, fn('!Ref Shared')) },
    { name: "subnet of another stack's VPC without association: that VPC's main table is unknown", code: template(`  Sub:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !ImportValue network-VpcId, CidrBlock: 10.0.3.0/24 }
`, fn('!Ref Sub')) },
    { name: 'transit gateway default route counts as egress', code: template(vpc, routeTable('Rt', 'TransitGatewayId: tgw-0a1b2c3d4e5f60001'), subnet('Sub', '10.0.3.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub')) },
    { name: 'serverless: ${ssm:} subnet ids are unknown', code: serverless(`  vpc:
    subnetIds: \${ssm:/network/private-subnets}
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
`, vpc + isolatedA) },
  ],
  invalid: [
    {
      name: 'NAT instance in a private subnet: no internet for it either',
      code: template(vpc, isolatedA, natInstance('IsolatedA', '', boxEip.replace('NatBox', 'NatBox')), fn('!Ref BehindBox')),
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', message: 'its subnet IsolatedA has no 0.0.0.0/0 route to an internet gateway' }],
    },
    {
      name: 'NAT instance in a public subnet without a public address',
      code: template(vpc, publicA, natInstance('PublicA'), fn('!Ref BehindBox')),
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', message: 'it has no public address' }],
    },
    {
      name: 'the URL comes from a parameter default: an assumed need, lowered to warning',
      code: `Parameters:\n  HookUrl:\n    Type: String\n    Default: https://hooks.example.com/x\n${template(vpc, publicA, isolatedA, fn('!Ref IsolatedA', '      Environment:\n        Variables: { HOOK: !Ref HookUrl }\n'))}`,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'HookUrl'" }],
    },
    {
      name: 'one need from a default, another known: not lowered',
      code: `Parameters:\n  HookUrl:\n    Type: String\n    Default: https://hooks.example.com/x\n${template(vpc, publicA, isolatedA, fn('!Ref IsolatedA', '      Environment:\n        Variables: { HOOK: !Ref HookUrl, API: https://api.example.com }\n'))}`,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', severity: 'error' }],
    },
    {
      name: 'one isolated subnet (main route table): fix adds a NAT gateway, a route table and the association',
      code: cases.oneIsolated,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', path: [...subnetIds, 0], severity: 'error', message: 'needs the internet, reachable only through a NAT gateway or another egress, but there is no way out from 1 of 1 subnets (IsolatedA: main route table, local route only)' }],
      output: `${cases.oneIsolated}  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
  NatGateway:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt NatEip.AllocationId
      SubnetId: !Ref PublicA
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatGateway
  IsolatedARouteTableAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref IsolatedA
      RouteTableId: !Ref PrivateRouteTable
`,
      safety: 'unsafe',
    },
    {
      name: '1 of 2: a share of invocations; the fix reuses the NAT gateway of that zone',
      code: cases.oneOfTwo,
      errors: [{ messageId: 'noEgressSome', resource: 'Fn', path: [...subnetIds, 1], message: '1 of 2 subnets (IsolatedA: main route table, local route only): a share of invocations will hang' }],
      output: `${cases.oneOfTwo}  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatA
  IsolatedARouteTableAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref IsolatedA
      RouteTableId: !Ref PrivateRouteTable
`,
    },
    {
      name: 'two zones: a NAT gateway per zone; the empty table of one zone takes the route, the shared one is replaced and its gateway endpoint follows',
      code: cases.twoZones,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', path: subnetIds, message: '2 of 2 subnets (PrivA: no default route; PrivB: no default route)' }],
      output: `${cases.twoZones
        .replace('{ SubnetId: !Ref PrivA, RouteTableId: !Ref SharedRt }', '{ SubnetId: !Ref PrivA, RouteTableId: !Ref PrivateRouteTable1 }')
        .replace('        - !Ref SharedRt\n', '        - !Ref SharedRt\n        - !Ref PrivateRouteTable1\n')}  NatEip1:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
  NatGateway1:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt NatEip1.AllocationId
      SubnetId: !Ref PublicA
  PrivateRouteTable1:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefaultRoute1:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRouteTable1
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatGateway1
  NatEip2:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
  NatGateway2:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt NatEip2.AllocationId
      SubnetId: !Ref PublicB
  PrivateDefaultRoute2:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EmptyB
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatGateway2
`,
    },
    {
      name: 'needs IAM (no VPC endpoint) from a peering-routed subnet: the fix moves it to a new route table',
      code: cases.peered,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', message: "Function 'Fn' needs iam, reachable only through a NAT gateway or another egress, but there is no way out from 1 of 1 subnets (Peered: default route to a peering connection, which carries no transit traffic)" }],
      output: `${cases.peered.replace('{ SubnetId: !Ref Peered, RouteTableId: !Ref PeerRt }', '{ SubnetId: !Ref Peered, RouteTableId: !Ref PrivateRouteTable }')}  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
  NatGateway:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt NatEip.AllocationId
      SubnetId: !Ref PublicA
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatGateway
`,
    },
    {
      name: 'three subnets, all isolated',
      code: template(vpc, isolatedA, isolatedB, subnet('IsolatedC', '10.0.4.0/24', 'us-east-1c'), fn('!Ref IsolatedA, !Ref IsolatedB, !Ref IsolatedC')),
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', path: subnetIds, message: 'no way out from 3 of 3 subnets' }],
      output: null,
    },
    {
      name: 'a public and an isolated subnet: both lack egress; no fix (moving a public subnet would cut what else lives there)',
      code: template(vpc, publicA, isolatedA, fn('!Ref PublicA, !Ref IsolatedA')),
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', path: subnetIds, message: 'PublicA: default route to an internet gateway, but Lambda gets no public IP' }],
      output: null,
    },
    {
      name: 'no fix when moving the subnet would lose the other routes of its shared table',
      code: template(vpc, publicA, routeTable('SharedRt', undefined), `  PeerRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref SharedRt, DestinationCidrBlock: 10.1.0.0/16, VpcPeeringConnectionId: pcx-0a1b2c3d4e5f60001 }
`, subnet('App', '10.0.5.0/24', 'us-east-1a', 'SharedRt'), subnet('Db', '10.0.6.0/24', 'us-east-1a', 'SharedRt'), fn('!Ref App')),
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', message: 'App: no default route' }],
      output: null,
    },
    {
      name: 'SAM: VpcConfig inherited from Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [!Ref IsolatedA]
      SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
${template(vpc, isolatedA)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      Environment:
        Variables: { WEBHOOK: 'https://hooks.slack.com/services/T000/B000/XXX' }
`,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless: the fix goes into resources.Resources',
      code: cases.serverlessIsolated,
      errors: [{ messageId: 'noEgressAll', resource: 'api', path: ['functions', 'api'] }],
      output: `${cases.serverlessIsolated}    NatEip:
      Type: AWS::EC2::EIP
      DependsOn: IgwAttachment
      Properties:
        Domain: vpc
    NatGateway:
      Type: AWS::EC2::NatGateway
      Properties:
        AllocationId: !GetAtt NatEip.AllocationId
        SubnetId: !Ref PublicA
    PrivateRouteTable:
      Type: AWS::EC2::RouteTable
      Properties:
        VpcId: !Ref Vpc
    PrivateDefaultRoute:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: !Ref PrivateRouteTable
        DestinationCidrBlock: 0.0.0.0/0
        NatGatewayId: !Ref NatGateway
    IsolatedARouteTableAssociation:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref IsolatedA
        RouteTableId: !Ref PrivateRouteTable
`,
    },
    {
      name: 'peering route whose destination is a parameter default: lowered to warning',
      code: `Parameters:
  AnyCidr:
    Type: String
    Default: 0.0.0.0/0
${template(vpc, routeTable('Rt'), `  RtDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: !Ref AnyCidr, VpcPeeringConnectionId: pcx-0a1b2c3d4e5f60001 }
`, subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub'))}`,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'AnyCidr'" }],
    },
    {
      name: 'a second subnet under Fn::If changes the share: one finding per branch',
      code: `Conditions:
  WithNat: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, publicA, natA, privateA, isolatedA, fn('!Ref IsolatedA, !If [WithNat, !Ref PrivateA, !Ref AWS::NoValue]'))}`,
      errors: [
        { messageId: 'noEgressAll', resource: 'Fn', path: [...subnetIds, 0], message: "1 of 1 subnets (IsolatedA: main route table, local route only): those calls time out. (when condition 'WithNat' is false)" },
        { messageId: 'noEgressSome', resource: 'Fn', path: [...subnetIds, 0], message: "1 of 2 subnets (IsolatedA: main route table, local route only): a share of invocations will hang. (when condition 'WithNat' is true)" },
      ],
    },
    {
      name: 'NAT route under a condition: isolated when it is false',
      code: `Conditions:
  HasNat: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, publicA, natA, routeTable('Rt', 'NatGatewayId: !Ref NatA', '\n    Condition: HasNat'), subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub'))}`,
      errors: [{ messageId: 'noEgressAll', resource: 'Fn', severity: 'error', message: "(when condition 'HasNat' is false)" }],
    },
  ],
});

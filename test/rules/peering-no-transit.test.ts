import rule from '../../server/src/core/rules/peering-no-transit';
import { ruleTester } from '../support/rule-tester';
import { fn, nat, natSubnet, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const subnetIds = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];
const peering = `  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Properties: { VpcId: !Ref Vpc, PeerVpcId: vpc-0a1b2c3d4e5f60001 }
`;
const peered = routeTable('PeerRt', 'VpcPeeringConnectionId: !Ref Peering') + subnet('Peered', '10.0.3.0/24', 'us-east-1a', 'PeerRt');
const publicA = publicSubnet('PublicA', '10.0.0.0/24', 'us-east-1a');
const privateA = natSubnet('PrivateA', '10.0.1.0/24', 'us-east-1a', 'NatA');

ruleTester(rule, {
  valid: [
    { name: 'peering only for the peer CIDR, default route to a NAT gateway', code: template(vpc, peering, publicA, nat('NatA', 'PublicA'), privateA, `  PeerRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PrivateARt, DestinationCidrBlock: 10.1.0.0/16, VpcPeeringConnectionId: !Ref Peering }
`, fn('!Ref PrivateA')) },
    { name: 'default route to a transit gateway', code: template(vpc, routeTable('Rt', 'TransitGatewayId: tgw-0a1b2c3d4e5f60001'), subnet('Sub', '10.0.3.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub')) },
    { name: 'a peering default route on a subnet the function does not use', code: template(vpc, peering, peered, publicA, nat('NatA', 'PublicA'), privateA, fn('!Ref PrivateA')) },
    { name: 'route table from another stack', code: template(vpc, `  Shared:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24 }
  SharedRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Shared, RouteTableId: !ImportValue network-PeeredRouteTable }
`, fn('!Ref Shared')) },
    { name: 'destination from a parameter without default', code: `Parameters:
  Destination:
    Type: String
${template(vpc, routeTable('Rt'), `  RtDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: !Ref Destination, VpcPeeringConnectionId: pcx-0a1b2c3d4e5f60001 }
`, subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub'))}` },
    { name: 'serverless: hard-coded subnet ids', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-0a1b2c3d4e5f60001]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
` },
  ],
  invalid: [
    {
      name: 'default route to a peering connection in the template',
      code: template(vpc, peering, peered, fn('!Ref Peered')),
      errors: [{ messageId: 'peeringDefault', resource: 'Fn', path: [...subnetIds, 0], severity: 'warning', message: "Function 'Fn' has subnet Peered whose 0.0.0.0/0 route goes to VPC peering connection Peering" }],
      output: null,
    },
    {
      name: 'one of two subnets, hard-coded peering id',
      code: template(vpc, publicA, nat('NatA', 'PublicA'), privateA, routeTable('PeerRt', 'VpcPeeringConnectionId: pcx-0a1b2c3d4e5f60001'), subnet('Peered', '10.0.3.0/24', 'us-east-1b', 'PeerRt'), fn('!Ref PrivateA, !Ref Peered')),
      errors: [{ messageId: 'peeringDefault', resource: 'Fn', path: [...subnetIds, 1], message: 'pcx-0a1b2c3d4e5f60001' }],
    },
    {
      name: 'SAM: subnets from Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [!Ref Peered]
      SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
${template(vpc, peering, peered)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
`,
      errors: [{ messageId: 'peeringDefault', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless: provider.vpc',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref Peered]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
resources:
  Resources:
${(vpc + peering + peered).replace(/^/gm, '  ').replace(/ +$/, '')}`,
      errors: [{ messageId: 'peeringDefault', resource: 'api', path: ['functions', 'api'] }],
    },
    {
      name: 'destination from a parameter default: lowered to info',
      code: `Parameters:
  Destination:
    Type: String
    Default: 0.0.0.0/0
${template(vpc, peering, routeTable('Rt'), `  RtDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: !Ref Destination, VpcPeeringConnectionId: !Ref Peering }
`, subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub'))}`,
      errors: [{ messageId: 'peeringDefault', resource: 'Fn', severity: 'info', message: "assuming the default of parameter 'Destination'" }],
    },
    {
      name: 'Fn::If between a NAT subnet and a peered one',
      code: `Conditions:
  Shared: !Equals [!Ref AWS::Region, eu-west-1]
${template(vpc, peering, peered, publicA, nat('NatA', 'PublicA'), privateA, fn('!If [Shared, !Ref Peered, !Ref PrivateA]'))}`,
      errors: [{ messageId: 'peeringDefault', resource: 'Fn', severity: 'warning', message: "(when condition 'Shared' is true)" }],
    },
  ],
});

import rule from '../../server/src/core/rules/nat-in-private-subnet';
import { ruleTester } from '../support/rule-tester';
import { fn, nat, natSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const natSubnetId = ['Resources', 'Nat', 'Properties', 'SubnetId'];
const routed = natSubnet('Private', '10.0.1.0/24', 'us-east-1a', 'Nat');
/** The NAT gateway `Nat` in `NatHome`, whose route table gets the given default route target. */
const natHome = (target?: string, extra = '') => routeTable('NatHomeRt', target, extra) + subnet('NatHome', '10.0.0.0/24', 'us-east-1a', 'NatHomeRt') + nat('Nat', 'NatHome');
const detachedVpc = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
`;

ruleTester(rule, {
  valid: [
    { name: 'NAT gateway in a public subnet (the normal pattern)', code: template(vpc, natHome('GatewayId: !Ref Igw'), routed, fn('!Ref Private')) },
    { name: "the NAT subnet's route table comes from another stack", code: template(vpc, subnet('NatHome', '10.0.0.0/24', 'us-east-1a'), `  NatHomeRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref NatHome, RouteTableId: !ImportValue network-PublicRouteTable }
`, nat('Nat', 'NatHome'), routed, fn('!Ref Private')) },
    { name: 'default route to a firewall endpoint in front of the internet gateway', code: template(vpc, natHome('VpcEndpointId: vpce-0a1b2c3d4e5f60001'), routed, fn('!Ref Private')) },
    { name: 'a private NAT gateway belongs in a private subnet', code: template(vpc, routeTable('NatHomeRt'), subnet('NatHome', '10.0.0.0/24', 'us-east-1a', 'NatHomeRt'), `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref NatHome, ConnectivityType: private }
`, routed, fn('!Ref Private')) },
    { name: 'no VPC-attached function in the template', code: template(vpc, natHome(), routed) },
    { name: 'hard-coded NAT subnet id', code: template(vpc, `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0a1b2c3d4e5f60001, AllocationId: eipalloc-0a1b2c3d4e5f60001 }
`, routed, fn('!Ref Private')) },
    { name: 'an attachment whose VPC cannot be resolved may attach the gateway', code: template(detachedVpc, `  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !ImportValue network-VpcId, InternetGatewayId: !Ref Igw }
`, natHome('GatewayId: !Ref Igw'), routed, fn('!Ref Private')) },
  ],
  invalid: [
    {
      name: 'route table without a default route',
      code: template(vpc, natHome(), routed, fn('!Ref Private')),
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', path: natSubnetId, severity: 'error', message: "NAT gateway 'Nat' is in subnet NatHome, which has no default route to an internet gateway (route table 'NatHomeRt' has no 0.0.0.0/0 route): the NAT gateway cannot reach the internet, so the functions routed through it (Fn) get no egress through it." }],
      output: null,
    },
    {
      name: 'no route table association: the main route table',
      code: template(vpc, subnet('NatHome', '10.0.0.0/24', 'us-east-1a'), nat('Nat', 'NatHome'), routed, fn('!Ref Private')),
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', path: natSubnetId, message: 'uses the main route table' }],
    },
    {
      name: "the NAT subnet routes to another NAT gateway; reported even when no function routes through it",
      code: template(vpc, natHome('NatGatewayId: nat-0a1b2c3d4e5f60001'), subnet('Isolated', '10.0.2.0/24', 'us-east-1a'), fn('!Ref Isolated')),
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', message: "its 0.0.0.0/0 route goes to NAT gateway 'nat-0a1b2c3d4e5f60001'" }],
    },
    {
      name: 'internet gateway not attached to the VPC',
      code: template(detachedVpc, natHome('GatewayId: !Ref Igw'), routed, fn('!Ref Private')),
      errors: [{ messageId: 'detachedGateway', resource: 'Nat', path: natSubnetId, message: "no AWS::EC2::VPCGatewayAttachment attaches that gateway to VPC 'Vpc'" }],
    },
    {
      name: 'internet gateway route under a condition',
      code: `Conditions:
  Online: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, natHome('GatewayId: !Ref Igw', '\n    Condition: Online'), routed, fn('!Ref Private'))}`,
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', severity: 'error', message: "(when condition 'Online' is false)" }],
    },
    {
      name: 'connectivity type from a parameter default: lowered to warning',
      code: `Parameters:
  Connectivity:
    Type: String
    Default: public
${template(vpc, routeTable('NatHomeRt'), subnet('NatHome', '10.0.0.0/24', 'us-east-1a', 'NatHomeRt'), `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref NatHome, ConnectivityType: !Ref Connectivity, AllocationId: eipalloc-0a1b2c3d4e5f60001 }
`, routed, fn('!Ref Private'))}`,
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', severity: 'warning', message: "assuming the default of parameter 'Connectivity'" }],
    },
    {
      name: 'SAM template',
      code: `Transform: AWS::Serverless-2016-10-31
${template(vpc, natHome(), routed)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      VpcConfig:
        SubnetIds: [!Ref Private]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', path: natSubnetId }],
    },
    {
      name: 'serverless: NAT gateway in resources.Resources',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref Private]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
resources:
  Resources:
${(vpc + natHome() + routed).replace(/^/gm, '  ').replace(/ +$/, '')}`,
      errors: [{ messageId: 'privateSubnet', resource: 'Nat', path: ['resources', 'Resources', 'Nat', 'Properties', 'SubnetId'], message: '(api)' }],
    },
  ],
});

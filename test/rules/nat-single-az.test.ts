import rule from '../../server/src/core/rules/nat-single-az';
import { ruleTester } from '../support/rule-tester';
import { fn, nat, natSubnet, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const subnetIds = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];
const publicA = publicSubnet('PublicA', '10.0.0.0/24', 'us-east-1a');
const publicB = publicSubnet('PublicB', '10.0.10.0/24', 'us-east-1b');
const natA = nat('NatA', 'PublicA');
const natB = nat('NatB', 'PublicB');
const privA = natSubnet('PrivA', '10.0.1.0/24', 'us-east-1a', 'NatA');
const privBviaA = natSubnet('PrivB', '10.0.11.0/24', 'us-east-1b', 'NatA');
const withAz = (text: string, from: string, to: string) => text.split(`AvailabilityZone: ${from}`).join(to);

ruleTester(rule, {
  valid: [
    { name: 'a NAT gateway per zone', code: template(vpc, publicA, publicB, natA, natB, privA, natSubnet('PrivB', '10.0.11.0/24', 'us-east-1b', 'NatB'), fn('!Ref PrivA, !Ref PrivB')) },
    { name: 'all subnets in one zone (single-az says so)', code: template(vpc, publicA, natA, privA, natSubnet('PrivA2', '10.0.2.0/24', 'us-east-1a', 'NatA'), fn('!Ref PrivA, !Ref PrivA2')) },
    { name: 'zones not given: AWS picks them, unknown', code: template(vpc, withAz(publicA + natA + privA + privBviaA, 'us-east-1a', 'AvailabilityZone: !Ref AWS::NoValue').split(', AvailabilityZone: us-east-1b').join(''), fn('!Ref PrivA, !Ref PrivB')) },
    { name: 'zones named by name and by id cannot be compared', code: template(vpc, publicA, natA, privA, withAz(privBviaA, 'us-east-1b', 'AvailabilityZoneId: use1-az2'), fn('!Ref PrivA, !Ref PrivB')) },
    { name: "the other zone's subnet does not use the NAT gateway", code: template(vpc, publicA, natA, privA, natSubnet('PrivA2', '10.0.2.0/24', 'us-east-1a', 'NatA'), subnet('IsolatedB', '10.0.12.0/24', 'us-east-1b'), fn('!Ref PrivA, !Ref PrivA2, !Ref IsolatedB')) },
    { name: 'regional NAT gateway spans zones', code: template(vpc, `  NatA:
    Type: AWS::EC2::NatGateway
    Properties: { AvailabilityMode: regional, VpcId: !Ref Vpc }
`, privA, privBviaA, fn('!Ref PrivA, !Ref PrivB')) },
    { name: 'NAT gateway of another stack', code: template(vpc, natSubnet('PrivA', '10.0.1.0/24', 'us-east-1a', 'NatX').replace('!Ref NatX', 'nat-0a1b2c3d4e5f60001'), natSubnet('PrivB', '10.0.11.0/24', 'us-east-1b', 'NatX').replace('!Ref NatX', 'nat-0a1b2c3d4e5f60001'), fn('!Ref PrivA, !Ref PrivB')) },
    { name: 'only one subnet routes through a NAT gateway', code: template(vpc, publicA, natA, privA, routeTable('TgwRt', 'TransitGatewayId: tgw-0a1b2c3d4e5f60001'), subnet('TgwB', '10.0.12.0/24', 'us-east-1b', 'TgwRt'), fn('!Ref PrivA, !Ref TgwB')) },
  ],
  invalid: [
    {
      name: 'two zones, one NAT gateway',
      code: template(vpc, publicA, natA, privA, privBviaA, fn('!Ref PrivA, !Ref PrivB')),
      errors: [{ messageId: 'singleAz', resource: 'Fn', path: [...subnetIds, 1], severity: 'warning', message: "Function 'Fn' spans 2 Availability Zones, but every NAT gateway its subnets route through (NatA) is in us-east-1a: an outage of us-east-1a also cuts the egress of subnet PrivB in the other zones." }],
      output: null,
    },
    {
      name: 'three zones, two NAT gateways in the same zone',
      code: template(vpc, publicA, natA, nat('NatA2', 'PublicA'), privA, privBviaA, natSubnet('PrivC', '10.0.21.0/24', 'us-east-1c', 'NatA2'), fn('!Ref PrivA, !Ref PrivB, !Ref PrivC')),
      errors: [{ messageId: 'singleAz', resource: 'Fn', path: subnetIds, message: 'spans 3 Availability Zones, but every NAT gateway its subnets route through (NatA and NatA2) is in us-east-1a: an outage of us-east-1a also cuts the egress of subnets PrivB and PrivC' }],
    },
    {
      name: 'zones by index of Fn::GetAZs',
      code: template(vpc, withAz(withAz(publicA + natA + privA + privBviaA, 'us-east-1a', "AvailabilityZone: !Select [0, !GetAZs '']"), 'us-east-1b', "AvailabilityZone: !Select [1, !GetAZs '']"), fn('!Ref PrivA, !Ref PrivB')),
      errors: [{ messageId: 'singleAz', resource: 'Fn', message: 'is in AZ #0 of the region' }],
    },
    {
      name: 'zone from a parameter default: lowered to info',
      code: `Parameters:
  ZoneB:
    Type: AWS::EC2::AvailabilityZone::Name
    Default: us-east-1b
${template(vpc, publicA, natA, privA, withAz(privBviaA, 'us-east-1b', 'AvailabilityZone: !Ref ZoneB'), fn('!Ref PrivA, !Ref PrivB'))}`,
      errors: [{ messageId: 'singleAz', resource: 'Fn', severity: 'info', message: "assuming the default of parameter 'ZoneB'" }],
    },
    {
      name: 'second zone only under a condition',
      code: `Conditions:
  TwoZones: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, publicA, natA, privA, privBviaA, fn('!Ref PrivA, !If [TwoZones, !Ref PrivB, !Ref AWS::NoValue]'))}`,
      errors: [{ messageId: 'singleAz', resource: 'Fn', severity: 'warning', message: "(when condition 'TwoZones' is true)" }],
    },
    {
      name: 'SAM: subnets from Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [!Ref PrivA, !Ref PrivB]
      SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
${template(vpc, publicA, natA, privA, privBviaA)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
`,
      errors: [{ messageId: 'singleAz', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless: provider.vpc',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref PrivA, !Ref PrivB]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
resources:
  Resources:
${(vpc + publicA + natA + privA + privBviaA).replace(/^/gm, '  ').replace(/ +$/, '')}`,
      errors: [{ messageId: 'singleAz', resource: 'api', path: ['functions', 'api'] }],
    },
  ],
});

import type { SubnetEgress } from './helpers';
import { eachEgressResult, inheritedRelated, listLabel, namedList, refName, subnetsSpan } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (target: string) => `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  DefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, ${target} }
  PrivateSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref PrivateSubnet, RouteTableId: !Ref PrivateRouteTable }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnet]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

export default defineRule({
  id: 'peering-no-transit',
  severity: 'warning',
  category: 'egress',
  fixSafety: 'none',
  docs: {
    summary: "A function subnet's default route (0.0.0.0/0) points at a VPC peering connection.",
    rationale:
      'VPC peering does not carry transit traffic: the peer VPC accepts only packets addressed to its own CIDR, and never forwards them on through its NAT gateway, internet gateway, VPN or Direct Connect. ' +
      'A default route to a peering connection therefore leads nowhere for anything outside the peer VPC: calls to the internet and to AWS services without a VPC endpoint hang until the function times out. ' +
      'For central egress, route 0.0.0.0/0 to a transit gateway (or a NAT gateway in the same VPC), and keep peering routes for the peer\'s own CIDR.',
    invalid: TEMPLATE('VpcPeeringConnectionId: pcx-0a1b2c3d4e5f60001'),
    valid: TEMPLATE('TransitGatewayId: tgw-0a1b2c3d4e5f60001'),
  },
  messages: {
    peeringDefault:
      "Function '{fn}' has {subnets} whose 0.0.0.0/0 route goes to VPC peering connection {peering}: peering carries no transit traffic, so nothing beyond the peer VPC (internet, NAT gateway, on-premises) is reachable that way.",
  },
  check({ model, report }) {
    eachEgressResult<SubnetEgress[]>(
      model,
      (_attached, branch) => {
        const peered = branch.subnets.filter((s) => s.egress.kind === 'peering');
        return peered.length ? { key: peered.map((s) => s.subnet!.id).join(','), value: peered } : undefined;
      },
      ({ fn, vpc }, peered, conditions) => {
        const names = peered.map((s) => s.subnet!.id);
        const connections = [...new Set(peered.map((s) => (s.egress.route ? refName(s.egress.route.targetRef) : 'a peering connection')))];
        report({
          messageId: 'peeringDefault',
          data: { fn: fn.id, subnets: namedList('subnet', names, listLabel), peering: listLabel(connections) },
          resource: fn.id,
          span: subnetsSpan(fn, vpc, peered),
          related: [
            ...peered.flatMap((s) => (s.egress.route ? [{ message: `Route table '${s.egress.routeTable}' of subnet '${s.subnet!.id}' sends 0.0.0.0/0 to a peering connection`, span: s.egress.route.span }] : [])),
            ...inheritedRelated(vpc),
          ],
          assumed: [vpc.subnetIds.param, ...peered.map((s) => s.egress.param)],
          conditions: [...conditions, ...peered.flatMap((s) => s.egress.conditions ?? [])],
        });
      },
    );
  },
});

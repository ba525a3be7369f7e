import { azKey, azLabel } from '../model/queries';
import type { Model, NatGateway, Subnet } from '../model/types';
import type { SubnetEgress } from './helpers';
import { eachEgressResult, inheritedRelated, listLabel, namedList, subnetsSpan } from './helpers';
import { defineRule } from '../engine/rule';

const PUBLIC = (zone: string) => `  Public${zone.toUpperCase()}:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.${zone === 'a' ? 0 : 10}.0/24, AvailabilityZone: us-east-1${zone} }
  Public${zone.toUpperCase()}Routes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Public${zone.toUpperCase()}, RouteTableId: !Ref PublicRouteTable }
  Nat${zone.toUpperCase()}Eip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties: { Domain: vpc }
  Nat${zone.toUpperCase()}:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref Public${zone.toUpperCase()}, AllocationId: !GetAtt Nat${zone.toUpperCase()}Eip.AllocationId }
`;

const PRIVATE = (zone: string, nat: string) => `  Private${zone.toUpperCase()}:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.${zone === 'a' ? 1 : 11}.0/24, AvailabilityZone: us-east-1${zone} }
  Private${zone.toUpperCase()}RouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  Private${zone.toUpperCase()}DefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Private${zone.toUpperCase()}RouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref ${nat} }
  Private${zone.toUpperCase()}Routes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Private${zone.toUpperCase()}, RouteTableId: !Ref Private${zone.toUpperCase()}RouteTable }
`;

const TEMPLATE = (body: string) => `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PublicDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PublicRouteTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
${body}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref PrivateA, !Ref PrivateB]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

interface SingleAz {
  az: string;
  zones: number;
  nats: NatGateway[];
  /** The NAT-routed subnets outside the NAT gateways' zone. */
  across: SubnetEgress[];
  natSubnet: Subnet;
}

function zoneKind(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

function singleAzOf(model: Model, subnets: SubnetEgress[]): SingleAz | undefined {
  const zones = new Set(subnets.flatMap((s) => (s.subnet && azKey(s.subnet) ? [azKey(s.subnet)!] : [])));
  if (zones.size < 2) return undefined;
  const routed = subnets.filter((s) => s.egress.kind === 'nat' || s.egress.kind === 'private-nat');
  const nats: NatGateway[] = [];
  for (const s of routed) {
    const nat = s.egress.nat ? model.natGateways.get(s.egress.nat) : undefined;
    if (!nat) return undefined;
    if (!nats.includes(nat)) nats.push(nat);
  }
  const zonal = nats.filter((n) => !n.regional);
  const viaZonal = routed.filter((s) => zonal.some((n) => n.id === s.egress.nat));
  if (viaZonal.length < 2) return undefined;
  const natSubnets = zonal.map((n) => (n.subnet.id ? model.subnets.get(n.subnet.id) : undefined));
  if (natSubnets.some((s) => !s || !azKey(s))) return undefined;
  const natZones = new Set(natSubnets.map((s) => azKey(s!)!));
  // Zones named in different ways (name, id, index of Fn::GetAZs) cannot be compared.
  if (new Set([...zones, ...natZones].map(zoneKind)).size > 1 || natZones.size !== 1) return undefined;
  const az = [...natZones][0]!;
  const across = viaZonal.filter((s) => azKey(s.subnet!) !== undefined && azKey(s.subnet!) !== az);
  if (across.length === 0) return undefined;
  return { az, zones: zones.size, nats: zonal, across, natSubnet: natSubnets[0]! };
}

export default defineRule({
  id: 'nat-single-az',
  severity: 'warning',
  category: 'egress',
  fixSafety: 'none',
  docs: {
    summary: 'A function spread over several Availability Zones whose subnets all route through NAT gateways in one zone.',
    rationale:
      'A NAT gateway lives in one Availability Zone. When the subnets of several zones all send 0.0.0.0/0 to NAT gateways of one zone, an outage of that zone also cuts the egress of the function in the zones that are still up, which defeats the point of spreading it. ' +
      'The traffic also crosses zones, which AWS bills per GB. Give each zone its own NAT gateway and a route table per zone, or use a regional NAT gateway. ' +
      'The rule needs the zones of the subnets and of the NAT gateways to be known and named the same way (all `AvailabilityZone`, all `AvailabilityZoneId`, or all `!Select` of `!GetAZs`).',
    invalid: TEMPLATE(PUBLIC('a') + PRIVATE('a', 'NatA') + PRIVATE('b', 'NatA')),
    valid: TEMPLATE(PUBLIC('a') + PUBLIC('b') + PRIVATE('a', 'NatA') + PRIVATE('b', 'NatB')),
  },
  messages: {
    singleAz:
      "Function '{fn}' spans {zones} Availability Zones, but every NAT gateway its subnets route through ({nats}) is in {az}: an outage of {az} also cuts the egress of {subnets} in the other zones.",
  },
  check({ model, report }) {
    eachEgressResult<SingleAz>(
      model,
      (_attached, branch) => {
        const found = singleAzOf(model, branch.subnets);
        return found ? { key: `${found.zones}|${found.az}|${found.across.map((s) => s.subnet!.id).join(',')}|${found.nats.map((n) => n.id).join(',')}`, value: found } : undefined;
      },
      ({ fn, vpc }, found, conditions) => {
        const names = found.across.map((s) => s.subnet!.id);
        report({
          messageId: 'singleAz',
          data: {
            fn: fn.id,
            zones: found.zones,
            nats: listLabel(found.nats.map((n) => n.id)),
            az: azLabel(found.natSubnet),
            subnets: namedList('subnet', names, listLabel),
          },
          resource: fn.id,
          span: subnetsSpan(fn, vpc, found.across),
          related: [
            ...found.nats.map((n) => ({ message: `NAT gateway '${n.id}' is in subnet '${n.subnet.id}' (${azLabel(found.natSubnet)})`, span: n.subnet.span })),
            ...found.across.flatMap((s) => (s.egress.route ? [{ message: `Subnet '${s.subnet!.id}' (${azLabel(s.subnet!)}) routes 0.0.0.0/0 to '${s.egress.nat}'`, span: s.egress.route.span }] : [])),
            ...inheritedRelated(vpc),
          ],
          assumed: [
            vpc.subnetIds.param,
            ...found.across.flatMap((s) => [s.egress.param, s.subnet!.az.kind === 'unknown' ? undefined : s.subnet!.az.param]),
            found.natSubnet.az.kind === 'unknown' ? undefined : found.natSubnet.az.param,
          ],
          conditions: [...conditions, ...found.across.flatMap((s) => s.egress.conditions ?? [])],
        });
      },
    );
  },
});

import { functionVpcId, reachesInternet, subnetEgress } from '../model/queries';
import type { Model } from '../model/types';
import type { Need, SubnetEgress } from './helpers';
import { eachEgressResult, inheritedRelated, listLabel, needsAssumed, needsLabel, needsRelated, subnetsSpan, uncoveredNeeds } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (natSubnetRoute: string) => `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  TransitSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a }
  TransitRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
${natSubnetRoute}  TransitSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref TransitSubnet, RouteTableId: !Ref TransitRouteTable }
  PrivateNat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref TransitSubnet, ConnectivityType: private }
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
  AppRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  AppDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref AppRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref PrivateNat }
  AppSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref AppSubnet, RouteTableId: !Ref AppRouteTable }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => (await fetch(process.env.API_URL)).status" }
      Environment:
        Variables: { API_URL: https://api.example.com/v1 }
      VpcConfig:
        SubnetIds: [!Ref AppSubnet]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

/** Whether traffic the private NAT gateway forwards may still reach the internet through its own subnet's default route. */
function natMayReachInternet(model: Model, natId: string | undefined): boolean {
  const nat = natId ? model.natGateways.get(natId) : undefined;
  const subnet = nat?.subnet.id ? model.subnets.get(nat.subnet.id) : undefined;
  if (!subnet) return true;
  const kind = subnetEgress(model, subnet).kind;
  return reachesInternet(kind) || kind === 'unknown';
}

export default defineRule({
  id: 'private-nat-no-internet',
  severity: 'error',
  category: 'egress',
  fixSafety: 'none',
  docs: {
    summary: "A function's default route goes to a private NAT gateway (`ConnectivityType: private`) while it needs the internet or a service no VPC endpoint serves.",
    rationale:
      'A private NAT gateway has no Elastic IP: it translates addresses for traffic to other VPCs or on-premises networks through a transit gateway or a virtual private gateway, and traffic it sends to an internet gateway is dropped. ' +
      'A function whose subnets send 0.0.0.0/0 to it cannot reach the internet, nor AWS services that the VPC has no endpoint for, and those calls hang until the function times out. ' +
      "The rule stays quiet when the private NAT gateway's own subnet sends 0.0.0.0/0 on to a transit gateway, a firewall endpoint or a public NAT gateway (a central egress design may lead out from there), or when that route cannot be resolved. " +
      'Use a public NAT gateway (the default connectivity type, with an Elastic IP, in a public subnet) for internet access, or add VPC endpoints for the AWS services.',
    invalid: TEMPLATE(''),
    valid: TEMPLATE(`  TransitDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref TransitRouteTable, DestinationCidrBlock: 0.0.0.0/0, TransitGatewayId: tgw-0a1b2c3d4e5f60001 }
`),
  },
  messages: {
    privateNat:
      "Function '{fn}' needs {needs}, but {subnets} 0.0.0.0/0 to the private NAT gateway {nat}, which has no public IP and gives no internet access: those calls time out.",
  },
  check({ model, report }) {
    eachEgressResult<{ needs: Need[]; subnets: SubnetEgress[] }>(
      model,
      ({ fn, vpc }, branch) => {
        const vpcId = functionVpcId(model, vpc);
        const needs = new Map<string, Need>();
        const found: SubnetEgress[] = [];
        for (const s of branch.subnets) {
          if (s.egress.kind !== 'private-nat' || natMayReachInternet(model, s.egress.nat)) continue;
          const uncovered = uncoveredNeeds(model, fn, vpcId, s.subnet);
          if (uncovered.length === 0) continue;
          found.push(s);
          for (const n of uncovered) needs.set(n.name, n);
        }
        if (found.length === 0) return undefined;
        return { key: `${found.map((s) => s.subnet!.id).join(',')}|${[...needs.keys()].join(',')}`, value: { needs: [...needs.values()], subnets: found } };
      },
      ({ fn, vpc }, { needs, subnets }, conditions) => {
        const names = subnets.map((s) => s.subnet!.id);
        const nats = [...new Set(subnets.map((s) => s.egress.nat!))];
        report({
          messageId: 'privateNat',
          data: { fn: fn.id, needs: needsLabel(needs), subnets: names.length === 1 ? `its subnet ${names[0]} sends` : `its subnets ${listLabel(names)} send`, nat: listLabel(nats) },
          resource: fn.id,
          span: subnetsSpan(fn, vpc, subnets),
          related: [
            ...subnets.flatMap((s) => (s.egress.route ? [{ message: `Route table '${s.egress.routeTable}' of subnet '${s.subnet!.id}' sends 0.0.0.0/0 to private NAT gateway '${s.egress.nat}'`, span: s.egress.route.span }] : [])),
            ...nats.flatMap((id) => {
              const span = model.natGateways.get(id)?.connectivity.span;
              return span ? [{ message: `NAT gateway '${id}' is private`, span }] : [];
            }),
            ...needsRelated(needs),
            ...inheritedRelated(vpc),
          ],
          assumed: [vpc.subnetIds.param, ...subnets.map((s) => s.egress.param), ...needsAssumed(needs)],
          conditions: [...conditions, ...subnets.flatMap((s) => s.egress.conditions ?? [])],
        });
      },
    );
  },
});

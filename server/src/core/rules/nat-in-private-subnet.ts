import type { Egress } from '../model/queries';
import type { Model, Subnet } from '../model/types';
import { get } from '../tree';
import type { Related } from '../types';
import { collapseBranches, egressBranches, publicNats, refName } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (publicRoute: string) => `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  NatSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a }
  NatSubnetRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
${publicRoute}  NatSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref NatSubnet, RouteTableId: !Ref NatSubnetRouteTable }
  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties: { Domain: vpc }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref NatSubnet, AllocationId: !GetAtt NatEip.AllocationId }
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
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

type Problem =
  | { kind: 'private'; egress: Egress; subnet: Subnet }
  | { kind: 'detached'; egress: Egress; subnet: Subnet; igw: string; vpc: string };

function reasonOf(subnet: Subnet, egress: Egress): string {
  switch (egress.kind) {
    case 'none': return subnet.routeTable.main ? 'it has no route table association, so it uses the main route table (local route only)' : `route table '${egress.routeTable}' has no 0.0.0.0/0 route`;
    case 'nat':
    case 'private-nat': return `its 0.0.0.0/0 route goes to NAT gateway '${egress.nat ?? (egress.route ? refName(egress.route.targetRef) : '?')}'`;
    case 'nat-instance':
    case 'nat-instance-no-internet': return 'its 0.0.0.0/0 route goes to an instance or network interface';
    case 'peering': return 'its 0.0.0.0/0 route goes to a peering connection';
    default: return `its 0.0.0.0/0 route goes to ${egress.route?.target === 'vpn-gateway' ? 'a virtual private gateway' : 'a transit gateway or another private target'}`;
  }
}

/** Whether a gateway attachment the model could not resolve may attach the internet gateway after all. */
function unresolvedAttachment(model: Model, igw: string): boolean {
  const refOf = (node: ReturnType<typeof get>) => {
    const ref = get(node, 'Ref');
    return ref?.kind === 'scalar' ? String(ref.value) : undefined;
  };
  return [...model.resources.values()].some((r) => {
    if (r.type !== 'AWS::EC2::VPCGatewayAttachment') return false;
    const gateway = refOf(get(r.properties, 'InternetGatewayId'));
    const vpc = refOf(get(r.properties, 'VpcId'));
    return gateway === undefined ? get(r.properties, 'InternetGatewayId') !== undefined : gateway === igw && !(vpc && model.vpcs.has(vpc));
  });
}

function problemOf(model: Model, subnet: Subnet, egress: Egress): Problem | undefined {
  if (egress.kind === 'unknown') return undefined;
  if (egress.kind === 'internet-gateway') {
    const igw = egress.route?.targetRef.id;
    const vpc = subnet.vpc.id ? model.vpcs.get(subnet.vpc.id) : undefined;
    if (!igw || !vpc || !model.internetGateways.has(igw) || vpc.internetGateways.includes(igw) || unresolvedAttachment(model, igw)) return undefined;
    return { kind: 'detached', egress, subnet, igw, vpc: vpc.id };
  }
  // A firewall endpoint in front of the internet gateway (AWS Network Firewall, Gateway Load Balancer) is the inspected design.
  if (egress.route?.target === 'vpc-endpoint') return undefined;
  return { kind: 'private', egress, subnet };
}

export default defineRule({
  id: 'nat-in-private-subnet',
  severity: 'error',
  category: 'egress',
  fixSafety: 'none',
  docs: {
    summary: 'A public NAT gateway in a subnet that has no default route to an attached internet gateway.',
    rationale:
      'A public NAT gateway forwards the traffic of private subnets to the internet through the route table of the subnet it sits in, which must send 0.0.0.0/0 to an internet gateway attached to the VPC. ' +
      'Placed in a private subnet (no default route, or a default route to another NAT gateway, a peering connection or a transit gateway), or in a VPC whose internet gateway is not attached by an `AWS::EC2::VPCGatewayAttachment`, it never reaches the internet, and every function routed through it times out on outbound calls. ' +
      'Put the NAT gateway in a public subnet. A default route to a firewall endpoint (AWS Network Firewall or a Gateway Load Balancer endpoint that leads to the internet gateway) is accepted. ' +
      'The rule looks at NAT gateways that VPC-attached functions route through or that share their VPC; private and regional NAT gateways have no subnet of this kind.',
    invalid: TEMPLATE(''),
    valid: TEMPLATE(`  NatSubnetDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref NatSubnetRouteTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
`),
  },
  messages: {
    privateSubnet:
      "NAT gateway '{nat}' is in subnet {subnet}, which has no default route to an internet gateway ({reason}): the NAT gateway cannot reach the internet, so {users} get no egress through it.",
    detachedGateway:
      "NAT gateway '{nat}' is in subnet {subnet}, whose default route goes to internet gateway '{igw}', but no AWS::EC2::VPCGatewayAttachment attaches that gateway to VPC '{vpc}': the NAT gateway cannot reach the internet, so {users} get no egress through it.",
  },
  check({ model, report }) {
    for (const { nat, users, related: usersRelated } of publicNats(model)) {
      const id = nat.id;
      const subnet = nat.subnet.id ? model.subnets.get(nat.subnet.id) : undefined;
      if (!subnet) continue;
      const results: { conditions: string[]; key: string; value: Problem }[] = [];
      for (const branch of egressBranches(model, [{ ref: nat.subnet, subnet }])) {
        const egress = branch.subnets[0]?.egress;
        const problem = egress && problemOf(model, subnet, egress);
        if (problem) results.push({ conditions: branch.conditions, key: `${problem.kind}|${problem.egress.kind}|${problem.egress.nat ?? ''}`, value: problem });
      }
      for (const { conditions, value: problem } of collapseBranches(results)) {
        const egress = problem.egress;
        const table = egress.routeTable ? model.routeTables.get(egress.routeTable) : undefined;
        const related: Related[] = [];
        if (egress.route) related.push({ message: `The default route of subnet '${subnet.id}'`, span: egress.route.span });
        else if (table) related.push({ message: `Route table '${table.id}' of subnet '${subnet.id}'`, span: table.keySpan });
        else related.push({ message: `Subnet '${subnet.id}'`, span: subnet.keySpan });
        related.push(...usersRelated);
        report({
          messageId: problem.kind === 'private' ? 'privateSubnet' : 'detachedGateway',
          data: {
            nat: id,
            subnet: subnet.id,
            reason: reasonOf(subnet, egress),
            igw: problem.kind === 'detached' ? problem.igw : '',
            vpc: problem.kind === 'detached' ? problem.vpc : '',
            users,
          },
          resource: id,
          span: nat.subnet.span,
          related,
          assumed: [nat.connectivity.param, egress.param],
          conditions: [...(nat.condition ? [nat.condition] : []), ...conditions, ...(egress.conditions ?? [])],
        });
      }
    }
  },
});

import type { EditBuilder, Value } from '../edits';
import { lacksEgress } from '../model/endpoints';
import { azKey, functionVpcId, subnetEgress } from '../model/queries';
import type { Model, NatGateway, Subnet, VpcAttachment } from '../model/types';
import type { Span } from '../tree';
import { get } from '../tree';
import type { Edit, Fix } from '../types';
import type { Need, SubnetEgress } from './helpers';
import { eachEgressResult, egressOnlyNeeds, gatewayAttachmentOf, inheritedRelated, isAllPublic, listLabel, needsAssumed, needsLabel, needsRelated, subnetsSpan } from './helpers';
import { defineRule } from '../engine/rule';

const NETWORK = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a }
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PublicDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PublicRouteTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
  PublicSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref PublicSubnet, RouteTableId: !Ref PublicRouteTable }
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
`;

const FUNCTION = `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => (await fetch(process.env.API_URL)).status" }
      Environment:
        Variables: { API_URL: https://api.example.com/v1 }
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnet]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

function reason(s: SubnetEgress): string {
  switch (s.egress.kind) {
    case 'peering': return `${s.subnet!.id}: default route to a peering connection, which carries no transit traffic`;
    case 'internet-gateway': return `${s.subnet!.id}: default route to an internet gateway, but Lambda gets no public IP`;
    case 'nat-instance-no-internet': return `${s.subnet!.id}: default route to NAT instance ${s.egress.route?.targetRef.id ?? ''}, but ${s.egress.why}`;
    default: return s.subnet!.routeTable.main ? `${s.subnet!.id}: main route table, local route only` : `${s.subnet!.id}: no default route`;
  }
}

function related(model: Model, s: SubnetEgress): { message: string; span: Span } {
  const id = s.subnet!.id;
  if (s.egress.route) return { message: `Route table '${s.egress.routeTable}' of subnet '${id}' sends 0.0.0.0/0 to a ${s.egress.kind === 'peering' ? 'peering connection' : s.egress.kind === 'nat-instance-no-internet' ? 'NAT instance that cannot reach the internet' : 'internet gateway'}`, span: s.egress.route.span };
  const table = s.egress.routeTable ? model.routeTables.get(s.egress.routeTable) : undefined;
  if (table) return { message: `Route table '${table.id}' of subnet '${id}' has no 0.0.0.0/0 route`, span: table.keySpan };
  return { message: `Subnet '${id}' has no route table association: it uses the VPC's main route table, which has only the local route`, span: s.subnet!.keySpan };
}

export default defineRule({
  id: 'no-egress-route',
  severity: 'error',
  category: 'egress',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A VPC-attached function needs the internet or an AWS service that has no VPC endpoint, and some of its subnets have no way out.',
    rationale:
      'Inside a VPC, a function reaches the internet, and AWS services that offer no VPC endpoint (IAM, Route 53, CloudFront, Organizations...), only through a default route (0.0.0.0/0) to a NAT gateway or another egress (NAT instance, transit gateway, firewall endpoint, VPN). ' +
      'A subnet without one is isolated: a route to a peering connection does not carry transit traffic, and a route to an internet gateway does not help Lambda, whose network interfaces have no public IP. ' +
      'Lambda spreads a function over all its subnets, so one isolated subnet out of two makes about half of the invocations hang until they time out, which looks like an intermittent fault. ' +
      'A subnet without a `SubnetRouteTableAssociation` uses the VPC\'s main route table, which in a template holds only the local route. ' +
      'Services that do have a VPC endpoint are reported by `missing-endpoint` instead; when all the subnets are public, `public-subnet` reports the cause.',
    invalid: `Resources:
${NETWORK}${FUNCTION}`,
    valid: `Resources:
${NETWORK}  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties: { Domain: vpc }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref PublicSubnet, AllocationId: !GetAtt NatEip.AllocationId }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
  PrivateSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref PrivateSubnet, RouteTableId: !Ref PrivateRouteTable }
${FUNCTION}`,
    fix:
      'For each Availability Zone of the isolated subnets: uses a NAT gateway already in a public subnet of that zone, or adds one (with an Elastic IP, `Domain: vpc`) in a public subnet of the VPC in that zone (another zone\'s when that zone has none); ' +
      'adds a 0.0.0.0/0 route to it in the subnets\' own route table when that table has no default route and serves no other subnet, else in a new private route table that the subnets are pointed at (changing the `RouteTableId` of their association, or adding an association). ' +
      'Gateway endpoints associated with a replaced route table are associated with the new one too. ' +
      'No fix when the VPC has no public subnet, when a subnet to move is itself public (move the function instead), or when its route table holds other routes that would be lost. ' +
      'Unsafe: it adds billable resources and changes the routing of those subnets for everything in them.',
  },
  messages: {
    noEgressAll:
      "Function '{fn}' needs {needs}, reachable only through a NAT gateway or another egress, but there is no way out from {count} subnets ({subnets}): those calls time out.",
    noEgressSome:
      "Function '{fn}' needs {needs}, reachable only through a NAT gateway or another egress, but there is no way out from {count} subnets ({subnets}): a share of invocations will hang.",
  },
  check({ model, report }) {
    eachEgressResult<{ needs: Need[]; offending: SubnetEgress[]; total: number }>(
      model,
      ({ fn }, branch) => {
        const needs = egressOnlyNeeds(fn);
        if (needs.length === 0 || isAllPublic(branch.subnets)) return undefined;
        const offending = branch.subnets.filter((s) => s.subnet && lacksEgress(s.egress.kind));
        if (offending.length === 0) return undefined;
        return { key: `${offending.map((s) => `${s.subnet!.id}:${s.egress.kind}`).join(',')}|${branch.subnets.length}`, value: { needs, offending, total: branch.subnets.length } };
      },
      ({ fn, vpc }, { needs, offending, total }, conditions) => {
        const lengthKnown = vpc.subnetIds.state !== 'unknown';
        const all = lengthKnown && offending.length === total;
        report({
          messageId: all ? 'noEgressAll' : 'noEgressSome',
          data: {
            fn: fn.id,
            needs: needsLabel(needs),
            count: `${offending.length} of ${lengthKnown ? '' : 'at least '}${total}`,
            subnets: offending.map(reason).join('; '),
          },
          resource: fn.id,
          span: subnetsSpan(fn, vpc, offending),
          related: [
            ...offending.map((s) => related(model, s)),
            ...needsRelated(needs),
            ...inheritedRelated(vpc),
          ],
          assumed: [vpc.subnetIds.param, ...offending.map((s) => s.egress.param), ...needsAssumed(needs)],
          conditions: [...conditions, ...offending.flatMap((s) => s.egress.conditions ?? [])],
          fix: (edits) => natFix(model, edits, vpc, offending),
        });
      },
    );
  },
});

/** A public subnet of the VPC: an unconditional, known default route to an internet gateway attached to the VPC. */
function isPublic(model: Model, subnet: Subnet, vpcId: string): boolean {
  if (subnet.condition || subnet.vpc.id !== vpcId) return false;
  const egress = subnetEgress(model, subnet);
  if (egress.kind !== 'internet-gateway' || egress.state !== 'known' || egress.conditions?.length) return false;
  const igw = egress.route?.targetRef.id;
  return !igw || model.vpcs.get(vpcId)!.internetGateways.includes(igw);
}

type Target = { nat: NatGateway } | { subnet: Subnet };

function natFix(model: Model, edits: EditBuilder, vpc: VpcAttachment, offending: SubnetEgress[]): Fix | undefined {
  const vpcId = functionVpcId(model, vpc);
  if (!vpcId || !model.vpcs.has(vpcId)) return undefined;
  const moving = new Set(offending.map((s) => s.subnet!.id));
  if (offending.some((s) => s.egress.kind === 'internet-gateway' || s.subnet!.vpc.id !== vpcId)) return undefined;
  const publics = [...model.subnets.values()].filter((s) => !moving.has(s.id) && isPublic(model, s, vpcId));
  if (publics.length === 0) return undefined;
  const publicIds = new Set(publics.map((s) => s.id));
  const nats = [...model.natGateways.values()].filter((n) =>
    !n.condition && !n.regional && n.connectivity.state === 'known' && n.connectivity.value === 'public' &&
    !(n.allocationId.state === 'known' && n.allocationId.value === undefined) && !!n.subnet.id && publicIds.has(n.subnet.id));
  const azOfNat = (n: NatGateway) => azKey(model.subnets.get(n.subnet.id!)!);

  // One target per zone: a NAT there, else a public subnet there, else (zone unknown or without one) the first of either.
  const groups = new Map<string, { target: Target; subnets: Subnet[] }>();
  const targetKey = (t: Target) => ('nat' in t ? `nat:${t.nat.id}` : `subnet:${t.subnet.id}`);
  for (const s of offending) {
    const az = azKey(s.subnet!);
    const nat = az ? nats.find((n) => azOfNat(n) === az) : undefined;
    const pub = az ? publics.find((p) => azKey(p) === az) : undefined;
    const target: Target = nat ? { nat } : pub ? { subnet: pub } : nats[0] ? { nat: nats[0] } : { subnet: publics[0]! };
    const key = targetKey(target);
    const group = groups.get(key);
    if (group) group.subnets.push(s.subnet!);
    else groups.set(key, { target, subnets: [s.subnet!] });
  }

  const taken = model.resources;
  const reserved = new Set<string>();
  const id = (base: string, n: number) => edits.uniqueId(groups.size > 1 ? `${base}${n}` : base, taken, reserved);
  const attachment = gatewayAttachmentOf(model, vpcId);
  const resources: Record<string, Value> = {};
  const changes: Edit[] = [];
  const endpointAdds = new Set<string>();
  let n = 0;
  let added = 0;
  for (const { target, subnets } of groups.values()) {
    n++;
    let natId: string;
    if ('nat' in target) natId = target.nat.id;
    else {
      const eipId = id('NatEip', n);
      natId = id('NatGateway', n);
      added++;
      resources[eipId] = { Type: 'AWS::EC2::EIP', ...(attachment ? { DependsOn: attachment } : {}), Properties: { Domain: 'vpc' } };
      resources[natId] = { Type: 'AWS::EC2::NatGateway', Properties: { AllocationId: { 'Fn::GetAtt': [eipId, 'AllocationId'] }, SubnetId: { Ref: target.subnet.id } } };
    }
    // A route table of these subnets with no default route and no other subnets takes the route itself.
    const reusable = subnets.map((s) => s.routeTable.id).find((t) => t && reusableTable(model, t, subnets));
    const tableId = reusable ?? id('PrivateRouteTable', n);
    if (!reusable) resources[tableId] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: vpcId } } };
    resources[id('PrivateDefaultRoute', n)] = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: tableId }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: { Ref: natId } } };
    for (const subnet of subnets) {
      if (subnet.routeTable.id === tableId) continue;
      if (subnet.routeTable.main) {
        resources[edits.uniqueId(`${subnet.id}RouteTableAssociation`, taken, reserved)] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: subnet.id }, RouteTableId: { Ref: tableId } } };
        continue;
      }
      const old = subnet.routeTable.id ? model.routeTables.get(subnet.routeTable.id) : undefined;
      // Moving the subnet loses every route of its old table: only the default route may go.
      if (!old || old.routes.some((r) => r.ipv6 || r.destination.value !== '0.0.0.0/0')) return undefined;
      const association = [...model.resources.values()].find((r) => r.type === 'AWS::EC2::SubnetRouteTableAssociation' && r.keySpan.start === subnet.routeTable.associationSpan?.start);
      const node = get(association?.properties, 'RouteTableId');
      if (!node) return undefined;
      changes.push(edits.replace(node, { Ref: tableId }));
      for (const endpoint of model.endpoints.values()) {
        if (endpoint.endpointType !== 'Gateway' || !endpoint.routeTableIds.items.some((r) => r.id === old.id)) continue;
        const key = `${endpoint.id}|${tableId}`;
        if (endpointAdds.has(key) || endpoint.routeTableIds.items.some((r) => r.id === tableId)) continue;
        const list = get(endpoint.properties, 'RouteTableIds');
        if (endpoint.routeTableIds.state === 'unknown' || list?.kind !== 'seq') return undefined;
        endpointAdds.add(key);
        changes.push(edits.appendToSeq(list, { Ref: tableId }));
      }
    }
  }
  const subnetNames = listLabel(offending.map((s) => s.subnet!.id));
  return {
    title: added > 0
      ? `Add ${added === 1 ? 'a NAT gateway' : `${added} NAT gateways`} and route ${subnetNames} through ${groups.size === 1 ? 'it' : 'them'}`
      : `Route ${subnetNames} through the existing NAT gateway${groups.size === 1 ? '' : 's'}`,
    safety: 'unsafe',
    edits: [...changes, ...edits.addResources(resources, model.dialect === 'serverless')],
  };
}

/** Whether a route table has no default route and serves only the given subnets (of one zone). */
function reusableTable(model: Model, tableId: string, subnets: Subnet[]): boolean {
  const table = model.routeTables.get(tableId);
  if (!table || table.condition || table.routes.some((r) => !r.ipv6 && (r.destination.value === '0.0.0.0/0' || r.destination.state !== 'known'))) return false;
  const users = [...model.subnets.values()].filter((s) => s.routeTable.id === tableId);
  const associations = [...model.resources.values()].filter((r) => r.type === 'AWS::EC2::SubnetRouteTableAssociation' && referencesId(get(r.properties, 'RouteTableId'), tableId));
  return users.every((u) => subnets.includes(u)) && associations.length === users.length;
}

function referencesId(node: ReturnType<typeof get>, id: string): boolean {
  const ref = node?.kind === 'map' ? get(node, 'Ref') : undefined;
  return ref?.kind === 'scalar' && ref.value === id;
}

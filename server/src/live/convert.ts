/**
 * EC2's answers turned into the core's live facts: plain data, no SDK types past this file. Routes get
 * the same target kinds as template routes (`GatewayId` may hold an internet gateway, a virtual private
 * gateway, a Gateway Load Balancer endpoint or `local`).
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import type {
  IpPermission, NatGateway, NetworkAcl, Route, RouteTable, SecurityGroup, Subnet, Vpc, VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type {
  LiveEndpoint, LiveNatGateway, LiveNetworkAcl, LivePermission, LiveRoute, LiveRouteTable, LiveSecurityGroup, LiveStack, LiveSubnet, LiveVpc,
} from '../core/live';
import type { RouteTargetKind } from '../core/model/types';

const defined = <T>(values: (T | undefined | null)[] | undefined): T[] => (values ?? []).filter((v): v is T => v !== undefined && v !== null && v !== '');

export function toLiveSubnet(s: Subnet): LiveSubnet | undefined {
  if (!s.SubnetId || !s.VpcId) return undefined;
  const out: LiveSubnet = {
    id: s.SubnetId,
    vpcId: s.VpcId,
    ipv6Cidrs: defined((s.Ipv6CidrBlockAssociationSet ?? [])
      .filter((a) => !a.Ipv6CidrBlockState?.State || a.Ipv6CidrBlockState.State === 'associated')
      .map((a) => a.Ipv6CidrBlock)),
  };
  if (s.AvailabilityZone) out.availabilityZone = s.AvailabilityZone;
  if (s.AvailabilityZoneId) out.availabilityZoneId = s.AvailabilityZoneId;
  if (s.CidrBlock) out.cidr = s.CidrBlock;
  return out;
}

export function toLiveVpc(v: Vpc): LiveVpc | undefined {
  if (!v.VpcId) return undefined;
  const out: LiveVpc = { id: v.VpcId, endpointsListed: false };
  if (v.CidrBlock) out.cidr = v.CidrBlock;
  if (v.InstanceTenancy) out.tenancy = v.InstanceTenancy;
  return out;
}

function routeTarget(r: Route): { target: RouteTargetKind; targetId?: string } {
  if (r.NatGatewayId) return { target: 'nat-gateway', targetId: r.NatGatewayId };
  if (r.TransitGatewayId) return { target: 'transit-gateway', targetId: r.TransitGatewayId };
  if (r.VpcPeeringConnectionId) return { target: 'peering', targetId: r.VpcPeeringConnectionId };
  if (r.EgressOnlyInternetGatewayId) return { target: 'egress-only-gateway', targetId: r.EgressOnlyInternetGatewayId };
  if (r.CarrierGatewayId) return { target: 'carrier-gateway', targetId: r.CarrierGatewayId };
  if (r.LocalGatewayId) return { target: 'local-gateway', targetId: r.LocalGatewayId };
  if (r.CoreNetworkArn) return { target: 'core-network', targetId: r.CoreNetworkArn };
  if (r.InstanceId) return { target: 'nat-instance', targetId: r.InstanceId };
  if (r.NetworkInterfaceId) return { target: 'nat-instance', targetId: r.NetworkInterfaceId };
  const gateway = r.GatewayId;
  if (gateway) {
    if (gateway.startsWith('igw-')) return { target: 'internet-gateway', targetId: gateway };
    if (gateway.startsWith('vgw-')) return { target: 'vpn-gateway', targetId: gateway };
    if (gateway.startsWith('vpce-')) return { target: 'vpc-endpoint', targetId: gateway };
    return { target: 'other', targetId: gateway };
  }
  return { target: 'other' };
}

export function toLiveRoute(r: Route): LiveRoute {
  const out: LiveRoute = { ...routeTarget(r) };
  if (r.DestinationCidrBlock) out.destination = r.DestinationCidrBlock;
  if (r.DestinationIpv6CidrBlock) out.ipv6Destination = r.DestinationIpv6CidrBlock;
  if (r.DestinationPrefixListId) out.prefixList = r.DestinationPrefixListId;
  if (r.State === 'blackhole') out.blackhole = true;
  return out;
}

export interface RouteTableWithAssociations {
  table: LiveRouteTable;
  /** Subnets explicitly associated with the table. */
  subnets: string[];
}

export function toLiveRouteTable(t: RouteTable): RouteTableWithAssociations | undefined {
  if (!t.RouteTableId || !t.VpcId) return undefined;
  const associations = (t.Associations ?? []).filter((a) => !a.AssociationState?.State || a.AssociationState.State === 'associated');
  return {
    table: { id: t.RouteTableId, vpcId: t.VpcId, main: associations.some((a) => a.Main === true), routes: (t.Routes ?? []).map(toLiveRoute) },
    subnets: defined(associations.map((a) => a.SubnetId)),
  };
}

export function toLiveNatGateway(n: NatGateway): LiveNatGateway | undefined {
  if (!n.NatGatewayId) return undefined;
  const out: LiveNatGateway = { id: n.NatGatewayId, connectivity: n.ConnectivityType === 'private' ? 'private' : 'public', state: n.State ?? 'unknown' };
  if (n.VpcId) out.vpcId = n.VpcId;
  if (n.SubnetId) out.subnetId = n.SubnetId;
  if (n.AvailabilityMode === 'regional') out.regional = true;
  const allocation = n.NatGatewayAddresses?.find((a) => a.AllocationId)?.AllocationId;
  if (allocation) out.allocationId = allocation;
  return out;
}

export function toLiveEndpoint(e: VpcEndpoint): LiveEndpoint | undefined {
  if (!e.VpcEndpointId || !e.VpcId || !e.ServiceName) return undefined;
  const out: LiveEndpoint = {
    id: e.VpcEndpointId,
    vpcId: e.VpcId,
    type: e.VpcEndpointType ?? 'Gateway',
    serviceName: e.ServiceName,
    routeTableIds: defined(e.RouteTableIds),
    subnetIds: defined(e.SubnetIds),
    securityGroupIds: defined((e.Groups ?? []).map((g) => g.GroupId)),
    privateDns: e.PrivateDnsEnabled === true,
  };
  if (e.State) out.state = e.State;
  return out;
}

function toPermission(p: IpPermission): LivePermission {
  const out: LivePermission = {
    protocol: p.IpProtocol ?? '-1',
    cidrs: defined((p.IpRanges ?? []).map((r) => r.CidrIp)),
    ipv6Cidrs: defined((p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)),
    groups: defined((p.UserIdGroupPairs ?? []).map((g) => g.GroupId)),
    prefixLists: defined((p.PrefixListIds ?? []).map((l) => l.PrefixListId)),
  };
  if (p.FromPort !== undefined) out.fromPort = p.FromPort;
  if (p.ToPort !== undefined) out.toPort = p.ToPort;
  return out;
}

export function toLiveSecurityGroup(g: SecurityGroup): LiveSecurityGroup | undefined {
  if (!g.GroupId) return undefined;
  const out: LiveSecurityGroup = { id: g.GroupId, ingress: (g.IpPermissions ?? []).map(toPermission), egress: (g.IpPermissionsEgress ?? []).map(toPermission) };
  if (g.GroupName) out.name = g.GroupName;
  if (g.VpcId) out.vpcId = g.VpcId;
  return out;
}

export function toLiveNetworkAcl(a: NetworkAcl): LiveNetworkAcl | undefined {
  if (!a.NetworkAclId || !a.VpcId) return undefined;
  return {
    id: a.NetworkAclId,
    vpcId: a.VpcId,
    isDefault: a.IsDefault === true,
    subnetIds: defined((a.Associations ?? []).map((s) => s.SubnetId)),
    entries: (a.Entries ?? []).filter((e) => e.RuleNumber !== undefined).map((e) => {
      const entry: LiveNetworkAcl['entries'][number] = {
        ruleNumber: e.RuleNumber!,
        protocol: e.Protocol ?? '-1',
        allow: e.RuleAction === 'allow',
        egress: e.Egress === true,
      };
      if (e.CidrBlock) entry.cidr = e.CidrBlock;
      if (e.Ipv6CidrBlock) entry.ipv6Cidr = e.Ipv6CidrBlock;
      if (e.PortRange?.From !== undefined) entry.from = e.PortRange.From;
      if (e.PortRange?.To !== undefined) entry.to = e.PortRange.To;
      return entry;
    }),
  };
}

/** What the API shows for the value of a `NoEcho` parameter. */
const MASKED = '****';

/**
 * A deployed stack's parameters and outputs. A `NoEcho` parameter (its value masked as `****`) is kept
 * only as hidden: its value is never stored, shown or logged. An SSM-typed parameter keeps its value
 * (the SSM name), which the analysis reads like any other.
 */
export function toLiveStack(s: Stack): LiveStack | undefined {
  if (!s.StackName) return undefined;
  const out: LiveStack = { name: s.StackName, parameters: {}, hidden: [], outputs: {}, nested: {} };
  for (const p of s.Parameters ?? []) {
    if (!p.ParameterKey) continue;
    if (p.ParameterValue === MASKED || (p.ParameterValue !== undefined && /^\*+$/.test(p.ParameterValue))) out.hidden.push(p.ParameterKey);
    else if (p.ParameterValue !== undefined) out.parameters[p.ParameterKey] = p.ParameterValue;
  }
  for (const o of s.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) out.outputs[o.OutputKey] = o.OutputValue;
  return out;
}

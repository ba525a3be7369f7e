/**
 * The network resources of a template: VPCs, subnets, route tables and routes, gateways, endpoints,
 * security groups, network ACLs and databases, indexed by logical id. Subnets get their effective route
 * table and ACL here, once, so rules never search associations.
 */
import type { MapNode, Node, Span } from '../tree';
import { get, isMap, str } from '../tree';
import { boolFact, numberFact, refListOf, refOf, refsOf, spanOf, stringFact } from './facts';
import type {
  AzFact, Database, DatabaseKind, InternetGateway, Model, NaclEntry, NatGateway, NetworkAcl, Resource, Route,
  RouteTable, RouteTargetKind, SecurityGroup, SgRule, Subnet, Vpc, VpcEndpoint,
} from './types';
import type { Scope } from './values';
import { alternatives, evaluate, litString } from './values';

const ROUTE_TARGETS: [string, RouteTargetKind][] = [
  ['GatewayId', 'internet-gateway'],
  ['NatGatewayId', 'nat-gateway'],
  ['InstanceId', 'nat-instance'],
  ['NetworkInterfaceId', 'nat-instance'],
  ['TransitGatewayId', 'transit-gateway'],
  ['VpcEndpointId', 'vpc-endpoint'],
  ['CoreNetworkArn', 'core-network'],
  ['VpcPeeringConnectionId', 'peering'],
  ['EgressOnlyInternetGatewayId', 'egress-only-gateway'],
  ['CarrierGatewayId', 'carrier-gateway'],
  ['LocalGatewayId', 'local-gateway'],
];

const DEFAULT_PORTS: [RegExp, number][] = [
  [/^aurora-postgresql|^postgres/, 5432],
  [/^aurora|^mysql|^mariadb/, 3306],
  [/^sqlserver/, 1433],
  [/^oracle/, 1521],
  [/^redis|^valkey/, 6379],
  [/^memcached/, 11211],
];

interface DatabaseType {
  kind: DatabaseKind;
  sgPath: string[];
  port?: number;
  portKey?: string;
}

export const DATABASE_TYPES: Record<string, DatabaseType> = {
  'AWS::RDS::DBInstance': { kind: 'rds-instance', sgPath: ['VPCSecurityGroups'], portKey: 'Port' },
  'AWS::RDS::DBCluster': { kind: 'rds-cluster', sgPath: ['VpcSecurityGroupIds'], portKey: 'Port' },
  'AWS::RDS::DBProxy': { kind: 'rds-proxy', sgPath: ['VpcSecurityGroupIds'] },
  'AWS::ElastiCache::CacheCluster': { kind: 'elasticache', sgPath: ['VpcSecurityGroupIds'], portKey: 'Port' },
  'AWS::ElastiCache::ReplicationGroup': { kind: 'elasticache', sgPath: ['SecurityGroupIds'], portKey: 'Port' },
  'AWS::ElastiCache::ServerlessCache': { kind: 'elasticache', sgPath: ['SecurityGroupIds'], port: 6379 },
  'AWS::MemoryDB::Cluster': { kind: 'memorydb', sgPath: ['SecurityGroupIds'], port: 6379, portKey: 'Port' },
  'AWS::DocDB::DBCluster': { kind: 'docdb', sgPath: ['VpcSecurityGroupIds'], port: 27017, portKey: 'Port' },
  'AWS::Neptune::DBCluster': { kind: 'neptune', sgPath: ['VpcSecurityGroupIds'], port: 8182, portKey: 'Port' },
  'AWS::Redshift::Cluster': { kind: 'redshift', sgPath: ['VpcSecurityGroupIds'], port: 5439, portKey: 'Port' },
  'AWS::OpenSearchService::Domain': { kind: 'opensearch', sgPath: ['VPCOptions', 'SecurityGroupIds'], port: 443 },
  'AWS::Elasticsearch::Domain': { kind: 'opensearch', sgPath: ['VPCOptions', 'SecurityGroupIds'], port: 443 },
};

export function buildNetwork(model: Model, scope: Scope): void {
  const byType = new Map<string, Resource[]>();
  for (const r of model.resources.values()) {
    let list = byType.get(r.type);
    if (!list) byType.set(r.type, (list = []));
    list.push(r);
  }
  const of = (type: string) => byType.get(type) ?? [];
  const prop = (r: Resource, key: string) => get(r.properties, key);

  for (const r of of('AWS::EC2::VPC')) {
    const vpc: Vpc = {
      ...r,
      cidr: stringFact(prop(r, 'CidrBlock'), scope),
      enableDnsSupport: prop(r, 'EnableDnsSupport') ? boolFact(prop(r, 'EnableDnsSupport'), scope) : { state: 'known', value: true },
      enableDnsHostnames: prop(r, 'EnableDnsHostnames') ? boolFact(prop(r, 'EnableDnsHostnames'), scope) : { state: 'known', value: false },
      tenancy: prop(r, 'InstanceTenancy') ? stringFact(prop(r, 'InstanceTenancy'), scope) : { state: 'known', value: 'default' },
      internetGateways: [],
    };
    model.vpcs.set(r.id, vpc);
  }
  for (const r of [...of('AWS::EC2::InternetGateway'), ...of('AWS::EC2::EgressOnlyInternetGateway')]) {
    const igw: InternetGateway = { ...r, egressOnly: r.type === 'AWS::EC2::EgressOnlyInternetGateway' };
    model.internetGateways.set(r.id, igw);
  }
  for (const r of of('AWS::EC2::VPCGatewayAttachment')) {
    const vpc = refOf(prop(r, 'VpcId'), scope);
    const igw = refOf(prop(r, 'InternetGatewayId'), scope);
    if (vpc?.id && igw?.id) model.vpcs.get(vpc.id)?.internetGateways.push(igw.id);
  }
  for (const r of of('AWS::EC2::Subnet')) {
    const subnet: Subnet = {
      ...r,
      vpc: refOf(prop(r, 'VpcId'), scope) ?? { state: 'unknown', span: r.keySpan, reason: 'no VpcId' },
      az: azOf(r, scope),
      cidr: stringFact(prop(r, 'CidrBlock'), scope),
      ipv6Cidr: prop(r, 'Ipv6CidrBlock') !== undefined || prop(r, 'Ipv6Native') !== undefined || prop(r, 'AssignIpv6AddressOnCreation') !== undefined,
      routeTable: { state: 'known', main: true },
    };
    model.subnets.set(r.id, subnet);
  }
  for (const r of of('AWS::EC2::SubnetIpv6CidrBlock')) {
    const subnet = refOf(prop(r, 'SubnetId'), scope);
    if (subnet?.id) {
      const s = model.subnets.get(subnet.id);
      if (s) s.ipv6Cidr = true;
    }
  }
  for (const r of of('AWS::EC2::RouteTable')) {
    const table: RouteTable = { ...r, vpc: refOf(prop(r, 'VpcId'), scope) ?? { state: 'unknown', span: r.keySpan }, routes: [] };
    model.routeTables.set(r.id, table);
  }
  for (const r of of('AWS::EC2::Route')) {
    const tables = refsOf(evaluate(prop(r, 'RouteTableId'), scope));
    for (const tableRef of tables) {
      const table = tableRef.id ? model.routeTables.get(tableRef.id) : undefined;
      if (!table) continue;
      table.routes.push(routeOf(r, tableRef.conditions, scope));
    }
  }
  for (const r of of('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnets = refsOf(evaluate(prop(r, 'SubnetId'), scope));
    const table = refsOf(evaluate(prop(r, 'RouteTableId'), scope))[0];
    for (const s of subnets) {
      const subnet = s.id ? model.subnets.get(s.id) : undefined;
      if (!subnet) continue;
      subnet.routeTable = table?.id && model.routeTables.has(table.id)
        ? { state: 'known', id: table.id, main: false, associationSpan: r.keySpan, association: r.id }
        : { state: 'unknown', main: false, associationSpan: r.keySpan, association: r.id };
    }
  }
  for (const r of of('AWS::EC2::NatGateway')) {
    const connectivity = stringFact(prop(r, 'ConnectivityType'), scope);
    const nat: NatGateway = {
      ...r,
      subnet: refOf(prop(r, 'SubnetId'), scope) ?? { state: 'unknown', span: r.keySpan, reason: 'no SubnetId' },
      allocationId: stringFact(prop(r, 'AllocationId'), scope),
      connectivity: connectivity.value === undefined && connectivity.state !== 'unknown'
        ? { state: 'known', value: 'public' }
        : { ...connectivity, value: connectivity.value === undefined ? undefined : connectivity.value === 'private' ? 'private' : 'public' },
      regional: litString(evaluate(prop(r, 'AvailabilityMode'), scope))?.toLowerCase() === 'regional',
    };
    model.natGateways.set(r.id, nat);
  }
  for (const r of of('AWS::EC2::VPCEndpoint')) {
    const serviceName = stringFact(prop(r, 'ServiceName'), scope);
    const typeFact = stringFact(prop(r, 'VpcEndpointType'), scope);
    const type = typeFact.state === 'unknown' ? 'unknown' : (typeFact.value ?? 'Gateway');
    const endpoint: VpcEndpoint = {
      ...r,
      vpc: refOf(prop(r, 'VpcId'), scope) ?? { state: 'unknown', span: r.keySpan },
      endpointType: type === 'Interface' || type === 'Gateway' || type === 'GatewayLoadBalancer' ? type : 'unknown',
      serviceName,
      routeTableIds: refListOf(evaluate(prop(r, 'RouteTableIds'), scope)),
      subnetIds: refListOf(evaluate(prop(r, 'SubnetIds'), scope)),
      securityGroupIds: refListOf(evaluate(prop(r, 'SecurityGroupIds'), scope)),
      privateDns: prop(r, 'PrivateDnsEnabled') ? boolFact(prop(r, 'PrivateDnsEnabled'), scope) : { state: 'known', value: false },
    };
    // The service is known even when only the region part is not (`!Sub com.amazonaws.${Region}.sqs`).
    const nameVal = evaluate(prop(r, 'ServiceName'), scope);
    const service = nameVal.t === 'lit' ? serviceOfEndpointName(String(nameVal.v)) : undefined;
    if (service) endpoint.service = service;
    model.endpoints.set(r.id, endpoint);
  }
  for (const r of of('AWS::EC2::SecurityGroup')) {
    const egress = prop(r, 'SecurityGroupEgress');
    const sg: SecurityGroup = {
      ...r,
      vpc: refOf(prop(r, 'VpcId'), scope),
      ingress: rulesOf(prop(r, 'SecurityGroupIngress'), 'SourceSecurityGroupId', scope),
      inlineEgress: egressReplacesDefault(egress, scope) ? rulesOf(egress, 'DestinationSecurityGroupId', scope) : undefined,
      standaloneEgress: [],
    };
    model.securityGroups.set(r.id, sg);
  }
  for (const r of of('AWS::EC2::SecurityGroupIngress')) {
    for (const g of refsOf(evaluate(prop(r, 'GroupId'), scope))) {
      const sg = g.id ? model.securityGroups.get(g.id) : undefined;
      if (sg && r.properties) sg.ingress.push({ ...ruleOf(r.properties, 'SourceSecurityGroupId', scope), resource: r.id, span: r.keySpan });
    }
  }
  for (const r of of('AWS::EC2::SecurityGroupEgress')) {
    for (const g of refsOf(evaluate(prop(r, 'GroupId'), scope))) {
      const sg = g.id ? model.securityGroups.get(g.id) : undefined;
      if (sg && r.properties) sg.standaloneEgress.push({ ...ruleOf(r.properties, 'DestinationSecurityGroupId', scope), resource: r.id, span: r.keySpan });
    }
  }
  for (const r of of('AWS::EC2::NetworkAcl')) {
    const acl: NetworkAcl = { ...r, vpc: refOf(prop(r, 'VpcId'), scope) ?? { state: 'unknown', span: r.keySpan }, entries: [], subnets: [] };
    model.networkAcls.set(r.id, acl);
  }
  for (const r of of('AWS::EC2::NetworkAclEntry')) {
    const acl = refOf(prop(r, 'NetworkAclId'), scope);
    const target = acl?.id ? model.networkAcls.get(acl.id) : undefined;
    if (target) target.entries.push(naclEntryOf(r, scope));
  }
  for (const r of of('AWS::EC2::SubnetNetworkAclAssociation')) {
    const subnet = refOf(prop(r, 'SubnetId'), scope);
    const acl = refOf(prop(r, 'NetworkAclId'), scope);
    if (subnet?.id && acl?.id && model.networkAcls.has(acl.id)) {
      const s = model.subnets.get(subnet.id);
      if (s) s.networkAcl = acl.id;
      model.networkAcls.get(acl.id)!.subnets.push(subnet.id);
    }
  }
  for (const r of model.resources.values()) {
    const dbType = DATABASE_TYPES[r.type];
    if (!dbType) continue;
    const sgNode = dbType.sgPath.reduce<Node | undefined>((n, k) => get(n, k), r.properties);
    const engine = litString(evaluate(prop(r, 'Engine') ?? prop(r, 'EngineFamily'), scope))?.toLowerCase();
    let port = dbType.portKey && prop(r, dbType.portKey) ? numberFact(prop(r, dbType.portKey), scope) : undefined;
    if (!port || (port.state === 'known' && port.value === undefined)) {
      const fromEngine = engine ? DEFAULT_PORTS.find(([re]) => re.test(engine))?.[1] : undefined;
      const value = fromEngine ?? dbType.port;
      port = value !== undefined ? { state: 'known', value } : { state: 'unknown', reason: 'the engine has no known default port' };
      if (r.type === 'AWS::RDS::DBProxy') {
        const family = litString(evaluate(prop(r, 'EngineFamily'), scope))?.toUpperCase();
        port = family === 'POSTGRESQL' ? { state: 'known', value: 5432 } : family === 'MYSQL' ? { state: 'known', value: 3306 } : family === 'SQLSERVER' ? { state: 'known', value: 1433 } : { state: 'unknown', reason: 'unknown engine family' };
      }
    }
    const db: Database = {
      ...r,
      kind: dbType.kind,
      port,
      securityGroups: refListOf(evaluate(sgNode, scope)),
      securityGroupsSpan: sgNode ? { start: sgNode.start, end: sgNode.end } : undefined,
    };
    if (engine) db.engine = engine;
    model.databases.set(r.id, db);
  }
  // An Aurora instance takes its groups and port from its cluster.
  for (const db of model.databases.values()) {
    if (db.kind !== 'rds-instance' || db.securityGroupsSpan) continue;
    const cluster = refOf(prop(db, 'DBClusterIdentifier'), scope);
    const owner = cluster?.id ? model.databases.get(cluster.id) : undefined;
    if (!owner) continue;
    db.securityGroups = owner.securityGroups;
    if (owner.securityGroupsSpan) db.securityGroupsSpan = owner.securityGroupsSpan;
    if (!prop(db, 'Port')) db.port = owner.port;
  }
  // EFS: one database per file system, guarded by the groups of its mount targets.
  for (const r of of('AWS::EFS::FileSystem')) {
    model.databases.set(r.id, { ...r, kind: 'efs', port: { state: 'known', value: 2049 }, securityGroups: { state: 'known', items: [] } });
  }
  for (const r of of('AWS::EFS::MountTarget')) {
    const fs = refOf(prop(r, 'FileSystemId'), scope);
    const db = fs?.id ? model.databases.get(fs.id) : undefined;
    if (!db) continue;
    const groups = refListOf(evaluate(prop(r, 'SecurityGroups'), scope));
    db.securityGroups.items.push(...groups.items);
    if (groups.state === 'unknown') db.securityGroups.state = 'unknown';
    db.securityGroupsSpan ??= spanOf(prop(r, 'SecurityGroups'), r.keySpan);
  }
  databaseSubnets(model, of, scope);
}

/** Where each database type names its subnets: through a subnet group, or directly. */
const DATABASE_SUBNETS: Record<string, { group?: string; path?: string[] }> = {
  'AWS::RDS::DBInstance': { group: 'DBSubnetGroupName' },
  'AWS::RDS::DBCluster': { group: 'DBSubnetGroupName' },
  'AWS::RDS::DBProxy': { path: ['VpcSubnetIds'] },
  'AWS::ElastiCache::CacheCluster': { group: 'CacheSubnetGroupName' },
  'AWS::ElastiCache::ReplicationGroup': { group: 'CacheSubnetGroupName' },
  'AWS::ElastiCache::ServerlessCache': { path: ['SubnetIds'] },
  'AWS::MemoryDB::Cluster': { group: 'SubnetGroupName' },
  'AWS::DocDB::DBCluster': { group: 'DBSubnetGroupName' },
  'AWS::Neptune::DBCluster': { group: 'DBSubnetGroupName' },
  'AWS::Redshift::Cluster': { group: 'ClusterSubnetGroupName' },
  'AWS::OpenSearchService::Domain': { path: ['VPCOptions', 'SubnetIds'] },
  'AWS::Elasticsearch::Domain': { path: ['VPCOptions', 'SubnetIds'] },
};

function databaseSubnets(model: Model, of: (type: string) => Resource[], scope: Scope): void {
  const idsOf = (node: Node | undefined) => refsOf(evaluate(node, scope)).flatMap((ref) => (ref.id && model.subnets.has(ref.id) ? [ref.id] : []));
  for (const db of model.databases.values()) {
    const where = DATABASE_SUBNETS[db.type];
    if (!where) continue;
    if (where.path) db.subnets = idsOf(where.path.reduce<Node | undefined>((n, k) => get(n, k), db.properties));
    const group = where.group ? refOf(get(db.properties, where.group), scope) : undefined;
    const groupRes = group?.id ? model.resources.get(group.id) : undefined;
    if (groupRes) db.subnets = idsOf(get(groupRes.properties, 'SubnetIds'));
  }
  for (const r of of('AWS::EFS::MountTarget')) {
    const fs = refOf(get(r.properties, 'FileSystemId'), scope);
    const db = fs?.id ? model.databases.get(fs.id) : undefined;
    if (db) db.subnets = [...(db.subnets ?? []), ...idsOf(get(r.properties, 'SubnetId'))];
  }
}

function azOf(r: Resource, scope: Scope): AzFact {
  const byName = get(r.properties, 'AvailabilityZone');
  const byId = get(r.properties, 'AvailabilityZoneId');
  const node = byName ?? byId;
  if (!node) return { kind: 'unknown', reason: 'no AvailabilityZone: AWS picks one' };
  const v = evaluate(node, scope);
  const span = { start: node.start, end: node.end };
  if (v.t === 'az') return { kind: 'index', value: v.index, span, state: v.param ? 'assumed' : 'known', param: v.param };
  if (v.t === 'lit' && !v.partial) {
    const fact = { value: String(v.v), span, state: v.param ? 'assumed' as const : 'known' as const, param: v.param };
    return byName ? { kind: 'name', ...fact } : { kind: 'id', ...fact };
  }
  return { kind: 'unknown', span, reason: v.t === 'unknown' ? v.reason : 'the zone cannot be resolved' };
}

function routeOf(r: Resource, conditions: string[] | undefined, scope: Scope): Route {
  const props = r.properties;
  const dest4 = get(props, 'DestinationCidrBlock');
  const dest6 = get(props, 'DestinationIpv6CidrBlock');
  let target: RouteTargetKind = 'other';
  let targetNode: Node | undefined;
  for (const [key, kind] of ROUTE_TARGETS) {
    const node = get(props, key);
    if (node) {
      target = kind;
      targetNode = node;
      break;
    }
  }
  const targetRef = refOf(targetNode, scope) ?? { state: 'unknown' as const, span: r.keySpan, reason: 'no target' };
  // `GatewayId` also takes virtual private gateways; an egress-only gateway by id is its own kind.
  if (target === 'internet-gateway') {
    const id = targetRef.id;
    const type = id ? scope.resourceTypes?.get(id) : undefined;
    if (type === 'AWS::EC2::VPNGateway') target = 'vpn-gateway';
    else if (type === 'AWS::EC2::EgressOnlyInternetGateway') target = 'egress-only-gateway';
    else if (targetRef.literal?.startsWith('vgw-')) target = 'vpn-gateway';
  }
  const route: Route = {
    id: r.id,
    span: r.keySpan,
    destination: stringFact(dest4 ?? dest6 ?? get(props, 'DestinationPrefixListId'), scope),
    ipv6: !!dest6,
    target,
    targetRef,
  };
  if (conditions?.length) route.conditions = conditions;
  else if (r.condition) route.conditions = [r.condition];
  return route;
}

/**
 * The rules of an inline list, over every `Fn::If` branch (a rule on any branch is listed: the checks
 * look for a rule that lets traffic through). A list that cannot be resolved stands as one rule whose
 * protocol is unknown, so it may let anything through.
 */
function rulesOf(node: Node | undefined, groupKey: string, scope: Scope): SgRule[] {
  const out: SgRule[] = [];
  for (const { value: v } of alternatives(evaluate(node, scope))) {
    if (v.t === 'none') continue;
    if (v.t !== 'list') {
      out.push(unknownRule(v.span, v.t === 'unknown' ? v.reason : 'the rule list cannot be resolved'));
      continue;
    }
    for (const item of v.items) {
      for (const { value } of alternatives(item)) {
        if (value.t === 'map') out.push(ruleOf(value.node, groupKey, scope));
        else if (value.t !== 'none') out.push(unknownRule(value.span, value.t === 'unknown' ? value.reason : 'the rule cannot be resolved'));
      }
    }
  }
  return out;
}

function unknownRule(span: Span, reason: string): SgRule {
  return { span, protocol: { state: 'unknown', reason }, fromPort: { state: 'unknown' }, toPort: { state: 'unknown' } };
}

/**
 * Whether an inline `SecurityGroupEgress` replaces AWS's default allow-all rule on every branch. An
 * absent, empty (CloudFormation keeps the default for `[]`) or possibly empty list does not.
 */
function egressReplacesDefault(node: Node | undefined, scope: Scope): boolean {
  if (!node) return false;
  return alternatives(evaluate(node, scope)).every(({ value: v }) => {
    if (v.t !== 'list') return v.t !== 'none';
    return v.items.some((item) => alternatives(item).every((a) => a.value.t !== 'none'));
  });
}

/** One security group rule, inline or standalone; `groupKey` names the other group's key (source or destination). */
export function ruleOf(map: MapNode, groupKey: string, scope: Scope): SgRule {
  const rule: SgRule = {
    span: { start: map.start, end: map.end },
    protocol: stringFact(get(map, 'IpProtocol'), scope),
    fromPort: numberFact(get(map, 'FromPort'), scope),
    toPort: numberFact(get(map, 'ToPort'), scope),
  };
  const cidr = get(map, 'CidrIp');
  if (cidr) rule.cidr = stringFact(cidr, scope);
  const cidr6 = get(map, 'CidrIpv6');
  if (cidr6) rule.cidrIpv6 = stringFact(cidr6, scope);
  const group = get(map, groupKey) ?? get(map, groupKey === 'SourceSecurityGroupId' ? 'SourceSecurityGroupName' : 'DestinationSecurityGroupName');
  if (group) rule.group = refOf(group, scope);
  const prefix = get(map, groupKey === 'SourceSecurityGroupId' ? 'SourcePrefixListId' : 'DestinationPrefixListId');
  if (prefix) rule.prefixList = refOf(prefix, scope);
  return rule;
}

function naclEntryOf(r: Resource, scope: Scope): NaclEntry {
  const p = r.properties;
  const action = litString(evaluate(get(p, 'RuleAction'), scope))?.toLowerCase();
  const egress = evaluate(get(p, 'Egress'), scope);
  const range = get(p, 'PortRange');
  const from = numberFact(get(range, 'From'), scope).value;
  const to = numberFact(get(range, 'To'), scope).value;
  const entry: NaclEntry = {
    span: r.keySpan,
    resource: r.id,
    ruleNumber: numberFact(get(p, 'RuleNumber'), scope).value ?? 32766,
    protocol: stringFact(get(p, 'Protocol'), scope),
    allow: action === 'allow',
    egress: egress.t === 'lit' && String(egress.v).toLowerCase() === 'true',
    cidr: stringFact(get(p, 'CidrBlock') ?? get(p, 'Ipv6CidrBlock'), scope),
  };
  if (from !== undefined) entry.from = from;
  if (to !== undefined) entry.to = to;
  // An entry whose action, direction, number or ports are not known may be anything: say so, not guess.
  const unknown = [
    action === undefined ? 'RuleAction' : undefined,
    egress.t !== 'lit' && egress.t !== 'none' ? 'Egress' : undefined,
    numberFact(get(p, 'RuleNumber'), scope).value === undefined ? 'RuleNumber' : undefined,
    range && (from === undefined || to === undefined) ? 'PortRange' : undefined,
  ].filter((k): k is string => !!k);
  if (unknown.length) entry.unknown = `${unknown.join(', ')} cannot be resolved`;
  if (r.condition) entry.condition = r.condition;
  return entry;
}

/** `com.amazonaws.us-east-1.s3` -> `s3`; `com.amazonaws.eu-west-1.ecr.dkr` -> `ecr.dkr`. */
export function serviceOfEndpointName(name: string): string | undefined {
  const m = /^(?:aws\.sagemaker\.|cn\.)?com\.amazonaws\.(?:[a-z]{2}(?:-[a-z]+)+-\d|\u0000|<[^>]*>)\.([a-z0-9][a-z0-9.-]*)$/.exec(name);
  if (m) return m[1];
  return undefined;
}

export { isMap, str };

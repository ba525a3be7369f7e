/**
 * Merges live facts into the model. Every id the template refers to without defining it (hard-coded,
 * given as a parameter value, imported, read from SSM) that the host read from the account becomes a
 * model object, keyed by its physical id and marked `live`, with what it leads to: a subnet brings its
 * VPC, route table, NAT gateways and network ACL; a VPC brings its endpoints. The references then point
 * at those objects, so the rules read them as they read the template's own. The objects take the span of
 * the reference that brought them in, so related information points into the template.
 *
 * It also records what the model still cannot resolve (`model.lookups`), for the host's next lookup.
 */
import type { LiveFacts, LiveIdKind, LiveNaclEntry, LivePermission, LiveRoute } from '../live';
import { LIVE_ID_PATTERNS, liveIdKind, liveLabel } from '../live';
import type { MapNode, Node, Span } from '../tree';
import { get } from '../tree';
import { refOf, refsOf } from './facts';
import { ruleOf, serviceOfEndpointName } from './network';
import type {
  AzFact, Fact, Model, NaclEntry, NatGateway, NetworkAcl, Resource, ResourceRef, Route, RouteTable, SecurityGroup, SgRule, Subnet, Vpc,
  VpcEndpoint,
} from './types';
import type { Scope } from './values';
import { evaluate } from './values';

/** Endpoint states that mean the endpoint is there (or about to be). */
const LIVE_ENDPOINT_STATES = new Set(['available', 'pending', 'pendingacceptance', 'pending-acceptance']);

type Ensured = Subnet | SecurityGroup | Vpc | RouteTable | NatGateway;

export function mergeLiveFacts(model: Model, scope: Scope, live: LiveFacts | undefined): void {
  const unresolved = new Set<string>();
  const merger = live ? new Merger(model, live) : undefined;

  /** Points a reference at the live object its literal names, or notes the id as one to look up. */
  const link = (ref: ResourceRef | undefined, kind: LiveIdKind): Ensured | undefined => {
    if (!ref || ref.id !== undefined || ref.state === 'unknown' || ref.literal === undefined) return undefined;
    const id = ref.literal.trim();
    const found = merger?.ensure(kind, id, ref.span);
    if (found) ref.id = id;
    else if (LIVE_ID_PATTERNS[kind].test(id)) unresolved.add(id);
    return found;
  };
  const linkAny = (ref: ResourceRef | undefined) => {
    const kind = ref?.literal ? liveIdKind(ref.literal.trim()) : undefined;
    if (kind) link(ref, kind);
  };

  const templateSubnets = [...model.subnets.values()];
  const templateTables = [...model.routeTables.values()];
  const templateNats = [...model.natGateways.values()];
  const templateEndpoints = [...model.endpoints.values()];
  const templateGroups = [...model.securityGroups.values()];
  const templateAcls = [...model.networkAcls.values()];

  for (const fn of model.functions) {
    for (const variant of fn.variants) {
      if (!variant.vpc) continue;
      for (const ref of variant.vpc.subnetIds.items) link(ref, 'subnets');
      for (const ref of variant.vpc.securityGroupIds.items) link(ref, 'securityGroups');
    }
  }
  for (const subnet of templateSubnets) {
    const vpc = link(subnet.vpc, 'vpcs') as Vpc | undefined;
    // In an existing VPC, a subnet without an association uses that VPC's main table, which may route anywhere.
    if (vpc && subnet.routeTable.main) {
      const main = merger?.mainTable(vpc.id, subnet.vpc.span);
      subnet.routeTable = main ? { state: 'known', id: main.id, main: false } : { state: 'unknown', main: false };
    }
  }
  for (const table of templateTables) {
    link(table.vpc, 'vpcs');
    for (const route of table.routes) if (route.target === 'nat-gateway') link(route.targetRef, 'natGateways');
  }
  for (const nat of templateNats) link(nat.subnet, 'subnets');
  for (const endpoint of templateEndpoints) {
    link(endpoint.vpc, 'vpcs');
    for (const ref of endpoint.routeTableIds.items) link(ref, 'routeTables');
    for (const ref of endpoint.subnetIds.items) link(ref, 'subnets');
    for (const ref of endpoint.securityGroupIds.items) link(ref, 'securityGroups');
  }
  for (const group of templateGroups) {
    link(group.vpc, 'vpcs');
    for (const rule of [...group.ingress, ...(group.inlineEgress ?? []), ...group.standaloneEgress]) if (rule.group) linkAny(rule.group);
  }
  for (const acl of templateAcls) link(acl.vpc, 'vpcs');
  for (const db of model.databases.values()) for (const ref of db.securityGroups.items) link(ref, 'securityGroups');

  // Template resources that change existing ones: associations, routes, rules and entries on live ids.
  // Only in a live analysis (facts given, even none yet): the others need not evaluate them twice.
  const templateResources = merger ? model.resources.values() : [];
  const prop = (r: Resource, key: string) => get(r.properties, key);
  const liveRef = (node: Node | undefined, kind: LiveIdKind) => {
    const refs = refsOf(evaluate(node, scope));
    for (const ref of refs) link(ref, kind);
    return refs;
  };
  for (const r of templateResources) {
    switch (r.type) {
      case 'AWS::EC2::SubnetRouteTableAssociation': {
        const subnets = liveRef(prop(r, 'SubnetId'), 'subnets');
        const table = liveRef(prop(r, 'RouteTableId'), 'routeTables')[0];
        const tableId = table?.id && model.routeTables.has(table.id) ? table.id : undefined;
        for (const ref of subnets) {
          const subnet = ref.id ? model.subnets.get(ref.id) : undefined;
          // A template subnet already has the association, unless its table is a live one.
          if (!subnet || (!subnet.live && !(table?.id && model.routeTables.get(table.id)?.live))) continue;
          subnet.routeTable = tableId ? { state: 'known', id: tableId, main: false, associationSpan: r.keySpan } : { state: 'unknown', main: false, associationSpan: r.keySpan };
        }
        break;
      }
      case 'AWS::EC2::Route': {
        // A route the template adds to an existing table: its table's egress is no longer what the account says.
        for (const ref of liveRef(prop(r, 'RouteTableId'), 'routeTables')) {
          const table = ref.id ? model.routeTables.get(ref.id) : undefined;
          if (table?.live) table.routes.push(unknownRoute(r));
        }
        break;
      }
      case 'AWS::EC2::SecurityGroupIngress':
      case 'AWS::EC2::SecurityGroupEgress': {
        const ingress = r.type === 'AWS::EC2::SecurityGroupIngress';
        for (const ref of liveRef(prop(r, 'GroupId'), 'securityGroups')) {
          const group = ref.id ? model.securityGroups.get(ref.id) : undefined;
          if (!group?.live || !r.properties) continue;
          const rule = { ...ruleOf(r.properties, ingress ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId', scope), resource: r.id, span: r.keySpan };
          if (rule.group) linkAny(rule.group);
          if (ingress) group.ingress.push(rule);
          else (group.inlineEgress ??= []).push(rule);
        }
        break;
      }
      case 'AWS::EC2::SubnetNetworkAclAssociation': {
        const subnet = liveRef(prop(r, 'SubnetId'), 'subnets')[0];
        const live = subnet?.id ? model.subnets.get(subnet.id) : undefined;
        const acl = refOf(prop(r, 'NetworkAclId'), scope);
        const aclId = acl?.id ?? (acl?.literal && merger?.ensureAcl(acl.literal, acl.span)?.id);
        if (!live?.live || !aclId || !model.networkAcls.has(aclId)) continue;
        live.networkAcl = aclId;
        model.networkAcls.get(aclId)!.subnets.push(live.id);
        break;
      }
      case 'AWS::EC2::NetworkAclEntry': {
        const acl = refOf(prop(r, 'NetworkAclId'), scope);
        const target = acl?.literal ? merger?.ensureAcl(acl.literal, acl.span) : undefined;
        if (target) target.entries.push({ span: r.keySpan, resource: r.id, ruleNumber: 0, protocol: { state: 'unknown' }, allow: true, egress: false, cidr: { state: 'unknown' }, unknown: 'an entry the template adds to an existing network ACL' });
        break;
      }
      case 'AWS::EC2::VPCGatewayAttachment': {
        const vpc = refOf(prop(r, 'VpcId'), scope);
        const found = vpc ? (link(vpc, 'vpcs') as Vpc | undefined) : undefined;
        const igw = refOf(prop(r, 'InternetGatewayId'), scope);
        if (found && igw?.id) found.internetGateways.push(igw.id);
        break;
      }
    }
  }

  model.lookups = {
    ids: unresolved,
    exports: new Set(scope.wanted?.exports ?? []),
    ssm: new Set(scope.wanted?.ssm ?? []),
    stacks: new Set(scope.wanted?.stacks ?? []),
    nested: new Set(scope.wanted?.nested ?? []),
  };
  if (merger) model.live = { region: merger.region, ids: merger.ids, sources: scope.sources ?? new Map() };
}

function unknownRoute(r: Resource): Route {
  const reason = 'a route the template adds to an existing route table';
  return { id: r.id, span: r.keySpan, destination: { state: 'unknown', reason }, ipv6: false, target: 'other', targetRef: { state: 'unknown', span: r.keySpan, reason } };
}


/** Builds model objects from live facts on demand, each once, following what each one leads to. */
class Merger {
  readonly region: string;
  readonly ids = new Set<string>();
  private readonly subnets: Map<string, LiveFacts['subnets'][number]>;
  private readonly vpcs: Map<string, LiveFacts['vpcs'][number]>;
  private readonly tables: Map<string, LiveFacts['routeTables'][number]>;
  private readonly nats: Map<string, LiveFacts['natGateways'][number]>;
  private readonly groups: Map<string, LiveFacts['securityGroups'][number]>;
  private readonly acls: Map<string, LiveFacts['networkAcls'][number]>;
  private readonly endpointsByVpc = new Map<string, LiveFacts['endpoints']>();

  constructor(
    private readonly model: Model,
    private readonly live: LiveFacts,
  ) {
    this.region = live.region;
    const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));
    this.subnets = byId(live.subnets);
    this.vpcs = byId(live.vpcs);
    this.tables = byId(live.routeTables);
    this.nats = byId(live.natGateways);
    this.groups = byId(live.securityGroups);
    this.acls = byId(live.networkAcls);
    for (const e of live.endpoints) {
      if (e.state !== undefined && !LIVE_ENDPOINT_STATES.has(e.state.toLowerCase())) continue;
      const list = this.endpointsByVpc.get(e.vpcId) ?? [];
      list.push(e);
      this.endpointsByVpc.set(e.vpcId, list);
    }
  }

  ensure(kind: LiveIdKind, id: string, span: Span): Ensured | undefined {
    switch (kind) {
      case 'subnets': return this.ensureSubnet(id, span);
      case 'securityGroups': return this.ensureGroup(id, span);
      case 'vpcs': return this.ensureVpc(id, span);
      case 'routeTables': return this.ensureTable(id, span);
      case 'natGateways': return this.ensureNat(id, span);
    }
  }

  /** The VPC's main route table, for template subnets without an association in an existing VPC. */
  mainTable(vpcId: string, span: Span): RouteTable | undefined {
    const main = this.vpcs.get(vpcId)?.mainRouteTable;
    return main ? this.ensureTable(main, span) : undefined;
  }

  private base(id: string, type: string, span: Span): Resource {
    this.ids.add(id);
    const node: MapNode = { kind: 'map', pairs: [], flow: true, start: span.start, end: span.end };
    return { id, type, node, properties: undefined, keySpan: { start: span.start, end: span.end }, dependsOn: [], ignore: [], live: { region: this.region } };
  }

  private known<T>(value: T | undefined, span: Span, what: string): Fact<T> {
    return value === undefined ? { state: 'unknown', reason: `the account did not say its ${what} (${liveLabel(this.region)})` } : { state: 'known', value, span };
  }

  /** A reference from a live object to another: by id when that one is known too, else a bare id. */
  private ref(kind: LiveIdKind, id: string | undefined, span: Span): ResourceRef {
    if (!id) return { state: 'unknown', span, reason: `the account did not say (${liveLabel(this.region)})` };
    const found = this.ensure(kind, id, span);
    return found ? { state: 'known', id, literal: id, span } : { state: 'known', literal: id, span };
  }

  ensureVpc(id: string, span: Span): Vpc | undefined {
    const existing = this.model.vpcs.get(id);
    if (existing) return existing.live ? existing : undefined;
    const lv = this.vpcs.get(id);
    if (!lv) return undefined;
    const reason = `DNS attributes are not read from the account (${liveLabel(this.region)})`;
    const vpc: Vpc = {
      ...this.base(id, 'AWS::EC2::VPC', span),
      cidr: this.known(lv.cidr, span, 'CIDR'),
      enableDnsSupport: { state: 'unknown', reason },
      enableDnsHostnames: { state: 'unknown', reason },
      tenancy: this.known(lv.tenancy, span, 'tenancy'),
      internetGateways: [],
    };
    this.model.vpcs.set(id, vpc);
    if (!lv.endpointsListed) {
      // Endpoints that could not be listed: one whose service is unknown keeps "the VPC has no endpoint for X" unsaid.
      const marker = `${id}/endpoints`;
      this.model.endpoints.set(marker, {
        ...this.base(marker, 'AWS::EC2::VPCEndpoint', span),
        vpc: { state: 'known', id, literal: id, span },
        endpointType: 'unknown',
        serviceName: { state: 'unknown', reason: `the endpoints of ${id} could not be listed` },
        routeTableIds: { state: 'unknown', items: [] },
        subnetIds: { state: 'unknown', items: [] },
        securityGroupIds: { state: 'unknown', items: [] },
        privateDns: { state: 'unknown' },
      });
    } else {
      for (const e of this.endpointsByVpc.get(id) ?? []) this.ensureEndpoint(e, span);
    }
    return vpc;
  }

  private ensureEndpoint(le: LiveFacts['endpoints'][number], span: Span): void {
    if (this.model.endpoints.has(le.id)) return;
    const type = le.type === 'Gateway' || le.type === 'Interface' || le.type === 'GatewayLoadBalancer' ? le.type : 'unknown';
    const list = (kind: LiveIdKind, ids: string[]) => ({ state: 'known' as const, items: ids.map((i) => this.ref(kind, i, span)) });
    const endpoint: VpcEndpoint = {
      ...this.base(le.id, 'AWS::EC2::VPCEndpoint', span),
      vpc: { state: 'known', id: le.vpcId, literal: le.vpcId, span },
      endpointType: type,
      serviceName: { state: 'known', value: le.serviceName, span },
      routeTableIds: { state: 'known', items: [] },
      subnetIds: { state: 'known', items: [] },
      securityGroupIds: { state: 'known', items: [] },
      privateDns: { state: 'known', value: le.privateDns, span },
    };
    const service = serviceOfEndpointName(le.serviceName);
    if (service) endpoint.service = service;
    this.model.endpoints.set(le.id, endpoint);
    endpoint.routeTableIds = list('routeTables', le.routeTableIds);
    endpoint.subnetIds = list('subnets', le.subnetIds);
    endpoint.securityGroupIds = list('securityGroups', le.securityGroupIds);
  }

  ensureSubnet(id: string, span: Span): Subnet | undefined {
    const existing = this.model.subnets.get(id);
    if (existing) return existing.live ? existing : undefined;
    const ls = this.subnets.get(id);
    if (!ls) return undefined;
    const az: AzFact = ls.availabilityZone
      ? { kind: 'name', value: ls.availabilityZone, span, state: 'known' }
      : ls.availabilityZoneId
        ? { kind: 'id', value: ls.availabilityZoneId, span, state: 'known' }
        : { kind: 'unknown', span, reason: `the account did not say its Availability Zone (${liveLabel(this.region)})` };
    const subnet: Subnet = {
      ...this.base(id, 'AWS::EC2::Subnet', span),
      vpc: { state: 'known', literal: ls.vpcId, span },
      az,
      cidr: this.known(ls.cidr, span, 'CIDR'),
      ipv6Cidr: ls.ipv6Cidrs.length > 0,
      routeTable: { state: 'unknown', main: false },
    };
    this.model.subnets.set(id, subnet);
    subnet.vpc = this.ref('vpcs', ls.vpcId, span);
    const table = ls.routeTable ? this.ensureTable(ls.routeTable, span) : undefined;
    if (table) subnet.routeTable = { state: 'known', id: table.id, main: false };
    const acl = ls.networkAcl ? this.ensureAcl(ls.networkAcl, span) : undefined;
    if (acl) {
      subnet.networkAcl = acl.id;
      if (!acl.subnets.includes(id)) acl.subnets.push(id);
    }
    return subnet;
  }

  ensureTable(id: string, span: Span): RouteTable | undefined {
    const existing = this.model.routeTables.get(id);
    if (existing) return existing.live ? existing : undefined;
    const lt = this.tables.get(id);
    if (!lt) return undefined;
    const table: RouteTable = { ...this.base(id, 'AWS::EC2::RouteTable', span), vpc: { state: 'known', literal: lt.vpcId, span }, routes: [] };
    this.model.routeTables.set(id, table);
    table.vpc = this.ref('vpcs', lt.vpcId, span);
    table.routes = lt.routes.map((r, i) => this.route(id, i, r, span));
    return table;
  }

  private route(tableId: string, index: number, r: LiveRoute, span: Span): Route {
    const destination = r.destination ?? r.ipv6Destination ?? r.prefixList;
    const target = r.blackhole ? 'other' : r.target;
    let targetRef: ResourceRef;
    if (!r.targetId) targetRef = { state: 'unknown', span, reason: 'the route has no target' };
    else if (target === 'nat-gateway') targetRef = this.ref('natGateways', r.targetId, span);
    else targetRef = { state: 'known', literal: r.targetId, span };
    return {
      id: `${tableId}#${index}`,
      span,
      destination: destination === undefined ? { state: 'unknown', reason: 'the route has no destination' } : { state: 'known', value: destination, span },
      ipv6: r.destination === undefined && r.ipv6Destination !== undefined,
      target,
      targetRef,
    };
  }

  ensureNat(id: string, span: Span): NatGateway | undefined {
    const existing = this.model.natGateways.get(id);
    if (existing) return existing.live ? existing : undefined;
    const ln = this.nats.get(id);
    if (!ln) return undefined;
    const nat: NatGateway = {
      ...this.base(id, 'AWS::EC2::NatGateway', span),
      subnet: { state: 'unknown', span },
      allocationId: this.known(ln.allocationId, span, 'Elastic IP allocation'),
      connectivity: { state: 'known', value: ln.connectivity, span },
      regional: ln.regional === true,
    };
    this.model.natGateways.set(id, nat);
    nat.subnet = this.ref('subnets', ln.subnetId, span);
    return nat;
  }

  ensureGroup(id: string, span: Span): SecurityGroup | undefined {
    const existing = this.model.securityGroups.get(id);
    if (existing) return existing.live ? existing : undefined;
    const lg = this.groups.get(id);
    if (!lg) return undefined;
    const group: SecurityGroup = { ...this.base(id, 'AWS::EC2::SecurityGroup', span), vpc: undefined, ingress: [], inlineEgress: [], standaloneEgress: [] };
    this.model.securityGroups.set(id, group);
    if (lg.vpcId) group.vpc = this.ref('vpcs', lg.vpcId, span);
    group.ingress = lg.ingress.flatMap((p) => this.rules(p, span));
    // The account lists the whole egress, AWS's default allow-all rule included when it is there.
    group.inlineEgress = lg.egress.flatMap((p) => this.rules(p, span));
    return group;
  }

  private rules(p: LivePermission, span: Span): SgRule[] {
    const all = p.protocol === '-1' || p.protocol.toLowerCase() === 'all';
    const port = (n: number | undefined): Fact<number> => (n === undefined ? (all ? { state: 'known' } : { state: 'unknown', reason: 'no port range' }) : { state: 'known', value: n, span });
    const base = (): SgRule => ({ span, protocol: { state: 'known', value: p.protocol, span }, fromPort: port(p.fromPort), toPort: port(p.toPort) });
    const out: SgRule[] = [];
    for (const cidr of p.cidrs) out.push({ ...base(), cidr: { state: 'known', value: cidr, span } });
    for (const cidr of p.ipv6Cidrs) out.push({ ...base(), cidrIpv6: { state: 'known', value: cidr, span } });
    for (const g of p.groups) out.push({ ...base(), group: this.ref('securityGroups', g, span) });
    for (const pl of p.prefixLists) out.push({ ...base(), prefixList: { state: 'known', literal: pl, span } });
    return out;
  }

  ensureAcl(id: string, span: Span): NetworkAcl | undefined {
    const existing = this.model.networkAcls.get(id);
    if (existing) return existing.live ? existing : undefined;
    const la = this.acls.get(id);
    if (!la) return undefined;
    const acl: NetworkAcl = { ...this.base(id, 'AWS::EC2::NetworkAcl', span), vpc: { state: 'known', literal: la.vpcId, span }, entries: [], subnets: [] };
    this.model.networkAcls.set(id, acl);
    acl.vpc = this.ref('vpcs', la.vpcId, span);
    acl.entries = la.entries.map((e) => this.entry(id, e, span));
    return acl;
  }

  private entry(aclId: string, e: LiveNaclEntry, span: Span): NaclEntry {
    const entry: NaclEntry = {
      span,
      resource: `${aclId}#${e.egress ? 'egress' : 'ingress'}-${e.ruleNumber}`,
      ruleNumber: e.ruleNumber,
      protocol: { state: 'known', value: e.protocol, span },
      allow: e.allow,
      egress: e.egress,
      cidr: this.known(e.cidr ?? e.ipv6Cidr, span, 'CIDR'),
    };
    if (e.from !== undefined) entry.from = e.from;
    if (e.to !== undefined) entry.to = e.to;
    return entry;
  }
}

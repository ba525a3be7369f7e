/**
 * Questions rules ask of the model, answered in one place: a function's subnets, a subnet's way out,
 * the VPC a function lives in, the endpoints of a VPC, the actions a role allows.
 */
import { natInstanceDeadEnd } from './nat-instance';
import { GATEWAY_SERVICES, endpointServes, endpointServiceOf, wildcardRegExp } from './services';
import type {
  LambdaFunction, Model, ResourceRef, Role, Route, SecurityGroup, State, Subnet, VpcAttachment, VpcEndpoint,
} from './types';

export interface FunctionSubnet {
  ref: ResourceRef;
  /** The subnet resource, when the reference points at one in the template. */
  subnet?: Subnet;
}

/** Per model and attachment, computed once: a dozen rules ask it of every function. Callers must not mutate it. */
const subnetsOfAttachment = new WeakMap<Model, WeakMap<VpcAttachment, readonly FunctionSubnet[]>>();

export function functionSubnets(model: Model, vpc: VpcAttachment): readonly FunctionSubnet[] {
  let byVpc = subnetsOfAttachment.get(model);
  if (!byVpc) subnetsOfAttachment.set(model, (byVpc = new WeakMap()));
  let list = byVpc.get(vpc);
  if (!list) {
    list = vpc.subnetIds.items.map((ref) => {
      const subnet = ref.id ? model.subnets.get(ref.id) : undefined;
      return subnet ? { ref, subnet } : { ref };
    });
    byVpc.set(vpc, list);
  }
  return list;
}

export function functionGroups(model: Model, vpc: VpcAttachment): { ref: ResourceRef; group?: SecurityGroup }[] {
  return vpc.securityGroupIds.items.map((ref) => {
    const group = ref.id ? model.securityGroups.get(ref.id) : undefined;
    return group ? { ref, group } : { ref };
  });
}

export type EgressKind =
  | 'nat'          // a public NAT gateway
  | 'private-nat'  // a NAT gateway with ConnectivityType: private
  | 'nat-instance'
  | 'nat-instance-no-internet' // a NAT instance that cannot reach the internet itself (`why` says how)
  | 'transit'      // transit gateway, firewall endpoint, core network, VPN gateway: counted as egress
  | 'internet-gateway'
  | 'peering'
  | 'none'         // isolated: no default route
  | 'unknown';

export interface Egress {
  kind: EgressKind;
  route?: Route;
  /** The route table in effect. */
  routeTable?: string;
  /** The NAT gateway's logical id, for `nat` and `private-nat`. */
  nat?: string;
  /** Why a NAT instance gives no internet access, for `nat-instance-no-internet`. */
  why?: string;
  state: State;
  param?: string;
  conditions?: string[];
}

/**
 * A subnet's way out. `active` narrows the routes to those that exist on one combination of `Fn::If`
 * branches; without it a conditional default route counts, an unconditional one first.
 */
export function subnetEgress(model: Model, subnet: Subnet, active?: (route: Route) => boolean): Egress {
  if (active) return computeEgress(model, subnet, active);
  // Without a route filter the answer depends on the subnet alone: every rule asks it of every function's subnets.
  let bySubnet = egressOfSubnet.get(model);
  if (!bySubnet) egressOfSubnet.set(model, (bySubnet = new Map()));
  let egress = bySubnet.get(subnet);
  if (!egress) bySubnet.set(subnet, (egress = computeEgress(model, subnet)));
  return egress;
}

const egressOfSubnet = new WeakMap<Model, Map<Subnet, Egress>>();

function computeEgress(model: Model, subnet: Subnet, active?: (route: Route) => boolean): Egress {
  const rt = subnet.routeTable;
  if (rt.state === 'unknown') return { kind: 'unknown', state: 'unknown' };
  if (rt.main || !rt.id) {
    // Only a template VPC's main table is known to hold just the local route; another stack's may route anywhere.
    if (!subnet.vpc.id || !model.vpcs.has(subnet.vpc.id)) return { kind: 'unknown', state: 'unknown' };
    return { kind: 'none', state: 'known' };
  }
  const table = model.routeTables.get(rt.id);
  if (!table) return { kind: 'unknown', state: 'unknown', routeTable: rt.id };
  const defaults = table.routes.filter((r) => !r.ipv6 && (!active || active(r)) && (r.destination.value === '0.0.0.0/0' || r.destination.state === 'unknown'));
  const known = defaults.filter((r) => r.destination.value === '0.0.0.0/0');
  const route = known.find((r) => !r.conditions?.length) ?? known[0];
  if (!route) {
    if (defaults.length > 0) return { kind: 'unknown', state: 'unknown', routeTable: rt.id };
    return { kind: 'none', state: 'known', routeTable: rt.id };
  }
  const base = { route, routeTable: rt.id, state: route.destination.state, param: route.destination.param, conditions: route.conditions };
  switch (route.target) {
    case 'nat-gateway': {
      const nat = route.targetRef.id ? model.natGateways.get(route.targetRef.id) : undefined;
      if (!nat) return { ...base, kind: route.targetRef.state === 'unknown' ? 'unknown' : 'nat', state: route.targetRef.state === 'unknown' ? 'unknown' : base.state };
      if (nat.connectivity.state === 'unknown') return { ...base, kind: 'unknown', nat: nat.id, state: 'unknown' };
      return { ...base, kind: nat.connectivity.value === 'private' ? 'private-nat' : 'nat', nat: nat.id, param: base.param ?? nat.connectivity.param };
    }
    case 'nat-instance': {
      const why = natInstanceDeadEnd(model, route);
      return why ? { ...base, kind: 'nat-instance-no-internet', why } : { ...base, kind: 'nat-instance' };
    }
    case 'transit-gateway':
    case 'vpc-endpoint':
    case 'core-network':
    case 'vpn-gateway':
    case 'local-gateway':
    case 'carrier-gateway':
      return { ...base, kind: 'transit' };
    case 'internet-gateway':
      return { ...base, kind: 'internet-gateway' };
    case 'peering':
      return { ...base, kind: 'peering' };
    case 'egress-only-gateway':
      return { ...base, kind: 'none' };
    default:
      return { ...base, kind: 'unknown', state: 'unknown' };
  }
}

/** Whether the egress reaches the internet (and so every service). */
export function reachesInternet(kind: EgressKind): boolean {
  return kind === 'nat' || kind === 'nat-instance' || kind === 'transit';
}

/** The VPC of the function's subnets, when they all resolve to one in the template (computed once per attachment). */
const vpcOfAttachment = new WeakMap<VpcAttachment, string | undefined>();

export function functionVpcId(model: Model, vpc: VpcAttachment): string | undefined {
  if (vpcOfAttachment.has(vpc)) return vpcOfAttachment.get(vpc);
  const ids = new Set<string>();
  for (const { subnet } of functionSubnets(model, vpc)) {
    if (subnet?.vpc.id) ids.add(subnet.vpc.id);
  }
  const id = ids.size === 1 ? [...ids][0] : undefined;
  vpcOfAttachment.set(vpc, id);
  return id;
}

/** Indexes built once per model, so that rules stay linear in the template's size. */
interface ModelIndex {
  endpointsByVpc: Map<string, VpcEndpoint[]>;
  subnetsByVpc: Map<string, Subnet[]>;
  attachedByVpc: Map<string, { fn: LambdaFunction; variant: LambdaFunction['variants'][number]; vpc: VpcAttachment }[]>;
}

const indexes = new WeakMap<Model, ModelIndex>();

function indexOf(model: Model): ModelIndex {
  let index = indexes.get(model);
  if (index) return index;
  index = { endpointsByVpc: new Map(), subnetsByVpc: new Map(), attachedByVpc: new Map() };
  for (const subnet of model.subnets.values()) {
    if (!subnet.vpc.id) continue;
    const list = index.subnetsByVpc.get(subnet.vpc.id);
    if (list) list.push(subnet);
    else index.subnetsByVpc.set(subnet.vpc.id, [subnet]);
  }
  for (const e of model.endpoints.values()) {
    if (!e.vpc.id) continue;
    const list = index.endpointsByVpc.get(e.vpc.id);
    if (list) list.push(e);
    else index.endpointsByVpc.set(e.vpc.id, [e]);
  }
  for (const fn of model.functions) {
    for (const variant of fn.variants) {
      if (!variant.vpc) continue;
      const vpcId = functionVpcId(model, variant.vpc);
      if (!vpcId) continue;
      const entry = { fn, variant, vpc: variant.vpc };
      const list = index.attachedByVpc.get(vpcId);
      if (list) list.push(entry);
      else index.attachedByVpc.set(vpcId, [entry]);
    }
  }
  indexes.set(model, index);
  return index;
}

export function endpointsInVpc(model: Model, vpcId: string | undefined): VpcEndpoint[] {
  if (!vpcId) return [];
  return indexOf(model).endpointsByVpc.get(vpcId) ?? [];
}

/** The template's subnets in the VPC, in template order. */
export function subnetsInVpc(model: Model, vpcId: string): readonly Subnet[] {
  return indexOf(model).subnetsByVpc.get(vpcId) ?? [];
}

/** The attached function variants whose subnets are in the VPC. */
export function attachedInVpc(model: Model, vpcId: string): readonly { fn: LambdaFunction; variant: LambdaFunction['variants'][number]; vpc: VpcAttachment }[] {
  return indexOf(model).attachedByVpc.get(vpcId) ?? [];
}

/** The endpoints in the VPC that serve the service prefix. */
export function endpointsFor(model: Model, vpcId: string | undefined, prefix: string): VpcEndpoint[] {
  return endpointsInVpc(model, vpcId).filter((e) => e.service !== undefined && endpointServes(e.service, prefix));
}

/** Whether the VPC may have an endpoint for the prefix that the model cannot see (unknown service names). */
export function vpcHasUnknownEndpoints(model: Model, vpcId: string | undefined): boolean {
  return endpointsInVpc(model, vpcId).some((e) => e.service === undefined);
}

export function hasEndpointService(prefix: string): boolean {
  return endpointServiceOf(prefix).endpoint !== undefined;
}

export function isGatewayService(prefix: string): boolean {
  return GATEWAY_SERVICES.has(prefix);
}

/** Every action a role allows, with where it comes from. */
export function allowedActions(role: Role): { action: string; source: Role['sources'][number] }[] {
  const out: { action: string; source: Role['sources'][number] }[] = [];
  for (const source of role.sources) {
    for (const st of source.statements) {
      if (st.effect !== 'Allow' || st.notAction) continue;
      for (const a of st.actions) if (a.value) out.push({ action: a.value, source });
    }
  }
  return out;
}

/** Whether an action pattern (`ec2:*`, `ec2:Create*`, `*`) covers a concrete action. */
export function actionCovers(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern.length === action.length && pattern.toLowerCase() === action.toLowerCase();
  // A pattern of another service cannot match: most of a large managed policy is settled without a regular expression.
  const colon = pattern.indexOf(':');
  if (colon > 0 && !pattern.slice(0, colon).includes('*') && pattern.slice(0, colon + 1).toLowerCase() !== action.slice(0, colon + 1).toLowerCase()) return false;
  let re = actionPatterns.get(pattern);
  if (!re) {
    // Patterns come from the templates being edited: keep the cache bounded in a long-lived server.
    if (actionPatterns.size >= 1000) actionPatterns.clear();
    re = wildcardRegExp(pattern, 'i');
    actionPatterns.set(pattern, re);
  }
  return re.test(action);
}

/** Compiled action patterns: every role's statements are matched against the same few actions per function. */
const actionPatterns = new Map<string, RegExp>();

export function roleOf(model: Model, fn: LambdaFunction): Role | undefined {
  return fn.role.id ? model.roles.get(fn.role.id) : undefined;
}

/** The AZ key of a subnet for comparisons: `name:us-east-1a`, `id:use1-az1`, `index:0`; undefined when unknown. */
export function azKey(subnet: Subnet): string | undefined {
  const az = subnet.az;
  if (az.kind === 'unknown') return undefined;
  return `${az.kind}:${az.value}`;
}

export function azLabel(subnet: Subnet): string {
  const az = subnet.az;
  if (az.kind === 'unknown') return 'an unknown AZ';
  if (az.kind === 'index') return `AZ #${az.value} of the region`;
  return az.value;
}

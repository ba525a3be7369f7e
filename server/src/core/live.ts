/**
 * Live facts: what the account says about the network a template does not define (hard-coded
 * `subnet-...` ids, parameter values, `Fn::ImportValue`, SSM values), as plain data the host reads from
 * AWS and hands to `analyze()` as `AnalyzeOptions.live`. The core never calls AWS: a first analysis
 * tells the host what it needs (`unresolvedIds`), the host fetches it, and a second analysis merges it
 * into the model (`model/live.ts`) as known facts marked with their region. Anything the host could not
 * read is simply absent, so the facts that needed it stay unknown and the rules stay silent.
 */
import type { Model, RouteTargetKind } from './model/types';
import type { Finding } from './types';
import { withFindingFields } from './types';

export interface LiveFacts {
  /** The region the facts were read in; named in messages (`subnet-0abc (live, us-east-1)`). */
  region: string;
  vpcs: LiveVpc[];
  subnets: LiveSubnet[];
  routeTables: LiveRouteTable[];
  natGateways: LiveNatGateway[];
  endpoints: LiveEndpoint[];
  securityGroups: LiveSecurityGroup[];
  networkAcls: LiveNetworkAcl[];
  /** CloudFormation exports by name (`ListExports`). */
  exports: Record<string, string>;
  /** SSM parameters by the name the template uses (`GetParameter`); SecureStrings are never read. */
  ssmParameters: Record<string, LiveSsmParameter>;
  /** Reported as warning problems: lookups that failed, so some facts stay unknown. */
  notices?: string[];
  /** The name of the stack this template is deployed as, when the host was given or found one. */
  stackName?: string;
  /** Deployed stacks by name (`DescribeStacks`): this template's own, its nested stacks, stacks `${cf:}` names. */
  stacks?: Record<string, LiveStack>;
}

/** A deployed stack: what `DescribeStacks` says, with its nested stacks found by `ListStackResources`. */
export interface LiveStack {
  name: string;
  /** Parameter values as deployed; a `NoEcho` parameter is never here (the API shows it as `****`). */
  parameters: Record<string, string>;
  /** `NoEcho` parameters: their deployed value is hidden, so unknown. */
  hidden: string[];
  outputs: Record<string, string>;
  /** Nested stacks asked for, by logical id: the child stack's name, or null when it has no such nested stack. */
  nested: Record<string, string | null>;
}

export interface LiveVpc {
  id: string;
  cidr?: string;
  /** `default` or `dedicated`. */
  tenancy?: string;
  /** The main route table, used by subnets without an explicit association; undefined when not read. */
  mainRouteTable?: string;
  /** Whether every endpoint of the VPC was listed: only then may a rule say the VPC has none for a service. */
  endpointsListed: boolean;
}

export interface LiveSubnet {
  id: string;
  vpcId: string;
  availabilityZone?: string;
  availabilityZoneId?: string;
  cidr?: string;
  ipv6Cidrs: string[];
  /** The route table in effect (explicit association, else the VPC's main table); undefined when not read. */
  routeTable?: string;
  /** The network ACL associated with the subnet; undefined when not read. */
  networkAcl?: string;
}

export interface LiveRoute {
  destination?: string;
  ipv6Destination?: string;
  prefixList?: string;
  target: RouteTargetKind;
  /** The target's id (`nat-...`, `igw-...`, `tgw-...`); `local` for the VPC's own route. */
  targetId?: string;
  /** A route whose target no longer exists (`blackhole`). */
  blackhole?: boolean;
}

export interface LiveRouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  routes: LiveRoute[];
}

export interface LiveNatGateway {
  id: string;
  vpcId?: string;
  subnetId?: string;
  connectivity: 'public' | 'private';
  /** `pending`, `available`, `deleting`, `deleted`, `failed`. */
  state: string;
  regional?: boolean;
  allocationId?: string;
}

export interface LiveEndpoint {
  id: string;
  vpcId: string;
  type: 'Gateway' | 'Interface' | 'GatewayLoadBalancer' | string;
  serviceName: string;
  routeTableIds: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  privateDns: boolean;
  state?: string;
}

/** One EC2 permission: a protocol and port range to or from its CIDRs, groups and prefix lists. */
export interface LivePermission {
  /** `-1` (all), `tcp`, `udp`, `icmp` or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  groups: string[];
  prefixLists: string[];
}

export interface LiveSecurityGroup {
  id: string;
  name?: string;
  vpcId?: string;
  ingress: LivePermission[];
  /** The group's whole egress (AWS's default allow-all rule shows here when it was not removed). */
  egress: LivePermission[];
}

export interface LiveNaclEntry {
  ruleNumber: number;
  protocol: string;
  allow: boolean;
  egress: boolean;
  cidr?: string;
  ipv6Cidr?: string;
  from?: number;
  to?: number;
}

export interface LiveNetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: LiveNaclEntry[];
}

export interface LiveSsmParameter {
  value: string;
  type: 'String' | 'StringList';
}

/** What the model refers to that only the account can tell: ids by kind, export names, SSM names. */
export interface LiveRequest {
  subnets: string[];
  securityGroups: string[];
  vpcs: string[];
  routeTables: string[];
  natGateways: string[];
  exports: string[];
  ssmParameters: string[];
  /** Stack names to describe: this template's own, and those `${cf:}` names. */
  stacks: string[];
  /** Nested stacks whose outputs are used, as `<parent stack name>/<logical id>`. */
  nestedStacks: string[];
}

/** Well-formed resource ids: only these are ever sent to EC2. */
export const LIVE_ID_PATTERNS = {
  subnets: /^subnet-[0-9a-f]{8,17}$/,
  securityGroups: /^sg-[0-9a-f]{8,17}$/,
  vpcs: /^vpc-[0-9a-f]{8,17}$/,
  routeTables: /^rtb-[0-9a-f]{8,17}$/,
  natGateways: /^nat-[0-9a-f]{8,17}$/,
} as const;

export type LiveIdKind = keyof typeof LIVE_ID_PATTERNS;

export function liveIdKind(id: string): LiveIdKind | undefined {
  for (const [kind, re] of Object.entries(LIVE_ID_PATTERNS) as [LiveIdKind, RegExp][]) if (re.test(id)) return kind;
  return undefined;
}

export function emptyLiveFacts(region: string): LiveFacts {
  return { region, vpcs: [], subnets: [], routeTables: [], natGateways: [], endpoints: [], securityGroups: [], networkAcls: [], exports: {}, ssmParameters: {} };
}

export function emptyLiveRequest(): LiveRequest {
  return { subnets: [], securityGroups: [], vpcs: [], routeTables: [], natGateways: [], exports: [], ssmParameters: [], stacks: [], nestedStacks: [] };
}

export function isEmptyRequest(request: LiveRequest): boolean {
  return Object.values(request).every((list: string[]) => list.length === 0);
}

/**
 * The ids, export names and SSM names the model refers to but does not resolve: hard-coded or
 * parameter-given ids in the functions' `VpcConfig` and in template resources (a subnet's `VpcId`, a
 * route to an existing NAT gateway, an association with an existing route table...), imports and SSM
 * values. Ids already merged from live facts are not listed again. The ids named by routes,
 * associations and standalone rules are listed only when the model was built with `live` facts (an
 * empty `emptyLiveFacts(region)` will do), as a live analysis always is.
 */
export function unresolvedIds(model: Model): LiveRequest {
  const out = emptyLiveRequest();
  const lookups = model.lookups;
  if (!lookups) return out;
  for (const id of [...lookups.ids].sort()) {
    const kind = liveIdKind(id);
    if (kind) out[kind].push(id);
  }
  out.exports = [...lookups.exports].sort();
  out.ssmParameters = [...lookups.ssm].sort();
  out.stacks = [...lookups.stacks].sort();
  out.nestedStacks = [...lookups.nested].sort();
  return out;
}

/** `live, us-east-1`: how messages name where a fact came from. */
export function liveLabel(region: string): string {
  return `live, ${region}`;
}

/** `live, from stack app-prod parameter SubnetIds`: a value read from a deployed stack. */
export function deployedLabel(stack: string, kind: 'parameter' | 'output', key: string): string {
  return `live, from stack ${stack} ${kind} ${key}`;
}

/** Well-formed stack names (and stack ids): only these are ever sent to CloudFormation. */
export const STACK_NAME_PATTERN = /^(?:[A-Za-z][A-Za-z0-9-]{0,127}|arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]{0,127}\/[A-Za-z0-9-]+)$/;

/**
 * Findings over a model with live facts: a finding about a live resource itself is dropped (there is
 * nothing in the template to change, and no place in it to point at), a fix that would write a live id
 * is dropped (it was built for a resource of the template), and messages name the live ids once each
 * with their source: `subnet-0abc (live, us-east-1)`, or for an id a deployed stack gave,
 * `subnet-0abc (live, from stack app-prod parameter SubnetIds)`.
 */
export function finishLiveFindings(findings: Finding[], model: Model): Finding[] {
  const live = model.live;
  const sources = live?.sources ?? new Map<string, string>();
  if (!live || (live.ids.size === 0 && sources.size === 0)) return findings;
  const ids = [...new Set([...live.ids, ...sources.keys()])].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`'?\\b(${ids.map(escapeRegExp).join('|')})\\b'?`, 'g');
  const tag = (message: string): string => {
    const seen = new Set<string>();
    return message.replace(pattern, (whole, id: string) => {
      if (seen.has(id)) return whole;
      seen.add(id);
      return `${whole} (${sources.get(id) ?? liveLabel(live.region)})`;
    });
  };
  const mentionsLive = (text: string) => {
    pattern.lastIndex = 0;
    const hit = pattern.test(text);
    pattern.lastIndex = 0;
    return hit;
  };
  const out: Finding[] = [];
  for (const f of findings) {
    if (live.ids.has(f.resource)) continue;
    out.push(withFindingFields(f, {
      message: tag(f.message),
      related: f.related.map((r) => ({ ...r, message: tag(r.message) })),
    }, (fix) => !fix.edits.some((e) => mentionsLive(e.text))));
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

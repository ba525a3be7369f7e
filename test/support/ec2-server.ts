/**
 * A small EC2-compatible HTTP server for tests, listening on 127.0.0.1 only. It speaks the EC2 Query
 * protocol the real `@aws-sdk/client-ec2` uses (form-encoded POST with `Action` and `Version=2016-11-15`,
 * XML answers in EC2's namespace with `<requestId>`, `<...Set><item>` lists and `<nextToken>` paging), serves
 * the VPCs, subnets, security groups and network interfaces a test puts in `data`, honours `MaxResults`,
 * `NextToken`, id lists and `Filter.N.Name/Value.M` filters (with EC2's `*` and `?` wildcards), and can be
 * told to fail: an EC2 error document with the matching HTTP status, a bare HTTP status, a malformed body, a
 * slow reply or a dropped connection.
 *
 * Actions live in one table (`ACTIONS`). A new Describe* call is one `describeAction({...})` entry plus an
 * array in `Ec2Data`; other actions can be any `ActionHandler`, or be added per server with `addAction`.
 * The region of each request is read from its SigV4 credential scope, so one server can stand in for
 * several regions: every item has an optional `region` (default `us-east-1`) and is served only there.
 *
 * Route tables, NAT gateways, VPC endpoints and network ACLs (live facts) are optional collections of
 * `Ec2Data`; security groups may carry permissions (without `egress`, AWS's default allow-all). Requests
 * for other services on the same port, as an emulator's single endpoint takes them (CloudFormation's
 * Query protocol, SSM's JSON protocol with `X-Amz-Target`), go to a handler added with `addService`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const EC2_API_VERSION = '2016-11-15';
export const DEFAULT_REGION = 'us-east-1';

// ---------------------------------------------------------------------------------------------------------
// Data

interface Regional {
  /** The region the item lives in; default `us-east-1`. */
  region?: string;
}

export interface FakeTag {
  key: string;
  value: string;
}

export interface FakeVpc extends Regional {
  id: string;
  cidr: string;
  name?: string;
  isDefault?: boolean;
  ownerId?: string;
  tags?: FakeTag[];
  /** `default` unless set. */
  instanceTenancy?: string;
}

export interface FakeSubnet extends Regional {
  id: string;
  vpcId: string;
  availabilityZone: string;
  cidr: string;
  availableIps: number;
  name?: string;
  ownerId?: string;
  tags?: FakeTag[];
  availabilityZoneId?: string;
  ipv6Cidrs?: string[];
}

/** One permission of a security group: a protocol and ports to or from CIDRs, groups and prefix lists. */
export interface FakePermission {
  /** `-1`, `tcp`, `udp`, `icmp`. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs?: string[];
  ipv6Cidrs?: string[];
  groups?: string[];
  prefixLists?: string[];
}

export interface FakeSecurityGroup extends Regional {
  id: string;
  name: string;
  vpcId?: string;
  description?: string;
  ownerId?: string;
  ingress?: FakePermission[];
  /** Absent: AWS's default rule, all traffic to 0.0.0.0/0. */
  egress?: FakePermission[];
}

export interface FakeRoute {
  destination?: string;
  ipv6Destination?: string;
  prefixList?: string;
  /** `local`, `igw-...`, `vgw-...`, `vpce-...` */
  gatewayId?: string;
  natGatewayId?: string;
  transitGatewayId?: string;
  peeringId?: string;
  instanceId?: string;
  /** `active` unless set. */
  state?: 'active' | 'blackhole';
}

export interface FakeRouteTable extends Regional {
  id: string;
  vpcId: string;
  /** The VPC's main table. */
  main?: boolean;
  /** Subnets explicitly associated. */
  subnets?: string[];
  routes: FakeRoute[];
}

export interface FakeNatGateway extends Regional {
  id: string;
  vpcId: string;
  subnetId: string;
  connectivity?: 'public' | 'private';
  state?: string;
  allocationId?: string;
}

export interface FakeVpcEndpoint extends Regional {
  id: string;
  vpcId: string;
  serviceName: string;
  type?: 'Gateway' | 'Interface' | 'GatewayLoadBalancer';
  routeTableIds?: string[];
  subnetIds?: string[];
  groups?: string[];
  privateDns?: boolean;
  state?: string;
}

export interface FakeNaclEntry {
  ruleNumber: number;
  protocol: string;
  action: 'allow' | 'deny';
  egress: boolean;
  cidr?: string;
  from?: number;
  to?: number;
}

export interface FakeNetworkAcl extends Regional {
  id: string;
  vpcId: string;
  isDefault?: boolean;
  subnets?: string[];
  entries: FakeNaclEntry[];
}

export interface FakeNetworkInterface extends Regional {
  id: string;
  description?: string;
  /** `in-use`, `available`, `attaching`, ... */
  status: string;
  interfaceType?: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIp: string;
  ipv6?: string[];
  /** Security group ids; names are looked up in `securityGroups`. */
  groups: string[];
  ownerId?: string;
  macAddress?: string;
}

export interface Ec2Data {
  vpcs: FakeVpc[];
  subnets: FakeSubnet[];
  securityGroups: FakeSecurityGroup[];
  networkInterfaces: FakeNetworkInterface[];
  routeTables?: FakeRouteTable[];
  natGateways?: FakeNatGateway[];
  vpcEndpoints?: FakeVpcEndpoint[];
  networkAcls?: FakeNetworkAcl[];
}

export function emptyData(): Ec2Data {
  return { vpcs: [], subnets: [], securityGroups: [], networkInterfaces: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Requests, errors, XML

export interface Ec2Request {
  /** `ec2` unless the request is another service's (see `addService`). */
  service?: string;
  action: string;
  /** From the SigV4 credential scope; `us-east-1` when the request carries none. */
  region: string;
  /** From the SigV4 credential scope, so tests can check which credentials were used. */
  accessKeyId: string | undefined;
  params: URLSearchParams;
  /** `Filter.N.Name` -> its values. */
  filters: Map<string, string[]>;
}

/** Thrown by a handler to answer with an EC2 error document. */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = statusForCode(code),
  ) {
    super(message);
  }
}

/** The HTTP status EC2 uses for the error codes tests care about. */
export function statusForCode(code: string): number {
  switch (code) {
    case 'AuthFailure':
    case 'MissingAuthenticationToken':
      return 401;
    case 'UnauthorizedOperation':
    case 'ExpiredToken':
    case 'RequestExpired':
    case 'OptInRequired':
      return 403;
    case 'RequestLimitExceeded':
    case 'Unavailable':
      return 503;
    case 'InternalError':
      return 500;
    default:
      return 400;
  }
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** `<name>value</name>`, or nothing when the value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** An EC2 list: `<name><item>...</item>...</name>`. */
export function itemSet<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return `<${name}>${items.map((i) => `<item>${render(i)}</item>`).join('')}</${name}>`;
}

export function tagSet(tags: FakeTag[] | undefined): string {
  return itemSet('tagSet', tags ?? [], (t) => el('key', t.key) + el('value', t.value));
}

function withName(tags: FakeTag[] | undefined, name: string | undefined): FakeTag[] {
  return [...(tags ?? []), ...(name !== undefined ? [{ key: 'Name', value: name }] : [])];
}

export function errorDocument(code: string, message: string, requestId: string = randomUUID()): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', requestId)}</Response>`
  );
}

/** EC2 filter values may use `*` (any run) and `?` (one character). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$',
    's',
  );
  return re.test(value);
}

/** What a filter name reads from an item; an array matches when any element does. */
export type FilterAccessors<T> = Record<string, (item: T) => string | string[] | boolean | undefined>;

export function applyFilters<T>(items: T[], request: Ec2Request, accessors: FilterAccessors<T>): T[] {
  for (const name of request.filters.keys()) {
    if (!accessors[name]) throw new Ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
  }
  return items.filter((item) =>
    [...request.filters.entries()].every(([name, patterns]) => {
      const raw = accessors[name]!(item);
      const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      return values.some((v) => patterns.some((p) => wildcardMatch(p, v)));
    }),
  );
}

/** Values of `Name.1`, `Name.2`, ... */
export function listParam(params: URLSearchParams, name: string): string[] {
  const out: { index: number; value: string }[] = [];
  for (const [key, value] of params) {
    const m = new RegExp(`^${name}\\.(\\d+)$`).exec(key);
    if (m) out.push({ index: Number(m[1]), value });
  }
  return out.sort((a, b) => a.index - b.index).map((x) => x.value);
}

function parseFilters(params: URLSearchParams): Map<string, string[]> {
  const byIndex = new Map<number, { name?: string; values: { index: number; value: string }[] }>();
  for (const [key, value] of params) {
    const m = /^Filter\.(\d+)\.(Name|Value\.(\d+))$/.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    const entry = byIndex.get(index) ?? { values: [] };
    if (m[2] === 'Name') entry.name = value;
    else entry.values.push({ index: Number(m[3]), value });
    byIndex.set(index, entry);
  }
  const filters = new Map<string, string[]>();
  for (const [, entry] of [...byIndex.entries()].sort(([a], [b]) => a - b)) {
    if (!entry.name) throw new Ec2Error('InvalidParameterValue', 'A filter is missing its name');
    const values = entry.values.sort((a, b) => a.index - b.index).map((v) => v.value);
    filters.set(entry.name, [...(filters.get(entry.name) ?? []), ...values]);
  }
  return filters;
}

export interface PageOptions {
  /** Caps every page, even without MaxResults (real EC2 may return fewer items than asked for). */
  maxPageSize?: number;
}

/** Slices `items` per `MaxResults`/`NextToken`; the token is opaque to the client. */
export function paginate<T>(items: T[], request: Ec2Request, options: PageOptions = {}): { page: T[]; nextToken?: string } {
  const maxResultsText = request.params.get('MaxResults');
  let size = items.length;
  if (maxResultsText !== null) {
    const maxResults = Number(maxResultsText);
    if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 1000) {
      throw new Ec2Error('InvalidParameterValue', `Value (${maxResultsText}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
    size = maxResults;
  }
  if (options.maxPageSize !== undefined) size = Math.min(size, options.maxPageSize);
  let offset = 0;
  const token = request.params.get('NextToken');
  if (token) {
    const decoded = /^(\w+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded || decoded[1] !== request.action) throw new Ec2Error('InvalidParameterValue', 'Invalid value for NextToken');
    offset = Number(decoded[2]);
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, nextToken: Buffer.from(`${request.action}:${next}`).toString('base64url') } : { page };
}

// ---------------------------------------------------------------------------------------------------------
// Actions

export interface ActionContext {
  data: Ec2Data;
  page: PageOptions;
}

/** Returns the children of `<{Action}Response>` (after `<requestId>`), or throws `Ec2Error`. */
export type ActionHandler = (request: Ec2Request, context: ActionContext) => string;

export interface DescribeSpec<T extends Regional> {
  /** Reads the collection out of the server's data. */
  items: (data: Ec2Data) => T[];
  /** Query parameter for an explicit id list, e.g. `SubnetId` for `SubnetId.1`. */
  idParam: string;
  id: (item: T) => string;
  /** The error EC2 gives for an unknown id in the id list. */
  notFoundCode: string;
  setName: string;
  filters: FilterAccessors<T>;
  render: (item: T, data: Ec2Data) => string;
}

/** Builds a Describe* handler: region scoping, id list, filters, paging, rendering. */
export function describeAction<T extends Regional>(spec: DescribeSpec<T>): ActionHandler {
  return (request, { data, page: pageOptions }) => {
    let items = spec.items(data).filter((i) => (i.region ?? DEFAULT_REGION) === request.region);
    const ids = listParam(request.params, spec.idParam);
    if (ids.length > 0) {
      const missing = ids.find((id) => !items.some((i) => spec.id(i) === id));
      if (missing) throw new Ec2Error(spec.notFoundCode, `The ${spec.idParam} '${missing}' does not exist`);
      items = items.filter((i) => ids.includes(spec.id(i)));
    }
    items = applyFilters(items, request, spec.filters);
    const { page, nextToken } = paginate(items, request, pageOptions);
    return itemSet(spec.setName, page, (i) => spec.render(i, data)) + el('nextToken', nextToken);
  };
}

function groupName(data: Ec2Data, id: string): string | undefined {
  return data.securityGroups.find((g) => g.id === id)?.name;
}

export const ACTIONS: Record<string, ActionHandler> = {
  DescribeNetworkInterfaces: describeAction<FakeNetworkInterface>({
    items: (d) => d.networkInterfaces,
    idParam: 'NetworkInterfaceId',
    id: (n) => n.id,
    notFoundCode: 'InvalidNetworkInterfaceID.NotFound',
    setName: 'networkInterfaceSet',
    filters: {
      'network-interface-id': (n) => n.id,
      description: (n) => n.description ?? '',
      'interface-type': (n) => n.interfaceType ?? 'interface',
      status: (n) => n.status,
      'subnet-id': (n) => n.subnetId,
      'vpc-id': (n) => n.vpcId,
      'availability-zone': (n) => n.availabilityZone,
      'group-id': (n) => n.groups,
      'owner-id': (n) => n.ownerId ?? '123456789012',
      'private-ip-address': (n) => n.privateIp,
    },
    render: (n, data) =>
      el('networkInterfaceId', n.id) +
      el('subnetId', n.subnetId) +
      el('vpcId', n.vpcId) +
      el('availabilityZone', n.availabilityZone) +
      el('description', n.description ?? '') +
      el('ownerId', n.ownerId ?? '123456789012') +
      el('requesterId', 'AROAEXAMPLE:lambda') +
      el('requesterManaged', true) +
      el('status', n.status) +
      el('macAddress', n.macAddress ?? '0e:00:00:00:00:01') +
      el('privateIpAddress', n.privateIp) +
      el('sourceDestCheck', true) +
      itemSet('groupSet', n.groups, (g) => el('groupId', g) + el('groupName', groupName(data, g))) +
      (n.status === 'in-use'
        ? `<attachment>${el('attachmentId', `ela-attach-${n.id.slice(4)}`)}${el('deviceIndex', 1)}${el('status', 'attached')}${el('attachTime', '2024-01-01T00:00:00.000Z')}${el('deleteOnTermination', false)}</attachment>`
        : '') +
      itemSet('privateIpAddressesSet', [n.privateIp], (ip) => el('privateIpAddress', ip) + el('primary', true)) +
      itemSet('ipv6AddressesSet', n.ipv6 ?? [], (ip) => el('ipv6Address', ip)) +
      el('interfaceType', n.interfaceType ?? 'interface') +
      tagSet([]),
  }),

  DescribeSubnets: describeAction<FakeSubnet>({
    items: (d) => d.subnets,
    idParam: 'SubnetId',
    id: (s) => s.id,
    notFoundCode: 'InvalidSubnetID.NotFound',
    setName: 'subnetSet',
    filters: {
      'subnet-id': (s) => s.id,
      'vpc-id': (s) => s.vpcId,
      'availability-zone': (s) => s.availabilityZone,
      'cidr-block': (s) => s.cidr,
      state: () => 'available',
    },
    render: (s) =>
      el('subnetId', s.id) +
      el('subnetArn', `arn:aws:ec2:${s.region ?? DEFAULT_REGION}:${s.ownerId ?? '123456789012'}:subnet/${s.id}`) +
      el('state', 'available') +
      el('ownerId', s.ownerId ?? '123456789012') +
      el('vpcId', s.vpcId) +
      el('cidrBlock', s.cidr) +
      el('availableIpAddressCount', s.availableIps) +
      el('availabilityZone', s.availabilityZone) +
      el('defaultForAz', false) +
      el('mapPublicIpOnLaunch', false) +
      el('availabilityZoneId', s.availabilityZoneId) +
      itemSet('ipv6CidrBlockAssociationSet', s.ipv6Cidrs ?? [], (c) =>
        el('ipv6CidrBlock', c) + el('associationId', `subnet-cidr-assoc-${s.id.slice(7)}`) + `<ipv6CidrBlockState>${el('state', 'associated')}</ipv6CidrBlockState>`) +
      tagSet(withName(s.tags, s.name)),
  }),

  DescribeVpcs: describeAction<FakeVpc>({
    items: (d) => d.vpcs,
    idParam: 'VpcId',
    id: (v) => v.id,
    notFoundCode: 'InvalidVpcID.NotFound',
    setName: 'vpcSet',
    filters: {
      'vpc-id': (v) => v.id,
      'cidr-block': (v) => v.cidr,
      'is-default': (v) => v.isDefault === true,
      state: () => 'available',
    },
    render: (v) =>
      el('vpcId', v.id) +
      el('ownerId', v.ownerId ?? '123456789012') +
      el('state', 'available') +
      el('cidrBlock', v.cidr) +
      el('dhcpOptionsId', 'dopt-00000001') +
      tagSet(withName(v.tags, v.name)) +
      el('instanceTenancy', v.instanceTenancy ?? 'default') +
      el('isDefault', v.isDefault === true),
  }),

  DescribeSecurityGroups: describeAction<FakeSecurityGroup>({
    items: (d) => d.securityGroups,
    idParam: 'GroupId',
    id: (g) => g.id,
    notFoundCode: 'InvalidGroup.NotFound',
    setName: 'securityGroupInfo',
    filters: {
      'group-id': (g) => g.id,
      'group-name': (g) => g.name,
      'vpc-id': (g) => g.vpcId,
    },
    render: (g) =>
      el('ownerId', g.ownerId ?? '123456789012') +
      el('groupId', g.id) +
      el('groupName', g.name) +
      el('groupDescription', g.description ?? g.name) +
      el('vpcId', g.vpcId) +
      itemSet('ipPermissions', g.ingress ?? [], renderPermission) +
      itemSet('ipPermissionsEgress', g.egress ?? [{ protocol: '-1', cidrs: ['0.0.0.0/0'] }], renderPermission),
  }),

  DescribeRouteTables: describeAction<FakeRouteTable>({
    items: (d) => d.routeTables ?? [],
    idParam: 'RouteTableId',
    id: (t) => t.id,
    notFoundCode: 'InvalidRouteTableID.NotFound',
    setName: 'routeTableSet',
    filters: {
      'route-table-id': (t) => t.id,
      'vpc-id': (t) => t.vpcId,
      'association.subnet-id': (t) => t.subnets ?? [],
      'association.main': (t) => t.main === true,
    },
    render: (t) =>
      el('routeTableId', t.id) +
      el('vpcId', t.vpcId) +
      el('ownerId', '123456789012') +
      itemSet('associationSet', [...(t.main ? [undefined] : []), ...(t.subnets ?? [])], (subnet) =>
        el('routeTableAssociationId', `rtbassoc-${(subnet ?? 'main').replace(/^subnet-/, '')}`) +
        el('routeTableId', t.id) +
        el('subnetId', subnet) +
        el('main', subnet === undefined) +
        `<associationState>${el('state', 'associated')}</associationState>`) +
      itemSet('routeSet', t.routes, (r) =>
        el('destinationCidrBlock', r.destination) +
        el('destinationIpv6CidrBlock', r.ipv6Destination) +
        el('destinationPrefixListId', r.prefixList) +
        el('gatewayId', r.gatewayId) +
        el('natGatewayId', r.natGatewayId) +
        el('transitGatewayId', r.transitGatewayId) +
        el('vpcPeeringConnectionId', r.peeringId) +
        el('instanceId', r.instanceId) +
        el('state', r.state ?? 'active') +
        el('origin', r.gatewayId === 'local' ? 'CreateRouteTable' : 'CreateRoute')) +
      itemSet('propagatingVgwSet', [], () => '') +
      tagSet([]),
  }),

  DescribeNatGateways: describeAction<FakeNatGateway>({
    items: (d) => d.natGateways ?? [],
    idParam: 'NatGatewayId',
    id: (n) => n.id,
    notFoundCode: 'NatGatewayNotFound',
    setName: 'natGatewaySet',
    filters: {
      'nat-gateway-id': (n) => n.id,
      'subnet-id': (n) => n.subnetId,
      'vpc-id': (n) => n.vpcId,
      state: (n) => n.state ?? 'available',
    },
    render: (n) =>
      el('natGatewayId', n.id) +
      el('subnetId', n.subnetId) +
      el('vpcId', n.vpcId) +
      el('state', n.state ?? 'available') +
      el('connectivityType', n.connectivity ?? 'public') +
      el('createTime', '2024-01-01T00:00:00.000Z') +
      itemSet('natGatewayAddressSet', n.allocationId ? [n.allocationId] : [], (a) => el('allocationId', a) + el('isPrimary', true)) +
      tagSet([]),
  }),

  DescribeVpcEndpoints: describeAction<FakeVpcEndpoint>({
    items: (d) => d.vpcEndpoints ?? [],
    idParam: 'VpcEndpointId',
    id: (e) => e.id,
    notFoundCode: 'InvalidVpcEndpointId.NotFound',
    setName: 'vpcEndpointSet',
    filters: {
      'vpc-endpoint-id': (e) => e.id,
      'vpc-id': (e) => e.vpcId,
      'service-name': (e) => e.serviceName,
      'vpc-endpoint-type': (e) => e.type ?? 'Gateway',
      'vpc-endpoint-state': (e) => e.state ?? 'available',
    },
    render: (e) =>
      el('vpcEndpointId', e.id) +
      el('vpcEndpointType', e.type ?? 'Gateway') +
      el('vpcId', e.vpcId) +
      el('serviceName', e.serviceName) +
      el('state', e.state ?? 'available') +
      itemSet('routeTableIdSet', e.routeTableIds ?? [], (id) => xmlEscape(id)) +
      itemSet('subnetIdSet', e.subnetIds ?? [], (id) => xmlEscape(id)) +
      itemSet('groupSet', e.groups ?? [], (g) => el('groupId', g) + el('groupName', g)) +
      el('privateDnsEnabled', e.privateDns === true) +
      el('requesterManaged', false) +
      el('ownerId', '123456789012') +
      tagSet([]),
  }),

  DescribeNetworkAcls: describeAction<FakeNetworkAcl>({
    items: (d) => d.networkAcls ?? [],
    idParam: 'NetworkAclId',
    id: (a) => a.id,
    notFoundCode: 'InvalidNetworkAclID.NotFound',
    setName: 'networkAclSet',
    filters: {
      'network-acl-id': (a) => a.id,
      'vpc-id': (a) => a.vpcId,
      'association.subnet-id': (a) => a.subnets ?? [],
      default: (a) => a.isDefault === true,
    },
    render: (a) =>
      el('networkAclId', a.id) +
      el('vpcId', a.vpcId) +
      el('default', a.isDefault === true) +
      el('ownerId', '123456789012') +
      itemSet('entrySet', a.entries, (e) =>
        el('ruleNumber', e.ruleNumber) +
        el('protocol', e.protocol) +
        el('ruleAction', e.action) +
        el('egress', e.egress) +
        el('cidrBlock', e.cidr) +
        (e.from !== undefined || e.to !== undefined ? `<portRange>${el('from', e.from)}${el('to', e.to)}</portRange>` : '')) +
      itemSet('associationSet', a.subnets ?? [], (subnet) =>
        el('networkAclAssociationId', `aclassoc-${subnet.replace(/^subnet-/, '')}`) + el('networkAclId', a.id) + el('subnetId', subnet)) +
      tagSet([]),
  }),
};

function renderPermission(p: FakePermission): string {
  return (
    el('ipProtocol', p.protocol) +
    el('fromPort', p.fromPort) +
    el('toPort', p.toPort) +
    itemSet('groups', p.groups ?? [], (g) => el('userId', '123456789012') + el('groupId', g)) +
    itemSet('ipRanges', p.cidrs ?? [], (c) => el('cidrIp', c)) +
    itemSet('ipv6Ranges', p.ipv6Cidrs ?? [], (c) => el('cidrIpv6', c)) +
    itemSet('prefixListIds', p.prefixLists ?? [], (l) => el('prefixListId', l))
  );
}

/** Another service's answer: a status, a body and its content type. */
export interface ServiceResponse {
  status?: number;
  body: string;
  contentType: string;
}

/**
 * Answers a request for another service on the same port. `request.action` is the Query `Action` or
 * the operation named by `X-Amz-Target`; `body` is the raw request body (form or JSON).
 */
export type ServiceHandler = (request: Ec2Request, body: string) => ServiceResponse;

// ---------------------------------------------------------------------------------------------------------
// Faults

export type Fault =
  /** An EC2 error document; status defaults to EC2's for the code (401 AuthFailure, 403, 503 ...). */
  | { type: 'error'; code: string; message?: string; status?: number }
  /** A bare HTTP status with an arbitrary (default: empty) body. */
  | { type: 'http'; status: number; body?: string; contentType?: string }
  /** HTTP 200 with XML cut off in the middle. */
  | { type: 'malformed' }
  /** Answers normally, but only after `delayMs`. */
  | { type: 'slow'; delayMs: number }
  /** Closes the connection without answering. */
  | { type: 'drop' };

export interface FaultMatch {
  action?: string;
  region?: string;
  /** How many matching requests fail; default: all of them. */
  times?: number;
}

interface FaultRule {
  fault: Fault;
  match: FaultMatch;
  remaining: number;
}

// ---------------------------------------------------------------------------------------------------------
// Server

export interface Ec2ServerOptions {
  data?: Partial<Ec2Data>;
  page?: PageOptions;
  /** When set, requests signed with another access key id get `AuthFailure`. */
  accessKeyId?: string;
}

export interface Ec2TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Mutable: tests may change it between calls. */
  data: Ec2Data;
  page: PageOptions;
  /** Every request answered (or failed), in arrival order. */
  readonly requests: Ec2Request[];
  /** Makes matching requests fail; rules are tried in the order they were added. */
  fail(fault: Fault, match?: FaultMatch): void;
  clearFaults(): void;
  addAction(name: string, handler: ActionHandler): void;
  /**
   * Serves another service on the same port: requests with an `X-Amz-Target` of `<prefix>.<Operation>`
   * (JSON protocols, e.g. `AmazonSSM`), or form requests with `Version=<version>` (Query protocols, e.g.
   * CloudFormation's `2010-05-15`), are answered by the handler.
   */
  addService(match: { targetPrefix?: string; version?: string; name: string }, handler: ServiceHandler): void;
  close(): Promise<void>;
}

function scopeOf(req: IncomingMessage): { region?: string; accessKeyId?: string } {
  const header = req.headers.authorization ?? '';
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/.exec(header);
  return m ? { accessKeyId: m[1], region: m[2] } : {};
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/xml;charset=UTF-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID() });
  res.end(body);
}

export async function startEc2Server(options: Ec2ServerOptions = {}): Promise<Ec2TestServer> {
  const actions: Record<string, ActionHandler> = { ...ACTIONS };
  const services: { match: { targetPrefix?: string; version?: string; name: string }; handler: ServiceHandler }[] = [];
  const rules: FaultRule[] = [];
  const requests: Ec2Request[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const state = {
    data: { ...emptyData(), ...options.data } as Ec2Data,
    page: { ...options.page } as PageOptions,
  };

  function takeFault(request: Ec2Request): Fault | undefined {
    for (const rule of rules) {
      if (rule.remaining <= 0) continue;
      if (rule.match.action && rule.match.action !== request.action) continue;
      if (rule.match.region && rule.match.region !== request.region) continue;
      rule.remaining -= 1;
      return rule.fault;
    }
    return undefined;
  }

  function answer(request: Ec2Request, res: ServerResponse): void {
    const requestId = randomUUID();
    try {
      if (options.accessKeyId !== undefined && request.accessKeyId !== options.accessKeyId) {
        throw new Ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
      }
      const handler = actions[request.action];
      if (!handler) throw new Ec2Error('InvalidAction', `The action ${request.action} is not valid for this web service.`);
      const inner = handler(request, { data: state.data, page: state.page });
      const name = `${request.action}Response`;
      send(res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<${name} xmlns="${EC2_NAMESPACE}">${el('requestId', requestId)}${inner}</${name}>`);
    } catch (err) {
      if (err instanceof Ec2Error) send(res, err.status, errorDocument(err.code, err.message, requestId));
      else send(res, 500, errorDocument('InternalError', String(err), requestId));
    }
  }

  /** Requests for a service added with `addService`: recorded, then answered by its handler (faults apply). */
  function handleService(req: IncomingMessage, res: ServerResponse, body: string): boolean {
    const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
    const form = target ? undefined : new URLSearchParams(body);
    const service = services.find(({ match }) =>
      target ? match.targetPrefix !== undefined && target.startsWith(`${match.targetPrefix}.`) : match.version !== undefined && form!.get('Version') === match.version);
    if (!service) return false;
    const scope = scopeOf(req);
    const action = target ? target.slice(target.indexOf('.') + 1) : (form!.get('Action') ?? '');
    const request: Ec2Request = {
      service: service.match.name,
      action,
      region: scope.region ?? DEFAULT_REGION,
      accessKeyId: scope.accessKeyId,
      params: form ?? new URLSearchParams(),
      filters: new Map(),
    };
    requests.push(request);
    const fault = takeFault(request);
    if (fault?.type === 'drop') {
      req.socket.destroy();
      return true;
    }
    if (fault?.type === 'http') {
      send(res, fault.status, fault.body ?? '', fault.contentType ?? 'text/plain');
      return true;
    }
    if (options.accessKeyId !== undefined && request.accessKeyId !== options.accessKeyId) {
      send(res, 400, JSON.stringify({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }), 'application/x-amz-json-1.1');
      return true;
    }
    const answer = service.handler(request, body);
    send(res, answer.status ?? 200, answer.body, answer.contentType);
    return true;
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (services.length > 0 && handleService(req, res, body)) return;
    const params = new URLSearchParams(body);
    const scope = scopeOf(req);
    let request: Ec2Request;
    try {
      if (req.method !== 'POST') throw new Ec2Error('InvalidAction', 'EC2 Query requests must be POST in this server');
      const action = params.get('Action');
      if (!action) throw new Ec2Error('MissingAction', 'The request must contain the parameter Action');
      if (params.get('Version') !== EC2_API_VERSION) throw new Ec2Error('InvalidParameterValue', `Unsupported Version ${params.get('Version')}`);
      request = { action, region: scope.region ?? DEFAULT_REGION, accessKeyId: scope.accessKeyId, params, filters: parseFilters(params) };
    } catch (err) {
      const e = err instanceof Ec2Error ? err : new Ec2Error('InvalidParameterValue', String(err));
      send(res, e.status, errorDocument(e.code, e.message));
      return;
    }
    requests.push(request);

    const fault = takeFault(request);
    switch (fault?.type) {
      case undefined:
        answer(request, res);
        return;
      case 'error':
        send(res, fault.status ?? statusForCode(fault.code), errorDocument(fault.code, fault.message ?? `${fault.code} injected by the test`));
        return;
      case 'http':
        send(res, fault.status, fault.body ?? '', fault.contentType ?? 'text/plain');
        return;
      case 'malformed':
        send(res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<${request.action}Response xmlns="${EC2_NAMESPACE}"><requestId>x</requestId><networkInterfaceSet><item><networkInterfaceId>eni-`);
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(request, res);
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      case 'drop':
        req.socket.destroy();
        return;
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // Loopback only: tests must never open a port on another interface.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get data() {
      return state.data;
    },
    set data(value: Ec2Data) {
      state.data = value;
    },
    get page() {
      return state.page;
    },
    set page(value: PageOptions) {
      state.page = value;
    },
    requests,
    fail(fault, match = {}) {
      rules.push({ fault, match, remaining: match.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      rules.length = 0;
    },
    addAction(name, handler) {
      actions[name] = handler;
    },
    addService(match, handler) {
      services.push({ match, handler });
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

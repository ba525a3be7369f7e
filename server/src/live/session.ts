/**
 * One account and region's live facts: a cache with a time to live, filled on demand by batched,
 * paginated, read-only calls. `fetch()` takes what a model needs (`unresolvedIds`) and reads it with its
 * closure: a subnet brings its VPC, its route table (an explicit association, else the VPC's main one),
 * the NAT gateways that table routes to (and their subnets, for their zone), its network ACL, and every
 * endpoint of its VPC. Nothing here throws: a failed call is an `AwsFailure` in the result, what it would
 * have read stays absent (so unknown), and the ids it covered are not asked again for a short while.
 */
import { DescribeStacksCommand, ListExportsCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { Export, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import {
  DescribeNatGatewaysCommand, DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import type { Filter } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { toAwsFailure } from '../aws/aws-error';
import type { AwsFailure } from '../aws/types';
import type {
  LiveEndpoint, LiveFacts, LiveNatGateway, LiveNetworkAcl, LiveRequest, LiveRouteTable, LiveSecurityGroup, LiveSsmParameter, LiveStack, LiveSubnet,
  LiveVpc,
} from '../core/live';
import { LIVE_ID_PATTERNS, STACK_NAME_PATTERN, emptyLiveFacts, emptyLiveRequest } from '../core/live';
import type { LiveClientOptions, LiveClients } from './clients';
import { createLiveClients } from './clients';
import type { StackListing } from './stacks';
import { listMatchingStacks } from './stacks';
import {
  toLiveEndpoint, toLiveNatGateway, toLiveNetworkAcl, toLiveRouteTable, toLiveSecurityGroup, toLiveStack, toLiveSubnet, toLiveVpc,
} from './convert';

export const DEFAULT_LIVE_TTL_MS = 5 * 60_000;
export const DEFAULT_FAILURE_RETRY_MS = 30_000;
/** EC2 caps the values of one filter. */
const FILTER_VALUE_LIMIT = 200;
const SSM_CONCURRENCY = 5;
/** At most this many nested stacks are described in one fetch. */
export const MAX_NESTED_STACKS = 20;

export interface LiveSessionOptions extends LiveClientOptions {
  /** How long facts are reused before they are read again; default 5 minutes. */
  ttlMs?: number;
  /** How long ids whose lookup failed are left alone; default 30 seconds. */
  failureRetryMs?: number;
  now?: () => number;
  /** Clients to use instead of creating them (tests). */
  clients?: LiveClients;
}

interface Entry<T> {
  at: number;
  /** Null: looked up, not there. */
  value: T | null;
}

interface VpcEntry {
  vpc: LiveVpc;
  endpoints: LiveEndpoint[];
}

export interface LiveFetchResult {
  failures: AwsFailure[];
  /** How many Describe/List/Get calls were made (pages included). */
  calls: number;
}

export class LiveSession {
  readonly region: string;
  private readonly ttl: number;
  private readonly retry: number;
  private readonly now: () => number;
  private clients: LiveClients | undefined;
  private readonly ownsClients: boolean;
  private subnets = new Map<string, Entry<LiveSubnet>>();
  private groups = new Map<string, Entry<LiveSecurityGroup>>();
  private vpcs = new Map<string, Entry<VpcEntry>>();
  private tables = new Map<string, Entry<LiveRouteTable>>();
  private nats = new Map<string, Entry<LiveNatGateway>>();
  private acls = new Map<string, Entry<LiveNetworkAcl>>();
  private ssm = new Map<string, Entry<LiveSsmParameter>>();
  private exports: Entry<Record<string, string>> | undefined;
  /** Deployed stacks by the name asked for: kept until `refresh()`, so each is described once per session. */
  private stacks = new Map<string, LiveStack | null>();
  /** `kind:id` of lookups that failed, with when. */
  private failed = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LiveSessionOptions) {
    this.region = options.region;
    this.ttl = options.ttlMs ?? DEFAULT_LIVE_TTL_MS;
    this.retry = options.failureRetryMs ?? DEFAULT_FAILURE_RETRY_MS;
    this.now = options.now ?? Date.now;
    this.clients = options.clients;
    this.ownsClients = !options.clients;
  }

  /** The cached facts that are still fresh, without any call. */
  facts(): LiveFacts {
    const facts = emptyLiveFacts(this.region);
    for (const e of this.fresh(this.subnets)) facts.subnets.push(e);
    for (const e of this.fresh(this.groups)) facts.securityGroups.push(e);
    for (const e of this.fresh(this.tables)) facts.routeTables.push(e);
    for (const e of this.fresh(this.nats)) facts.natGateways.push(e);
    for (const e of this.fresh(this.acls)) facts.networkAcls.push(e);
    for (const e of this.fresh(this.vpcs)) {
      facts.vpcs.push(e.vpc);
      facts.endpoints.push(...e.endpoints);
    }
    if (this.exports?.value && this.isFresh(this.exports)) facts.exports = { ...this.exports.value };
    for (const [name, entry] of this.ssm) if (entry.value && this.isFresh(entry)) facts.ssmParameters[name] = entry.value;
    const stacks: Record<string, LiveStack> = {};
    for (const [name, stack] of this.stacks) if (stack) stacks[name] = { ...stack, nested: { ...stack.nested } };
    if (this.stacks.size > 0) facts.stacks = stacks;
    return facts;
  }

  /** What of the request is neither cached and fresh nor recently failed: what `fetch()` would read. */
  pending(request: LiveRequest): LiveRequest {
    const out = emptyLiveRequest();
    const need = (kind: string, map: Map<string, Entry<unknown>>, id: string) => !this.isFresh(map.get(id)) && !this.recentlyFailed(`${kind}:${id}`);
    out.subnets = unique(request.subnets).filter((id) => LIVE_ID_PATTERNS.subnets.test(id) && need('subnet', this.subnets, id));
    out.securityGroups = unique(request.securityGroups).filter((id) => LIVE_ID_PATTERNS.securityGroups.test(id) && need('sg', this.groups, id));
    out.vpcs = unique(request.vpcs).filter((id) => LIVE_ID_PATTERNS.vpcs.test(id) && need('vpc', this.vpcs, id));
    out.routeTables = unique(request.routeTables).filter((id) => LIVE_ID_PATTERNS.routeTables.test(id) && need('rtb', this.tables, id));
    out.natGateways = unique(request.natGateways).filter((id) => LIVE_ID_PATTERNS.natGateways.test(id) && need('nat', this.nats, id));
    if (request.exports.length > 0 && !this.isFresh(this.exports) && !this.recentlyFailed('exports:')) out.exports = unique(request.exports);
    out.ssmParameters = unique(request.ssmParameters).filter((name) => isReadableSsmName(name) && need('ssm', this.ssm, name));
    out.stacks = unique(request.stacks).filter((name) => STACK_NAME_PATTERN.test(name) && !this.stacks.has(name) && !this.recentlyFailed(`stack:${name}`));
    out.nestedStacks = unique(request.nestedStacks).filter((entry) => {
      const [parent, id] = splitNested(entry);
      if (!STACK_NAME_PATTERN.test(parent) || !/^[A-Za-z0-9]+$/.test(id) || this.recentlyFailed(`nested:${entry}`)) return false;
      const stack = this.stacks.get(parent);
      // A parent not described yet is described in the same fetch; a missing one has no nested stacks.
      return stack === undefined ? out.stacks.includes(parent) : stack !== null && stack.nested[id] === undefined;
    });
    return out;
  }

  /** Reads what the request needs and caches it. Fetches run one after another, so none is read twice. */
  fetch(request: LiveRequest): Promise<LiveFetchResult> {
    const run = this.queue.then(() => this.fetchNow(this.pending(request)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The deployed stacks the template's logical ids match, most recent first (the editor's stack picker). */
  async listStacks(logicalIds: string[]): Promise<StackListing> {
    let clients: LiveClients;
    try {
      clients = this.clients ??= createLiveClients(this.options);
    } catch (err) {
      return { stacks: [], failures: [toAwsFailure(err)] };
    }
    return listMatchingStacks(clients.cloudformation, logicalIds);
  }

  /** Forgets everything: the next fetch reads the account again. */
  refresh(): void {
    this.subnets.clear();
    this.groups.clear();
    this.vpcs.clear();
    this.tables.clear();
    this.nats.clear();
    this.acls.clear();
    this.ssm.clear();
    this.exports = undefined;
    this.stacks.clear();
    this.failed.clear();
  }

  dispose(): void {
    if (this.ownsClients) this.clients?.destroy();
    this.clients = undefined;
  }

  private isFresh(entry: Entry<unknown> | undefined): entry is Entry<unknown> {
    return entry !== undefined && this.now() - entry.at < this.ttl;
  }

  private *fresh<T>(map: Map<string, Entry<T>>): Generator<T> {
    for (const entry of map.values()) if (entry.value && this.isFresh(entry)) yield entry.value;
  }

  private recentlyFailed(key: string): boolean {
    const at = this.failed.get(key);
    return at !== undefined && this.now() - at < this.retry;
  }

  /** An entry whose closure could not be read in full: it expires when a failed lookup may be retried. */
  private incompleteAt(): number {
    return this.now() - this.ttl + this.retry;
  }

  private async fetchNow(request: LiveRequest): Promise<LiveFetchResult> {
    const failures: AwsFailure[] = [];
    const result: LiveFetchResult = { failures, calls: 0 };
    if (Object.values(request).every((l: string[]) => l.length === 0)) return result;
    let clients: LiveClients;
    try {
      clients = this.clients ??= createLiveClients(this.options);
    } catch (err) {
      failures.push(toAwsFailure(err));
      this.markFailed(request);
      return result;
    }
    const now = this.now();
    /** Runs one operation's pages; a failure is recorded and yields undefined. */
    const call = async <T>(operation: string, keys: string[], pages: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[] | undefined> => {
      const all: T[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      try {
        do {
          result.calls++;
          const page = await pages(token);
          all.push(...page.items);
          token = page.next || undefined;
          if (token !== undefined) {
            if (seen.has(token)) throw Object.assign(new Error(`the endpoint repeated the page token '${token}'`), { name: 'PaginationLoop' });
            seen.add(token);
          }
        } while (token !== undefined);
        return all;
      } catch (err) {
        failures.push(toAwsFailure(err, operation));
        for (const key of keys) this.failed.set(key, this.now());
        return undefined;
      }
    };
    const byFilter = async <T>(operation: string, kind: string, name: string, values: string[], send: (filters: Filter[], token: string | undefined) => Promise<{ items: T[]; next?: string }>, extra: Filter[] = []): Promise<T[] | undefined> => {
      if (values.length === 0) return [];
      const parts = await Promise.all(chunks(values, FILTER_VALUE_LIMIT).map((chunk) =>
        call(operation, chunk.map((v) => `${kind}:${v}`), (token) => send([{ Name: name, Values: chunk }, ...extra], token))));
      return parts.some((p) => p === undefined) ? undefined : parts.flat() as T[];
    };
    const ec2 = clients.ec2;

    const describeSubnets = (ids: string[]) => byFilter('DescribeSubnets', 'subnet', 'subnet-id', ids, async (Filters, NextToken) => {
      const out = await ec2.send(new DescribeSubnetsCommand({ Filters, NextToken, MaxResults: 1000 }));
      return { items: out.Subnets ?? [], next: out.NextToken };
    });
    const describeTables = (filter: string, values: string[], kind: string, extra: Filter[] = []) => byFilter('DescribeRouteTables', kind, filter, values, async (Filters, NextToken) => {
      const out = await ec2.send(new DescribeRouteTablesCommand({ Filters, NextToken, MaxResults: 100 }));
      return { items: out.RouteTables ?? [], next: out.NextToken };
    }, extra);
    const describeNats = (ids: string[]) => byFilter('DescribeNatGateways', 'nat', 'nat-gateway-id', ids, async (Filter, NextToken) => {
      const out = await ec2.send(new DescribeNatGatewaysCommand({ Filter, NextToken, MaxResults: 1000 }));
      return { items: out.NatGateways ?? [], next: out.NextToken };
    });

    // 1. What the template names: subnets, groups, VPCs, route tables, NAT gateways, exports, SSM values.
    const [subnetItems, groupItems, tableItems, natItems] = await Promise.all([
      describeSubnets(request.subnets),
      byFilter('DescribeSecurityGroups', 'sg', 'group-id', request.securityGroups, async (Filters, NextToken) => {
        const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters, NextToken, MaxResults: 1000 }));
        return { items: out.SecurityGroups ?? [], next: out.NextToken };
      }),
      describeTables('route-table-id', request.routeTables, 'rtb'),
      describeNats(request.natGateways),
      this.fetchExports(clients, request.exports, call),
      this.fetchSsm(clients, request.ssmParameters, failures, result),
      this.fetchStacks(clients, request, call),
    ]);

    const subnets = new Map<string, LiveSubnet>();
    for (const s of subnetItems ?? []) {
      const live = toLiveSubnet(s);
      if (live) subnets.set(live.id, live);
    }
    if (subnetItems) for (const id of request.subnets) if (!subnets.has(id)) this.subnets.set(id, { at: now, value: null });
    if (groupItems) {
      const found = new Map(groupItems.map(toLiveSecurityGroup).filter((g): g is LiveSecurityGroup => !!g).map((g) => [g.id, g]));
      for (const id of request.securityGroups) this.groups.set(id, { at: now, value: found.get(id) ?? null });
      for (const g of found.values()) if (!this.groups.has(g.id)) this.groups.set(g.id, { at: now, value: g });
    }
    const tables = new Map<string, LiveRouteTable>();
    if (tableItems) {
      for (const t of tableItems) {
        const live = toLiveRouteTable(t);
        if (live) tables.set(live.table.id, live.table);
      }
      for (const id of request.routeTables) if (!tables.has(id)) this.tables.set(id, { at: now, value: null });
    }
    const nats = new Map<string, LiveNatGateway>();
    if (natItems) {
      for (const n of natItems) {
        const live = toLiveNatGateway(n);
        if (live) nats.set(live.id, live);
      }
      for (const id of request.natGateways) if (!nats.has(id)) this.nats.set(id, { at: now, value: null });
    }

    // 2. Their VPCs, the subnets' route table associations and network ACLs.
    const vpcIds = unique([
      ...request.vpcs,
      ...[...subnets.values()].map((s) => s.vpcId),
      ...(groupItems ?? []).map((g) => g.VpcId).filter((v): v is string => !!v),
    ].filter((id) => !this.isFresh(this.vpcs.get(id)) || request.vpcs.includes(id)));
    const subnetIds = [...subnets.keys()];
    const [vpcItems, associated, aclItems] = await Promise.all([
      byFilter('DescribeVpcs', 'vpc', 'vpc-id', vpcIds, async (Filters, NextToken) => {
        const out = await ec2.send(new DescribeVpcsCommand({ Filters, NextToken, MaxResults: 1000 }));
        return { items: out.Vpcs ?? [], next: out.NextToken };
      }),
      describeTables('association.subnet-id', subnetIds, 'subnet'),
      byFilter('DescribeNetworkAcls', 'subnet', 'association.subnet-id', subnetIds, async (Filters, NextToken) => {
        const out = await ec2.send(new DescribeNetworkAclsCommand({ Filters, NextToken, MaxResults: 100 }));
        return { items: out.NetworkAcls ?? [], next: out.NextToken };
      }),
    ]);
    const vpcs = new Map<string, LiveVpc>();
    for (const v of vpcItems ?? []) {
      const live = toLiveVpc(v);
      if (live) vpcs.set(live.id, live);
    }
    if (vpcItems) for (const id of vpcIds) if (!vpcs.has(id)) this.vpcs.set(id, { at: now, value: null });
    const explicit = new Map<string, string>();
    for (const t of associated ?? []) {
      const live = toLiveRouteTable(t);
      if (!live) continue;
      tables.set(live.table.id, live.table);
      for (const s of live.subnets) explicit.set(s, live.table.id);
    }

    // 3. The VPCs' main route tables and endpoints.
    const vpcList = [...vpcs.keys()];
    const [mainItems, endpointItems] = await Promise.all([
      describeTables('vpc-id', vpcList, 'vpc-main', [{ Name: 'association.main', Values: ['true'] }]),
      byFilter('DescribeVpcEndpoints', 'vpc-endpoints', 'vpc-id', vpcList, async (Filters, NextToken) => {
        const out = await ec2.send(new DescribeVpcEndpointsCommand({ Filters, NextToken, MaxResults: 1000 }));
        return { items: out.VpcEndpoints ?? [], next: out.NextToken };
      }),
    ]);
    const mainOf = new Map<string, string>();
    for (const t of mainItems ?? []) {
      const live = toLiveRouteTable(t);
      if (!live || !live.table.main) continue;
      tables.set(live.table.id, live.table);
      mainOf.set(live.table.vpcId, live.table.id);
    }
    const endpoints = (endpointItems ?? []).map(toLiveEndpoint).filter((e): e is LiveEndpoint => !!e);
    for (const vpc of vpcs.values()) {
      if (mainItems) vpc.mainRouteTable = mainOf.get(vpc.id);
      vpc.endpointsListed = endpointItems !== undefined;
      const complete = mainItems !== undefined && endpointItems !== undefined;
      this.vpcs.set(vpc.id, { at: complete ? now : this.incompleteAt(), value: { vpc, endpoints: endpoints.filter((e) => e.vpcId === vpc.id) } });
    }

    // 4. The NAT gateways the route tables send traffic to, and the subnets they sit in.
    const natIds = unique([...tables.values()].flatMap((t) => t.routes.filter((r) => r.target === 'nat-gateway' && r.targetId).map((r) => r.targetId!)))
      .filter((id) => !nats.has(id) && !this.isFresh(this.nats.get(id)));
    const moreNats = await describeNats(natIds);
    for (const n of moreNats ?? []) {
      const live = toLiveNatGateway(n);
      if (live) nats.set(live.id, live);
    }
    const natSubnetIds = unique([...nats.values()].map((n) => n.subnetId).filter((s): s is string => !!s))
      .filter((id) => !subnets.has(id) && !this.isFresh(this.subnets.get(id)));
    const natSubnets = await describeSubnets(natSubnetIds);
    for (const s of natSubnets ?? []) {
      const live = toLiveSubnet(s);
      // Read for its zone only: its own routing is not looked up.
      if (live) this.subnets.set(live.id, { at: this.incompleteAt(), value: live });
    }

    // Store what was read, each subnet with the table and ACL in effect for it.
    for (const t of tables.values()) this.tables.set(t.id, { at: now, value: t });
    for (const n of nats.values()) this.nats.set(n.id, { at: now, value: n });
    const aclOf = new Map<string, string>();
    for (const a of aclItems ?? []) {
      const live = toLiveNetworkAcl(a);
      if (!live) continue;
      this.acls.set(live.id, { at: now, value: live });
      for (const s of live.subnetIds) aclOf.set(s, live.id);
    }
    for (const subnet of subnets.values()) {
      const vpcMain = vpcs.get(subnet.vpcId)?.mainRouteTable ?? this.vpcs.get(subnet.vpcId)?.value?.vpc.mainRouteTable;
      if (associated) {
        const table = explicit.get(subnet.id) ?? vpcMain;
        if (table) subnet.routeTable = table;
      }
      if (aclItems) {
        const acl = aclOf.get(subnet.id);
        if (acl) subnet.networkAcl = acl;
      }
      const vpcKnown = vpcs.has(subnet.vpcId) || !!this.vpcs.get(subnet.vpcId)?.value;
      const complete = subnet.routeTable !== undefined && aclItems !== undefined && vpcKnown && moreNats !== undefined;
      this.subnets.set(subnet.id, { at: complete ? now : this.incompleteAt(), value: subnet });
    }
    return result;
  }

  private async fetchExports(clients: LiveClients, names: string[], call: <T>(operation: string, keys: string[], pages: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) => Promise<T[] | undefined>): Promise<void> {
    if (names.length === 0) return;
    const items = await call<Export>('ListExports', ['exports:'], async (NextToken) => {
      const out = await clients.cloudformation.send(new ListExportsCommand({ NextToken }));
      return { items: out.Exports ?? [], next: out.NextToken };
    });
    if (!items) return;
    const values: Record<string, string> = {};
    for (const e of items) if (e.Name && e.Value !== undefined) values[e.Name] = e.Value;
    this.exports = { at: this.now(), value: values };
  }

  private async fetchSsm(clients: LiveClients, names: string[], failures: AwsFailure[], result: LiveFetchResult): Promise<void> {
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        result.calls++;
        try {
          // Never WithDecryption: a SecureString is not read, and not used.
          const out = await clients.ssm.send(new GetParameterCommand({ Name: name }));
          const p = out.Parameter;
          const usable = p?.Value !== undefined && (p.Type === 'String' || p.Type === 'StringList');
          this.ssm.set(name, { at: this.now(), value: usable ? { value: p!.Value!, type: p!.Type as 'String' | 'StringList' } : null });
        } catch (err) {
          const failure = toAwsFailure(err, 'GetParameter');
          if (failure.code === 'ParameterNotFound' || failure.code === 'ParameterVersionNotFound') {
            this.ssm.set(name, { at: this.now(), value: null });
            continue;
          }
          failures.push(failure);
          this.failed.set(`ssm:${name}`, this.now());
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SSM_CONCURRENCY, queue.length) }, worker));
  }

  /**
   * `DescribeStacks` once for each stack named, then for the nested stacks asked for: `ListStackResources`
   * of their parent (once each) gives the child's stack id, and `DescribeStacks` of that id its outputs. A
   * stack that does not exist is remembered as missing; a failed call leaves its stack unknown.
   */
  private async fetchStacks(clients: LiveClients, request: LiveRequest, call: <T>(operation: string, keys: string[], pages: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) => Promise<T[] | undefined>): Promise<void> {
    const cfn = clients.cloudformation;
    const describe = async (name: string, key: string): Promise<LiveStack | null | undefined> => {
      let missing = false;
      const items = await call('DescribeStacks', [key], async () => {
        try {
          const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
          return { items: out.Stacks ?? [] };
        } catch (err) {
          // A stack that does not exist is remembered as missing, and still told once: the name may be wrong.
          const failure = toAwsFailure(err);
          missing = failure.code === 'ValidationError' && /does not exist/.test(failure.message);
          throw err;
        }
      });
      if (missing) this.failed.delete(key);
      if (!items) return missing ? null : undefined;
      const stack = items.map(toLiveStack).find((s): s is LiveStack => !!s);
      return stack ?? null;
    };
    await Promise.all(request.stacks.map(async (name) => {
      const stack = await describe(name, `stack:${name}`);
      if (stack !== undefined) this.stacks.set(name, stack);
    }));
    const byParent = new Map<string, string[]>();
    for (const entry of request.nestedStacks) {
      const [parent, id] = splitNested(entry);
      byParent.set(parent, [...(byParent.get(parent) ?? []), id]);
    }
    let budget = MAX_NESTED_STACKS;
    for (const [parent, ids] of byParent) {
      const stack = this.stacks.get(parent);
      if (!stack) continue;
      const keys = ids.map((id) => `nested:${parent}/${id}`);
      const resources = await call<StackResourceSummary>('ListStackResources', keys, async (NextToken) => {
        const out = await cfn.send(new ListStackResourcesCommand({ StackName: parent, NextToken }));
        return { items: out.StackResourceSummaries ?? [], next: out.NextToken };
      });
      if (!resources) continue;
      for (const id of ids) {
        const child = resources.find((r) => r.LogicalResourceId === id && r.ResourceType === 'AWS::CloudFormation::Stack')?.PhysicalResourceId;
        if (!child || !STACK_NAME_PATTERN.test(child) || budget <= 0) {
          if (budget > 0 || !child) stack.nested[id] = null;
          continue;
        }
        budget--;
        const described = await describe(child, `nested:${parent}/${id}`);
        if (described === undefined) continue;
        stack.nested[id] = described ? described.name : null;
        if (described) this.stacks.set(described.name, described);
      }
    }
  }

  private markFailed(request: LiveRequest): void {
    const at = this.now();
    for (const id of request.subnets) this.failed.set(`subnet:${id}`, at);
    for (const id of request.securityGroups) this.failed.set(`sg:${id}`, at);
    for (const id of request.vpcs) this.failed.set(`vpc:${id}`, at);
    for (const id of request.routeTables) this.failed.set(`rtb:${id}`, at);
    for (const id of request.natGateways) this.failed.set(`nat:${id}`, at);
    for (const name of request.ssmParameters) this.failed.set(`ssm:${name}`, at);
    if (request.exports.length) this.failed.set('exports:', at);
    for (const name of request.stacks) this.failed.set(`stack:${name}`, at);
    for (const entry of request.nestedStacks) this.failed.set(`nested:${entry}`, at);
  }
}

/** SSM names the tool reads: not Secrets Manager references (`/aws/reference/secretsmanager/...`). */
export function isReadableSsmName(name: string): boolean {
  return name.length > 0 && name.length <= 2048 && !name.startsWith('/aws/reference/secretsmanager/');
}

/** `app-prod/Network` into the parent stack's name and the nested stack's logical id. */
function splitNested(entry: string): [string, string] {
  const slash = entry.lastIndexOf('/');
  return [entry.slice(0, slash), entry.slice(slash + 1)];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

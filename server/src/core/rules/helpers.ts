/**
 * Small pieces several rules share: iterating attached functions, labels, related information, and the
 * egress questions the egress and endpoint rules must answer alike (per-branch subnet egress, which
 * subnets are public, which needs only egress reaches).
 */
import type { EditBuilder } from '../edits';
import type { FunctionVariant, LambdaFunction, Model, Resource, ResourceRef, VpcAttachment } from '../model/types';
import type { Node, Span } from '../tree';
import { consistent } from '../model/values';
import { get } from '../tree';
import type { Edit, Fix, Related } from '../types';
import type { EndpointUser } from '../model/endpoints';
import type { Egress, FunctionSubnet } from '../model/queries';
import { endpointsFor, functionSubnets, hasEndpointService, subnetEgress, vpcHasUnknownEndpoints } from '../model/queries';
import type { NatGateway, NeedEvidence, Route, Subnet } from '../model/types';

export interface AttachedVariant {
  fn: LambdaFunction;
  variant: FunctionVariant;
  vpc: VpcAttachment;
}

/** Every (function, VPC-attached variant) pair: listed once per model, since most rules walk it. */
export function attachedVariants(model: Model): readonly AttachedVariant[] {
  let list = attachedLists.get(model);
  if (!list) {
    list = [];
    for (const fn of model.functions) {
      for (const variant of fn.variants) {
        if (variant.vpc) list.push({ fn, variant, vpc: variant.vpc });
      }
    }
    attachedLists.set(model, list);
  }
  return list;
}

const attachedLists = new WeakMap<Model, AttachedVariant[]>();

/** The related entry pointing at where settings were inherited from (SAM Globals, provider.vpc). */
export function inheritedRelated(vpc: VpcAttachment): Related[] {
  return vpc.inheritedFrom ? [{ message: 'VPC settings inherited from here', span: vpc.inheritedFrom }] : [];
}

export function refName(ref: ResourceRef): string {
  if (ref.id) return ref.id;
  if (ref.literal) return ref.literal;
  return 'an unresolved value';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The node's span when it lies in the function's own text, else the function's anchor (inherited settings). */
export function ownSpan(fn: LambdaFunction, node: Span | undefined): Span {
  if (node && node.start >= fn.node.start && node.end <= fn.node.end && node.end > node.start) return { start: node.start, end: node.end };
  return fn.anchor;
}

export interface ListBranch {
  items: ResourceRef[];
  /** The `Fn::If` branches inside the list that select these items. */
  conditions: string[];
}

/**
 * The lists a reference list can be once its inner `Fn::If`s are decided: one entry per distinct
 * selection of items. Empty when too many conditions are involved to enumerate.
 */
export function listBranches(items: ResourceRef[], maxConditions = 6): ListBranch[] {
  const names = [...new Set(items.flatMap((i) => (i.conditions ?? []).map(bare)))];
  if (names.length === 0) return [{ items, conditions: [] }];
  if (names.length > maxConditions) return [];
  const out: ListBranch[] = [];
  const seen = new Set<string>();
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const truth = new Map(names.map((n, i) => [n, ((mask >> i) & 1) === 1]));
    const chosen = items.filter((i) => holds(i.conditions, truth));
    const key = chosen.map((i) => `${i.span.start}:${i.span.end}`).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ items: chosen, conditions: names.map((n) => (truth.get(n) ? n : `!${n}`)) });
  }
  return out;
}

/** Related entries pointing at functions (where each names the shared resource, else its key). */
export function functionsRelated(fns: { fn: LambdaFunction; span?: Span }[], message: (fn: LambdaFunction) => string): Related[] {
  return fns.map(({ fn, span }) => ({ message: message(fn), span: span ?? fn.anchor }));
}

/** A function subnet with its way out on one branch. */
export interface SubnetEgress extends FunctionSubnet {
  egress: Egress;
}

/** The function's subnets and their egress on one combination of the `Fn::If` conditions that change them. */
export interface EgressBranch {
  /** The branch: every condition involved, as `Cond` or `!Cond`; empty when nothing is conditional. */
  conditions: string[];
  subnets: SubnetEgress[];
}

const MAX_BRANCH_CONDITIONS = 3;

/** A condition's name without its `!`. */
function bare(condition: string): string {
  return condition.startsWith('!') ? condition.slice(1) : condition;
}

/** Whether every condition (`Cond` or `!Cond`) holds under an assignment that names each of them. */
function holds(conditions: string[] | undefined, assignment: Map<string, boolean>): boolean {
  return (conditions ?? []).every((c) => (c.startsWith('!') ? assignment.get(c.slice(1)) === false : assignment.get(c) === true));
}

function defaultRoutes(model: Model, subnet: Subnet): Route[] {
  const table = subnet.routeTable.id ? model.routeTables.get(subnet.routeTable.id) : undefined;
  return (table?.routes ?? []).filter((r) => !r.ipv6 && (r.destination.value === '0.0.0.0/0' || r.destination.state === 'unknown'));
}

/**
 * Subnets with their egress, once per combination of the conditions on the subnet list's items
 * (`!If [C, !Ref A, !Ref AWS::NoValue]`) and on their default routes (a route with `Condition: HasNat`
 * leaves the subnet isolated when the condition is false). Beyond a few conditions, one branch that
 * keeps every item and prefers unconditional routes. `taken`: the conditions of the function's variant.
 */
export function egressBranches(model: Model, subnets: readonly FunctionSubnet[], taken: readonly string[] = []): readonly EgressBranch[] {
  // functionSubnets hands out one list per attachment, so the egress and endpoint rules share the branches.
  let byList = branchesOfList.get(model);
  if (!byList) branchesOfList.set(model, (byList = new WeakMap()));
  let branches = byList.get(subnets);
  if (!branches) byList.set(subnets, (branches = computeBranches(model, subnets)));
  if (taken.length === 0) return branches;
  // The conditions the variant has taken keep their value: only the branches that agree, without repeating them.
  return branches
    .filter((b) => consistent(b.conditions, taken))
    .map((b) => ({ ...b, conditions: b.conditions.filter((c) => !taken.includes(c)) }));
}

const branchesOfList = new WeakMap<Model, WeakMap<readonly FunctionSubnet[], readonly EgressBranch[]>>();

function computeBranches(model: Model, subnets: readonly FunctionSubnet[]): EgressBranch[] {
  const names = new Set<string>();
  for (const s of subnets) {
    for (const c of s.ref.conditions ?? []) names.add(bare(c));
    if (s.subnet) for (const r of defaultRoutes(model, s.subnet)) for (const c of r.conditions ?? []) names.add(bare(c));
  }
  if (names.size === 0 || names.size > MAX_BRANCH_CONDITIONS) {
    return [{ conditions: [], subnets: subnets.map((s) => ({ ...s, egress: s.subnet ? subnetEgress(model, s.subnet) : { kind: 'unknown', state: 'unknown' } })) }];
  }
  const list = [...names];
  const branches: EgressBranch[] = [];
  for (let bits = 0; bits < 1 << list.length; bits++) {
    const assignment = new Map(list.map((name, i) => [name, (bits & (1 << i)) === 0]));
    branches.push({
      conditions: list.map((name) => (assignment.get(name) ? name : `!${name}`)),
      subnets: subnets
        .filter((s) => holds(s.ref.conditions, assignment))
        .map((s) => ({ ...s, egress: s.subnet ? branchEgress(model, s.subnet, assignment) : { kind: 'unknown', state: 'unknown' } })),
    });
  }
  return branches;
}

/** The egress on one branch; the branch names the route's conditions, so the egress does not. */
function branchEgress(model: Model, subnet: Subnet, assignment: Map<string, boolean>): Egress {
  const { conditions: _named, ...egress } = subnetEgress(model, subnet, (r) => holds(r.conditions, assignment));
  return egress;
}

/** A Serverless function whose `vpc` has subnets but no security groups (or the reverse): the framework drops it, the function is not in a VPC. */
function droppedBySls({ variant, vpc }: AttachedVariant): boolean {
  const known = vpc.subnetIds.state !== 'unknown' && vpc.securityGroupIds.state !== 'unknown';
  return variant.dropsIncompleteConfig && known && (vpc.subnetIds.items.length === 0) !== (vpc.securityGroupIds.items.length === 0);
}

/**
 * Runs a per-branch check over every VPC-attached function and hands back each distinct result once,
 * with the conditions it holds on: the variant's (`Fn::If` around the VpcConfig) and the branch's.
 */
export function eachEgressResult<T>(
  model: Model,
  check: (attached: AttachedVariant, branch: EgressBranch) => { key: string; value: T } | undefined,
  emit: (attached: AttachedVariant, value: T, conditions: string[]) => void,
): void {
  for (const attached of attachedVariants(model)) {
    if (droppedBySls(attached)) continue;
    const results: { conditions: string[]; key: string; value: T }[] = [];
    for (const branch of egressBranches(model, functionSubnets(model, attached.vpc), attached.variant.conditions)) {
      const r = check(attached, branch);
      if (r) results.push({ conditions: branch.conditions, ...r });
    }
    for (const r of collapseBranches(results)) emit(attached, r.value, [...attached.variant.conditions, ...r.conditions]);
  }
}

/**
 * Merges per-branch results that say the same thing (equal `key`): a result that holds on every branch
 * loses its conditions; one that holds on every branch of some conditions keeps only those.
 */
export function collapseBranches<T>(results: { conditions: string[]; key: string; value: T }[]): { conditions: string[]; value: T }[] {
  const groups = new Map<string, { conditions: string[]; value: T }[]>();
  for (const r of results) {
    const group = groups.get(r.key);
    if (group) group.push(r);
    else groups.set(r.key, [r]);
  }
  const out: { conditions: string[]; value: T }[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const common = first.conditions.filter((c) => group.every((g) => g.conditions.includes(c)));
    // The group is the whole sub-cube its common conditions describe: say just those.
    if (group.length === 2 ** (first.conditions.length - common.length)) out.push({ conditions: common, value: first.value });
    else out.push(...group.map((g) => ({ conditions: g.conditions, value: g.value })));
  }
  return out;
}

/**
 * Whether every subnet of the branch whose egress is known sends `0.0.0.0/0` to an internet gateway
 * (and at least one does). Then `public-subnet` is the one egress finding for the function: the other
 * egress and endpoint rules leave it to that rule, which names the cause.
 */
export function isAllPublic(subnets: SubnetEgress[]): boolean {
  const known = subnets.filter((s) => s.egress.kind !== 'unknown');
  return known.length > 0 && known.every((s) => s.egress.kind === 'internet-gateway');
}

/** A need of the function: the internet, or an AWS service by IAM prefix. */
export interface Need {
  /** `internet` or the service prefix (`iam`, `sqs`). */
  name: string;
  evidence: NeedEvidence[];
}

/** What only a way out of the VPC reaches: the internet and services that have no VPC endpoint. */
export function egressOnlyNeeds(fn: LambdaFunction): Need[] {
  const out: Need[] = [];
  if (fn.needs.internet.length > 0) out.push({ name: 'internet', evidence: fn.needs.internet });
  for (const [prefix, evidence] of fn.needs.services) {
    if (!hasEndpointService(prefix)) out.push({ name: prefix, evidence });
  }
  return out;
}

/**
 * The needs no endpoint of the VPC serves for a subnet: the egress-only needs, and services whose
 * endpoint the VPC lacks (a gateway endpoint serves the subnet only through its route table). Services
 * are left out when the VPC is not known or has endpoints whose service cannot be resolved.
 */
export function uncoveredNeeds(model: Model, fn: LambdaFunction, vpcId: string | undefined, subnet?: Subnet): Need[] {
  const out = egressOnlyNeeds(fn);
  if (!vpcId || !model.vpcs.has(vpcId) || vpcHasUnknownEndpoints(model, vpcId)) return out;
  for (const [prefix, evidence] of fn.needs.services) {
    if (!hasEndpointService(prefix)) continue;
    const covered = endpointsFor(model, vpcId, prefix).some((e) => {
      if (e.endpointType !== 'Gateway') return true;
      const table = subnet?.routeTable.id;
      return !table || e.routeTableIds.state === 'unknown' || e.routeTableIds.items.some((r) => (r.state === 'unknown' && !r.missing) || r.id === table);
    });
    if (!covered) out.push({ name: prefix, evidence });
  }
  return out;
}

/**
 * The parameter defaults a finding about these needs rests on: when every piece of evidence of every
 * need comes from a default (an environment variable holding `!Ref P`), the needs are assumed; one
 * known piece of evidence makes them known.
 */
export function needsAssumed(needs: Need[]): string[] {
  const evidence = needs.flatMap((n) => n.evidence);
  if (evidence.length === 0 || evidence.some((e) => e.param === undefined)) return [];
  return [...new Set(evidence.map((e) => e.param!))];
}

/** `the internet, iam and route53`. */
export function needsLabel(needs: Need[]): string {
  return listLabel(needs.map((n) => (n.name === 'internet' ? 'the internet' : n.name)));
}

/** Related entries pointing at why the function needs each thing (the first piece of evidence each). */
export function needsRelated(needs: Need[]): Related[] {
  return needs.flatMap((n) => (n.evidence[0] ? [{ message: `Needs ${n.name === 'internet' ? 'the internet' : n.name}: ${n.evidence[0].because}`, span: n.evidence[0].span }] : []));
}

/** The related entry pointing at why an endpoint's user needs its service (the first piece of evidence), else at the function. */
export function endpointUserRelated(user: EndpointUser): Related {
  const why = user.evidence[0];
  return { message: `Function ${user.fn.id} needs ${user.prefix}${why ? `: ${why.because}` : ''}`, span: why?.span ?? user.fn.anchor };
}

/**
 * Where a finding about some of the function's subnets points: the one subnet's item, else the
 * `SubnetIds` list, else the function (settings inherited from SAM Globals or `provider.vpc`).
 */
export function subnetsSpan(fn: LambdaFunction, vpc: VpcAttachment, offending: FunctionSubnet[]): Span {
  const list = ownSpan(fn, vpc.subnetIdsNode);
  const one = offending.length === 1 ? offending[0]!.ref.span : undefined;
  if (list !== fn.anchor && one && one.start >= list.start && one.end <= list.end) return { start: one.start, end: one.end };
  return list;
}

/** The conditions every list holds on: what a finding that rests on all of them can name. */
export function commonConditions(lists: readonly (readonly string[])[]): string[] {
  const [first, ...rest] = lists;
  if (!first) return [];
  return [...new Set(first)].filter((c) => rest.every((l) => l.includes(c)));
}

/**
 * `subnet A`, `subnets A, B`: the noun, plural for any number of names but one, then the names joined by
 * `join`. A name that reads as the noun itself (`subnet-0abc`, a subnet called `subnet`) is quoted, so the
 * message does not say "subnet subnet".
 */
export function namedList(noun: string, names: string[], join: (names: string[]) => string = (n) => n.join(', ')): string {
  const echoes = (name: string) => name.toLowerCase().startsWith(noun.toLowerCase()) && !/^[a-z]/i.test(name.slice(noun.length));
  return `${names.length === 1 ? noun : `${noun}s`} ${join(names.map((n) => (echoes(n) ? `'${n}'` : n)))}`;
}

/** `A`, `A and B`, `A, B and C`. */
export function listLabel(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The NAT gateways that concern VPC-attached functions: one routes a subnet's 0.0.0.0/0 through it (on
 * some branch), or it sits in a VPC one of their subnets is in. Each with the functions routing through it.
 */
function functionNats(model: Model): Map<string, LambdaFunction[]> {
  const out = new Map<string, LambdaFunction[]>();
  const vpcs = new Set<string>();
  for (const attached of attachedVariants(model)) {
    if (droppedBySls(attached)) continue;
    const { fn, vpc } = attached;
    const subnets = functionSubnets(model, vpc);
    for (const s of subnets) if (s.subnet?.vpc.id) vpcs.add(s.subnet.vpc.id);
    for (const branch of egressBranches(model, subnets, attached.variant.conditions)) {
      for (const s of branch.subnets) {
        if (!s.egress.nat) continue;
        const users = out.get(s.egress.nat) ?? [];
        if (!users.includes(fn)) users.push(fn);
        out.set(s.egress.nat, users);
      }
    }
  }
  for (const nat of model.natGateways.values()) {
    const vpcId = nat.subnet.id ? model.subnets.get(nat.subnet.id)?.vpc.id : undefined;
    if (vpcId && vpcs.has(vpcId) && !out.has(nat.id)) out.set(nat.id, []);
  }
  return out;
}

/** A public zonal NAT gateway that concerns VPC-attached functions, with how a finding names and points at who loses egress through it. */
export interface PublicNat {
  nat: NatGateway;
  /** `the functions routed through it (A, B)`, or `the subnets routed through it` when no function routes through it. */
  users: string;
  related: Related[];
}

/** The public zonal NAT gateways among `functionNats`: the kind that needs an Elastic IP and a subnet routed to an internet gateway. */
export function* publicNats(model: Model): Generator<PublicNat> {
  for (const [id, users] of functionNats(model)) {
    const nat = model.natGateways.get(id)!;
    if (nat.regional || nat.connectivity.state === 'unknown' || nat.connectivity.value !== 'public') continue;
    yield {
      nat,
      users: users.length ? `the functions routed through it (${users.map((f) => f.id).join(', ')})` : 'the subnets routed through it',
      related: functionsRelated(users.map((fn) => ({ fn })), (fn) => `Function '${fn.id}' routes 0.0.0.0/0 through '${id}'`),
    };
  }
}

/**
 * The VPC's `AWS::EC2::VPCGatewayAttachment` for an internet gateway: CloudFormation asks an Elastic IP
 * in a VPC of the same template to `DependsOn` it.
 */
export function gatewayAttachmentOf(model: Model, vpcId: string | undefined): string | undefined {
  if (!vpcId) return undefined;
  let byVpc = attachmentsCache.get(model);
  if (!byVpc) {
    byVpc = new Map();
    for (const r of model.resources.values()) {
      if (r.type !== 'AWS::EC2::VPCGatewayAttachment' || !get(r.properties, 'InternetGatewayId')) continue;
      const ref = get(get(r.properties, 'VpcId'), 'Ref');
      if (ref?.kind === 'scalar' && typeof ref.value === 'string' && !byVpc.has(ref.value)) byVpc.set(ref.value, r.id);
    }
    attachmentsCache.set(model, byVpc);
  }
  return byVpc.get(vpcId);
}

const attachmentsCache = new WeakMap<Model, Map<string, string>>();

/** The fix that adds ids to a resource's `DependsOn`: creating it, turning a single value into a list, or appending. */
export function dependsOnFix(resource: Resource, ids: string[]): (edits: EditBuilder) => Fix | undefined {
  return (edits) => {
    const list = get(resource.node, 'DependsOn');
    let edit: Edit;
    if (list?.kind === 'seq' && list.items.length > 0) {
      // One insertion for all the new items, so they keep their order.
      const parts = ids.map((id) => edits.appendToSeq(list, id));
      edit = { start: parts[0]!.start, end: parts[0]!.end, text: parts.map((p) => p.text).join('') };
    } else if (list?.kind === 'scalar' && typeof list.value === 'string') {
      edit = edits.replace(list, [list.value, ...ids]);
    } else if (!list) {
      edit = edits.addKey(resource.node, 'DependsOn', ids.length === 1 ? ids[0]! : ids);
    } else {
      edit = edits.setKey(resource.node, 'DependsOn', ids);
    }
    return { title: `Make '${resource.id}' depend on ${ids.map((p) => `'${p}'`).join(', ')}`, safety: 'safe', edits: [edit] };
  };
}

/**
 * Whether the node is part of the template's own text: Serverless resources read through `${file()}`
 * come from another file, where this file's spans and edits do not apply.
 */
export function inTemplateText(model: Model, node: Node): boolean {
  let nodes = treeNodes.get(model);
  if (!nodes) {
    nodes = new Set();
    const stack: Node[] = [model.root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (nodes.has(n)) continue;
      nodes.add(n);
      if (n.kind === 'map') for (const pair of n.pairs) stack.push(pair.value);
      else if (n.kind === 'seq') stack.push(...n.items);
    }
    treeNodes.set(model, nodes);
  }
  return nodes.has(node);
}

const treeNodes = new WeakMap<Model, Set<Node>>();
